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
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { .. } | CoreError::InvalidFields(_) => "invalid",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Refused(_) => "refused",
            CoreError::NoStore { .. } => "no_store",
            CoreError::AlreadyExists { .. } => "already_exists",
            CoreError::NotAStore { .. } => "not_a_store",
            CoreError::Damaged { .. } => "damaged",
            CoreError::TooNew { .. } => "too_new",
            CoreError::Busy => "busy",
            CoreError::Io { .. } => "io",
            CoreError::Sql(_) => "store",
        }
    }

    /// The `{code, message}` shape that crosses the IPC boundary.
    pub fn to_wire(&self) -> WireError {
        let fields = match self {
            CoreError::Invalid { field, message } => vec![FieldError { field: field.clone(), message: message.clone() }],
            CoreError::InvalidFields(f) => f.clone(),
            _ => vec![],
        };
        WireError { code: self.code().to_string(), message: self.to_string(), fields }
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
    pub code: String,
    pub message: String,
    /// For "invalid": each field and its problem (empty otherwise, and then left out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<FieldError>>")]
    pub fields: Vec<FieldError>,
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
