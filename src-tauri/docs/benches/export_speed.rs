//! How fast the documents are made: a store of 500 actions (three quarters of them with
//! updates for every ended quarter), each export timed in process over several runs, median
//! reported. Run: `cargo bench -p ccsp-docs`. Target: the Plan on a Page under 30 ms.

use std::time::Instant;

use ccsp_core::store::{NewAction, SetUpdate, UpdateMode};
use ccsp_core::domain::{Quarter, Rag};
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
            let input = SetUpdate { action: r.clone(), quarter: Some(*q), rag: Some(rag), commentary: "Progress with partners as planned this quarter.".into(), next_steps: "Escalate to the chair.".into(), reported_by: None };
            store.set_update(&late, &input, UpdateMode::Strict).unwrap();
        }
    }
    println!("store: 500 actions, {} quarters of updates, built in {:.1} s", quarters.len(), t0.elapsed().as_secs_f64());

    // Where the time goes, A4 (median of 15 each).
    let part = |f: &mut dyn FnMut()| median((0..15).map(|_| { let t = Instant::now(); f(); t.elapsed().as_secs_f64() * 1000.0 }).collect());
    let fonts = ccsp_docs::pdf::Fonts::load().unwrap();
    let summary = store.plan_summary(today).unwrap();
    let actions = store.list_actions().unwrap();
    let doc = ccsp_docs::plan_on_a_page::layout(&fonts, &summary, &actions, Paper::A4);
    println!(
        "  parts: fonts {:.1} ms, store reads {:.1} ms, layout {:.1} ms, PDF writing {:.1} ms",
        part(&mut || { ccsp_docs::pdf::Fonts::load().unwrap(); }),
        part(&mut || { store.plan_summary(today).unwrap(); store.list_actions().unwrap(); }),
        part(&mut || { ccsp_docs::plan_on_a_page::layout(&fonts, &summary, &actions, Paper::A4); }),
        part(&mut || { ccsp_docs::pdf::render(&doc, &fonts); }),
    );
    for paper in [Paper::A4, Paper::A3] {
        let mut times = Vec::new();
        let mut size = 0;
        let mut warnings = 0;
        for _ in 0..31 {
            let t = Instant::now();
            let out = plan_on_a_page(&store, paper, today).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            size = out.bytes.len();
            warnings = out.warnings.len();
        }
        println!("plan on a page ({paper:?}): median {:.1} ms over 31 runs, {} KB, {warnings} warning(s) (budget 30 ms)", median(times), size / 1024);
    }
}
