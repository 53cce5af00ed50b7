//! CCSP Coordinator's core: everything the app does, with no Tauri in it. The desktop app and
//! the `ccsp` CLI are thin adapters over these functions.

pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod fault;
pub mod interchange;
pub mod paths;
pub mod store;
pub mod validate;

pub use error::{CoreError, ErrorCode, Result, WireError};
pub use store::{Ctx, Store};

use std::path::Path;

/// `ccsp init` and the desktop app's first start: a new store seeded with the Coventry plan.
pub fn init_store(path: &Path) -> Result<Store> {
    let seed = interchange::seed_record()?;
    Store::create(path, &seed, "created from the embedded Coventry plan 2025-2028")
}

/// `ccsp import json`: into a path with no store, creates it; into an existing store, refused
/// unless `replace`, which backs the store up first. Returns the backup taken, if any.
pub fn import_json(path: &Path, file: &Path, replace: bool) -> Result<Option<std::path::PathBuf>> {
    // Store::create and replace_record validate the whole record before writing anything.
    let record = interchange::read_record_file(file)?;
    match store::identify(path)? {
        store::FileKind::Missing => {
            Store::create(path, &record, &format!("imported from {}", file.display()))?;
            Ok(None)
        }
        _ if !replace => Err(CoreError::Refused(format!("{} already holds a store; add --replace to replace it (it is backed up first)", path.display()))),
        _ => {
            let mut s = Store::open(path)?;
            let backup = s.backup_rolling("before-import")?;
            s.replace_record(&record, "imported", &format!("from {}", file.display()))?;
            Ok(Some(backup))
        }
    }
}
