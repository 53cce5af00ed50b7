// The window's shared state: the store's facts, the plan, the screen and the chosen quarter.
import { api, ApiError, message } from '../api';
import type { AppInfo, ErrorCode, PlanSummary, Rag } from '../bindings';

export type Screen =
  | 'dashboard' | 'quarterly' | 'returns' | 'actions' | 'plan' | 'indicators' | 'partners' | 'funding' | 'signoff' | 'exports' | 'settings';

/** The screens in the navigation's order; `key` is its Alt+digit shortcut (kept stable when a
 * screen is added: Partner returns came later and has none). */
export const SCREENS: { id: Screen; label: string; key?: string }[] = [
  { id: 'dashboard', label: 'Dashboard', key: '1' },
  { id: 'quarterly', label: 'Quarterly update', key: '2' },
  { id: 'returns', label: 'Partner returns' },
  { id: 'actions', label: 'Actions', key: '3' },
  { id: 'plan', label: 'Plan', key: '4' },
  { id: 'indicators', label: 'Indicators', key: '5' },
  { id: 'partners', label: 'Partners', key: '6' },
  { id: 'funding', label: 'Funding', key: '7' },
  { id: 'signoff', label: 'Sign-off and audit', key: '8' },
  { id: 'exports', label: 'Exports', key: '9' },
  { id: 'settings', label: 'Settings', key: '0' },
];

export const app = $state({
  info: null as AppInfo | null,
  plan: null as PlanSummary | null,
  screen: 'dashboard' as Screen,
  quarter: '',
  fatal: '',
  /** The error code when the store could not be opened ("damaged" offers a backup). */
  fatalCode: '',
  /** Read out by screen readers (aria-live): what just happened. */
  announce: '',
  /** Bumped after every write so screens reload what they show. */
  version: 0,
  /** Set by a screen that wants the register opened on one action. */
  focusAction: '' as string,
  /** Set by the first-run guide: what the Actions screen opens on ('add' or 'import'). */
  intent: '' as '' | 'add' | 'import',
  /** Set when a save was refused by the disk (full, read-only, gone): what was typed is kept
   * by the screen and saved again once writing works. Cleared by the next successful save. */
  writeFault: '',
  /** Problems the window was told about that no screen shows (a failed sign-off backup). */
  notices: [] as string[],
  /** How many typed updates are waiting for the disk to take them. */
  unsaved: 0,
});

/** An update as typed, kept while the disk refuses it. */
export interface Unsaved {
  ref: string;
  quarter: string;
  rag: Rag | null;
  commentary: string;
  next_steps: string;
}

// Kept outside any screen, so leaving the Quarterly screen loses nothing.
const unsaved = new Map<string, Unsaved>();
let retryTimer: ReturnType<typeof setInterval> | undefined;
const RETRY_MS = 4000;
const keyOf = (quarter: string, ref: string) => `${quarter}|${ref}`;

/** A save the disk refused: keep what was typed and try again every few seconds. */
export function keepUnsaved(u: Unsaved, e: unknown): void {
  unsaved.set(keyOf(u.quarter, u.ref), { ...u });
  app.unsaved = unsaved.size;
  app.writeFault = message(e);
  retryTimer ??= setInterval(retryUnsaved, RETRY_MS);
}

/** What is still waiting to be saved for this action and quarter, if anything. */
export function unsavedFor(quarter: string, ref: string): Unsaved | undefined {
  return unsaved.get(keyOf(quarter, ref));
}

/** A save went through: nothing of this row is waiting any more. */
export function savedNow(quarter: string, ref: string): void {
  unsaved.delete(keyOf(quarter, ref));
  app.unsaved = unsaved.size;
  if (unsaved.size === 0) stopRetrying();
}

function stopRetrying(): void {
  clearInterval(retryTimer);
  retryTimer = undefined;
  app.writeFault = '';
}

async function retryUnsaved(): Promise<void> {
  let saved = 0;
  for (const [k, u] of [...unsaved]) {
    try {
      await api.saveUpdate(u.ref, u.quarter, u.rag, u.commentary, u.next_steps);
      // Typed again while this save was on its way: the newer text stays waiting.
      if (unsaved.get(k) === u) unsaved.delete(k);
      saved += 1;
    } catch (e) {
      // Still refused (or refused for another reason now, say the quarter was signed off
      // meanwhile): the banner says why and the text stays waiting rather than being dropped.
      app.writeFault = message(e);
      return;
    }
  }
  app.unsaved = unsaved.size;
  if (unsaved.size === 0) stopRetrying();
  if (saved) await changed(`Saved ${saved} update${saved === 1 ? '' : 's'} kept while the disk refused them`);
}

/** Error codes that mean the disk or medium refused a write, not the coordinator's input. */
const DISK_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['disk_full', 'read_only', 'medium_failed', 'io']);

/** Whether an error is the disk's fault (keep what was typed, try again later). */
export function isDiskFault(e: unknown): boolean {
  return e instanceof ApiError && DISK_CODES.has(e.code);
}

/** Whether the store can be changed: false while it is open read-only. */
export function editable(): boolean {
  return !app.info?.read_only;
}

export async function refresh(): Promise<void> {
  try {
    const [info, plan] = await Promise.all([api.appInfo(), api.planSummary()]);
    app.info = info;
    app.plan = plan;
    if (!app.quarter) app.quarter = info.reporting_quarter ?? info.current_quarter ?? plan.quarters[0]?.code ?? '';
    app.fatal = '';
    app.fatalCode = '';
  } catch (e) {
    app.fatal = message(e);
    app.fatalCode = e instanceof ApiError ? e.code : 'internal';
  }
}

/** Call after a write: reloads the shell's facts and tells every screen to reload. */
export async function changed(what: string): Promise<void> {
  say(what);
  app.version += 1;
  await refresh();
}

export function say(what: string): void {
  app.announce = '';
  setTimeout(() => (app.announce = what), 30);
}

export function go(screen: Screen): void {
  app.screen = screen;
}

/** Opens the demo copy (`on`) or goes back to the coordinator's own store: every screen
 * reloads from the dashboard. */
export async function demo(on: boolean): Promise<void> {
  await api.openDemo(on);
  app.quarter = '';
  go('dashboard');
  await changed(on ? 'The demo copy is open: made-up data, read-only' : 'Back to your own store');
}
