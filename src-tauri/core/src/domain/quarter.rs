//! UK financial years (1 April to 31 March) and their quarters, as types.
//!
//! Machine form `2025-26` / `2025-26-Q2`; shown as `2025/26` / `2025/26 Q2`.
//! Q1 is April to June, Q2 July to September, Q3 October to December, Q4 January to March.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::CoreError;

/// A financial year, named by the calendar year it starts in (2025 for 2025/26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(i32);

/// One quarter of a financial year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: FinancialYear,
    number: u8,
}

const MIN_YEAR: i32 = 1990;
const MAX_YEAR: i32 = 2200;

impl FinancialYear {
    pub fn new(start_year: i32) -> Result<Self, CoreError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&start_year) {
            return Err(CoreError::invalid("year", format!("{start_year} is outside the years this app handles ({MIN_YEAR} to {MAX_YEAR})")));
        }
        Ok(Self(start_year))
    }

    pub fn start_year(self) -> i32 {
        self.0
    }

    /// The financial year a date falls in.
    pub fn containing(date: NaiveDate) -> Self {
        let y = if date.month() >= 4 { date.year() } else { date.year() - 1 };
        Self(y)
    }

    pub fn start(self) -> NaiveDate {
        ymd(self.0, 4, 1)
    }

    pub fn end(self) -> NaiveDate {
        ymd(self.0 + 1, 3, 31)
    }

    pub fn code(self) -> String {
        format!("{}-{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }

    pub fn quarters(self) -> [Quarter; 4] {
        [1, 2, 3, 4].map(|number| Quarter { year: self, number })
    }

    pub fn next(self) -> Self {
        Self(self.0 + 1)
    }

    /// Parses `2025-26`, `2025/26` or `2025-2026`.
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        let bad = || CoreError::invalid("year", format!("\"{}\" is not a financial year; write it like 2025-26", text.trim()));
        let t = text.trim();
        let (a, b) = t.split_once(['-', '/']).ok_or_else(bad)?;
        if a.len() != 4 || !a.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if !(b.len() == 2 || b.len() == 4) || !b.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let start: i32 = a.parse().map_err(|_| bad())?;
        let end: i32 = b.parse().map_err(|_| bad())?;
        let follows = if b.len() == 2 { end == (start + 1).rem_euclid(100) } else { end == start + 1 };
        if !follows {
            return Err(CoreError::invalid("year", format!("\"{t}\": a financial year runs from one year into the next, like 2025-26")));
        }
        Self::new(start)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

impl Quarter {
    pub fn new(year: FinancialYear, number: u8) -> Result<Self, CoreError> {
        if !(1..=4).contains(&number) {
            return Err(CoreError::invalid("quarter", format!("Q{number} does not exist; quarters are Q1 to Q4")));
        }
        Ok(Self { year, number })
    }

    pub fn year(self) -> FinancialYear {
        self.year
    }

    pub fn number(self) -> u8 {
        self.number
    }

    /// The quarter a date falls in.
    pub fn containing(date: NaiveDate) -> Self {
        let year = FinancialYear::containing(date);
        let number = match date.month() {
            4..=6 => 1,
            7..=9 => 2,
            10..=12 => 3,
            _ => 4,
        };
        Self { year, number }
    }

    pub fn start(self) -> NaiveDate {
        let y = self.year.0;
        match self.number {
            1 => ymd(y, 4, 1),
            2 => ymd(y, 7, 1),
            3 => ymd(y, 10, 1),
            _ => ymd(y + 1, 1, 1),
        }
    }

    pub fn end(self) -> NaiveDate {
        let y = self.year.0;
        match self.number {
            1 => ymd(y, 6, 30),
            2 => ymd(y, 9, 30),
            3 => ymd(y, 12, 31),
            _ => ymd(y + 1, 3, 31),
        }
    }

    pub fn next(self) -> Self {
        if self.number == 4 {
            Self { year: self.year.next(), number: 1 }
        } else {
            Self { year: self.year, number: self.number + 1 }
        }
    }

    pub fn previous(self) -> Self {
        if self.number == 1 {
            Self { year: FinancialYear(self.year.0 - 1), number: 4 }
        } else {
            Self { year: self.year, number: self.number - 1 }
        }
    }

    /// Machine form, e.g. `2025-26-Q2`.
    pub fn code(self) -> String {
        format!("{}-Q{}", self.year.code(), self.number)
    }

    /// Every quarter that overlaps `from..=to`, in order.
    pub fn between(from: NaiveDate, to: NaiveDate) -> Vec<Quarter> {
        let mut out = Vec::new();
        if to < from {
            return out;
        }
        let mut q = Quarter::containing(from);
        while q.start() <= to {
            out.push(q);
            q = q.next();
        }
        out
    }

    /// Parses `2025-26-Q2`, `2025/26 Q2` (any case, `-`, `/` or space as separators).
    pub fn parse(text: &str) -> Result<Self, CoreError> {
        let t = text.trim();
        let bad = || CoreError::invalid("quarter", format!("\"{t}\" is not a quarter; write it like 2025-26-Q2 (financial year, then Q1 to Q4)"));
        let mut upper = t.to_ascii_uppercase();
        // "Q2 2026/27", as people also write it, is "2026/27 Q2".
        if let Some((q, year)) = upper.split_once([' ', '-', '_']).filter(|(q, _)| q.len() == 2 && q.starts_with('Q')) {
            upper = format!("{} {q}", year.trim());
        }
        let qpos = upper.rfind('Q').ok_or_else(bad)?;
        let (year_part, q_part) = upper.split_at(qpos);
        let year_part = year_part.trim_end_matches([' ', '-', '_']);
        let digits = &q_part[1..];
        if digits.len() != 1 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let number: u8 = digits.parse().map_err(|_| bad())?;
        let year = FinancialYear::parse(year_part).map_err(|e| match e {
            CoreError::Invalid { message, .. } if message.contains("runs from") => CoreError::invalid("quarter", message),
            _ => bad(),
        })?;
        Quarter::new(year, number)
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} Q{}", self.year, self.number)
    }
}

impl FromStr for Quarter {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quarter::parse(s)
    }
}

