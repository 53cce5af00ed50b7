//! Crash safety, proven by killing the CLI mid-write: 100 trials, each starting a write
//! command (add an action, record an update, rename the coordinator), and 40 more of the
//! heavy ones (sign a quarter off with its backup, `import json --replace`, `restore`,
//! `backup --out`) and sending it SIGKILL after a random delay spread over its whole run — before
//! the store is open, inside the transaction, after the commit, after it has printed. After
//! each kill:
//!
//! - every write the CLI reported as done (it prints only after the commit) is in the store;
//! - a write it did not report is either wholly there or wholly absent, never half;
//! - `PRAGMA integrity_check` is ok and the store opens.
//!
//! SIGKILL stops the process, not the machine: the operating system still writes what SQLite
//! handed it. What it proves is atomicity at every point of a write. Surviving a power cut
//! rests on SQLite's journal and `synchronous = FULL` (every commit fsynced before the CLI
//! says it is done), which is why the store uses FULL rather than NORMAL (which may lose the
//! last commits on power loss, though never corrupt the file).

#![cfg(unix)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TRIALS: usize = 100;

fn ccsp(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ccsp"));
    c.arg("--db").arg(db).env("CCSP_TODAY", "2025-11-20").env("CCSP_USER", "Crash test");
    c
}

