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
fn the_reporting_quarter_is_the_latest_ended_quarter_unless_signed_off_and_never_jumps_back() {
    let (_d, mut s) = fresh();
    assert_eq!(s.reporting_quarter(d("2025-11-20")).unwrap(), Some(q("2025-26-Q2")));
    s.sign_off(&ctx("2025-11-20"), q("2025-26-Q2"), true).unwrap();
    // Q1 was never signed off (the tool started mid-plan): it is listed, not chosen.
    assert_eq!(s.reporting_quarter(d("2025-11-20")).unwrap(), Some(q("2025-26-Q3")), "the current quarter, not an older one");
    assert_eq!(s.plan_summary(d("2025-11-20")).unwrap().not_signed_off, vec!["2025-26-Q1".to_string()]);
    // The case: 2026/27 Q1 and Q2 signed off, 2025/26 Q4 never.
    s.sign_off(&ctx("2026-11-26"), q("2026-27-Q1"), true).unwrap();
    s.sign_off(&ctx("2026-11-26"), q("2026-27-Q2"), true).unwrap();
    assert_eq!(s.reporting_quarter(d("2026-11-26")).unwrap(), Some(q("2026-27-Q3")));
    assert!(s.plan_summary(d("2026-11-26")).unwrap().not_signed_off.contains(&"2025-26-Q4".to_string()));
    assert_eq!(s.reporting_quarter(d("2025-01-01")).unwrap(), None, "before the plan starts");
}

