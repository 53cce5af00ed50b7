//! Where the store lives, who is acting, and what day it is — computed the same way by the
//! CLI and the desktop app, without Tauri.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};

use crate::error::CoreError;

/// The app identifier, also the name of its data folder.
pub const APP_IDENTIFIER: &str = "org.ccsp.coordinator";
pub const STORE_FILE: &str = "ccsp.sqlite3";

/// The folder the app's data folder goes in (from the `dirs` crate, so the CLI and the app
/// cannot disagree): `$XDG_DATA_HOME` or `~/.local/share` on Linux, the *local* app data
/// folder `%LOCALAPPDATA%` on Windows (SQLite's WAL must not sit in a roaming profile that may
/// be redirected to a network share: PRODUCT.md "Windows data folder"), and
/// `~/Library/Application Support` on macOS.
pub fn data_dir() -> Option<PathBuf> {
    if cfg!(windows) {
        dirs::data_local_dir()
    } else {
        dirs::data_dir()
    }
}

/// The default store: `CCSP_DB` if set, else `ccsp.sqlite3` in the app's data folder. On
/// Windows a store an earlier version left in the roaming folder (`%APPDATA%`) is first moved,
/// with its backups, into the local one.
pub fn default_store_path() -> Result<PathBuf, CoreError> {
    if let Some(p) = std::env::var_os("CCSP_DB").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let dir = data_dir()
        .map(|d| d.join(APP_IDENTIFIER))
        .ok_or_else(|| CoreError::invalid("db", "cannot find this computer's data folder (HOME is not set); pass --db PATH"))?;
    #[cfg(windows)]
    if let Some(roaming) = dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)) {
        move_store_folder(&roaming, &dir)?;
    }
    Ok(dir.join(STORE_FILE))
}

/// Moves a store (with its `-wal`, `-shm` and `backups/`) from the folder `from` into the
/// folder `to`, when `from` holds one and `to` holds none. Returns whether it moved one. Each
/// file is copied and synced before the original is removed, so a failure half-way leaves
/// the store whole where it was (and a copy that is never opened in place of it: the store
/// file itself is moved last).
pub fn move_store_folder(from: &Path, to: &Path) -> Result<bool, CoreError> {
    let store = from.join(STORE_FILE);
    if !store.is_file() || to.join(STORE_FILE).symlink_metadata().is_ok() {
        return Ok(false);
    }
    std::fs::create_dir_all(to).map_err(|e| CoreError::io(to, e))?;
    let backups = from.join("backups");
    if backups.is_dir() {
        let into = to.join("backups");
        std::fs::create_dir_all(&into).map_err(|e| CoreError::io(&into, e))?;
        for entry in std::fs::read_dir(&backups).map_err(|e| CoreError::io(&backups, e))? {
            let entry = entry.map_err(|e| CoreError::io(&backups, e))?;
            if entry.file_type().map_err(|e| CoreError::io(entry.path(), e))?.is_file() {
                move_file(&entry.path(), &into.join(entry.file_name()))?;
            }
        }
    }
    for side in ["-wal", "-shm"] {
        let f = from.join(format!("{STORE_FILE}{side}"));
        if f.is_file() {
            move_file(&f, &to.join(format!("{STORE_FILE}{side}")))?;
        }
    }
    move_file(&store, &to.join(STORE_FILE))?;
    Ok(true)
}

fn move_file(from: &Path, to: &Path) -> Result<(), CoreError> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    // Another volume (a redirected roaming profile): copy, sync, then remove the original.
    std::fs::copy(from, to).map_err(|e| crate::fault::file_write_failed(to, e))?;
    std::fs::File::open(to).and_then(|f| f.sync_all()).map_err(|e| CoreError::io(to, e))?;
    std::fs::remove_file(from).map_err(|e| CoreError::io(from, e))
}

