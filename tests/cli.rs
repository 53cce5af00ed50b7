//! The `ccsp` command line end to end, on temporary stores: every command, success and failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn db(&self) -> PathBuf {
        self.path("store.sqlite3")
    }

    /// Runs ccsp on this env's store, with a fixed date and user and no data folder of the
    /// machine's own.
    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ccsp"));
        c.arg("--db").arg(self.db()).args(args);
        c.env("CCSP_TODAY", "2025-11-20")
            .env("CCSP_USER", "Test Coordinator")
            .env_remove("CCSP_DB")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"));
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "ccsp {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail; returns stderr. Checks it wrote nothing to the record.
    fn refused(&self, args: &[&str]) -> String {
        let before = self.export();
        let out = self.run(args);
        assert!(!out.status.success(), "ccsp {args:?} should have failed");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("ccsp: "), "message should be one clear line: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(before, self.export(), "a refused command changed the record");
        err
    }

    fn export(&self) -> String {
        if !self.db().exists() {
            return String::new();
        }
        let out = self.path("check-export.json");
        let _ = std::fs::remove_file(&out); // no earlier export to remove is fine
        self.ok(&["export", "json", "--out", out.to_str().unwrap()]);
        std::fs::read_to_string(&out).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn seeded() -> Env {
        let e = Env::new();
        e.ok(&["init"]);
        e
    }

    fn audit_has(&self, entity: &str) -> bool {
        self.ok(&["audit", "--entity", entity]).lines().count() > 0
    }

    fn add(&self, priority: &str, title: &str, lead: &str) -> String {
        self.ok(&["action", "add", "--priority", priority, "--title", title, "--lead", lead]).trim().to_string()
    }
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn init_seeds_the_coventry_plan_with_three_themes_eight_priorities_and_twelve_quarters() {
    let e = Env::seeded();
    let plan = e.json(&["plan", "show", "--json"]);
    assert_eq!(plan["plan"]["title"], "Coventry Community Safety Partnership Plan 2025-2028");
    assert_eq!(plan["plan"]["start_date"], "2025-04-01");
    assert_eq!(plan["plan"]["end_date"], "2028-03-31");
    let themes = plan["themes"].as_array().unwrap();
    assert_eq!(themes.len(), 3);
    assert_eq!(themes[1]["title"], "Public place safety and reassurance");
    let refs: Vec<&str> = themes.iter().flat_map(|t| t["priorities"].as_array().unwrap()).map(|p| p["ref"].as_str().unwrap()).collect();
    assert_eq!(refs, ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]);
    let quarters = plan["quarters"].as_array().unwrap();
    assert_eq!(quarters.len(), 12);
    assert_eq!(quarters[0]["code"], "2025-26-Q1");
    assert_eq!(quarters[11]["label"], "2027/28 Q4");
    let partners: Vec<&str> = plan["partners"].as_array().unwrap().iter().map(|p| p["short_name"].as_str().unwrap()).collect();
    for p in ["WMP", "WMFS", "ICB", "RSLs", "PS", "CCC"] {
        assert!(partners.contains(&p), "{p} missing");
    }
    let record: Value = serde_json::from_str(&e.export()).unwrap();
    assert_eq!(record["grants"][0]["amount"], 15_300_000, "£153K Home Office grant for 2025/26, in pence");
    assert!(record["plan"]["vision"].as_str().unwrap().starts_with("to focus on those issues of most concern to residents"));
}

#[test]
fn plan_show_names_the_reporting_quarter() {
    let e = Env::seeded();
    // 20 Nov 2025: Q2 (Jul-Sep) has ended and is not signed off.
    assert_eq!(e.json(&["plan", "show", "--json"])["reporting_quarter"], "2025-26-Q2");
    assert!(e.ok(&["plan", "show"]).contains("Reporting quarter: 2025-26-Q2"));
}

#[test]
fn init_refuses_a_path_that_already_exists() {
    let e = Env::seeded();
    let before = bytes(&e.db());
    let out = e.run(&["init"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    assert_eq!(before, bytes(&e.db()));
}

#[test]
fn commands_other_than_init_and_import_refuse_a_missing_store_and_create_nothing() {
    let e = Env::new();
    let out = e.run(&["plan", "show"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ccsp init"));
    assert!(!e.db().exists());
}

#[test]
fn action_add_prints_the_next_ref_and_refs_are_never_reused() {
    let e = Env::seeded();
    assert_eq!(e.add("1.2", "First", "PS"), "1.2.1");
    assert_eq!(e.add("1.2", "Second", "PS"), "1.2.2");
    e.ok(&["action", "delete", "1.2.2"]);
    assert_eq!(e.add("1.2", "Third", "PS"), "1.2.3", "a deleted ref is not given out again");
    e.ok(&["action", "move", "1.2.1", "--priority", "2.1"]);
    let list = e.json(&["action", "list", "--json"]);
    let moved = list.as_array().unwrap().iter().find(|a| a["ref"] == "1.2.1").unwrap();
    assert_eq!(moved["priority"], "2.1", "a moved action keeps its ref");
    assert_eq!(e.add("2.1", "Fourth", "WMP"), "2.1.1");
}

#[test]
fn action_add_records_partners_dates_and_funding_in_pence() {
    let e = Env::seeded();
    e.ok(&["action", "add", "--priority", "1.2", "--title", "IOM", "--lead", "wmp", "--partners", "WMFS,CCC", "--due", "2026-03-31", "--funding", "2500.00"]);
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    let a = &rec["actions"][0];
    assert_eq!(a["lead"], "WMP");
    assert_eq!(a["partners"], serde_json::json!(["CCC", "WMFS"]));
    assert_eq!(a["due_date"], "2026-03-31");
    assert_eq!(rec["allocations"][0]["amount"], 250_000);
    assert_eq!(rec["allocations"][0]["year"], "2025-26");
    let audit = rec["audit"].as_array().unwrap();
    assert!(audit.iter().any(|x| x["entity"] == "action" && x["key"] == "1.2.1" && x["op"] == "create" && x["who"] == "Test Coordinator"));
}

#[test]
fn action_add_with_bad_input_names_the_field_and_changes_nothing() {
    let e = Env::seeded();
    let cases: &[(&[&str], &str)] = &[
        (&["--priority", "9.9", "--title", "x", "--lead", "WMP"], "priority:"),
        (&["--priority", "1.1", "--title", "x", "--lead", "NOPE"], "lead:"),
        (&["--priority", "1.1", "--title", "  ", "--lead", "WMP"], "title:"),
        (&["--priority", "1.1", "--title", "x", "--lead", "WMP", "--due", "2026-02-30"], "due:"),
        (&["--priority", "1.1", "--title", "x", "--lead", "WMP", "--due", "2030-01-01"], "due:"),
        (&["--priority", "1.1", "--title", "x", "--lead", "WMP", "--funding", "-5"], "funding:"),
        (&["--priority", "1.1", "--title", "x", "--lead", "WMP", "--funding", "1.234"], "funding:"),
        (&["--priority", "1.1", "--title", "x", "--lead", "WMP", "--partners", "WMP"], "partners:"),
        (&["--priority", "1.1", "--title", "x", "--lead", "WMP", "--start", "2026-01-01", "--due", "2025-12-01"], "due:"),
        (&["--priority", "1.1", "--title", "a\u{1}b", "--lead", "WMP"], "title:"),
    ];
    for (args, field) in cases {
        let mut full = vec!["action", "add"];
        full.extend_from_slice(args);
        let err = e.refused(&full);
        assert!(err.contains(field), "{args:?}: expected {field} in {err}");
    }
    assert_eq!(e.add("1.1", "After the failures", "WMP"), "1.1.1", "failed adds used no refs");
}

#[test]
fn update_set_enforces_the_rag_rules() {
    let e = Env::seeded();
    e.add("1.1", "A", "CCC");
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "red"]).contains("commentary:"));
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "red", "--commentary", "Slipped"]).contains("next-steps:"));
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "amber"]).contains("commentary:"));
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "purple"]).contains("rag:"));
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "red", "--commentary", "Slipped", "--next-steps", "Escalate"]);
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025-26-Q2", "--rag", "amber", "--commentary", "Recovering"]);
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025/26 Q3", "--rag", "green"]);
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    let rags: Vec<&str> = rec["updates"].as_array().unwrap().iter().map(|u| u["rag"].as_str().unwrap()).collect();
    assert_eq!(rags, ["red", "amber", "green"]);
}

