//! The Tauri shell only: opens (or on first start creates) the store, and exposes commands
//! that are thin adapters over ccsp-core — the same functions the `ccsp` CLI calls. Errors
//! cross the boundary as `{code, message}` (plus `fields` for a form's problems).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ccsp_core::domain::{AuditEntry, FinancialYear, Pence, Quarter, Rag};
use ccsp_core::export::ExportResult;
use ccsp_core::interchange::return_import::{Choices, ReturnsImport, RowChoice};
use ccsp_core::interchange::workbook::Source;
use ccsp_core::store::{
    ActionInput, ActionRow, AppInfo, AuditFilter, BackupFile, Dashboard, FundingView, IndicatorsView, PartnerInput, PlanInput, PlanSummary, PriorityInput,
    SetUpdate, UpdateMode, UpdateSaved, UpdateSheet,
};
use ccsp_core::{paths, CoreError, Ctx, Store, WireError};

/// The open store, or why it could not be opened (shown to the coordinator, who may then
/// restore a backup in its place), and where it lives.
pub struct AppState {
    store: Mutex<Result<Store, WireError>>,
    path: Option<PathBuf>,
    /// Files this window exported: the only ones it may ask to open.
    exported: Mutex<ccsp_core::export::Exported>,
    /// Failures of background jobs (the daily backup), shown in the window's banner.
    problems: std::sync::Arc<Mutex<Vec<String>>>,
    /// The log file for support, once the log plugin has said where it is.
    log_file: Mutex<Option<PathBuf>>,
    /// The returned workbooks last chosen in the native dialog or dropped on the window: the
    /// only files a returns import reads (the window never names a path itself; a dropped file
    /// arrives as its name and bytes).
    chosen_returns: Mutex<Vec<Source>>,
    /// The tracker last chosen to bring actions in from (as `chosen_returns`).
    chosen_tracker: Mutex<Option<PathBuf>>,
    /// The demo copy, while the coordinator looks around it (first run): every screen reads
    /// it instead of the store, which stays as it was; backups are always the store's own.
    demo: Mutex<Option<Store>>,
    /// The police.uk files or folders last chosen (as `chosen_returns`).
    chosen_police: Mutex<Vec<PathBuf>>,
    /// The police.uk import under way: how far it is, and whether it was asked to stop.
    police: PoliceJob,
}

/// How far a police.uk import is (bytes read of the total), polled by the window, and its
/// cancel switch.
#[derive(Default)]
pub struct PoliceJob {
    running: std::sync::atomic::AtomicBool,
    done: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
    cancel: std::sync::atomic::AtomicBool,
}

/// What the window shows while a police.uk import runs.
#[derive(serde::Serialize)]
pub struct PoliceProgress {
    running: bool,
    done: u64,
    total: u64,
}

/// Opens the default store; on first start (no file yet) creates it seeded with the Coventry
/// plan. A foreign or damaged file is reported, never overwritten. Once a day, a backup is
/// taken in the background (a second connection: the window is not held up).
pub fn open_default_store() -> AppState {
    let path = paths::default_store_path();
    let store = path.as_ref().map_err(|e| e.to_wire()).and_then(|path| {
        let opened = match ccsp_core::store::identify(path).map_err(|e| e.to_wire())? {
            ccsp_core::store::FileKind::Missing => ccsp_core::init_store(path),
            _ => Store::open_checked(path),
        };
        opened.map_err(|e| e.to_wire())
    });
    match (&store, &path) {
        (Ok(s), Ok(p)) => {
            log::info!(
                "store {} opened (store version {}){}",
                p.display(),
                ccsp_core::store::migrations::latest_version(),
                match s.read_only() {
                    Some(r) => format!(", read-only: {r:?}"),
                    None => String::new(),
                }
            );
        }
        (Err(e), _) => log::error!("the store could not be opened: {} ({:?})", e.message, e.code),
        (Ok(_), Err(_)) => {}
    }
    let problems = std::sync::Arc::new(Mutex::new(Vec::new()));
    if let (Ok(_), Ok(p)) = (&store, &path) {
        daily_backup_in_background(p.clone(), problems.clone());
    }
    AppState {
        store: Mutex::new(store),
        // A path that could not be found is already the store's error (shown on the recovery
        // screen); the Settings and backup commands then say the data folder is unknown.
        path: path.ok(),
        exported: Mutex::new(Default::default()),
        problems,
        log_file: Mutex::new(None),
        chosen_returns: Mutex::new(Vec::new()),
        chosen_tracker: Mutex::new(None),
        demo: Mutex::new(None),
        chosen_police: Mutex::new(Vec::new()),
        police: PoliceJob::default(),
    }
}

/// The once-a-day backup, on a second connection so the window is not held up. A failure is
/// logged and shown in the window's banner; on a read-only store it is skipped, said once in
/// the log (the banner already says the store is read-only).
fn daily_backup_in_background(path: PathBuf, problems: std::sync::Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        use ccsp_core::store::DailyBackup;
        match Store::open(&path).and_then(|s| s.backup_if_due(paths::today()?)) {
            Ok(DailyBackup::Taken(p)) => log::info!("daily backup taken: {}", p.display()),
            Ok(DailyBackup::NotDue) => {}
            Ok(DailyBackup::Skipped(reason)) => log::info!("daily backup skipped: the store is open read-only ({reason:?})"),
            Err(e) => {
                let said = format!("Today's automatic backup could not be taken: {e}");
                log::error!("{said}");
                match problems.lock() {
                    Ok(mut list) => list.push(said),
                    // Only a panic while holding this lock poisons it; the log has the failure.
                    Err(_) => log::error!("the problem list is unavailable"),
                }
            }
        }
    });
}

