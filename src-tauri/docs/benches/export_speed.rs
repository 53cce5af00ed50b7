//! How fast the documents are made: a store of 500 actions (three quarters of them with
//! updates for every ended quarter), each export timed in process over several runs, median
//! reported. Run: `cargo bench -p ccsp-docs`. Targets: the Plan on a Page under 30 ms, the
//! tagged council report under 60 ms whole process and 40 times faster than headless
//! Chromium, its Word copy under 100 ms.

use std::time::Instant;

use ccsp_core::domain::{Quarter, Rag};
use ccsp_core::store::{NewAction, SetUpdate, UpdateMode};
use ccsp_core::{Ctx, Store};
use ccsp_docs::{plan_on_a_page, Paper};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let today = chrono::NaiveDate::from_ymd_opt(2028, 4, 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store: Store = ccsp_core::init_store(&dir.path().join("bench.sqlite3")).unwrap();
    let ctx = Ctx::new("Bench", chrono::NaiveDate::from_ymd_opt(2025, 4, 2).unwrap());
    let priorities = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"];
    let leads = ["WMP", "WMFS", "ICB", "PS", "CCC", "RSLs"];
    let t0 = Instant::now();
    let mut refs = Vec::new();
    for i in 0..500 {
        let new = NewAction {
            priority: priorities[i % 8].into(),
            title: format!("Partnership commitment {i}: joint activity in hotspot {} with partners", i % 37),
            lead: leads[i % 6].into(),
            ..Default::default()
        };
        refs.push(store.add_action(&ctx, &new).unwrap());
    }
    let late = Ctx::new("Bench", today);
    let quarters = Quarter::between(chrono::NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2028, 3, 31).unwrap());
    for (i, r) in refs.iter().enumerate().filter(|(i, _)| i % 4 != 0) {
        for q in &quarters {
            let rag = [Rag::Green, Rag::Amber, Rag::Green, Rag::Red][i % 4];
            let input = SetUpdate {
                action: r.clone(),
                quarter: Some(*q),
                rag: Some(rag),
                commentary: "Progress with partners as planned this quarter.".into(),
                next_steps: "Escalate to the chair.".into(),
                reported_by: None,
            };
            store.set_update(&late, &input, UpdateMode::Strict).unwrap();
        }
    }
    println!("store: 500 actions, {} quarters of updates, built in {:.1} s", quarters.len(), t0.elapsed().as_secs_f64());

    // Where the time goes, A4 (median of 15 each).
    let part = |f: &mut dyn FnMut()| {
        median(
            (0..15)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect(),
        )
    };
    let fonts = ccsp_docs::pdf::Fonts::load().unwrap();
    let data = ccsp_docs::PopData::load(&store, None, true, today).unwrap();
    let doc = ccsp_docs::plan_on_a_page::layout(&fonts, &data.input(None), Paper::A4);
    println!(
        "  parts: fonts {:.1} ms, store reads {:.1} ms, layout {:.1} ms, PDF writing {:.1} ms",
        part(&mut || {
            ccsp_docs::pdf::Fonts::load().unwrap();
        }),
        part(&mut || {
            ccsp_docs::PopData::load(&store, None, true, today).unwrap();
        }),
        part(&mut || {
            ccsp_docs::plan_on_a_page::layout(&fonts, &data.input(None), Paper::A4);
        }),
        part(&mut || {
            ccsp_docs::pdf::render(&doc, &fonts).unwrap();
        }),
    );
    for paper in [Paper::A4, Paper::A3] {
        let mut times = Vec::new();
        let mut size = 0;
        let mut warnings = 0;
        for _ in 0..31 {
            let t = Instant::now();
            let out = plan_on_a_page(&store, ccsp_docs::PopOptions::new(paper), today).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            size = out.bytes.len();
            warnings = out.warnings.len();
        }
        println!("plan on a page ({paper:?}): median {:.1} ms over 31 runs, {} KB, {warnings} warning(s) (budget 30 ms)", median(times), size / 1024);
    }

    // The other documents, in process.
    let q = Quarter::parse("2027-28-Q4").unwrap();
    let year = ccsp_core::domain::FinancialYear::parse("2027-28").unwrap();
    let timed = |f: &mut dyn FnMut() -> ccsp_docs::Output| {
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..15 {
            let t = Instant::now();
            last = Some(f());
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        (median(times), last.unwrap())
    };
    let (ms, out) = timed(&mut || ccsp_docs::quarterly(&store, q, today).unwrap());
    println!("quarterly pack ({q}): median {ms:.1} ms over 15 runs, {} pages, {} KB", out.pages, out.bytes.len() / 1024);
    let (ours, out) = timed(&mut || ccsp_docs::council_report(&store, year, today).unwrap());
    println!("council report ({year}): median {ours:.1} ms over 15 runs, {} pages, {} KB", out.pages, out.bytes.len() / 1024);
    let (word, out) = timed(&mut || ccsp_docs::council_report_docx(&store, year, today).unwrap());
    println!("council report as Word ({year}): median {word:.1} ms over 15 runs, {} KB (budget 100 ms)", out.bytes.len() / 1024);
    {
        let data = ccsp_docs::council::Data::load(&store, year, today).unwrap();
        let doc = ccsp_docs::council::layout(&fonts, &data);
        println!(
            "  parts: store reads {:.1} ms, layout {:.1} ms, PDF writing {:.1} ms",
            part(&mut || {
                ccsp_docs::council::Data::load(&store, year, today).unwrap();
            }),
            part(&mut || {
                ccsp_docs::council::layout(&fonts, &data);
            }),
            part(&mut || {
                ccsp_docs::pdf::render(&doc, &fonts).unwrap();
            }),
        );
    }

    // Side by side: headless Chromium printing the same report, laid out the same way, from
    // HTML (every run and box absolutely positioned, the same fonts). Whole processes both.
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| std::path::Path::new(p).exists());
    let Some(chromium) = chromium else {
        println!("chromium not installed (apt-get install chromium): no side-by-side figure");
        return;
    };
    let doc = ccsp_docs::council::layout(&fonts, &ccsp_docs::council::Data::load(&store, year, today).unwrap());
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts").canonicalize().unwrap();
    let html_path = dir.path().join("report.html");
    std::fs::write(&html_path, ccsp_docs::html::from_document(&doc, &assets)).unwrap();
    // The command-line runs below open the store themselves: close ours first, so that they
    // read a checkpointed file as a coordinator's would be, not one with a live write-ahead log.
    drop(store);
    // For a profile of the whole process (docs/benchmarks.md): keep a copy of this store.
    if let Some(keep) = std::env::var_os("CCSP_BENCH_KEEP") {
        std::fs::copy(dir.path().join("bench.sqlite3"), &keep).unwrap();
    }
    let pdf_out = dir.path().join("chromium.pdf");
    let profile = dir.path().join("chromium-profile");
    // One untimed run each first (file caches, Chromium's profile folder), then seven timed.
    let mut chrome_times = Vec::new();
    for run in 0..8 {
        let _ = std::fs::remove_file(&pdf_out); // no earlier output to remove is fine
        let t = Instant::now();
        let st = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", pdf_out.display()))
            .arg(format!("file://{}", html_path.display()))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(st.success() && pdf_out.exists(), "chromium did not print");
        if run > 0 {
            chrome_times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let cli = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/ccsp");
    let mut ours_whole = Vec::new();
    // A `ccsp` built before the documents' or the core's code last changed would time old code.
    fn newest(dir: &std::path::Path) -> Option<std::time::SystemTime> {
        std::fs::read_dir(dir)
            .ok()? // an unreadable folder is skipped by the staleness note
            .flatten()
            .filter_map(|e| {
                let p = e.path();
                if p.is_dir() {
                    newest(&p)
                } else {
                    e.metadata().and_then(|m| m.modified()).ok() // no time known: not counted as newest
                }
            })
            .max()
    }
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok(); // no time known: the staleness note says nothing
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let code_changed = [here.join("src"), here.join("../core/src")].iter().filter_map(|d| newest(d)).max();
    if let (Some(cli_built), Some(code_changed)) = (modified(&cli), code_changed) {
        if cli_built < code_changed {
            println!("note: target/release/ccsp is older than the code it would be timing; run `cargo build --release -p ccsp-cli` first for a current whole-process figure");
        }
    }
    if cli.exists() {
        for run in 0..16 {
            let out = dir.path().join("ours.pdf");
            let _ = std::fs::remove_file(&out); // no earlier output to remove is fine
            let t = Instant::now();
            let st = std::process::Command::new(&cli)
                .args([
                    "--db",
                    dir.path().join("bench.sqlite3").to_str().unwrap(),
                    "export",
                    "council-report",
                    "--year",
                    "2027-28",
                    "--out",
                    out.to_str().unwrap(),
                ])
                .env("CCSP_TODAY", "2028-04-01")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .unwrap();
            assert!(st.success());
            if run > 0 {
                ours_whole.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    let chrome = median(chrome_times);
    println!("headless Chromium --print-to-pdf, same report from HTML: median {chrome:.0} ms over 7 runs (whole process)");
    if ours_whole.is_empty() {
        println!("council report in process: {ours:.1} ms — {:.0}x faster (build target/release/ccsp for the whole-process ratio)", chrome / ours);
    } else {
        let whole = median(ours_whole);
        println!(
            "ccsp export council-report (release, whole process): median {whole:.1} ms over 15 runs — {:.0}x faster than Chromium (target 40x)",
            chrome / whole
        );
    }
}
