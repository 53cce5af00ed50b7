// Generated from the Rust structs by tests/bindings.rs. Do not edit by hand:
// UPDATE_BINDINGS=1 cargo test -p ccsp-core --test bindings

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type Rag = "red" | "amber" | "green" | "complete" | "not_started";

export type QuarterState = "open" | "signed_off" | "not_started";

export type PartnerKind = "responsible_authority" | "other";

export type Direction = "better" | "same" | "worse";

export type Lifecycle = "not_started" | "in_progress" | "complete" | "cancelled";

export type Lens = "victim" | "location" | "offender";

export type Polarity = "higher_is_better" | "lower_is_better";

export type Movement = "up" | "down" | "level";

export type Plan = { title: string, partnership: string, short_name: string, start_date: string, end_date: string, vision: string, statutory_basis: string, };

export type Partner = { short_name: string, name: string, kind: PartnerKind, position: number, };

export type OutsidePlan = { code: string, title: string, detail: string, };

export type Action = { ref: string, priority: string, title: string, description: string, lead: string, partners: Array<string>, start_date: string | null, due_date: string | null, due_quarter: string | null, success_measure: string, lifecycle: Lifecycle, cancel_reason: string | null, position: number, 
/**
 * Added by `ccsp demo`: illustrative, not part of the real plan.
 */
illustrative: boolean, created_at: string, 
/**
 * Its ref in the council's own tracker it was brought in from (`ccsp import actions`);
 * empty for an action added here. Absent in exports made before it existed.
 */
previous_ref: string, };

export type AuditEntry = { at: string, who: string, entity: string, key: string, op: string, before: JsonValue | null, after: JsonValue | null, reason: string | null, };

export type Problem = { field: string, message: string, };

export type FieldError = { field: string, message: string, };

export type ErrorCode = "invalid" | "not_found" | "refused" | "no_store" | "already_exists" | "not_a_store" | "damaged" | "too_new" | "busy" | "disk_full" | "read_only" | "medium_failed" | "io" | "store" | "internal";

export type WireError = { code: ErrorCode, message: string, 
/**
 * For "invalid": each field and its problem (empty otherwise, and then left out).
 */
fields?: Array<FieldError>, };

export type SignedOff = { 
/**
 * The backup of the record as signed off, in `backups/`.
 */
backup: string | null, 
/**
 * Why that backup could not be taken (the coordinator is shown this).
 */
backup_failed: string | null, };

export type ScheduleView = { 
/**
 * `YYYY-MM-DD`.
 */
returns_due: string, 
/**
 * Taken from the defaults, not set for this quarter.
 */
returns_due_default: boolean, 
/**
 * `YYYY-MM-DD`; none until there is a meeting to count back from (or a date is set).
 */
papers_due: string | null, papers_due_default: boolean, 
/**
 * The meeting's start, UK local (`2026-11-12T10:00:00`).
 */
meeting: string | null, place: string, 
/**
 * Days from today to each date (negative: passed).
 */
returns_due_in: number, papers_due_in: number | null, meeting_in: number | null, };

export type ScheduleDefaults = { 
/**
 * Returns are due this many days after the quarter ends.
 */
returns_after_days: number, 
/**
 * Papers are due this many working days (Monday to Friday, not a bank holiday) before the meeting.
 */
papers_working_days: number, };

export type PlanSummary = { plan: Plan, themes: Array<ThemeSummary>, partners: Array<Partner>, 
/**
 * Plans outside the partnership that priorities may be aligned to (PCC plan, One Coventry...).
 */
outside_plans: Array<OutsidePlan>, quarters: Array<QuarterSummary>, 
/**
 * The quarter the dashboard opens on: the latest ended quarter if it is not signed off,
 * else the current one (PRODUCT.md "Which quarter").
 */
reporting_quarter: string | null, 
/**
 * Ended quarters before it that were never signed off (listed, never chosen by default).
 */
not_signed_off: Array<string>, };

export type ThemeSummary = { number: number, title: string, 
/**
 * The outcome the theme works towards; empty when not set.
 */
outcome: string, delivery_groups: Array<string>, priorities: Array<PrioritySummary>, };