/// Today's date in the UK: `CCSP_TODAY=YYYY-MM-DD` overrides the clock (tests and demos).
pub fn today() -> Result<NaiveDate, CoreError> {
    match std::env::var("CCSP_TODAY") {
        Ok(s) if !s.trim().is_empty() => crate::domain::parse_date("CCSP_TODAY", &s),
        _ => Ok(uk_local(Utc::now()).date()),
    }
}

/// The instant file stamps (backups) are named with, from the same clock as `today()`: with
/// `CCSP_TODAY` set, that day at the current UK time of day, so a stamp's UK date is always
/// `today()` and "was a daily backup taken today?" compares like with like.
pub fn clock_now() -> Result<DateTime<Utc>, CoreError> {
    Ok(instant_on(today()?))
}

/// Now, moved to the UK day `day` (the current UK time of day on that day): the real instant
/// when `day` is today.
pub fn instant_on(day: NaiveDate) -> DateTime<Utc> {
    let now = Utc::now();
    let local = uk_local(now);
    if local.date() == day {
        return now;
    }
    from_uk_local(day.and_time(local.time()))
}

/// The UK date of a stored instant (UTC, ISO 8601): "signed off on 1 December 2026". A stored
/// time that cannot be read is damage, reported as such, never shown as no date.
pub fn uk_day_of(stored: &str) -> Result<NaiveDate, CoreError> {
    let at = DateTime::parse_from_rfc3339(stored)
        .map_err(|_| CoreError::Damaged { path: "the store".into(), detail: format!("the stored time \"{stored}\" cannot be read") })?;
    Ok(uk_local(at.with_timezone(&Utc)).date())
}

/// A stored instant as UK local time, as the window shows it: "1 Dec 2026, 17:57".
pub fn uk_time_of(stored: &str) -> Result<String, CoreError> {
    let at = DateTime::parse_from_rfc3339(stored)
        .map_err(|_| CoreError::Damaged { path: "the store".into(), detail: format!("the stored time \"{stored}\" cannot be read") })?;
    Ok(uk_local(at.with_timezone(&Utc)).format("%-d %b %Y, %H:%M").to_string())
}

/// UK local time (GMT, or BST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
/// last Sunday of October) for an instant. The app is for one English partnership, so the
/// rule is written here rather than pulling in a whole time-zone database.
pub fn uk_local(at: DateTime<Utc>) -> NaiveDateTime {
    let offset = if in_bst(at) { Duration::hours(1) } else { Duration::zero() };
    at.naive_utc() + offset
}

/// The UTC instant of a UK local time (an hour skipped or repeated by the clock change is
/// read as GMT).
fn from_uk_local(local: NaiveDateTime) -> DateTime<Utc> {
    let as_bst = (local - Duration::hours(1)).and_utc();
    if in_bst(as_bst) {
        as_bst
    } else {
        local.and_utc()
    }
}

fn in_bst(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or(NaiveDate::MIN);
        last - Duration::days(last.weekday().num_days_from_sunday() as i64)
    };
    let starts = last_sunday(3).and_hms_opt(1, 0, 0).unwrap_or(NaiveDateTime::MIN).and_utc();
    let ends = last_sunday(10).and_hms_opt(1, 0, 0).unwrap_or(NaiveDateTime::MIN).and_utc();
    at >= starts && at < ends
}

