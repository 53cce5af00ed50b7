// The RAG scale as the screens show it: always a word and a shape, never colour alone. Every
// word, letter, shape, colour and meaning comes from the core (bindings.ts, generated).
import type { Rag } from '../bindings';
import { RAG, STATUS_SCALE } from '../bindings';

export { LIFECYCLE, LIFECYCLE_LABEL, PARTNER_KIND, PARTNER_KIND_LABEL, QUARTER_STATE, QUARTER_STATE_LABEL, RAG, STATUS_SCALE } from '../bindings';

export const RAGS: Rag[] = STATUS_SCALE.map((s) => s.rag);

const by = <T>(pick: (s: (typeof STATUS_SCALE)[number]) => T) =>
  Object.fromEntries(STATUS_SCALE.map((s) => [s.rag, pick(s)])) as Record<Rag, T>;

export const RAG_LABEL: Record<Rag, string> = by((s) => s.label);
export const RAG_MEANING: Record<Rag, string> = by((s) => s.meaning);
export const RAG_SHAPE: Record<Rag, string> = by((s) => s.shape);
/** The key that chooses each status on the quarterly update screen. */
export const RAG_KEY: Record<Rag, string> = by((s) => s.letter);

/** Maps a key press to a status: the letters R A G C N (either case) or the digits 1 to 5. */
export function ragFromKey(key: string): Rag | null {
  const k = key.toUpperCase();
  const byLetter = STATUS_SCALE.find((s) => s.letter === k);
  if (byLetter) return byLetter.rag;
  const i = Number.parseInt(k, 10);
  return k.length === 1 && i >= 1 && i <= RAGS.length ? RAGS[i - 1] : null;
}

/** "Red, Amber, Green, Complete or Not started": the scale in running text. */
export function statusWords(): string {
  const words = STATUS_SCALE.map((s) => s.label);
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The status colours as CSS custom properties (--red-fg, --red-bg, ...), set once at start. */
export function applyStatusColours(root: HTMLElement): void {
  for (const s of STATUS_SCALE) {
    const name = s.rag === RAG.not_started ? 'ns' : s.rag;
    root.style.setProperty(`--${name}-fg`, s.fg);
    root.style.setProperty(`--${name}-bg`, s.bg);
  }
}