#[test]
fn an_action_owes_returns_only_from_the_quarter_it_has_started_by() {
    let (_d, mut s) = fresh();
    let later =
        NewAction { priority: "1.1".into(), title: "Starts next year".into(), lead: "WMP".into(), start_date: Some(d("2026-04-01")), ..Default::default() };
    let r = s.add_action(&ctx("2026-05-01"), &later).unwrap();
    let now = add(&mut s, "1.2", "CCC");
    let q4 = q("2025-26-Q4");
    // Not owed for 2025/26 Q4 (ends 31 March 2026): not counted, not chased, not missing.
    let dash = s.dashboard(q4, d("2026-05-01")).unwrap();
    assert_eq!(dash.expected, 1, "only the action already started is expected");
    assert!(dash.missing_by_lead.iter().all(|p| p.actions.iter().all(|a| a.reference != r)), "not on the chase list");
    assert_eq!(s.missing_returns(q4).unwrap(), vec![(now.clone(), "CCC".to_string(), "missing")], "not on sign-off's missing list");
    // Owed from 2026/27 Q1.
    assert!(s.missing_returns(q("2026-27-Q1")).unwrap().iter().any(|m| m.0 == r));
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
    // The store is the seed, with an identity of its own.
    let mut record = s.record().unwrap();
    let id = record.settings.remove("store_id").expect("a new store gets an id");
    assert!(id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert_eq!(record, seed);
    assert_eq!(ccsp_core::interchange::to_json(&seed).unwrap(), ccsp_core::interchange::SEED_JSON, "the seed file is in export order");
}

fn corrupt_pages(path: &std::path::Path) {
    // Keep the 100-byte header (so the file still looks like a store) and scribble over the
    // pages after it, as a failing disk or an interrupted copy would.
    let mut bytes = std::fs::read(path).unwrap();
    for b in bytes.iter_mut().skip(4096).take(16384) {
        *b = 0xA5;
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_quarter_sign_off_keeps_a_backup_of_the_record_as_signed() {
    let (d, mut s) = fresh();
    add(&mut s, "1.1", "CCC");
    s.sign_off(&ctx("2025-11-20"), q("2025-26-Q1"), true).unwrap();
    let backups = ccsp_core::store::list_backups(s.path()).unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].kind, "signed-off-2025-26-Q1");
    let kept = Store::open(std::path::Path::new(&backups[0].path)).unwrap();
    assert_eq!(kept.sign_offs().unwrap().len(), 1, "the backup holds the sign-off");
    drop(d);
}

#[test]
fn a_daily_backup_taken_after_midnight_in_summer_time_counts_for_that_uk_day() {
    use ccsp_core::store::DailyBackup;
    let (_d, s) = fresh();
    let dir = ccsp_core::store::backups_dir(s.path());
    std::fs::create_dir_all(&dir).unwrap();
    // 23:30 UTC on 30 June is 00:30 on 1 July in the UK (BST).
    std::fs::copy(s.path(), dir.join("s-20260630-233000-daily.sqlite3")).unwrap();
    assert_eq!(s.backup_if_due(d("2026-07-01")).unwrap(), DailyBackup::NotDue);
    assert!(matches!(s.backup_if_due(d("2026-06-30")).unwrap(), DailyBackup::Taken(_)), "30 June had none in UK time");
}

#[test]
fn the_daily_backup_is_taken_once_a_day_and_old_automatic_backups_are_pruned() {
    let (_d, s) = fresh();
    use ccsp_core::store::DailyBackup;
    assert!(matches!(s.backup_if_due(d("2025-11-20")).unwrap(), DailyBackup::Taken(_)));
    assert_eq!(s.backup_if_due(d("2025-11-20")).unwrap(), DailyBackup::NotDue, "one a day");
    assert!(matches!(s.backup_if_due(d("2025-11-21")).unwrap(), DailyBackup::Taken(_)), "and one the next day");
    let dir = ccsp_core::store::backups_dir(s.path());
    // Old backups of every kind, named as the app names them, and a file that is not ours.
    for day in 1..=20 {
        std::fs::write(dir.join(format!("s-202501{day:02}-090000-daily.sqlite3")), b"x").unwrap();
        std::fs::write(dir.join(format!("s-202501{day:02}-090000-manual.sqlite3")), b"x").unwrap();
    }
    std::fs::write(dir.join("s-20250101-090000-signed-off-2024-25-Q3.sqlite3"), b"x").unwrap();
    std::fs::write(dir.join("my notes.txt"), b"mine").unwrap();
    s.backup_rolling("manual").unwrap();
    let kept = ccsp_core::store::list_backups(s.path()).unwrap();
    let count = |k: &str| kept.iter().filter(|b| b.kind == k).count();
    assert_eq!(count("daily"), ccsp_core::store::KEEP_DAILY);
    assert_eq!(count("manual"), ccsp_core::store::KEEP_OTHER);
    assert_eq!(count("signed-off-2024-25-Q3"), 1, "sign-off backups are all kept");
    assert!(kept.iter().any(|b| b.kind == "daily" && b.taken_at.starts_with("2025-11-21")), "the newest is kept (stamped with the day it was taken for)");
    assert!(dir.join("my notes.txt").exists(), "files that are not backups are left alone");
}

#[test]
fn a_damaged_store_is_moved_aside_untouched_and_replaced_by_a_good_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ccsp.sqlite3");
    let mut s = ccsp_core::init_store(&path).unwrap();
    add(&mut s, "1.1", "CCC");
    let backup = s.backup_rolling("manual").unwrap();
    let at_backup = ccsp_core::interchange::to_json(&s.record().unwrap()).unwrap();
    drop(s);
    corrupt_pages(&path);
    let damaged = std::fs::read(&path).unwrap();
    assert!(matches!(Store::open_checked(&path), Err(CoreError::Damaged { .. })));

    // A bad "backup" is refused and the damaged file stays where it was.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"SQLite format 3\0 but not really").unwrap();
    assert!(ccsp_core::store::recover_from_backup(&path, &junk).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), damaged);

    let aside = ccsp_core::store::recover_from_backup(&path, &backup).unwrap();
    assert_eq!(aside, dir.path().join("ccsp.sqlite3.damaged-1"));
    assert_eq!(std::fs::read(&aside).unwrap(), damaged, "the damaged file is kept byte for byte");
    let s = Store::open_checked(&path).unwrap();
    assert_eq!(ccsp_core::interchange::to_json(&s.record().unwrap()).unwrap(), at_backup);
}

#[test]
fn recovery_that_cannot_move_the_damaged_wal_aside_stops_and_leaves_everything_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ccsp.sqlite3");
    let mut s = ccsp_core::init_store(&path).unwrap();
    add(&mut s, "1.1", "CCC");
    let backup = s.backup_rolling("manual").unwrap();
    drop(s);
    corrupt_pages(&path);
    let damaged = std::fs::read(&path).unwrap();
    // A stale WAL beside the damaged store, and its place aside already taken by a folder
    // that is not empty, so it cannot be moved there.
    std::fs::write(dir.path().join("ccsp.sqlite3-wal"), b"stale wal").unwrap();
    std::fs::create_dir_all(dir.path().join("ccsp.sqlite3.damaged-1-wal/kept")).unwrap();
    let err = ccsp_core::store::recover_from_backup(&path, &backup).unwrap_err();
    assert!(err.to_string().contains("recovery stopped") && err.to_string().contains("nothing was restored"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), damaged, "the damaged store is where it was, untouched");
    assert_eq!(std::fs::read(dir.path().join("ccsp.sqlite3-wal")).unwrap(), b"stale wal", "its WAL too: never replayed onto a restored file");
    assert!(!dir.path().join("ccsp.sqlite3.damaged-1").exists(), "nothing half-moved");
    let leftovers: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains("recovering")).collect();
    assert!(leftovers.is_empty(), "the copy of the backup is removed: {leftovers:?}");
}

