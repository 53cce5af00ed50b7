//! Where the store lives, who is acting, and what day it is — computed the same way by the
//! CLI and the desktop app, without Tauri.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::error::CoreError;

/// The app identifier, also the name of its data folder.
pub const APP_IDENTIFIER: &str = "org.ccsp.coordinator";
pub const STORE_FILE: &str = "ccsp.sqlite3";

/// The platform data folder (as Tauri's `app_data_dir` resolves it): `$XDG_DATA_HOME` or
/// `~/.local/share` on Linux, `%APPDATA%` on Windows, `~/Library/Application Support` on macOS.
pub fn data_dir() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if cfg!(windows) {
        env("APPDATA")
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").filter(|p| p.is_absolute()).or_else(|| env("HOME").map(|h| h.join(".local/share")))
    }
}

/// The default store: `CCSP_DB` if set, else `ccsp.sqlite3` in the app's data folder.
pub fn default_store_path() -> Result<PathBuf, CoreError> {
    if let Some(p) = std::env::var_os("CCSP_DB").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    data_dir()
        .map(|d| d.join(APP_IDENTIFIER).join(STORE_FILE))
        .ok_or_else(|| CoreError::invalid("db", "cannot find this computer's data folder (HOME is not set); pass --db PATH"))
}

/// Today's date: `CCSP_TODAY=YYYY-MM-DD` overrides the clock (tests and demos).
pub fn today() -> Result<NaiveDate, CoreError> {
    match std::env::var("CCSP_TODAY") {
        Ok(s) if !s.trim().is_empty() => crate::domain::parse_date("CCSP_TODAY", &s),
        _ => Ok(chrono::Local::now().date_naive()),
    }
}

/// The operating-system user name, if any.
pub fn os_user() -> Option<String> {
    ["USER", "USERNAME", "LOGNAME"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// Who made a change: `--as`, else `CCSP_USER`, else the coordinator's name in the store's
/// settings, else the operating-system user name.
pub fn resolve_actor(explicit: Option<&str>, stored: Option<String>) -> String {
    explicit
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| std::env::var("CCSP_USER").ok().filter(|s| !s.trim().is_empty()))
        .or(stored.filter(|s| !s.trim().is_empty()))
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".into())
        .trim()
        .to_string()
}
