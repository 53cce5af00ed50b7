//! The Plan on a Page as a board reads it: the quarter its status is as at, each priority's
//! status by the rule in its key (worked out here again from the quarters' updates, not from
//! the page's own code), its measures of success, the public version without status, and at
//! the sizes users reach — the demo store, 500 actions, a plan spread over every priority with
//! many indicators — one page, every priority with actions showing a commitment or its count,
//! every themed indicator's name (or the count of those left out), nothing drawn over
//! anything, and no empty band taller than a fifth of the page.

use std::collections::HashMap;

use ccsp_core::domain::{Indicator, Lifecycle, Polarity, Quarter, Rag};
use ccsp_core::store::{NewAction, SetUpdate, UpdateMode};
use ccsp_core::{Ctx, Store};
use ccsp_docs::layout::{collisions, outside_printable, Document, Kind, Mark, Tag};
use ccsp_docs::{pdf::Fonts, plan_on_a_page, Paper, PopData};
use chrono::NaiveDate;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn ctx() -> Ctx {
    Ctx::new("PoP test", today())
}

fn demo_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    ccsp_core::demo::add_demo(&mut s, &ctx()).unwrap();
    (dir, s)
}

fn lay_out(s: &Store, as_at: Option<Quarter>, status: bool, paper: Paper) -> (Document, Fonts) {
    let fonts = Fonts::load().unwrap();
    let data = PopData::load(s, as_at, status, today()).unwrap();
    let doc = plan_on_a_page::layout(&fonts, &data.input(None), paper);
    (doc, fonts)
}

/// Each structure element's text (its items' text joined in drawing order), in tree order.
fn node_texts(doc: &Document) -> Vec<(Tag, String)> {
    let mut texts: Vec<String> = vec![String::new(); doc.tree.nodes.len()];
    for it in &doc.pages[0].items {
        if let (Mark::Content(n), Kind::Text { text, .. }) = (it.mark, &it.kind) {
            texts[n].push_str(text);
            texts[n].push(' ');
        }
    }
    doc.tree.nodes.iter().zip(texts).map(|(n, t)| (n.tag.clone(), t.split_whitespace().collect::<Vec<_>>().join(" "))).collect()
}

fn page_text(doc: &Document) -> String {
    node_texts(doc).into_iter().map(|(_, t)| t).collect::<Vec<_>>().join(" ")
}

/// The rule, worked out again: each action's latest update up to `q` (from each quarter's
/// updates), then per priority the worst of Red, Amber, No return, Green, Complete.
fn expected_status(s: &Store, q: Quarter) -> HashMap<String, &'static str> {
    let plan = s.plan().unwrap();
    let mut latest: HashMap<String, (Option<Rag>, bool)> = HashMap::new();
    for tq in plan.quarters().into_iter().filter(|x| *x <= q) {
        for u in s.updates_for(tq).unwrap() {
            latest.insert(u.action.clone(), (u.rag, u.draft));
        }
    }
    let mut worst: HashMap<String, (u8, &'static str)> = HashMap::new();
    for a in s.list_actions().unwrap() {
        let part = match (a.lifecycle, latest.get(&a.reference)) {
            (Lifecycle::Cancelled, _) | (Lifecycle::NotStarted, None) => None,
            (_, Some((Some(Rag::NotStarted), false))) => None,
            (_, Some((Some(Rag::Red), false))) => Some((0, "Red")),
            (_, Some((Some(Rag::Amber), false))) => Some((1, "Amber")),
            (_, Some((Some(Rag::Green), false))) => Some((3, "Green")),
            (_, Some((Some(Rag::Complete), false))) => Some((4, "Complete")),
            (_, Some(_)) => Some((2, "No return")),
            (Lifecycle::Complete, None) => Some((4, "Complete")),
            (_, None) => Some((2, "No return")),
        };
        if let Some(p) = part {
            let e = worst.entry(a.priority.clone()).or_insert(p);
            if p.0 < e.0 {
                *e = p;
            }
        }
    }
    worst.into_iter().map(|(k, (_, w))| (k, w)).collect()
}

