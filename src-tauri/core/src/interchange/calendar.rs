//! A year's quarter dates as an iCalendar file (RFC 5545) for Outlook: each quarter's
//! returns deadline and papers deadline (all-day events) and its CCSP meeting (Europe/London
//! time, with its VTIMEZONE). UIDs are stable — the plan, the quarter and the kind of date —
//! so importing the file again updates the events rather than adding copies.

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};

use crate::domain::{FinancialYear, Plan};
use crate::store::ScheduleView;

/// How long a meeting is shown for in the calendar.
const MEETING_HOURS: i64 = 2;

/// The Europe/London rules (GMT, BST from the last Sunday of March to the last Sunday of October).
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\nDTSTART:19810329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\nDTSTART:19961027T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

/// Text as iCalendar wants it: backslash, semicolon, comma and newline escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n").replace('\r', "")
}

/// A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for ch in text.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

/// A uid part from the plan's short name: letters and digits only.
fn slug(s: &str) -> String {
    let t: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    if t.is_empty() {
        "plan".into()
    } else {
        t
    }
}

fn all_day(out: &mut String, uid: &str, stamp: &str, day: NaiveDate, summary: &str, description: &str) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{uid}"));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(out, &format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
    line(out, &format!("DTEND;VALUE=DATE:{}", (day + Duration::days(1)).format("%Y%m%d")));
    line(out, &format!("SUMMARY:{}", escape(summary)));
    line(out, &format!("DESCRIPTION:{}", escape(description)));
    line(out, "TRANSP:TRANSPARENT");
    line(out, "END:VEVENT");
}

/// The calendar for the quarters of `year`: `schedules` holds each quarter's dates in effect.
pub fn year_calendar(plan: &Plan, year: FinancialYear, schedules: &[(crate::domain::Quarter, ScheduleView)]) -> String {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let who = slug(&plan.short_name);
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//CCSP Coordinator//Quarter dates//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(&format!("{} {year}", plan.short_name))));
    out.push_str(VTIMEZONE);
    for (q, s) in schedules.iter().filter(|(q, _)| q.year() == year) {
        let uid = |kind: &str| format!("{who}-{}-{kind}@org.ccsp.coordinator", q.code().to_ascii_lowercase());
        // Stored as the store writes them; a view always holds a readable returns date.
        if let Ok(d) = NaiveDate::parse_from_str(&s.returns_due, "%Y-%m-%d") {
            let summary = format!("{} partner returns due: {q}", plan.short_name);
            all_day(&mut out, &uid("returns"), &stamp, d, &summary, &format!("Quarterly returns for {q} are due from every lead partner."));
        }
        // The view's dates are written by store::schedule::effective in exactly these formats.
        if let Some(d) = s.papers_due.as_deref().and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()) {
            let summary = format!("{} meeting papers due: {q}", plan.short_name);
            all_day(&mut out, &uid("papers"), &stamp, d, &summary, &format!("The meeting pack for {q} goes out."));
        }
        // As above: the meeting as effective() writes it.
        if let Some(m) = s.meeting.as_deref().and_then(|m| NaiveDateTime::parse_from_str(m, "%Y-%m-%dT%H:%M:%S").ok()) {
            line(&mut out, "BEGIN:VEVENT");
            line(&mut out, &format!("UID:{}", uid("meeting")));
            line(&mut out, &format!("DTSTAMP:{stamp}"));
            line(&mut out, &format!("DTSTART;TZID=Europe/London:{}", m.format("%Y%m%dT%H%M%S")));
            line(&mut out, &format!("DTEND;TZID=Europe/London:{}", (m + Duration::hours(MEETING_HOURS)).format("%Y%m%dT%H%M%S")));
            line(&mut out, &format!("SUMMARY:{}", escape(&format!("{} meeting: sign-off of {q}", plan.short_name))));
            if !s.place.is_empty() {
                line(&mut out, &format!("LOCATION:{}", escape(&s.place)));
            }
            line(&mut out, &format!("DESCRIPTION:{}", escape(&format!("The {} meets to sign off {q}.", plan.partnership))));
            line(&mut out, "END:VEVENT");
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_folded_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", "").trim_end(), format!("SUMMARY:{}", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped_as_icalendar_wants() {
        assert_eq!(escape("Room 2, Council House; Coventry\nCV1"), "Room 2\\, Council House\\; Coventry\\nCV1");
    }
}