fn internal(message: &str) -> WireError {
    log::error!("{message}");
    WireError::internal(message)
}

/// Faults of the disk, the medium or the store go to the support log (their messages name
/// paths and causes, never what the coordinator typed); a form's own errors do not.
fn logged(e: CoreError) -> WireError {
    use ccsp_core::ErrorCode as C;
    let wire = e.to_wire();
    if matches!(wire.code, C::DiskFull | C::ReadOnly | C::MediumFailed | C::Io | C::Store | C::Damaged | C::Busy | C::Internal) {
        log::warn!("{:?}: {}", wire.code, wire.message);
    }
    wire
}

type Reply<T> = Result<T, WireError>;

/// The store the window shows: the demo copy while it is open, else the coordinator's own.
fn with_store<T>(state: &AppState, f: impl FnOnce(&mut Store) -> Result<T, CoreError>) -> Reply<T> {
    let mut demo = state.demo.lock().map_err(|_| internal("the demo copy is unavailable; restart the app"))?;
    if let Some(store) = demo.as_mut() {
        return f(store).map_err(logged);
    }
    drop(demo);
    with_own_store(state, f)
}

/// The coordinator's own store, even while the demo copy is shown (backups are its own).
fn with_own_store<T>(state: &AppState, f: impl FnOnce(&mut Store) -> Result<T, CoreError>) -> Reply<T> {
    let mut guard = state.store.lock().map_err(|_| internal("the store is unavailable; restart the app"))?;
    let store = guard.as_mut().map_err(|e| e.clone())?;
    f(store).map_err(logged)
}

fn store_path(state: &AppState) -> Reply<&Path> {
    state.path.as_deref().ok_or_else(|| internal("this computer's data folder could not be found"))
}

/// A write: who and when come from the store's settings and the clock, as for the CLI.
fn with_ctx<T>(state: &AppState, f: impl FnOnce(&mut Store, &Ctx) -> Result<T, CoreError>) -> Reply<T> {
    with_store(state, |s| {
        let ctx = Ctx::new(paths::resolve_actor(None, s.setting("coordinator_name")?), paths::today()?);
        f(s, &ctx)
    })
}

fn quarter(text: &str) -> Result<Quarter, CoreError> {
    Quarter::parse(text)
}

type St<'a> = tauri::State<'a, AppState>;

#[tauri::command]
fn app_info(app: tauri::AppHandle, state: St<'_>) -> Reply<AppInfo> {
    let mut info = with_store(&state, |s| {
        // The window asks again when it regains focus: a store that was read-only (full disk,
        // write-protected stick) becomes editable as soon as writing works.
        if s.read_only().is_some() && s.try_writable() {
            log::info!("the store can be written again");
        }
        s.app_info(paths::today()?)
    })?;
    info.problems = state.problems.lock().map_err(|_| internal("the problem list is unavailable"))?.clone();
    info.log_file = state.log_file.lock().map_err(|_| internal("the log file's name is unavailable"))?.as_ref().map(|p| p.display().to_string());
    // The product's identity has one home, tauri.conf.json (the installers read it too).
    info.product = app.package_info().name.clone();
    info.publisher = app.config().bundle.publisher.clone().unwrap_or_default(); // none configured: Settings leaves it out
    Ok(info)
}

#[tauri::command]
fn plan_summary(state: St<'_>) -> Reply<PlanSummary> {
    with_store(&state, |s| s.plan_summary(paths::today()?))
}

#[tauri::command]
fn dashboard(state: St<'_>, quarter_code: String) -> Reply<Dashboard> {
    with_store(&state, |s| s.dashboard(quarter(&quarter_code)?, paths::today()?))
}

#[tauri::command]
fn list_actions(state: St<'_>) -> Reply<Vec<ActionRow>> {
    with_store(&state, |s| s.list_actions())
}

#[tauri::command]
fn get_action(state: St<'_>, reference: String) -> Reply<ccsp_core::domain::Action> {
    with_store(&state, |s| s.action(&reference))
}

#[tauri::command]
fn add_action(state: St<'_>, input: ActionInput) -> Reply<String> {
    with_ctx(&state, |s, ctx| s.add_action(ctx, &input.parse(ctx.today)?))
}

#[tauri::command]
fn edit_action(state: St<'_>, reference: String, input: ActionInput) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.edit_action(ctx, &reference, &input.parse(ctx.today)?))
}

#[tauri::command]
fn cancel_action(state: St<'_>, reference: String, reason: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.cancel_action(ctx, &reference, &reason))
}

#[tauri::command]
fn delete_action(state: St<'_>, reference: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.delete_action(ctx, &reference))
}

#[tauri::command]
fn update_sheet(state: St<'_>, quarter_code: String) -> Reply<UpdateSheet> {
    with_store(&state, |s| s.update_sheet(quarter(&quarter_code)?, paths::today()?))
}