/// The status word drawn for each priority: the paragraph right after its heading, when it
/// is a status.
fn drawn_status(doc: &Document) -> HashMap<String, String> {
    let nodes = node_texts(doc);
    let mut out = HashMap::new();
    for (i, (tag, text)) in nodes.iter().enumerate() {
        if matches!(tag, Tag::H(3)) {
            if let (Some(reference), Some((Tag::P, next))) = (text.split_whitespace().next(), nodes.get(i + 1)) {
                if reference.chars().next().is_some_and(|c| c.is_ascii_digit()) && ["Red", "Amber", "No return", "Green", "Complete"].contains(&next.as_str()) {
                    out.insert(reference.to_string(), next.clone());
                }
            }
        }
    }
    out
}

#[test]
fn the_demo_plan_on_a_page_shows_the_reporting_quarter_and_each_prioritys_status_by_the_rule() {
    let (_d, s) = demo_store();
    let q = s.reporting_quarter(today()).unwrap().unwrap();
    let (doc, _) = lay_out(&s, None, true, Paper::A4);
    let text = page_text(&doc);
    assert!(text.contains(&format!("Status at {q}")), "the reporting quarter is on the page: {text}");
    let want = expected_status(&s, q);
    assert!(!want.is_empty());
    assert_eq!(drawn_status(&doc), want.iter().map(|(k, v)| (k.clone(), v.to_string())).collect::<HashMap<_, _>>());
    assert!(text.contains(ccsp_core::domain::PriorityStatus::RULE), "the rule is in the key");
    for word in ["Status key:", "Red", "Amber", "Green", "Complete", "No return"] {
        assert!(text.contains(word), "the key has {word}");
    }
    // Every themed indicator, with its baseline, latest and target, under its theme.
    let view = s.indicators_view(q, today()).unwrap();
    let themed: Vec<_> = view.indicators.iter().filter(|i| i.theme.is_some()).collect();
    assert!(!themed.is_empty());
    for i in themed {
        assert!(text.contains(&i.name), "the measure {} is on the page", i.name);
    }
    assert!(text.matches(plan_on_a_page::MEASURES).count() >= 1);
}

#[test]
fn the_status_can_be_as_at_an_earlier_quarter() {
    let (_d, s) = demo_store();
    let q = Quarter::parse("2025-26-Q3").unwrap();
    let (doc, _) = lay_out(&s, Some(q), true, Paper::A4);
    assert!(page_text(&doc).contains("Status at 2025/26 Q3"));
    let want = expected_status(&s, q);
    assert_eq!(drawn_status(&doc), want.iter().map(|(k, v)| (k.clone(), v.to_string())).collect::<HashMap<_, _>>());
    let outside = PopData::load(&s, Some(Quarter::parse("2031-32-Q1").unwrap()), true, today());
    assert!(outside.is_err(), "a quarter outside the plan is refused");
}

#[test]
fn the_public_version_has_no_status_and_no_key() {
    let (_d, s) = demo_store();
    let (doc, _) = lay_out(&s, None, false, Paper::A4);
    let text = page_text(&doc);
    assert!(drawn_status(&doc).is_empty(), "no priority carries a status");
    for gone in ["Status at", "Status key:", "No return", "Amber", ccsp_core::domain::PriorityStatus::RULE] {
        assert!(!text.contains(gone), "the public version does not say {gone:?}");
    }
    assert!(text.contains("Figures to"), "it still says what the figures are to");
    assert!(text.contains(plan_on_a_page::MEASURES));
}

#[test]
fn a_themes_outcome_shows_under_its_heading_once_set_and_nothing_while_empty() {
    let (_d, mut s) = demo_store();
    assert!(!page_text(&lay_out(&s, None, true, Paper::A4).0).contains("Outcome:"));
    s.set_theme_outcome(&ctx(), 2, "Residents feel safe in their neighbourhoods, day and night").unwrap();
    let text = page_text(&lay_out(&s, None, true, Paper::A4).0);
    assert!(text.contains("Outcome: Residents feel safe in their neighbourhoods, day and night"), "{text}");
    assert!(s.set_theme_outcome(&ctx(), 9, "x").is_err(), "an unknown theme is refused");
    let record = s.record().unwrap();
    assert!(record.themes.iter().any(|t| t.number == 2 && t.outcome.starts_with("Residents feel safe")), "the outcome is in the exported record");
}

