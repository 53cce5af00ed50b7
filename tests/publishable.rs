//! The papers are publishable: for the Plan on a Page, the quarterly pack and the annual report,
//! made from the demo store, a 500-action store spread over every priority, a 500-action store
//! piled under one priority, and a store full of hostile text —
//! - two independent checkers (page-validation's `page` for PDF/UA-1 and PDF/A-2a, and
//!   `pdfua`) report no failure;
//! - the structure tree, walked with pikepdf (tests/pdf_structure.py), holds the document
//!   model's text in the model's order (the model is the oracle, the Plan on a Page's three
//!   columns included), every table starts with a row of TH cells, every bookmark is a heading;
//! - only page furniture is an artifact; `pdfinfo` says "Tagged: yes" and claims no other
//!   standard;
//! - no text is drawn over other text or crossed by a rule, on any page.
//!
//! The checkers run from the Python virtual environment the test command makes (`CCSP_PYTHON`).

use std::path::{Path, PathBuf};
use std::process::Command;

use ccsp_core::domain::{Quarter, Rag};
use ccsp_core::store::{NewAction, SetUpdate, UpdateMode};
use ccsp_core::{Ctx, Store};
use ccsp_docs::layout::{collisions, Document, Kind, Metrics};
use ccsp_docs::model::Doc;
use ccsp_docs::pdf::Fonts;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Reported on in May 2026: the year 2025-26 has ended.
fn today() -> NaiveDate {
    d("2026-05-01")
}

const PRIORITIES: [&str; 8] = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"];

/// 500 actions, each under `priority(i)`, three in four with an update in every quarter of
/// 2025-26 (Red, Amber, Green and Complete among them).
fn big_store(dir: &Path, priority: impl Fn(usize) -> &'static str, title: impl Fn(usize) -> String) -> Store {
    let mut s = ccsp_core::init_store(&dir.join("big.sqlite3")).unwrap();
    let ctx = Ctx::new("Publishable test", d("2025-04-02"));
    let leads = ["WMP", "WMFS", "ICB", "PS", "CCC", "RSLs"];
    let refs: Vec<String> = (0..500)
        .map(|i| {
            let new = NewAction { priority: priority(i).into(), title: title(i), lead: leads[i % 6].into(), ..Default::default() };
            s.add_action(&ctx, &new).unwrap()
        })
        .collect();
    let late = Ctx::new("Publishable test", today());
    for (i, r) in refs.iter().enumerate().filter(|(i, _)| i % 4 != 0) {
        for q in ccsp_core::domain::FinancialYear::parse("2025-26").unwrap().quarters() {
            let rag = [Rag::Green, Rag::Amber, Rag::Green, Rag::Red, Rag::Complete][i % 5];
            let input = SetUpdate {
                action: r.clone(),
                quarter: Some(q),
                rag: Some(rag),
                commentary: format!("Progress with partners on commitment {i}, with the detail a partner gives in a quarterly return."),
                next_steps: if rag == Rag::Red { "Escalated to the chair for a decision.".into() } else { String::new() },
                reported_by: None,
            };
            s.set_update(&late, &input, UpdateMode::Strict).unwrap();
        }
    }
    s
}

/// The demo store with hostile text in titles and commentary: markup, right-to-left script,
/// characters no font has, a word longer than any column, control characters, quotes.
fn hostile_store(dir: &Path) -> Store {
    let mut s = ccsp_core::init_store(&dir.join("hostile.sqlite3")).unwrap();
    ccsp_core::demo::add_demo(&mut s, &Ctx::new("Publishable test", today())).unwrap();
    let ctx = Ctx::new("Publishable test", today());
    let texts = [
        "<script>alert('x')</script> & \"quoted\" 'text'",
        "مرحبا بالعالم — right to left",
        "Emoji 🦀 and CJK 漢字 the fonts lack",
        &"Supercalifragilistic".repeat(8),
        "Zero\u{200B}width and non\u{A0}breaking spaces",
        "Robert'); DROP TABLE actions;--",
    ];
    for (i, t) in texts.iter().enumerate() {
        let new = NewAction { priority: PRIORITIES[i % 8].into(), title: t.to_string(), lead: "WMP".into(), ..Default::default() };
        let r = s.add_action(&ctx, &new).unwrap();
        let q = Quarter::parse("2025-26-Q4").unwrap();
        let input = SetUpdate { action: r, quarter: Some(q), rag: Some(Rag::Red), commentary: t.to_string(), next_steps: t.to_string(), reported_by: None };
        s.set_update(&ctx, &input, UpdateMode::Strict).unwrap();
    }
    s
}

