//! The papers read right: their text (pdftotext) from stores built for each case — zero, one
//! and two of every status — says what a Cabinet reader expects: counts with the right noun
//! and verb, every status counted, dates as words, figures with their units, a continued table
//! that says which theme it continues, a status key said once, and a drafts warning that
//! names only the sections still unwritten.

use std::process::Command;

use ccsp_core::domain::{FinancialYear, Quarter, Rag};
use ccsp_core::store::{NewAction, SetUpdate, UpdateMode};
use ccsp_core::{Ctx, Store};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const TODAY: &str = "2026-11-26";
const Q: &str = "2026-27-Q2";

fn ctx() -> Ctx {
    Ctx::new("Papers test", d(TODAY))
}

/// A store with `n` actions reporting each status for 2026/27 Q2 (and `missing` with none).
fn store_with(n: usize, missing: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    let q = Quarter::parse(Q).unwrap();
    for rag in Rag::ALL {
        for i in 0..n {
            // Not started is only for an action whose start is still ahead of the quarter.
            let start = (rag == Rag::NotStarted).then(|| d("2026-08-01"));
            let new = NewAction {
                priority: "1.1".into(),
                title: format!("{} action {i}", rag.label()),
                lead: "WMP".into(),
                start_date: start,
                due_quarter: Some(Quarter::parse("2027-28-Q4").unwrap()),
                ..Default::default()
            };
            let r = s.add_action(&ctx(), &new).unwrap();
            let input = SetUpdate {
                action: r,
                quarter: Some(q),
                rag: Some(rag),
                commentary: "Reported by the lead partner.".into(),
                next_steps: "Escalated to the CCSP.".into(),
                ..Default::default()
            };
            s.set_update(&ctx(), &input, UpdateMode::Strict).unwrap();
        }
    }
    for i in 0..missing {
        let new = NewAction { priority: "2.1".into(), title: format!("Silent action {i}"), lead: "CCC".into(), ..Default::default() };
        s.add_action(&ctx(), &new).unwrap();
    }
    (dir, s)
}