export type PrioritySummary = { ref: string, title: string, description: string, delivery_group: string | null, lenses: Array<Lens>, alignments: Array<string>, actions: number, };

export type QuarterSummary = { code: string, label: string, start: string, end: string, state: QuarterState, signed_off_at: string | null, signed_off_by: string | null, 
/**
 * Who chaired the meeting that signed it off, when recorded.
 */
chair: string | null, 
/**
 * Its dates: returns due, papers due, the meeting.
 */
schedule: ScheduleView, };

export type ActionRow = { ref: string, theme: number, priority: string, title: string, lead: string, partners: Array<string>, start_date: string | null, due_date: string | null, due_quarter: string | null, lifecycle: Lifecycle, illustrative: boolean, 
/**
 * Latest quarter with an update, and that update's status (None for an incomplete draft).
 */
latest_quarter: string | null, latest_rag: Rag | null, latest_draft: boolean, allocated_pence: number, };

export type UpdateSaved = { action: string, quarter: string, draft: boolean, problems: Array<Problem>, };

export type AppInfo = { path: string, backups_dir: string, 
/**
 * The coordinator's name from settings (recorded in the audit trail), if set.
 */
coordinator: string | null, 
/**
 * The protective marking the papers carry (Settings; OFFICIAL until set).
 */
marking: string, 
/**
 * Where partners send their returns back to (Settings), if set.
 */
return_to: string | null, 
/**
 * Who changes are recorded as right now.
 */
acting_as: string, today: string, current_quarter: string | null, reporting_quarter: string | null, 
/**
 * When the last backup was taken (UTC), if ever.
 */
last_backup: string | null, actions: number, 
/**
 * Set when the store is open read-only: why, as the window's banner says it.
 */
read_only: string | null, 
/**
 * The demo copy is open (read-only, illustrative data), not the coordinator's store.
 */
demo: boolean, 
/**
 * Problems the coordinator must hear about that no screen asked for (a background backup
 * that failed); filled in by the desktop shell.
 */
problems: Array<string>, 
/**
 * Where the desktop app writes its log file for support (filled in by the shell).
 */
log_file: string | null, 
/**
 * The app's version (the workspace's, as `ccsp --version` says it).
 */
version: string, 
/**
 * The product's name and publisher, from the app's configuration (filled in by the shell).
 */
product: string, publisher: string, 
/**
 * The area and force police.uk rows are counted for.
 */
police_area: string, police_force: string, };

export type RagCounts = { red: number, amber: number, green: number, complete: number, not_started: number, 
/**
 * Updates saved as incomplete drafts (a rule is broken).
 */
incomplete: number, 
/**
 * Actions expected to report that have no update at all.
 */
no_return: number, };

export type ThemeCounts = { number: number, title: string, now: RagCounts, previous: RagCounts, };

export type QuarterCounts = { quarter: string, label: string, counts: RagCounts, };

export type ThemeTrend = { number: number, title: string, trend: Array<QuarterCounts>, };

export type ActionBrief = { ref: string, title: string, lead: string, due: string | null, };

export type OffTrack = { ref: string, title: string, lead: string, rag: Rag, previous: Rag | null, commentary: string, next_steps: string, 
/**
 * The coordinator's review of it before the pack is final: who, and their note.
 */
reviewed_by: string | null, review_note: string, };

export type PartnerChase = { lead: string, lead_name: string, actions: Array<ActionBrief>, };

export type Dashboard = { quarter: QuarterSummary, previous: string | null, themes: Array<ThemeCounts>, total_now: RagCounts, total_previous: RagCounts, 
/**
 * Complete updates this quarter, of the actions expected to report.
 */
updated: number, expected: number, 
/**
 * Past their due date (or due quarter) and neither complete nor cancelled.
 */
overdue: Array<ActionBrief>, 
/**
 * Expected to report this quarter with no complete update yet, by lead partner.
 */
missing_by_lead: Array<PartnerChase>, 
/**
 * Red first, then Amber, in ref order.
 */
off_track: Array<OffTrack>, 
/**
 * The whole plan's status in every quarter from the plan's first up to this one (each
 * counted over the actions expected to report then): the dashboard's trend chart. Filled
 * by `Store::dashboard`; empty from `dashboard_over`.
 */
trend: Array<QuarterCounts>, 
/**
 * The same per theme, in the plan's theme order (filled and empty as `trend`).
 */
theme_trend: Array<ThemeTrend>, };

