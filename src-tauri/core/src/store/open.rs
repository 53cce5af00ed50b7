//! Opening a store: identify the file read-only first (SQLite header, our application_id,
//! schema version) before any pragma or write; then the same pragmas on every connection.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};

use super::migrations::{self, APPLICATION_ID, MIGRATIONS};
use super::Store;
use crate::domain::Record;
use crate::error::CoreError;
use crate::fault::ReadOnlyReason;

/// What a path holds, judged from its first 100 bytes without opening it as a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Missing,
    Store { version: i64 },
    Foreign(String),
    Damaged(String),
    TooNew { version: i64 },
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Reads the SQLite header (read-only) and says what the file is.
pub fn identify(path: &Path) -> Result<FileKind, CoreError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => return Err(CoreError::io(path, e)),
    };
    let meta = file.metadata().map_err(|e| CoreError::io(path, e))?;
    if meta.is_dir() {
        return Ok(FileKind::Foreign("it is a folder".into()));
    }
    let len = meta.len();
    if len == 0 {
        return Ok(FileKind::Foreign("the file is empty".into()));
    }
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < 100 {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(CoreError::io(path, e)),
        }
    }
    if read < 16 || &header[..16] != SQLITE_MAGIC {
        return Ok(FileKind::Foreign("it is not an SQLite database".into()));
    }
    if read < 100 {
        return Ok(FileKind::Damaged("the file is cut short".into()));
    }
    let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let app_id = be32(68) as i32;
    let version = be32(60) as i32 as i64;
    if app_id != APPLICATION_ID {
        return Ok(FileKind::Foreign(if app_id == 0 {
            "it is an SQLite database of some other program".into()
        } else {
            format!("it is an SQLite database of another application (id {app_id:#x})")
        }));
    }
    let raw_page = u16::from_be_bytes([header[16], header[17]]) as u64;
    let page_size = if raw_page == 1 { 65536 } else { raw_page };
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Ok(FileKind::Damaged("its header is corrupt".into()));
    }
    // The in-header page count is valid when "version-valid-for" equals the change counter.
    let pages = be32(28) as u64;
    if be32(92) == be32(24) && pages > 0 && len < pages * page_size {
        return Ok(FileKind::Damaged(format!("the file is {len} bytes but its header says {} — it was cut short", pages * page_size)));
    }
    if version > migrations::latest_version() {
        return Ok(FileKind::TooNew { version });
    }
    Ok(FileKind::Store { version })
}

/// Maps SQLite errors to what the coordinator needs to hear.
pub fn map_sql(path: &Path, e: rusqlite::Error) -> CoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
            CoreError::Damaged { path: path.to_path_buf(), detail: "SQLite reports the file is malformed".into() }
        }
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => CoreError::Busy,
        _ => CoreError::Sql(e),
    }
}