fn demo_store(dir: &Path) -> Store {
    let mut s = ccsp_core::init_store(&dir.join("demo.sqlite3")).unwrap();
    ccsp_core::demo::add_demo(&mut s, &Ctx::new("Publishable test", today())).unwrap();
    s
}

/// The three papers of a store: each as its model, its layout and its PDF.
fn papers(store: &Store, fonts: &Fonts) -> Vec<(&'static str, Doc, Document, Vec<u8>)> {
    let year = ccsp_core::domain::FinancialYear::parse("2025-26").unwrap();
    let q = Quarter::parse("2025-26-Q4").unwrap();
    let data = ccsp_docs::PopData::load(store, None, true, today()).unwrap();
    let pop = ccsp_docs::plan_on_a_page::model(&data.input(None));
    let mut pop_doc = ccsp_docs::model::Builder::new();
    pop_doc.plan_on_a_page(pop.clone());
    let pop_doc = pop_doc.finish(pop.title.clone(), pop.partnership.clone(), pop.subject.clone(), String::new(), "OFFICIAL".into(), vec![]);
    let pop_layout = ccsp_docs::plan_on_a_page::lay_out(fonts, &pop, ccsp_docs::Paper::A4);
    let council = ccsp_docs::council::Data::load(store, year, today()).unwrap();
    let quarterly = ccsp_docs::quarterly::Data::load(store, q, today()).unwrap();
    let mut out = vec![("plan-on-a-page", pop_doc, pop_layout)];
    out.push(("council-report", ccsp_docs::council::model(&council), ccsp_docs::council::layout(fonts, &council)));
    out.push(("quarterly", ccsp_docs::quarterly::model(&quarterly), ccsp_docs::quarterly::layout(fonts, &quarterly)));
    out.into_iter()
        .map(|(name, model, layout)| {
            let pdf = ccsp_docs::pdf::render(&layout, fonts).unwrap();
            (name, model, layout, pdf)
        })
        .collect()
}

