// The one typed door to the Rust core. Every command the window may call is here, with the
// types generated from the Rust structs (bindings.ts). Errors arrive as WireError
// ({code, message, fields?}) and are rethrown as ApiError so screens can show them.
import { invoke } from '@tauri-apps/api/core';
import type {
  Action, ActionInput, BackupFile, ExportResult, FrontSheet, FrontSheetView, IndicatorInput, NarrativeSection, ActionRow, AppInfo, AuditEntry, Dashboard, FieldError, FundingView, IndicatorsView,
  PartnerInput, PlanInput, PlanSummary, PriorityInput, Rag, SignedOff, UpdateSaved, UpdateSheet, WireError, ErrorCode,
  PartnerReturn, MadeReturns, ReturnsImport, RowChoice, TrackerImport, PoliceImport,
} from './bindings';

export type { PartnerReturn, MadeReturns, ReturnsImport, RowChoice, TrackerImport, PoliceImport };
export type { Action, ActionInput, BackupFile, ExportResult, FrontSheet, FrontSheetView, NarrativeSection, ActionRow, AppInfo, AuditEntry, Dashboard, FundingView, IndicatorsView, PlanSummary, Rag, UpdateSheet };

export class ApiError extends Error {
  code: ErrorCode;
  fields: FieldError[];
  constructor(e: WireError) {
    super(e.message);
    this.code = e.code;
    this.fields = e.fields ?? [];
  }
}

function isWire(e: unknown): e is WireError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

// How many calls are on their way; the end-to-end tests wait for none instead of sleeping.
const inFlight = window as unknown as { __ccspPending: number };
inFlight.__ccspPending = 0;

async function call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
  inFlight.__ccspPending += 1;
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw isWire(e) ? new ApiError(e) : new ApiError({ code: 'internal', message: String(e) });
  } finally {
    inFlight.__ccspPending -= 1;
  }
}

