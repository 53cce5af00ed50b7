//! The year's dates as an iCalendar file, read back by a real iCalendar parser (the Python
//! `icalendar` package, installed by scripts/test.sh into .tools/venv; CCSP_PYTHON names it):
//! every deadline and meeting at the right UK time, summer and winter, with stable UIDs so a
//! second import updates rather than duplicates.

use std::path::Path;
use std::process::Command;

fn ccsp(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ccsp"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CCSP_TODAY", "2026-06-01")
        .env("CCSP_USER", "Calendar test")
        .output()
        .unwrap();
    assert!(out.status.success(), "ccsp {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Each event as "UID|SUMMARY|start|end|location", the start in UTC for timed events.
fn parse(ics: &Path) -> Vec<String> {
    // CCSP_PYTHON (set by scripts/test.sh), else the venv it makes, else the system's python3.
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/venv/bin/python");
    let python = std::env::var("CCSP_PYTHON").unwrap_or_else(|_| if venv.exists() { venv.display().to_string() } else { "python3".into() });
    let script = r#"
import sys, icalendar, datetime
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
tz = [c for c in cal.walk('VTIMEZONE')]
assert tz and str(tz[0]['TZID']) == 'Europe/London', 'the calendar carries its time zone'
for e in cal.walk('VEVENT'):
    s, t = e.decoded('DTSTART'), e.decoded('DTEND')
    if isinstance(s, datetime.datetime):
        s, t = s.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ'), t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%MZ')
    print('|'.join([str(e['UID']), str(e['SUMMARY']), str(s), str(t), str(e.get('LOCATION', ''))]))
"#;
    let out = Command::new(&python).arg("-c").arg(script).arg(ics).output().unwrap_or_else(|e| panic!("{python}: {e} (scripts/test.sh installs the checkers)"));
    assert!(out.status.success(), "icalendar could not read the file (run scripts/test.sh, which installs it): {}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
    lines.sort();
    lines
}

#[test]
fn the_years_dates_read_back_with_every_deadline_and_meeting_at_the_right_uk_time_and_stable_uids() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ccsp.sqlite3");
    ccsp(&db, &["init"]);
    // A summer meeting (BST: 10:00 is 09:00 UTC) and a winter one (GMT: 10:00 is 10:00 UTC).
    ccsp(&db, &["quarter", "schedule", "2026-27-Q1", "--meeting", "2026-07-23T10:00", "--place", "Committee Room 2, Council House"]);
    ccsp(&db, &["quarter", "schedule", "2026-27-Q2", "--returns-due", "2026-10-16", "--meeting", "2026-11-12T10:00", "--place", "Committee Room 2"]);
    let ics = dir.path().join("ccsp.ics");
    ccsp(&db, &["export", "calendar", "--year", "2026-27", "--out", ics.to_str().unwrap()]);
    let events = parse(&ics);
    let has = |want: &str| assert!(events.iter().any(|e| e.contains(want)), "{want} in\n{}", events.join("\n"));
    has(
        "ccsp-2026-27-q1-meeting@org.ccsp.coordinator|CCSP meeting: sign-off of 2026/27 Q1|2026-07-23T09:00Z|2026-07-23T11:00Z|Committee Room 2, Council House",
    );
    has("ccsp-2026-27-q2-meeting@org.ccsp.coordinator|CCSP meeting: sign-off of 2026/27 Q2|2026-11-12T10:00Z|2026-11-12T12:00Z|Committee Room 2");
    has("ccsp-2026-27-q2-returns@org.ccsp.coordinator|CCSP partner returns due: 2026/27 Q2|2026-10-16|2026-10-17|");
    has("ccsp-2026-27-q2-papers@org.ccsp.coordinator|CCSP meeting papers due: 2026/27 Q2|2026-10-29|2026-10-30|");
    // Q3 and Q4 have no meeting yet: only their (default) returns deadlines.
    has("ccsp-2026-27-q3-returns@org.ccsp.coordinator|CCSP partner returns due: 2026/27 Q3|2027-01-15|");
    assert!(!events.iter().any(|e| e.contains("q3-meeting")));
    assert_eq!(events.len(), 4 + 2 + 2, "four returns deadlines, two papers deadlines, two meetings: {events:#?}");
    // A second export (after a change) keeps every UID: importing it updates the same events.
    ccsp(&db, &["quarter", "schedule", "2026-27-Q2", "--place", "Council Chamber"]);
    ccsp(&db, &["export", "calendar", "--year", "2026-27", "--out", ics.to_str().unwrap(), "--force"]);
    let again = parse(&ics);
    let uids = |v: &[String]| v.iter().map(|e| e.split('|').next().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(uids(&events), uids(&again));
    assert!(again.iter().any(|e| e.contains("q2-meeting") && e.ends_with("|Council Chamber")));
}