/// Saves an update as typed: a rule-breaking one is kept as an incomplete draft.
#[tauri::command]
fn save_update(state: St<'_>, reference: String, quarter_code: String, rag: Option<Rag>, commentary: String, next_steps: String) -> Reply<UpdateSaved> {
    with_ctx(&state, |s, ctx| {
        let input = SetUpdate { action: reference, quarter: Some(quarter(&quarter_code)?), rag, commentary, next_steps, reported_by: None };
        s.set_update(ctx, &input, UpdateMode::Draft)
    })
}

/// Signs a quarter off; a failed sign-off backup comes back for the window to show.
#[tauri::command]
fn sign_off(state: St<'_>, quarter_code: String, confirm_missing: bool, chair: String) -> Reply<ccsp_core::store::SignedOff> {
    with_ctx(&state, |s, ctx| s.sign_off_chaired(ctx, quarter(&quarter_code)?, confirm_missing, &chair))
}

/// The coordinator marks a Red or Amber update reviewed (with an optional note); audited.
#[tauri::command]
fn review_update(state: St<'_>, quarter_code: String, reference: String, note: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.review(ctx, quarter(&quarter_code)?, &reference, &note))
}

/// Sets a quarter's dates from the Sign-off screen: an empty field clears that date (it then
/// takes its default); the meeting is UK local time (`2026-11-12T10:00`).
#[tauri::command]
fn set_schedule(state: St<'_>, quarter_code: String, returns_due: String, papers_due: String, meeting: String, place: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| {
        let change = ccsp_core::store::ScheduleChange::from_form(&returns_due, &papers_due, &meeting, &place)?;
        s.set_schedule(ctx, quarter(&quarter_code)?, &change).map(drop)
    })
}

#[tauri::command]
fn reopen(state: St<'_>, quarter_code: String, reason: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.reopen(ctx, quarter(&quarter_code)?, &reason))
}

#[tauri::command]
fn audit_trail(state: St<'_>, entity: Option<String>, key_prefix: Option<String>, who: Option<String>, limit: Option<usize>) -> Reply<Vec<AuditEntry>> {
    with_store(&state, |s| s.audit(&AuditFilter { entity, key_prefix, who, limit }))
}

#[tauri::command]
fn indicators(state: St<'_>, quarter_code: String) -> Reply<IndicatorsView> {
    with_store(&state, |s| s.indicators_view(quarter(&quarter_code)?, paths::today()?))
}

#[tauri::command]
fn set_indicator_value(state: St<'_>, code: String, quarter_code: String, value: String, note: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| {
        let v = ccsp_core::store::parse_number("value", &value)?;
        s.set_indicator_value(ctx, &code, quarter(&quarter_code)?, v, &note)
    })
}

/// Adds an indicator to the plan from the form; every wrong field is named.
#[tauri::command]
fn add_indicator(state: St<'_>, input: ccsp_core::store::IndicatorInput) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.add_indicator(ctx, &input.parse()?))
}

/// Removes an indicator that has no values (one added by mistake); audited.
#[tauri::command]
fn delete_indicator(state: St<'_>, code: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.delete_indicator(ctx, &code))
}

/// Changes an indicator's details from the form (its code stays); audited.
#[tauri::command]
fn edit_indicator(state: St<'_>, code: String, input: ccsp_core::store::IndicatorInput) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.edit_indicator(ctx, &code, &input.parse()?))
}

#[tauri::command]
fn funding(state: St<'_>, year: String) -> Reply<FundingView> {
    with_store(&state, |s| s.funding_view(FinancialYear::parse(&year)?, paths::today()?))
}

#[tauri::command]
fn set_allocation(state: St<'_>, reference: String, year: String, amount: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_allocation(ctx, &reference, FinancialYear::parse(&year)?, Pence::parse_pounds("amount", &amount)?))
}

#[tauri::command]
fn set_spend(state: St<'_>, reference: String, quarter_code: String, amount: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_spend(ctx, &reference, quarter(&quarter_code)?, Pence::parse_pounds("amount", &amount)?))
}

#[tauri::command]
fn set_grant(state: St<'_>, year: String, source: String, amount: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_grant(ctx, FinancialYear::parse(&year)?, &source, Pence::parse_pounds("amount", &amount)?))
}

#[tauri::command]
fn edit_plan(state: St<'_>, input: PlanInput) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.edit_plan(ctx, &input))
}

#[tauri::command]
fn add_priority(state: St<'_>, input: PriorityInput) -> Reply<String> {
    with_ctx(&state, |s, ctx| s.add_priority(ctx, &input))
}

#[tauri::command]
fn edit_priority(state: St<'_>, reference: String, input: PriorityInput) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.edit_priority(ctx, &reference, &input))
}

/// Sets a theme's outcome line (empty clears it), shown on the Plan on a Page; audited.
#[tauri::command]
fn set_theme_outcome(state: St<'_>, theme: u32, outcome: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_theme_outcome(ctx, theme, &outcome))
}

#[tauri::command]
fn move_priority(state: St<'_>, reference: String, step: i32) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.move_priority(ctx, &reference, step))
}

#[tauri::command]
fn save_partner(state: St<'_>, input: PartnerInput) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.save_partner(ctx, &input))
}

#[tauri::command]
fn set_coordinator_name(state: St<'_>, name: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_coordinator_name(ctx, &name))
}

/// Sets the protective marking every paper carries; audited.
#[tauri::command]
fn set_protective_marking(state: St<'_>, marking: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_protective_marking(ctx, &marking))
}