/// 500 actions over the seed's priorities, three in four with an update for the quarter.
fn store_500() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut s = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    let refs: Vec<String> = s.plan_summary(today()).unwrap().themes.iter().flat_map(|t| t.priorities.iter().map(|p| p.reference.clone())).collect();
    let q = Quarter::parse("2026-27-Q2").unwrap();
    for i in 0..500 {
        let new = NewAction {
            priority: refs[i % refs.len()].clone(),
            title: format!("Partnership commitment {i}: joint activity in hotspot {} with partners", i % 37),
            lead: "WMP".into(),
            ..Default::default()
        };
        let r = s.add_action(&ctx(), &new).unwrap();
        if i % 4 != 0 {
            let rag = [Rag::Green, Rag::Amber, Rag::Red][i % 3];
            let u = SetUpdate {
                action: r,
                quarter: Some(q),
                rag: Some(rag),
                commentary: "As planned.".into(),
                next_steps: "To the CCSP.".into(),
                ..Default::default()
            };
            s.set_update(&ctx(), &u, UpdateMode::Strict).unwrap();
        }
    }
    (dir, s)
}

/// One or two actions under every priority, and eight indicators under every theme.
fn store_every_priority() -> (tempfile::TempDir, Store) {
    let (dir, mut s) = demo_store();
    let plan = s.plan_summary(today()).unwrap();
    for t in &plan.themes {
        for (k, p) in t.priorities.iter().enumerate() {
            for j in 0..1 + k % 2 {
                let new = NewAction {
                    priority: p.reference.clone(),
                    title: format!("Extra commitment {j} for {}", p.reference),
                    lead: "CCC".into(),
                    ..Default::default()
                };
                s.add_action(&ctx(), &new).unwrap();
            }
        }
        for j in 0..8 {
            let ind = Indicator {
                code: format!("T{}-M{j}", t.number),
                name: format!("Theme {} measure number {j} with a long descriptive name", t.number),
                theme: Some(t.number),
                unit: if j % 2 == 0 { "%".into() } else { "offences".into() },
                polarity: Polarity::LowerIsBetter,
                baseline_value: Some(1000.0 + j as f64),
                baseline_period: "2024/25".into(),
                target_value: Some(900.0),
                source: "Test".into(),
                position: 100 + j as i64,
            };
            s.add_indicator(&ctx(), &ind).unwrap();
        }
    }
    (dir, s)
}

/// The tallest stretch between the first theme heading and the partners line with no text
/// in it across the whole page.
fn widest_empty_band(doc: &Document, fonts: &Fonts) -> f32 {
    let page = &doc.pages[0];
    let texts: Vec<(f32, f32, &str)> = page
        .items
        .iter()
        .filter_map(|it| match &it.kind {
            Kind::Text { text, .. } => {
                let (_, t, _, b) = it.bounds(fonts);
                Some((t, b, text.as_str()))
            }
            _ => None,
        })
        .collect();
    let start = texts.iter().find(|t| t.2.starts_with("Theme ")).map(|t| t.0).expect("a theme heading");
    let end = texts.iter().find(|t| t.2.starts_with("Delivered in")).map(|t| t.0).expect("the partners line");
    let mut spans: Vec<(f32, f32)> = texts.iter().map(|t| (t.0, t.1)).filter(|(t, b)| *b > start && *t < end).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut reach, mut widest) = (start, 0.0f32);
    for (t, b) in spans {
        widest = widest.max(t - reach);
        reach = reach.max(b);
    }
    widest.max(end - reach)
}

