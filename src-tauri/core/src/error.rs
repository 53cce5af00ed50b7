//! The core's errors. Every message is written for the coordinator, not the developer.

use std::path::PathBuf;

use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Bad input: names the field and the problem.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },

    /// Several fields of a form are wrong at once (the app shows them all, GOV.UK-style).
    #[error("{}", .0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("; "))]
    InvalidFields(Vec<FieldError>),

    #[error("{what} {key} was not found")]
    NotFound { what: &'static str, key: String },

    /// The request is well formed but the record's state forbids it (signed-off quarter...).
    #[error("{0}")]
    Refused(String),

    #[error("there is no CCSP store at {path}; create one with `ccsp init` (or import a JSON export)")]
    NoStore { path: PathBuf },

    #[error("{path} already exists; nothing was changed")]
    AlreadyExists { path: PathBuf },

    #[error("{path} is not a CCSP Coordinator store ({detail}); it was left untouched")]
    NotAStore { path: PathBuf, detail: String },

    #[error("{path} looks damaged ({detail}); it was left untouched — restore a backup with `ccsp restore`")]
    Damaged { path: PathBuf, detail: String },

    #[error("{path} was written by a newer CCSP Coordinator (store version {found}, this one knows up to {supported}); update the app — the file was left untouched")]
    TooNew { path: PathBuf, found: i64, supported: i64 },

    #[error("the store is busy (another window or command is writing); try again in a moment")]
    Busy,

    /// The disk refused the write for lack of space. Nothing was changed.
    #[error("the disk holding {} is full ({} free); free some space and try again — nothing was changed", .path.display(), .free.map(crate::fault::human_bytes).unwrap_or_else(|| "almost nothing".into()))]
    DiskFull { path: PathBuf, free: Option<u64> },

    /// Read-only media, a read-only share or no permission: reading and exporting still work.
    #[error("{} cannot be changed: {detail} — it is open for reading and exporting only; nothing was changed", .path.display())]
    ReadOnly { path: PathBuf, detail: String },

    /// The medium failed mid-write (a pulled stick, a dropped share). Nothing was changed.
    #[error("{} could not be written ({detail}); check the disk or stick is still there and try again — nothing was changed", .path.display())]
    MediumFailed { path: PathBuf, detail: String },

    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },

    #[error("the store could not complete the request: {0}")]
    Sql(#[from] rusqlite::Error),
}

impl CoreError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        CoreError::Invalid { field: field.into(), message: message.into() }
    }

    /// The same problem, reported against the field the user actually filled in (a quarter
    /// parsed for `--due-quarter` is a due-quarter problem, not a "quarter" one).
    pub fn for_field(self, field: &str) -> Self {
        match self {
            CoreError::Invalid { message, .. } => CoreError::invalid(field, message),
            other => other,
        }
    }

    pub fn not_found(what: &'static str, key: impl Into<String>) -> Self {
        CoreError::NotFound { what, key: key.into() }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CoreError::Io { path: path.into(), source }
    }

    /// A stable machine code, used at the IPC boundary and by the CLI's exit codes.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Invalid { .. } | CoreError::InvalidFields(_) => ErrorCode::Invalid,
            CoreError::NotFound { .. } => ErrorCode::NotFound,
            CoreError::Refused(_) => ErrorCode::Refused,
            CoreError::NoStore { .. } => ErrorCode::NoStore,
            CoreError::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            CoreError::NotAStore { .. } => ErrorCode::NotAStore,
            CoreError::Damaged { .. } => ErrorCode::Damaged,
            CoreError::TooNew { .. } => ErrorCode::TooNew,
            CoreError::Busy => ErrorCode::Busy,
            CoreError::DiskFull { .. } => ErrorCode::DiskFull,
            CoreError::ReadOnly { .. } => ErrorCode::ReadOnly,
            CoreError::MediumFailed { .. } => ErrorCode::MediumFailed,
            CoreError::Io { source, .. } => match source.kind() {
                std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => ErrorCode::DiskFull,
                std::io::ErrorKind::ReadOnlyFilesystem => ErrorCode::ReadOnly,
                _ => ErrorCode::Io,
            },
            CoreError::Sql(_) => ErrorCode::Store,
        }
    }

    /// The CLI's exit code (PRODUCT.md): 2 bad input or file, 3 refused by the record's state,
    /// 4 store problems, 5 the disk or medium refused the write, 1 anything else.
    pub fn exit_code(&self) -> u8 {
        self.code().exit_code()
    }

    /// The `{code, message}` shape that crosses the IPC boundary.
    pub fn to_wire(&self) -> WireError {
        let fields = match self {
            CoreError::Invalid { field, message } => vec![FieldError { field: field.clone(), message: message.clone() }],
            CoreError::InvalidFields(f) => f.clone(),
            _ => vec![],
        };
        WireError { code: self.code(), message: self.to_string(), fields }
    }
}

/// Every machine code an error can carry, the one list the CLI's exit codes and the window
/// (generated into `bindings.ts`) share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid,
    NotFound,
    Refused,
    NoStore,
    AlreadyExists,
    NotAStore,
    Damaged,
    TooNew,
    Busy,
    DiskFull,
    ReadOnly,
    MediumFailed,
    Io,
    Store,
    /// Something the app itself got wrong (a poisoned lock, a failed dialog).
    Internal,
}

impl ErrorCode {
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorCode::Invalid | ErrorCode::NotFound => 2,
            ErrorCode::Refused | ErrorCode::AlreadyExists => 3,
            ErrorCode::NoStore | ErrorCode::NotAStore | ErrorCode::Damaged | ErrorCode::TooNew => 4,
            ErrorCode::DiskFull | ErrorCode::ReadOnly | ErrorCode::MediumFailed => 5,
            ErrorCode::Busy | ErrorCode::Io | ErrorCode::Store | ErrorCode::Internal => 1,
        }
    }
}

/// One field's problem, for messages beside form fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// An error as the frontend receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct WireError {
    pub code: ErrorCode,
    pub message: String,
    /// For "invalid": each field and its problem (empty otherwise, and then left out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<FieldError>>")]
    pub fields: Vec<FieldError>,
}

impl WireError {
    /// An error of the app itself, not of the coordinator's input or the disk.
    pub fn internal(message: impl Into<String>) -> Self {
        WireError { code: ErrorCode::Internal, message: message.into(), fields: vec![] }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