/// Sets where partners send their returns back to, named in every workbook; audited.
#[tauri::command]
fn set_return_to(state: St<'_>, to: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_return_to(ctx, &to))
}

/// Who has returned for a quarter, per lead partner.
#[tauri::command]
fn returns_status(state: St<'_>, quarter_code: String) -> Reply<Vec<ccsp_core::store::PartnerReturn>> {
    with_store(&state, |s| s.returns_status(quarter(&quarter_code)?, paths::today()?))
}

/// Makes the partners' workbooks for a quarter (all, or one partner's) into a folder chosen
/// in the native dialog (`CCSP_EXPORT_DIR` in the end-to-end tests); None if cancelled. The
/// folder may then be opened (`open_export`).
#[tauri::command]
async fn make_returns(
    app: tauri::AppHandle,
    state: St<'_>,
    quarter_code: String,
    partner: Option<String>,
    return_by: Option<String>,
    replace: bool,
) -> Reply<Option<ccsp_core::interchange::returns::MadeReturns>> {
    let q = quarter(&quarter_code).map_err(logged)?;
    let return_by = return_by.filter(|d| !d.trim().is_empty()).map(|d| ccsp_core::domain::parse_date("return-by", &d)).transpose().map_err(logged)?;
    let folder: Option<PathBuf> = match std::env::var_os("CCSP_EXPORT_DIR") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            use tauri_plugin_dialog::DialogExt;
            match app.dialog().file().set_title("Choose the folder for the partners' workbooks").blocking_pick_folder() {
                None => None,
                Some(p) => Some(p.into_path().map_err(|e| internal(&format!("the chosen folder is not on this computer: {e}")))?),
            }
        }
    };
    let Some(folder) = folder else { return Ok(None) };
    let made = with_store(&state, |s| {
        ccsp_core::interchange::returns::make_into(s, &folder, q, paths::today()?, partner.as_deref().filter(|p| !p.is_empty()), return_by, replace)
    })?;
    state.exported.lock().map_err(|_| internal("the list of exported files is unavailable"))?.record(&folder);
    Ok(Some(made))
}

/// Merges partners' returned workbooks. `choose` asks for the files in the native dialog
/// (`CCSP_IMPORT_FILES`, a path list, in the end-to-end tests) and keeps them; otherwise the
/// files chosen last are read again (the preview, then applying with the coordinator's
/// choices). None if the dialog was cancelled.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
async fn import_returns(
    app: tauri::AppHandle,
    state: St<'_>,
    quarter_code: String,
    choose: bool,
    dry_run: bool,
    skip_invalid: bool,
    drafts: bool,
    overwrite: bool,
    rows: RowChoices,
) -> Reply<Option<ReturnsImport>> {
    let q = quarter(&quarter_code).map_err(logged)?;
    if choose {
        let files = chosen_paths("CCSP_IMPORT_FILES", || {
            use tauri_plugin_dialog::DialogExt;
            app.dialog().file().set_title("Choose the returned workbooks").add_filter("Excel workbook", &["xlsx"]).blocking_pick_files()
        })?;
        let Some(files) = files else { return Ok(None) };
        *state.chosen_returns.lock().map_err(|_| internal("the chosen files are unavailable"))? = files.into_iter().map(Source::Path).collect();
    }
    let files = state.chosen_returns.lock().map_err(|_| internal("the chosen files are unavailable"))?.clone();
    if files.is_empty() {
        return Err(CoreError::invalid("files", "choose the returned workbooks first").to_wire());
    }
    let choices = Choices { dry_run, skip_invalid, drafts, overwrite, rows };
    with_ctx(&state, |s, ctx| ccsp_core::interchange::return_import::import(s, ctx, &files, q, choices)).map(Some)
}

/// The coordinator's choices for single rows of the preview, by ref.
type RowChoices = std::collections::BTreeMap<String, RowChoice>;

/// Reads police.uk files: `choose` "files" or "folder" asks for them in the native dialog
/// (`CCSP_IMPORT_POLICE` in the end-to-end tests: paths separated as PATH is), "" reads the
/// ones chosen last (the preview, then applying). Progress is polled with `police_progress`;
/// `cancel_police` stops it with nothing applied. None if the dialog was cancelled.
#[tauri::command]
async fn import_police(
    app: tauri::AppHandle,
    state: St<'_>,
    choose: String,
    dry_run: bool,
    area: Option<String>,
) -> Reply<Option<ccsp_core::store::police::PoliceImport>> {
    use std::sync::atomic::Ordering::Relaxed;
    if !choose.is_empty() {
        let chosen = chosen_paths("CCSP_IMPORT_POLICE", || {
            use tauri_plugin_dialog::DialogExt;
            let dialog = app.dialog().file().set_title("Choose the police.uk files");
            if choose == "folder" {
                dialog.blocking_pick_folder().map(|p| vec![p])
            } else {
                dialog.add_filter("police.uk CSV or monthly zip", &["csv", "zip"]).blocking_pick_files()
            }
        })?;
        let Some(chosen) = chosen else { return Ok(None) };
        *state.chosen_police.lock().map_err(|_| internal("the chosen files are unavailable"))? = chosen;
    }
    let paths = state.chosen_police.lock().map_err(|_| internal("the chosen files are unavailable"))?.clone();
    if paths.is_empty() {
        return Err(CoreError::invalid("files", "choose the police.uk files first").to_wire());
    }
    let job = &state.police;
    if job.running.swap(true, Relaxed) {
        return Err(CoreError::Refused("a police.uk import is already running".into()).to_wire());
    }
    job.cancel.store(false, Relaxed);
    job.done.store(0, Relaxed);
    job.total.store(0, Relaxed);
    let opts = ccsp_core::store::police::PoliceOptions { area, lsoa_codes: Default::default(), dry_run };
    let result = with_ctx(&state, |s, ctx| {
        s.import_police(ctx, &paths, &opts, &mut |done, total| {
            job.done.store(done, Relaxed);
            job.total.store(total, Relaxed);
            !job.cancel.load(Relaxed)
        })
    });
    job.running.store(false, Relaxed);
    result.map(Some)
}

