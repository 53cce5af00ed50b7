//! Working days in Coventry: Monday to Friday except the bank holidays of England and Wales,
//! computed by their rules (no list to download: the app never needs a network). The rules:
//! New Year's Day, Good Friday, Easter Monday, the first and last Mondays of May, the last
//! Monday of August, Christmas Day and Boxing Day, each moved to the next weekday when it falls
//! at a weekend (Christmas and Boxing Day both). One-off holidays proclaimed for an occasion
//! (a coronation, a state funeral) are listed in `ONE_OFF` as they are announced; the first
//! and last Mondays of May move for them in those years too.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// Proclaimed one-off bank holidays, and years whose regular May holidays moved.
const ONE_OFF: &[(i32, u32, u32)] = &[(2022, 6, 3), (2022, 9, 19), (2023, 5, 8)];
/// (year, the early May holiday's date) where it was moved from the first Monday.
const EARLY_MAY_MOVED: &[(i32, u32, u32)] = &[(2020, 5, 8)];
/// (year, the spring holiday's date) where it was moved from the last Monday of May.
const SPRING_MOVED: &[(i32, u32, u32)] = &[(2022, 6, 2)];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    // Every date built here is a real one (the rules and lists above).
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// Easter Sunday (the Gregorian computus, Meeus/Jones/Butcher).
fn easter(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

fn first_monday(y: i32, month: u32) -> NaiveDate {
    let first = ymd(y, month, 1);
    first + Duration::days(i64::from((7 - first.weekday().num_days_from_monday()) % 7))
}

fn last_monday(y: i32, month: u32) -> NaiveDate {
    let next = if month == 12 { ymd(y + 1, 1, 1) } else { ymd(y, month + 1, 1) };
    let last = next - Duration::days(1);
    last - Duration::days(i64::from(last.weekday().num_days_from_monday()))
}

fn moved(list: &[(i32, u32, u32)], y: i32) -> Option<NaiveDate> {
    list.iter().find(|(year, _, _)| *year == y).map(|(y, m, d)| ymd(*y, *m, *d))
}

/// The bank holidays of England and Wales in calendar year `y`, in date order.
pub fn bank_holidays(y: i32) -> Vec<NaiveDate> {
    let new_year = match ymd(y, 1, 1).weekday() {
        Weekday::Sat => ymd(y, 1, 3),
        Weekday::Sun => ymd(y, 1, 2),
        _ => ymd(y, 1, 1),
    };
    let (christmas, boxing) = match ymd(y, 12, 25).weekday() {
        Weekday::Fri => (ymd(y, 12, 25), ymd(y, 12, 28)),
        Weekday::Sat => (ymd(y, 12, 27), ymd(y, 12, 28)),
        Weekday::Sun => (ymd(y, 12, 27), ymd(y, 12, 26)),
        _ => (ymd(y, 12, 25), ymd(y, 12, 26)),
    };
    let e = easter(y);
    let mut days = vec![
        new_year,
        e - Duration::days(2),
        e + Duration::days(1),
        moved(EARLY_MAY_MOVED, y).unwrap_or_else(|| first_monday(y, 5)),
        moved(SPRING_MOVED, y).unwrap_or_else(|| last_monday(y, 5)),
        last_monday(y, 8),
        christmas,
        boxing,
    ];
    days.extend(ONE_OFF.iter().filter(|(year, _, _)| *year == y).map(|(y, m, d)| ymd(*y, *m, *d)));
    days.sort();
    days
}

/// Whether `d` is a working day: Monday to Friday, not a bank holiday.
pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !bank_holidays(d.year()).contains(&d)
}

/// `date` minus `n` working days.
pub fn working_days_before(date: NaiveDate, n: i64) -> NaiveDate {
    let mut d = date;
    let mut left = n;
    while left > 0 {
        d -= Duration::days(1);
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn dates(list: &[&str]) -> Vec<NaiveDate> {
        list.iter().map(|s| d(s)).collect()
    }

    /// The dates gov.uk publishes for England and Wales (www.gov.uk/bank-holidays), typed in
    /// from that list: the rules must give exactly them.
    #[test]
    fn the_rules_give_the_published_bank_holidays_of_england_and_wales() {
        let published = [
            (
                2022,
                vec![
                    "2022-01-03",
                    "2022-04-15",
                    "2022-04-18",
                    "2022-05-02",
                    "2022-06-02",
                    "2022-06-03",
                    "2022-08-29",
                    "2022-09-19",
                    "2022-12-26",
                    "2022-12-27",
                ],
            ),
            (2023, vec!["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"]),
            (2024, vec!["2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"]),
            (2025, vec!["2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"]),
            (2026, vec!["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"]),
            (2027, vec!["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"]),
        ];
        for (year, want) in published {
            assert_eq!(bank_holidays(year), dates(&want), "{year}");
        }
    }

    #[test]
    fn a_new_year_or_christmas_at_a_weekend_moves_to_the_next_weekdays() {
        // 2028: New Year's Day is a Saturday; 2032: Christmas is a Saturday.
        assert_eq!(bank_holidays(2028)[0], d("2028-01-03"));
        assert_eq!(&bank_holidays(2032)[6..], &dates(&["2032-12-27", "2032-12-28"])[..]);
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        assert!(!is_working_day(d("2026-12-28")), "the Boxing Day substitute");
        assert!(is_working_day(d("2026-12-29")));
        // Ten working days before Thursday 14 January 2027: back over New Year's Day (weekdays
        // alone would give the 31st).
        assert_eq!(working_days_before(d("2027-01-14"), 10), d("2026-12-30"));
        // Three before Thursday 9 April 2026: over Easter Monday and Good Friday to the 2nd.
        assert_eq!(working_days_before(d("2026-04-09"), 3), d("2026-04-02"));
    }
}