#[test]
fn update_set_refuses_quarters_not_started_or_outside_the_plan() {
    let e = Env::seeded();
    e.add("1.1", "A", "CCC");
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q4", "--rag", "green"]).contains("has not started"));
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2024-25-Q4", "--rag", "green"]).contains("not a quarter of the plan"));
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q7", "--rag", "green"]).contains("quarter:"));
    assert!(e.refused(&["update", "set", "9.9.9", "--quarter", "2025-26-Q1", "--rag", "green"]).contains("action:"));
}

#[test]
fn not_started_is_refused_once_the_action_was_due_to_start() {
    let e = Env::seeded();
    e.ok(&["action", "add", "--priority", "1.1", "--title", "A", "--lead", "CCC", "--start", "2025-05-01"]);
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "not-started"]);
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q2", "--rag", "not-started"]).contains("Not started is for actions"));
}

#[test]
fn a_complete_update_completes_the_action_and_is_audited() {
    let e = Env::seeded();
    e.add("2.3", "CCTV", "CCC");
    e.ok(&["update", "set", "2.3.1", "--quarter", "2025-26-Q2", "--rag", "complete"]);
    let list = e.json(&["action", "list", "--json"]);
    assert_eq!(list[0]["lifecycle"], "complete");
    assert_eq!(list[0]["latest_rag"], "complete");
    let audit = e.json(&["audit", "--json", "--key", "2.3.1"]);
    assert!(audit.as_array().unwrap().iter().any(|a| a["op"] == "lifecycle" && a["after"] == "complete"));
}

#[test]
fn sign_off_freezes_the_quarter_until_it_is_reopened_with_a_reason() {
    let e = Env::seeded();
    e.add("1.1", "A", "CCC");
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "green"]);
    e.ok(&["quarter", "sign-off", "2025-26-Q1"]);
    let err = e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "amber", "--commentary", "x"]);
    assert!(err.contains("signed off"), "{err}");
    assert!(e.refused(&["quarter", "sign-off", "2025-26-Q1"]).contains("signed off"));
    assert!(e.refused(&["quarter", "reopen", "2025-26-Q1", "--reason", " "]).contains("reason:"));
    e.ok(&["quarter", "reopen", "2025-26-Q1", "--reason", "Late correction from CCC"]);
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "amber", "--commentary", "Corrected"]);
    let audit = e.json(&["audit", "--json", "--entity", "quarter"]);
    let ops: Vec<&str> = audit.as_array().unwrap().iter().map(|a| a["op"].as_str().unwrap()).collect();
    assert_eq!(ops, ["sign_off", "reopen"]);
    assert_eq!(audit[1]["reason"], "Late correction from CCC");
    let upd = e.json(&["audit", "--json", "--key", "1.1.1 2025-26-Q1"]);
    let last = upd.as_array().unwrap().last().unwrap();
    assert_eq!(last["before"]["rag"], "green");
    assert_eq!(last["after"]["rag"], "amber");
}

#[test]
fn sign_off_with_missing_returns_lists_them_and_needs_confirmation() {
    let e = Env::seeded();
    e.add("1.1", "A", "CCC");
    e.add("3.2", "B", "ICB");
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "green"]);
    let err = e.refused(&["quarter", "sign-off", "2025-26-Q1"]);
    assert!(err.contains("3.2.1 (ICB, missing)"), "{err}");
    e.ok(&["quarter", "sign-off", "2025-26-Q1", "--yes"]);
    let plan = e.json(&["plan", "show", "--json"]);
    assert_eq!(plan["quarters"][0]["state"], "signed_off");
    assert_eq!(plan["quarters"][0]["signed_off_by"], "Test Coordinator");
}

#[test]
fn cancelled_actions_keep_their_updates_and_actions_with_updates_cannot_be_deleted() {
    let e = Env::seeded();
    e.add("1.1", "A", "CCC");
    e.ok(&["update", "set", "1.1.1", "--quarter", "2025-26-Q1", "--rag", "green"]);
    assert!(e.refused(&["action", "delete", "1.1.1"]).contains("cancel it"));
    assert!(e.refused(&["action", "cancel", "1.1.1", "--reason", ""]).contains("reason:"));
    e.ok(&["action", "cancel", "1.1.1", "--reason", "Superseded by 1.1.2"]);
    assert!(e.refused(&["update", "set", "1.1.1", "--quarter", "2025-26-Q2", "--rag", "green"]).contains("cancelled"));
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    assert_eq!(rec["actions"][0]["lifecycle"], "cancelled");
    assert_eq!(rec["updates"].as_array().unwrap().len(), 1);
}