/// How far the police.uk import is.
#[tauri::command]
fn police_progress(state: St<'_>) -> PoliceProgress {
    use std::sync::atomic::Ordering::Relaxed;
    let job = &state.police;
    PoliceProgress { running: job.running.load(Relaxed), done: job.done.load(Relaxed), total: job.total.load(Relaxed) }
}

/// Stops the police.uk import under way: nothing of it is applied.
#[tauri::command]
fn cancel_police(state: St<'_>) {
    state.police.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// The plan's area for police.uk rows (LSOA names begin with it) and, when given, its force
/// (as police.uk's "Falls within" column names it).
#[tauri::command]
async fn set_police_area(state: St<'_>, area: String, force: Option<String>) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_police_area(ctx, &area, force.as_deref()))
}

/// Opens the demo copy (`on`: a fresh one, made beside the store in a folder of its own, read
/// only) or goes back to the coordinator's own store. Returns where the demo copy is.
#[tauri::command]
async fn open_demo(state: St<'_>, on: bool) -> Reply<Option<String>> {
    let mut demo = state.demo.lock().map_err(|_| internal("the demo copy is unavailable; restart the app"))?;
    if !on {
        *demo = None;
        log::info!("back to the store from the demo copy");
        return Ok(None);
    }
    let path = ccsp_core::demo::demo_copy_path(store_path(&state)?);
    *demo = None;
    let copy = ccsp_core::demo::open_demo_copy(&path, paths::today().map_err(logged)?).map_err(logged)?;
    log::info!("demo copy opened: {}", path.display());
    *demo = Some(copy);
    Ok(Some(path.display().to_string()))
}

/// The files chosen in a native open dialog (`pick`), or, when the environment variable
/// `bypass` is set (the end-to-end tests), the paths it lists; None if the dialog was cancelled.
fn chosen_paths(bypass: &str, pick: impl FnOnce() -> Option<Vec<tauri_plugin_dialog::FilePath>>) -> Reply<Option<Vec<PathBuf>>> {
    if let Some(list) = std::env::var_os(bypass) {
        return Ok(Some(std::env::split_paths(&list).collect()));
    }
    let Some(picked) = pick() else { return Ok(None) };
    picked.into_iter().map(|p| p.into_path().map_err(|e| internal(&format!("a chosen file is not on this computer: {e}")))).collect::<Result<_, _>>().map(Some)
}

/// A workbook dropped on the window: its name and bytes (the window cannot name a path).
#[derive(serde::Deserialize)]
pub struct DroppedFile {
    name: String,
    bytes: Vec<u8>,
}

/// The most files one drop may bring (a quarter's returns are one per lead partner).
const MAX_DROPPED: usize = 100;

/// Takes workbooks dropped on the Partner returns screen as the ones to read next (then
/// `import_returns` with `choose` false previews them). Each is bounded when read.
#[tauri::command]
async fn drop_returns(state: St<'_>, files: Vec<DroppedFile>) -> Reply<usize> {
    if files.is_empty() {
        return Err(CoreError::invalid("files", "nothing was dropped: drop the returned workbooks (.xlsx) on the screen").to_wire());
    }
    if files.len() > MAX_DROPPED {
        return Err(CoreError::invalid("files", format!("{} files were dropped; at most {MAX_DROPPED} are read at once", files.len())).to_wire());
    }
    let sources: Vec<Source> = files
        .into_iter()
        .map(|f| {
            // Only the name's last part: a name is never a path here.
            let name = Path::new(&f.name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "dropped file".to_string());
            Source::Bytes { name, bytes: f.bytes }
        })
        .collect();
    let n = sources.len();
    log::info!("{n} returned workbook(s) dropped on the window");
    *state.chosen_returns.lock().map_err(|_| internal("the chosen files are unavailable"))? = sources;
    Ok(n)
}

/// Exports the register with a quarter's updates as an Excel workbook or a CSV (`format`
/// "xlsx" or "csv"), or the empty template to bring a tracker in with ("template"): the native save dialog (`CCSP_EXPORT_DIR` in the end-to-end tests), then
/// written; returns where, None if cancelled.
/// The empty template's file name (`ccsp import actions --template`).
const TEMPLATE_NAME: &str = "CCSP-actions-template.xlsx";

#[tauri::command]
async fn export_tracker(app: tauri::AppHandle, state: St<'_>, quarter_code: String, format: String) -> Reply<Option<String>> {
    let q = quarter(&quarter_code).map_err(logged)?;
    let (bytes, name) = if format == "template" {
        (with_store(&state, |s| ccsp_core::interchange::tracker_import::template(s))?, TEMPLATE_NAME.to_string())
    } else {
        (with_store(&state, |s| ccsp_core::interchange::tracker::render(s, q, &format))?.0, ccsp_core::interchange::tracker::file_name(q, &format))
    };
    let target: Option<PathBuf> = match std::env::var_os("CCSP_EXPORT_DIR") {
        Some(dir) => Some(PathBuf::from(dir).join(&name)),
        None => {
            use tauri_plugin_dialog::DialogExt;
            let (label, ext) = if format.eq_ignore_ascii_case("csv") { ("CSV (comma-separated)", "csv") } else { ("Excel workbook", "xlsx") };
            match app.dialog().file().set_title("Save the tracker").add_filter(label, &[ext]).set_file_name(&name).blocking_save_file() {
                None => None,
                Some(p) => Some(p.into_path().map_err(|e| internal(&format!("the chosen place is not a file on this computer: {e}")))?),
            }
        }
    };
    let Some(out) = target else { return Ok(None) };
    let store = store_path(&state)?.to_path_buf();
    // The native save dialog has asked before replacing a file.
    ccsp_core::export::write_out(&out, &bytes, &store, ccsp_core::export::Write { overwrite: true, private: false }).map_err(logged)?;
    state.exported.lock().map_err(|_| internal("the list of exported files is unavailable"))?.record(&out);
    Ok(Some(out.display().to_string()))
}

/// Brings actions in from a tracker (.xlsx or .csv). `choose` asks for the file in the native
/// dialog (`CCSP_IMPORT_TRACKER` in the end-to-end tests) and keeps it; otherwise the file
/// chosen last is read again (the preview, then adding). None if the dialog was cancelled.
#[tauri::command]
async fn import_actions(
    app: tauri::AppHandle,
    state: St<'_>,
    choose: bool,
    dry_run: bool,
    allow_duplicates: bool,
) -> Reply<Option<ccsp_core::interchange::tracker_import::TrackerImport>> {
    if choose {
        let file: Option<PathBuf> = match std::env::var_os("CCSP_IMPORT_TRACKER") {
            Some(p) => Some(PathBuf::from(p)),
            None => {
                use tauri_plugin_dialog::DialogExt;
                match app.dialog().file().set_title("Choose the tracker to bring in").add_filter("Excel workbook or CSV", &["xlsx", "csv"]).blocking_pick_file()
                {
                    None => None,
                    Some(p) => Some(p.into_path().map_err(|e| internal(&format!("the chosen file is not on this computer: {e}")))?),
                }
            }
        };
        let Some(file) = file else { return Ok(None) };
        *state.chosen_tracker.lock().map_err(|_| internal("the chosen file is unavailable"))? = Some(file);
    }
    let file = state.chosen_tracker.lock().map_err(|_| internal("the chosen file is unavailable"))?.clone();
    let Some(file) = file else { return Err(CoreError::invalid("file", "choose the tracker first").to_wire()) };
    with_ctx(&state, |s, ctx| ccsp_core::interchange::tracker_import::import(s, ctx, &file, dry_run, allow_duplicates)).map(Some)
}

/// The backups beside the store, newest first (also when the store could not be opened).
#[tauri::command]
fn backups(state: St<'_>) -> Reply<Vec<BackupFile>> {
    ccsp_core::store::list_backups(store_path(&state)?).map_err(|e| e.to_wire())
}

/// Replaces the store's contents with a backup (the current store is backed up first).
/// Async (off the window's thread), like `backup_now`: the window stays responsive.
#[tauri::command]
async fn restore_backup(state: St<'_>, backup: String) -> Reply<String> {
    if state.demo.lock().map_err(|_| internal("the demo copy is unavailable; restart the app"))?.is_some() {
        return Err(CoreError::Refused("the demo copy is open: go back to your own store before restoring one of its backups".into()).to_wire());
    }
    with_own_store(&state, |s| s.restore_from(Path::new(&backup)).map(|p| p.display().to_string()))
}

/// When the store was found damaged on open: moves it aside (never deleted) and puts the
/// chosen good backup in its place, then opens it.
#[tauri::command]
fn recover_from_backup(state: St<'_>, backup: String) -> Reply<String> {
    let path = store_path(&state)?.to_path_buf();
    let mut guard = state.store.lock().map_err(|_| internal("the store is unavailable; restart the app"))?;
    match &*guard {
        Err(e) if e.code == ccsp_core::ErrorCode::Damaged => {}
        Err(e) => return Err(e.clone()),
        Ok(_) => return Err(CoreError::Refused("the store is not damaged; use Restore in Settings instead".into()).to_wire()),
    }
    let aside = ccsp_core::store::recover_from_backup(&path, Path::new(&backup)).map_err(|e| e.to_wire())?;
    *guard = Store::open_checked(&path).map_err(|e| e.to_wire());
    guard.as_ref().map_err(|e| e.clone())?;
    Ok(aside.display().to_string())
}

/// What the Exports screen asks for: the document by name (`Export::choose`), its paper, the
/// quarter (the pack's, or the Plan on a Page's status as at), the year (the annual report's),
/// the format ("pdf" or "docx") and, for the Plan on a Page, whether it shows status.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ExportRequest {
    document: String,
    paper: String,
    quarter_code: Option<String>,
    year: Option<String>,
    format: Option<String>,
    status: Option<bool>,
}

