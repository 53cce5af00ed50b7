//! The documents, laid out from real stores: the Plan on a Page is always one page, nothing is
//! drawn outside the printable box, hostile text never panics or overflows, and the PDF holds
//! real text with every font embedded (pdftotext, pdfinfo, pdffonts from poppler-utils).

use std::process::Command;

use ccsp_core::store::NewAction;
use ccsp_core::{Ctx, Store};
use ccsp_docs::layout::{outside_printable, Mark, Tag};
use ccsp_docs::{pdf::Fonts, plan_on_a_page, Paper, PopData, PopOptions};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn demo_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    ccsp_core::demo::add_demo(&mut s, &Ctx::new("Docs test", today())).unwrap();
    (dir, s)
}

fn add(s: &mut Store, priority: &str, title: &str) {
    let new = NewAction { priority: priority.into(), title: title.into(), lead: "WMP".into(), ..Default::default() };
    s.add_action(&Ctx::new("Docs test", today()), &new).unwrap();
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.pdf");
    std::fs::write(&p, bytes).unwrap();
    let out = Command::new("pdftotext").args(["-layout", p.to_str().unwrap(), "-"]).output().expect("pdftotext (poppler-utils)");
    String::from_utf8(out.stdout).unwrap()
}

fn pdf_tool(tool: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.pdf");
    std::fs::write(&p, bytes).unwrap();
    let out = Command::new(tool).arg(&p).output().unwrap_or_else(|e| panic!("{tool} (poppler-utils): {e}"));
    assert!(out.status.success(), "{tool}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_plan_on_a_page_is_one_landscape_page_with_real_text_and_embedded_fonts() {
    let (_d, s) = demo_store();
    let out = plan_on_a_page(&s, PopOptions::new(Paper::A4), today()).unwrap();
    assert_eq!(out.pages, 1);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let info = pdf_tool("pdfinfo", &out.bytes);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("841.89") && info.contains("595.28"), "A4 landscape: {info}");
    assert!(info.contains("Plan on a Page"), "the title is set: {info}");
    assert!(info.contains("Author:          Coventry Community Safety Partnership"));
    let fonts = pdf_tool("pdffonts", &out.bytes);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.split_whitespace().rev().nth(4) == Some("yes")), "every font embedded:\n{fonts}");
    let text = pdf_text(&out.bytes);
    let plan = s.plan_summary(today()).unwrap();
    for t in &plan.themes {
        let first_words: String = t.title.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
        assert!(text.contains(&first_words), "theme {} is on the page:\n{text}", t.number);
        for p in &t.priorities {
            assert!(text.contains(&p.reference), "priority {}", p.reference);
        }
    }
    for p in &plan.partners {
        assert!(text.contains(&format!("({})", p.short_name)), "partner {}", p.short_name);
    }
    assert!(text.contains("1 April 2025 – 31 March 2028"), "the en dash survives");
    assert!(text.contains("Victim") && text.contains("Location") && text.contains("Offender"));
    for word in ["Red", "Amber", "Green", "Complete", "Not started"] {
        assert!(text.contains(word), "the status legend has {word}");
    }
    let a3 = plan_on_a_page(&s, PopOptions::new(Paper::A3), today()).unwrap();
    assert!(pdf_tool("pdfinfo", &a3.bytes).contains("1190.55 x 841.89"));
}

#[test]
fn nothing_is_drawn_outside_the_printable_box_even_with_hostile_text() {
    let (_d, mut s) = demo_store();
    add(&mut s, "1.1", &"x".repeat(500));
    add(&mut s, "2.1", "<script>alert(1)</script> '; DROP TABLE action; -- 🦀 中文 ✓");
    add(&mut s, "3.1", &"Antidisestablishmentarianism ".repeat(16));
    let fonts = Fonts::load().unwrap();
    let data = PopData::load(&s, None, true, today()).unwrap();
    for paper in [Paper::A4, Paper::A3] {
        let doc = ccsp_docs::plan_on_a_page::layout(&fonts, &data.input(None), paper);
        assert_eq!(doc.pages.len(), 1);
        let outside = outside_printable(&fonts, &doc.pages[0], paper.margin());
        assert!(outside.is_empty(), "{paper:?}: drawn outside the printable box:\n{}", outside.join("\n"));
        assert!(doc.warnings.iter().any(|w| w.contains("U+1F980")), "the missing crab glyph is reported: {:?}", doc.warnings);
        let text = pdf_text(&ccsp_docs::pdf::render(&doc, &fonts).unwrap());
        assert!(text.contains("<script>alert(1)</script>"), "markup is printed as text");
        assert!(text.contains('✓'), "the tick comes from the fallback font");
    }
}

