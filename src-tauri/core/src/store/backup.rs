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
    let t = chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?; // not our name: not ours
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
        let bytes = entry.metadata().map_err(|e| CoreError::io(entry.path(), e))?.len();
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

    /// The once-a-day backup the app takes on open: none if one was taken today already (its
    /// UTC stamp read as a UK date, the same clock as `today`), and none on a store that is
    /// open read-only (its folder cannot take one; the app says so once).
    pub fn backup_if_due(&self, today: chrono::NaiveDate) -> Result<DailyBackup, CoreError> {
        if let Some(reason) = self.read_only {
            return Ok(DailyBackup::Skipped(reason));
        }
        for b in list_backups(&self.path)?.iter().filter(|b| b.kind == "daily") {
            let at = chrono::DateTime::parse_from_rfc3339(&b.taken_at)
                .map_err(|_| CoreError::Damaged { path: PathBuf::from(&b.path), detail: format!("its time stamp {} cannot be read", b.taken_at) })?;
            if crate::paths::uk_local(at.with_timezone(&chrono::Utc)).date() == today {
                return Ok(DailyBackup::NotDue);
            }
        }
        let out = snapshot_at(&self.conn, &self.path, "daily", crate::paths::instant_on(today))?;
        prune(&self.path)?;
        Ok(DailyBackup::Taken(out))
    }
}

/// What the daily backup on open did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DailyBackup {
    Taken(PathBuf),
    /// One was taken today already.
    NotDue,
    /// The store is open read-only, so no backup can be written beside it.
    Skipped(crate::fault::ReadOnlyReason),
}

/// Writes a consistent snapshot of the open connection into `backups/` (used before a
/// migration too, when there is no `Store` yet).
pub(crate) fn snapshot(conn: &rusqlite::Connection, store_path: &Path, why: &str) -> Result<PathBuf, CoreError> {
    snapshot_at(conn, store_path, why, crate::paths::clock_now()?)
}

/// A snapshot named with the instant `at` (UTC).
fn snapshot_at(conn: &rusqlite::Connection, store_path: &Path, why: &str, at: chrono::DateTime<chrono::Utc>) -> Result<PathBuf, CoreError> {
    let dir = backups_dir(store_path);
    super::create_private_dir(&dir)?;
    let stamp = at.format("%Y%m%d-%H%M%S");
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
    if let Err(e) = conn.execute("VACUUM INTO ?1", [target]) {
        // A partial file is removed so it is never taken for a backup; if even that fails
        // (the medium went away), its name is not one `list_backups` would offer unless it
        // was complete enough to pass `check_good_backup` before any restore.
        let _ = std::fs::remove_file(out);
        return Err(backup_failed(out, e));
    }
    super::owner_only(out, false)?;
    if !conn.is_readonly(rusqlite::MAIN_DB)? {
        // The store log is about the file, not the record. A read-only store cannot note it;
        // a store whose disk just filled may not: the backup itself is complete either way.
        let _ = Store::log_event(conn, "backed_up", &out.display().to_string());
    }
    Ok(())
}