/// The pragmas every connection gets.
///
/// `synchronous = FULL` with WAL: each commit is fsynced before the command reports success,
/// so a laptop losing power keeps every write it was told had been saved (NORMAL could lose
/// the last few). The cost is one fsync per write, which the coordinator never notices.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl Store {
    /// Opens an existing store, upgrading an older one. Refuses, untouched: a missing path,
    /// an empty, foreign or damaged file, and a file from a newer version of the app.
    ///
    /// A store that cannot be written — on read-only media or a read-only share, without
    /// permission, or on a disk so full SQLite cannot open it for writing — opens read-only:
    /// everything can be read and exported, and each write is refused naming the cause
    /// (`Store::read_only`).
    pub fn open(path: &Path) -> Result<Store, CoreError> {
        let version = store_version(path)?;
        if let Some(reason) = crate::fault::write_refusal(path) {
            return open_read_only(path, version, reason);
        }
        match open_read_write(path, version) {
            Ok(store) => Ok(store),
            Err(Opening::Sql(e)) if crate::fault::refuses_writing(&e) => {
                let reason = match crate::fault::store_write_failed(path, e) {
                    CoreError::DiskFull { .. } => ReadOnlyReason::DiskFull,
                    CoreError::ReadOnly { .. } => crate::fault::write_refusal(path).unwrap_or(ReadOnlyReason::Medium),
                    other => return Err(other),
                };
                open_read_only(path, version, reason)
            }
            Err(Opening::Sql(e)) => Err(map_sql(path, e)),
            Err(Opening::Core(e)) => Err(e),
        }
    }

    /// Why the store is open for reading only, if it is.
    pub fn read_only(&self) -> Option<ReadOnlyReason> {
        self.read_only
    }

    /// A store open read-only is tried for writing again (the disk freed, the stick made
    /// writable); returns whether it can be written now.
    pub fn try_writable(&mut self) -> bool {
        self.ensure_writable().is_ok()
    }

    /// Before a write: a store opened read-only is tried for writing again (the disk may have
    /// been freed, the stick made writable); if it still cannot be written, the write is
    /// refused naming the cause.
    pub(crate) fn ensure_writable(&mut self) -> Result<(), CoreError> {
        let Some(reason) = self.read_only else { return Ok(()) };
        if reason == ReadOnlyReason::Demo {
            return Err(reason.refusal(&self.path));
        }
        let version = store_version(&self.path)?;
        if crate::fault::write_refusal(&self.path).is_some() {
            return Err(reason.refusal(&self.path));
        }
        match open_read_write(&self.path, version) {
            Ok(writable) => {
                *self = writable;
                Ok(())
            }
            Err(_) => Err(reason.refusal(&self.path)),
        }
    }

    /// Opens a store for reading only, whatever its disk allows, for `reason` (the demo copy).
    pub(crate) fn open_read_only_for(path: &Path, reason: ReadOnlyReason) -> Result<Store, CoreError> {
        let version = store_version(path)?;
        open_read_only(path, version, reason)
    }

    /// Opens and runs SQLite's own consistency check (slower; for app start-up and `check`).
    pub fn open_checked(path: &Path) -> Result<Store, CoreError> {
        let store = Store::open(path)?;
        let verdict: String = store.conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| map_sql(path, e))?;
        if verdict != "ok" {
            return Err(CoreError::Damaged { path: path.to_path_buf(), detail: format!("integrity check: {verdict}") });
        }
        Ok(store)
    }

    /// Creates a new store at `path` holding `record`. The file is built beside the target and
    /// moved into place only when complete, so a failure leaves no half-made store behind.
    /// Refuses if anything exists at `path`.
    pub fn create(path: &Path, record: &Record, event: &str) -> Result<Store, CoreError> {
        if path.exists() || path.symlink_metadata().is_ok() {
            return Err(CoreError::AlreadyExists { path: path.to_path_buf() });
        }
        crate::interchange::validate_record(record)?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        super::create_private_dir(&dir)?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "ccsp.sqlite3".into());
        let tmp = dir.join(format!(".{file_name}.creating-{}", std::process::id()));
        let result = build_new(&tmp, record, event).and_then(|()| place_new(&tmp, path));
        if result.is_err() {
            // The half-built file was never the store and never named like one: tidying only.
            let _ = std::fs::remove_file(&tmp);
            let _ = std::fs::remove_file(tmp.with_extension("creating-wal")); // as above
        }
        result?;
        Store::open(path)
    }
}

/// What the header says the file is; anything but a store of a version we know is refused.
fn store_version(path: &Path) -> Result<i64, CoreError> {
    if path.is_dir() {
        return Err(CoreError::invalid("db", format!("{} is a folder; give a file name", path.display())));
    }
    let p = path.to_path_buf();
    match identify(path)? {
        FileKind::Missing => Err(CoreError::NoStore { path: p }),
        FileKind::Foreign(detail) => Err(CoreError::NotAStore { path: p, detail }),
        FileKind::Damaged(detail) => Err(CoreError::Damaged { path: p, detail }),
        FileKind::TooNew { version } => Err(CoreError::TooNew { path: p, found: version, supported: migrations::latest_version() }),
        FileKind::Store { version } => Ok(version),
    }
}

/// An error while opening: SQLite's own (which may mean "this disk will not be written"), or
/// one already named.
enum Opening {
    Sql(rusqlite::Error),
    Core(CoreError),
}

impl From<rusqlite::Error> for Opening {
    fn from(e: rusqlite::Error) -> Self {
        Opening::Sql(e)
    }
}

impl From<CoreError> for Opening {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Sql(s) => Opening::Sql(s),
            other => Opening::Core(other),
        }
    }
}

fn open_read_write(path: &Path, version: i64) -> Result<Store, Opening> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    configure(&conn)?;
    // Upgrade only when the header says the file is older: a current store is not
    // write-locked just to be read.
    let applied = if version < migrations::latest_version() {
        // The file as it was, in backups/, before anything is changed.
        super::backup::snapshot(&conn, path, "before-migration")?;
        migrations::migrate(&mut conn, MIGRATIONS)?
    } else {
        Vec::new()
    };
    if let Some(last) = applied.last() {
        Store::log_event(&conn, "migrated", &format!("to store version {last}"))?;
    }
    // Reading the plan opens the WAL and its index: a disk that cannot hold them fails here.
    let plan_id = first_plan(&conn, path)?;
    Ok(Store { conn, path: path.to_path_buf(), plan_id, read_only: None })
}

fn first_plan(conn: &Connection, path: &Path) -> Result<i64, Opening> {
    let plan_id: Option<i64> = conn.query_row("SELECT id FROM plan ORDER BY id LIMIT 1", [], |r| r.get(0)).optional()?;
    plan_id.ok_or_else(|| Opening::Core(CoreError::Damaged { path: path.to_path_buf(), detail: "it holds no plan".into() }))
}