export type UpdateCell = { rag: Rag | null, commentary: string, next_steps: string, draft: boolean, 
/**
 * For an incomplete draft, the rules it breaks (from the same rules the core applies).
 */
problems: Array<Problem>, reported_by: string, reported_at: string, };

export type SheetRow = { ref: string, theme: number, priority: string, title: string, lead: string, lifecycle: Lifecycle, previous: UpdateCell | null, current: UpdateCell | null, 
/**
 * It owes a return for the quarter (the one rule); a row that does not is here because
 * an update was recorded anyway.
 */
owes: boolean, };

export type UpdateSheet = { quarter: QuarterSummary, previous: string | null, 
/**
 * Open and started: entries are accepted.
 */
editable: boolean, rows: Array<SheetRow>, updated: number, expected: number, };

export type IndicatorPoint = { quarter: string, label: string, value: number, note: string, };

export type IndicatorRow = { code: string, name: string, theme: number | null, unit: string, polarity: Polarity, baseline_value: number | null, baseline_period: string, target_value: number | null, source: string, context_only: boolean, values: Array<IndicatorPoint>, 
/**
 * The value for the chosen quarter and the quarter before it.
 */
latest: number | null, previous: number | null, movement: Movement | null, direction: Direction | null, rag: Rag | null, 
/**
 * Fed by police.uk figures (`indicators import-police`).
 */
police: boolean, 
/**
 * Fed by police.uk and the chosen quarter lacks a month: partial, no value yet.
 */
partial: boolean, };

export type IndicatorsView = { quarter: QuarterSummary, editable: boolean, indicators: Array<IndicatorRow>, };

export type FundingRow = { ref: string, title: string, lead: string, allocated_pence: number, 
/**
 * Spend per quarter of the year, Q1 to Q4 (None where nothing is recorded).
 */
spend_pence: Array<number | null>, spent_pence: number, };

export type FundingView = { year: string, year_label: string, quarters: Array<QuarterSummary>, grant_pence: number | null, grant_source: string, allocated_pence: number, spent_pence: number, 
/**
 * Grant less allocations (negative when over-allocated, which is allowed but flagged).
 */
unallocated_pence: number | null, over_allocated: boolean, rows: Array<FundingRow>, years: Array<string>, };

export type BackupFile = { path: string, name: string, 
/**
 * Why it was taken: "daily", "manual", "before-import", "before-restore",
 * "before-migration", "signed-off-2025-26-Q2"...
 */
kind: string, 
/**
 * When, from the file name (UTC, ISO 8601).
 */
taken_at: string, bytes: number, };

export type ExportResult = { 
/**
 * Where the file was written; None when the coordinator cancelled the save dialog.
 */
path: string | null, pages: number, 
/**
 * Anything the reader should know: content left out, characters the fonts lack.
 */
warnings: Array<string>, };

export type NarrativeSection = { key: string, heading: string, 
/**
 * Empty when nothing is written (the report then uses a generated draft).
 */
body: string, updated_by: string | null, updated_at: string | null, };

export type FrontSheet = { year: string, title: string, key_decision: boolean, scrutiny: string, other_bodies: string, council: string, author_role: string, service_area: string, contact: string, };

export type FrontSheetView = { sheet: FrontSheet, stored: boolean, };

export type ActionInput = { priority: string, title: string, description: string, lead: string, partners: Array<string>, start_date: string, due_date: string, due_quarter: string, success_measure: string, 
/**
 * Pounds and pence allocated for `funding_year` (blank for none).
 */
funding: string, funding_year: string, };

export type PlanInput = { title: string, partnership: string, vision: string, statutory_basis: string, };

