//! Partners' return workbooks, made by `ccsp returns make` and read by real spreadsheet clients:
//! openpyxl (tests/xlsx_checks.py) and LibreOffice Calc headless (converted to flat ODF, as a
//! Calc user would open it). One workbook per lead partner with the actions owing a return;
//! the named columns, the status drop-down with the rules, only the four columns a partner
//! fills in unlocked, the sheet protected, the Guidance sheet, the very hidden sheet whose
//! checksum covers what the import will trust, the marking in every sheet's header; an
//! update already in the store pre-filled; names refused before anything is written. Then the
//! returns merged back in (`returns import`), and an existing tracker brought in (`import
//! actions`), each with real spreadsheet files and every bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "support/cli_env.rs"]
mod cli_env;
use cli_env::Env;

/// The demo store on 20 January 2026: 2025/26 Q3 has ended and is open for returns.
fn env() -> Env {
    Env::new("2026-01-20", "Returns test", true)
}

fn store_id(e: &Env) -> String {
    e.record()["settings"]["store_id"].as_str().expect("the record keeps the store's id").to_string()
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
    let e = env();
    e.ok(&["settings", "set-return-to", "ccsp@coventry.gov.uk"]);
    e.ok(&["settings", "set-marking", "OFFICIAL-SENSITIVE"]);
    let out = e.dir.path().join("returns");
    let printed = e.ok(&["returns", "make", "--quarter", "2025-26-Q3", "--out", out.to_str().unwrap()]);
    let paths: Vec<PathBuf> = printed.lines().map(PathBuf::from).collect();
    let names: Vec<String> = paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names.contains(&"CCSP-return-2025-26-Q3-WMP.xlsx".to_string()), "{names:?}");
    assert!(paths.iter().all(|p| p.exists()), "every printed path was written");
    let id = store_id(&e);
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
    let e = env();
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
    let e = env();
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

// ---- Merging returns back in (`ccsp returns import`) ----

/// Fills a workbook as a partner would, with openpyxl (tests/fill_return.py), into `dst`.
fn fill(src: &Path, dst: &Path, edits: serde_json::Value) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fill_return.py");
    let out = Command::new(python()).arg(script).arg(src).arg(dst).arg(edits.to_string()).output().expect("openpyxl (.tools/venv)");
    assert!(out.status.success(), "openpyxl could not fill {}: {}", src.display(), String::from_utf8_lossy(&out.stderr));
}

