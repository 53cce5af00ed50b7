//! Money as integer pence. Never floats: "2500.00" is parsed digit by digit.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// An amount of money in pence. Amounts the coordinator enters are never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pence(pub i64);

/// Upper bound on any single amount: £10 billion, far above any partnership budget,
/// and far below i64 overflow when summed.
pub const MAX_PENCE: i64 = 1_000_000_000_000;

impl Pence {
    /// Parses pounds as the coordinator writes them: `2500`, `2500.5`, `2,500.00`, `£2,500.00`.
    /// Refuses negative amounts, fractions of a penny and anything that is not a number.
    pub fn parse_pounds(field: &str, text: &str) -> Result<Pence, CoreError> {
        let t = text.trim();
        let shown = if t.is_empty() { "(empty)" } else { t };
        let bad = || CoreError::invalid(field, format!("\"{shown}\" is not an amount in pounds; write it like 2500.00"));
        let body = t.strip_prefix('£').unwrap_or(t).trim_start();
        if body.starts_with('-') {
            return Err(CoreError::invalid(field, format!("{shown}: an amount cannot be negative")));
        }
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, f),
            None => (body, ""),
        };
        if whole.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        // Thousands separators are allowed only in groups of three.
        let mut groups = whole.split(',');
        let first = groups.next().unwrap_or("");
        let rest: Vec<&str> = groups.collect();
        if !rest.is_empty() && (first.is_empty() || first.len() > 3 || rest.iter().any(|g| g.len() != 3)) {
            return Err(bad());
        }
        let digits: String = whole.chars().filter(|c| *c != ',').collect();
        if !digits.bytes().all(|c| c.is_ascii_digit()) || !frac.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 {
            return Err(CoreError::invalid(field, format!("{shown}: amounts are in pounds and pence, at most two decimal places")));
        }
        if digits.len() > 12 {
            return Err(CoreError::invalid(field, format!("{shown} is larger than any amount this app accepts")));
        }
        let pounds: i64 = if digits.is_empty() { 0 } else { digits.parse().map_err(|_| bad())? };
        let pence: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac.parse().map_err(|_| bad())?,
        };
        let total = pounds * 100 + pence;
        if total > MAX_PENCE {
            return Err(CoreError::invalid(field, format!("{shown} is larger than any amount this app accepts")));
        }
        Ok(Pence(total))
    }

    /// Checks an amount read from a file (JSON import): whole pence, not negative, bounded.
    pub fn checked(field: &str, pence: i64) -> Result<Pence, CoreError> {
        if pence < 0 {
            return Err(CoreError::invalid(field, format!("{pence} pence: an amount cannot be negative")));
        }
        if pence > MAX_PENCE {
            return Err(CoreError::invalid(field, format!("{pence} pence is larger than any amount this app accepts")));
        }
        Ok(Pence(pence))
    }

    /// `£2,500.00`.
    pub fn pounds(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Pence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}£{grouped}.{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pounds_and_pence_parse_exactly() {
        assert_eq!(Pence::parse_pounds("funding", "2500.00").unwrap(), Pence(250_000));
        assert_eq!(Pence::parse_pounds("funding", "£153,000").unwrap(), Pence(15_300_000));
        assert_eq!(Pence::parse_pounds("funding", "0.1").unwrap(), Pence(10));
        assert_eq!(Pence::parse_pounds("funding", "19.99").unwrap(), Pence(1999));
    }

    #[test]
    fn negative_sub_penny_and_junk_amounts_are_refused_naming_the_field() {
        for bad in ["-5", "1.234", "abc", "", "1,00", "£", "1e3", "NaN", "12.3.4", "9999999999999"] {
            let err = Pence::parse_pounds("funding", bad).unwrap_err().to_string();
            assert!(err.starts_with("funding:"), "{bad}: {err}");
        }
    }

    #[test]
    fn amounts_display_with_pound_sign_and_thousands() {
        assert_eq!(Pence(15_300_000).to_string(), "£153,000.00");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence(-123_456).to_string(), "-£1,234.56");
    }

    proptest! {
        #[test]
        fn displayed_amounts_parse_back(p in 0i64..MAX_PENCE) {
            prop_assert_eq!(Pence::parse_pounds("x", &Pence(p).to_string()).unwrap(), Pence(p));
        }

        #[test]
        fn money_parser_never_panics(s in "\\PC{0,30}") {
            let _ = Pence::parse_pounds("x", &s);
        }
    }
}