#[test]
fn export_then_import_into_a_new_path_then_export_again_is_identical() {
    let e = Env::seeded();
    e.ok(&["demo"]);
    e.add("1.1", "Extra", "WMP");
    e.ok(&["quarter", "sign-off", "2025-26-Q1", "--yes"]);
    let a = e.path("a.json");
    e.ok(&["export", "json", "--out", a.to_str().unwrap()]);
    let other = e.path("elsewhere/new.sqlite3");
    let out = Command::new(env!("CARGO_BIN_EXE_ccsp")).args(["--db", other.to_str().unwrap(), "import", "json", a.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let b = e.path("b.json");
    let out =
        Command::new(env!("CARGO_BIN_EXE_ccsp")).args(["--db", other.to_str().unwrap(), "export", "json", "--out", b.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(a).unwrap(), std::fs::read_to_string(b).unwrap());
}

#[test]
fn import_into_an_existing_store_needs_replace_which_backs_it_up_first() {
    let e = Env::seeded();
    e.add("1.1", "Kept in the backup", "WMP");
    let donor = Env::seeded();
    let f = donor.path("donor.json");
    donor.ok(&["export", "json", "--out", f.to_str().unwrap()]);
    assert!(e.refused(&["import", "json", f.to_str().unwrap()]).contains("--replace"));
    let msg = e.ok(&["import", "json", f.to_str().unwrap(), "--replace"]);
    assert!(msg.contains("backed up"));
    assert_eq!(e.json(&["action", "list", "--json"]).as_array().unwrap().len(), 0);
    let backups: Vec<_> = std::fs::read_dir(e.path("backups")).unwrap().collect();
    assert_eq!(backups.len(), 1);
}

#[test]
fn a_bad_import_file_is_refused_whole_and_creates_no_store() {
    let e = Env::seeded();
    e.ok(&["demo"]);
    let good: Value = serde_json::from_str(&e.export()).unwrap();
    let mutate = |f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        serde_json::to_string(&v).unwrap()
    };
    let text = serde_json::to_string(&good).unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        ("truncated", text[..text.len() / 2].to_string(), "not valid JSON"),
        ("empty", String::new(), "empty"),
        ("foreign json", "{\"hello\": 1}".into(), "not a CCSP Coordinator export"),
        ("dangling lead", mutate(&|v| v["actions"][0]["lead"] = "NOPE".into()), "actions[0].lead"),
        ("negative money", mutate(&|v| v["allocations"][0]["amount"] = (-5).into()), "negative"),
        ("sub-penny money", mutate(&|v| v["allocations"][0]["amount"] = 1.5.into()), "allocations"),
        ("bad quarter", mutate(&|v| v["updates"][0]["quarter"] = "2025-26-Q9".into()), "quarter"),
        ("quarter outside plan", mutate(&|v| v["updates"][0]["quarter"] = "2030-31-Q1".into()), "not a quarter of the plan"),
        ("bad rag", mutate(&|v| v["updates"][0]["rag"] = "purple".into()), "purple"),
        ("impossible date", mutate(&|v| v["actions"][0]["due_date"] = "2026-02-30".into()), "actions[0].due_date"),
        (
            "red without mitigation",
            mutate(&|v| {
                v["updates"][0]["rag"] = "red".into();
                v["updates"][0]["next_steps"] = "".into();
                v["updates"][0]["draft"] = false.into();
            }),
            "next_steps",
        ),
        ("NUL in text", mutate(&|v| v["actions"][0]["title"] = "a\u{0}b".into()), "NUL"),
        ("unknown field", mutate(&|v| v["plan"]["colour"] = "red".into()), "colour"),
        ("deep nesting", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)), "file:"),
    ];
    for (name, body, expect) in cases {
        let f = e.path("bad.json");
        std::fs::write(&f, &body).unwrap();
        let target = e.path(&format!("fresh-{}.sqlite3", name.replace(' ', "-")));
        let out = Command::new(env!("CARGO_BIN_EXE_ccsp")).args(["--db", target.to_str().unwrap(), "import", "json", f.to_str().unwrap()]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: import should fail");
        assert!(err.contains(expect), "{name}: expected {expect:?} in {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(!target.exists(), "{name}: a failed import left a store behind");
        let leftovers: Vec<_> = std::fs::read_dir(e.dir.path()).unwrap().flatten().filter(|d| d.file_name().to_string_lossy().contains("creating")).collect();
        assert!(leftovers.is_empty(), "{name}: temporary files left behind");
        // And into the existing store with --replace: refused, record unchanged.
        let err = e.refused(&["import", "json", f.to_str().unwrap(), "--replace"]);
        assert!(err.contains(expect), "{name}: {err}");
    }
}

#[test]
fn foreign_empty_and_damaged_files_are_refused_and_left_byte_for_byte() {
    let e = Env::seeded();
    let store_bytes = bytes(&e.db());
    let other_sqlite = e.path("other.db");
    {
        let c = rusqlite_free_sqlite(&other_sqlite);
        assert!(c);
    }
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("text.txt", b"hello, not a database".to_vec()),
        ("empty.sqlite3", Vec::new()),
        ("truncated.sqlite3", store_bytes[..store_bytes.len() / 2].to_vec()),
        ("header-only.sqlite3", store_bytes[..50].to_vec()),
    ];
    let mut paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, content)| {
            let p = e.path(name);
            std::fs::write(&p, content).unwrap();
            p
        })
        .collect();
    paths.push(other_sqlite);
    for p in paths {
        let before = bytes(&p);
        for args in [vec!["plan", "show"], vec!["action", "add", "--priority", "1.1", "--title", "x", "--lead", "WMP"], vec!["init"], vec!["demo"]] {
            let mut c = Command::new(env!("CARGO_BIN_EXE_ccsp"));
            let out = c.arg("--db").arg(&p).args(&args).env("CCSP_TODAY", "2025-11-20").output().unwrap();
            assert!(!out.status.success(), "{} {args:?} should fail", p.display());
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("untouched") || err.contains("already exists"), "{}: {err}", p.display());
            assert_eq!(before, bytes(&p), "{} was modified by {args:?}", p.display());
        }
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        for suffix in ["-wal", "-shm", "-journal"] {
            assert!(!e.path(&format!("{name}{suffix}")).exists(), "{name}{suffix} was created");
        }
    }
}

/// Makes an SQLite database of "some other program" with the sqlite3-free route: copy our own
/// store's header and clear the application id, so it is a valid SQLite file that is not ours.
fn rusqlite_free_sqlite(path: &Path) -> bool {
    let e = Env::seeded();
    let mut b = bytes(&e.db());
    b[68..72].copy_from_slice(&[0, 0, 0, 0]);
    std::fs::write(path, b).is_ok()
}

#[test]
fn backup_then_restore_brings_back_the_backed_up_record_and_saves_the_current_one() {
    let e = Env::seeded();
    e.add("1.1", "Before the backup", "WMP");
    let snapshot = e.path("snap.sqlite3");
    e.ok(&["backup", "--out", snapshot.to_str().unwrap()]);
    let at_backup = e.export();
    e.add("1.1", "After the backup", "WMP");
    assert!(e.refused(&["backup", "--out", snapshot.to_str().unwrap()]).contains("already exists"));
    let msg = e.ok(&["restore", snapshot.to_str().unwrap()]);
    assert!(msg.contains("saved at"));
    assert_eq!(e.export(), at_backup);
    let saved: Vec<_> = std::fs::read_dir(e.path("backups")).unwrap().flatten().collect();
    assert_eq!(saved.len(), 1, "the store as it was before the restore is kept");
    let not_a_backup = e.path("junk.sqlite3");
    std::fs::write(&not_a_backup, b"junk").unwrap();
    assert!(e.refused(&["restore", not_a_backup.to_str().unwrap()]).contains("not a CCSP Coordinator store"));
}

#[test]
fn export_json_refuses_to_overwrite_a_store() {
    let e = Env::seeded();
    let before = bytes(&e.db());
    assert!(e.refused(&["export", "json", "--out", e.db().to_str().unwrap()]).contains("out:"));
    assert_eq!(before, bytes(&e.db()));
}

