//! The store through the core API (what the desktop app calls): drafts, reporting quarter,
//! refs, damaged files, two writers.

use ccsp_core::domain::{Quarter, Rag};
use ccsp_core::store::{NewAction, SetUpdate, UpdateMode};
use ccsp_core::{CoreError, Ctx, Store};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn q(s: &str) -> Quarter {
    Quarter::parse(s).unwrap()
}

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    (dir, store)
}

fn ctx(today: &str) -> Ctx {
    Ctx::new("Tester", d(today))
}

fn add(store: &mut Store, priority: &str, lead: &str) -> String {
    let new = NewAction { priority: priority.into(), title: "An action".into(), lead: lead.into(), ..Default::default() };
    store.add_action(&ctx("2025-11-20"), &new).unwrap()
}

#[test]
fn the_app_keeps_a_rule_breaking_update_as_an_incomplete_draft() {
    let (_d, mut s) = fresh();
    let r = add(&mut s, "1.1", "CCC");
    let input = SetUpdate { action: r.clone(), quarter: Some(q("2025-26-Q2")), rag: Some(Rag::Red), commentary: "Half typed".into(), ..Default::default() };
    let saved = s.set_update(&ctx("2025-11-20"), &input, UpdateMode::Draft).unwrap();
    assert!(saved.draft);
    assert_eq!(saved.problems[0].field, "next-steps");
    let updates = s.updates_for(q("2025-26-Q2")).unwrap();
    assert_eq!(updates[0].commentary, "Half typed", "nothing typed is lost");
    assert_eq!(s.missing_returns(q("2025-26-Q2")).unwrap(), vec![(r.clone(), "CCC".to_string(), "incomplete")]);
    let strict = s.set_update(&ctx("2025-11-20"), &input, UpdateMode::Strict).unwrap_err();
    assert!(strict.to_string().starts_with("next-steps:"));
}

#[test]
fn the_reporting_quarter_is_the_latest_ended_quarter_not_signed_off_else_the_current_one() {
    let (_d, mut s) = fresh();
    assert_eq!(s.reporting_quarter(d("2025-11-20")).unwrap(), Some(q("2025-26-Q2")));
    s.sign_off(&ctx("2025-11-20"), q("2025-26-Q2"), true).unwrap();
    assert_eq!(s.reporting_quarter(d("2025-11-20")).unwrap(), Some(q("2025-26-Q1")));
    s.sign_off(&ctx("2025-11-20"), q("2025-26-Q1"), true).unwrap();
    assert_eq!(s.reporting_quarter(d("2025-11-20")).unwrap(), Some(q("2025-26-Q3")), "all ended quarters signed: the current one");
    assert_eq!(s.reporting_quarter(d("2025-01-01")).unwrap(), None, "before the plan starts");
}

#[test]
fn a_quarter_that_has_not_started_cannot_be_signed_off() {
    let (_d, mut s) = fresh();
    let err = s.sign_off(&ctx("2025-11-20"), q("2026-27-Q1"), true).unwrap_err();
    assert!(matches!(err, CoreError::Invalid { .. }), "{err}");
}

#[test]
fn a_damaged_store_is_reported_and_its_bytes_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    drop(ccsp_core::init_store(&path).unwrap());
    let mut bytes = std::fs::read(&path).unwrap();
    // Scribble over the second page (the schema's b-tree pages), keeping the header valid.
    bytes[4096..8192].fill(0xA5);
    std::fs::write(&path, &bytes).unwrap();
    let err = match Store::open_checked(&path) {
        Err(e) => e,
        Ok(_) => panic!("a damaged store opened"),
    };
    assert!(matches!(err, CoreError::Damaged { .. }), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_second_writer_waits_for_the_first_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.sqlite3");
    drop(ccsp_core::init_store(&path).unwrap());
    let p2 = path.clone();
    let handles: Vec<_> = (0..2)
        .map(|t| {
            let p = p2.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&p).unwrap();
                for i in 0..25 {
                    let new = NewAction { priority: "2.1".into(), title: format!("writer {t} action {i}"), lead: "WMP".into(), ..Default::default() };
                    s.add_action(&ctx("2025-11-20"), &new).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let s = Store::open(&path).unwrap();
    let refs: Vec<String> = s.list_actions().unwrap().into_iter().map(|a| a.reference).collect();
    assert_eq!(refs.len(), 50);
    assert_eq!(refs.last().unwrap(), "2.1.50", "every ref given exactly once");
}

#[test]
fn the_seed_round_trips_through_its_own_format() {
    let seed = ccsp_core::interchange::seed_record().unwrap();
    let (_d, s) = fresh();
    assert_eq!(s.record().unwrap(), seed);
    assert_eq!(ccsp_core::interchange::to_json(&seed).unwrap(), ccsp_core::interchange::SEED_JSON, "the seed file is in export order");
}
