//! Schema migrations: from empty, from every earlier version with data in place, all-or-nothing
//! when one fails, and a newer file refused untouched.

use ccsp_core::store::migrations::{latest_version, migrate, Migration, MIGRATIONS};
use ccsp_core::{CoreError, Store};
use rusqlite::Connection;

fn version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap()
}

fn tables(conn: &Connection) -> Vec<String> {
    let mut st = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").unwrap();
    st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

/// Data a store at `v` can hold: a plan with a theme, priority, partner and action from v1,
/// an update from v2, a grant from v3, a quarter's meeting from v4, the store's id from v6.
fn put_data(conn: &Connection, v: i64) {
    conn.execute_batch(
        "INSERT INTO plan (id, title, partnership, short_name, start_date, end_date, vision, statutory_basis)
           VALUES (1, 'Old plan', 'CCSP', 'CCSP', '2025-04-01', '2028-03-31', 'v', 's');
         INSERT INTO theme (id, plan_id, number, title, position, last_priority_seq) VALUES (1, 1, 1, 'Theme', 1, 1);
         INSERT INTO priority (id, plan_id, theme_id, ref, title, position, last_action_seq) VALUES (1, 1, 1, '1.1', 'P', 1, 1);
         INSERT INTO partner (id, plan_id, short_name, name, kind, position) VALUES (1, 1, 'WMP', 'West Midlands Police', 'responsible_authority', 1);
         INSERT INTO action (id, plan_id, priority_id, ref, title, lead_partner_id, lifecycle, position, created_at)
           VALUES (1, 1, 1, '1.1.1', 'Kept across upgrades', 1, 'in_progress', 1, '2025-05-01T09:00:00Z');",
    )
    .unwrap();
    if v >= 2 {
        conn.execute_batch(
            "INSERT INTO quarterly_update (plan_id, action_id, quarter, rag, reported_by, reported_at)
             VALUES (1, 1, '2025-26-Q1', 'green', 'x', '2025-07-01T09:00:00Z');",
        )
        .unwrap();
    }
    if v >= 3 {
        conn.execute_batch("INSERT INTO grant_line (plan_id, year, source, amount_pence) VALUES (1, '2025-26', 'Home Office', 15300000);").unwrap();
    }
    if v >= 4 {
        conn.execute_batch("INSERT INTO quarter_schedule (plan_id, quarter, meeting_at, place) VALUES (1, '2025-26-Q1', '2025-07-10T10:00:00', 'Room 2');")
            .unwrap();
    }
    if v >= 6 {
        // A store made at version 6 or later got its id when it was made.
        conn.execute_batch("INSERT INTO setting (plan_id, key, value) VALUES (1, 'store_id', '0123456789abcdef0123456789abcdef');").unwrap();
    }
}

#[test]
fn migrations_are_numbered_one_up_without_gaps() {
    for (i, m) in MIGRATIONS.iter().enumerate() {
        assert_eq!(m.version, i as i64 + 1, "{}", m.what);
    }
}

#[test]
fn an_empty_database_migrates_to_the_latest_version() {
    let mut conn = Connection::open_in_memory().unwrap();
    let applied = migrate(&mut conn, MIGRATIONS).unwrap();
    assert_eq!(applied, (1..=latest_version()).collect::<Vec<_>>());
    assert_eq!(version(&conn), latest_version());
    assert!(tables(&conn).contains(&"quarterly_update".to_string()));
    assert!(migrate(&mut conn, MIGRATIONS).unwrap().is_empty(), "a second run applies nothing");
}

#[test]
fn a_store_at_every_earlier_version_upgrades_on_open_with_its_data_in_place() {
    for v in 1..latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
            migrate(&mut conn, &MIGRATIONS[..v as usize]).unwrap();
            assert_eq!(version(&conn), v);
            put_data(&conn, v);
        }
        let store = Store::open(&path).unwrap_or_else(|e| panic!("opening a version {v} store: {e}"));
        let rec = store.record().unwrap();
        assert_eq!(rec.plan.title, "Old plan", "from v{v}");
        assert_eq!(rec.actions[0].title, "Kept across upgrades", "from v{v}");
        assert_eq!(rec.updates.len(), usize::from(v >= 2), "from v{v}");
        assert_eq!(store.store_id().unwrap().len(), 32, "a store from before ids gets one on upgrade (from v{v})");
        assert!(store.store_log().unwrap().iter().any(|(_, event, _)| event == "migrated"));
        drop(store);
        let conn = Connection::open(&path).unwrap();
        assert_eq!(version(&conn), latest_version());
        // The file as it was before the upgrade is kept in backups/.
        let backups = ccsp_core::store::list_backups(&path).unwrap();
        assert_eq!(backups.len(), 1, "from v{v}");
        assert_eq!(backups[0].kind, "before-migration");
        let old = Connection::open(&backups[0].path).unwrap();
        assert_eq!(version(&old), v, "the backup is the old version, untouched by the upgrade");
    }
}

#[test]
fn a_failing_migration_leaves_the_file_exactly_as_it_was() {
    let mut conn = Connection::open_in_memory().unwrap();
    migrate(&mut conn, &MIGRATIONS[..1]).unwrap();
    put_data(&conn, 1);
    let before = tables(&conn);
    let mut broken: Vec<Migration> = MIGRATIONS.iter().map(|m| Migration { version: m.version, what: m.what, sql: m.sql }).collect();
    broken.push(Migration { version: latest_version() + 1, what: "broken", sql: "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);" });
    let err = migrate(&mut conn, &broken).unwrap_err();
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(version(&conn), 1, "no pending migration applied, not even the good ones");
    assert_eq!(tables(&conn), before);
}

#[test]
fn a_store_from_a_newer_app_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.sqlite3");
    ccsp_core::init_store(&path).unwrap();
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    match Store::open(&path) {
        Err(CoreError::TooNew { found, .. }) => assert_eq!(found, latest_version() + 1),
        Err(e) => panic!("expected TooNew, got {e}"),
        Ok(_) => panic!("a newer store was opened"),
    }
    assert_eq!(before, std::fs::read(&path).unwrap());
}