#[test]
fn the_default_store_lives_in_the_data_folder_and_ccsp_db_overrides_it() {
    let e = Env::new();
    let run = |extra: &[(&str, &str)], args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ccsp"));
        c.args(args).env_remove("CCSP_DB").env("HOME", e.dir.path()).env("XDG_DATA_HOME", e.path("data"));
        for (k, v) in extra {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    assert!(run(&[], &["init"]).status.success());
    assert!(e.path("data/org.ccsp.coordinator/ccsp.sqlite3").exists());
    let other = e.path("via-env.sqlite3");
    assert!(run(&[("CCSP_DB", other.to_str().unwrap())], &["init"]).status.success());
    assert!(other.exists());
}

#[test]
fn who_made_a_change_comes_from_as_then_ccsp_user_then_settings_then_login() {
    let e = Env::seeded();
    let who = |env: &[(&str, &str)], extra: &[&str]| -> String {
        let mut args = vec!["action", "add", "--priority", "1.1", "--title", "t", "--lead", "WMP"];
        args.extend_from_slice(extra);
        let mut c = Command::new(env!("CARGO_BIN_EXE_ccsp"));
        c.arg("--db").arg(e.db()).args(&args).env_remove("CCSP_USER").env("USER", "login-name").env("CCSP_TODAY", "2025-11-20");
        for (k, v) in env {
            c.env(k, v);
        }
        assert!(c.output().unwrap().status.success());
        let audit = e.json(&["audit", "--json", "--entity", "action"]);
        audit.as_array().unwrap().last().unwrap()["who"].as_str().unwrap().to_string()
    };
    assert_eq!(who(&[], &[]), "login-name");
    e.ok(&["settings", "set-name", "Jo Coordinator", "--as", "Jo Coordinator"]);
    assert_eq!(who(&[], &[]), "Jo Coordinator");
    assert_eq!(who(&[("CCSP_USER", "Env User")], &[]), "Env User");
    assert_eq!(who(&[("CCSP_USER", "Env User")], &["--as", "Flag User"]), "Flag User");
}

#[test]
fn demo_adds_labelled_actions_across_every_theme_and_partner_with_every_status() {
    let e = Env::seeded();
    let out = e.run_with(&["demo"], &[("CCSP_TODAY", "2026-11-26")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    let actions = rec["actions"].as_array().unwrap();
    assert!(actions.len() >= 15);
    assert!(actions.iter().all(|a| a["illustrative"] == true));
    for theme in ["1.", "2.", "3."] {
        assert!(actions.iter().any(|a| a["ref"].as_str().unwrap().starts_with(theme)), "no action in theme {theme}");
    }
    for partner in ["WMP", "WMFS", "ICB", "RSLs", "PS", "CCC"] {
        assert!(actions.iter().any(|a| a["lead"] == partner), "{partner} leads nothing");
    }
    let rags: std::collections::HashSet<&str> = rec["updates"].as_array().unwrap().iter().map(|u| u["rag"].as_str().unwrap()).collect();
    for rag in ["red", "amber", "green", "complete", "not_started"] {
        assert!(rags.contains(rag), "no {rag} update");
    }
    assert!(rec["indicator_values"].as_array().unwrap().len() >= 20);
    let quarters: std::collections::HashSet<&str> = rec["updates"].as_array().unwrap().iter().map(|u| u["quarter"].as_str().unwrap()).collect();
    assert!(quarters.len() >= 4, "updates over several quarters");
    assert!(e.refused(&["demo"]).contains("already"));
}

#[test]
fn usage_errors_exit_non_zero_with_a_message() {
    let e = Env::seeded();
    let out = e.run(&["action", "add", "--title", "no priority"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--priority"));
}

#[test]
fn export_plan_on_a_page_writes_a_one_page_pdf_and_refuses_bad_paper_and_folders() {
    let e = Env::seeded();
    let out = e.path("plan.pdf");
    let msg = e.ok(&["export", "plan-on-a-page", "--out", out.to_str().unwrap()]);
    assert!(msg.contains("1 page"), "{msg}");
    let pdf = bytes(&out);
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
    let info = Command::new("pdfinfo").arg(&out).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Pages:           1") && info.contains("841.89"), "{info}");
    let a3 = e.path("plan-a3.pdf");
    e.ok(&["export", "plan-on-a-page", "--out", a3.to_str().unwrap(), "--paper", "a3"]);
    let info = String::from_utf8_lossy(&Command::new("pdfinfo").arg(&a3).output().unwrap().stdout).into_owned();
    assert!(info.contains("1190.55"), "{info}");
    assert!(e
        .refused(&["export", "plan-on-a-page", "--out", e.path("x.pdf").to_str().unwrap(), "--paper", "B5"])
        .contains("paper: \"B5\" is not a paper size"));
    assert!(e.refused(&["export", "plan-on-a-page", "--out", e.path("no/such/folder/x.pdf").to_str().unwrap()]).contains("does not exist"));
    assert!(e.refused(&["export", "plan-on-a-page", "--out", e.db().to_str().unwrap()]).contains("is a CCSP store"));
}

#[test]
fn a_themes_outcome_set_on_the_cli_is_on_the_plan_on_a_page_and_the_public_version_has_no_status() {
    let e = Env::seeded();
    e.ok(&["demo"]);
    let text = |p: &Path| String::from_utf8_lossy(&Command::new("pdftotext").arg(p).arg("-").output().expect("pdftotext").stdout).into_owned();
    let outcome = "Fewer people hurt by violence in the city";
    e.ok(&["plan", "set-outcome", "1", &format!("  {outcome}  ")]);
    assert!(e.audit_has("theme"));
    let themes = e.json(&["plan", "show", "--json"])["themes"].clone();
    assert_eq!(themes[0]["outcome"], outcome, "stored trimmed");
    let pdf = e.path("pop.pdf");
    e.ok(&["export", "plan-on-a-page", "--as-at", "2025-26-Q2", "--out", pdf.to_str().unwrap()]);
    let page = text(&pdf);
    assert!(page.contains(outcome) && page.contains("Status at 2025/26 Q2"), "{page}");
    let public = e.path("public.pdf");
    e.ok(&["export", "plan-on-a-page", "--no-status", "--out", public.to_str().unwrap()]);
    let page = text(&public);
    assert!(!page.contains("Status at") && !page.contains("No return"), "no status and no key: {page}");
    // Clearing it takes the line off the page; a theme the plan does not have changes nothing.
    e.ok(&["plan", "set-outcome", "1", ""]);
    assert!(e.refused(&["plan", "set-outcome", "9", "Anything"]).contains("no theme 9"));
    e.ok(&["export", "plan-on-a-page", "--force", "--out", pdf.to_str().unwrap()]);
    assert!(!text(&pdf).contains(outcome));
    assert_eq!(e.json(&["plan", "show", "--json"])["themes"][0].get("outcome").and_then(Value::as_str).unwrap_or(""), "");
}

#[test]
fn export_quarterly_writes_the_meeting_pack_for_a_quarter() {
    let e = Env::seeded();
    e.ok(&["demo"]);
    let out = e.path("q.pdf");
    let msg = e.ok(&["export", "quarterly", "--quarter", "2025-26-Q2", "--out", out.to_str().unwrap()]);
    assert!(msg.contains("2025/26 Q2"), "{msg}");
    let text = String::from_utf8_lossy(&Command::new("pdftotext").arg(&out).arg("-").output().expect("pdftotext").stdout).into_owned();
    assert!(text.contains("Quarterly performance report: 2025/26 Q2") && text.contains("Page 1 of"), "{text}");
    assert!(e.refused(&["export", "quarterly", "--quarter", "2025-26-Q9", "--out", out.to_str().unwrap()]).contains("quarter"));
    assert!(e.refused(&["export", "quarterly", "--quarter", "2031-32-Q1", "--out", out.to_str().unwrap()]).contains("not a quarter of the plan"));
}

#[test]
fn export_council_report_uses_the_narrative_set_for_the_year() {
    let e = Env::seeded();
    e.ok(&["demo"]);
    let text_file = e.path("summary.md");
    std::fs::write(&text_file, "Our own executive summary for the year.\n\nA second paragraph.").unwrap();
    e.ok(&["report", "narrative", "set", "--year", "2025-26", "--section", "executive_summary", "--file", text_file.to_str().unwrap()]);
    let out = e.path("council.pdf");
    let run = e.run(&["export", "council-report", "--year", "2025-26", "--out", out.to_str().unwrap()]);
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("print a draft generated from the data"), "the drafts are named");
    let text = String::from_utf8_lossy(&Command::new("pdftotext").arg(&out).arg("-").output().expect("pdftotext").stdout).into_owned();
    assert!(text.contains("Our own executive summary for the year."), "{text}");
    assert!(e
        .refused(&["report", "narrative", "set", "--year", "2025-26", "--section", "gossip", "--file", text_file.to_str().unwrap()])
        .contains("not a section"));
    assert!(e
        .refused(&["report", "narrative", "set", "--year", "2031-32", "--section", "context", "--file", text_file.to_str().unwrap()])
        .contains("not a year of the plan"));
    assert!(e.refused(&["export", "council-report", "--year", "2031-32", "--out", out.to_str().unwrap()]).contains("not a year of the plan"));
    assert!(e.audit_has("narrative"));
}

#[test]
fn the_council_reports_front_sheet_is_set_per_year_and_printed() {
    let e = Env::seeded();
    e.ok(&["report", "front-sheet", "--year", "2025-26", "--scrutiny", "Yes – 18 December 2025", "--council", "Yes – 24 March 2026", "--key-decision", "no"]);
    let out = e.path("c.pdf");
    e.ok(&["export", "council-report", "--year", "2025-26", "--out", out.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&Command::new("pdftotext").arg(&out).arg("-").output().expect("pdftotext").stdout).into_owned();
    assert!(text.contains("Yes – 18 December 2025") && text.contains("Yes – 24 March 2026"), "{text}");
    assert!(text.contains("CCTV and Community Safety Manager"), "the seeded author role is kept");
    assert!(e.refused(&["report", "front-sheet", "--year", "2025-26", "--key-decision", "maybe"]).contains("key-decision"));
    assert!(e.refused(&["report", "front-sheet", "--year", "2025-26", "--title", " "]).contains("title: a title is required"));
    assert!(e.audit_has("front_sheet"));
}

#[test]
fn a_blank_coordinator_name_is_refused_like_the_apps_form() {
    let e = Env::seeded();
    let out = e.run(&["settings", "set-name", "   "]);
    assert_eq!(out.status.code(), Some(2));
    let err = e.refused(&["settings", "set-name", "   "]);
    assert!(err.contains("name"), "{err}");
}

#[test]
fn action_add_defaults_the_funding_year_to_the_current_financial_year_as_the_form_does() {
    let e = Env::seeded();
    let r = e.ok(&["action", "add", "--priority", "1.1", "--title", "Funded", "--lead", "WMP", "--funding", "2500.00"]).trim().to_string();
    let rec = e.export();
    let v: Value = serde_json::from_str(&rec).unwrap();
    let alloc = v["allocations"].as_array().unwrap().iter().find(|a| a["action"] == r.as_str()).expect("an allocation for the new action");
    // CCSP_TODAY is 2025-11-20 in these tests: the 2025/26 financial year.
    assert_eq!(alloc["year"], "2025-26");
    assert_eq!(alloc["amount"], 250000, "in pence");
}

#[test]
fn a_correction_keeps_what_it_does_not_mention_and_clearing_needs_an_empty_value_and_is_said() {
    let e = Env::seeded();
    let r = e.ok(&["action", "add", "--priority", "1.1", "--title", "Patrols", "--lead", "WMP"]).trim().to_string();
    e.ok(&["update", "set", &r, "--quarter", "2025-26-Q1", "--rag", "amber", "--commentary", "Staff shortage", "--next-steps", "Recruit"]);
    // The status alone: the commentary and next steps stay.
    let out = e.ok(&["update", "set", &r, "--quarter", "2025-26-Q1", "--rag", "G"]);
    assert!(!out.contains("Cleared"), "{out}");
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    let u = rec["updates"].as_array().unwrap().iter().find(|u| u["action"] == r.as_str()).unwrap().clone();
    assert_eq!((u["rag"].as_str(), u["commentary"].as_str(), u["next_steps"].as_str()), (Some("green"), Some("Staff shortage"), Some("Recruit")));
    // Clearing is explicit, and said.
    let out = e.ok(&["update", "set", &r, "--quarter", "2025-26-Q1", "--next-steps", ""]);
    assert!(out.contains("Cleared the next steps"), "{out}");
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    let u = rec["updates"].as_array().unwrap().iter().find(|u| u["action"] == r.as_str()).unwrap().clone();
    assert_eq!((u["rag"].as_str(), u["commentary"].as_str(), u["next_steps"].as_str()), (Some("green"), Some("Staff shortage"), Some("")));
    // With no update yet, the status is needed.
    assert!(e.refused(&["update", "set", &r, "--quarter", "2025-26-Q2", "--commentary", "x"]).contains("rag:"));
}

#[test]
fn action_edit_changes_only_what_it_is_given_with_the_forms_rules_and_action_show_shows_it_all() {
    let e = Env::seeded();
    let r = e.ok(&["action", "add", "--priority", "1.1", "--title", "Patrols", "--lead", "WMP", "--partners", "CCC", "--due", "2026-03-31"]).trim().to_string();
    e.ok(&["update", "set", &r, "--quarter", "2025-26-Q2", "--rag", "amber", "--commentary", "Short of staff"]);
    e.ok(&["action", "edit", &r, "--title", "Evening patrols", "--funding", "1200.00"]);
    let d: Value = e.json(&["action", "show", &r, "--json"]);
    assert_eq!(d["action"]["title"], "Evening patrols");
    assert_eq!(d["action"]["lead"], "WMP", "not given: kept");
    assert_eq!(d["action"]["partners"], serde_json::json!(["CCC"]));
    assert_eq!(d["action"]["due_date"], "2026-03-31");
    assert_eq!(d["allocations"][0]["amount"], 120000);
    assert_eq!(d["updates"][0]["commentary"], "Short of staff");
    let text = e.ok(&["action", "show", &r]);
    for want in ["Evening patrols", "Lead:            WMP", "31 March 2026", "2025/26 Q2  Amber  Short of staff", "£1,200.00"] {
        assert!(text.contains(want), "{want} in:\n{text}");
    }
    // The form's rules: a due date before the start is refused, and nothing changes.
    let err = e.refused(&["action", "edit", &r, "--start", "2026-06-01"]);
    assert!(err.contains("due"), "{err}");
    assert!(e.refused(&["action", "show", "9.9.9"]).contains("9.9.9"));
}

#[test]
fn an_export_never_replaces_an_existing_file_unless_forced_and_the_record_is_owner_only() {
    let e = Env::seeded();
    let out = e.path("record.json");
    let o = out.to_str().unwrap();
    e.ok(&["export", "json", "--out", o]);
    let first = std::fs::read(&out).unwrap();
    let err = e.refused(&["export", "json", "--out", o]);
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(e.run(&["export", "json", "--out", o]).status.code(), Some(3));
    assert_eq!(std::fs::read(&out).unwrap(), first);
    e.ok(&["export", "json", "--out", o, "--force"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600, "the whole record, like the store");
    }
    let pdf = e.path("plan.pdf");
    e.ok(&["export", "plan-on-a-page", "--out", pdf.to_str().unwrap()]);
    assert!(e.refused(&["export", "plan-on-a-page", "--out", pdf.to_str().unwrap()]).contains("already exists"));
}

#[test]
fn the_audit_trail_names_times_in_uk_local_time_and_an_unknown_entity_lists_the_valid_ones() {
    let e = Env::seeded();
    e.ok(&["settings", "set-name", "Jo"]);
    let text = e.ok(&["audit", "--entity", "setting"]);
    let line = text.lines().next().unwrap();
    // "1 Dec 2026, 17:57", never the stored UTC "2026-12-01T17:57:00Z".
    let when: Vec<&str> = line.split_whitespace().take(4).collect();
    assert!(when[0].parse::<u32>().is_ok() && when[1].len() == 3 && when[2].ends_with(',') && when[3].contains(':') && !when.concat().contains('T'), "{line}");
    let json = e.json(&["audit", "--json", "--entity", "setting"]);
    assert!(json[0]["at"].as_str().unwrap().ends_with('Z'), "--json keeps the stored ISO time with its offset");
    let err = e.refused(&["audit", "--entity", "actions-typo"]);
    assert!(err.contains("entity:") && err.contains("action, allocation"), "{err}");
}

#[test]
fn errors_name_the_field_and_say_how_to_write_it() {
    let e = Env::seeded();
    let folder = e.path("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let run = |args: &[&str]| {
        let out = e.run(args);
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    // A --db that is a folder.
    let out = Command::new(env!("CARGO_BIN_EXE_ccsp")).arg("--db").arg(&folder).args(["action", "list"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("is a folder; give a file name"), "{err}");
    // A missing input file.
    let (code, err) = run(&["import", "json", e.path("nope.json").to_str().unwrap(), "--replace"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("file:") && err.contains("does not exist"), "{err}");
    let (_, err) = run(&["restore", e.path("nope.sqlite3").to_str().unwrap()]);
    assert!(err.contains("file:") && err.contains("does not exist"), "{err}");
    // An unquoted quarter.
    let r = e.ok(&["action", "add", "--priority", "1.1", "--title", "x", "--lead", "WMP"]).trim().to_string();
    let (code, err) = run(&["update", "set", &r, "--quarter", "2025/26", "Q1", "--rag", "G"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("write it as one, 2025-26-Q1"), "{err}");
    // "Q1 2025/26" is a quarter too.
    e.ok(&["update", "set", &r, "--quarter", "Q1 2025/26", "--rag", "G"]);
    // Grammar: an Amber update; a count with its noun.
    let err = e.refused(&["update", "set", &r, "--quarter", "2025-26-Q2", "--rag", "amber"]);
    assert!(err.contains("an Amber update needs a commentary"), "{err}");
    assert!(!e.ok(&["plan", "show"]).contains("action(s)"));
    // Both due forms, a funding year alone, a start before the plan.
    let add = |extra: &[&str]| {
        let mut a = vec!["action", "add", "--priority", "1.1", "--title", "y", "--lead", "WMP"];
        a.extend_from_slice(extra);
        e.refused(&a)
    };
    assert!(add(&["--due", "2026-03-31", "--due-quarter", "2025-26-Q4"]).contains("not both"));
    assert!(add(&["--funding-year", "2025-26"]).contains("funding-year:"));
    assert!(add(&["--start", "2024-01-01"]).contains("start: 1 January 2024 is outside the plan period"));
}

/// The help of `ccsp <path> --help`.
fn help(path: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ccsp")).args(path).arg("--help").output().unwrap();
    assert!(out.status.success(), "{path:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The entries of a help section ("Commands:", "Options:", "Arguments:"): (name, description).
/// Clap writes an entry either on one line ("  name  description") or, when its options are
/// long, as the name alone with the description on the lines below, indented further.
fn entries(text: &str, section: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.ends_with(':') && !line.starts_with(' ') {
            inside = line == section;
            continue;
        }
        if !inside || line.trim().is_empty() {
            continue;
        }
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if indent == 0 {
            // Text after the lists (the closing notes) ends the section.
            inside = false;
            continue;
        }
        if indent >= 8 {
            // The description of the entry above (next-line layout) or a wrapped line of it.
            if let Some(last) = out.last_mut() {
                if last.1.is_empty() {
                    last.1 = t.to_string();
                }
            }
            continue;
        }
        let (name, desc) = t.split_once("  ").map(|(n, d)| (n, d.trim())).unwrap_or((t, ""));
        out.push((name.to_string(), desc.to_string()));
    }
    out
}

#[test]
fn every_command_and_option_in_the_help_says_what_it_is_and_read_only_commands_offer_no_as() {
    let mut todo: Vec<Vec<String>> = vec![vec![]];
    let mut seen = 0;
    let mut blank = Vec::new();
    while let Some(path) = todo.pop() {
        let p: Vec<&str> = path.iter().map(String::as_str).collect();
        let text = help(&p);
        seen += 1;
        for (name, desc) in entries(&text, "Commands:") {
            if name == "help" {
                continue;
            }
            if desc.is_empty() {
                blank.push(format!("ccsp {} {name}", p.join(" ")));
            }
            let mut next = path.clone();
            next.push(name);
            todo.push(next);
        }
        for section in ["Options:", "Arguments:"] {
            for (name, desc) in entries(&text, section) {
                if desc.is_empty() {
                    blank.push(format!("ccsp {} {name}", p.join(" ")));
                }
            }
        }
    }
    assert!(seen > 25, "walked {seen} help pages");
    assert!(blank.is_empty(), "no description:\n{}", blank.join("\n"));
    for read_only in [&["plan", "show"][..], &["action", "list"], &["action", "show"], &["audit"], &["export", "json"], &["backup"]] {
        assert!(!help(read_only).contains("--as"), "ccsp {read_only:?} changes nothing, so it offers no --as");
    }
    for write in [&["action", "add"][..], &["update", "set"], &["quarter", "sign-off"], &["settings", "set-name"]] {
        assert!(help(write).contains("--as <NAME>"), "ccsp {write:?} takes --as");
    }
    assert!(help(&[]).contains("2025/26 Q2"), "the accepted spellings are in the help");
    assert!(help(&["report"]).contains("front sheet"));
}

#[test]
fn a_quarters_dates_are_set_with_defaults_checked_audited_shown_and_kept_in_the_record() {
    let e = Env::seeded();
    let run = |args: &[&str]| e.run_with(args, &[("CCSP_TODAY", "2026-10-06")]);
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    // The design's example: returns due Friday 16 October 2026, the meeting on Thursday 12
    // November 2026 at 10:00 in Committee Room 2, papers (by default) ten working days before.
    let said = ok(&["quarter", "schedule", "2026-27-Q2", "--returns-due", "2026-10-16", "--meeting", "2026-11-12T10:00", "--place", "Committee Room 2"]);
    assert!(said.contains("returns due Friday 16 October 2026"), "{said}");
    assert!(said.contains("papers due Thursday 29 October 2026 (default)"), "{said}");
    assert!(said.contains("meeting Thursday 12 November 2026, 10:00, Committee Room 2"), "{said}");
    let plan: Value = serde_json::from_str(&ok(&["plan", "show", "--json"])).unwrap();
    let q = plan["quarters"].as_array().unwrap().iter().find(|q| q["code"] == "2026-27-Q2").unwrap();
    assert_eq!(q["schedule"]["returns_due_in"], 10, "in 10 days");
    assert_eq!(q["schedule"]["papers_due"], "2026-10-29");
    // Options not given keep their value.
    ok(&["quarter", "schedule", "2026-27-Q2", "--place", "Council House"]);
    let plan: Value = serde_json::from_str(&ok(&["plan", "show", "--json"])).unwrap();
    let q = plan["quarters"].as_array().unwrap().iter().find(|q| q["code"] == "2026-27-Q2").unwrap();
    assert_eq!((q["schedule"]["meeting"].as_str(), q["schedule"]["place"].as_str()), (Some("2026-11-12T10:00:00"), Some("Council House")));
    // A meeting before the quarter ends, papers after the meeting: refused, nothing changed.
    for (args, field) in [
        (vec!["quarter", "schedule", "2026-27-Q2", "--meeting", "2026-09-20T10:00"], "meeting:"),
        (vec!["quarter", "schedule", "2026-27-Q2", "--papers-due", "2026-11-20"], "papers_due:"),
        (vec!["quarter", "schedule", "2026-27-Q2", "--meeting", "next Thursday"], "meeting:"),
    ] {
        let out = run(&args);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(field), "{err}");
    }
    // The defaults change once for all quarters.
    ok(&["quarter", "schedule-defaults", "--returns-after-days", "20"]);
    let plan: Value = serde_json::from_str(&ok(&["plan", "show", "--json"])).unwrap();
    let q3 = plan["quarters"].as_array().unwrap().iter().find(|q| q["code"] == "2026-27-Q1").unwrap();
    assert_eq!(q3["schedule"]["returns_due"], "2026-07-20", "20 days after 30 June");
    // Audited, and in the record.
    assert!(e.ok(&["audit", "--entity", "schedule"]).contains("2026-27-Q2"));
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    assert_eq!(rec["schedules"][0]["place"], "Council House");
}

#[test]
fn the_coordinator_reviews_each_red_and_amber_and_the_chair_is_recorded_with_the_sign_off() {
    let e = Env::seeded();
    let r = e.ok(&["action", "add", "--priority", "1.1", "--title", "Patrols", "--lead", "WMP"]).trim().to_string();
    let g = e.ok(&["action", "add", "--priority", "1.1", "--title", "Going well", "--lead", "WMP"]).trim().to_string();
    e.ok(&["update", "set", &r, "--quarter", "2025-26-Q2", "--rag", "red", "--commentary", "Slipped", "--next-steps", "Escalate"]);
    e.ok(&["update", "set", &g, "--quarter", "2025-26-Q2", "--rag", "green"]);
    let said = e.ok(&["quarter", "review", "2025-26-Q2", "--ref", &r, "--note", "Discussed with WMP"]);
    assert!(said.contains("1 of 1 Red and Amber reviewed"), "{said}");
    assert!(e.refused(&["quarter", "review", "2025-26-Q2", "--ref", &g]).contains("not Red or Amber"));
    e.ok(&["quarter", "sign-off", "2025-26-Q2", "--yes", "--chair", "Cllr A. Khan"]);
    let plan: Value = e.json(&["plan", "show", "--json"]);
    let q = plan["quarters"].as_array().unwrap().iter().find(|q| q["code"] == "2025-26-Q2").unwrap();
    assert_eq!(q["chair"], "Cllr A. Khan");
    let audit = e.ok(&["audit", "--entity", "review"]);
    assert!(audit.contains("Discussed with WMP"), "{audit}");
    assert!(e.ok(&["audit", "--entity", "quarter"]).contains("Cllr A. Khan"), "the chair is in the sign-off's audit entry");
    let rec: Value = serde_json::from_str(&e.export()).unwrap();
    assert_eq!(rec["reviews"][0]["note"], "Discussed with WMP");
    assert_eq!(rec["sign_offs"][0]["chair"], "Cllr A. Khan");
}

#[test]
fn the_council_reports_format_follows_the_file_name_and_a_mismatch_is_refused_writing_nothing() {
    let e = Env::seeded();
    let word = e.path("report.docx");
    let said = e.ok(&["export", "council-report", "--year", "2025-26", "--out", word.to_str().unwrap()]);
    assert!(said.contains("as a Word document"), "{said}");
    let b = bytes(&word);
    assert!(b.starts_with(b"PK") && b.windows(17).any(|w| w == b"word/document.xml"), "a .docx package");
    let also = e.path("also.docx");
    e.ok(&["export", "council-report", "--year", "2025-26", "--format", "DOCX", "--out", also.to_str().unwrap()]);
    for (args, says) in [
        (vec!["--format", "docx", "--out", "r.pdf"], "does not match the file name"),
        (vec!["--format", "pdf", "--out", "r.docx"], "does not match the file name"),
        (vec!["--out", "r.txt"], "name the file .pdf or .docx"),
        (vec!["--format", "odt", "--out", "r.odt"], "not a format"),
    ] {
        let out = e.path(args[args.len() - 1]);
        let mut full = vec!["export", "council-report", "--year", "2025-26"];
        full.extend(&args[..args.len() - 1]);
        full.push(out.to_str().unwrap());
        let run = e.run(&full);
        assert_eq!(run.status.code(), Some(2), "{full:?}");
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(err.contains(says), "{full:?}: {err}");
        assert!(!out.exists(), "nothing written for {full:?}");
    }
}

#[test]
fn the_protective_marking_set_in_settings_is_on_every_page_of_the_papers_and_a_blank_one_is_refused() {
    let e = Env::seeded();
    let pdf = e.path("pop.pdf");
    e.ok(&["export", "plan-on-a-page", "--out", pdf.to_str().unwrap()]);
    let text = |p: &Path| String::from_utf8_lossy(&Command::new("pdftotext").arg(p).arg("-").output().expect("pdftotext").stdout).into_owned();
    assert!(text(&pdf).contains("OFFICIAL"), "OFFICIAL until set");
    e.ok(&["settings", "set-marking", "  OFFICIAL-SENSITIVE  "]);
    assert!(e.audit_has("setting"));
    let pack = e.path("pack.pdf");
    e.ok(&["export", "quarterly", "--quarter", "2025-26-Q2", "--out", pack.to_str().unwrap()]);
    let pages: Vec<String> = text(&pack).split('\u{c}').filter(|p| !p.trim().is_empty()).map(str::to_string).collect();
    assert!(pages.len() > 1 && pages.iter().all(|p| p.contains("OFFICIAL-SENSITIVE")), "every page of the pack is marked");
    // The Word copy's header is checked by tests/publishable.rs (python-docx).
    assert!(e.refused(&["settings", "set-marking", "   "]).contains("marking"));
}

/// Every Figure's text alternative in a tagged PDF, in reading order (tests/pdf_structure.py
/// prints the structure tree with pikepdf; below a Figure, its /Alt).
fn figure_alts(pdf: &Path) -> Vec<String> {
    let python =
        std::env::var_os("CCSP_PYTHON").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/venv/bin/python"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/pdf_structure.py");
    let out = Command::new(python).arg(script).arg(pdf).output().expect("the Python checkers (.tools/venv: run the test command)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = tree.lines().map(str::trim).collect();
    lines.windows(2).filter(|w| w[0] == "Figure").map(|w| w[1].trim_matches('"').to_string()).collect()
}

/// The record's complete updates for a quarter by status, worked out here from `ccsp export
/// json` (not from the papers): "Red 3, Amber 5, Green 10, Complete 2", over the actions whose
/// ref starts with `prefix` ("" for the whole plan). The chart's last two parts (Not started,
/// No return) count only actions that owe a return, which needs the return rules, so they are
/// not worked out here.
fn counted_from_record(record: &Value, quarter: &str, prefix: &str) -> String {
    let n = |rag: &str| {
        record["updates"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["quarter"] == quarter && u["rag"] == rag && u["draft"] == false && u["action"].as_str().unwrap().starts_with(prefix))
            .count()
    };
    format!("Red {}, Amber {}, Green {}, Complete {}", n("red"), n("amber"), n("green"), n("complete"))
}

/// A figure as the papers print it: whole numbers without decimals, else one; "%" joined.
fn printed(v: f64, unit: &str) -> String {
    let n = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") };
    match unit {
        "" => n,
        "%" => format!("{n}%"),
        u => format!("{n} {u}"),
    }
}

/// Each indicator's Figure says its values quarter by quarter, its baseline and its target.
fn assert_indicator_figures(record: &Value, alts: &[String], quarters: &[(String, String)], what: &str) {
    for i in record["indicators"].as_array().unwrap() {
        let name = i["name"].as_str().unwrap();
        let unit = i["unit"].as_str().unwrap();
        let alt = alts.iter().find(|a| a.starts_with(&format!("Line chart. {name}: "))).unwrap_or_else(|| panic!("{what}: a trend of {name} in {alts:#?}"));
        for (code, label) in quarters {
            let value = record["indicator_values"].as_array().unwrap().iter().find(|v| v["indicator"] == i["code"] && v["quarter"] == code.as_str());
            match value {
                Some(v) => assert!(alt.contains(&format!("{label} {}", printed(v["value"].as_f64().unwrap(), unit))), "{what}: {name} in {label}: {alt}"),
                None => assert!(!alt.contains(&format!("{label} ")), "{what}: {name} has no value in {label}: {alt}"),
            }
        }
        if let Some(b) = i["baseline_value"].as_f64() {
            assert!(alt.contains(&format!("baseline {}", printed(b, unit))), "{what}: {name}'s baseline: {alt}");
        }
        if let Some(t) = i["target_value"].as_f64() {
            assert!(alt.contains(&format!("target {}", printed(t, unit))), "{what}: {name}'s target: {alt}");
        }
    }
}

#[test]
fn the_meeting_pack_charts_status_by_theme_the_plan_over_every_quarter_and_each_indicator_with_the_records_numbers() {
    let e = Env::seeded();
    e.ok(&["demo"]);
    let plan = e.json(&["plan", "show", "--json"]);
    let q = plan["reporting_quarter"].as_str().unwrap().to_string();
    let record: Value = serde_json::from_str(&e.export()).unwrap();
    let label = |code: &str| plan["quarters"].as_array().unwrap().iter().find(|x| x["code"] == code).unwrap()["label"].as_str().unwrap().to_string();
    let so_far: Vec<(String, String)> = plan["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap().to_string())
        .filter(|c| c.as_str() <= q.as_str())
        .map(|c| (c.clone(), label(&c)))
        .collect();
    let pack = e.path("pack.pdf");
    e.ok(&["export", "quarterly", "--quarter", &q, "--out", pack.to_str().unwrap()]);
    let alts = figure_alts(&pack);
    // The whole plan, every quarter so far.
    let whole = alts.iter().find(|a| a.starts_with("Bar chart") && !a.contains("Theme ")).expect("the plan's status over the quarters");
    for (code, l) in &so_far {
        assert!(whole.contains(&format!("{l}: {}", counted_from_record(&record, code, ""))), "{l}: {} in {whole}", counted_from_record(&record, code, ""));
    }
    // By theme, this quarter against last.
    let by_theme = alts.iter().find(|a| a.starts_with("Bar chart") && a.contains("Theme 1, ")).expect("status by theme");
    let last = &so_far[so_far.len() - 2];
    for t in plan["themes"].as_array().unwrap() {
        let n = t["number"].as_u64().unwrap();
        for (code, l) in [last, so_far.last().unwrap()] {
            assert!(by_theme.contains(&format!("Theme {n}, {l}: {}", counted_from_record(&record, code, &format!("{n}.")))), "theme {n}, {l}: {by_theme}");
        }
    }
    assert_indicator_figures(&record, &alts, &so_far, "the pack");
}

#[test]
fn the_annual_report_charts_the_years_status_and_each_indicator_across_the_year_with_the_records_numbers() {
    let e = Env::seeded();
    e.ok(&["demo"]);
    let plan = e.json(&["plan", "show", "--json"]);
    let record: Value = serde_json::from_str(&e.export()).unwrap();
    let report = e.path("report.pdf");
    e.ok(&["export", "council-report", "--year", "2025-26", "--out", report.to_str().unwrap()]);
    let alts = figure_alts(&report);
    // The year so far: its quarters up to the last that has ended (the reporting quarter here).
    let upto = plan["reporting_quarter"].as_str().unwrap();
    let year: Vec<(String, String)> = plan["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["code"].as_str().unwrap().to_string(), x["label"].as_str().unwrap().to_string()))
        .filter(|(c, _)| c.starts_with("2025-26") && c.as_str() <= upto)
        .collect();
    assert!(year.len() >= 2, "{year:?}");
    let status = alts.iter().find(|a| a.starts_with("Bar chart")).expect("the year's status");
    for (code, l) in &year {
        assert!(status.contains(&format!("{l}: {}", counted_from_record(&record, code, ""))), "{l}: {status}");
    }
    assert!(
        !status.contains("2026/27") && !status.contains("2024/25") && !status.contains("2025/26 Q3"),
        "only the year's quarters so far (it is 2025/26 Q3 now): {status}"
    );
    assert_indicator_figures(&record, &alts, &year, "the annual report");
}