export const api = {
  appInfo: () => call<AppInfo>('app_info'),
  planSummary: () => call<PlanSummary>('plan_summary'),
  dashboard: (quarterCode: string) => call<Dashboard>('dashboard', { quarterCode }),
  listActions: () => call<ActionRow[]>('list_actions'),
  getAction: (reference: string) => call<Action>('get_action', { reference }),
  addAction: (input: ActionInput) => call<string>('add_action', { input }),
  editAction: (reference: string, input: ActionInput) => call<void>('edit_action', { reference, input }),
  cancelAction: (reference: string, reason: string) => call<void>('cancel_action', { reference, reason }),
  deleteAction: (reference: string) => call<void>('delete_action', { reference }),
  updateSheet: (quarterCode: string) => call<UpdateSheet>('update_sheet', { quarterCode }),
  saveUpdate: (reference: string, quarterCode: string, rag: Rag | null, commentary: string, nextSteps: string) =>
    call<UpdateSaved>('save_update', { reference, quarterCode, rag, commentary, nextSteps }),
  signOff: (quarterCode: string, confirmMissing: boolean, chair: string) => call<SignedOff>('sign_off', { quarterCode, confirmMissing, chair }),
  reviewUpdate: (quarterCode: string, reference: string, note: string) => call<void>('review_update', { quarterCode, reference, note }),
  reopen: (quarterCode: string, reason: string) => call<void>('reopen', { quarterCode, reason }),
  auditTrail: (f: { entity?: string; keyPrefix?: string; who?: string; limit?: number }) =>
    call<AuditEntry[]>('audit_trail', { entity: f.entity || null, keyPrefix: f.keyPrefix || null, who: f.who || null, limit: f.limit ?? null }),
  indicators: (quarterCode: string) => call<IndicatorsView>('indicators', { quarterCode }),
  addIndicator: (input: IndicatorInput) => call<void>('add_indicator', { input }),
  editIndicator: (code: string, input: IndicatorInput) => call<void>('edit_indicator', { code, input }),
  deleteIndicator: (code: string) => call<void>('delete_indicator', { code }),
  setIndicatorValue: (code: string, quarterCode: string, value: string, note: string) =>
    call<void>('set_indicator_value', { code, quarterCode, value, note }),
  funding: (year: string) => call<FundingView>('funding', { year }),
  setAllocation: (reference: string, year: string, amount: string) => call<void>('set_allocation', { reference, year, amount }),
  setSpend: (reference: string, quarterCode: string, amount: string) => call<void>('set_spend', { reference, quarterCode, amount }),
  setGrant: (year: string, source: string, amount: string) => call<void>('set_grant', { year, source, amount }),
  editPlan: (input: PlanInput) => call<void>('edit_plan', { input }),
  addPriority: (input: PriorityInput) => call<string>('add_priority', { input }),
  editPriority: (reference: string, input: PriorityInput) => call<void>('edit_priority', { reference, input }),
  movePriority: (reference: string, step: number) => call<void>('move_priority', { reference, step }),
  setThemeOutcome: (theme: number, outcome: string) => call<void>('set_theme_outcome', { theme, outcome }),
  savePartner: (input: PartnerInput) => call<void>('save_partner', { input }),
  setCoordinatorName: (name: string) => call<void>('set_coordinator_name', { name }),
  setProtectiveMarking: (marking: string) => call<void>('set_protective_marking', { marking }),
  backupNow: () => call<string>('backup_now'),
  backups: () => call<BackupFile[]>('backups'),
  exportDocument: (document: string, paper: string, quarterCode: string | null, year: string | null, format: 'pdf' | 'docx' = 'pdf', status = true) =>
    call<ExportResult>('export_document', { request: { document, paper, quarterCode, year, format, status } }),
  openExport: (path: string) => call<void>('open_export', { path }),
  reportSections: (year: string) => call<NarrativeSection[]>('report_sections', { year }),
  setNarrative: (year: string, section: string, body: string) => call<void>('set_narrative', { year, section, body }),
  frontSheet: (year: string) => call<FrontSheetView>('front_sheet', { year }),
  setFrontSheet: (sheet: FrontSheet) => call<void>('set_front_sheet', { sheet }),
  restoreBackup: (backup: string) => call<string>('restore_backup', { backup }),
  recoverFromBackup: (backup: string) => call<string>('recover_from_backup', { backup }),
  copyText: (text: string) => call<void>('copy_text', { text }),
  setSchedule: (quarterCode: string, returnsDue: string, papersDue: string, meeting: string, place: string) =>
    call<void>('set_schedule', { quarterCode, returnsDue, papersDue, meeting, place }),
  exportCalendar: (year: string) => call<string | null>('export_calendar', { year }),
  setReturnTo: (to: string) => call<void>('set_return_to', { to }),
  returnsStatus: (quarterCode: string) => call<PartnerReturn[]>('returns_status', { quarterCode }),
  makeReturns: (quarterCode: string, partner: string | null, returnBy: string | null, replace: boolean) =>
    call<MadeReturns | null>('make_returns', { quarterCode, partner, returnBy, replace }),
  /** The register as a workbook or CSV, or (`template`) the empty template to bring a tracker in with. */
  exportTracker: (quarterCode: string, format: 'xlsx' | 'csv' | 'template') => call<string | null>('export_tracker', { quarterCode, format }),
  /** `choose` opens the file dialog; otherwise the file chosen last is read again. */
  importActions: (choose: boolean, dryRun: boolean, allowDuplicates: boolean) => call<TrackerImport | null>('import_actions', { choose, dryRun, allowDuplicates }),
  /** `choose` opens the file dialog; otherwise the files chosen last are read again. */
  importReturns: (
    quarterCode: string,
    choose: boolean,
    c: { dryRun: boolean; skipInvalid: boolean; drafts: boolean; overwrite: boolean; rows: Record<string, RowChoice> },
  ) =>
    call<ReturnsImport | null>('import_returns', { quarterCode, choose, dryRun: c.dryRun, skipInvalid: c.skipInvalid, drafts: c.drafts, overwrite: c.overwrite, rows: c.rows }),
  /** Workbooks dropped on the window, as their names and bytes: the ones the next `importReturns` reads. */
  /** police.uk files: `choose` 'files' or 'folder' opens the dialog; '' reads the ones chosen last. */
  importPolice: (choose: '' | 'files' | 'folder', dryRun: boolean, area: string | null) =>
    call<PoliceImport | null>('import_police', { choose, dryRun, area }),
  policeProgress: () => call<{ running: boolean; done: number; total: number }>('police_progress', {}),
  cancelPolice: () => call<void>('cancel_police', {}),
  setPoliceArea: (area: string, force: string | null) => call<void>('set_police_area', { area, force }),
  /** Opens the demo copy (read-only, made-up data) or goes back to the coordinator's own store. */
  openDemo: (on: boolean) => call<string | null>('open_demo', { on }),
  dropReturns: (files: { name: string; bytes: number[] }[]) => call<number>('drop_returns', { files }),
};

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