export type PriorityInput = { theme: number, title: string, description: string, 
/**
 * Blank for none; a new name creates the delivery group.
 */
delivery_group: string, lenses: Array<Lens>, 
/**
 * Codes of outside plans (see the plan's outside plans).
 */
alignments: Array<string>, };

export type PartnerInput = { short_name: string, name: string, kind: PartnerKind, };

export type IndicatorInput = { code: string, name: string, 
/**
 * The theme's number, or blank for an indicator of the whole plan.
 */
theme: string, unit: string, 
/**
 * "higher_is_better" or "lower_is_better".
 */
polarity: string, baseline_value: string, baseline_period: string, 
/**
 * Blank for a context-only indicator (no target).
 */
target_value: string, source: string, };

export type PartnerReturn = { partner: string, name: string, 
/**
 * Actions the partner leads that owe a return.
 */
owed: number, 
/**
 * Of those, how many have no complete update yet.
 */
outstanding: number, 
/**
 * When the latest workbook was made (UTC, ISO 8601).
 */
made_at: string | null, 
/**
 * When the latest return was imported, and its file.
 */
returned_at: string | null, returned_file: string | null, 
/**
 * Rows applied from every return imported for the quarter.
 */
rows_applied: number, };

export type MadeReturn = { partner: string, partner_name: string, path: string, file_name: string, rows: number, 
/**
 * A ready-to-send email: its subject, and its body.
 */
subject: string, message: string, };

export type MadeReturns = { folder: string, quarter: string, 
/**
 * "Friday 9 January 2027".
 */
return_by: string, files: Array<MadeReturn>, 
/**
 * The workbooks are written, but the store could not note it (read-only media): the
 * Returns screen then lacks the "made" date. Said, not failed.
 */
log_failed: string | null, };

export type RowOutcome = "new" | "changed" | "unchanged" | "not_filled_in" | "draft" | "invalid" | "skipped" | "conflict";

export type RowChoice = "skip" | "draft" | "overwrite";

export type ReturnValues = { rag: Rag | null, commentary: string, next_steps: string, reported_by: string, };

export type ReturnRowPreview = { file: string, partner: string, reference: string, title: string, 
/**
 * The cell the outcome is about: the problem's cell, else the status cell (`Return!G8`).
 */
cell: string, outcome: RowOutcome, 
/**
 * What the store holds now.
 */
before: ReturnValues | null, 
/**
 * What the return says.
 */
after: ReturnValues | null, problem: string | null, 
/**
 * The RAG rules are broken, and nothing else is wrong (`--drafts` keeps it as a draft).
 */
rule_breaking: boolean, 
/**
 * The store's update changed since the workbook was made (`--overwrite` takes the
 * partner's version; left out, the store's stays), whatever was chosen.
 */
conflict: boolean, 
/**
 * A conflict resolved by taking the partner's version (`--overwrite`).
 */
overwrites: boolean, };

export type ReturnFileProblem = { file: string, 
/**
 * `ccsp!B8`, `Return!C3`, when the problem has a cell.
 */
cell: string | null, problem: string, 
/**
 * Refused by the record's state (a signed-off quarter): exit 3, never skipped.
 */
refused: boolean, };

export type ReturnFilePreview = { file: string, partner: string, 
/**
 * When the workbook was made (UTC, ISO 8601).
 */
made_at: string, rows: number, };

export type ReturnsImport = { quarter: string, files: Array<ReturnFilePreview>, rows: Array<ReturnRowPreview>, problems: Array<ReturnFileProblem>, 
/**
 * Files set aside by `--skip-invalid`, with their problems.
 */
left_out: Array<ReturnFileProblem>, dry_run: boolean, applied: boolean, 
/**
 * The backup taken before applying.
 */
backup: string | null, };

export type TrackerRow = { 
/**
 * The row in the file (from 1), as the spreadsheet shows it.
 */
row: number, priority: string, title: string, lead: string, previous_ref: string, 
/**
 * The ref it was given, once applied.
 */
new_ref: string | null, };

