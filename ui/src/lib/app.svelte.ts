// The window's shared state: the store's facts, the plan, the screen and the chosen quarter.
import { api, ApiError, message } from '../api';
import type { AppInfo, PlanSummary } from '../bindings';

export type Screen =
  | 'dashboard' | 'quarterly' | 'actions' | 'plan' | 'indicators' | 'partners' | 'funding' | 'signoff' | 'exports' | 'settings';

export const SCREENS: { id: Screen; label: string }[] = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'quarterly', label: 'Quarterly update' },
  { id: 'actions', label: 'Actions' },
  { id: 'plan', label: 'Plan' },
  { id: 'indicators', label: 'Indicators' },
  { id: 'partners', label: 'Partners' },
  { id: 'funding', label: 'Funding' },
  { id: 'signoff', label: 'Sign-off and audit' },
  { id: 'exports', label: 'Exports' },
  { id: 'settings', label: 'Settings' },
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
});

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
