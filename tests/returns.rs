//! Partners' return workbooks, made by `ccsp returns make` and read by real spreadsheet clients:
//! openpyxl (tests/xlsx_checks.py) and LibreOffice Calc headless (converted to flat ODF, as a
//! Calc user would open it). One workbook per lead partner with the actions owing a return;
//! the named columns, the status drop-down with the rules, only the four columns a partner
//! fills in unlocked, the sheet protected, the Guidance sheet, the very hidden sheet whose
//! checksum covers what the import will trust, the marking in every sheet's header; an
//! update already in the store pre-filled; names refused before anything is written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let e = Env { dir: tempfile::tempdir().unwrap() };
        e.ok(&["init"]);
        e.ok(&["demo"]);
        e
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("ccsp.sqlite3")
    }
    fn run(&self, args: &[&str]) -> Output {
        // 20 January 2026: 2025/26 Q3 has ended and is open for returns.
        Command::new(env!("CARGO_BIN_EXE_ccsp"))
            .arg("--db")
            .arg(self.db())
            .args(args)
            .env("CCSP_TODAY", "2026-01-20")
            .env("CCSP_USER", "Returns test")
            .output()
            .unwrap()
    }
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "ccsp {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
    fn record(&self) -> serde_json::Value {
        let out = self.dir.path().join("record.json");
        self.ok(&["export", "json", "--force", "--out", out.to_str().unwrap()]);
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
    }
    fn store_id(&self) -> String {
        self.record()["settings"]["store_id"].as_str().expect("the record keeps the store's id").to_string()
    }
}

fn python() -> PathBuf {
    std::env::var_os("CCSP_PYTHON").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/venv/bin/python"))
}