#[test]
fn a_plan_too_big_for_one_page_shrinks_then_says_what_was_left_out() {
    let (_d, mut s) = demo_store();
    for i in 0..240 {
        let pr = ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"][i % 8];
        add(&mut s, pr, &format!("Commitment number {i} with a title long enough to wrap onto a second line of its column"));
    }
    let fonts = Fonts::load().unwrap();
    let doc = ccsp_docs::plan_on_a_page::layout(&fonts, &PopData::load(&s, None, true, today()).unwrap().input(None), Paper::A4);
    assert_eq!(doc.pages.len(), 1, "always exactly one page");
    assert!(outside_printable(&fonts, &doc.pages[0], Paper::A4.margin()).is_empty());
    let w = doc.warnings.iter().find(|w| w.contains("left out")).expect("a warning lists what did not fit");
    // The warning names the first ten and counts the rest, rather than a wall of 200 titles.
    let left_out: usize = w.split(" item(s) were left out").next().and_then(|h| h.rsplit(' ').next()).and_then(|n| n.parse().ok()).expect(w);
    assert!(left_out > 10, "{w}");
    assert_eq!(w.matches("Commitment number").count(), 10, "{w}");
    assert!(w.ends_with(&format!("; and {} more (all are in the action tracker)", left_out - 10)), "{w}");
    // Every priority is still there; the smallest text is still legible.
    let text = pdf_text(&ccsp_docs::pdf::render(&doc, &fonts).unwrap());
    for p in ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"] {
        assert!(text.contains(p), "priority {p} kept");
    }
    let smallest = doc.pages[0]
        .items
        .iter()
        .filter(|i| !i.mark.is_artifact())
        .filter_map(|i| match &i.kind {
            ccsp_docs::layout::Kind::Text { size, .. } => Some(*size),
            _ => None,
        })
        .fold(f32::MAX, f32::min);
    assert!(smallest >= ccsp_docs::plan_on_a_page::MIN_SMALL, "smallest text {smallest} pt");
}

#[test]
fn the_quarterly_report_holds_every_action_every_exception_and_page_x_of_y() {
    let (_d, mut s) = demo_store();
    // A long tracker, hostile text, and a commentary of 100 KB, to split rows across pages.
    for i in 0..60 {
        add(&mut s, ["1.1", "2.1", "3.1"][i % 3], &format!("Extra action {i} <b>not bold</b> £1,234.56 – en dash"));
    }
    let q = ccsp_core::domain::Quarter::parse("2026-27-Q2").unwrap();
    let refs: Vec<String> = s.list_actions().unwrap().into_iter().map(|a| a.reference).collect();
    let huge = "Long commentary. ".repeat(6_000);
    let input = ccsp_core::store::SetUpdate {
        action: refs[0].clone(),
        quarter: Some(q),
        rag: Some(ccsp_core::domain::Rag::Red),
        commentary: huge[..100_000].to_string(),
        next_steps: "Escalate.".into(),
        reported_by: None,
    };
    s.set_update(&Ctx::new("Docs test", today()), &input, ccsp_core::store::UpdateMode::Strict).unwrap();
    let out = ccsp_docs::quarterly(&s, q, today()).unwrap();
    assert!(out.pages > 3, "{} pages", out.pages);
    let text = pdf_text(&out.bytes);
    let info = pdf_tool("pdfinfo", &out.bytes);
    assert!(info.contains(&format!("Pages:           {}", out.pages)) && info.contains("595.28 x 841.89"), "{info}");
    for p in 1..=out.pages {
        assert!(text.contains(&format!("Page {p} of {}", out.pages)), "page {p} has its footer");
    }
    let sheet = s.update_sheet(q, today()).unwrap();
    for r in &sheet.rows {
        assert!(text.contains(&r.reference), "the tracker lists {}", r.reference);
    }
    let dash = s.dashboard(q, today()).unwrap();
    assert!(!dash.off_track.is_empty());
    let exceptions = text.split("3. Action tracker").next().unwrap();
    for o in &dash.off_track {
        assert!(exceptions.contains(&o.reference), "exception {} is listed before the tracker", o.reference);
    }
    for t in s.plan_summary(today()).unwrap().themes {
        assert!(text.contains(&format!("Theme {}", t.number)));
    }
    assert!(text.contains("£1,234.56 – en dash") && text.contains("<b>not bold</b>"), "money, dashes and markup print as typed");
    assert!(text.contains("Red") && text.contains("Not started"), "the status key");
    let fonts = Fonts::load().unwrap();
    let data = ccsp_docs::quarterly::Data::load(&s, q, today()).unwrap();
    let doc = ccsp_docs::quarterly::layout(&fonts, &data);
    for (i, page) in doc.pages.iter().enumerate() {
        let outside = outside_printable(&fonts, page, ccsp_docs::flow::MARGIN);
        assert!(outside.is_empty(), "page {}: {}", i + 1, outside.join("\n"));
    }
}

