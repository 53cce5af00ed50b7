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
        let words = field.replace(['_', '-'], " ");
        return Err(CoreError::invalid(field, format!("{} is required", with_article(&words))));
    }
    text(field, value, max)
}

/// "a reason", "an Amber update": the article English puts before a word.
pub fn with_article(words: &str) -> String {
    let first = words.trim_start().chars().next().map(|c| c.to_ascii_lowercase());
    let article = if matches!(first, Some('a' | 'e' | 'i' | 'o' | 'u')) { "an" } else { "a" };
    format!("{article} {}", words.trim())
}

/// "1 action", "2 actions", "0 actions": a count with its noun.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod words_tests {
    use super::*;

    #[test]
    fn articles_and_plurals_read_right() {
        assert_eq!(with_article("Amber update"), "an Amber update");
        assert_eq!(with_article("Red update"), "a Red update");
        assert_eq!(with_article("reason"), "a reason");
        assert_eq!(count(1, "action"), "1 action");
        assert_eq!(count(0, "action"), "0 actions");
        assert_eq!(count(2, "quarterly update"), "2 quarterly updates");
        assert_eq!(required("reason", " ", 10).unwrap_err().to_string(), "reason: a reason is required");
    }
}