fn read(book: &Path) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/xlsx_checks.py");
    let out = Command::new(python()).arg(script).arg(book).output().expect("openpyxl (.tools/venv: run the test command)");
    assert!(out.status.success(), "openpyxl could not read {}: {}", book.display(), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn returns_make_writes_a_protected_workbook_per_lead_partner_that_spreadsheet_clients_read_as_designed() {
    let e = Env::new();
    e.ok(&["settings", "set-return-to", "ccsp@coventry.gov.uk"]);
    e.ok(&["settings", "set-marking", "OFFICIAL-SENSITIVE"]);
    let out = e.dir.path().join("returns");
    let printed = e.ok(&["returns", "make", "--quarter", "2025-26-Q3", "--out", out.to_str().unwrap()]);
    let paths: Vec<PathBuf> = printed.lines().map(PathBuf::from).collect();
    let names: Vec<String> = paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.contains(&"CCSP-return-2025-26-Q3-WMP.xlsx".to_string()), "{names:?}");
    assert!(paths.iter().all(|p| p.exists()), "every printed path was written");
    let id = e.store_id();
    let mut rows_seen = 0;
    for p in &paths {
        let b = read(p);
        let partner = b["trust"]["partner"].as_str().unwrap().to_string();
        assert_eq!(b["sheets"], serde_json::json!(["Return", "Guidance", "ccsp"]), "{p:?}");
        assert_eq!(b["active"], "Return");
        assert_eq!(
            b["header"],
            serde_json::json!([
                "Ref",
                "Action",
                "Priority",
                "Due",
                "Last quarter status",
                "Last quarter commentary",
                "Status this quarter",
                "Commentary",
                "Next steps / mitigation",
                "Reported by"
            ])
        );
        let title = b["title_block"].to_string();
        assert!(
            title.contains("2025/26 Q3")
                && title.contains(&format!("({partner})"))
                && title.contains("Thursday 15 January 2026")
                && title.contains("ccsp@coventry.gov.uk"),
            "{title}"
        );
        assert_eq!(b["protected"], serde_json::json!([true, true, true]), "every sheet protected");
        let rows = b["rows"].as_array().unwrap();
        assert!(!rows.is_empty(), "{partner} leads actions owing a return");
        rows_seen += rows.len();
        for r in rows {
            assert_eq!(r["unlocked"], serde_json::json!([7, 8, 9, 10]), "only the four columns a partner fills in are unlocked: {r}");
        }
        let dv = &b["validations"][0];
        assert_eq!((dv["type"].as_str(), dv["list"].as_str()), (Some("list"), Some("\"Red,Amber,Green,Complete,Not started\"")));
        let (first, last) = (b["header_row"].as_u64().unwrap() + 1, b["header_row"].as_u64().unwrap() + rows.len() as u64);
        let range = if first == last { format!("G{first}") } else { format!("G{first}:G{last}") };
        assert_eq!(dv["range"].as_str(), Some(range.as_str()), "the drop-down covers every row's status cell");
        assert!(dv["prompt"].as_str().unwrap().contains("Red also needs next steps"), "the drop-down states the rules");
        assert_eq!((b["orientation"].as_str(), b["paper"].as_u64(), b["repeat"].as_str()), (Some("landscape"), Some(9), Some("$7:$7")));
        assert_eq!(b["freeze"], "C8");
        assert!(b["headers"].as_array().unwrap().iter().all(|h| h.as_str().unwrap().contains("OFFICIAL-SENSITIVE")), "the marking heads every sheet");
        assert_eq!(b["hidden"], "veryHidden");
        assert_eq!(b["trust"]["store"].as_str(), Some(id.as_str()), "the workbook names the store it came from");
        assert_eq!(b["trust"]["checksum"], b["checksum"], "the checksum covers exactly the trusted values");
    }
    // The demo's 2025/26 Q3 updates are pre-filled: a partial return can be sent again.
    let wmp = read(&out.join("CCSP-return-2025-26-Q3-WMP.xlsx"));
    let first = &wmp["rows"][0]["values"];
    assert!(first[6].is_string() && first[7].as_str().is_some_and(|c| !c.is_empty()), "this quarter's update pre-filled: {first}");
    // Every action owing a return for Q3 is in its lead's workbook, once: not cancelled,
    // started by the quarter's end, not completed in an earlier quarter (from the record).
    let record = e.record();
    let completed_before: Vec<&str> = record["updates"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["rag"] == "complete" && u["quarter"].as_str().unwrap() < "2025-26-Q3" && u["draft"] == false)
        .map(|u| u["action"].as_str().unwrap())
        .collect();
    let mut owed: Vec<(String, String)> = record["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["lifecycle"] != "cancelled"
                && a["start_date"].as_str().is_none_or(|s| s <= "2025-12-31")
                && !completed_before.contains(&a["ref"].as_str().unwrap())
        })
        .map(|a| (a["ref"].as_str().unwrap().to_string(), a["lead"].as_str().unwrap().to_string()))
        .collect();
    let mut listed: Vec<(String, String)> = paths
        .iter()
        .flat_map(|p| {
            let b = read(p);
            let partner = b["trust"]["partner"].as_str().unwrap().to_string();
            b["rows"].as_array().unwrap().iter().map(|r| (r["values"][0].as_str().unwrap().to_string(), partner.clone())).collect::<Vec<_>>()
        })
        .collect();
    owed.sort();
    listed.sort();
    assert_eq!(listed.len(), rows_seen);
    assert_eq!(listed, owed, "each owed action once, in its lead's workbook");

    // LibreOffice Calc reads the drop-down, the protection and the hidden sheet.
    let fods_dir = e.dir.path().join("fods");
    let profile = e.dir.path().join("lo-profile");
    let lo = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "fods", "--outdir"])
        .arg(&fods_dir)
        .arg(out.join("CCSP-return-2025-26-Q3-WMP.xlsx"))
        .output()
        .expect("LibreOffice (libreoffice-calc-nogui)");
    assert!(lo.status.success(), "{}", String::from_utf8_lossy(&lo.stderr));
    let fods = std::fs::read_to_string(fods_dir.join("CCSP-return-2025-26-Q3-WMP.fods")).expect("Calc converted the workbook");
    assert!(fods.contains("table:content-validation") && fods.contains("&quot;Not started&quot;"), "Calc sees the status drop-down");
    assert!(fods.contains("table:protected=\"true\""), "Calc sees the protection");
    assert!(fods.contains("table:display=\"false\""), "Calc sees a hidden sheet");
}

