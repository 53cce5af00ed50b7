//! Backups and restore. A backup is a consistent snapshot (`VACUUM INTO`), safe while another
//! window writes. Restore copies a checked backup into the live store with SQLite's backup API,
//! after backing the current store up first.

use std::path::{Path, PathBuf};

use super::open::{identify, FileKind};
use super::Store;
use crate::error::CoreError;

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
        let target = out.to_str().ok_or_else(|| CoreError::invalid("out", "the path is not valid Unicode"))?;
        self.conn.execute("VACUUM INTO ?1", [target]).map_err(|e| {
            let _ = std::fs::remove_file(out);
            CoreError::Refused(format!("the backup to {} failed: {e}", out.display()))
        })?;
        Store::log_event(&self.conn, "backed_up", &out.display().to_string())?;
        Ok(())
    }

    /// Takes a named snapshot in `backups/` beside the store and returns its path.
    pub fn backup_rolling(&self, why: &str) -> Result<PathBuf, CoreError> {
        let dir = backups_dir(&self.path);
        std::fs::create_dir_all(&dir).map_err(|e| CoreError::io(&dir, e))?;
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let stem = self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "ccsp".into());
        let mut n = 0;
        loop {
            let suffix = if n == 0 { String::new() } else { format!("-{n}") };
            let out = dir.join(format!("{stem}-{stamp}-{why}{suffix}.sqlite3"));
            if out.symlink_metadata().is_err() {
                self.backup_to(&out)?;
                return Ok(out);
            }
            n += 1;
        }
    }

    /// Replaces the whole store with the backup at `from`, after checking it is a good CCSP
    /// store and backing the current one up. Returns where the current store was backed up.
    pub fn restore_from(&mut self, from: &Path) -> Result<PathBuf, CoreError> {
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
        // Check the backup's pages read-only before trusting it.
        let src = rusqlite::Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| super::open::map_sql(from, e))?;
        let verdict: String = src.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| super::open::map_sql(from, e))?;
        if verdict != "ok" {
            return Err(CoreError::Damaged { path: p, detail: format!("integrity check: {verdict}") });
        }
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
