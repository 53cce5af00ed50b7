//! Backups and restore. A backup is a consistent snapshot (`VACUUM INTO`), safe while another
//! window writes. Restore copies a checked backup into the live store with SQLite's backup API,
//! after backing the current store up first.

use std::path::{Path, PathBuf};

use super::open::{identify, FileKind};
use super::Store;
use crate::error::CoreError;

/// How many automatic backups of each kind are kept (the oldest beyond these are removed).
/// Sign-off backups are all kept: one per quarter signed off, the record of each meeting.
pub const KEEP_DAILY: usize = 14;
pub const KEEP_OTHER: usize = 10;

/// One file in `backups/`, as the app lists it.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct BackupFile {
    pub path: String,
    pub name: String,
    /// Why it was taken: "daily", "manual", "before-import", "before-restore",
    /// "before-migration", "signed-off-2025-26-Q2"...
    pub kind: String,
    /// When, from the file name (UTC, ISO 8601).
    pub taken_at: String,
    pub bytes: u64,
}

/// Reads `{stem}-{YYYYMMDD-HHMMSS}-{why}[-n].sqlite3`; other files are not ours and are ignored.
fn parse_backup_name(stem: &str, name: &str) -> Option<(String, String)> {
    let rest = name.strip_prefix(stem)?.strip_prefix('-')?.strip_suffix(".sqlite3")?;
    let (stamp, why) = rest.split_at_checked(15)?;
    let t = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    let why = why.strip_prefix('-')?;
    // A trailing "-N" only disambiguates two backups in the same second.
    let kind = match why.rsplit_once('-') {
        Some((k, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => k.to_string(),
        _ => why.to_string(),
    };
    Some((kind, t.format("%Y-%m-%dT%H:%M:%SZ").to_string()))
}

/// The backups beside a store, newest first.
pub fn list_backups(store_path: &Path) -> Result<Vec<BackupFile>, CoreError> {
    let dir = backups_dir(store_path);
    let stem = store_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "ccsp".into());
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(CoreError::io(&dir, e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, taken_at)) = parse_backup_name(&stem, &name) else { continue };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupFile { path: entry.path().display().to_string(), name, kind, taken_at, bytes });
    }
    out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.name.cmp(&a.name)));
    Ok(out)
}

/// Removes the oldest automatic backups beyond what is kept. Never touches files that are not
/// ours, sign-off backups, or the newest of any kind.
fn prune(store_path: &Path) -> Result<(), CoreError> {
    let all = list_backups(store_path)?;
    let (mut daily, mut other) = (0, 0);
    for b in all {
        let keep = if b.kind.starts_with("signed-off") {
            true
        } else if b.kind == "daily" {
            daily += 1;
            daily <= KEEP_DAILY
        } else {
            other += 1;
            other <= KEEP_OTHER
        };
        if !keep {
            std::fs::remove_file(&b.path).map_err(|e| CoreError::io(&b.path, e))?;
        }
    }
    Ok(())
}

/// The `backups/` folder beside a store file.
pub fn backups_dir(store_path: &Path) -> PathBuf {
    store_path.parent().map(|p| p.join("backups")).unwrap_or_else(|| PathBuf::from("backups"))
}

impl Store {
    /// Writes a consistent snapshot of the store to `out`, which must not exist yet.
    pub fn backup_to(&self, out: &Path) -> Result<(), CoreError> {
        if out.symlink_metadata().is_ok() {
            return Err(CoreError::AlreadyExists { path: out.to_path_buf() });
        }
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            if !dir.is_dir() {
                return Err(CoreError::invalid("out", format!("the folder {} does not exist", dir.display())));
            }
        }
        vacuum_into(&self.conn, out)
    }

    /// Takes a named snapshot in `backups/` beside the store, prunes old automatic ones, and
    /// returns its path.
    pub fn backup_rolling(&self, why: &str) -> Result<PathBuf, CoreError> {
        let out = snapshot(&self.conn, &self.path, why)?;
        prune(&self.path)?;
        Ok(out)
    }

    /// The once-a-day backup the app takes on open: none if one was taken today already.
    pub fn backup_if_due(&self, today: chrono::NaiveDate) -> Result<Option<PathBuf>, CoreError> {
        let stamp = today.format("%Y-%m-%d").to_string();
        if list_backups(&self.path)?.iter().any(|b| b.kind == "daily" && b.taken_at.starts_with(&stamp)) {
            return Ok(None);
        }
        self.backup_rolling("daily").map(Some)
    }
}

/// Writes a consistent snapshot of the open connection into `backups/` (used before a
/// migration too, when there is no `Store` yet).
pub(crate) fn snapshot(conn: &rusqlite::Connection, store_path: &Path, why: &str) -> Result<PathBuf, CoreError> {
    let dir = backups_dir(store_path);
    super::create_private_dir(&dir)?;
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let stem = store_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "ccsp".into());
    let mut n = 0;
    loop {
        let suffix = if n == 0 { String::new() } else { format!("-{n}") };
        let out = dir.join(format!("{stem}-{stamp}-{why}{suffix}.sqlite3"));
        if out.symlink_metadata().is_err() {
            vacuum_into(conn, &out)?;
            return Ok(out);
        }
        n += 1;
    }
}

