//! police.uk street-level crime brought in as indicators (`ccsp indicators import-police`), on
//! files generated in the published layout with every quirk real ones have (police_gen.rs):
//! a folder of monthly CSVs and zips, a zip with another force's file beside ours, outcomes
//! and stop-and-search files, a missing month, a duplicate month, months outside the plan,
//! and bad files. The expected counts are computed here from the generator's own numbers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "../src-tauri/cli/benches/police_gen.rs"]
mod police_gen;
use police_gen::{count, street_csv, street_name, zip, SLUG, TYPES};

#[path = "support/cli_env.rs"]
mod cli_env;
use cli_env::Env;

/// A new store (the seeded plan, no demo actions) on 10 February 2026.
fn env() -> Env {
    Env::new("2026-02-10", "Police test", false)
}

fn import(e: &Env, paths: &[&Path], extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec!["indicators".into(), "import-police".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    e.run(&args)
}

/// 2025-26 Q1's three monthly files in a folder, imported; the folder.
fn q1_imported(e: &Env) -> PathBuf {
    let dir = e.path("q1/x").parent().unwrap().to_path_buf();
    for m in Q1 {
        std::fs::write(dir.join(street_name(m, SLUG)), street_csv(m, 1, 1)).unwrap();
    }
    e.ok(&["indicators", "import-police", dir.to_str().unwrap()]);
    dir
}

fn said(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// The value of an indicator in a quarter, from the record.
fn value(record: &serde_json::Value, code: &str, quarter: &str) -> Option<f64> {
    record["indicator_values"].as_array().unwrap().iter().find(|v| v["indicator"] == code && v["quarter"] == quarter).map(|v| v["value"].as_f64().unwrap())
}

/// What a quarter's three months add up to for crime type `t` (the generator's numbers).
fn expected(months: [&str; 3], t: usize) -> f64 {
    months.iter().map(|m| count(m, t, 1)).sum::<u64>() as f64
}

const Q1: [&str; 3] = ["2025-04", "2025-05", "2025-06"];
const Q3: [&str; 3] = ["2025-10", "2025-11", "2025-12"];

/// A folder as a coordinator saves police.uk's downloads: monthly street CSVs for 2025-26 Q1
/// and Q2 (August missing), a monthly zip for each of Q3's months holding another force's
/// street file and our outcomes file beside our street file, a stop-and-search file, and a
/// month before the plan.
fn saved_folder(e: &Env) -> PathBuf {
    let dir = e.path("police/x").parent().unwrap().to_path_buf();
    for m in ["2025-04", "2025-05", "2025-06", "2025-07", "2025-09", "2025-03"] {
        std::fs::write(dir.join(street_name(m, SLUG)), street_csv(m, 1, 3)).unwrap();
    }
    std::fs::write(dir.join(format!("2025-07-{SLUG}-stop-and-search.csv")), "Type,Date\r\nPerson search,2025-07-01\r\n").unwrap();
    for m in Q3 {
        let files = vec![
            (format!("{m}/{}", street_name(m, SLUG)), street_csv(m, 1, 2)),
            (format!("{m}/{}", street_name(m, "warwickshire")), street_csv(m, 5, 0)),
            (format!("{m}/{m}-{SLUG}-outcomes.csv"), b"Crime ID,Month,Outcome type\r\n".to_vec()),
        ];
        std::fs::write(dir.join(format!("{m}.zip")), zip(&files)).unwrap();
    }
    dir
}

#[test]
fn a_folder_of_monthly_files_and_zips_gives_exact_quarterly_counts_for_the_area_with_partial_quarters_flagged() {
    let e = env();
    let dir = saved_folder(&e);
    let out = import(&e, &[&dir], &[]);
    assert!(out.status.success(), "{}", said(&out));
    let text = said(&out);
    assert!(text.contains("another force's file (warwickshire"), "another force's file in a zip is skipped and said so: {text}");
    assert!(text.contains("an outcomes file") && text.contains("a stop-and-search file"), "{text}");
    assert!(text.contains("2025-03") && text.contains("outside the plan"), "a month before the plan is listed: {text}");
    let record = e.record();
    for (t, kind) in TYPES.iter().enumerate() {
        let code = format!("PUK-{}", ccsp_core::interchange::police::slug(kind));
        let ind = record["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap_or_else(|| panic!("{code} created"));
        assert_eq!(ind["name"], format!("{kind} (police.uk)"));
        assert_eq!((ind["source"].as_str(), ind["polarity"].as_str()), (Some("police.uk"), Some("lower_is_better")));
        assert!(ind["target_value"].is_null(), "context only until a target is set");
        assert_eq!(value(&record, &code, "2025-26-Q1"), Some(expected(Q1, t)), "{kind} in Q1: exactly the area's rows");
        assert_eq!(value(&record, &code, "2025-26-Q3"), Some(expected(Q3, t)), "{kind} in Q3, from the zips");
        assert_eq!(value(&record, &code, "2025-26-Q2"), None, "Q2 misses August: partial, no value");
    }
    let asb = record["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "PUK-anti-social-behaviour").unwrap();
    assert_eq!(asb["theme"], 2, "anti-social behaviour starts under public place safety (the documented mapping)");
    // Provenance: each month's file and SHA-256, never a path.
    let months = record["police_months"].as_array().unwrap();
    assert_eq!(
        months.iter().map(|m| m["month"].as_str().unwrap()).collect::<Vec<_>>(),
        vec!["2025-04", "2025-05", "2025-06", "2025-07", "2025-09", "2025-10", "2025-11", "2025-12"]
    );
    let nov = months.iter().find(|m| m["month"] == "2025-11").unwrap();
    assert_eq!((nov["file"].as_str(), nov["archive"].as_str()), (Some("2025-11-west-midlands-street.csv"), Some("2025-11.zip")));
    assert_eq!(nov["sha256"].as_str().unwrap().len(), 64);
    assert!(!record.to_string().contains(dir.to_str().unwrap()), "no folder is kept");
    let note = record["indicator_values"].as_array().unwrap().iter().find(|v| v["indicator"] == "PUK-burglary" && v["quarter"] == "2025-26-Q3").unwrap()
        ["note"]
        .clone();
    assert!(note.as_str().unwrap().contains("2025-10 2025-10-west-midlands-street.csv in 2025-10.zip"), "the value says where it came from: {note}");

    // Importing it again changes nothing, not even the audit trail.
    let again = import(&e, &[&dir], &[]);
    assert!(again.status.success(), "{}", said(&again));
    assert!(said(&again).contains("nothing to change"), "{}", said(&again));
    let after = e.record();
    for key in ["indicators", "indicator_values", "police_months", "audit"] {
        assert_eq!(after[key], record[key], "{key} unchanged by a second import");
    }

    // The missing month arrives: the quarter completes.
    std::fs::write(dir.join(street_name("2025-08", SLUG)), street_csv("2025-08", 1, 1)).unwrap();
    let more = import(&e, &[&dir.join(street_name("2025-08", SLUG))], &["--json"]);
    assert!(more.status.success(), "{}", said(&more));
    let json: serde_json::Value = serde_json::from_slice(&more.stdout).unwrap();
    assert!(json["applied"].as_bool().unwrap() && json["backup"].is_string(), "applied after a backup: {json}");
    assert_eq!(value(&e.record(), "PUK-robbery", "2025-26-Q2"), Some(expected(["2025-07", "2025-08", "2025-09"], 8)));

    // The months, their provenance and the links travel with the record (export, import).
    let exported = e.path("export.json");
    e.ok(&["export", "json", "--force", "--out", exported.to_str().unwrap()]);
    let other = e.dir.path().join("other.sqlite3");
    let run = Command::new(env!("CARGO_BIN_EXE_ccsp")).arg("--db").arg(&other).args(["import", "json", exported.to_str().unwrap()]).output().unwrap();
    assert!(run.status.success(), "{}", said(&run));
    let copy = e.dir.path().join("copy.json");
    let run = Command::new(env!("CARGO_BIN_EXE_ccsp")).arg("--db").arg(&other).args(["export", "json", "--out", copy.to_str().unwrap()]).output().unwrap();
    assert!(run.status.success(), "{}", said(&run));
    let (a, b): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap(), serde_json::from_str(&std::fs::read_to_string(&copy).unwrap()).unwrap());
    for key in ["police_months", "police_links", "indicator_values"] {
        assert!(!a[key].as_array().unwrap().is_empty(), "{key} exported");
        assert_eq!(a[key], b[key], "{key} round-trips");
    }
}

#[test]
fn a_month_given_twice_or_a_bad_file_is_refused_naming_it_and_nothing_is_applied() {
    let e = env();
    let before = e.record();
    let may = e.path("in/2025-05-west-midlands-street.csv");
    std::fs::write(&may, street_csv("2025-05", 1, 1)).unwrap();
    let zipped = e.path("in/2025-05.zip");
    std::fs::write(&zipped, zip(&[(format!("2025-05/{}", street_name("2025-05", SLUG)), street_csv("2025-05", 1, 1))])).unwrap();
    let good = e.path("in/2025-04-west-midlands-street.csv");
    std::fs::write(&good, street_csv("2025-04", 1, 1)).unwrap();
    let twice = import(&e, &[&good, &may, &zipped], &[]);
    assert_eq!(twice.status.code(), Some(2), "{}", said(&twice));
    assert!(said(&twice).contains("2025-05 is given twice"), "{}", said(&twice));

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("2025-06-west-midlands-street.csv", b"Name,Value\r\nx,1\r\n".to_vec(), "line 1: has no \"Month\" column"),
        (
            "2025-06-west-midlands-street.csv",
            {
                let mut b = street_csv("2025-06", 1, 0);
                b.extend_from_slice(b",2025-13,West Midlands Police,West Midlands Police,,,x,E01009999,Coventry 001A,Drugs,,\r\n");
                b
            },
            "\"2025-13\" is not a month",
        ),
        ("crimes.csv", vec![0x50, 0x4b, 0x00, 0x00, 0x01, 0x02, 0xff, 0x00, 0x10], "is a binary file"),
        (
            "2025-06-west-midlands-street.csv",
            {
                let mut b = street_csv("2025-06", 1, 0);
                b.extend_from_slice(b"only,three,fields\r\n");
                b
            },
            "has 3 fields where the header has 12",
        ),
        (
            "2025-06-west-midlands-street.csv",
            {
                let mut b = street_csv("2025-06", 1, 0);
                b.extend_from_slice(b",2025-05,West Midlands Police,West Midlands Police,,,x,E01009999,Coventry 001A,Drugs,,\r\n");
                b
            },
            "a row for 2025-05 in the file for 2025-06",
        ),
    ];
    for (name, bytes, want) in cases {
        let bad = e.path(&format!("bad/{name}"));
        std::fs::write(&bad, &bytes).unwrap();
        let out = import(&e, &[&good, &bad], &[]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", said(&out));
        assert!(said(&out).contains(name) && said(&out).contains(want), "names the file and the problem ({want}): {}", said(&out));
        std::fs::remove_file(&bad).unwrap();
    }
    // A truncated zip.
    let whole = zip(&[(street_name("2025-06", SLUG), street_csv("2025-06", 1, 1))]);
    let cut = e.path("bad/2025-06.zip");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let out = import(&e, &[&good, &cut], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert!(said(&out).contains("2025-06.zip") && said(&out).contains("damaged or cut short"), "{}", said(&out));
    let after = e.record();
    for key in ["indicators", "indicator_values", "police_months", "audit"] {
        assert_eq!(after[key], before[key], "{key}: nothing applied by a refused import");
    }
}

#[test]
fn a_month_revised_by_police_uk_replaces_the_old_one_audited_but_waits_in_a_signed_off_quarter() {
    let e = env();
    q1_imported(&e);
    // police.uk revises May: twice the rows.
    let revised = e.path("rev/2025-05-west-midlands-street.csv");
    std::fs::write(&revised, street_csv("2025-05", 2, 1)).unwrap();
    let out = e.ok(&["indicators", "import-police", revised.to_str().unwrap()]);
    assert!(out.contains("2025-05") && out.contains("replaced"), "{out}");
    let record = e.record();
    let want = (count("2025-04", 2, 1) + count("2025-05", 2, 2) + count("2025-06", 2, 1)) as f64;
    assert_eq!(value(&record, "PUK-burglary", "2025-26-Q1"), Some(want), "the revised month replaces the old, never adds to it");
    assert!(
        record["audit"].as_array().unwrap().iter().any(|a| a["entity"] == "police_month" && a["key"] == "2025-05" && a["op"] == "replace"),
        "the replacement is audited"
    );
    // Q1 signed off, then police.uk revises June: listed, held until the quarter is reopened.
    e.ok(&["quarter", "sign-off", "2025-26-Q1", "--chair", "Cllr Chair"]);
    let june = e.path("rev/2025-06-west-midlands-street.csv");
    std::fs::write(&june, street_csv("2025-06", 3, 1)).unwrap();
    let held = e.ok(&["indicators", "import-police", june.to_str().unwrap()]);
    assert!(held.contains("held") && held.contains("signed off"), "{held}");
    assert_eq!(value(&e.record(), "PUK-burglary", "2025-26-Q1"), Some(want), "the signed-off quarter keeps its value");
    e.ok(&["quarter", "reopen", "2025-26-Q1", "--reason", "police.uk revised June"]);
    e.ok(&["indicators", "import-police", june.to_str().unwrap()]);
    let want = (count("2025-04", 2, 1) + count("2025-05", 2, 2) + count("2025-06", 2, 3)) as f64;
    assert_eq!(value(&e.record(), "PUK-burglary", "2025-26-Q1"), Some(want), "applied once reopened");
}

#[test]
fn an_area_given_by_name_or_lsoa_codes_and_a_linked_indicator_are_what_the_import_feeds() {
    let e = env();
    let dir = e.path("q1/x").parent().unwrap().to_path_buf();
    for m in Q1 {
        std::fs::write(dir.join(street_name(m, SLUG)), street_csv(m, 1, 4)).unwrap();
    }
    // The seeded plan's indicator fed by police.uk's ASB once the coordinator links it.
    let record = e.record();
    let existing = record["indicators"][0]["code"].as_str().unwrap().to_string();
    e.ok(&["indicators", "link-police", &existing, "--crime-type", "Anti-social behaviour"]);
    e.ok(&["indicators", "import-police", dir.to_str().unwrap()]);
    let record = e.record();
    assert_eq!(value(&record, &existing, "2025-26-Q1"), Some(expected(Q1, 0)), "the linked indicator is fed");
    assert!(!record["indicators"].as_array().unwrap().iter().any(|i| i["code"] == "PUK-anti-social-behaviour"), "no second ASB indicator");

    // Birmingham by name (a dry run changes nothing); then Birmingham's LSOAs by code, added to Coventry's.
    let dry = e.ok(&["indicators", "import-police", "--area", "Birmingham", "--dry-run", "--json", dir.to_str().unwrap()]);
    let dry: serde_json::Value = serde_json::from_str(&dry).unwrap();
    let kept: u64 = dry["files"].as_array().unwrap().iter().map(|f| f["kept"].as_u64().unwrap()).sum();
    assert_eq!(kept, 3 * 4, "Birmingham's rows: the generator wrote 4 a month");
    assert_eq!(dry["applied"], false);
    let codes = e.path("codes.csv");
    let birmingham: Vec<String> = (0..37).map(|n| format!("E0100{n:04}")).collect();
    std::fs::write(&codes, format!("LSOA code\n{}\n", birmingham.join("\n"))).unwrap();
    let json = e.ok(&["indicators", "import-police", "--lsoa-codes", codes.to_str().unwrap(), "--dry-run", "--json", dir.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kept: u64 = json["files"].as_array().unwrap().iter().map(|f| f["kept"].as_u64().unwrap()).sum();
    let coventry: u64 = Q1.iter().map(|m| (0..14).map(|t| count(m, t, 1)).sum::<u64>()).sum();
    assert_eq!(kept, coventry + 3 * 4, "Coventry by name and Birmingham's LSOAs by code");
    let other_force: u64 = json["files"].as_array().unwrap().iter().map(|f| f["other_force"].as_u64().unwrap()).sum();
    let no_lsoa: u64 = json["files"].as_array().unwrap().iter().map(|f| f["no_lsoa"].as_u64().unwrap()).sum();
    assert_eq!((other_force, no_lsoa), (12, 12), "rows of another force and with no location are counted, not kept");
}

#[test]
fn a_mistyped_area_is_refused_rather_than_replacing_months_with_zeros() {
    let e = env();
    let may = e.path("in/2025-05-west-midlands-street.csv");
    std::fs::write(&may, street_csv("2025-05", 1, 1)).unwrap();
    e.ok(&["indicators", "import-police", may.to_str().unwrap()]);
    let before = e.record();
    let out = import(&e, &[&may], &["--area", "Coventy"]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert!(said(&out).contains("none of the") && said(&out).contains("Coventy"), "{}", said(&out));
    assert_eq!(e.record()["police_months"], before["police_months"], "the month keeps its counts");
    // A trailing space is not a different area.
    let again = import(&e, &[&may], &["--area", "Coventry "]);
    assert!(again.status.success() && said(&again).contains("nothing to change"), "{}", said(&again));
    // A Mac's junk beside the files, and a row far longer than any police.uk row.
    std::fs::write(e.path("in/._2025-05-west-midlands-street.csv"), [0u8, 5, 22, 7, 0, 0]).unwrap();
    let out = import(&e, &[&e.dir.path().join("in")], &[]);
    assert!(out.status.success() && said(&out).contains("a file the Mac adds"), "{}", said(&out));
    let long = e.path("long/2025-06-west-midlands-street.csv");
    let mut bytes = street_csv("2025-06", 1, 0);
    bytes.extend(std::iter::repeat_n(b'x', 200_000));
    std::fs::write(&long, bytes).unwrap();
    let out = import(&e, &[&long], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    assert!(said(&out).contains("2025-06-west-midlands-street.csv") && said(&out).contains("longer than"), "{}", said(&out));
}

#[test]
fn moving_a_crime_types_link_never_breaks_the_next_import() {
    let e = env();
    let dir = q1_imported(&e);
    // The coordinator points Robbery at the Drugs indicator: Drugs and Robbery's own are unlinked.
    e.ok(&["indicators", "link-police", "PUK-drugs", "--crime-type", "Robbery"]);
    std::fs::write(dir.join(street_name("2025-07", SLUG)), street_csv("2025-07", 1, 1)).unwrap();
    let out = import(&e, &[&dir], &[]);
    assert!(out.status.success(), "{}", said(&out));
    let record = e.record();
    let links: Vec<(String, String)> = record["police_links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["crime_type"].as_str().unwrap().into(), l["indicator"].as_str().unwrap().into()))
        .collect();
    assert!(links.contains(&("Robbery".into(), "PUK-drugs".into())), "{links:?}");
    assert!(links.iter().any(|(t, c)| t == "Drugs" && c != "PUK-drugs"), "Drugs gets an indicator of its own again: {links:?}");
    assert_eq!(links.len(), TYPES.len(), "every crime type feeds exactly one indicator");
}

#[test]
fn a_crime_types_own_indicator_is_fed_again_even_when_no_figure_changes() {
    let e = env();
    let dir = q1_imported(&e);
    // In the app: a new indicator, Robbery pointed at it, then the indicator removed as a
    // mistake (it has no values yet). Robbery is left feeding nothing; PUK-robbery is unlinked.
    {
        let mut s = ccsp_core::Store::open(&e.db()).unwrap();
        let ctx = ccsp_core::Ctx::new("Police test", chrono::NaiveDate::from_ymd_opt(2026, 2, 10).unwrap());
        let input = ccsp_core::store::IndicatorInput {
            code: "ROB-01".into(),
            name: "Robbery in the city centre".into(),
            unit: "crimes".into(),
            polarity: "lower_is_better".into(),
            source: "police.uk".into(),
            ..Default::default()
        };
        s.add_indicator(&ctx, &input.parse().unwrap()).unwrap();
        s.link_police(&ctx, "ROB-01", "Robbery").unwrap();
        s.delete_indicator(&ctx, "ROB-01").unwrap();
    }
    let linked = |e: &Env| -> Vec<(String, String)> {
        e.record()["police_links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["crime_type"].as_str().unwrap().into(), l["indicator"].as_str().unwrap().into()))
            .collect()
    };
    assert!(!linked(&e).iter().any(|(t, _)| t == "Robbery"), "Robbery feeds nothing now");
    // The same files again: no month or value changes, but Robbery feeds its own again, kept.
    let out = import(&e, &[&dir], &[]);
    assert!(out.status.success(), "{}", said(&out));
    assert!(said(&out).contains("PUK-robbery (fed by its crime type again)") && said(&out).contains("applied"), "{}", said(&out));
    let links = linked(&e);
    assert!(links.contains(&("Robbery".into(), "PUK-robbery".into())), "{links:?}");
    assert_eq!(links.len(), TYPES.len(), "every crime type feeds exactly one indicator: {links:?}");
    let again = import(&e, &[&dir], &[]);
    assert!(said(&again).contains("nothing to change"), "and the next import has nothing to do: {}", said(&again));
}

#[test]
fn the_plans_area_and_force_are_set_together_or_not_at_all() {
    let e = env();
    let settings = |e: &Env| e.ok(&["audit", "--entity", "setting", "--json"]);
    let set = e.ok(&["indicators", "set-police-area", "Warwick", "--force", "Warwickshire Police"]);
    assert!(set.contains("Warwick (Warwickshire Police)"), "{set}");
    let audited = settings(&e);
    assert!(audited.contains("police_area") && audited.contains("police_force"), "both audited: {audited}");
    let long = "x".repeat(5000);
    for bad in [long.as_str(), "   "] {
        let out = e.run(&["indicators", "set-police-area", "Rugby", "--force", bad]);
        assert!(!out.status.success(), "a force of {} characters is refused", bad.len());
        assert!(said(&out).contains("force"), "the refusal names the force: {}", said(&out));
        assert_eq!(settings(&e), audited, "nothing changed, the area neither");
    }
    let area_only = e.ok(&["indicators", "set-police-area", "Rugby"]);
    assert!(area_only.contains("Rugby (Warwickshire Police)"), "the force stays when only the area is given: {area_only}");
}