/// The operating-system user name, if any.
pub fn os_user() -> Option<String> {
    // A variable that is not set (or not Unicode) is simply not the name.
    ["USER", "USERNAME", "LOGNAME"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// Who made a change: `--as`, else `CCSP_USER`, else the coordinator's name in the store's
/// settings, else the operating-system user name.
pub fn resolve_actor(explicit: Option<&str>, stored: Option<String>) -> String {
    explicit
        .map(str::to_string)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| std::env::var("CCSP_USER").ok().filter(|s| !s.trim().is_empty())) // unset: the next source
        .or(stored.filter(|s| !s.trim().is_empty()))
        .or_else(os_user)
        .unwrap_or_else(|| "unknown".into())
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_in_the_roaming_folder_moves_with_its_backups_and_wal_into_the_local_one() {
        let t = tempfile::tempdir().unwrap();
        let (roaming, local) = (t.path().join("Roaming/org.ccsp.coordinator"), t.path().join("Local/org.ccsp.coordinator"));
        std::fs::create_dir_all(roaming.join("backups")).unwrap();
        std::fs::write(roaming.join(STORE_FILE), b"store").unwrap();
        std::fs::write(roaming.join("ccsp.sqlite3-wal"), b"wal").unwrap();
        std::fs::write(roaming.join("backups/ccsp-20261101-090000-daily.sqlite3"), b"backup").unwrap();
        assert!(move_store_folder(&roaming, &local).unwrap());
        assert_eq!(std::fs::read(local.join(STORE_FILE)).unwrap(), b"store");
        assert_eq!(std::fs::read(local.join("ccsp.sqlite3-wal")).unwrap(), b"wal");
        assert_eq!(std::fs::read(local.join("backups/ccsp-20261101-090000-daily.sqlite3")).unwrap(), b"backup");
        assert!(!roaming.join(STORE_FILE).exists(), "nothing is left to be opened by mistake");
        assert!(!move_store_folder(&roaming, &local).unwrap(), "a second start moves nothing");
    }

    #[test]
    fn a_local_store_is_never_replaced_by_a_roaming_one() {
        let t = tempfile::tempdir().unwrap();
        let (roaming, local) = (t.path().join("Roaming"), t.path().join("Local"));
        std::fs::create_dir_all(&roaming).unwrap();
        std::fs::create_dir_all(&local).unwrap();
        std::fs::write(roaming.join(STORE_FILE), b"old").unwrap();
        std::fs::write(local.join(STORE_FILE), b"current").unwrap();
        assert!(!move_store_folder(&roaming, &local).unwrap());
        assert_eq!(std::fs::read(local.join(STORE_FILE)).unwrap(), b"current");
        assert_eq!(std::fs::read(roaming.join(STORE_FILE)).unwrap(), b"old", "left where it is");
    }

    #[test]
    fn the_data_folder_follows_xdg_on_linux() {
        if cfg!(target_os = "linux") {
            // dirs reads $XDG_DATA_HOME when it is absolute, as the README says.
            let want = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).filter(|p| p.is_absolute());
            if let Some(want) = want {
                assert_eq!(data_dir(), Some(want));
            } else {
                assert_eq!(data_dir(), std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
            }
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn uk_time_is_bst_in_summer_and_gmt_in_winter() {
        assert_eq!(uk_local(utc("2026-06-30T23:30:00Z")).to_string(), "2026-07-01 00:30:00");
        assert_eq!(uk_local(utc("2026-12-01T23:30:00Z")).to_string(), "2026-12-01 23:30:00");
    }

    #[test]
    fn the_clock_changes_at_one_in_the_morning_utc_on_the_last_sundays() {
        // 2026: BST from Sunday 29 March to Sunday 25 October.
        assert_eq!(uk_local(utc("2026-03-29T00:59:59Z")).to_string(), "2026-03-29 00:59:59");
        assert_eq!(uk_local(utc("2026-03-29T01:00:00Z")).to_string(), "2026-03-29 02:00:00");
        assert_eq!(uk_local(utc("2026-10-25T00:59:59Z")).to_string(), "2026-10-25 01:59:59");
        assert_eq!(uk_local(utc("2026-10-25T01:00:00Z")).to_string(), "2026-10-25 01:00:00");
    }

    #[test]
    fn a_uk_local_time_maps_back_to_its_instant() {
        for s in ["2026-07-01T00:30:00Z", "2026-12-01T23:30:00Z", "2027-03-28T12:00:00Z"] {
            let at = utc(s);
            assert_eq!(from_uk_local(uk_local(at)), at, "{s}");
        }
    }
}
