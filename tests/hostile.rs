//! Hostile input through the command line: markup and SQL in every text field, characters the
//! fonts lack, over-long text, control characters, impossible dates, quarters and money,
//! references to things that do not exist. Each is either stored exactly as typed (text is
//! text) or refused with a message naming the field — and a refused command leaves the store
//! file byte for byte as it was. (Malformed, truncated, deeply nested and foreign import files
//! and foreign, empty, truncated and damaged database files are in tests/cli.rs.)

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Store {
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl Store {
    fn new() -> Store {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ccsp.sqlite3");
        let s = Store { _dir: dir, db };
        s.ok(&["init"]);
        s
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ccsp"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env("CCSP_TODAY", "2025-11-20")
            .env("CCSP_USER", "Hostile test")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "ccsp {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// The store's files as bytes, after a read has checkpointed the write-ahead log.
    fn bytes(&self) -> Vec<Vec<u8>> {
        self.ok(&["plan", "show"]);
        let side = |ext: &str| std::fs::read(sibling(&self.db, ext)).unwrap_or_default(); // no -wal/-shm: compared as empty before and after
        vec![std::fs::read(&self.db).unwrap(), side("-wal")]
    }

    /// A command that must be refused with exit code `code`, naming `expect`, changing nothing.
    fn refused(&self, args: &[&str], code: i32, expect: &str) {
        let before = self.bytes();
        let out = self.run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "ccsp {args:?}: {err}");
        assert!(err.starts_with("ccsp: ") && err.contains(expect), "ccsp {args:?}: expected {expect:?} in {err}");
        assert!(!err.contains("panicked"), "{err}");
        let out = Command::new(env!("CARGO_BIN_EXE_ccsp")).arg("--db").arg(&self.db).args(["plan", "show"]).output().unwrap();
        assert!(out.status.success());
        assert!(self.bytes() == before, "ccsp {args:?} changed the store file");
    }

    fn actions(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.ok(&["action", "list", "--json"])).unwrap()
    }
}

fn sibling(p: &Path, ext: &str) -> PathBuf {
    PathBuf::from(format!("{}{ext}", p.display()))
}

const HOSTILE: &[&str] = &[
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE action; --",
    "Robert'); DELETE FROM quarterly_update WHERE ('1'='1",
    "\" OR 1=1 --",
    "{{7*7}} ${7*7} %s %n %x",
    "&lt;b&gt;not bold&lt;/b&gt; & <b>bold?</b>",
    "../../etc/passwd",
];

#[test]
fn markup_and_sql_in_every_text_field_are_stored_and_returned_exactly_as_typed() {
    let s = Store::new();
    for (i, text) in HOSTILE.iter().enumerate() {
        let r = s
            .ok(&["action", "add", "--priority", "1.1", "--title", text, "--description", text, "--success-measure", text, "--lead", "WMP"])
            .trim()
            .to_string();
        s.ok(&["update", "set", &r, "--quarter", "2025-26-Q2", "--rag", "red", "--commentary", text, "--next-steps", text, "--reported-by", text]);
        s.ok(&["settings", "set-name", text]);
        s.ok(&["action", "cancel", &r, "--reason", text]);
        let a = s.actions().into_iter().find(|a| a["ref"] == r.as_str()).unwrap();
        assert_eq!(a["title"], *text, "case {i}");
    }
    // Nothing was interpreted: every table is there and every row is.
    assert_eq!(s.actions().len(), HOSTILE.len());
    let out = s.ok(&["export", "json", "--out", s.db.with_extension("json").to_str().unwrap()]);
    assert!(out.contains("Exported"));
    let rec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(s.db.with_extension("json")).unwrap()).unwrap();
    for (i, text) in HOSTILE.iter().enumerate() {
        let a = &rec["actions"][i];
        assert_eq!(
            (a["title"].as_str(), a["description"].as_str(), a["success_measure"].as_str(), a["cancel_reason"].as_str()),
            (Some(*text), Some(*text), Some(*text), Some(*text))
        );
        let u = &rec["updates"][i];
        assert_eq!((u["commentary"].as_str(), u["next_steps"].as_str(), u["reported_by"].as_str()), (Some(*text), Some(*text), Some(*text)));
    }
    assert_eq!(rec["themes"].as_array().unwrap().len(), 3);
}

#[test]
fn characters_the_fonts_lack_round_trip_exactly() {
    let s = Store::new();
    let texts = [
        "Knife crime 🔪 and 🦀 crab emoji",
        "Polish: Łódź, Welsh: Llanfairpwllgwyngyll ŵ ŷ, Irish: Ó Súilleabháin",
        "Punjabi ਪੰਜਾਬੀ, Urdu اردو, Chinese 中文, Romanian ș ț",
        "Combining: e\u{301} vs é, ZWJ family 👨\u{200d}👩\u{200d}👧, RTL mark \u{200f}",
        "Money £1,234.56 – en dash — em dash … ellipsis “quotes” ‘single’",
    ];
    for t in texts {
        let r = s.ok(&["action", "add", "--priority", "2.1", "--title", t, "--lead", "CCC"]).trim().to_string();
        let a = s.actions().into_iter().find(|a| a["ref"] == r.as_str()).unwrap();
        assert_eq!(a["title"], t);
    }
}

