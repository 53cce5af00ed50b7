//! Speed benchmark (not a test): `cargo bench -p ccsp-cli`.
//!
//! Builds a store of 500 actions × 12 quarters of updates (with an audit trail to match),
//! then reports the median wall time of every CLI command as a whole process, and of the
//! list and dashboard queries in process. Budgets from the core issue: 50 ms per command,
//! 5 ms per query.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use ccsp_core::domain::*;
use ccsp_core::store::{AuditFilter, Store};

const ACTIONS: usize = 500;
const RUNS: usize = 15;
const TODAY: &str = "2028-03-31";

fn big_record() -> Record {
    let mut rec = ccsp_core::interchange::seed_record().expect("seed");
    let partners: Vec<String> = rec.partners.iter().map(|p| p.short_name.clone()).collect();
    let quarters = rec.plan.quarters();
    let n_pr = rec.priorities.len();
    let at = "2026-01-01T09:00:00Z".to_string();
    for i in 0..ACTIONS {
        let pr = &mut rec.priorities[i % n_pr];
        pr.last_action_seq += 1;
        let reference = format!("{}.{}", pr.reference, pr.last_action_seq);
        let lead = partners[i % partners.len()].clone();
        let support = partners[(i + 1) % partners.len()].clone();
        rec.actions.push(Action {
            reference: reference.clone(),
            priority: pr.reference.clone(),
            title: format!("Benchmark action {i}: joint work on a priority of the plan"),
            description: "Generated for the benchmark.".into(),
            lead,
            partners: vec![support],
            start_date: Some(quarters[0].start()),
            due_date: Some(quarters[11].end()),
            due_quarter: None,
            success_measure: "Measured quarterly".into(),
            lifecycle: Lifecycle::InProgress,
            cancel_reason: None,
            position: i as i64,
            illustrative: true,
            created_at: at.clone(),
            previous_ref: String::new(),
        });
        for (qi, q) in quarters.iter().enumerate() {
            let rag = [Rag::Green, Rag::Amber, Rag::Green, Rag::Red][(i + qi) % 4];
            rec.updates.push(Update {
                action: reference.clone(),
                quarter: *q,
                rag: Some(rag),
                commentary: "Progress reported by the lead partner for this quarter, with the detail the CCSP asked for.".into(),
                next_steps: "Next steps agreed at the delivery group.".into(),
                reported_by: "Lead officer".into(),
                reported_at: at.clone(),
                draft: false,
            });
            rec.audit.push(AuditEntry {
                at: at.clone(),
                who: "Benchmark".into(),
                entity: "update".into(),
                key: format!("{reference} {}", q.code()),
                op: "create".into(),
                before: None,
                after: Some(serde_json::json!({"rag": rag, "commentary": "Progress reported"})),
                reason: None,
            });
        }
        rec.allocations.push(Allocation { action: reference, year: quarters[0].year(), amount: Pence(25_000) });
    }
    rec.updates.sort_by(|a, b| ccsp_core::store::ref_key(&a.action).cmp(&ccsp_core::store::ref_key(&b.action)).then(a.quarter.cmp(&b.quarter)));
    rec.actions.sort_by_key(|a| ccsp_core::store::ref_key(&a.reference));
    rec.allocations.sort_by_key(|a| ccsp_core::store::ref_key(&a.action));
    rec
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn ccsp(db: &Path, args: &[String]) -> Duration {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_ccsp"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("CCSP_TODAY", TODAY)
        .env("CCSP_USER", "Benchmark")
        .output()
        .expect("run ccsp");
    let took = start.elapsed();
    assert!(out.status.success(), "ccsp {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    took
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("big.sqlite3");
    let t = Instant::now();
    let rec = big_record();
    let created = Store::create(&db, &rec, "benchmark").expect("create");
    drop(created);
    println!(
        "Store: {} actions, {} updates, {} audit entries, {:.1} MB (built in {})",
        rec.actions.len(),
        rec.updates.len(),
        rec.audit.len(),
        std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6, // the size is only printed
        ms(t.elapsed())
    );
    let export = dir.path().join("export.json");
    ccsp(&db, &["export".into(), "json".into(), "--out".into(), export.display().to_string()]);

    println!("\nWhole-process CLI commands (median of {RUNS}; budget 50 ms):");
    let s = |x: &str| x.to_string();
    let p = |x: &Path| x.display().to_string();
    type Case = (&'static str, Box<dyn Fn(usize) -> Vec<String>>);
    let d2 = dir.path().to_path_buf();
    let cases: Vec<Case> = vec![
        ("plan show", Box::new(move |_| vec![s("plan"), s("show")])),
        ("plan show --json", Box::new(move |_| vec![s("plan"), s("show"), s("--json")])),
        ("action list", Box::new(move |_| vec![s("action"), s("list")])),
        ("action list --json", Box::new(move |_| vec![s("action"), s("list"), s("--json")])),
        (
            "action add",
            Box::new(move |i| {
                vec![
                    s("action"),
                    s("add"),
                    s("--priority"),
                    s("2.1"),
                    s("--title"),
                    format!("Bench add {i}"),
                    s("--lead"),
                    s("WMP"),
                    s("--funding"),
                    s("100.00"),
                ]
            }),
        ),
        (
            "update set",
            Box::new(move |i| {
                vec![s("update"), s("set"), s("1.1.1"), s("--quarter"), s("2027-28-Q4"), s("--rag"), s("amber"), s("--commentary"), format!("Run {i}")]
            }),
        ),
        ("quarter sign-off", Box::new(move |_| vec![s("quarter"), s("sign-off"), s("2027-28-Q3"), s("--yes")])),
        ("quarter reopen", Box::new(move |_| vec![s("quarter"), s("reopen"), s("2027-28-Q3"), s("--reason"), s("benchmark")])),
        ("audit --key", Box::new(move |_| vec![s("audit"), s("--key"), s("1.1.1")])),
        (
            "export json",
            Box::new({
                let d = d2.clone();
                move |i| vec![s("export"), s("json"), s("--out"), p(&d.join(format!("e{i}.json")))]
            }),
        ),
        (
            // Budget 300 ms (issue 12): a workbook for every lead partner of the 500 actions.
            "returns make",
            Box::new({
                let d = d2.clone();
                move |i| vec![s("returns"), s("make"), s("--quarter"), s("2027-28-Q4"), s("--out"), p(&d.join(format!("returns-{i}")))]
            }),
        ),
        (
            "backup",
            Box::new({
                let d = d2.clone();
                move |i| vec![s("backup"), s("--out"), p(&d.join(format!("b{i}.sqlite3")))]
            }),
        ),
    ];
    let mut worst = Duration::ZERO;
    // sign-off and reopen alternate, so run them interleaved.
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    for i in 0..RUNS {
        for (c, (_, args)) in cases.iter().enumerate() {
            times[c].push(ccsp(&db, &args(i)));
        }
    }
    for (c, (name, _)) in cases.iter().enumerate() {
        let m = median(times[c].clone());
        worst = worst.max(m);
        println!("  {name:<22} {:>10}", ms(m));
    }
    let mut import_times = Vec::new();
    let mut init_times = Vec::new();
    for i in 0..RUNS {
        let fresh = dir.path().join(format!("imported-{i}.sqlite3"));
        import_times.push(ccsp(&fresh, &[s("import"), s("json"), p(&export)]));
        let fresh = dir.path().join(format!("init-{i}.sqlite3"));
        init_times.push(ccsp(&fresh, &[s("init")]));
    }
    for (name, t) in [("import json (new)", import_times), ("init", init_times)] {
        let m = median(t);
        worst = worst.max(m);
        println!("  {name:<22} {:>10}", ms(m));
    }
    let restore_src = dir.path().join("b0.sqlite3");
    let mut restore_times = Vec::new();
    for _ in 0..5 {
        restore_times.push(ccsp(&db, &[s("restore"), p(&restore_src)]));
    }
    let m = median(restore_times);
    worst = worst.max(m);
    println!("  {:<22} {:>10}  (median of 5)", "restore", ms(m));

    // Budget 300 ms (issue 12): every partner's return for 500 actions merged back in. The
    // workbooks say something new for every row, so each run writes 500 updates with their
    // audit (`--overwrite`: the store's own Q4 updates were entered after the books' values),
    // each on a fresh copy of the store.
    let returned = dir.path().join("returned");
    std::fs::create_dir_all(&returned).expect("returned dir");
    {
        let store = Store::open(&restore_src).expect("open the backup");
        let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("today");
        let q = Quarter::parse("2027-28-Q4").expect("quarter");
        for mut book in ccsp_core::interchange::returns::books(&store, q, today, None, None).expect("books") {
            for r in &mut book.rows {
                r.status = Some(Rag::Amber);
                r.commentary = format!("Returned for the benchmark: {}", r.reference);
            }
            std::fs::write(returned.join(book.file_name()), ccsp_core::interchange::returns::write(&book).expect("write")).expect("save");
        }
    }
    let files: Vec<String> = std::fs::read_dir(&returned).expect("list").map(|e| p(&e.expect("entry").path())).collect();
    let mut merge_times = Vec::new();
    for i in 0..RUNS {
        let copy = dir.path().join(format!("merge-{i}.sqlite3"));
        std::fs::copy(&restore_src, &copy).expect("copy");
        let mut args = vec![s("returns"), s("import"), s("--quarter"), s("2027-28-Q4"), s("--overwrite")];
        args.extend(files.iter().cloned());
        merge_times.push(ccsp(&copy, &args));
    }
    println!("  {:<22} {:>10}  ({} workbooks, 500 rows; budget 300 ms)", "returns import", ms(median(merge_times)), files.len());
    println!("  slowest command median: {}", ms(worst));

    println!("\nIn-process queries (median of 50; budget 5 ms):");
    let store = Store::open(&db).expect("reopen");
    let today = NaiveDateExt::parse(TODAY);
    let q = Quarter::parse("2027-28-Q2").expect("quarter");
    type Query<'a> = (&'a str, Box<dyn Fn(&Store)>);
    let queries: Vec<Query> = vec![
        (
            "list_actions (register)",
            Box::new(|s: &Store| {
                s.list_actions().expect("list");
            }),
        ),
        (
            "plan_summary (plan + quarters)",
            Box::new(move |s: &Store| {
                s.plan_summary(today).expect("plan");
            }),
        ),
        (
            "updates_for (one quarter)",
            Box::new(move |s: &Store| {
                s.updates_for(q).expect("updates");
            }),
        ),
        (
            "missing_returns (one quarter)",
            Box::new(move |s: &Store| {
                s.missing_returns(q).expect("missing");
            }),
        ),
        (
            "reporting_quarter",
            Box::new(move |s: &Store| {
                s.reporting_quarter(today).expect("rq");
            }),
        ),
        (
            "audit (one action)",
            Box::new(|s: &Store| {
                s.audit(&AuditFilter { key_prefix: Some("1.1.1".into()), ..Default::default() }).expect("audit");
            }),
        ),
    ];
    for (name, f) in &queries {
        let mut v = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            f(&store);
            v.push(t.elapsed());
        }
        println!("  {name:<32} {:>10}", ms(median(v)));
    }
    let mut v = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        store.record().expect("record");
        v.push(t.elapsed());
    }
    println!("  {:<32} {:>10}  (whole record, for export; not a list query)", "record()", ms(median(v)));
}

struct NaiveDateExt;
impl NaiveDateExt {
    fn parse(s: &str) -> chrono::NaiveDate {
        parse_date("date", s).expect("date")
    }
}
