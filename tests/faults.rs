//! Faults a laptop meets, through the `ccsp` command line: the store's disk full, the store on
//! read-only media, a store with unsaved WAL commits on a write-protected stick, exports onto
//! a full disk. Each runs on a small tmpfs of its own, so it needs to mount: CI runs as root;
//! elsewhere `scripts/test.sh` runs this file under `unshare -rm` (a private mount namespace).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A small tmpfs mounted for one test, unmounted when dropped.
struct Disk {
    dir: tempfile::TempDir,
}

impl Disk {
    fn new(size: &str) -> Disk {
        let dir = tempfile::tempdir().unwrap();
        let status = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir.path()).status().unwrap();
        assert!(status.success(), "these tests mount a small tmpfs: run them as root, or under `unshare -rm` (scripts/test.sh does)");
        Disk { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Fills the disk to the last byte with one file.
    fn fill(&self) {
        let out = Command::new("dd").args(["if=/dev/zero", "bs=4096"]).arg(format!("of={}", self.path("filler").display())).output().unwrap();
        assert!(!out.status.success(), "dd stops when the disk is full");
        let free = Command::new("df").arg("--output=avail").arg(self.dir.path()).output().unwrap();
        assert!(String::from_utf8_lossy(&free.stdout).lines().nth(1).is_some_and(|l| l.trim() == "0"), "the disk is full");
    }

    fn unfill(&self) {
        std::fs::remove_file(self.path("filler")).unwrap();
    }

    fn remount(&self, mode: &str) {
        let status = Command::new("mount").args(["-o", &format!("remount,{mode}")]).arg(self.dir.path()).status().unwrap();
        assert!(status.success());
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        // Unmounting is what gives the tmpfs's memory back; a failure only leaves a mount
        // inside a folder the OS removes with the test's temporary files.
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Runs ccsp on `db` with a fixed date and user.
fn ccsp(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ccsp"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CCSP_TODAY", "2025-11-20")
        .env("CCSP_USER", "Test Coordinator")
        .env_remove("CCSP_DB")
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = ccsp(db, args);
    assert!(out.status.success(), "ccsp {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// A command that must fail with `code`; returns its one-line message.
fn fails(db: &Path, args: &[&str], code: i32) -> String {
    let out = ccsp(db, args);
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(code), "ccsp {args:?}: {err}");
    assert!(err.starts_with("ccsp: ") && !err.contains("panicked"), "{err}");
    err
}

/// A seeded store with one action, made on an ordinary disk and copied onto `disk`.
fn store_on(disk: &Disk, elsewhere: &Path) -> PathBuf {
    let made = elsewhere.join("made.sqlite3");
    ok(&made, &["init"]);
    ok(&made, &["action", "add", "--priority", "1.1", "--title", "Hotspot patrols", "--lead", "WMP"]);
    let db = disk.path("ccsp.sqlite3");
    std::fs::copy(&made, &db).unwrap();
    db
}

const ADD: [&str; 8] = ["action", "add", "--priority", "1.2", "--title", "Another", "--lead", "WMP"];

#[test]
fn with_the_store_disk_full_writes_are_refused_naming_the_cause_and_reading_and_exporting_elsewhere_work() {
    let other = tempfile::tempdir().unwrap();
    let disk = Disk::new("2m");
    let db = store_on(&disk, other.path());
    disk.fill();

    assert!(ok(&db, &["action", "list"]).contains("Hotspot patrols"), "the register reads on a full disk");
    assert!(ok(&db, &["plan", "show"]).contains("Theme 1"));
    let pdf = other.path().join("plan.pdf");
    ok(&db, &["export", "plan-on-a-page", "--out", pdf.to_str().unwrap()]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"), "exporting to another disk works");

    let err = fails(&db, &ADD, 5);
    assert!(err.contains("is full") && err.contains("free some space and try again") && err.contains("nothing was changed"), "{err}");
    assert!(!ok(&db, &["action", "list"]).contains("Another"), "nothing was changed");

    // Once space is freed, the same command works.
    disk.unfill();
    assert_eq!(ok(&db, &ADD).trim(), "1.2.1");
}

#[test]
fn an_export_onto_a_full_disk_says_so_and_leaves_no_partial_file() {
    let other = tempfile::tempdir().unwrap();
    let db = other.path().join("ccsp.sqlite3");
    ok(&db, &["init"]);
    ok(&db, &["demo"]);
    let disk = Disk::new("64k");
    disk.fill();
    let before = disk.files();
    for (args, name) in [(vec!["export", "council-report", "--year", "2025-26"], "report.pdf"), (vec!["export", "json"], "record.json")] {
        let out = disk.path(name);
        let mut a = args.clone();
        a.extend(["--out", out.to_str().unwrap()]);
        let err = fails(&db, &a, 5);
        assert!(err.contains("is full"), "{err}");
        assert_eq!(disk.files(), before, "no partial or temporary file is left on the full disk");
    }
}

#[test]
fn on_read_only_media_the_store_opens_for_reading_and_exporting_and_a_write_is_refused_saying_so() {
    let other = tempfile::tempdir().unwrap();
    let disk = Disk::new("4m");
    let db = store_on(&disk, other.path());
    disk.remount("ro");

    assert!(ok(&db, &["action", "list"]).contains("Hotspot patrols"));
    let json: serde_json::Value = serde_json::from_str(&ok(&db, &["action", "list", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    for (args, file) in [
        (vec!["export", "quarterly", "--quarter", "2025-26-Q2"], "pack.pdf"),
        (vec!["export", "council-report", "--year", "2025-26"], "report.pdf"),
        (vec!["export", "json"], "record.json"),
    ] {
        let out = other.path().join(file);
        let mut a = args.clone();
        a.extend(["--out", out.to_str().unwrap()]);
        ok(&db, &a);
        assert!(out.exists(), "{file} exported from a read-only store");
    }
    let copy = other.path().join("copy.sqlite3");
    ok(&db, &["backup", "--out", copy.to_str().unwrap()]);
    assert!(ok(&copy, &["action", "list"]).contains("Hotspot patrols"), "a read-only store can be backed up elsewhere");

    let err = fails(&db, &ADD, 5);
    assert!(err.contains("read-only") && err.contains("nothing was changed"), "{err}");
    let err = fails(&db, &["settings", "set-name", "Sam"], 5);
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(disk.files(), vec!["ccsp.sqlite3".to_string()], "nothing was created beside the store");
}

#[test]
fn a_store_with_unsaved_wal_commits_on_a_write_protected_stick_reads_its_latest_commits() {
    let other = tempfile::tempdir().unwrap();
    let made = other.path().join("made.sqlite3");
    ok(&made, &["init"]);
    // A second connection held open keeps SQLite from folding the WAL back into the file, as
    // the open window does when the stick is pulled.
    let holder = rusqlite::Connection::open(&made).unwrap();
    let _: i64 = holder.query_row("SELECT count(*) FROM plan", [], |r| r.get(0)).unwrap();
    ok(&made, &["action", "add", "--priority", "1.1", "--title", "Only in the WAL", "--lead", "WMP"]);
    let wal = other.path().join("made.sqlite3-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the new action is in the WAL");

    let disk = Disk::new("4m");
    for ext in ["", "-wal", "-shm"] {
        std::fs::copy(other.path().join(format!("made.sqlite3{ext}")), disk.path(&format!("ccsp.sqlite3{ext}"))).unwrap();
    }
    drop(holder);
    disk.remount("ro");
    let db = disk.path("ccsp.sqlite3");
    assert!(ok(&db, &["action", "list"]).contains("Only in the WAL"), "the WAL's commits are read, not skipped");
    fails(&db, &ADD, 5);
}

#[test]
fn an_export_into_a_missing_folder_or_onto_a_folder_is_refused_clearly_and_touches_nothing() {
    let other = tempfile::tempdir().unwrap();
    let db = other.path().join("ccsp.sqlite3");
    ok(&db, &["init"]);
    let missing = other.path().join("no-such-folder/plan.pdf");
    let err = fails(&db, &["export", "plan-on-a-page", "--out", missing.to_str().unwrap()], 2);
    assert!(err.contains("does not exist"), "{err}");
    let folder = other.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("kept.txt"), "mine").unwrap();
    let err = fails(&db, &["export", "json", "--out", folder.to_str().unwrap()], 2);
    assert!(err.contains("is a folder; give a file name"), "{err}");
    assert_eq!(std::fs::read_to_string(folder.join("kept.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1);
}

#[test]
fn a_store_whose_disk_fills_mid_session_refuses_the_write_and_takes_it_once_space_is_freed() {
    use ccsp_core::store::{SetUpdate, UpdateMode};
    let other = tempfile::tempdir().unwrap();
    let disk = Disk::new("2m");
    let db = store_on(&disk, other.path());
    // The window's connection, opened while writing works.
    let mut store = ccsp_core::Store::open(&db).unwrap();
    assert!(store.read_only().is_none());
    let ctx = ccsp_core::Ctx::new("Test Coordinator", chrono::NaiveDate::from_ymd_opt(2025, 11, 20).unwrap());
    let typed = SetUpdate {
        action: "1.1.1".into(),
        quarter: Some(ccsp_core::domain::Quarter::parse("2025-26-Q2").unwrap()),
        rag: Some(ccsp_core::domain::Rag::Amber),
        commentary: "Patrols moved to the evening ".repeat(400),
        next_steps: String::new(),
        reported_by: None,
    };
    disk.fill();
    let err = store.set_update(&ctx, &typed, UpdateMode::Draft).unwrap_err();
    assert_eq!(err.code(), ccsp_core::ErrorCode::DiskFull, "{err}");
    assert_eq!(err.exit_code(), 5);
    disk.unfill();
    store.set_update(&ctx, &typed, UpdateMode::Draft).unwrap();
    drop(store);
    assert!(ok(&db, &["action", "list"]).contains("Amber"), "the retried update was saved");
}

#[test]
fn a_store_opened_on_read_only_media_takes_writes_again_once_the_medium_is_writable() {
    // (Linux refuses to remount a disk read-only while a file on it is open for writing, so
    // a medium turning read-only under an open store is met as EIO: MediumFailed.)
    let other = tempfile::tempdir().unwrap();
    let disk = Disk::new("4m");
    let db = store_on(&disk, other.path());
    disk.remount("ro");
    let mut store = ccsp_core::Store::open(&db).unwrap();
    assert_eq!(store.read_only(), Some(ccsp_core::fault::ReadOnlyReason::Medium));
    let ctx = ccsp_core::Ctx::new("Test Coordinator", chrono::NaiveDate::from_ymd_opt(2025, 11, 20).unwrap());
    let err = store.set_setting(&ctx, "coordinator_name", "During").unwrap_err();
    assert_eq!(err.exit_code(), 5, "{err:?}");
    assert!(err.to_string().contains("read-only"), "{err}");
    disk.remount("rw");
    store.set_setting(&ctx, "coordinator_name", "After").unwrap();
    assert!(store.read_only().is_none(), "the store is writable again");
    assert_eq!(store.setting("coordinator_name").unwrap().as_deref(), Some("After"));
}