#[test]
fn over_long_text_and_control_characters_are_refused_and_change_nothing() {
    let s = Store::new();
    let r = s.ok(&["action", "add", "--priority", "1.1", "--title", "Base", "--lead", "WMP"]).trim().to_string();
    let long_title = "x".repeat(501);
    let long_commentary = "y".repeat(100_001);
    let long_name = "z".repeat(201);
    s.refused(&["action", "add", "--priority", "1.1", "--title", &long_title, "--lead", "WMP"], 2, "title: is 501 characters long; the most is 500");
    s.refused(
        &["update", "set", &r, "--quarter", "2025-26-Q2", "--rag", "amber", "--commentary", &long_commentary],
        2,
        "commentary: is 100001 characters long",
    );
    s.refused(&["settings", "set-name", &long_name], 2, "is 201 characters long");
    s.refused(&["action", "add", "--priority", "1.1", "--title", "Bell \u{7} here", "--lead", "WMP"], 2, "title: contains a control character (U+0007)");
    s.refused(
        &["update", "set", &r, "--quarter", "2025-26-Q2", "--rag", "green", "--commentary", "esc \u{1b}[31m red"],
        2,
        "commentary: contains a control character (U+001B)",
    );
    s.refused(&["action", "cancel", &r, "--reason", "   "], 2, "reason: a reason is required");
    // The longest allowed text is accepted whole.
    let max = "w".repeat(100_000);
    s.ok(&["update", "set", &r, "--quarter", "2025-26-Q2", "--rag", "amber", "--commentary", &max]);
}

#[test]
fn impossible_dates_quarters_and_money_are_refused_and_change_nothing() {
    let s = Store::new();
    let r = s.ok(&["action", "add", "--priority", "1.1", "--title", "Base", "--lead", "WMP"]).trim().to_string();
    let add = |extra: &[&str]| {
        let mut a = vec!["action", "add", "--priority", "1.1", "--title", "x", "--lead", "WMP"];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (add(&["--due", "2026-02-29"]), "due:"),
        (add(&["--due", "2026-13-01"]), "due:"),
        (add(&["--due", "31/03/2026"]), "due:"),
        (add(&["--due", "2030-01-01"]), "outside the plan period"),
        (add(&["--start", "2026-01-01", "--due", "2025-12-31"]), "before the start date"),
        (add(&["--due-quarter", "2025-26-Q0"]), "due"),
        (add(&["--due-quarter", "2025-26-Q5"]), "due"),
        (add(&["--due-quarter", "2031-32-Q1"]), "not a quarter of the plan"),
        (add(&["--funding", "-1"]), "funding:"),
        (add(&["--funding", "0.001"]), "funding:"),
        (add(&["--funding", "1e3"]), "funding:"),
        (add(&["--funding", "NaN"]), "funding:"),
        (add(&["--funding", "99999999999999999999"]), "funding:"),
        (add(&["--funding", "12,34.5"]), "funding:"),
        (add(&["--funding", "100", "--funding-year", "2035-36"]), "funding"),
        (vec!["update".into(), "set".into(), r.clone(), "--quarter".into(), "2025-26-Q9".into(), "--rag".into(), "green".into()], "quarter"),
        (vec!["update".into(), "set".into(), r.clone(), "--quarter".into(), "2027-28-Q1".into(), "--rag".into(), "green".into()], "has not started yet"),
        (vec!["update".into(), "set".into(), r.clone(), "--quarter".into(), "2024-25-Q4".into(), "--rag".into(), "green".into()], "not a quarter of the plan"),
        (vec!["quarter".into(), "sign-off".into(), "2025/26 Q7".into()], "quarter"),
    ];
    for (args, expect) in cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        s.refused(&a, 2, expect);
    }
}

#[test]
fn references_to_things_that_do_not_exist_are_refused_and_change_nothing() {
    let s = Store::new();
    let r = s.ok(&["action", "add", "--priority", "1.1", "--title", "Base", "--lead", "WMP"]).trim().to_string();
    s.refused(&["update", "set", "9.9.9", "--quarter", "2025-26-Q2", "--rag", "green"], 2, "9.9.9 is not an action ref");
    s.refused(&["action", "add", "--priority", "7.7", "--title", "x", "--lead", "WMP"], 2, "priority: 7.7 is not a priority");
    s.refused(&["action", "add", "--priority", "1.1", "--title", "x", "--lead", "XYZ"], 2, "lead: \"XYZ\" is not a partner");
    s.refused(&["action", "add", "--priority", "1.1", "--title", "x", "--lead", "WMP", "--partners", "CCC,NOPE"], 2, "partners: \"NOPE\" is not a partner");
    s.refused(&["action", "move", &r, "--priority", "4.1"], 2, "4.1 is not a priority");
    s.refused(&["action", "cancel", "1.1.99", "--reason", "gone"], 2, "1.1.99");
    s.refused(&["quarter", "reopen", "2025-26-Q1", "--reason", "why"], 3, "not signed off");
}
