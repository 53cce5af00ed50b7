//! Faults a laptop meets, named: a full disk, read-only media or a read-only share, no
//! permission. SQLite and the file system report these as "disk I/O error" or "unable to open
//! database file"; this module looks at the disk itself and says which it was, so the
//! coordinator hears the cause and what still works (PRODUCT.md exit code 5).

use std::io;
use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

use crate::error::CoreError;

/// Below this much free space a disk counts as full: SQLite needs room for a WAL frame and its
/// shared-memory index (32 KiB) before it can commit anything.
const NEARLY_FULL: u64 = 256 * 1024;

/// Why a store is open for reading only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ReadOnlyReason {
    /// The disk, stick or share is mounted read-only (write-protected, archived).
    Medium,
    /// The file or its folder may not be written by this user.
    Permission,
    /// The disk holding the store is full: SQLite could not even open it for writing.
    DiskFull,
    /// The demo copy (`demo::open_demo_copy`): illustrative data to look around, never written.
    Demo,
}

impl ReadOnlyReason {
    /// The error a write gets while the store is open read-only for this reason.
    pub fn refusal(self, store: &Path) -> CoreError {
        match self {
            ReadOnlyReason::DiskFull => CoreError::DiskFull { path: store.to_path_buf(), free: free_space(store) },
            ReadOnlyReason::Medium => CoreError::ReadOnly { path: store.to_path_buf(), detail: "the disk or share it is on is read-only".into() },
            ReadOnlyReason::Permission => CoreError::ReadOnly { path: store.to_path_buf(), detail: "you do not have permission to change it".into() },
            ReadOnlyReason::Demo => CoreError::ReadOnly {
                path: store.to_path_buf(),
                detail: "it is the demo copy, which shows what the app does and is never changed; go back to your own store to make changes".into(),
            },
        }
    }

    /// What the app's banner says.
    pub fn banner(self) -> &'static str {
        match self {
            ReadOnlyReason::Medium => {
                "The store is on a read-only disk or share: you can read and export everything, but not change it. Copy it to a writable folder to edit."
            }
            ReadOnlyReason::Permission => "You do not have permission to change the store: you can read and export everything, but not change it.",
            ReadOnlyReason::DiskFull => {
                "The disk holding the store is full: you can read and export everything, but changes cannot be saved until some space is freed."
            }
            ReadOnlyReason::Demo => {
                "This is a demo copy with made-up actions and returns, to look around and try the exports: it is not your partnership's record, and nothing in it can be changed."
            }
        }
    }
}

/// Free space for this user on the disk holding `path` (measured at the nearest folder that
/// exists). None when the system cannot say, and the message then leaves the figure out.
pub fn free_space(path: &Path) -> Option<u64> {
    let mut at = Some(path);
    while let Some(p) = at {
        if p.is_dir() {
            return fs4::available_space(p).ok(); // unknown free space: the message leaves the figure out
        }
        at = p.parent().filter(|d| !d.as_os_str().is_empty());
    }
    fs4::available_space(Path::new(".")).ok() // as above
}

/// "12 KB", "3.4 MB": free space as a coordinator reads it.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if v < 10.0 {
        format!("{v:.1} {}", UNITS[unit])
    } else {
        format!("{v:.0} {}", UNITS[unit])
    }
}

/// Whether the file (or, when it does not exist, its folder's file system) refuses writing,
/// and why. Opening a file for writing changes nothing in it.
pub fn write_refusal(path: &Path) -> Option<ReadOnlyReason> {
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => None,
        Err(e) => io_reason(&e),
    }
}

fn io_reason(e: &io::Error) -> Option<ReadOnlyReason> {
    match e.kind() {
        io::ErrorKind::ReadOnlyFilesystem => Some(ReadOnlyReason::Medium),
        io::ErrorKind::PermissionDenied => Some(ReadOnlyReason::Permission),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Some(ReadOnlyReason::DiskFull),
        _ => None,
    }
}

