//! Writing an exported file (JSON or PDF) safely: never over a store, only into a folder that
//! exists, and whole or not at all (written beside the target, then renamed into place).

use std::io::Write;
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
pub fn write_out(out: &Path, bytes: &[u8], store_path: &Path) -> Result<(), CoreError> {
    check_target(out, store_path)?;
    let dir = folder_of(out);
    let mut tmp = tempfile::Builder::new().prefix(".ccsp-export-").suffix(".tmp").tempfile_in(dir).map_err(|e| crate::fault::file_write_failed(out, e))?;
    // The temporary file is removed when `tmp` is dropped on any failure below.
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(|e| crate::fault::file_write_failed(out, e))?;
    tmp.persist(out).map_err(|e| crate::fault::file_write_failed(out, e.error))?;
    sync_folder(dir);
    Ok(())
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
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