impl FromStr for FinancialYear {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FinancialYear::parse(s)
    }
}

impl Serialize for Quarter {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Quarter::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FinancialYear::parse(&s).map_err(serde::de::Error::custom)
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Only called with fixed, valid month/day pairs and years bounded by MIN_YEAR..MAX_YEAR+1.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Parses a calendar date written `YYYY-MM-DD`, naming the field when it is wrong.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, CoreError> {
    let t = text.trim();
    let shape_ok = t.len() == 10 && t.bytes().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == b'-' } else { c.is_ascii_digit() });
    if !shape_ok {
        return Err(CoreError::invalid(field, format!("\"{t}\" is not a date; write it like 2026-03-31")));
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| CoreError::invalid(field, format!("{t} is not a real date")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn q1_of_2025_26_is_april_to_june_2025() {
        let q = Quarter::parse("2025-26-Q1").unwrap();
        assert_eq!(q.start(), d("2025-04-01"));
        assert_eq!(q.end(), d("2025-06-30"));
        assert_eq!(q.to_string(), "2025/26 Q1");
        assert_eq!(q.code(), "2025-26-Q1");
    }

    #[test]
    fn q4_of_2027_28_ends_on_31_march_2028() {
        let q = Quarter::parse("2027/28 Q4").unwrap();
        assert_eq!(q.start(), d("2028-01-01"));
        assert_eq!(q.end(), d("2028-03-31"));
    }

    #[test]
    fn the_plan_period_has_twelve_quarters() {
        let qs = Quarter::between(d("2025-04-01"), d("2028-03-31"));
        assert_eq!(qs.len(), 12);
        assert_eq!(qs[0].code(), "2025-26-Q1");
        assert_eq!(qs[11].code(), "2027-28-Q4");
    }

    #[test]
    fn january_belongs_to_q4_of_the_previous_financial_year() {
        assert_eq!(Quarter::containing(d("2026-01-15")).code(), "2025-26-Q4");
        assert_eq!(Quarter::containing(d("2026-03-31")).code(), "2025-26-Q4");
        assert_eq!(Quarter::containing(d("2026-04-01")).code(), "2026-27-Q1");
    }

    #[test]
    fn quarter_parsing_rejects_nonsense_with_the_field_named() {
        for bad in ["", "Q2", "2025-27-Q1", "2025-26-Q5", "2025-26-Q0", "2025-26", "twenty", "2025-26-Q12", "99999-00-Q1"] {
            let err = Quarter::parse(bad).unwrap_err();
            assert!(err.to_string().starts_with("quarter:"), "{bad}: {err}");
        }
    }

    #[test]
    fn century_turn_years_parse() {
        assert_eq!(FinancialYear::parse("2099-00").unwrap().end(), d("2100-03-31"));
        assert!(FinancialYear::parse("2099-2100").is_ok());
    }

    #[test]
    fn dates_must_be_real_and_iso_shaped() {
        assert!(parse_date("due", "2026-02-29").is_err());
        assert!(parse_date("due", "31/03/2026").is_err());
        assert!(parse_date("due", "2028-02-29").is_ok());
        assert!(parse_date("due", "2026-3-31").unwrap_err().to_string().starts_with("due:"));
    }

    proptest! {
        #[test]
        fn every_date_lies_inside_the_quarter_that_contains_it(days in 0i64..(200 * 366)) {
            let date = d("1995-01-01") + chrono::Duration::days(days);
            let q = Quarter::containing(date);
            prop_assert!(q.start() <= date && date <= q.end());
            prop_assert_eq!(q.year(), FinancialYear::containing(date));
        }

        #[test]
        fn quarters_tile_time_without_gaps(days in 0i64..(150 * 366)) {
            let q = Quarter::containing(d("1995-01-01") + chrono::Duration::days(days));
            prop_assert_eq!(q.end().succ_opt().unwrap(), q.next().start());
            prop_assert_eq!(q.next().previous(), q);
            prop_assert!(q < q.next());
        }

        #[test]
        fn code_and_display_both_parse_back(y in 1990i32..2150, n in 1u8..=4) {
            let q = Quarter::new(FinancialYear::new(y).unwrap(), n).unwrap();
            prop_assert_eq!(Quarter::parse(&q.code()).unwrap(), q);
            prop_assert_eq!(Quarter::parse(&q.to_string()).unwrap(), q);
        }

        #[test]
        fn quarter_parser_never_panics(s in "\\PC{0,40}") {
            let _ = Quarter::parse(&s);
            let _ = FinancialYear::parse(&s);
            let _ = parse_date("date", &s);
        }
    }
}