export type TrackerImport = { file: string, rows: Array<TrackerRow>, 
/**
 * Every problem, with its cell (`Actions!C5`, or `line 5, Lead` in a .csv).
 */
problems: Array<FieldError>, 
/**
 * Rows that repeat an action already in the plan or in the file (same priority and title).
 */
duplicates: Array<FieldError>, applied: boolean, backup: string | null, };

export type FileRead = { file: string, archive: string, months: Array<string>, rows: number, kept: number, 
/**
 * Rows whose `Falls within` is another force.
 */
other_force: number, 
/**
 * Rows with no LSOA (no location).
 */
no_lsoa: number, 
/**
 * Rows of the force outside the area.
 */
other_area: number, };

export type FileSkipped = { file: string, archive: string, why: string, };

export type MonthOutcome = "new" | "replaced" | "unchanged" | "held" | "outside_plan";

export type PoliceMonthRow = { month: string, quarter: string, file: string, archive: string, outcome: MonthOutcome, 
/**
 * Rows kept for the area, all crime types.
 */
total: number, 
/**
 * What the store held before, if anything.
 */
before: number | null, };

export type PoliceValue = { quarter: string, 
/**
 * Months of the quarter held (3: complete).
 */
months: number, 
/**
 * The quarter's count, once complete.
 */
value: number | null, changed: boolean, };

export type PoliceIndicatorRow = { code: string, name: string, crime_type: string, created: boolean, 
/**
 * Its own indicator, left unlinked when the coordinator moved the crime type's link
 * elsewhere, fed by it again.
 */
relinked: boolean, values: Array<PoliceValue>, };

export type PoliceImport = { area: string, force: string, files: Array<FileRead>, skipped: Array<FileSkipped>, months: Array<PoliceMonthRow>, indicators: Array<PoliceIndicatorRow>, dry_run: boolean, applied: boolean, backup: string | null, };

// The status scale, quarter states and lifecycle words, from the core (domain/status.rs).

export const RAG = { red: "red", amber: "amber", green: "green", complete: "complete", not_started: "not_started" } as const satisfies Record<Rag, Rag>;

export const QUARTER_STATE = { open: "open", signed_off: "signed_off", not_started: "not_started" } as const satisfies Record<QuarterState, QuarterState>;

export const LIFECYCLE = { not_started: "not_started", in_progress: "in_progress", complete: "complete", cancelled: "cancelled" } as const satisfies Record<Lifecycle, Lifecycle>;

/** Each status in order: its word, key letter, shape, colours (text, background) and meaning. */
export const STATUS_SCALE: ReadonlyArray<{ rag: Rag; label: string; letter: string; shape: string; fg: string; bg: string; meaning: string; rank: number | null }> = [
  { rag: "red", label: "Red", letter: "R", shape: "▲", fg: "#942514", bg: "#f6d7d2", meaning: "Off track or significant issue; needs a partnership decision or escalation", rank: 0 },
  { rag: "amber", label: "Amber", letter: "A", shape: "◆", fg: "#5e3d00", bg: "#ffe9a8", meaning: "Some slippage or risk, being managed within the partnership", rank: 1 },
  { rag: "green", label: "Green", letter: "G", shape: "●", fg: "#005a30", bg: "#cce2d8", meaning: "On track", rank: 2 },
  { rag: "complete", label: "Complete", letter: "C", shape: "✓", fg: "#144e81", bg: "#d2e2f1", meaning: "Delivered", rank: 3 },
  { rag: "not_started", label: "Not started", letter: "N", shape: "○", fg: "#383f43", bg: "#eeefef", meaning: "Not yet due to start", rank: null },
];

export const QUARTER_STATE_LABEL: Record<QuarterState, string> = { open: "open", signed_off: "signed off", not_started: "not started" };

export const LIFECYCLE_LABEL: Record<Lifecycle, string> = { not_started: "Not started", in_progress: "In progress", complete: "Complete", cancelled: "Cancelled" };

export const PARTNER_KIND = { responsible_authority: "responsible_authority", other: "other" } as const satisfies Record<PartnerKind, PartnerKind>;

export const PARTNER_KIND_LABEL: Record<PartnerKind, string> = { responsible_authority: "Responsible authority", other: "Other partner" };