#[test]
fn a_sign_off_whose_backup_fails_is_committed_and_says_the_backup_failed() {
    let (d, mut s) = fresh();
    // Where backups go is a file, so no backup can be written there.
    std::fs::write(d.path().join("backups"), b"not a folder").unwrap();
    let done = s.sign_off(&ctx("2025-11-20"), q("2025-26-Q2"), true).unwrap();
    assert!(done.backup.is_none());
    let failed = done.backup_failed.expect("the failure is returned for the coordinator to see");
    assert!(failed.contains("is signed off, but its backup could not be taken"), "{failed}");
    assert!(s.sign_offs().unwrap().iter().any(|so| so.quarter == q("2025-26-Q2")), "the sign-off itself is committed");
}

#[test]
fn a_stored_date_that_cannot_be_read_is_reported_as_damage_not_as_no_date() {
    let (dir, mut s) = fresh();
    add(&mut s, "1.1", "CCC");
    drop(s);
    let conn = rusqlite::Connection::open(dir.path().join("s.sqlite3")).unwrap();
    conn.execute("UPDATE action SET due_date = '31/03/2026'", []).unwrap();
    drop(conn);
    let s = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let err = s.dashboard(q("2025-26-Q2"), d("2025-11-20")).unwrap_err();
    assert!(matches!(err, CoreError::Damaged { .. }), "{err:?}");
    assert!(err.to_string().contains("31/03/2026"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_store_and_its_backups_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new-folder").join("ccsp.sqlite3");
    let s = ccsp_core::init_store(&path).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700, "a folder the app creates");
    let b = s.backup_rolling("manual").unwrap();
    assert_eq!(mode(&b), 0o600);
    assert_eq!(mode(b.parent().unwrap()), 0o700);
    assert_eq!(mode(dir.path()), std::fs::metadata(dir.path()).unwrap().permissions().mode() & 0o777, "an existing folder is left as it was");
}

#[test]
fn a_complete_corrected_to_green_puts_the_action_back_in_progress_and_the_audit_says_so() {
    let (_d, mut s) = fresh();
    let r = add(&mut s, "1.1", "CCC");
    let set = |s: &mut Store, rag: Rag| {
        let input = SetUpdate { action: r.clone(), quarter: Some(q("2025-26-Q2")), rag: Some(rag), commentary: "Delivered".into(), ..Default::default() };
        s.set_update(&ctx("2025-11-20"), &input, UpdateMode::Strict).unwrap();
    };
    set(&mut s, Rag::Complete);
    let life = |s: &Store| s.list_actions().unwrap().into_iter().find(|a| a.reference == r).unwrap().lifecycle;
    assert_eq!(life(&s), ccsp_core::domain::Lifecycle::Complete);
    set(&mut s, Rag::Green);
    assert_eq!(life(&s), ccsp_core::domain::Lifecycle::InProgress, "the correction undoes the lifecycle it had set");
    let trail = s.audit(&ccsp_core::store::AuditFilter { entity: Some("action".into()), ..Default::default() }).unwrap();
    assert_eq!(trail.iter().filter(|e| e.op == "lifecycle").count(), 2, "both changes are audited");
}

#[test]
fn an_update_for_a_quarter_that_ends_before_the_action_starts_is_refused_naming_the_start() {
    let (_d, mut s) = fresh();
    let later = NewAction { priority: "1.1".into(), title: "Next year".into(), lead: "WMP".into(), start_date: Some(d("2026-04-01")), ..Default::default() };
    let r = s.add_action(&ctx("2025-11-20"), &later).unwrap();
    for mode in [UpdateMode::Strict, UpdateMode::Draft] {
        let green = SetUpdate { action: r.clone(), quarter: Some(q("2025-26-Q2")), rag: Some(Rag::Green), ..Default::default() };
        let err = s.set_update(&ctx("2025-11-20"), &green, mode).unwrap_err();
        assert!(err.to_string().contains("starts on 1 April 2026"), "{err}");
    }
    let ns = SetUpdate { action: r.clone(), quarter: Some(q("2025-26-Q2")), rag: Some(Rag::NotStarted), ..Default::default() };
    s.set_update(&ctx("2025-11-20"), &ns, UpdateMode::Strict).unwrap();
    assert_eq!(s.list_actions().unwrap().into_iter().find(|a| a.reference == r).unwrap().lifecycle, ccsp_core::domain::Lifecycle::NotStarted);
}

#[test]
fn every_store_has_its_own_id_and_an_exported_record_keeps_it_when_imported() {
    let (_a, one) = fresh();
    let (_b, two) = fresh();
    assert_ne!(one.store_id().unwrap(), two.store_id().unwrap(), "each init makes a new id");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("record.json");
    std::fs::write(&file, ccsp_core::interchange::to_json(&one.record().unwrap()).unwrap()).unwrap();
    let moved = dir.path().join("moved.sqlite3");
    ccsp_core::import_json(&moved, &file, false).unwrap();
    assert_eq!(Store::open(&moved).unwrap().store_id().unwrap(), one.store_id().unwrap(), "a moved store keeps its id, so its workbooks still import");
}

#[test]
fn a_record_whose_store_id_was_edited_into_something_init_never_makes_is_refused() {
    let (_a, one) = fresh();
    let mut record = one.record().unwrap();
    record.settings.insert("store_id".into(), "my-store".into());
    let err = ccsp_core::interchange::validate_record(&record).unwrap_err();
    assert!(err.to_string().contains("store id"), "{err}");
}

#[test]
fn the_demo_copy_is_a_separate_read_only_file_made_fresh_and_never_made_over_something_else() {
    let (dir, mut own) = fresh();
    let path = ccsp_core::demo::demo_copy_path(&dir.path().join("s.sqlite3"));
    assert_eq!(path, dir.path().join("demo").join("ccsp-demo.sqlite3"), "beside the store, in a folder of its own (its backups apart)");
    let mut demo = ccsp_core::demo::open_demo_copy(&path, d("2026-11-26")).unwrap();
    let info = demo.app_info(d("2026-11-26")).unwrap();
    assert!(info.demo && info.actions > 0 && info.read_only.is_some(), "{info:?}");
    let refused = demo.set_coordinator_name(&ctx("2026-11-26"), "Someone").unwrap_err();
    assert!(matches!(refused, CoreError::ReadOnly { .. }) && refused.to_string().contains("demo copy"), "{refused}");
    assert!(!demo.try_writable(), "the demo copy never becomes writable, whatever its disk allows");
    assert_eq!(own.list_actions().unwrap().len(), 0, "the coordinator's store is untouched");
    assert!(own.set_coordinator_name(&ctx("2026-11-26"), "Coordinator").is_ok(), "and still writable");
    drop(demo);
    // Opened again: a fresh copy replaces the old one.
    let again = ccsp_core::demo::open_demo_copy(&path, d("2026-11-26")).unwrap();
    assert_eq!(again.list_actions().unwrap().len(), info.actions as usize);
    drop(again);
    // Anything else at that path is left as it is.
    std::fs::remove_file(&path).unwrap();
    let _ = std::fs::remove_file(dir.path().join("demo/ccsp-demo.sqlite3-wal")); // may not exist
    std::fs::write(&path, b"the coordinator's own notes").unwrap();
    assert!(ccsp_core::demo::open_demo_copy(&path, d("2026-11-26")).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), b"the coordinator's own notes", "a file that is not a demo copy is never replaced");
    let real = dir.path().join("real.sqlite3");
    drop(ccsp_core::init_store(&real).unwrap());
    let before = std::fs::read(&real).unwrap();
    assert!(ccsp_core::demo::open_demo_copy(&real, d("2026-11-26")).is_err(), "a real store is never made over as a demo copy");
    assert_eq!(std::fs::read(&real).unwrap(), before);
}

#[test]
fn the_dashboards_trend_has_every_quarter_so_far_ending_with_this_quarters_counts() {
    let (_d, mut s) = fresh();
    ccsp_core::demo::add_demo(&mut s, &ctx("2026-11-26")).unwrap();
    let now = q("2026-27-Q2");
    let dash = s.dashboard(now, d("2026-11-26")).unwrap();
    let codes: Vec<&str> = dash.trend.iter().map(|t| t.quarter.as_str()).collect();
    assert_eq!(codes, vec!["2025-26-Q1", "2025-26-Q2", "2025-26-Q3", "2025-26-Q4", "2026-27-Q1", "2026-27-Q2"]);
    assert_eq!(dash.trend.last().unwrap().counts, dash.total_now, "this quarter's counts are the dashboard's own");
    assert_eq!(dash.trend[4].counts, dash.total_previous, "and last quarter's");
    // Each earlier quarter counted as the dashboard would count it for that quarter.
    let q1 = s.dashboard(ccsp_core::domain::Quarter::parse("2025-26-Q3").unwrap(), d("2026-11-26")).unwrap();
    assert_eq!(dash.trend[2].counts, q1.total_now);
}