#[test]
fn returns_make_refuses_before_writing_anything_and_takes_one_partner_or_a_return_by_date() {
    let e = Env::new();
    let out = e.dir.path().join("returns");
    let one = e.ok(&["returns", "make", "--quarter", "2025-26-Q3", "--out", out.to_str().unwrap(), "--partner", "wmp", "--return-by", "2026-01-09"]);
    assert_eq!(one.lines().count(), 1, "{one}");
    assert!(read(&out.join("CCSP-return-2025-26-Q3-WMP.xlsx"))["title_block"].to_string().contains("Friday 9 January 2026"));
    // A name that exists: nothing is written at all (not even the other partners' books).
    let again = e.run(&["returns", "make", "--quarter", "2025-26-Q3", "--out", out.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1, "nothing else written");
    e.ok(&["returns", "make", "--quarter", "2025-26-Q3", "--out", out.to_str().unwrap(), "--replace"]);
    assert!(std::fs::read_dir(&out).unwrap().count() > 1);
    for (args, code, says) in [
        (vec!["--partner", "Nobody"], 2, "not a partner"),
        (vec!["--return-by", "9/1/2026"], 2, "not a date"),
        (vec!["--quarter", "2027-28-Q4"], 3, "has not started"),
    ] {
        let mut full = vec!["returns", "make", "--out", "elsewhere"];
        if !args.contains(&"--quarter") {
            full.extend(["--quarter", "2025-26-Q3"]);
        }
        full.extend(args.iter());
        let run = e.run(&full);
        assert_eq!(run.status.code(), Some(code), "{full:?}: {}", String::from_utf8_lossy(&run.stderr));
        assert!(String::from_utf8_lossy(&run.stderr).contains(says), "{full:?}: {}", String::from_utf8_lossy(&run.stderr));
    }
    assert!(!Path::new("elsewhere").exists(), "a refused make writes nothing");
    // A signed-off quarter's returns are closed.
    e.ok(&["quarter", "sign-off", "2025-26-Q3", "--yes", "--chair", "Cllr Chair"]);
    let run = e.run(&["returns", "make", "--quarter", "2025-26-Q3", "--out", out.to_str().unwrap(), "--replace"]);
    assert_eq!(run.status.code(), Some(3), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn the_tracker_exports_to_xlsx_and_csv_and_no_typed_text_becomes_a_formula_in_a_spreadsheet() {
    let e = Env::new();
    let hostile = "=HYPERLINK(\"http://example.invalid\",\"click\")";
    let added = e.ok(&["action", "add", "--priority", "1.1", "--title", hostile, "--lead", "WMP"]);
    let reference = added.trim().to_string();
    e.ok(&["update", "set", &reference, "--quarter", "2025-26-Q3", "--rag", "green", "--commentary", "+44 24 7683 1234 and @mentions"]);
    let csv = e.dir.path().join("tracker.csv");
    let xlsx = e.dir.path().join("tracker.xlsx");
    e.ok(&["export", "tracker", "--quarter", "2025-26-Q3", "--out", csv.to_str().unwrap()]);
    e.ok(&["export", "tracker", "--quarter", "2025-26-Q3", "--out", xlsx.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 with a byte-order mark");
    assert!(text.lines().next().unwrap().contains("Status 2025/26 Q3"));
    let actions = e.record()["actions"].as_array().unwrap().len();
    assert_eq!(text.lines().count(), actions + 1, "a header and one line per action");
    // LibreOffice Calc opens the CSV as a user would: no formula is evaluated.
    let profile = e.dir.path().join("lo-profile");
    let converted = e.dir.path().join("calc");
    let lo = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "fods", "--outdir"])
        .arg(&converted)
        .arg(&csv)
        .output()
        .expect("LibreOffice (libreoffice-calc-nogui)");
    assert!(lo.status.success(), "{}", String::from_utf8_lossy(&lo.stderr));
    let fods = std::fs::read_to_string(converted.join("tracker.fods")).unwrap();
    assert!(!fods.contains("table:formula"), "no cell of the CSV became a formula");
    assert!(fods.contains("HYPERLINK") && fods.contains("+44 24 7683"), "the text is there, as text");
    // The workbook: every value is a string cell (openpyxl's data type 's'), none a formula.
    let script = "import sys, openpyxl\nws = openpyxl.load_workbook(sys.argv[1]).active\nprint(sorted({c.data_type for r in ws.iter_rows() for c in r if c.value is not None}))\nprint(any(isinstance(c.value, str) and c.value.startswith('=HYPERLINK') for r in ws.iter_rows() for c in r))";
    let out = Command::new(python()).arg("-c").arg(script).arg(&xlsx).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "['s']\nTrue\n", "string cells only, the title kept as typed");
    let wrong = e.run(&["export", "tracker", "--out", e.dir.path().join("tracker.txt").to_str().unwrap()]);
    assert_eq!(wrong.status.code(), Some(2));
}
