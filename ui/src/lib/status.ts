// The RAG scale as the screens show it: always a word and a shape, never colour alone.
import type { Direction, Lifecycle, Rag } from '../bindings';

export const RAGS: Rag[] = ['red', 'amber', 'green', 'complete', 'not_started'];

export const RAG_LABEL: Record<Rag, string> = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  complete: 'Complete',
  not_started: 'Not started',
};

export const RAG_MEANING: Record<Rag, string> = {
  red: 'Off track or significant issue; needs a partnership decision or escalation',
  amber: 'Some slippage or risk, being managed within the partnership',
  green: 'On track',
  complete: 'Delivered',
  not_started: 'Not yet due to start',
};

/** The key that chooses each status on the quarterly update screen. */
export const RAG_KEY: Record<Rag, string> = { red: 'R', amber: 'A', green: 'G', complete: 'C', not_started: 'N' };

/** Maps a key press to a status: the letters R A G C N (either case) or the digits 1 to 5. */
export function ragFromKey(key: string): Rag | null {
  const k = key.toLowerCase();
  const byLetter: Record<string, Rag> = { r: 'red', a: 'amber', g: 'green', c: 'complete', n: 'not_started' };
  if (k in byLetter) return byLetter[k];
  const i = Number.parseInt(k, 10);
  return k.length === 1 && i >= 1 && i <= 5 ? RAGS[i - 1] : null;
}

export const LIFECYCLE_LABEL: Record<Lifecycle, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  complete: 'Complete',
  cancelled: 'Cancelled',
};

const RANK: Partial<Record<Rag, number>> = { red: 0, amber: 1, green: 2, complete: 3 };

/** Direction of travel from last quarter's status; none when either is missing or Not started. */
export function directionOf(previous: Rag | null | undefined, now: Rag | null | undefined): Direction | null {
  if (!previous || !now) return null;
  const p = RANK[previous];
  const n = RANK[now];
  if (p === undefined || n === undefined) return null;
  return n > p ? 'better' : n < p ? 'worse' : 'same';
}

export const DIRECTION_LABEL: Record<Direction, string> = { better: '▲ Better', same: '▶ Same', worse: '▼ Worse' };
