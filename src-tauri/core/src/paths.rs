//! Where the store lives, who is acting, and what day it is — computed the same way by the
//! CLI and the desktop app, without Tauri.

use std::path::PathBuf;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};

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

#[cfg(test)]
mod tests {
    use super::*;

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
