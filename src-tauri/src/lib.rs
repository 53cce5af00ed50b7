//! The Tauri shell only: opens (or on first start creates) the store, and exposes commands
//! that are thin adapters over ccsp-core. Errors cross the boundary as `{code, message}`.

use std::sync::Mutex;

use ccsp_core::store::PlanSummary;
use ccsp_core::{paths, CoreError, Store, WireError};
use serde::Serialize;

/// The open store, or why it could not be opened (shown to the coordinator).
pub struct AppState {
    store: Result<Mutex<Store>, WireError>,
    path: String,
}

/// Opens the default store; on first start (no file yet) creates it seeded with the Coventry
/// plan. A foreign or damaged file is reported, never overwritten.
pub fn open_default_store() -> AppState {
    let path = match paths::default_store_path() {
        Ok(p) => p,
        Err(e) => return AppState { store: Err(e.to_wire()), path: String::new() },
    };
    let shown = path.display().to_string();
    let store = match ccsp_core::store::identify(&path) {
        Ok(ccsp_core::store::FileKind::Missing) => ccsp_core::init_store(&path),
        Ok(_) => Store::open_checked(&path),
        Err(e) => Err(e),
    };
    AppState { store: store.map(Mutex::new).map_err(|e| e.to_wire()), path: shown }
}

#[derive(Serialize)]
pub struct StoreSummary {
    pub path: String,
    pub summary: PlanSummary,
    pub actions: usize,
}

fn with_store<T>(state: &AppState, f: impl FnOnce(&mut Store) -> Result<T, CoreError>) -> Result<T, WireError> {
    let lock = state.store.as_ref().map_err(Clone::clone)?;
    let mut store = lock.lock().map_err(|_| WireError { code: "internal".into(), message: "the store is unavailable; restart the app".into() })?;
    f(&mut store).map_err(|e| e.to_wire())
}

#[tauri::command]
fn store_summary(state: tauri::State<'_, AppState>) -> Result<StoreSummary, WireError> {
    let path = state.path.clone();
    with_store(&state, |s| {
        let today = paths::today()?;
        Ok(StoreSummary { path, summary: s.plan_summary(today)?, actions: s.list_actions()?.len() })
    })
}

pub fn run() {
    let state = open_default_store();
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![store_summary])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("CCSP Coordinator could not start: {e}");
        std::process::exit(1);
    }
}