#[test]
fn the_council_report_follows_the_council_format_with_its_appendices_and_the_coordinators_text() {
    let (_d, mut s) = demo_store();
    let year = ccsp_core::domain::FinancialYear::parse("2025-26").unwrap();
    let ctx = Ctx::new("Docs test", today());
    s.set_narrative(&ctx, year, "context", "First paragraph of our own context.\n\nSecond paragraph – with £153,000.00.").unwrap();
    assert!(s.set_narrative(&ctx, year, "nonsense", "x").is_err(), "only the report's sections");
    let out = ccsp_docs::council_report(&s, year, today()).unwrap();
    let text = pdf_text(&out.bytes);
    for want in [
        "Is this a key decision?",
        "Executive summary",
        "Recommendations",
        "List of Appendices included",
        "Background papers",
        "Has it or will it be considered by Scrutiny?",
        "Will this report go to Council?",
        "1. Context (or background)",
        "2. Options considered",
        "6.1. Financial implications",
        "6.2. Legal implications",
        "7. Other implications",
        "Report author(s)",
        "CCTV and Community Safety Manager",
        "Appendix 2 – Action tracker",
        "Plan on a Page",
    ] {
        assert!(text.contains(want), "the report has {want:?}");
    }
    assert!(
        text.contains("1.1.")
            && text.contains("First paragraph of our own context.")
            && text.contains("1.2.")
            && text.contains("Second paragraph – with £153,000.00."),
        "numbered paragraphs from the stored text"
    );
    for a in s.list_actions().unwrap() {
        assert!(text.contains(&a.reference), "the tracker lists {}", a.reference);
    }
    assert!(
        out.warnings.iter().any(|w| w.contains("print a draft generated from the data") && w.contains("Executive summary") && !w.contains("1. Context")),
        "{:?}",
        out.warnings
    );
    let info = pdf_tool("pdfinfo", &out.bytes);
    assert!(info.contains(&format!("Pages:           {}", out.pages)));
    let fonts = Fonts::load().unwrap();
    let doc = ccsp_docs::council::layout(&fonts, &ccsp_docs::council::Data::load(&s, year, today()).unwrap());
    // The outline (bookmarks) lists the sections in order, the appendix at its landscape page.
    let titles: Vec<&str> = doc.outline.iter().map(|b| b.title.as_str()).collect();
    let at = |t: &str| titles.iter().position(|x| x.starts_with(t)).unwrap_or_else(|| panic!("{t:?} in the outline {titles:?}"));
    assert!(
        at("1. Context") < at("2. Options")
            && at("2. Options") < at("Report author(s)")
            && at("Report author(s)") < at("Appendix 1 – Plan on a Page")
            && at("Appendix 1") < at("Appendix 2 – Action tracker"),
        "{titles:?}"
    );
    let pop_page = &doc.pages[doc.outline[at("Appendix 1")].page];
    assert!(pop_page.width > pop_page.height, "the appendix bookmark opens the landscape page");
    let appendix = doc.pages.iter().find(|p| p.width > p.height).expect("the Plan on a Page appendix is landscape");
    let first_text = appendix.items.iter().find_map(|it| match &it.kind {
        ccsp_docs::layout::Kind::Text { text, .. } => Some((it.mark, text.as_str())),
        _ => None,
    });
    let (mark, text) = first_text.expect("the appendix page has text");
    let Mark::Content(node) = mark else { panic!("the caption is content") };
    assert_eq!((&doc.tree.nodes[node].tag, text), (&Tag::H(2), "Appendix 1 – Plan on a Page"), "the appendix page is captioned first, as a heading");
    for (i, page) in doc.pages.iter().enumerate() {
        assert!(page.items.iter().any(|it| !it.mark.is_artifact()), "page {} is not empty", i + 1);
        let margin = if page.width > page.height { Paper::A4.margin() } else { ccsp_docs::flow::MARGIN };
        assert!(outside_printable(&fonts, page, margin).is_empty(), "page {}", i + 1);
    }
}