/// Converts with LibreOffice Calc headless into `dir` (`filter` e.g. "xlsx:Calc Office Open XML").
fn libreoffice(e: &Env, file: &Path, filter: &str, dir: &Path) {
    let profile = e.dir.path().join("lo-profile");
    let lo = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .expect("LibreOffice (libreoffice-calc-nogui)");
    assert!(lo.status.success(), "{}", String::from_utf8_lossy(&lo.stderr));
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The quarter's update of an action in the record, if any.
fn update_of(record: &serde_json::Value, reference: &str, quarter: &str) -> Option<serde_json::Value> {
    record["updates"].as_array().unwrap().iter().find(|u| u["action"] == reference && u["quarter"] == quarter).cloned()
}

/// Makes the 2025/26 Q3 workbooks and returns the folder.
fn make_q3(e: &Env) -> PathBuf {
    let out = e.dir.path().join("made");
    e.ok(&["returns", "make", "--quarter", "2025-26-Q3", "--out", out.to_str().unwrap()]);
    out
}

fn refs(book: &Path) -> Vec<String> {
    read(book)["rows"].as_array().unwrap().iter().map(|r| r["values"][0].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_return_filled_in_by_openpyxl_and_one_resaved_by_libreoffice_import_in_one_go_audited() {
    let e = env();
    let made = make_q3(&e);
    let (wmp_made, wmfs_made) = (made.join("CCSP-return-2025-26-Q3-WMP.xlsx"), made.join("CCSP-return-2025-26-Q3-WMFS.xlsx"));
    let (wmp, wmfs) = (refs(&wmp_made), refs(&wmfs_made));
    let back = e.dir.path().join("back");
    std::fs::create_dir_all(&back).unwrap();
    // WMP fills its rows in with openpyxl, words as people type them, and re-orders the rows.
    let wmp_back = back.join("CCSP-return-2025-26-Q3-WMP.xlsx");
    fill(
        &wmp_made,
        &wmp_back,
        serde_json::json!({
            wmp[0].clone(): {"Status this quarter": " red ", "Commentary": "Recruitment slipped", "Next steps / mitigation": "Agency cover from February", "Reported by": "Insp. Jo Khan"},
            wmp[1].clone(): {"Status this quarter": "G", "Commentary": "On track", "Reported by": "Insp. Jo Khan"},
            "__reverse__": true,
        }),
    );
    // WMFS fills one row, and Calc re-saves the workbook (the hidden sheet comes back hidden,
    // not very hidden; the styles and strings are Calc's own).
    let filled = e.dir.path().join("wmfs-filled.xlsx");
    fill(
        &wmfs_made,
        &filled,
        serde_json::json!({ wmfs[0].clone(): {"Status this quarter": "Amber", "Commentary": "Waiting on the new vehicle", "Reported by": null} }),
    );
    let calc = e.dir.path().join("calc");
    libreoffice(&e, &filled, "xlsx:Calc Office Open XML", &calc);
    let wmfs_back = calc.join("wmfs-filled.xlsx");
    assert_eq!(read(&wmfs_back)["hidden"], "hidden", "Calc saves the sheet as hidden");

    let dry = e.run(&["returns", "import", "--quarter", "2025-26-Q3", "--dry-run", wmp_back.to_str().unwrap(), wmfs_back.to_str().unwrap()]);
    assert!(dry.status.success(), "{}", said(&dry));
    assert!(said(&dry).contains("Nothing was changed (--dry-run)"), "{}", said(&dry));
    assert_eq!(update_of(&e.record(), &wmp[0], "2025-26-Q3").unwrap()["rag"], "amber", "a dry run changes nothing");

    let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", "--json", wmp_back.to_str().unwrap(), wmfs_back.to_str().unwrap()]);
    assert!(run.status.success(), "{}", said(&run));
    let preview: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(preview["applied"], true);
    assert_eq!(preview["files"].as_array().unwrap().len(), 2);
    assert!(std::path::Path::new(preview["backup"].as_str().unwrap()).exists(), "a backup was taken first");
    let record = e.record();
    let red = update_of(&record, &wmp[0], "2025-26-Q3").unwrap();
    assert_eq!(
        (red["rag"].as_str(), red["commentary"].as_str(), red["next_steps"].as_str(), red["reported_by"].as_str()),
        (Some("red"), Some("Recruitment slipped"), Some("Agency cover from February"), Some("Insp. Jo Khan"))
    );
    assert_eq!(update_of(&record, &wmp[1], "2025-26-Q3").unwrap()["rag"], "green", "\"G\" is Green");
    let amber = update_of(&record, &wmfs[0], "2025-26-Q3").unwrap();
    assert_eq!(
        (amber["rag"].as_str(), amber["reported_by"].as_str()),
        (Some("amber"), Some("West Midlands Fire Service")),
        "a blank Reported by names the partner"
    );
    // Every change audited with the partner and the file's name.
    let audit: Vec<&serde_json::Value> = record["audit"].as_array().unwrap().iter().filter(|a| a["entity"] == "update" && a["at"].is_string()).collect();
    let of = |r: &str| {
        // No entry: an empty reason, which the assertions below reject.
        audit.iter().rev().find(|a| a["key"] == format!("{r} 2025-26-Q3")).map(|a| a["reason"].as_str().unwrap_or("").to_string()).unwrap_or_default()
    };
    assert_eq!(of(&wmp[0]), "from WMP's return CCSP-return-2025-26-Q3-WMP.xlsx");
    assert_eq!(of(&wmfs[0]), "from WMFS's return wmfs-filled.xlsx");
    // Who has returned.
    let status = e.ok(&["returns", "status", "--quarter", "2025-26-Q3", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    let wmp_status = status.as_array().unwrap().iter().find(|p| p["partner"] == "WMP").unwrap();
    assert_eq!(wmp_status["returned_file"], "CCSP-return-2025-26-Q3-WMP.xlsx");
    assert!(wmp_status["made_at"].is_string());
    assert_eq!((wmp_status["rows_applied"].as_u64(), wmp_status["outstanding"].as_u64()), (Some(2), Some(0)));

    // The partner sends a corrected return from the same workbook: not a conflict.
    let again = back.join("again.xlsx");
    fill(&wmp_made, &again, serde_json::json!({ wmp[0].clone(): {"Status this quarter": "Amber", "Commentary": "Agency cover started early"} }));
    let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", again.to_str().unwrap()]);
    assert!(run.status.success(), "{}", said(&run));
    assert!(said(&run).contains("Red → Amber"), "{}", said(&run));
    // The same file again changes nothing.
    let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", "--json", again.to_str().unwrap()]);
    let preview: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(preview["rows"].as_array().unwrap().iter().all(|r| r["outcome"] == "unchanged" || r["outcome"] == "not_filled_in"), "{preview}");
}

#[test]
fn a_change_in_the_store_since_the_workbook_was_made_is_a_conflict_until_the_coordinator_takes_one_side() {
    let e = env();
    let made = make_q3(&e);
    let book = made.join("CCSP-return-2025-26-Q3-WMP.xlsx");
    let r = refs(&book)[0].clone();
    e.ok(&["update", "set", &r, "--quarter", "2025-26-Q3", "--rag", "red", "--commentary", "Entered by the coordinator", "--next-steps", "Escalate"]);
    let back = e.dir.path().join("back.xlsx");
    fill(&book, &back, serde_json::json!({ r.clone(): {"Status this quarter": "Green", "Commentary": "Back on track"} }));
    let before = e.record();
    let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", back.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(3), "an unresolved conflict is refused by the record's state: {}", said(&run));
    assert!(said(&run).contains("conflict") && said(&run).contains("--overwrite"), "{}", said(&run));
    assert_eq!(e.record()["updates"], before["updates"], "nothing applied");
    let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", "--overwrite", back.to_str().unwrap()]);
    assert!(run.status.success(), "{}", said(&run));
    assert_eq!(update_of(&e.record(), &r, "2025-26-Q3").unwrap()["commentary"], "Back on track", "the partner's version taken");
}

#[test]
fn the_coordinators_choices_apply_the_valid_rows_or_keep_rule_breaking_rows_as_drafts() {
    let e = env();
    let made = make_q3(&e);
    let book = made.join("CCSP-return-2025-26-Q3-WMP.xlsx");
    let r = refs(&book);
    let back = e.dir.path().join("back.xlsx");
    // One row breaks the rules (Red with no commentary), one is fine.
    fill(
        &book,
        &back,
        serde_json::json!({ r[0].clone(): {"Status this quarter": "Red", "Commentary": ""}, r[1].clone(): {"Status this quarter": "Green", "Commentary": "Fine"} }),
    );
    let refused = e.run(&["returns", "import", "--quarter", "2025-26-Q3", back.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2), "{}", said(&refused));
    assert!(said(&refused).contains("Return!H") && said(&refused).contains("needs a commentary"), "the cell is named: {}", said(&refused));
    let skip = e.run(&["returns", "import", "--quarter", "2025-26-Q3", "--skip-invalid", back.to_str().unwrap()]);
    assert!(skip.status.success(), "{}", said(&skip));
    assert!(said(&skip).contains("Left out (--skip-invalid)"), "{}", said(&skip));
    let record = e.record();
    assert_eq!(update_of(&record, &r[1], "2025-26-Q3").unwrap()["rag"], "green", "the valid row applied");
    assert_ne!(update_of(&record, &r[0], "2025-26-Q3").map(|u| u["rag"].clone()), Some(serde_json::json!("red")), "the invalid row did not");
    assert!(
        record["audit"].as_array().unwrap().iter().any(|a| a["entity"] == "return" && a["op"] == "skip" && a["key"] == format!("{} 2025-26-Q3", r[0])),
        "the skipped row is audited"
    );
    let drafts = e.run(&["returns", "import", "--quarter", "2025-26-Q3", "--drafts", back.to_str().unwrap()]);
    assert!(drafts.status.success(), "{}", said(&drafts));
    let kept = update_of(&e.record(), &r[0], "2025-26-Q3").unwrap();
    assert_eq!((kept["rag"].as_str(), kept["draft"].as_bool()), (Some("red"), Some(true)), "kept as an incomplete draft");
}

/// The app's preview offers the choices row by row (the core's `Choices::rows`), and a
/// dropped workbook arrives as its name and bytes: both go through the same import.
#[test]
fn the_apps_choices_row_by_row_keep_one_draft_leave_rows_out_and_take_the_partners_version_of_one_conflict() {
    use ccsp_core::interchange::return_import::{import, Choices, RowChoice, RowOutcome};
    use ccsp_core::interchange::workbook::Source;
    let e = env();
    let made = make_q3(&e);
    let book = made.join("CCSP-return-2025-26-Q3-CCC.xlsx");
    let r = refs(&book);
    assert!(r.len() >= 4, "the council leads four actions or more owing a 2025/26 Q3 return: {r:?}");
    // The coordinator enters two updates after the workbook was made: two conflicts.
    for x in [&r[2], &r[3]] {
        e.ok(&["update", "set", x, "--quarter", "2025-26-Q3", "--rag", "red", "--commentary", "Entered by the coordinator", "--next-steps", "Escalate"]);
    }
    let back = e.dir.path().join("back.xlsx");
    fill(
        &book,
        &back,
        serde_json::json!({
            r[0].clone(): {"Status this quarter": "Red", "Commentary": ""},
            r[1].clone(): {"Status this quarter": "Fine"},
            r[2].clone(): {"Status this quarter": "Green", "Commentary": "Back on track"},
            r[3].clone(): {"Status this quarter": "Green", "Commentary": "Also back on track"},
        }),
    );
    let dropped = vec![Source::Bytes { name: "back.xlsx".into(), bytes: std::fs::read(&back).unwrap() }];
    let mut store = ccsp_core::Store::open(&e.db()).unwrap();
    let ctx = ccsp_core::Ctx::new("Returns test", chrono::NaiveDate::from_ymd_opt(2026, 1, 20).unwrap());
    let q = ccsp_core::domain::Quarter::parse("2025-26-Q3").unwrap();
    let before = e.record();
    let choose =
        |rows: &[(&String, RowChoice)], dry_run: bool| Choices { dry_run, rows: rows.iter().map(|(k, v)| ((*k).clone(), *v)).collect(), ..Default::default() };
    let outcome = |o: &ccsp_core::interchange::return_import::ReturnsImport, x: &str| o.rows.iter().find(|row| row.reference == x).map(|row| row.outcome);

    // A draft for the rule-breaking row only: the bad status and the conflicts still block.
    let o = import(&mut store, &ctx, &dropped, q, choose(&[(&r[0], RowChoice::Draft)], false)).unwrap();
    assert!(!o.applied && o.exit_code() == 2, "{}", o.summary());
    assert_eq!(outcome(&o, &r[0]), Some(RowOutcome::Draft));
    assert_eq!((outcome(&o, &r[1]), outcome(&o, &r[2])), (Some(RowOutcome::Invalid), Some(RowOutcome::Conflict)));
    assert!(o.rows.iter().find(|row| row.reference == r[2]).unwrap().conflict, "the conflict is flagged so the app offers both sides");
    assert_eq!(e.record()["updates"], before["updates"], "nothing applied while anything is undecided");

    // Every row decided: the draft, the bad row left out, one conflict to the partner, the other kept.
    let rows = [(&r[0], RowChoice::Draft), (&r[1], RowChoice::Skip), (&r[2], RowChoice::Overwrite), (&r[3], RowChoice::Skip)];
    let o = import(&mut store, &ctx, &dropped, q, choose(&rows, false)).unwrap();
    assert!(o.applied, "{}", o.summary());
    assert!(o.summary().starts_with("1 changed, 1 kept as drafts") && o.summary().ends_with("2 left out"), "{}", o.summary());
    let record = e.record();
    let got = |x: &str| {
        update_of(&record, x, "2025-26-Q3").map(|u| (u["rag"].as_str().map(String::from), u["commentary"].as_str().map(String::from), u["draft"].as_bool()))
    };
    assert_eq!(got(&r[0]), Some((Some("red".into()), Some(String::new()), Some(true))), "kept as an incomplete draft");
    assert_eq!(got(&r[2]).unwrap().1.as_deref(), Some("Back on track"), "the partner's version taken for that conflict");
    assert_eq!(got(&r[3]).unwrap().1.as_deref(), Some("Entered by the coordinator"), "the store's version kept for the other");
    assert_eq!(update_of(&before, &r[1], "2025-26-Q3"), update_of(&record, &r[1], "2025-26-Q3"), "the row left out changed nothing");
    let skips: Vec<String> = record["audit"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["entity"] == "return" && a["op"] == "skip")
        .map(|a| a["key"].as_str().unwrap().to_string())
        .collect();
    assert!(skips.contains(&format!("{} 2025-26-Q3", r[1])) && skips.contains(&format!("{} 2025-26-Q3", r[3])), "both rows left out are audited: {skips:?}");
    assert!(audit_names(&record, "back.xlsx"), "the dropped file is named in the audit trail");

    // A valid row can be left out too (another partner's return: one good row, left out).
    let other = std::fs::read_dir(&made).unwrap().map(|d| d.unwrap().path()).find(|p| p != &book).expect("another partner's workbook");
    let x = refs(&other)[0].clone();
    let other_back = e.dir.path().join("other.xlsx");
    fill(&other, &other_back, serde_json::json!({ x.clone(): {"Status this quarter": "Green", "Commentary": "Fine"} }));
    let o = import(&mut store, &ctx, &[Source::Path(other_back)], q, choose(&[(&x, RowChoice::Skip)], false)).unwrap();
    let row = o.rows.iter().find(|row| row.reference == x).unwrap();
    assert_eq!((row.outcome, row.problem.as_deref()), (RowOutcome::Skipped, Some("left out by the coordinator's choice")));
    assert_eq!(update_of(&e.record(), &x, "2025-26-Q3"), update_of(&before, &x, "2025-26-Q3"), "the row left out was not applied");
}

fn audit_names(record: &serde_json::Value, file: &str) -> bool {
    record["audit"].as_array().unwrap().iter().any(|a| a["entity"] == "return" && a.to_string().contains(file))
}

/// Writes a zip with the given (name, bytes) parts, with Python's zipfile (deflated).
fn zip_of(e: &Env, name: &str, parts: &str) -> PathBuf {
    let path = e.dir.path().join(name);
    let script = format!("import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)\n{parts}\nz.close()");
    let out = Command::new(python()).arg("-c").arg(script).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

#[test]
fn bad_returns_are_refused_naming_the_file_sheet_and_cell_and_nothing_is_applied() {
    let e = env();
    let made = make_q3(&e);
    let book = made.join("CCSP-return-2025-26-Q3-WMP.xlsx");
    let mine = refs(&book);
    let theirs = refs(&made.join("CCSP-return-2025-26-Q3-WMFS.xlsx"))[0].clone();
    let good = serde_json::json!({"Status this quarter": "Green", "Commentary": "Fine"});
    let bad = e.dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let filled = |name: &str, edits: serde_json::Value| {
        let p = bad.join(name);
        let mut all = serde_json::json!({ mine[1].clone(): good.clone() });
        for (k, v) in edits.as_object().unwrap() {
            all[k] = v.clone();
        }
        fill(&book, &p, all);
        p
    };
    let mut cases: Vec<(PathBuf, u8, String)> = vec![
        (filled("other-partner.xlsx", serde_json::json!({ mine[0].clone(): {"Ref": theirs.clone()} })), 2, format!("{theirs} is led by WMFS, not WMP")),
        (
            filled("locked.xlsx", serde_json::json!({ "__unprotect__": true, mine[0].clone(): {"Action": "Something else entirely"} })),
            2,
            format!("Return!B8: {}: the locked Action cell was changed", mine[0]),
        ),
        (filled("duplicated.xlsx", serde_json::json!({ "__duplicate__": mine[1].clone() })), 2, "appears more than once".into()),
        (filled("no-hidden.xlsx", serde_json::json!({ "__drop_sheet__": "ccsp" })), 2, "has no hidden ccsp sheet".into()),
        (filled("altered.xlsx", serde_json::json!({ "__trust__": {"B12": "9.9.9"} })), 2, "checksum does not match".into()),
        (
            filled(
                "formula.xlsx",
                serde_json::json!({ "__formula__": {"ref": mine[0].clone(), "column": "Commentary", "formula": "=HYPERLINK(\"http://x.invalid\")"} }),
            ),
            2,
            format!("Return!H8: {}: holds a formula (=HYPERLINK", mine[0]),
        ),
        (
            filled("date.xlsx", serde_json::json!({ "__date__": {"ref": mine[0].clone(), "column": "Status this quarter"} })),
            2,
            format!("Return!G8: {}: holds a date", mine[0]),
        ),
        (filled("not-a-status.xlsx", serde_json::json!({ mine[0].clone(): {"Status this quarter": "Fine"} })), 2, "\"Fine\" is not a status".into()),
    ];
    // Files that are not workbooks, or not whole ones.
    let csv = bad.join("csv.xlsx");
    std::fs::write(&csv, "Ref,Status this quarter\n2.1.1,Red\n").unwrap();
    cases.push((csv, 2, "a text file".into()));
    let docx = bad.join("word.xlsx");
    let out = Command::new(python()).arg("-c").arg("import sys, docx\ndocx.Document().save(sys.argv[1])").arg(&docx).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    cases.push((docx, 2, "a Word document".into()));
    let calc = e.dir.path().join("xls");
    libreoffice(&e, &book, "xls:MS Excel 97", &calc);
    let xls = bad.join("old.xlsx");
    std::fs::copy(calc.join("CCSP-return-2025-26-Q3-WMP.xls"), &xls).unwrap();
    cases.push((xls, 2, "Excel 97-2003 workbook (.xls)".into()));
    let bytes = std::fs::read(&book).unwrap();
    let cut = bad.join("truncated.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    cases.push((cut, 2, "damaged or cut short".into()));
    let locked = bad.join("password.xlsx");
    let out = Command::new(python())
        .arg("-c")
        .arg("import sys\nfrom msoffcrypto.format.ooxml import OOXMLFile\nOOXMLFile(open(sys.argv[1], 'rb')).encrypt('secret', open(sys.argv[2], 'wb'))")
        .arg(&book)
        .arg(&locked)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    cases.push((locked, 2, "protected with a password".into()));
    // Outsized: a zip bomb, a 50 MB file, a million rows.
    cases.push((
        zip_of(&e, "bomb.xlsx", "z.writestr('xl/workbook.xml', '<workbook/>')\nz.writestr('xl/worksheets/sheet1.xml', b'\\0' * (200 * 1024 * 1024))"),
        2,
        "unpacks to more than 64 MB".into(),
    ));
    let big = bad.join("big.xlsx");
    let mut huge = b"PK\x03\x04".to_vec();
    huge.resize(50 * 1024 * 1024, 0);
    std::fs::write(&big, huge).unwrap();
    cases.push((big, 2, "is 50 MB".into()));
    let rows = r#"
z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
z.writestr('xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="ccsp" sheetId="1" r:id="rId1"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
z.writestr('xl/worksheets/sheet1.xml', '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + ''.join('<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1000001)) + '</sheetData></worksheet>')
"#;
    cases.push((zip_of(&e, "million.xlsx", rows), 2, "more than 20000 rows".into()));

    let before = e.record();
    for (file, code, says) in &cases {
        let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", file.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(i32::from(*code)), "{}: {}", file.display(), said(&run));
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(said(&run).contains(&name), "the file is named: {}", said(&run));
        assert!(said(&run).contains(says.as_str()), "{}: expected \"{says}\" in {}", file.display(), said(&run));
    }
    // A good row beside a bad one in the same import: nothing applied, every problem listed.
    let good_file = filled("good.xlsx", serde_json::json!({}));
    let all: Vec<&str> = std::iter::once(good_file.to_str().unwrap()).chain(cases.iter().take(3).map(|c| c.0.to_str().unwrap())).collect();
    let mut args = vec!["returns", "import", "--quarter", "2025-26-Q3"];
    args.extend(all);
    let run = e.run(&args);
    assert_eq!(run.status.code(), Some(2));
    for (file, _, _) in cases.iter().take(3) {
        assert!(said(&run).contains(&*file.file_name().unwrap().to_string_lossy()), "every problem listed: {}", said(&run));
    }
    let after = e.record();
    assert_eq!(after["updates"], before["updates"], "nothing was applied");
    assert_eq!(after["audit"], before["audit"], "nothing was audited");
    for f in cases.iter().map(|c| &c.0) {
        assert!(f.exists(), "a refused file is left in place");
    }

    // A workbook from another store, and one for another quarter.
    let other = env();
    let theirs = make_q3(&other).join("CCSP-return-2025-26-Q3-WMP.xlsx");
    let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", theirs.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("made by another CCSP store"), "{}", said(&run));
    let run = e.run_on("2026-04-20", &["returns", "import", "--quarter", "2025-26-Q4", book.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("is the return for 2025/26 Q3, not 2025/26 Q4"), "{}", said(&run));
    // A return for a signed-off quarter: refused by the record's state.
    let fine = filled("fine.xlsx", serde_json::json!({}));
    e.ok(&["quarter", "sign-off", "2025-26-Q3", "--yes", "--chair", "Cllr Chair"]);
    let before = e.record();
    let run = e.run(&["returns", "import", "--quarter", "2025-26-Q3", "--skip-invalid", fine.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(3), "{}", said(&run));
    assert!(said(&run).contains("signed off"), "{}", said(&run));
    assert_eq!(e.record()["updates"], before["updates"]);
}

// ---- Bringing an existing tracker in (`ccsp import actions`) ----

/// Runs a Python snippet with openpyxl (`sys.argv[1]` is `path`).
fn openpyxl(script: &str, path: &Path) {
    let out = Command::new(python()).arg("-c").arg(format!("import sys, datetime, openpyxl\n{script}")).arg(path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

fn actions_of(e: &Env) -> Vec<serde_json::Value> {
    e.record()["actions"].as_array().unwrap().clone()
}

#[test]
fn a_councils_own_tracker_and_our_template_come_in_with_new_refs_keeping_the_old_ones() {
    let e = env();
    let before = actions_of(&e).len();
    // Shaped like a council's own tracker: title rows, "Ref", "Action", "Lead partner" by its
    // full name, "Due date" as dd/mm/yyyy text and as a date cell, a budget with a comma.
    let council = e.dir.path().join("council-tracker.xlsx");
    openpyxl(
        r#"wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Tracker 2025"
ws["A1"] = "Coventry CSP action tracker"; ws["A2"] = "Updated March 2025"
ws.append([])
ws.append(["Ref", "Priority", "Action", "Lead partner", "Supporting partners", "Start date", "Due date", "Budget", "Budget year"])
ws.append(["T-01", "1.1", "Knife crime assemblies in schools", "West Midlands Police", "CCC, WMFS", "01/04/2025", "31/03/2026", "1,500", "2025-26"])
ws.append(["T-02", "2.1", "Hotspot patrols in the city centre", "WMP", None, datetime.date(2025, 6, 1), datetime.date(2026, 3, 31), None, None])
wb.save(sys.argv[1])"#,
        &council,
    );
    let dry = e.ok(&["import", "actions", council.to_str().unwrap(), "--dry-run"]);
    assert!(dry.contains("2 actions would be added"), "{dry}");
    assert_eq!(actions_of(&e).len(), before, "a dry run adds nothing");
    let out = e.ok(&["import", "actions", council.to_str().unwrap()]);
    assert!(out.contains("Added 2 actions") && out.contains("backed up first"), "{out}");
    let actions = actions_of(&e);
    let a = actions.iter().find(|a| a["previous_ref"] == "T-01").expect("the tracker's ref is kept");
    assert!(a["ref"].as_str().unwrap().starts_with("1.1."), "a new ref under its priority: {a}");
    assert_eq!((a["lead"].as_str(), a["due_date"].as_str(), a["start_date"].as_str()), (Some("WMP"), Some("2026-03-31"), Some("2025-04-01")));
    assert_eq!(a["partners"], serde_json::json!(["CCC", "WMFS"]));
    let b = actions.iter().find(|a| a["previous_ref"] == "T-02").unwrap();
    assert_eq!(b["start_date"], "2025-06-01", "a date cell reads as its date");
    let funded = e.record()["allocations"].as_array().unwrap().iter().any(|x| x["action"] == a["ref"] && x["amount"] == 150000);
    assert!(funded, "the budget became the action's allocation for 2025/26");
    // The same rows again are duplicates: refused unless the coordinator says so.
    let again = e.run(&["import", "actions", council.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(3), "{}", said(&again));
    assert!(said(&again).contains("Tracker 2025!C5: duplicate") && said(&again).contains("--allow-duplicates"), "{}", said(&again));
    assert_eq!(actions_of(&e).len(), before + 2);
    e.ok(&["import", "actions", council.to_str().unwrap(), "--allow-duplicates"]);
    assert_eq!(actions_of(&e).len(), before + 4);

    // Our template: its columns and drop-downs, filled in by openpyxl, and as a CSV.
    let template = e.dir.path().join("template.xlsx");
    e.ok(&["import", "actions", "--template", template.to_str().unwrap()]);
    let check = "wb = openpyxl.load_workbook(sys.argv[1]); ws = wb['Actions']\nprint([c.value for c in ws[4]])\nprint(sorted(str(d.sqref) + ' ' + d.formula1 for d in ws.data_validations.dataValidation))\nprint(wb['Lists'].sheet_state)";
    let out = Command::new(python()).arg("-c").arg(format!("import sys, openpyxl\n{check}")).arg(&template).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown
            .contains("['Priority', 'Title', 'Lead', 'Partners', 'Start', 'Due', 'Description', 'Success measure', 'Funding', 'Funding year', 'Previous ref']"),
        "{shown}"
    );
    assert!(
        shown.contains("A5:A1004 Lists!$A$1") && shown.contains("C5:C1004 Lists!$B$1") && shown.contains("hidden"),
        "drop-downs for priorities and partners: {shown}"
    );
    let filled = e.dir.path().join("filled.xlsx");
    std::fs::copy(&template, &filled).unwrap();
    openpyxl(
        "wb = openpyxl.load_workbook(sys.argv[1]); ws = wb['Actions']\nws.append(['3.1', 'From the template', 'CCC', '', None, '31/03/2027', 'What it does', 'How we know', '', '', 'OLD-9'])\nwb.save(sys.argv[1])",
        &filled,
    );
    e.ok(&["import", "actions", filled.to_str().unwrap()]);
    let csv = e.dir.path().join("tracker.csv");
    std::fs::write(&csv, "\u{feff}Action,Priority,Lead,Due,Ref\n\"Ward walkabouts, with residents\",2.2,ICB,30/09/2026,X-1\n").unwrap();
    e.ok(&["import", "actions", csv.to_str().unwrap()]);
    let actions = actions_of(&e);
    assert!(actions.iter().any(|a| a["previous_ref"] == "OLD-9" && a["success_measure"] == "How we know"));
    assert!(actions.iter().any(|a| a["previous_ref"] == "X-1" && a["title"] == "Ward walkabouts, with residents" && a["due_date"] == "2026-09-30"));
}

#[test]
fn a_tracker_with_a_problem_adds_nothing_and_names_every_cell() {
    let e = env();
    let before = e.record();
    let bad = e.dir.path().join("bad-tracker.xlsx");
    openpyxl(
        r#"wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Actions"
ws.append(["Priority", "Title", "Lead", "Due"])
ws.append(["1.1", "A good row", "WMP", "31/03/2026"])
ws.append(["9.9", "No such priority", "WMP", None])
ws.append(["1.2", "No such partner", "Nobody Ltd", None])
ws.append(["1.2", "", "WMP", "31/02/2026"])
ws.append(["1.2", "A formula", "WMP", "=TODAY()"])
wb.save(sys.argv[1])"#,
        &bad,
    );
    let run = e.run(&["import", "actions", bad.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2), "{}", said(&run));
    let text = said(&run);
    for cell in [
        "Actions!A3: \"9.9\" is not a priority",
        "Actions!C4: \"Nobody Ltd\" is not a partner",
        "Actions!B5: a title is required",
        "Actions!D5",
        "Actions!D6: holds a formula",
    ] {
        assert!(text.contains(cell), "expected {cell} in:\n{text}");
    }
    let after = e.record();
    assert_eq!(after["actions"], before["actions"], "nothing added, not even the good row");
    assert_eq!(after["audit"], before["audit"]);
    // Not a tracker at all.
    let words = e.dir.path().join("notes.xlsx");
    openpyxl("wb = openpyxl.Workbook(); wb.active.append(['Minutes of the meeting']); wb.save(sys.argv[1])", &words);
    let run = e.run(&["import", "actions", words.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(said(&run).contains("has no header row"), "{}", said(&run));
}

#[test]
fn an_export_made_before_actions_kept_a_previous_ref_still_imports() {
    let e = env();
    let mut old = e.record();
    assert_eq!(old["version"], 2);
    old["version"] = serde_json::json!(1);
    for a in old["actions"].as_array_mut().unwrap() {
        a.as_object_mut().unwrap().remove("previous_ref");
    }
    let file = e.dir.path().join("old.json");
    std::fs::write(&file, old.to_string()).unwrap();
    let fresh = e.dir.path().join("fresh.sqlite3");
    let out = Command::new(env!("CARGO_BIN_EXE_ccsp")).arg("--db").arg(&fresh).args(["import", "json"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let back = e.dir.path().join("back.json");
    let out = Command::new(env!("CARGO_BIN_EXE_ccsp")).arg("--db").arg(&fresh).args(["export", "json", "--out"]).arg(&back).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let back: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(back).unwrap()).unwrap();
    assert_eq!(back["version"], 2, "it is written back as this version");
    assert!(back["actions"].as_array().unwrap().iter().all(|a| a["previous_ref"] == ""), "with no previous refs");
    assert_eq!(back["actions"].as_array().unwrap().len(), old["actions"].as_array().unwrap().len());
}