/// Opens a store that cannot be written. SQLite reads a WAL store read-only when its `-wal`
/// and `-shm` files exist; when they do not and cannot be created (read-only media, a full
/// disk), the file is opened as immutable — safe only because there is then no WAL whose
/// commits it would miss, which is checked first.
fn open_read_only(path: &Path, version: i64, reason: ReadOnlyReason) -> Result<Store, CoreError> {
    if version < migrations::latest_version() {
        return Err(CoreError::ReadOnly {
            path: path.to_path_buf(),
            detail: format!(
                "it was made by an older version of the app and must be upgraded, which needs writing ({}); copy it to a writable folder and open it there",
                reason.refusal(path)
            ),
        });
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let plain = Connection::open_with_flags(path, flags).map_err(Opening::from).and_then(|conn| {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let plan_id = first_plan(&conn, path)?;
        Ok((conn, plan_id))
    });
    let (conn, plan_id) = match plain {
        Ok(opened) => opened,
        Err(Opening::Core(e)) => return Err(e),
        Err(Opening::Sql(e)) if !has_pending_wal(path)? && crate::fault::refuses_writing(&e) => {
            let uri = immutable_uri(path)?;
            let conn = Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI).map_err(|e| map_sql(path, e))?;
            let plan_id = first_plan(&conn, path).map_err(|e| match e {
                Opening::Sql(s) => map_sql(path, s),
                Opening::Core(c) => c,
            })?;
            (conn, plan_id)
        }
        Err(Opening::Sql(e)) => return Err(map_sql(path, e)),
    };
    Ok(Store { conn, path: path.to_path_buf(), plan_id, read_only: Some(reason) })
}

/// Whether the store has a `-wal` file with commits in it (an immutable open would miss them).
fn has_pending_wal(path: &Path) -> Result<bool, CoreError> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    match std::fs::metadata(&wal) {
        Ok(m) => Ok(m.len() > 0),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(CoreError::io(PathBuf::from(wal), e)),
    }
}

/// `file:/path/to/ccsp.sqlite3?immutable=1`, with the characters a URI reserves escaped
/// (and `C:\x` written `/C:/x`, as SQLite wants on Windows).
fn immutable_uri(path: &Path) -> Result<String, CoreError> {
    let abs = std::path::absolute(path).map_err(|e| CoreError::io(path, e))?;
    let text = abs.to_str().ok_or_else(|| CoreError::invalid("db", "the store's path is not valid Unicode"))?;
    let mut uri = String::from("file:");
    let slashed = text.replace('\\', "/");
    if !slashed.starts_with('/') {
        uri.push('/');
    }
    for ch in slashed.chars() {
        match ch {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3F"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    Ok(uri)
}

fn build_new(tmp: &Path, record: &Record, event: &str) -> Result<(), CoreError> {
    let _ = std::fs::remove_file(tmp); // a leftover of a build that died; Connection::open fails clearly if it stays
    let mut conn = Connection::open(tmp).map_err(|e| map_sql(tmp, e))?;
    super::owner_only(tmp, false)?;
    configure(&conn)?;
    // A file nobody else can see yet: no rollback journal and no syncs while it is built (a
    // failure deletes it), enough cache to hold it, then one fsync before it is moved into place.
    conn.pragma_update(None, "journal_mode", "OFF")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    conn.pragma_update(None, "cache_size", -65536)?;
    migrations::migrate(&mut conn, MIGRATIONS)?;
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    super::record::insert_record(&tx, record)?;
    Store::log_event(&tx, event, "")?;
    tx.commit()?;
    // WAL is a property of the file: set once here, every later connection uses it.
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if mode != "wal" {
        return Err(CoreError::Refused(format!("the store could not switch to WAL mode (got {mode})")));
    }
    conn.close().map_err(|(_, e)| map_sql(tmp, e))?;
    File::open(tmp).and_then(|f| f.sync_all()).map_err(|e| CoreError::io(tmp, e))?;
    Ok(())
}

/// Moves the finished file into place without ever replacing something that appeared there.
fn place_new(tmp: &Path, path: &Path) -> Result<(), CoreError> {
    match std::fs::hard_link(tmp, path) {
        Ok(()) => {
            std::fs::remove_file(tmp).map_err(|e| CoreError::io(tmp, e))?;
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(CoreError::AlreadyExists { path: path.to_path_buf() }),
        // File systems without hard links (FAT on a USB stick): fall back to rename.
        Err(_) => {
            if path.exists() {
                return Err(CoreError::AlreadyExists { path: path.to_path_buf() });
            }
            std::fs::rename(tmp, path).map_err(|e| CoreError::io(path, e))
        }
    }
}