fn check_at_size(name: &str, s: &Store) {
    let actions = s.list_actions().unwrap();
    let q = s.reporting_quarter(today()).unwrap().unwrap();
    let indicators = s.indicators_view(q, today()).unwrap().indicators;
    for paper in [Paper::A4, Paper::A3] {
        let (doc, fonts) = lay_out(s, None, true, paper);
        let what = format!("{name}, {paper:?}");
        assert_eq!(doc.pages.len(), 1, "{what}: one page");
        let page = &doc.pages[0];
        let outside = outside_printable(&fonts, page, paper.margin());
        assert!(outside.is_empty(), "{what}: drawn outside the printable box: {outside:?}");
        let over = collisions(&fonts, page);
        assert!(over.is_empty(), "{what}: overlaps:\n{}", over.join("\n"));
        let band = widest_empty_band(&doc, &fonts);
        assert!(band <= page.height / 5.0, "{what}: an empty band {band:.0} pt tall (a fifth of the page is {:.0})", page.height / 5.0);
        // Every priority with actions shows a commitment, or says how many it has.
        let nodes = node_texts(&doc);
        for p in s.plan_summary(today()).unwrap().themes.iter().flat_map(|t| t.priorities.clone()) {
            let live: Vec<_> = actions.iter().filter(|a| a.priority == p.reference && a.lifecycle != Lifecycle::Cancelled).collect();
            if live.is_empty() {
                continue;
            }
            let at = nodes
                .iter()
                .position(|(t, x)| matches!(t, Tag::H(3)) && x.starts_with(&format!("{} ", p.reference)))
                .unwrap_or_else(|| panic!("{what}: priority {} is on the page", p.reference));
            let rest: Vec<&(Tag, String)> = nodes[at + 1..].iter().take_while(|(t, _)| !matches!(t, Tag::H(_))).collect();
            let shown = live.iter().filter(|a| rest.iter().any(|(_, x)| x == &a.title)).count();
            // A line that is not "+ N more" is not a count.
            let count = |x: &str| x.strip_prefix("+ ").and_then(|m| m.strip_suffix(" more")).and_then(|n| n.parse::<usize>().ok());
            // No "+ N more" line under the priority means none are left out.
            let more = rest.iter().find_map(|(_, x)| count(x)).unwrap_or(0);
            assert!(shown >= 1 || more >= 1, "{what}: priority {} shows a commitment or its count", p.reference);
            assert_eq!(shown + more, live.len(), "{what}: priority {}: {shown} shown + {more} more", p.reference);
        }
        // Each theme's text: from its heading to the next theme's (or the partners).
        let mut by_theme: HashMap<u32, String> = HashMap::new();
        let mut current = None;
        for (tag, x) in &nodes {
            if matches!(tag, Tag::H(2)) {
                // A level-2 heading that is not "Theme N" (the partners) ends the themes.
                current = x.strip_prefix("Theme ").and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse::<u32>().ok());
            }
            if let Some(n) = current {
                let e = by_theme.entry(n).or_default();
                e.push_str(x);
                e.push(' ');
            }
        }
        for t in s.plan_summary(today()).unwrap().themes {
            let mine: Vec<_> = indicators.iter().filter(|i| i.theme == Some(t.number)).collect();
            let text = &by_theme[&t.number];
            let shown = mine.iter().filter(|i| text.contains(&i.name)).count();
            // No "+ N more measures" line means every indicator is named.
            let more = (1..=mine.len()).rev().find(|n| text.contains(&format!("+ {n} more measure"))).unwrap_or(0);
            assert_eq!(shown + more, mine.len(), "{what}: theme {}: every indicator's name on the page, or counted", t.number);
        }
    }
}

#[test]
fn at_500_actions_the_page_keeps_every_priority_with_its_most_important_commitments_and_nothing_overlaps() {
    let (_d, s) = store_500();
    check_at_size("500 actions", &s);
    // At this size a priority keeps its Red commitments first.
    let (doc, _) = lay_out(&s, None, true, Paper::A4);
    let text = page_text(&doc);
    assert!(text.contains(" more"), "commitments are counted rather than listed");
    let q = Quarter::parse("2026-27-Q2").unwrap();
    let reds: Vec<String> = s.updates_for(q).unwrap().into_iter().filter(|u| u.rag == Some(Rag::Red)).map(|u| u.action).collect();
    let actions = s.list_actions().unwrap();
    let mut kept_any = false;
    for p in s.priority_refs().unwrap() {
        let mine: Vec<_> = actions.iter().filter(|a| a.priority == p).collect();
        let shown: Vec<_> = mine.iter().filter(|a| text.contains(&format!("{} ", a.title))).collect();
        let red_here = mine.iter().filter(|a| reds.contains(&a.reference)).count();
        let shown_red = shown.iter().filter(|a| reds.contains(&a.reference)).count();
        kept_any |= !shown.is_empty();
        assert_eq!(shown_red, red_here.min(shown.len()), "priority {p}: its Red commitments are kept first ({} shown)", shown.len());
    }
    assert!(kept_any);
}

#[test]
fn the_demo_and_a_plan_over_every_priority_with_many_measures_fill_one_page_without_overlap() {
    let (_d, s) = demo_store();
    check_at_size("demo", &s);
    let (_d2, s2) = store_every_priority();
    check_at_size("every priority", &s2);
}