/// The document's text with every run of white space made one space (sentences across lines).
fn prose(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.pdf");
    std::fs::write(&p, bytes).unwrap();
    let out = Command::new("pdftotext").arg(&p).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn report(s: &Store) -> (String, Vec<String>) {
    let out = ccsp_docs::council_report(s, FinancialYear::parse("2026-27").unwrap(), d(TODAY)).unwrap();
    (prose(&out.bytes), out.warnings)
}

fn pack(s: &Store) -> String {
    prose(&ccsp_docs::quarterly(s, Quarter::parse(Q).unwrap(), d(TODAY)).unwrap().bytes)
}

#[test]
fn the_annual_reports_summary_counts_every_status_with_the_right_words_for_none_one_and_two() {
    for (n, want) in [
        (0, "0 were reported Green, 0 Amber, 0 Red, 0 Complete and 0 Not started"),
        (1, "1 was reported Green, 1 Amber, 1 Red, 1 Complete and 1 Not started"),
        (2, "2 were reported Green, 2 Amber, 2 Red, 2 Complete and 2 Not started"),
    ] {
        let (_d, s) = store_with(n, 0);
        let (text, _) = report(&s);
        assert!(text.contains(want), "{n} of each: {want}\n{text}");
        let complete = match n {
            0 => "none is complete yet",
            1 => "1 is complete",
            _ => "2 are complete",
        };
        assert!(text.contains(complete), "{complete}");
        assert!(text.contains("every expected return was received"), "nothing outstanding is said as such");
        for wrong in ["1 were", "1 actions", "1 returns", "0 returns were"] {
            assert!(!text.contains(wrong), "{wrong:?} in the report with {n} of each");
        }
    }
}

#[test]
fn the_meeting_pack_says_how_many_expected_returns_are_complete_and_which_are_not_received() {
    let (_d, s) = store_with(1, 0);
    let text = pack(&s);
    // Not started is only expected... it is a return too: 5 expected, all complete.
    assert!(text.contains("5 of 5 expected returns are complete."), "{text}");
    assert!(text.contains("Every expected return was received."));
    let (_d, s) = store_with(0, 1);
    let text = pack(&s);
    assert!(text.contains("0 of 1 expected return are complete.") || text.contains("0 of 1 expected return is complete."), "{text}");
    assert!(text.contains("CCC"), "the missing return's lead is named");
    assert!(!text.contains("Every expected return was received."));
}

#[test]
fn dates_in_prose_and_tables_are_words_and_due_quarters_read_as_quarters() {
    let (_d, mut s) = store_with(1, 0);
    let dated = NewAction { priority: "3.1".into(), title: "Dated action".into(), lead: "WMP".into(), due_date: Some(d("2027-03-31")), ..Default::default() };
    s.add_action(&ctx(), &dated).unwrap();
    s.sign_off(&ctx(), Quarter::parse(Q).unwrap(), true).unwrap();
    let text = pack(&s);
    let (report, _) = report(&s);
    for t in [&text, &report] {
        assert!(!t.contains("2027-03-31") && !t.contains("2026-11-26"), "never an ISO date");
        assert!(!t.contains("2027-28-Q4") && !t.contains("2026-27-Q2"), "never a quarter code");
    }
    // The annual report's tracker has a Due column.
    assert!(report.contains("31 March 2027"), "a due date as words");
    assert!(report.contains("2027/28 Q4"), "a due quarter as the papers write quarters");
    // Signed off now (the clock, not CCSP_TODAY): the UK date of the stored time, as words.
    let at = s.sign_offs().unwrap()[0].signed_off_at.clone();
    let on = ccsp_core::paths::uk_day_of(&at).unwrap().format("%-d %B %Y").to_string();
    assert!(text.contains(&format!("Signed off by Papers test on {on}.")), "{text}");
}

#[test]
fn the_status_key_is_said_once_and_figures_carry_their_units() {
    let (_d, mut s) = store_with(1, 0);
    let q = Quarter::parse(Q).unwrap();
    let pct = s.indicators_view(q, d(TODAY)).unwrap().indicators.into_iter().find(|i| i.unit == "%").expect("the seed has a percentage indicator");
    s.set_indicator_value(&ctx(), &pct.code, q, 63.0, "").unwrap();
    let text = pack(&s);
    assert_eq!(text.matches("Status key").count(), 1, "no heading repeating the legend's own label");
    assert!(text.contains("63%"), "a percentage is written with its unit");
    let (report, _) = report(&s);
    assert!(report.contains("63%"));
    // Once after the author block, once on the Plan on a Page appendix; never twice in a row.
    assert!(!report.contains("Status key used in this report: Status key"), "the key's label is not repeated");
    if let (Some(b), false) = (pct.baseline_value, pct.baseline_period.is_empty()) {
        let want = format!("{}% ({})", b, pct.baseline_period);
        assert!(report.contains(&want), "the baseline with its unit and period: {want}");
    }
}

#[test]
fn a_tracker_table_that_goes_on_to_another_page_repeats_its_theme_heading() {
    let (_d, mut s) = store_with(0, 0);
    for i in 0..80 {
        let new = NewAction {
            priority: "2.1".into(),
            title: format!("Theme two action number {i} with a title long enough to wrap"),
            lead: "WMP".into(),
            ..Default::default()
        };
        s.add_action(&ctx(), &new).unwrap();
    }
    let (text, _) = report(&s);
    assert!(text.contains("Theme 2: Public place safety and reassurance (continued)"), "the continued table says which theme it is");
}

#[test]
fn the_drafts_warning_names_only_the_sections_still_unwritten() {
    let (_d, mut s) = store_with(1, 0);
    let y = FinancialYear::parse("2026-27").unwrap();
    let (_, warnings) = report(&s);
    assert!(warnings.iter().any(|w| w.contains("1. Context")), "{warnings:?}");
    s.set_narrative(&ctx(), y, "context", "What the coordinator wrote.").unwrap();
    s.set_narrative(&ctx(), y, "executive_summary", "A summary.").unwrap();
    let (text, warnings) = report(&s);
    assert!(text.contains("What the coordinator wrote."));
    let w = warnings.iter().find(|w| w.contains("draft")).expect("other sections are still drafts");
    assert!(!w.contains("1. Context") && !w.contains("Executive summary"), "{w}");
    assert!(w.contains("2. Options"), "{w}");
    for (key, _) in ccsp_core::store::NARRATIVE_SECTIONS {
        s.set_narrative(&ctx(), y, key, "Written.").unwrap();
    }
    let (_, warnings) = report(&s);
    assert!(warnings.iter().all(|w| !w.contains("draft")), "every section written: no drafts warning: {warnings:?}");
}

#[test]
fn the_meeting_packs_cover_names_the_meeting_it_is_for() {
    let (_d, mut s) = store_with(1, 0);
    let q = Quarter::parse(Q).unwrap();
    let change = ccsp_core::store::ScheduleChange::from_form("2026-10-16", "", "2026-11-12T10:00", "Committee Room 2").unwrap();
    s.set_schedule(&Ctx::new("Papers test", d("2026-10-06")), q, &change).unwrap();
    let text = pack(&s);
    assert!(text.contains("For the CCSP meeting on Thursday 12 November 2026 at 10:00, Committee Room 2."), "{text}");
}

#[test]
fn the_meeting_pack_is_a_draft_until_every_red_and_amber_is_reviewed() {
    let (_d, mut s) = store_with(1, 0);
    let q = Quarter::parse(Q).unwrap();
    let text = pack(&s);
    assert!(text.contains("Draft: 2 Red or Amber actions still to be reviewed by the coordinator"), "{text}");
    assert!(text.contains("DRAFT"), "the running header says so on every page");
    let off: Vec<String> = s.dashboard(q, d(TODAY)).unwrap().off_track.iter().map(|o| o.reference.clone()).collect();
    s.review(&ctx(), q, &off[0], "").unwrap();
    assert!(pack(&s).contains("Draft: 1 Red or Amber action still to be reviewed"), "one left");
    s.review(&ctx(), q, &off[1], "Checked with the lead partner.").unwrap();
    let text = pack(&s);
    assert!(!text.contains("Draft:") && !text.contains("DRAFT"), "every one reviewed: the pack is final: {text}");
}