/// Exports a document as PDF, or the annual report as a Word document (`format` "docx"): makes
/// it from the store, asks where to save it (the native save dialog), and writes it there.
/// `CCSP_EXPORT_DIR`, set by whoever starts the app (the end-to-end tests), saves into that
/// folder without asking.
#[tauri::command]
async fn export_document(app: tauri::AppHandle, state: St<'_>, request: ExportRequest) -> Reply<ExportResult> {
    let ExportRequest { document, paper, quarter_code, year, format, status } = request;
    // The Plan on a Page shows status unless the public version is asked for.
    let status = status.unwrap_or(true);
    let export = ccsp_docs::Export::choose(&document, &paper, quarter_code.as_deref(), year.as_deref(), status).map_err(logged)?;
    let format = format.as_deref().map(ccsp_docs::Format::parse).transpose().map_err(logged)?.unwrap_or(ccsp_docs::Format::Pdf);
    let doc = with_store(&state, |s| export.render_as(s, paths::today()?, format).map_err(|e| e.into_core()))?;
    let name = export.file_name_as(format);
    let target: Option<PathBuf> = match std::env::var_os("CCSP_EXPORT_DIR") {
        Some(dir) => Some(PathBuf::from(dir).join(&name)),
        None => {
            use tauri_plugin_dialog::DialogExt;
            let title = format!("Save the {}", format.label());
            match app.dialog().file().set_title(&title).add_filter(format.label(), &[format.extension()]).set_file_name(&name).blocking_save_file() {
                None => None,
                Some(p) => Some(p.into_path().map_err(|e| internal(&format!("the chosen place is not a file on this computer: {e}")))?),
            }
        }
    };
    let Some(mut out) = target else {
        return Ok(ExportResult { path: None, pages: doc.pages as u32, warnings: doc.warnings });
    };
    if out.extension().is_none() {
        out.set_extension(format.extension());
    }
    let store = store_path(&state)?.to_path_buf();
    // The native save dialog has asked before replacing a file.
    ccsp_core::export::write_out(&out, &doc.bytes, &store, ccsp_core::export::Write { overwrite: true, private: false }).map_err(logged)?;
    state.exported.lock().map_err(|_| internal("the list of exported files is unavailable"))?.record(&out);
    Ok(ExportResult { path: Some(out.display().to_string()), pages: doc.pages as u32, warnings: doc.warnings })
}

