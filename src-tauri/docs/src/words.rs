//! The words the papers put around their numbers, in one place: counts with their nouns and
//! verbs, the status scale in running text, dates. "1 was reported Green", "1 of 6 expected
//! returns is complete", "every expected return was received" — never "1 were" or
//! "0 returns were not received".

use ccsp_core::domain::Rag;
use ccsp_core::store::RagCounts;

/// "1 action", "2 actions".
pub fn count(n: u32, noun: &str) -> String {
    ccsp_core::validate::count(n as usize, noun)
}

fn counted(c: &RagCounts, r: Rag) -> u32 {
    match r {
        Rag::Red => c.red,
        Rag::Amber => c.amber,
        Rag::Green => c.green,
        Rag::Complete => c.complete,
        Rag::NotStarted => c.not_started,
    }
}

/// Every status with its count, in the scale's order and always all five: "1 was reported
/// Green, 2 Amber, 0 Red, 1 Complete and 0 Not started" (the verb agrees with the first).
pub fn status_counts(c: &RagCounts) -> String {
    let order = [Rag::Green, Rag::Amber, Rag::Red, Rag::Complete, Rag::NotStarted];
    let mut out = String::new();
    for (i, r) in order.iter().enumerate() {
        let n = counted(c, *r);
        let part = match i {
            0 => format!("{n} {} reported {}", if n == 1 { "was" } else { "were" }, r.label()),
            _ if i == order.len() - 1 => format!(" and {n} {}", r.label()),
            _ => format!(", {n} {}", r.label()),
        };
        out.push_str(&part);
    }
    out
}

/// "2 are complete", "1 is complete", "none is complete yet".
pub fn complete_clause(n: u32) -> String {
    match n {
        0 => "none is complete yet".into(),
        1 => "1 is complete".into(),
        n => format!("{n} are complete"),
    }
}

/// "every expected return was received", "1 return was outstanding", "3 returns were outstanding".
pub fn outstanding(n: u32) -> String {
    match n {
        0 => "every expected return was received".into(),
        1 => "1 return was outstanding".into(),
        n => format!("{n} returns were outstanding"),
    }
}

/// "1 of 6 expected returns is complete", "3 of 6 … are complete", "no return was expected".
pub fn returns_complete(done: u32, expected: u32) -> String {
    if expected == 0 {
        return "No return was expected this quarter.".into();
    }
    let noun = if expected == 1 { "expected return" } else { "expected returns" };
    let verb = if done == 1 { "is" } else { "are" };
    format!("{done} of {expected} {noun} {verb} complete.")
}

/// A stored date (`YYYY-MM-DD`) as the papers write dates: "31 March 2026". Anything else is
/// shown as stored (the store checks dates when they are written).
pub fn date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => crate::long_date(d),
        Err(_) => iso.to_string(),
    }
}

/// When an action is due, as the trackers show it: "31 March 2026" or "2026/27 Q4".
pub fn due(date_iso: Option<&str>, quarter_code: Option<&str>) -> String {
    match (date_iso, quarter_code) {
        (Some(d), _) => date(d),
        (None, Some(q)) => ccsp_core::domain::Quarter::parse(q).map(|q| q.to_string()).unwrap_or_else(|_| q.to_string()), // shown as stored if unreadable
        (None, None) => "—".into(),
    }
}

/// "60%", "12 offences", "4.5": a figure with its unit.
pub fn with_unit(v: f64, unit: &str) -> String {
    let n = if v.fract().abs() < 1e-9 { format!("{v:.0}") } else { format!("{v:.1}") };
    match unit.trim() {
        "" => n,
        "%" | "percent" => format!("{n}%"),
        u => format!("{n} {u}"),
    }
}

/// A figure that may be missing: "60%", or "—".
pub fn figure(v: Option<f64>, unit: &str) -> String {
    v.map(|v| with_unit(v, unit)).unwrap_or_else(|| "—".into())
}

/// A baseline with its period: "60% (2024 resident survey)".
pub fn baseline(v: Option<f64>, unit: &str, period: &str) -> String {
    match (v, period.trim()) {
        (None, _) => "—".into(),
        (Some(v), "") => with_unit(v, unit),
        (Some(v), p) => format!("{} ({p})", with_unit(v, unit)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(g: u32, a: u32, r: u32, c: u32, n: u32) -> RagCounts {
        RagCounts { green: g, amber: a, red: r, complete: c, not_started: n, ..Default::default() }
    }

    #[test]
    fn counts_read_right_for_none_one_and_many() {
        assert_eq!(status_counts(&counts(1, 2, 0, 1, 0)), "1 was reported Green, 2 Amber, 0 Red, 1 Complete and 0 Not started");
        assert_eq!(status_counts(&counts(2, 0, 0, 0, 1)), "2 were reported Green, 0 Amber, 0 Red, 0 Complete and 1 Not started");
        assert_eq!(complete_clause(1), "1 is complete");
        assert_eq!(complete_clause(0), "none is complete yet");
        assert_eq!(outstanding(0), "every expected return was received");
        assert_eq!(outstanding(1), "1 return was outstanding");
        assert_eq!(returns_complete(1, 6), "1 of 6 expected returns is complete.");
        assert_eq!(returns_complete(2, 6), "2 of 6 expected returns are complete.");
        assert_eq!(returns_complete(1, 1), "1 of 1 expected return is complete.");
    }

    #[test]
    fn dates_and_figures_read_as_words_with_their_units() {
        assert_eq!(date("2026-03-31"), "31 March 2026");
        assert_eq!(due(None, Some("2026-27-Q4")), "2026/27 Q4");
        assert_eq!(with_unit(60.0, "%"), "60%");
        assert_eq!(with_unit(12.0, "offences"), "12 offences");
        assert_eq!(baseline(Some(60.0), "%", "2024 resident survey"), "60% (2024 resident survey)");
        assert_eq!(figure(None, "%"), "—");
    }
}