impl Store {
    /// Replaces the whole store with the backup at `from`, after checking it is a good CCSP
    /// store and backing the current one up. Returns where the current store was backed up.
    pub fn restore_from(&mut self, from: &Path) -> Result<PathBuf, CoreError> {
        crate::fault::input_file("file", from)?;
        self.ensure_writable()?;
        // Check the backup's pages read-only before trusting it.
        check_good_backup(from)?;
        let src = rusqlite::Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| super::open::map_sql(from, e))?;
        let safety = self.backup_rolling("before-restore")?;
        {
            let path = self.path.clone();
            let backup = rusqlite::backup::Backup::new(&src, &mut self.conn)?;
            backup.run_to_completion(1024, std::time::Duration::from_millis(0), None).map_err(|e| crate::fault::store_write_failed(&path, e))?;
        }
        drop(src);
        // The restored file may be an older version: bring it up to date, then re-read the plan.
        super::migrations::migrate(&mut self.conn, super::migrations::MIGRATIONS)?;
        self.plan_id = self.conn.query_row("SELECT id FROM plan ORDER BY id LIMIT 1", [], |r| r.get(0)).map_err(|e| super::open::map_sql(&self.path, e))?;
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
    // A leftover from an earlier attempt that died: replaced by the copy below either way.
    let _ = std::fs::remove_file(&tmp);
    let built = (|| {
        std::fs::copy(backup, &tmp).map_err(|e| crate::fault::file_write_failed(&tmp, e))?;
        let conn = rusqlite::Connection::open(&tmp).map_err(|e| super::open::map_sql(&tmp, e))?;
        let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        Store::log_event(&conn, "recovered", &format!("from {} after the store was found damaged", backup.display()))?;
        conn.close().map_err(|(_, e)| super::open::map_sql(&tmp, e))?;
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| CoreError::io(&tmp, e))
    })();
    if let Err(e) = built {
        // The half-made copy is not the store and never named like one; removing it tidies.
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
    // The damaged file's -wal and -shm go aside with it, before it: a stale WAL left beside
    // the restored file would be replayed onto it. If any move fails, the moves already made
    // are undone and recovery stops.
    let mut moves = Vec::new();
    for ext in ["-wal", "-shm"] {
        let side = dir.join(format!("{name}{ext}"));
        if side.symlink_metadata().is_ok() {
            moves.push((side, dir.join(format!("{name}.damaged-{n}{ext}"))));
        }
    }
    moves.push((path.to_path_buf(), aside.clone()));
    let mut done: Vec<(PathBuf, PathBuf)> = Vec::new();
    let undo = |done: &[(PathBuf, PathBuf)]| -> Vec<String> {
        done.iter()
            .rev()
            .filter_map(|(from, to)| std::fs::rename(to, from).err().map(|e| format!("{} is left at {} ({e})", from.display(), to.display())))
            .collect()
    };
    for (from, to) in moves {
        if let Err(e) = std::fs::rename(&from, &to) {
            let stuck = undo(&done);
            // The copy of the backup was never put in place.
            let _ = std::fs::remove_file(&tmp);
            let mut detail = format!("{} could not be moved aside ({e}); nothing was restored", from.display());
            if !stuck.is_empty() {
                detail.push_str(&format!("; {}", stuck.join("; ")));
            }
            return Err(CoreError::Refused(format!("recovery stopped: {detail}")));
        }
        done.push((from, to));
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let stuck = undo(&done);
        // The copy of the backup is not the store; removing it only tidies.
        let _ = std::fs::remove_file(&tmp);
        let mut detail = format!("the backup could not be put in place ({e}); the damaged store is back where it was");
        if !stuck.is_empty() {
            detail = format!("the backup could not be put in place ({e}); {}", stuck.join("; "));
        }
        return Err(CoreError::Refused(format!("recovery stopped: {detail}")));
    }
    Ok(aside)
}

/// Names why writing a backup to `out` failed: a full disk or read-only folder, else SQLite's words.
fn backup_failed(out: &Path, e: rusqlite::Error) -> CoreError {
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) {
        return CoreError::DiskFull { path: out.to_path_buf(), free: crate::fault::free_space(out) };
    }
    // What the folder says when asked to take a file (a temporary one, removed at once).
    if let Err(io) = tempfile::tempfile_in(dir) {
        return crate::fault::file_write_failed(out, io);
    }
    CoreError::Refused(format!("the backup to {} failed: {e}", out.display()))
}

/// A backup may be restored only if it is a CCSP store this version can open and SQLite
/// finds nothing wrong in it.
fn check_good_backup(from: &Path) -> Result<(), CoreError> {
    let p = from.to_path_buf();
    match identify(from)? {
        FileKind::Missing => return Err(CoreError::invalid("backup", format!("{} does not exist", from.display()))),
        FileKind::Foreign(detail) => return Err(CoreError::NotAStore { path: p, detail }),
        FileKind::Damaged(detail) => return Err(CoreError::Damaged { path: p, detail }),
        FileKind::TooNew { version } => return Err(CoreError::TooNew { path: p, found: version, supported: super::migrations::latest_version() }),
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
