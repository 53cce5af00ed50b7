//! Writing an exported file (JSON or PDF) safely: never over a store, only into a folder that
//! exists, and whole or not at all (written beside the target, then renamed into place).

use std::io::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::error::CoreError;
use crate::store::{identify, FileKind};

/// What an export from the app produced.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportResult {
    /// Where the file was written; None when the coordinator cancelled the save dialog.
    pub path: Option<String>,
    pub pages: u32,
    /// Anything the reader should know: content left out, characters the fonts lack.
    pub warnings: Vec<String>,
}

/// Writes `bytes` to `out`, refusing to replace a CCSP store (or the open store itself), a
/// folder, or a path in a folder that does not exist. The file is written to a temporary file
/// in the target folder, synced to the disk, then renamed into place: a full disk, a pulled
/// stick or a crash never leaves half a PDF, JSON file or workbook under the chosen name.
pub fn write_out(out: &Path, bytes: &[u8], store_path: &Path, how: Write) -> Result<(), CoreError> {
    check_target(out, store_path)?;
    if !how.overwrite && out.symlink_metadata().is_ok() {
        return Err(exists(out));
    }
    let dir = folder_of(out);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".ccsp-export-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(if how.private { 0o600 } else { 0o644 }));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| crate::fault::file_write_failed(out, e))?;
    // The temporary file is removed when `tmp` is dropped on any failure below.
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| crate::fault::file_write_failed(out, e))?;
    if how.overwrite {
        tmp.persist(out).map_err(|e| crate::fault::file_write_failed(out, e.error))?;
    } else {
        // No replacing, even of a file that appeared since the check above.
        tmp.persist_noclobber(out).map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => exists(out),
            _ => crate::fault::file_write_failed(out, e.error),
        })?;
    }
    sync_folder(dir);
    Ok(())
}

fn exists(out: &Path) -> CoreError {
    CoreError::Refused(format!("{} already exists; choose another name, or add --force to replace it — nothing was changed", out.display()))
}

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Write {
    /// Replace a file already there (`--force`, or the save dialog's own confirmation).
    pub overwrite: bool,
    /// The whole record (the JSON export): readable by its owner only on Unix, like the store
    /// and its backups; papers meant for publishing are readable by others. On Windows a file
    /// takes its folder's permissions.
    pub private: bool,
}

/// The checks a target gets before anything is written.
pub fn check_target(out: &Path, store_path: &Path) -> Result<(), CoreError> {
    if out.is_dir() {
        return Err(CoreError::invalid("out", format!("{} is a folder; give a file name", out.display())));
    }
    if let Ok(FileKind::Store { .. } | FileKind::Damaged(_) | FileKind::TooNew { .. }) = identify(out) {
        return Err(CoreError::invalid("out", format!("{} is a CCSP store; choose another file name", out.display())));
    }
    if out == store_path {
        return Err(CoreError::invalid("out", "is the store itself; choose another file name"));
    }
    let dir = folder_of(out);
    if !dir.is_dir() {
        return Err(CoreError::invalid("out", format!("the folder {} does not exist", dir.display())));
    }
    Ok(())
}

fn folder_of(out: &Path) -> &Path {
    out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Makes the rename itself durable (Unix: fsync the folder). The file's bytes are already
/// synced; a folder that cannot be synced (some network shares, FAT) only risks the new name
/// after a power cut, never a half-written file, so a failure here is not reported.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all(); // see above: the file itself is synced already
    }
    #[cfg(not(unix))]
    let _ = dir; // nothing to sync on this platform
}

/// The files this window exported: the only ones it may ask the system to open.
#[derive(Debug, Default)]
pub struct Exported(Vec<std::path::PathBuf>);

impl Exported {
    pub fn record(&mut self, path: &Path) {
        self.0.push(path.to_path_buf());
    }

    /// Refuses anything this window did not export itself.
    pub fn may_open(&self, path: &Path) -> Result<(), CoreError> {
        if self.0.iter().any(|p| p == path) {
            Ok(())
        } else {
            Err(CoreError::Refused("only a file exported in this session can be opened from here".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_file_this_window_exported_may_be_opened() {
        let mut e = Exported::default();
        e.record(Path::new("/tmp/plan.pdf"));
        assert!(e.may_open(Path::new("/tmp/plan.pdf")).is_ok());
        assert!(e.may_open(Path::new("/etc/passwd")).is_err());
        assert!(e.may_open(Path::new("/tmp/other.pdf")).is_err());
    }

    #[test]
    fn an_export_is_refused_onto_a_folder_or_into_a_missing_one_or_over_the_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("ccsp.sqlite3");
        let msg = |r: Result<(), CoreError>| r.unwrap_err().to_string();
        let w = Write { overwrite: false, private: false };
        assert!(msg(write_out(dir.path(), b"x", &store, w)).contains("is a folder; give a file name"));
        assert!(msg(write_out(&dir.path().join("nope/x.pdf"), b"x", &store, w)).contains("does not exist"));
        assert!(msg(write_out(&store, b"x", &store, w)).contains("is the store itself"));
        write_out(&dir.path().join("x.pdf"), b"%PDF", &store, w).unwrap();
        assert_eq!(std::fs::read(dir.path().join("x.pdf")).unwrap(), b"%PDF");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 1, "no temporary file is left: {left:?}");
    }
}

#[cfg(test)]
mod overwrite_tests {
    use super::*;

    #[test]
    fn an_existing_file_is_kept_unless_replacing_is_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("ccsp.sqlite3");
        let out = dir.path().join("plan.pdf");
        std::fs::write(&out, b"mine").unwrap();
        let err = write_out(&out, b"new", &store, Write { overwrite: false, private: false }).unwrap_err();
        assert!(err.to_string().contains("already exists") && err.to_string().contains("--force"), "{err}");
        assert_eq!(std::fs::read(&out).unwrap(), b"mine");
        write_out(&out, b"new", &store, Write { overwrite: true, private: false }).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn the_whole_record_is_written_for_its_owner_only_and_papers_for_reading() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("ccsp.sqlite3");
        write_out(&dir.path().join("record.json"), b"{}", &store, Write { overwrite: false, private: true }).unwrap();
        write_out(&dir.path().join("plan.pdf"), b"%PDF", &store, Write { overwrite: false, private: false }).unwrap();
        let mode = |n: &str| std::fs::metadata(dir.path().join(n)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("record.json"), 0o600);
        assert_eq!(mode("plan.pdf"), 0o644);
    }
}
