//! Text checks shared by every write: no NUL or control characters, sensible lengths.

use crate::error::CoreError;

/// Limits in characters.
pub const SHORT: usize = 200;
pub const TITLE: usize = 500;
pub const LONG: usize = 100_000;

/// Checks free text: no NUL or other control characters except newline and tab, and at most
/// `max` characters. Markup and SQL are just text and are stored as typed.
pub fn text(field: &str, value: &str, max: usize) -> Result<(), CoreError> {
    if let Some(c) = value.chars().find(|c| c.is_control() && *c != '\n' && *c != '\t' && *c != '\r') {
        let what = if c == '\0' { "a NUL character".to_string() } else { format!("a control character (U+{:04X})", c as u32) };
        return Err(CoreError::invalid(field, format!("contains {what}, which cannot be stored")));
    }
    let n = value.chars().count();
    if n > max {
        return Err(CoreError::invalid(field, format!("is {n} characters long; the most is {max}")));
    }
    Ok(())
}

/// As `text`, and must not be blank.
pub fn required(field: &str, value: &str, max: usize) -> Result<(), CoreError> {
    if value.trim().is_empty() {
        return Err(CoreError::invalid(field, "is required"));
    }
    text(field, value, max)
}