fn vacuum_into(conn: &rusqlite::Connection, out: &Path) -> Result<(), CoreError> {
    let target = out.to_str().ok_or_else(|| CoreError::invalid("out", "the path is not valid Unicode"))?;
    conn.execute("VACUUM INTO ?1", [target]).map_err(|e| {
        let _ = std::fs::remove_file(out);
        CoreError::Refused(format!("the backup to {} failed: {e}", out.display()))
    })?;
    super::owner_only(out, false)?;
    Store::log_event(conn, "backed_up", &out.display().to_string())?;
    Ok(())
}

impl Store {

    /// Replaces the whole store with the backup at `from`, after checking it is a good CCSP
    /// store and backing the current one up. Returns where the current store was backed up.
    pub fn restore_from(&mut self, from: &Path) -> Result<PathBuf, CoreError> {
        // Check the backup's pages read-only before trusting it.
        check_good_backup(from)?;
        let src = rusqlite::Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| super::open::map_sql(from, e))?;
        let safety = self.backup_rolling("before-restore")?;
        {
            let backup = rusqlite::backup::Backup::new(&src, &mut self.conn)?;
            backup.run_to_completion(1024, std::time::Duration::from_millis(0), None)?;
        }
        drop(src);
        // The restored file may be an older version: bring it up to date, then re-read the plan.
        super::migrations::migrate(&mut self.conn, super::migrations::MIGRATIONS)?;
        self.plan_id = self
            .conn
            .query_row("SELECT id FROM plan ORDER BY id LIMIT 1", [], |r| r.get(0))
            .map_err(|e| super::open::map_sql(&self.path, e))?;
        Store::log_event(&self.conn, "restored", &format!("from {} (previous store saved as {})", from.display(), safety.display()))?;
        Ok(safety)
    }
}

/// The desktop app's answer to a damaged store: checks `backup` is a good store, moves the
/// damaged file (and its -wal/-shm) aside to `NAME.damaged-N` — bytes untouched, never deleted —
/// then puts a copy of the backup in its place. Returns where the damaged file now is.
pub fn recover_from_backup(path: &Path, backup: &Path) -> Result<PathBuf, CoreError> {
    check_good_backup(backup)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "ccsp.sqlite3".into());
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    // Build the replacement first, so a failure leaves the damaged file where it was.
    let tmp = dir.join(format!(".{name}.recovering-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let built = (|| {
        std::fs::copy(backup, &tmp).map_err(|e| CoreError::io(&tmp, e))?;
        let conn = rusqlite::Connection::open(&tmp).map_err(|e| super::open::map_sql(&tmp, e))?;
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        Store::log_event(&conn, "recovered", &format!("from {} after the store was found damaged", backup.display()))?;
        conn.close().map_err(|(_, e)| super::open::map_sql(&tmp, e))?;
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| CoreError::io(&tmp, e))
    })();
    if let Err(e) = built {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let mut n = 1;
    let aside = loop {
        let candidate = dir.join(format!("{name}.damaged-{n}"));
        if candidate.symlink_metadata().is_err() {
            break candidate;
        }
        n += 1;
    };
    std::fs::rename(path, &aside).map_err(|e| CoreError::io(path, e))?;
    for ext in ["-wal", "-shm"] {
        let side = dir.join(format!("{name}{ext}"));
        if side.exists() {
            let _ = std::fs::rename(&side, dir.join(format!("{name}.damaged-{n}{ext}")));
        }
    }
    std::fs::rename(&tmp, path).map_err(|e| CoreError::io(path, e))?;
    Ok(aside)
}

/// A backup may be restored only if it is a CCSP store this version can open and SQLite
/// finds nothing wrong in it.
fn check_good_backup(from: &Path) -> Result<(), CoreError> {
    let p = from.to_path_buf();
    match identify(from)? {
        FileKind::Missing => return Err(CoreError::invalid("backup", format!("{} does not exist", from.display()))),
        FileKind::Foreign(detail) => return Err(CoreError::NotAStore { path: p, detail }),
        FileKind::Damaged(detail) => return Err(CoreError::Damaged { path: p, detail }),
        FileKind::TooNew { version } => {
            return Err(CoreError::TooNew { path: p, found: version, supported: super::migrations::latest_version() })
        }
        FileKind::Store { .. } => {}
    }
    let src = rusqlite::Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| super::open::map_sql(from, e))?;
    let verdict: String = src.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| super::open::map_sql(from, e))?;
    if verdict != "ok" {
        return Err(CoreError::Damaged { path: p, detail: format!("integrity check: {verdict}") });
    }
    Ok(())
}
