//! The desktop app's speed and memory, measured on the real window (run it through
//! scripts/bench-ui.sh, which builds the release app and starts Xvfb):
//!
//! - launch → interactive: from asking WebDriver for a window until the first screen has
//!   rendered its data (includes WebKitWebDriver's own start, so it is an upper bound);
//! - switching screens and filtering the register on a store of 500 actions: from the click
//!   (or keystroke) to the frame after the new content is in the page;
//! - memory at idle: PSS of the app and its WebKit processes (/proc/PID/smaps_rollup).
//!
//! Each figure is the median of several runs.

use std::time::{Duration, Instant};

use ccsp_e2e::{bin, Fixture};
use serde_json::json;

const RUNS: usize = 9;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// Adds actions through the CLI until the store holds `n`, with updates for two quarters.
fn big_store(f: &Fixture, n: usize) -> Result<(), String> {
    let have = f.ccsp(&["action", "list", "--json"])?;
    let have: serde_json::Value = serde_json::from_str(&have).map_err(|e| e.to_string())?;
    let start = have.as_array().map(|a| a.len()).unwrap_or(0); // no list: start from none
    let priorities = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"];
    let leads = ["WMP", "WMFS", "ICB", "PS", "CCC", "RSLs"];
    let rags = ["green", "green", "amber", "green", "red", "complete"];
    for i in start..n {
        let title = format!("Benchmark action {i}: partnership activity for hotspot {}", i % 37);
        let r = f.ccsp(&["action", "add", "--priority", priorities[i % 8], "--title", &title, "--lead", leads[i % 6], "--due", "2027-03-31"])?;
        let reference =
            r.split_whitespace().find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit())).unwrap_or("").trim_end_matches(['.', ',']).to_string();
        for (k, q) in ["2026-27-Q1", "2026-27-Q2"].iter().enumerate() {
            if (i + k) % 4 == 0 {
                continue; // leave some returns missing, as in a real week
            }
            let rag = rags[(i + k) % 6];
            f.ccsp(&[
                "update",
                "set",
                &reference,
                "--quarter",
                q,
                "--rag",
                rag,
                "--commentary",
                "Progress as planned with partners.",
                "--next-steps",
                "Continue; report at the next meeting.",
            ])?;
        }
    }
    Ok(())
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok() // a process gone: measured as 0
        .and_then(|s| s.lines().find(|l| l.starts_with("Pss:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse().ok())) // as above
        .unwrap_or(0) // as above
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?; // a process gone: no parent
    stat.rsplit(')').next()?.split_whitespace().nth(1)?.parse().ok() // as above
}

/// The app's process and every process below it (WebKitWebProcess, WebKitNetworkProcess).
fn app_tree(app_name: &str) -> Vec<(u32, String)> {
    let procs: Vec<(u32, String)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok()) // entries of /proc that are not processes
        .filter_map(|pid| Some((pid, std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?.trim().to_string()))) // a process gone meanwhile
        .collect();
    let roots: Vec<u32> = procs.iter().filter(|(_, c)| c.starts_with(app_name)).map(|(p, _)| *p).collect();
    procs
        .into_iter()
        .filter(|(pid, _)| {
            let mut p = Some(*pid);
            while let Some(x) = p {
                if roots.contains(&x) {
                    return true;
                }
                p = parent_of(x).filter(|&pp| pp > 1);
            }
            false
        })
        .collect()
}

/// PSS in KiB of the app and its WebKit processes, optionally listed one by one.
fn memory(list: bool) -> u64 {
    let mut total = 0;
    for (pid, name) in app_tree("ccsp-coordinato") {
        let kib = pss_kib(pid);
        total += kib;
        if list {
            println!("  PSS {name:<22} {:>6.1} MB", kib as f64 / 1024.0);
        }
    }
    total
}

const SWITCH: &str = r#"
const [label, ready] = [arguments[0], arguments[1]];
const done = arguments[arguments.length - 1];
const btn = [...document.querySelectorAll('nav button')].find(b => b.textContent.trim() === label);
const t0 = performance.now();
btn.click();
const check = () => {
  const h = document.querySelector('main h1');
  if (h && h.textContent.trim() === label && document.querySelector(ready)) {
    requestAnimationFrame(() => done(performance.now() - t0));
  } else { requestAnimationFrame(check); }
};
requestAnimationFrame(check);
"#;

const FILTER: &str = r#"
const [text, want] = [arguments[0], arguments[1]];
const done = arguments[arguments.length - 1];
const input = document.getElementById('r-text');
const t0 = performance.now();
input.value = text;
input.dispatchEvent(new Event('input', {bubbles: true}));
const check = () => {
  const n = document.querySelectorAll('#register tbody tr[data-ref]').length;
  if (want(n)) { requestAnimationFrame(() => done([performance.now() - t0, n])); } else { requestAnimationFrame(check); }
};
requestAnimationFrame(check);
"#;

fn main() -> Result<(), String> {
    let actions: usize = std::env::var("CCSP_BENCH_ACTIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(500); // unset or not a number: the default size
    let f = Fixture::new("bench", true)?;
    eprintln!("building a store of {actions} actions…");
    big_store(&f, actions)?;
    let driver = f.driver()?;
    let app = bin("ccsp-coordinator");
    println!("app: {}", app.display());

    let mut launch = Vec::new();
    let mut in_page = Vec::new();
    for _ in 0..RUNS {
        let t0 = Instant::now();
        let s = driver.session(&app)?;
        s.wait_for("document.body.dataset.ready === 'true' && document.querySelector('[data-testid=updated-count]')", "the dashboard")?;
        launch.push(t0.elapsed().as_secs_f64() * 1000.0);
        in_page.push(s.exec("return performance.now();", json!([]))?.as_f64().unwrap_or(0.0));
        s.close()?;
    }
    println!("launch → dashboard with data (WebDriver, upper bound): median {:.0} ms over {RUNS} runs", median(launch));
    println!("  of which page load → dashboard rendered (in page):   median {:.0} ms", median(in_page));

    let s = driver.session(&app)?;
    s.wait_for("document.body.dataset.ready === 'true' && document.querySelector('[data-testid=updated-count]')", "the app")?;
    std::thread::sleep(Duration::from_secs(5));
    println!("memory at idle on the dashboard after launch: {:.1} MB", memory(false) as f64 / 1024.0);
    for (cmd, args) in [
        ("list_actions", json!({})),
        ("update_sheet", json!({"quarterCode": "2026-27-Q2"})),
        ("dashboard", json!({"quarterCode": "2026-27-Q2"})),
        ("audit_trail", json!({"limit": 300})),
    ] {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let ms = s.exec_async(
                "const done = arguments[arguments.length - 1]; const t0 = performance.now();
                 window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(() => done(performance.now() - t0), e => done(-1));",
                json!([cmd, args.clone()]),
            )?;
            times.push(ms.as_f64().unwrap_or(f64::NAN));
        }
        println!("command {cmd:<14} round trip median {:>6.1} ms", median(times));
    }
    let screens = [
        ("Actions", "#register tbody tr[data-ref]"),
        ("Quarterly update", "tr[data-ref]"),
        ("Dashboard", "[data-testid=updated-count]"),
        ("Plan", "main table"),
        ("Indicators", "main table"),
        ("Partners", "main table"),
        ("Funding", "main table"),
        ("Sign-off and audit", "main table"),
        ("Settings", "main form"),
    ];
    let mut worst = 0.0f64;
    for (label, ready) in screens {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            // Go elsewhere first, so each run really switches.
            s.exec_async(SWITCH, json!(["Exports", "main h1"]))?;
            let ms = s.exec_async(SWITCH, json!([label, ready]))?.as_f64().unwrap_or(f64::NAN);
            times.push(ms);
        }
        let m = median(times);
        worst = worst.max(m);
        println!("switch to {label:<20} median {m:>6.1} ms");
    }
    s.exec_async(SWITCH, json!(["Actions", "#register tbody tr[data-ref]"]))?;
    let mut filter = Vec::new();
    for _ in 0..RUNS {
        let r = s.exec_async(&FILTER.replace("want(n)", "n > 0 && n < 100"), json!(["action 42:", 0]))?;
        filter.push(r[0].as_f64().unwrap_or(f64::NAN));
        s.exec_async(&FILTER.replace("want(n)", "n > 10"), json!(["", 0]))?;
    }
    let shown = s.exec("return document.querySelectorAll('#register tbody tr[data-ref]').length;", json!([]))?;
    println!("filter the register by text (\"action 42:\") median {:.1} ms; unfiltered it shows {shown} rows", median(filter));
    println!("slowest screen switch: {worst:.1} ms (budget 100 ms)");

    s.exec_async(SWITCH, json!(["Dashboard", "[data-testid=updated-count]"]))?;
    std::thread::sleep(Duration::from_secs(5));
    println!("memory 5 s after the last switch: {:.1} MB", memory(false) as f64 / 1024.0);
    // Idle means idle: WebKit returns freed memory to the system on a timer.
    std::thread::sleep(Duration::from_secs(25));
    let total = memory(true);
    println!("memory at idle (30 s) after visiting every screen (PSS of the app and its WebKit processes): {:.1} MB (budget 300 MB)", total as f64 / 1024.0);
    s.close()?;
    Ok(())
}