/// Exports a year's quarter dates as an iCalendar file for Outlook (the native save dialog,
/// or `CCSP_EXPORT_DIR` as for the PDFs); returns where it was written, None if cancelled.
#[tauri::command]
async fn export_calendar(app: tauri::AppHandle, state: St<'_>, year: String) -> Reply<Option<String>> {
    let y = FinancialYear::parse(&year).map_err(|e| e.for_field("year").to_wire())?;
    let ics = with_store(&state, |s| s.year_calendar(y, paths::today()?))?;
    let name = format!("CCSP quarter dates {}.ics", y.code());
    let target: Option<PathBuf> = match std::env::var_os("CCSP_EXPORT_DIR") {
        Some(dir) => Some(PathBuf::from(dir).join(&name)),
        None => {
            use tauri_plugin_dialog::DialogExt;
            match app.dialog().file().set_title("Save the calendar").add_filter("Calendar (iCalendar)", &["ics"]).set_file_name(&name).blocking_save_file() {
                None => None,
                Some(p) => Some(p.into_path().map_err(|e| internal(&format!("the chosen place is not a file on this computer: {e}")))?),
            }
        }
    };
    let Some(out) = target else { return Ok(None) };
    let store = store_path(&state)?.to_path_buf();
    // The native save dialog has asked before replacing a file.
    ccsp_core::export::write_out(&out, ics.as_bytes(), &store, ccsp_core::export::Write { overwrite: true, private: false }).map_err(logged)?;
    state.exported.lock().map_err(|_| internal("the list of exported files is unavailable"))?.record(&out);
    Ok(Some(out.display().to_string()))
}

/// The annual report's narrative sections for a year (empty ones use generated drafts).
#[tauri::command]
fn report_sections(state: St<'_>, year: String) -> Reply<Vec<ccsp_core::store::NarrativeSection>> {
    with_store(&state, |s| s.report_sections(FinancialYear::parse(&year)?))
}

/// Saves a narrative section's text for a year (empty clears it); audited.
#[tauri::command]
fn set_narrative(state: St<'_>, year: String, section: String, body: String) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_narrative(ctx, FinancialYear::parse(&year)?, &section, &body))
}

/// The annual report's front sheet for a year as the report will print it.
#[tauri::command]
fn front_sheet(state: St<'_>, year: String) -> Reply<ccsp_core::store::FrontSheetView> {
    with_store(&state, |s| s.front_sheet_or_default(FinancialYear::parse(&year)?))
}

/// Saves the front sheet for its year; audited.
#[tauri::command]
fn set_front_sheet(state: St<'_>, sheet: ccsp_core::domain::FrontSheet) -> Reply<()> {
    with_ctx(&state, |s, ctx| s.set_front_sheet(ctx, &sheet))
}