fn run(db: &Path, args: &[&str]) -> String {
    let out = ccsp(db).args(args).output().unwrap();
    assert!(out.status.success(), "ccsp {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A small deterministic random generator (xorshift), so a failing trial can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Starts `args`, kills it after `delay`, returns what it printed and whether it finished first.
fn start_and_kill(db: &Path, args: &[String], delay: Duration) -> (String, bool) {
    let mut child = ccsp(db).args(args).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let t0 = Instant::now();
    let mut finished = false;
    while t0.elapsed() < delay {
        if let Ok(Some(_)) = child.try_wait() {
            finished = true;
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    if !finished {
        unsafe {
            libc_kill(child.id() as i32, 9);
        }
    }
    let _ = child.wait(); // reaping the killed child
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    (out, finished)
}

extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

fn integrity(db: &Path) -> String {
    let conn = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

fn actions(db: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str::<Vec<serde_json::Value>>(&run(db, &["action", "list", "--json"])).unwrap()
}

#[test]
fn a_write_killed_at_any_moment_is_all_there_or_not_at_all_and_the_store_stays_sound() {
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("ccsp.sqlite3");
    run(&db, &["init"]);
    let base = run(&db, &["action", "add", "--priority", "1.1", "--title", "Base action", "--lead", "WMP"]).trim().to_string();

    // How long one write takes here, so kills are spread over a whole run.
    // The quickest of three, so one slow run on a busy machine does not stretch every delay.
    let typical = (0..3)
        .map(|i| {
            let t0 = Instant::now();
            run(&db, &["action", "add", "--priority", "1.2", "--title", &format!("Timing {i}"), "--lead", "CCC"]);
            t0.elapsed()
        })
        .min()
        .unwrap_or_default() // three runs: never empty
        .max(Duration::from_millis(2));

    let mut rng = Rng(0x5eed_cc5b_2025_2028);
    let (mut reported, mut killed_mid_run) = (0, 0);
    for trial in 0..TRIALS {
        let title = format!("Trial {trial}");
        let kind = rng.below(4);
        let args: Vec<String> = match kind {
            0 | 1 => vec!["action", "add", "--priority", "2.1", "--title", &title, "--lead", "CCC"].into_iter().map(String::from).collect(),
            2 => vec!["update", "set", &base, "--quarter", "2025-26-Q2", "--rag", "amber", "--commentary", &title].into_iter().map(String::from).collect(),
            _ => vec!["settings", "set-name", &title].into_iter().map(String::from).collect(),
        };
        let delay = Duration::from_micros(rng.below(typical.as_micros() as u64 * 3 / 2 + 1));
        let (out, finished) = start_and_kill(&db, &args, delay);
        if !finished {
            killed_mid_run += 1;
        }

        assert_eq!(integrity(&db), "ok", "trial {trial}: the store is sound after SIGKILL at {delay:?}");
        let list = actions(&db);
        let said_done = !out.trim().is_empty();
        if said_done {
            reported += 1;
        }
        match kind {
            0 | 1 => {
                let found: Vec<&serde_json::Value> = list.iter().filter(|a| a["title"] == title.as_str()).collect();
                assert!(found.len() <= 1, "trial {trial}: one add, at most one action");
                if said_done {
                    assert_eq!(found.len(), 1, "trial {trial}: the CLI printed {} but the action is not there", out.trim());
                    assert_eq!(found[0]["ref"].as_str().unwrap(), out.trim(), "trial {trial}");
                }
            }
            2 => {
                let export = dir.path().join(format!("e{trial}.json"));
                run(&db, &["export", "json", "--out", export.to_str().unwrap()]);
                let rec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
                let commentary = rec["updates"].as_array().unwrap().iter().find(|u| u["action"] == base.as_str()).map(|u| u["commentary"].clone());
                if said_done {
                    assert_eq!(commentary, Some(serde_json::json!(title)), "trial {trial}: a reported update is there");
                }
                // The update and its audit entry are written together or not at all.
                let audited = rec["audit"].as_array().unwrap().iter().any(|e| e["entity"] == "update" && e["after"]["commentary"] == title.as_str());
                assert_eq!(audited, commentary == Some(serde_json::json!(title)), "trial {trial}: the update and its audit entry agree");
                std::fs::remove_file(export).unwrap();
            }
            _ => {
                if said_done {
                    let audit = run(&db, &["audit", "--entity", "setting", "--json"]);
                    assert!(audit.contains(&title), "trial {trial}: the reported rename is in the audit trail");
                }
            }
        }
    }
    println!("{TRIALS} trials: {reported} writes reported done, {killed_mid_run} killed while running (typical write {typical:?})");
    // The kills really landed across runs: some writes finished, some were cut short.
    assert!(reported > 0, "no write ever completed: the delays are too short to test anything");
    assert!(killed_mid_run >= TRIALS / 4, "only {killed_mid_run} of {TRIALS} writes were killed while running");
    // And the store still takes writes.
    run(&db, &["action", "add", "--priority", "3.1", "--title", "After the crashes", "--lead", "ICB"]);
}

/// The record as the CLI exports it (the store's whole content but its file log).
fn record(db: &Path, dir: &Path, name: &str) -> String {
    let out = dir.join(name);
    run(db, &["export", "json", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(out).unwrap();
    text
}

fn audit_count(rec: &str, op: &str) -> usize {
    let v: serde_json::Value = serde_json::from_str(rec).unwrap();
    v["audit"].as_array().unwrap().iter().filter(|e| e["op"] == op).count()
}

#[test]
fn sign_off_import_replace_restore_and_backup_killed_at_any_moment_leave_one_whole_record() {
    const HEAVY_TRIALS: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("ccsp.sqlite3");
    run(&db, &["init"]);
    run(&db, &["demo"]);
    // Two other whole records to import or restore: each with a marker action.
    let other = dir.path().join("other.sqlite3");
    run(&other, &["init"]);
    run(&other, &["action", "add", "--priority", "1.1", "--title", "Imported marker", "--lead", "WMP"]);
    let import_file = dir.path().join("other.json");
    run(&other, &["export", "json", "--out", import_file.to_str().unwrap()]);
    let imported = std::fs::read_to_string(&import_file).unwrap();
    let backup_file = dir.path().join("restore-me.sqlite3");
    run(&other, &["action", "add", "--priority", "1.1", "--title", "Restored marker", "--lead", "WMP"]);
    run(&other, &["backup", "--out", backup_file.to_str().unwrap()]);
    let restored = record(&other, dir.path(), "restored.json");

    let t0 = Instant::now();
    run(&db, &["backup", "--out", dir.path().join("timing.sqlite3").to_str().unwrap()]);
    // (One backup is enough here: the delays are spread up to twice its time.)
    // Import and restore take longer than a backup; kills are spread up to twice a backup's time.
    let typical = t0.elapsed().max(Duration::from_millis(5)) * 2;

    let mut rng = Rng(0xc0ff_ee20_2611_2026);
    let (mut reported, mut killed_mid_run) = (0, 0);
    for trial in 0..HEAVY_TRIALS {
        let before = record(&db, dir.path(), "before.json");
        let kind = trial % 4;
        let snapshot = dir.path().join(format!("snap-{trial}.sqlite3"));
        let args: Vec<String> = match kind {
            0 => vec!["quarter".into(), "sign-off".into(), "2025-26-Q2".into(), "--yes".into()],
            1 => vec!["import".into(), "json".into(), import_file.display().to_string(), "--replace".into()],
            2 => vec!["restore".into(), backup_file.display().to_string()],
            _ => vec!["backup".into(), "--out".into(), snapshot.display().to_string()],
        };
        let delay = Duration::from_micros(rng.below(typical.as_micros() as u64 + 1));
        let (out, finished) = start_and_kill(&db, &args, delay);
        killed_mid_run += usize::from(!finished);
        let said_done = !out.trim().is_empty();
        reported += usize::from(said_done);
        assert_eq!(integrity(&db), "ok", "trial {trial} ({args:?}): the store is sound after SIGKILL at {delay:?}");
        let after = record(&db, dir.path(), "after.json");
        match kind {
            0 => {
                let signed = audit_count(&after, "sign_off") > audit_count(&before, "sign_off");
                assert!(after == before || signed, "trial {trial}: a sign-off is there with its audit entry, or not at all");
                if said_done {
                    assert!(signed, "trial {trial}: a reported sign-off is in the record");
                }
                if signed {
                    // Open the quarter again for the next sign-off trial.
                    run(&db, &["quarter", "reopen", "2025-26-Q2", "--reason", "crash harness"]);
                }
            }
            1 => {
                assert!(after == before || after == imported, "trial {trial}: the import applied whole or not at all");
                if said_done {
                    assert_eq!(after, imported, "trial {trial}: a reported import is the record");
                }
            }
            2 => {
                assert!(after == before || after == restored, "trial {trial}: the restore applied whole or not at all");
                if said_done {
                    assert_eq!(after, restored, "trial {trial}: a reported restore is the record");
                }
            }
            _ => {
                assert_eq!(after, before, "trial {trial}: a backup never changes the record");
                if said_done {
                    assert_eq!(integrity(&snapshot), "ok", "trial {trial}: a reported backup is a sound store");
                    assert_eq!(record(&snapshot, dir.path(), "snap.json"), before, "trial {trial}: and holds the whole record");
                }
            }
        }
    }
    println!("{HEAVY_TRIALS} trials: {reported} reported done, {killed_mid_run} killed while running (typical {typical:?})");
    assert!(reported > 0, "no write ever completed");
    assert!(killed_mid_run >= HEAVY_TRIALS / 4, "only {killed_mid_run} of {HEAVY_TRIALS} were killed while running");
}