/// Text as the PDF draws it: a character no font has is drawn as "?", a control character as
/// a space; runs of white space read as one.
fn drawn(m: &dyn Metrics, text: &str) -> String {
    use ccsp_docs::layout::Face;
    let chars: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .map(|c| if c == ' ' || m.advance(Face::Regular, c).is_some() || m.advance(Face::Symbol, c).is_some() { c } else { '?' })
        .collect();
    chars.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The structure tree, walked with pikepdf (tests/pdf_structure.py): (depth, element name or
/// quoted text), in tree order.
fn struct_text(pdf: &Path) -> Vec<(usize, String)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/pdf_structure.py");
    let out = Command::new(python()).arg(script).arg(pdf).output().expect("the Python checkers (.tools/venv: run the test command)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| ((l.len() - l.trim_start().len()) / 2, l.trim().to_string()))
        .collect()
}

fn tree_text(tree: &[(usize, String)]) -> String {
    let texts: Vec<&str> = tree.iter().filter_map(|(_, l)| l.strip_prefix('"').and_then(|l| l.strip_suffix('"'))).collect();
    texts.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The elements named `tag` (e.g. "Table"), each with its lines below it.
fn elements<'a>(tree: &'a [(usize, String)], tag: &str) -> Vec<&'a [(usize, String)]> {
    let mut out = Vec::new();
    for (i, (depth, line)) in tree.iter().enumerate() {
        if line.split(' ').next() == Some(tag) {
            let end = tree[i + 1..].iter().position(|(d, _)| d <= depth).map_or(tree.len(), |p| i + 1 + p);
            out.push(&tree[i..end]);
        }
    }
    out
}

/// The outline's titles, in order.
fn bookmarks(pdf: &[u8]) -> Vec<String> {
    let lo = lopdf::Document::load_mem(pdf).unwrap();
    let Ok(outlines) = lo.catalog().unwrap().get(b"Outlines").and_then(|o| lo.dereference(o)) else { return vec![] };
    // No /First: an outline with no entries.
    let mut next = outlines.1.as_dict().unwrap().get(b"First").ok().cloned();
    let mut out = Vec::new();
    while let Some(r) = next {
        let item = lo.dereference(&r).unwrap().1.as_dict().unwrap();
        let title = item.get(b"Title").unwrap().as_str().unwrap();
        let units: Vec<u16> = title[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        out.push(String::from_utf16(&units).unwrap());
        // No /Next: the last entry.
        next = item.get(b"Next").ok().cloned();
    }
    out
}

/// What may be an artifact: the page furniture this paper draws, and nothing else.
fn furniture(model: &Doc, text: &str) -> bool {
    let t = text.trim();
    let page_number = t.strip_prefix("Page ").and_then(|r| r.split_once(" of ")).is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok());
    let shapes = Rag::ALL.iter().any(|r| r.shape() == t) || ccsp_core::domain::PriorityStatus::NoReturn.shape() == t;
    let repeated = model.blocks.iter().any(|b| match b {
        ccsp_docs::model::Block::Table(tb) => tb.cols.iter().any(|c| c.title.contains(t)) || tb.continued.as_deref().is_some_and(|c| c.contains(t)),
        _ => false,
    });
    page_number || shapes || repeated || t == "OFFICIAL" || model.running.contains(t) || model.title.contains(t)
}

fn python() -> PathBuf {
    std::env::var_os("CCSP_PYTHON").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/venv/bin/python"))
}

/// Runs both checkers over every file; returns what they reported, empty when all passed.
fn checkers(files: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/pdf_checks.py");
    let out = Command::new(python()).arg(&script).args(files).output().expect("the Python checkers (.tools/venv: run the test command)");
    if !out.status.success() {
        problems.push(format!("page-validation:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)));
    }
    let pdfua = python().with_file_name("pdfua");
    for f in files {
        let out = Command::new(&pdfua).arg("check").arg(f).output().expect("pdfua (.tools/venv)");
        if !out.status.success() {
            problems.push(format!("pdfua check {}:\n{}", f.display(), String::from_utf8_lossy(&out.stdout)));
        }
    }
    problems
}

#[test]
fn every_paper_from_every_store_is_tagged_archival_reads_in_order_and_draws_nothing_over_anything() {
    let fonts = Fonts::load().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The papers checked are kept for a person to look at.
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("publishable");
    std::fs::create_dir_all(&kept).unwrap();
    let stores: Vec<(&str, Store)> = vec![
        ("demo", demo_store(dir.path())),
        ("spread", big_store(dir.path(), |i| PRIORITIES[i % 8], |i| format!("Partnership commitment {i}: joint activity in hotspot {} with partners", i % 37))),
        ("hostile", hostile_store(dir.path())),
    ];
    let piled_dir = tempfile::tempdir().unwrap();
    let piled = big_store(piled_dir.path(), |i| if i % 10 == 0 { PRIORITIES[i % 8] } else { "2.2" }, |i| format!("Commitment {i} under the busiest priority"));
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (store_name, store) in stores.iter().map(|(n, s)| (*n, s)).chain([("piled", &piled)]) {
        for (paper, model, layout, pdf) in papers(store, &fonts) {
            let what = format!("{paper} from the {store_name} store");
            let path = kept.join(format!("{store_name}-{paper}.pdf"));
            std::fs::write(&path, &pdf).unwrap();
            files.push(path.clone());

            // Nothing drawn over anything.
            for (i, page) in layout.pages.iter().enumerate() {
                for c in collisions(&fonts, page) {
                    problems.push(format!("{what}, page {}: {c}", i + 1));
                }
            }
            // Only page furniture is artifact.
            for page in &layout.pages {
                for it in page.items.iter().filter(|it| it.mark.is_artifact()) {
                    if let Kind::Text { text, .. } = &it.kind {
                        if !furniture(&model, text) {
                            problems.push(format!("{what}: {text:?} is marked as an artifact but is content"));
                        }
                    }
                }
            }
            // The tree reads the model's text, in the model's order.
            let tree = struct_text(&path);
            let want = drawn(&fonts, &model.fitted(&fonts).text().join(" "));
            let got = tree_text(&tree);
            if want != got {
                let at = want.chars().zip(got.chars()).take_while(|(a, b)| a == b).count();
                let from = at.saturating_sub(60);
                problems.push(format!(
                    "{what}: the structure tree does not read as the model at character {at}:\n  model: …{}\n  tree:  …{}",
                    want.chars().skip(from).take(160).collect::<String>(),
                    got.chars().skip(from).take(160).collect::<String>()
                ));
            }
            for table in elements(&tree, "Table") {
                // A table with no row at all reads as one without header cells, below.
                let first_row = elements(table, "TR").into_iter().next().unwrap_or_default();
                let cells: Vec<&str> = first_row.iter().filter(|(d, _)| *d == first_row[0].0 + 1).map(|(_, l)| l.split(' ').next().unwrap_or("")).collect();
                if cells.is_empty() || cells.iter().any(|c| *c != "TH") {
                    problems.push(format!("{what}: a table whose first row is not header cells: {cells:?}"));
                }
            }
            let headings: Vec<String> = tree
                .windows(2)
                .filter(|w| w[0].1.len() >= 2 && w[0].1.starts_with('H') && w[0].1.as_bytes()[1].is_ascii_digit())
                .map(|w| w[1].1.trim_matches('"').split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            // Headings start at H1 and never skip a level going down.
            let levels: Vec<u32> = tree.iter().filter_map(|(_, l)| l.strip_prefix('H').and_then(|n| n.parse().ok())).collect();
            if levels.first() != Some(&1) || levels.windows(2).any(|w| w[1] > w[0] + 1) {
                problems.push(format!("{what}: heading levels skip: {levels:?}"));
            }
            for b in bookmarks(&pdf) {
                let b = drawn(&fonts, &b);
                if !headings.contains(&b) {
                    problems.push(format!("{what}: the bookmark {b:?} has no heading element"));
                }
            }
            let info = Command::new("pdfinfo").arg(&path).output().unwrap();
            let info = String::from_utf8_lossy(&info.stdout);
            if !info.contains("Tagged:          yes") || info.contains("PDF subtype:") {
                problems.push(format!("{what}: pdfinfo says\n{info}"));
            }
        }
    }
    problems.extend(checkers(&files));
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// The model's headings and list items, as docx_checks.py reads them.
fn expected_in_word(model: &Doc) -> String {
    use ccsp_docs::model::Block;
    let mut out = format!("M\t{}\n", model.marking);
    for b in &model.blocks {
        match b {
            Block::Heading(h) => out.push_str(&format!("H\t{}\n", h.text)),
            Block::List(l) => l.items.iter().for_each(|i| out.push_str(&format!("N\t{i}\n"))),
            Block::PlanOnAPage(p) => out.extend(p.caption.iter().map(|c| format!("H\t{c}\n"))),
            _ => {}
        }
    }
    out
}

#[test]
fn the_annual_reports_word_copy_has_word_structure_and_converts_in_libreoffice_with_every_heading() {
    let fonts = Fonts::load().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("publishable");
    std::fs::create_dir_all(&kept).unwrap();
    let year = ccsp_core::domain::FinancialYear::parse("2025-26").unwrap();
    let stores = [
        ("demo", demo_store(dir.path())),
        ("spread", big_store(dir.path(), |i| PRIORITIES[i % 8], |i| format!("Partnership commitment {i} in hotspot {}", i % 37))),
    ];
    let mut problems = Vec::new();
    for (name, store) in &stores {
        let out = ccsp_docs::council_report_docx(store, year, today()).unwrap();
        let path = kept.join(format!("{name}-council-report.docx"));
        std::fs::write(&path, &out.bytes).unwrap();
        let data = ccsp_docs::council::Data::load(store, year, today()).unwrap();
        let model = ccsp_docs::council::model(&data).fitted(&fonts);
        let expected = dir.path().join(format!("{name}-expected.txt"));
        std::fs::write(&expected, expected_in_word(&model)).unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/docx_checks.py");
        let check = Command::new(python()).arg(script).arg(&path).arg(&expected).output().expect("python-docx (.tools/venv)");
        if !check.status.success() {
            problems.push(format!("{name}: python-docx:\n{}{}", String::from_utf8_lossy(&check.stdout), String::from_utf8_lossy(&check.stderr)));
        }
        // LibreOffice headless, with a profile of its own, as democratic services' Word would
        // open it: it converts, every heading of the council format is in the text, and the
        // Plan on a Page is one landscape page.
        let profile = dir.path().join(format!("lo-profile-{name}"));
        let converted = dir.path().join(format!("lo-{name}"));
        let lo = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&converted)
            .arg(&path)
            .output()
            .expect("LibreOffice (libreoffice-writer-nogui)");
        let pdf = converted.join(format!("{name}-council-report.pdf"));
        assert!(lo.status.success() && pdf.exists(), "LibreOffice did not convert {}: {}", path.display(), String::from_utf8_lossy(&lo.stderr));
        let text = String::from_utf8_lossy(&text_of(&pdf)).split_whitespace().collect::<Vec<_>>().join(" ");
        for h in expected_in_word(&model).lines().filter_map(|l| l.strip_prefix("H\t")) {
            let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.contains(&h) {
                problems.push(format!("{name}: the heading {h:?} is not in LibreOffice's rendering"));
            }
        }
        let sizes = Command::new("pdfinfo").args(["-f", "1", "-l", "9999"]).arg(&pdf).output().unwrap();
        let landscape = String::from_utf8_lossy(&sizes.stdout).lines().filter(|l| l.contains(" size:") && l.contains("841.89 x 595")).count();
        if landscape != 1 {
            problems.push(format!("{name}: the Plan on a Page takes {landscape} landscape pages in LibreOffice, not one"));
        }
        // No page holds only its running header and footer (an empty paragraph spilling onto
        // a page of its own made one before the landscape appendix).
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let pages: Vec<String> = String::from_utf8_lossy(&text_of(&pdf)).split('\u{c}').map(words).filter(|p| !p.is_empty()).collect();
        for (i, page) in pages.iter().enumerate() {
            let mut rest = page.clone();
            for furniture in [words(&model.running), words(&model.marking), words(&model.title), format!("Page {} of {}", i + 1, pages.len())] {
                rest = rest.replacen(&furniture, "", 1);
            }
            if rest.trim().is_empty() {
                problems.push(format!("{name}: page {} of LibreOffice's rendering is blank but for its header and footer", i + 1));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The text of a PDF, pages separated by form feeds (pdftotext).
fn text_of(pdf: &Path) -> Vec<u8> {
    Command::new("pdftotext").arg(pdf).arg("-").output().unwrap().stdout
}
