//! Writing an exported file (JSON or PDF) safely: never over a store, only into a folder that
//! exists, and whole or not at all (written beside the target, then renamed into place).

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

/// Writes `bytes` to `out`, refusing to replace a CCSP store (or the open store itself).
pub fn write_out(out: &Path, bytes: &[u8], store_path: &Path) -> Result<(), CoreError> {
    if let Ok(FileKind::Store { .. } | FileKind::Damaged(_) | FileKind::TooNew { .. }) = identify(out) {
        return Err(CoreError::invalid("out", format!("{} is a CCSP store; choose another file name", out.display())));
    }
    if out == store_path {
        return Err(CoreError::invalid("out", "is the store itself; choose another file name"));
    }
    let dir = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(CoreError::invalid("out", format!("the folder {} does not exist", dir.display())));
    }
    let tmp = dir.join(format!(".ccsp-export-{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CoreError::io(out, e)
    })?;
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CoreError::io(out, e)
    })
}