/// Names the fault behind a failed write of the store at `store`: a full disk, read-only media
/// or a permission, judged from SQLite's code and from the disk itself; else the SQLite error.
pub fn store_write_failed(store: &Path, e: rusqlite::Error) -> CoreError {
    let code = e.sqlite_error_code();
    let disk_suspect =
        matches!(code, Some(ErrorCode::DiskFull | ErrorCode::ReadOnly | ErrorCode::SystemIoFailure | ErrorCode::CannotOpen | ErrorCode::PermissionDenied));
    if !disk_suspect {
        return crate::store::map_sql(store, e);
    }
    if code == Some(ErrorCode::DiskFull) {
        return ReadOnlyReason::DiskFull.refusal(store);
    }
    if let Some(reason) = write_refusal(store) {
        return reason.refusal(store);
    }
    if free_space(store).is_some_and(|f| f < NEARLY_FULL) {
        return ReadOnlyReason::DiskFull.refusal(store);
    }
    if code == Some(ErrorCode::SystemIoFailure) {
        return CoreError::MediumFailed { path: store.to_path_buf(), detail: e.to_string() };
    }
    crate::store::map_sql(store, e)
}

/// Whether an error met while opening a store for writing means "this disk will not be
/// written" (so the store may still open read-only), rather than a damaged or busy file.
pub(crate) fn refuses_writing(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DiskFull | ErrorCode::ReadOnly | ErrorCode::SystemIoFailure | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

/// A file the coordinator names to be read (an import, a backup to restore, a text file):
/// "file: … does not exist" or "… is a folder; give a file name", before anything is opened.
pub fn input_file(field: &str, path: &Path) -> Result<(), CoreError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(CoreError::invalid(field, format!("{} is a folder; give a file name", path.display()))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(CoreError::invalid(field, format!("{} does not exist", path.display()))),
        Err(e) => Err(CoreError::io(path, e)),
    }
}

/// Names the fault behind a failed write of an exported file (or a backup) at `path`.
pub fn file_write_failed(path: &Path, e: io::Error) -> CoreError {
    let target = path.to_path_buf();
    match io_reason(&e) {
        Some(ReadOnlyReason::DiskFull) => CoreError::DiskFull { free: free_space(&target), path: target },
        Some(ReadOnlyReason::Medium) => CoreError::ReadOnly { path: folder_of(&target), detail: "the disk or share it is on is read-only".into() },
        Some(ReadOnlyReason::Permission) => CoreError::ReadOnly { path: folder_of(&target), detail: "you do not have permission to write there".into() },
        None if free_space(&target).is_some_and(|f| f < NEARLY_FULL) => CoreError::DiskFull { free: free_space(&target), path: target },
        // The disk never says "demo"; only `open_demo_copy` gives that reason.
        None | Some(ReadOnlyReason::Demo) => CoreError::io(target, e),
    }
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_reads_as_a_coordinator_would_say_it() {
        assert_eq!(human_bytes(0), "0 bytes");
        assert_eq!(human_bytes(12 * 1024), "12 KB");
        assert_eq!(human_bytes(3_565_158), "3.4 MB");
        assert_eq!(human_bytes(5 * 1024 * 1024 * 1024), "5.0 GB");
    }

    #[test]
    fn a_full_disk_error_from_the_file_system_is_named_with_the_target() {
        let e = file_write_failed(Path::new("/tmp/x.pdf"), io::Error::from(io::ErrorKind::StorageFull));
        assert!(matches!(e, CoreError::DiskFull { .. }), "{e:?}");
        assert!(e.to_string().contains("is full"), "{e}");
    }

    #[test]
    fn a_read_only_file_system_names_the_folder() {
        let e = file_write_failed(Path::new("/media/stick/x.pdf"), io::Error::from(io::ErrorKind::ReadOnlyFilesystem));
        assert!(matches!(&e, CoreError::ReadOnly { path, .. } if path == Path::new("/media/stick")), "{e:?}");
    }

    #[test]
    fn free_space_is_measured_at_the_nearest_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_space(&dir.path().join("not/yet/here.sqlite3")).is_some());
    }
}