/// Opens a file this window exported (a PDF, a Word document, a calendar) with the system's
/// viewer; nothing else can be opened.
#[tauri::command]
fn open_export(app: tauri::AppHandle, state: St<'_>, path: String) -> Reply<()> {
    state.exported.lock().map_err(|_| internal("the list of exported files is unavailable"))?.may_open(Path::new(&path)).map_err(|e| e.to_wire())?;
    use tauri_plugin_opener::OpenerExt;
    app.opener().open_path(path, None::<&str>).map_err(|e| CoreError::Refused(format!("the file could not be opened: {e}")).to_wire())
}

/// Puts text on the system clipboard (a chase message's *Copy message*). The window gets no
/// clipboard permission of its own; this command writes plain text only, and at most 1 MB.
#[tauri::command]
fn copy_text(app: tauri::AppHandle, text: String) -> Reply<()> {
    use tauri_plugin_clipboard_manager::ClipboardExt;
    if text.len() > 1_000_000 {
        return Err(CoreError::invalid("text", "is too long to copy (over 1 MB)").to_wire());
    }
    app.clipboard().write_text(text).map_err(|e| internal(&format!("the clipboard could not be written: {e}")))
}

/// Takes a backup now, into `backups/` beside the store; returns its path. Async: it runs off
/// the window's thread (about 13 ms for three years of 500 actions, docs/benchmarks.md).
#[tauri::command]
async fn backup_now(state: St<'_>) -> Reply<String> {
    with_own_store(&state, |s| s.backup_rolling("manual").map(|p| p.display().to_string()))
}

/// On Linux, WebKitGTK's accelerated compositing renders through OpenGL; on a laptop without a
/// usable GPU driver (and under Xvfb) that is Mesa's software renderer in the web process,
/// which cost ~80 MB and slowed every screen switch (docs/benchmarks.md). Our pages are
/// plain documents and do not need it. A user can still opt in by setting the variable.
#[cfg(target_os = "linux")]
fn tune_webkit() {
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Before any thread is started: nothing else reads the environment yet.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// A single local document needs no back/forward or page cache: WebKit's smallest cache
/// model keeps the web process's memory down.
#[cfg(target_os = "linux")]
fn small_webkit_caches(app: &tauri::App) {
    use tauri::Manager;
    use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
    if let Some(w) = app.get_webview_window("main") {
        // A smaller cache only saves memory: if WebKit refuses, the window works as before.
        let _ = w.with_webview(|wv| {
            if let Some(ctx) = wv.inner().context() {
                ctx.set_cache_model(CacheModel::DocumentViewer);
            }
        });
    }
}

/// The support log: `ccsp-coordinator.log` in the app's log folder, errors, warnings and
/// start-up facts (never record content), at most 1 MB a file and the newest five kept.
fn log_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    use tauri_plugin_log::{RotationStrategy, Target, TargetKind};
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir { file_name: Some(LOG_NAME.into()) }))
        .target(Target::new(TargetKind::Stderr))
        .level(log::LevelFilter::Info)
        // Only our own crates: the web stack's own chatter is not for support.
        .filter(|m| m.target().starts_with("ccsp"))
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(5))
        .build()
}

const LOG_NAME: &str = "ccsp-coordinator";

pub fn run() {
    #[cfg(target_os = "linux")]
    tune_webkit();
    let result = tauri::Builder::default()
        // First, so a second start hands over to the running window and exits before it
        // opens the store at all.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            use tauri::Manager;
            if let Some(w) = app.get_webview_window("main") {
                // Best effort: a window manager that refuses focus leaves the window where it
                // is, still open and working; the second start exits either way.
                let _ = w.unminimize();
                let _ = w.set_focus(); // as above
            }
        }))
        .plugin(log_plugin())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            use tauri::Manager;
            log::info!("CCSP Coordinator {} starting", env!("CARGO_PKG_VERSION"));
            let state = open_default_store();
            match app.path().app_log_dir() {
                Ok(dir) => {
                    let file = dir.join(format!("{LOG_NAME}.log"));
                    log::info!("support log: {}", file.display());
                    *state.log_file.lock().map_err(|_| "the log file's name is unavailable")? = Some(file);
                }
                Err(e) => log::warn!("the log folder could not be found: {e}"),
            }
            app.manage(state);
            #[cfg(target_os = "linux")]
            small_webkit_caches(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            app_info,
            plan_summary,
            dashboard,
            list_actions,
            get_action,
            add_action,
            edit_action,
            cancel_action,
            delete_action,
            update_sheet,
            save_update,
            sign_off,
            reopen,
            audit_trail,
            indicators,
            set_indicator_value,
            funding,
            set_allocation,
            set_spend,
            set_grant,
            edit_plan,
            add_priority,
            edit_priority,
            move_priority,
            set_theme_outcome,
            save_partner,
            set_coordinator_name,
            set_protective_marking,
            backup_now,
            backups,
            restore_backup,
            recover_from_backup,
            export_document,
            set_return_to,
            returns_status,
            make_returns,
            import_returns,
            drop_returns,
            open_demo,
            import_police,
            police_progress,
            cancel_police,
            set_police_area,
            export_tracker,
            import_actions,
            open_export,
            report_sections,
            set_narrative,
            front_sheet,
            set_front_sheet,
            add_indicator,
            edit_indicator,
            delete_indicator,
            copy_text,
            set_schedule,
            export_calendar,
            review_update
        ])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("CCSP Coordinator could not start: {e}");
        std::process::exit(1);
    }
}
