//! The Plan on a Page: always exactly one page (A4 landscape, or A3). Partnership and plan
//! title, the quarter its status is as at, vision, the Victim / Location / Offender model, one
//! column per theme — its outcome, delivery groups, its priorities as cards with their status
//! and key commitments, and "How we will measure success" (its indicators) at the foot — then
//! the partners, the statutory basis and the status key with the rule a priority's status
//! follows. The public version (`Input::status` None) has no status and no key.
//!
//! Three steps, in this order: `model` says what the page holds (from the store's plan);
//! `fit` decides what one page can show and returns that as a model too: the largest text
//! size at which every column fits (up to a ceiling, so a small plan fills the page rather
//! than a corner of it), down to the smallest legible size; below that, each column on its
//! own keeps under every priority its most important commitments (Red first, then by due
//! date) and says how many more there are ("+ 14 more"), then its most important measures
//! (off target first). `lay_out` places the fitted model, reading theme by theme, into a page
//! and its structure tree; a column shorter than the tallest spreads its cards down the
//! column, so no band of the page is left empty.

use std::collections::HashMap;

use ccsp_core::domain::indicator::{rag_against_target, trend, Movement};
use ccsp_core::domain::{Direction, LatestStatus, Lens, Lifecycle, PriorityStatus, Quarter, Rag};
use ccsp_core::store::{ref_key, ActionRow, IndicatorRow, PlanSummary};

use crate::layout::{place_lines, wrap, Artifact, Document, Face, Item, Kind, Line, Mark, Metrics, Page, Rgb, Style, Tag, Tree};
use crate::model::BULLET;
use crate::{legend, long_date, status_chip, Paper};

/// Body text never goes below this size (points): smaller is not legible on a printed A4.
pub const MIN_BODY: f32 = 6.5;
/// Secondary text (lenses, delivery groups, the statutory basis) never goes below this.
pub const MIN_SMALL: f32 = 6.0;
const BODY: f32 = 9.0;
/// A column gives up measures below this many only once its priorities show no commitment.
const MEASURES_KEPT: usize = 3;
/// The largest size on A4, against `BODY`: a small plan fills the page up to here.
const MAX_SCALE_A4: f32 = 1.3;

pub const VISION: &str = "Our vision";
pub const MEASURES: &str = "How we will measure success";
pub const PARTNERS: &str = "Delivered in partnership by";
/// The measures table's column headings (the second is the baseline's).
pub const MEASURE_COLUMNS: [&str; 4] = ["Measure", "Baseline", "Latest", "Target"];
/// What the No return chip means, in the key.
pub const NO_RETURN_MEANING: &str = "a return is incomplete or missing";

/// What the page is made from.
pub struct Input<'a> {
    pub plan: &'a PlanSummary,
    pub actions: &'a [ActionRow],
    pub indicators: &'a [IndicatorRow],
    /// The quarter its status and figures are as at (None: the plan has no quarter yet).
    pub as_at: Option<Quarter>,
    /// Each action's latest update up to `as_at`; None for the public version (no status,
    /// no key).
    pub status: Option<&'a HashMap<String, LatestStatus>>,
    /// "Appendix 1 – Plan on a Page" when the page is an appendix of another paper.
    pub caption: Option<&'a str>,
    pub marking: &'a str,
}

/// What the Plan on a Page says.
#[derive(Debug, Clone, PartialEq)]
pub struct Pop {
    /// "Appendix 1 – Plan on a Page" when the page is an appendix of another paper.
    pub caption: Option<String>,
    pub partnership: String,
    pub period: String,
    /// "Status at 2026/27 Q2" ("Figures to 2026/27 Q2" in the public version).
    pub as_at: Option<String>,
    pub vision: String,
    /// The Victim / Location / Offender model: each lens and what it looks at.
    pub lenses: Vec<(String, String)>,
    pub themes: Vec<PopTheme>,
    /// Said on the page when whole priorities are left out for lack of space (set by `fit`).
    pub note: Option<String>,
    pub partners: String,
    pub statutory: String,
    /// The status key, with the rule a priority's status follows (not in the public version).
    pub key: bool,
    pub marking: String,
    pub title: String,
    pub subject: String,
    /// The size it is drawn at, against the full size (set by `fit`; the Word copy uses it).
    pub scale: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PopTheme {
    /// "Theme 1".
    pub number: String,
    pub title: String,
    /// "Outcome: …", when the theme has one.
    pub outcome: Option<String>,
    /// "Delivered through: …", when the theme names its groups.
    pub groups: Option<String>,
    pub priorities: Vec<PopPriority>,
    /// Its indicators, in the plan's order.
    pub measures: Vec<PopMeasure>,
    /// The measures' indices, most important first (off target first).
    pub measure_order: Vec<usize>,
    /// How many measures are left out for lack of space (set by `fit`).
    pub measures_more: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PopPriority {
    pub heading: String,
    /// "Lenses: Victim · Offender", when it has any.
    pub lenses: Option<String>,
    /// Its status as at the quarter (None: no action counts, or the public version).
    pub status: Option<PriorityStatus>,
    /// Its commitments: the titles of its actions (not cancelled), in ref order.
    pub commitments: Vec<String>,
    /// "1.2.3 title" for each commitment, to name what `fit` leaves out.
    pub refs: Vec<String>,
    /// The commitments' indices, most important first (Red first, then by due date).
    pub order: Vec<usize>,
    /// How many commitments are left out for lack of space (set by `fit`): "+ N more".
    pub more: usize,
}

/// One row of "How we will measure success".
#[derive(Debug, Clone, PartialEq)]
pub struct PopMeasure {
    /// The indicator's name, with its unit when the figures do not carry it.
    pub name: String,
    pub baseline: String,
    /// The latest figure up to the quarter with its movement's arrow ("2,010 ▼"), or "—".
    pub latest: String,
    pub direction: Option<Direction>,
    pub target: String,
    pub off_target: bool,
}

fn lens_label(l: Lens) -> &'static str {
    match l {
        Lens::Victim => "Victim",
        Lens::Location => "Location",
        Lens::Offender => "Offender",
    }
}

/// "2,140", "33%", "4.5": a figure as the measures table shows it (the unit is in the
/// measure's name unless it is a percentage).
pub fn figure(v: f64, unit: &str) -> String {
    let digits = if v.fract().abs() < 1e-9 { format!("{:.0}", v.abs()) } else { format!("{:.1}", v.abs()) };
    let (int, frac) = digits.split_once('.').map_or((digits.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let n = format!("{sign}{grouped}{}", frac.map(|f| format!(".{f}")).unwrap_or_default()); // a whole number has no fraction
    if is_percent(unit) {
        format!("{n}%")
    } else {
        n
    }
}

fn is_percent(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "percent")
}

fn arrow(m: Movement) -> &'static str {
    match m {
        Movement::Up => "▲",
        Movement::Down => "▼",
        Movement::Level => "►",
    }
}

/// An indicator as a row of the measures table, as at quarter `q`: the latest figure is the
/// last one entered up to `q`, its arrow the movement from the one before.
fn measure(i: &IndicatorRow, q: Option<Quarter>) -> PopMeasure {
    let upto: Vec<f64> = i.values.iter().filter(|v| q.is_some_and(|q| v.quarter.as_str() <= q.code().as_str())).map(|v| v.value).collect();
    let latest = upto.last().copied();
    let previous = upto.len().checked_sub(2).map(|k| upto[k]);
    let t = trend(i.polarity, i.context_only, previous, latest);
    let rag = rag_against_target(i.polarity, i.baseline_value, i.target_value, latest);
    let unit = i.unit.trim();
    PopMeasure {
        name: if unit.is_empty() || is_percent(unit) { i.name.clone() } else { format!("{} ({unit})", i.name) },
        baseline: i.baseline_value.map_or_else(|| "—".into(), |v| figure(v, unit)),
        latest: match (latest, t) {
            (Some(v), Some(t)) => format!("{} {}", figure(v, unit), arrow(t.movement)),
            (Some(v), None) => figure(v, unit),
            (None, _) => "—".into(),
        },
        direction: t.and_then(|t| t.direction),
        target: i.target_value.map_or_else(|| "—".into(), |v| figure(v, unit)),
        off_target: matches!(rag, Some(Rag::Red | Rag::Amber)),
    }
}

/// The quarter's end for an action's due date (its date, else its due quarter's end).
fn due(a: &ActionRow) -> Option<String> {
    // A due quarter that does not parse (the store checks it on write) sorts as undated.
    a.due_date.clone().or_else(|| a.due_quarter.as_deref().and_then(|q| Quarter::parse(q).ok()).map(|q| q.end().to_string()))
}

/// The Plan on a Page's content, from the plan, its actions and indicators.
pub fn model(input: &Input) -> Pop {
    let latest = |a: &ActionRow| input.status.and_then(|s| s.get(&a.reference).copied());
    let themes = input
        .plan
        .themes
        .iter()
        .map(|theme| {
            let priorities = theme
                .priorities
                .iter()
                .map(|p| {
                    let mine: Vec<&ActionRow> = input.actions.iter().filter(|a| a.priority == p.reference).collect();
                    let live: Vec<&ActionRow> = mine.iter().copied().filter(|a| a.lifecycle != Lifecycle::Cancelled).collect();
                    let lenses: Vec<&str> = p.lenses.iter().map(|l| lens_label(*l)).collect();
                    let status = input.status.and_then(|_| PriorityStatus::of(mine.iter().map(|a| (a.lifecycle, latest(a)))));
                    let mut order: Vec<usize> = (0..live.len()).collect();
                    let red = |a: &ActionRow| PriorityStatus::of_action(a.lifecycle, latest(a)) == Some(PriorityStatus::Rag(Rag::Red));
                    order.sort_by_key(|&k| (!red(live[k]), due(live[k]).is_none(), due(live[k]), ref_key(&live[k].reference)));
                    PopPriority {
                        heading: format!("{}  {}", p.reference, p.title),
                        lenses: (!lenses.is_empty()).then(|| format!("Lenses: {}", lenses.join(" · "))),
                        status,
                        commitments: live.iter().map(|a| a.title.clone()).collect(),
                        refs: live.iter().map(|a| format!("{} {}", a.reference, a.title)).collect(),
                        order,
                        more: 0,
                    }
                })
                .collect();
            let measures: Vec<PopMeasure> = input.indicators.iter().filter(|i| i.theme == Some(theme.number)).map(|i| measure(i, input.as_at)).collect();
            let mut measure_order: Vec<usize> = (0..measures.len()).collect();
            measure_order.sort_by_key(|&k| !measures[k].off_target);
            PopTheme {
                number: format!("Theme {}", theme.number),
                title: theme.title.clone(),
                outcome: (!theme.outcome.trim().is_empty()).then(|| format!("Outcome: {}", theme.outcome.trim())),
                groups: (!theme.delivery_groups.is_empty()).then(|| format!("Delivered through: {}", theme.delivery_groups.join("; "))),
                priorities,
                measures,
                measure_order,
                measures_more: 0,
            }
        })
        .collect();
    let plan = input.plan;
    let partners: Vec<String> = plan.partners.iter().map(|p| format!("{} ({})", p.name, p.short_name)).collect();
    Pop {
        caption: input.caption.map(str::to_string),
        partnership: plan.plan.partnership.clone(),
        period: format!("Plan on a Page · {} · {} – {}", plan.plan.title, long_date(plan.plan.start_date), long_date(plan.plan.end_date)),
        as_at: input.as_at.map(|q| if input.status.is_some() { format!("Status at {q}") } else { format!("Figures to {q}") }),
        vision: plan.plan.vision.clone(),
        lenses: [
            ("Victim", "who is harmed, and how we protect and support them"),
            ("Location", "where harm happens, and how we make places safer"),
            ("Offender", "who causes harm, and how we prevent it and change behaviour"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect(),
        themes,
        note: None,
        partners: partners.join(" · "),
        statutory: format!("Statutory basis: {}", plan.plan.statutory_basis),
        key: input.status.is_some(),
        marking: input.marking.to_string(),
        title: format!("{} – Plan on a Page", plan.plan.title),
        subject: format!("Plan on a Page, {} to {}", long_date(plan.plan.start_date), long_date(plan.plan.end_date)),
        scale: 1.0,
    }
}

impl PopPriority {
    /// "+ 14 more", when commitments are left out.
    pub fn more_text(&self) -> Option<String> {
        (self.more > 0).then(|| format!("+ {} more", self.more))
    }
}

impl PopTheme {
    /// "+ 2 more measures", when measures are left out.
    pub fn more_text(&self) -> Option<String> {
        (self.measures_more > 0).then(|| format!("+ {} more {}", self.measures_more, if self.measures_more == 1 { "measure" } else { "measures" }))
    }
}

impl Pop {
    /// The page's text in reading order: title, vision, the model, theme by theme (its
    /// priorities, then its measures), then the partners, the statutory basis and the key.
    pub fn text(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.caption.clone());
        out.extend([self.partnership.clone(), self.period.clone()]);
        out.extend(self.as_at.clone());
        out.extend([VISION.to_string(), self.vision.clone()]);
        for (name, what) in &self.lenses {
            out.extend([name.clone(), what.clone()]);
        }
        for t in &self.themes {
            out.extend([t.number.clone(), t.title.clone()]);
            out.extend(t.outcome.clone());
            out.extend(t.groups.clone());
            for p in &t.priorities {
                out.push(p.heading.clone());
                out.extend(p.status.map(|s| s.label().to_string()));
                out.extend(p.lenses.clone());
                for c in &p.commitments {
                    out.extend([BULLET.to_string(), c.clone()]);
                }
                out.extend(p.more_text());
            }
            if !t.measures.is_empty() {
                out.push(MEASURES.to_string());
                out.extend(MEASURE_COLUMNS.iter().map(|c| c.to_string()));
                for r in &t.measures {
                    out.extend([r.name.clone(), r.baseline.clone(), r.latest.clone(), r.target.clone()]);
                }
                out.extend(t.more_text());
            }
        }
        out.extend(self.note.clone());
        out.extend([PARTNERS.to_string(), self.partners.clone(), self.statutory.clone()]);
        if self.key {
            crate::model::key_text(&mut out);
            out.extend([PriorityStatus::NoReturn.label().to_string(), NO_RETURN_MEANING.to_string(), PriorityStatus::RULE.to_string()]);
        }
        out
    }

    /// Heading levels: the page's own (H1 partnership, H2 vision and themes, H3 priorities and
    /// measures), or one lower under an appendix caption (which is the H2 and the partnership
    /// a paragraph).
    fn level(&self, own: u8) -> u8 {
        if self.caption.is_some() {
            own + 1
        } else {
            own
        }
    }
}

/// The themes' colours, in turn (white text on each meets WCAG AA).
const THEME_COLOURS: [Rgb; 3] = [Rgb(0x0b, 0x5c, 0x78), Rgb(0x5b, 0x2a, 0x86), Rgb(0x8c, 0x3a, 0x14)];

fn tint(c: Rgb) -> Rgb {
    let mix = |v: u8| (v as f32 * 0.1 + 255.0 * 0.9).round() as u8;
    Rgb(mix(c.0), mix(c.1), mix(c.2))
}

/// Moves items down by `dy`.
fn shift(items: &mut [Item], dy: f32) {
    for it in items {
        match &mut it.kind {
            Kind::Text { y, .. } => *y += dy,
            Kind::Rect { y, .. } => *y += dy,
            Kind::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
        }
    }
}

/// Adds `sub` under the root of `tree`, renumbering the items' marks that point into it.
fn graft(tree: &mut Tree, sub: Tree, items: &mut [Item]) {
    let offset = tree.graft(Tree::ROOT, sub);
    for it in items {
        if let Mark::Content(n) = it.mark {
            it.mark = Mark::Content(n + offset);
        }
    }
}

/// Lines placed with each line's right edge at `right`.
fn place_right(m: &dyn Metrics, lines: &[Line], st: &Style, right: f32, top: f32, mark: Mark) -> Vec<Item> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        out.extend(place_lines(m, std::slice::from_ref(l), st, right - l.width, top + i as f32 * st.line_height(), mark).0);
    }
    out
}

/// The text styles at scale `s`.
#[derive(Clone, Copy)]
struct Looks {
    s: f32,
    label: Style,
    body: Style,
    small: Style,
}

impl Looks {
    fn at(s: f32) -> Looks {
        Looks {
            s,
            label: Style::new(BODY * s, Face::Bold).color(Rgb::DARK),
            body: Style::new(BODY * s * 0.95, Face::Regular),
            small: Style::new((BODY * s * 0.86).max(MIN_SMALL), Face::Regular).color(Rgb::SECONDARY),
        }
    }
}

/// One theme's column, laid out at the top of the page (its own structure tree, grafted by
/// the caller).
struct Column {
    items: Vec<Item>,
    tree: Tree,
    fits: bool,
    shown: PopTheme,
    /// Commitments and measures left out, and priorities left out whole ("1.2 title").
    omitted: Vec<String>,
    dropped: Vec<String>,
}

/// How a column is laid out: a probe packs it to learn whether it fits; the final layout
/// spreads a short column's cards down it and, at the limits, leaves out whole priorities
/// that still do not fit.
#[derive(Clone, Copy, PartialEq)]
enum Pass {
    Probe,
    Final,
    FinalAtLimits,
}

/// Lays a theme's column out at `x`, `top`, `w` wide and `avail` tall, keeping at most `k`
/// commitments under each priority and `mm` measures (the most important ones). The
/// measures always sit at its foot.
#[allow(clippy::too_many_arguments)]
fn column(
    m: &dyn Metrics,
    pop: &Pop,
    t: &PopTheme,
    colour: Rgb,
    lk: Looks,
    x: f32,
    top: f32,
    w: f32,
    avail: f32,
    k: usize,
    mm: usize,
    pass: Pass,
    missing: &mut Vec<char>,
) -> Column {
    let s = lk.s;
    let mut tree = Tree::default();
    let root = Tree::ROOT;
    let mut omitted = Vec::new();
    let mut shown = PopTheme { priorities: vec![], measures: vec![], measures_more: 0, ..t.clone() };

    // The measures at the foot, first measured (their own tree, grafted after the cards).
    let (mut panel, panel_tree, panel_h) = measures_panel(m, pop, t, colour, lk, x, w, mm, missing, &mut shown, &mut omitted);

    // Heading, outcome, delivery groups.
    let mut items = Vec::new();
    let pad = 6.0 * s;
    let num = Style::new((BODY * s * 0.75).max(MIN_SMALL), Face::Bold).color(Rgb::WHITE);
    let head = Style::new(BODY * s * 1.2, Face::Bold).color(Rgb::WHITE);
    let mut num_lines = wrap(m, &num, &t.number, w - 2.0 * pad, missing);
    // "Theme 1" and the title are one heading: the space between them is read, not drawn.
    if let Some(r) = num_lines.last_mut().and_then(|l| l.runs.last_mut()) {
        r.text.push(' ');
    }
    let head_lines = wrap(m, &head, &t.title, w - 2.0 * pad, missing);
    let head_h = num_lines.len() as f32 * num.line_height() + head_lines.len() as f32 * head.line_height() + 2.0 * pad;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: top, w, h: head_h, fill: Some(colour), stroke: None } });
    let th = tree.add(root, Tag::H(pop.level(2)));
    let (its, used) = place_lines(m, &num_lines, &num, x + pad, top + pad, Mark::Content(th));
    items.extend(its);
    items.extend(place_lines(m, &head_lines, &head, x + pad, top + pad + used, Mark::Content(th)).0);
    let mut cy = top + head_h + 3.0 * s;
    for line in [&t.outcome, &t.groups].into_iter().flatten() {
        let node = tree.add(root, Tag::P);
        let lines = wrap(m, &lk.small, line, w - 4.0 * s, missing);
        let (its, used) = place_lines(m, &lines, &lk.small, x + 2.0 * s, cy, Mark::Content(node));
        items.extend(its);
        cy += used + 2.0 * s;
    }
    cy += 2.0 * s;

    // The cards, each laid out at 0 then moved into place.
    let gap = 5.0 * s;
    let foot = if panel_h > 0.0 { panel_h + gap } else { 0.0 };
    let mut cards: Vec<(Vec<Item>, f32)> = Vec::new();
    let mut dropped = Vec::new();
    let mut used_h = cy - top;
    for p in &t.priorities {
        let mut card_tree = Tree::default();
        let (mut its, h, kept, left_out) = card(m, p, colour, lk, pop.level(3), x, w, k, &mut card_tree, missing);
        if used_h + h + foot > avail + 0.01 && pass == Pass::FinalAtLimits {
            // Even its heading and count do not fit: the page says so below the columns.
            dropped.push(p.heading.replacen("  ", " ", 1));
            continue;
        }
        omitted.extend(left_out);
        graft(&mut tree, card_tree, &mut its);
        used_h += h + gap;
        cards.push((its, h));
        shown.priorities.push(kept);
    }
    let need = used_h + foot;
    let fits = need <= avail + 0.01 && dropped.is_empty();
    // Spread: the room left goes between the cards (and above the measures).
    let extra = if pass != Pass::Probe && fits && !cards.is_empty() { (avail - need).max(0.0) / cards.len() as f32 } else { 0.0 };
    for (mut its, h) in cards {
        shift(&mut its, cy);
        items.extend(its);
        cy += h + gap + extra;
    }
    if panel_h > 0.0 {
        shift(&mut panel, top + avail - panel_h);
        graft(&mut tree, panel_tree, &mut panel);
        items.extend(panel);
    }
    Column { items, tree, fits, shown, omitted, dropped }
}

/// A priority's card at y = 0: heading with its status chip at the right, lenses, its kept
/// commitments (the `k` most important, in ref order) and "+ N more". Returns the items, the
/// height, the priority as shown and the commitments left out.
#[allow(clippy::too_many_arguments)]
fn card(
    m: &dyn Metrics,
    p: &PopPriority,
    colour: Rgb,
    lk: Looks,
    level: u8,
    x: f32,
    w: f32,
    k: usize,
    tree: &mut Tree,
    missing: &mut Vec<char>,
) -> (Vec<Item>, f32, PopPriority, Vec<String>) {
    let s = lk.s;
    let root = Tree::ROOT;
    let (pad, bar) = (5.0 * s, 2.5 * s);
    let (ix, iw) = (x + bar + pad, w - bar - 2.0 * pad);
    let mut items = Vec::new();
    let chip_size = (7.0 * s).max(MIN_SMALL);
    let chip_w = p.status.map_or(0.0, |st| status_chip(m, st, 0.0, 0.0, chip_size, Mark::LAYOUT).1 + 4.0 * s);
    let head_lines = wrap(m, &lk.label, &p.heading, iw - chip_w, missing);
    let ph = tree.add(root, Tag::H(level));
    let (its, mut y) = place_lines(m, &head_lines, &lk.label, ix, pad, Mark::Content(ph));
    items.extend(its);
    if let Some(st) = p.status {
        let node = tree.add(root, Tag::P);
        let (its, cw) = status_chip(m, st, 0.0, pad - 1.0 * s, chip_size, Mark::Content(node));
        let mut its = its;
        for it in &mut its {
            if let Kind::Text { x: tx, .. } | Kind::Rect { x: tx, .. } = &mut it.kind {
                *tx += x + w - pad - cw;
            }
        }
        items.extend(its);
        y = y.max(chip_size * 1.45 - 1.0 * s);
    }
    y += pad;
    if let Some(l) = &p.lenses {
        let node = tree.add(root, Tag::P);
        let (its, used) = place_lines(m, &wrap(m, &lk.small, l, iw, missing), &lk.small, ix, y, Mark::Content(node));
        items.extend(its);
        y += used;
    }
    y += 1.5 * s;
    let mut keep: Vec<usize> = p.order.iter().copied().take(k).collect();
    keep.sort_unstable();
    let list = (!keep.is_empty()).then(|| tree.add(root, Tag::L));
    let indent = 8.0 * s;
    let bullet = Style::new(lk.body.size, Face::Regular).color(colour);
    let mut kept = PopPriority { commitments: vec![], refs: vec![], order: vec![], more: p.commitments.len() - keep.len(), ..p.clone() };
    for (n, &i) in keep.iter().enumerate() {
        let Some(list) = list else { break };
        let li = tree.add(list, Tag::LI);
        let (lbl, lbody) = (tree.add(li, Tag::Lbl), tree.add(li, Tag::LBody));
        items.extend(place_lines(m, &wrap(m, &bullet, BULLET, indent, missing), &bullet, ix, y, Mark::Content(lbl)).0);
        let (its, used) = place_lines(m, &wrap(m, &lk.body, &p.commitments[i], iw - indent, missing), &lk.body, ix + indent, y, Mark::Content(lbody));
        items.extend(its);
        y += used;
        kept.commitments.push(p.commitments[i].clone());
        kept.refs.push(p.refs[i].clone());
        kept.order.push(n);
    }
    if let Some(more) = kept.more_text() {
        let node = tree.add(root, Tag::P);
        let st = Style::new(lk.small.size, Face::Bold).color(Rgb::SECONDARY);
        let (its, used) = place_lines(m, &wrap(m, &st, &more, iw, missing), &st, ix + indent, y, Mark::Content(node));
        items.extend(its);
        y += used;
    }
    let h = y + pad;
    let left_out: Vec<String> = p.order.iter().skip(k).map(|&i| p.refs[i].clone()).collect();
    let mut out = vec![
        Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: 0.0, w, h, fill: Some(tint(colour)), stroke: None } },
        Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: 0.0, w: bar, h, fill: Some(colour), stroke: None } },
    ];
    out.extend(items);
    (out, h, kept, left_out)
}

/// "How we will measure success" at y = 0: a heading bar and a table of the `mm` most
/// important measures (in the plan's order), "+ N more measures" below. Empty when the theme
/// has no indicators.
#[allow(clippy::too_many_arguments)]
fn measures_panel(
    m: &dyn Metrics,
    pop: &Pop,
    t: &PopTheme,
    colour: Rgb,
    lk: Looks,
    x: f32,
    w: f32,
    mm: usize,
    missing: &mut Vec<char>,
    shown: &mut PopTheme,
    omitted: &mut Vec<String>,
) -> (Vec<Item>, Tree, f32) {
    let mut tree = Tree::default();
    if t.measures.is_empty() {
        return (vec![], tree, 0.0);
    }
    let s = lk.s;
    let root = Tree::ROOT;
    let pad = 4.0 * s;
    let mut items = Vec::new();
    let bar = Style::new((BODY * s * 0.8).max(MIN_SMALL), Face::Bold).color(Rgb::WHITE);
    let bar_lines = wrap(m, &bar, MEASURES, w - 2.0 * pad, missing);
    let bar_h = bar_lines.len() as f32 * bar.line_height() + 2.0 * pad;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: 0.0, w, h: bar_h, fill: Some(colour), stroke: None } });
    let h = tree.add(root, Tag::H(pop.level(3)));
    items.extend(place_lines(m, &bar_lines, &bar, x + pad, pad, Mark::Content(h)).0);
    let mut y = bar_h + pad;

    let mut keep: Vec<usize> = t.measure_order.iter().copied().take(mm).collect();
    keep.sort_unstable();
    shown.measures = keep.iter().map(|&i| t.measures[i].clone()).collect();
    shown.measure_order = (0..keep.len()).collect();
    shown.measures_more = t.measures.len() - keep.len();
    omitted.extend((0..t.measures.len()).filter(|i| !keep.contains(i)).map(|i| format!("measure {}", t.measures[i].name)));

    let num_w = (w - 2.0 * pad) * 0.17;
    let name_w = w - 2.0 * pad - 3.0 * num_w;
    let rights = [x + pad + name_w + num_w, x + pad + name_w + 2.0 * num_w, x + w - pad];
    let head = Style::new(lk.small.size, Face::Bold).color(Rgb::SECONDARY);
    let table = tree.add(root, Tag::Table);
    let rule = |items: &mut Vec<Item>, y: f32| {
        items.push(Item { mark: Mark::LAYOUT, kind: Kind::Line { x1: x + pad, y1: y, x2: x + w - pad, y2: y, width: 0.4, color: Rgb::RULE } })
    };
    // A cell: the measure's name from the left, the figures flush right in their columns.
    let cell = |c: usize, lines: &[Line], st: &Style, y: f32, mark: Mark| {
        if c == 0 {
            place_lines(m, lines, st, x + pad, y, mark).0
        } else {
            place_right(m, lines, st, rights[c - 1], y, mark)
        }
    };
    // Header row.
    let tr = tree.add(table, Tag::TR);
    let mut row_h: f32 = 0.0;
    for (c, title) in MEASURE_COLUMNS.iter().enumerate() {
        let th = tree.add(tr, Tag::TH);
        let width = if c == 0 { name_w - 3.0 * s } else { num_w - 3.0 * s };
        let lines = wrap(m, &head, title, width, missing);
        row_h = row_h.max(lines.len() as f32 * head.line_height());
        items.extend(cell(c, &lines, &head, y, Mark::Content(th)));
    }
    y += row_h + 1.5 * s;
    rule(&mut items, y);
    y += 2.0 * s;
    for (n, r) in shown.measures.iter().enumerate() {
        let tr = tree.add(table, Tag::TR);
        let mut row_h: f32 = 0.0;
        let latest_colour = match (pop.key, r.direction) {
            (true, Some(Direction::Better)) => Rgb::hex(Rag::Green.colours().0),
            (true, Some(Direction::Worse)) => Rgb::hex(Rag::Red.colours().0),
            _ => Rgb::TEXT,
        };
        for (c, text) in [&r.name, &r.baseline, &r.latest, &r.target].into_iter().enumerate() {
            let td = tree.add(tr, Tag::TD);
            let st = match c {
                0 => lk.body,
                1 => lk.body.color(Rgb::SECONDARY),
                2 => Style::new(lk.body.size, Face::Bold).color(latest_colour),
                _ => lk.body,
            };
            let width = if c == 0 { name_w - 3.0 * s } else { num_w - 1.0 * s };
            let lines = wrap(m, &st, text, width, missing);
            row_h = row_h.max(lines.len() as f32 * st.line_height());
            items.extend(cell(c, &lines, &st, y, Mark::Content(td)));
        }
        y += row_h + 1.5 * s;
        if n + 1 < shown.measures.len() {
            rule(&mut items, y);
        }
        y += 2.0 * s;
    }
    if let Some(more) = shown.more_text() {
        let node = tree.add(root, Tag::P);
        let st = Style::new(lk.small.size, Face::Bold).color(Rgb::SECONDARY);
        let (its, used) = place_lines(m, &wrap(m, &st, &more, w - 2.0 * pad, missing), &st, x + pad, y, Mark::Content(node));
        items.extend(its);
        y += used + 1.0 * s;
    }
    let total = y + pad;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: 0.0, w, h: total, fill: None, stroke: Some((colour, 0.8)) } });
    (items, tree, total)
}

/// What the page keeps: at most `k` commitments under each priority and `mm` measures, per
/// column (usize::MAX: all).
type Limits = Vec<(usize, usize)>;

struct Built {
    page: Page,
    tree: Tree,
    /// A column did not fit with its limits (or whole priorities were left out).
    overflowed: bool,
    /// What the page shows, as a model.
    shown: Pop,
    omitted: Vec<String>,
    missing: Vec<char>,
}

/// The page above the columns, and where the columns start and how tall they may be.
struct Frame {
    items: Vec<Item>,
    top: f32,
    avail: f32,
}

/// The page's furniture above the columns at scale `s`: the caption, the title band, the
/// vision and the model (into `tree`, in reading order); the footer is measured from the
/// bottom up (and built after the columns, `footer`).
fn frame(m: &dyn Metrics, pop: &Pop, paper: Paper, lk: Looks, with_note: bool, tree: &mut Tree, missing: &mut Vec<char>) -> Frame {
    let s = lk.s;
    let (w, h) = paper.landscape();
    let margin = paper.margin();
    let inner = w - 2.0 * margin;
    let root = Tree::ROOT;
    let mut items = Vec::new();
    let text = |items: &mut Vec<Item>, missing: &mut Vec<char>, t: &str, st: Style, x: f32, top: f32, width: f32, mark: Mark| -> f32 {
        let lines = wrap(m, &st, t, width, missing);
        let (its, used) = place_lines(m, &lines, &st, x, top, mark);
        items.extend(its);
        used
    };
    let mut band_top = margin;
    if let Some(c) = &pop.caption {
        let node = tree.add(root, Tag::H(2));
        band_top += text(&mut items, missing, c, Style::new(11.0, Face::Bold).color(Rgb::BRAND), margin, margin, inner, Mark::Content(node)) + 4.0;
    }
    // Title band: the partnership and the plan at the left, the quarter at the right.
    let pad = 10.0 * s;
    let t1 = Style::new(17.0 * s, Face::Bold).color(Rgb::WHITE);
    let t2 = Style::new(10.0 * s, Face::Regular).color(Rgb::WHITE);
    let t3 = Style::new(10.5 * s, Face::Bold).color(Rgb::WHITE);
    let right_lines = pop.as_at.as_deref().map(|a| wrap(m, &t3, a, inner * 0.3, missing)).unwrap_or_default(); // no quarter: nothing at the right
    let right_w = right_lines.iter().map(|l| l.width).fold(0.0, f32::max);
    let left_w = inner - 2.0 * pad - if right_w > 0.0 { right_w + 16.0 * s } else { 0.0 };
    let l1 = wrap(m, &t1, &pop.partnership, left_w, missing);
    let l2 = wrap(m, &t2, &pop.period, left_w, missing);
    let band_h = (l1.len() as f32 * t1.line_height() + l2.len() as f32 * t2.line_height()).max(right_lines.len() as f32 * t3.line_height()) + 1.4 * pad;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x: margin, y: band_top, w: inner, h: band_h, fill: Some(Rgb::DARK), stroke: None } });
    let title_node = tree.add(root, if pop.caption.is_some() { Tag::P } else { Tag::H(1) });
    let (its, used) = place_lines(m, &l1, &t1, margin + pad, band_top + 0.7 * pad, Mark::Content(title_node));
    items.extend(its);
    let period = tree.add(root, Tag::P);
    items.extend(place_lines(m, &l2, &t2, margin + pad, band_top + 0.7 * pad + used, Mark::Content(period)).0);
    if !right_lines.is_empty() {
        let node = tree.add(root, Tag::P);
        items.extend(place_right(m, &right_lines, &t3, w - margin - pad, band_top + 0.7 * pad, Mark::Content(node)));
    }
    let mut top = band_top + band_h;

    // Vision, and the model as a list of three across the band.
    let label = Style::new(BODY * s * 1.1, Face::Bold).color(Rgb::DARK);
    let vision_style = Style::new(BODY * s * 1.1, Face::Regular);
    let vpad = 6.0 * s;
    let label_w = crate::layout::measure(m, Face::Bold, label.size, VISION) + 8.0 * s;
    let vision_lines = wrap(m, &vision_style, &pop.vision, inner - 2.0 * pad - label_w, missing);
    let vision_h = (vision_lines.len() as f32 * vision_style.line_height()).max(label.line_height());
    let gap = 10.0 * s;
    let lens_w = (inner - 2.0 * pad - 2.0 * gap) / 3.0;
    let name_st = Style::new(lk.body.size, Face::Bold).color(Rgb::DARK);
    let lens_lines: Vec<(Vec<Line>, Vec<Line>)> = pop
        .lenses
        .iter()
        .map(|(n, what)| {
            let nw = crate::layout::measure(m, Face::Bold, name_st.size, n) + 5.0 * s;
            (wrap(m, &name_st, n, nw, missing), wrap(m, &lk.body, what, lens_w - nw, missing))
        })
        .collect();
    let lens_h = lens_lines.iter().map(|(a, b)| (a.len() as f32 * name_st.line_height()).max(b.len() as f32 * lk.body.line_height())).fold(0.0, f32::max);
    let band2 = vpad + vision_h + 4.0 * s + lens_h + vpad;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x: margin, y: top, w: inner, h: band2, fill: Some(Rgb::PALE), stroke: None } });
    let vh = tree.add(root, Tag::H(pop.level(2)));
    text(&mut items, missing, VISION, label, margin + pad, top + vpad, label_w, Mark::Content(vh));
    let vp = tree.add(root, Tag::P);
    items.extend(place_lines(m, &vision_lines, &vision_style, margin + pad + label_w, top + vpad, Mark::Content(vp)).0);
    let ly = top + vpad + vision_h + 4.0 * s;
    let list = tree.add(root, Tag::L);
    for (i, ((n, _), (nl, wl))) in pop.lenses.iter().zip(&lens_lines).enumerate() {
        let lx = margin + pad + i as f32 * (lens_w + gap);
        let li = tree.add(list, Tag::LI);
        let (lbl, lbody) = (tree.add(li, Tag::Lbl), tree.add(li, Tag::LBody));
        let nw = crate::layout::measure(m, Face::Bold, name_st.size, n) + 5.0 * s;
        items.extend(place_lines(m, nl, &name_st, lx, ly, Mark::Content(lbl)).0);
        items.extend(place_lines(m, wl, &lk.body, lx + nw, ly, Mark::Content(lbody)).0);
    }
    top += band2 + 8.0 * s;

    // The footer, from the bottom up: the marking sits in the bottom margin; the key, the
    // statutory basis, the partners, the line on what was left out.
    let bottom = h - margin - footer_height(m, pop, lk, inner, with_note, missing) - 8.0 * s;
    Frame { items, top, avail: bottom - top }
}

fn footer_height(m: &dyn Metrics, pop: &Pop, lk: Looks, inner: f32, with_note: bool, missing: &mut Vec<char>) -> f32 {
    let s = lk.s;
    let mut h = 0.0;
    if pop.key {
        h += key_height(m, lk, inner) + 3.0 * s;
    }
    h += wrap(m, &lk.small, &pop.statutory, inner, missing).len() as f32 * lk.small.line_height() + 4.0 * s;
    h += partners_height(m, pop, lk, inner, missing) + 8.0 * s;
    if with_note {
        h += Style::new(lk.body.size, Face::Bold).line_height() + 2.0 * s;
    }
    h
}

fn partners_height(m: &dyn Metrics, pop: &Pop, lk: Looks, inner: f32, missing: &mut Vec<char>) -> f32 {
    let lbl = Style::new(lk.small.size, Face::Bold).color(Rgb::DARK);
    lbl.line_height() + wrap(m, &lk.body, &pop.partners, inner, missing).len() as f32 * lk.body.line_height()
}

fn key_size(s: f32) -> f32 {
    (7.5 * s).max(6.5)
}

/// The key's last row: the No return chip and what it means, then the rule a priority's
/// status follows, wrapped in the room left. Returns its items (at y = 0, into `tree`) and
/// height.
fn no_return_row(m: &dyn Metrics, lk: Looks, x: f32, inner: f32, tree: &mut Tree, missing: &mut Vec<char>) -> (Vec<Item>, f32) {
    let size = key_size(lk.s);
    let root = Tree::ROOT;
    let mut items = Vec::new();
    let list = tree.add(root, Tag::L);
    let li = tree.add(list, Tag::LI);
    let (lbl, body) = (tree.add(li, Tag::Lbl), tree.add(li, Tag::LBody));
    let (its, cw) = status_chip(m, PriorityStatus::NoReturn, x, 0.0, size, Mark::Content(lbl));
    items.extend(its);
    let meaning = Style::new((size * 0.95).max(6.0), Face::Regular).color(Rgb::SECONDARY);
    let mw = crate::layout::measure(m, Face::Regular, meaning.size, NO_RETURN_MEANING);
    items.extend(place_lines(m, &wrap(m, &meaning, NO_RETURN_MEANING, f32::MAX, missing), &meaning, x + cw + 3.0, size * 0.25, Mark::Content(body)).0);
    let rule = tree.add(root, Tag::P);
    let rx = x + cw + 3.0 + mw + 12.0 * lk.s;
    let lines = wrap(m, &meaning, PriorityStatus::RULE, x + inner - rx, missing);
    let (its, used) = place_lines(m, &lines, &meaning, rx, size * 0.25, Mark::Content(rule));
    items.extend(its);
    (items, (size * 1.45).max(used + size * 0.25) + 3.0)
}

fn key_height(m: &dyn Metrics, lk: Looks, inner: f32) -> f32 {
    let mut scratch = Tree::default();
    let (_, legend_h) = legend(m, &mut scratch, Tree::ROOT, 0.0, 0.0, inner, lk.s);
    legend_h + no_return_row(m, lk, 0.0, inner, &mut scratch, &mut Vec::new()).1
}

/// Places the footer from `fy` down; adds it to `tree` after the columns.
#[allow(clippy::too_many_arguments)]
fn footer(m: &dyn Metrics, pop: &Pop, paper: Paper, lk: Looks, note: Option<&str>, mut fy: f32, tree: &mut Tree, missing: &mut Vec<char>) -> Vec<Item> {
    let s = lk.s;
    let (w, h) = paper.landscape();
    let margin = paper.margin();
    let inner = w - 2.0 * margin;
    let root = Tree::ROOT;
    let mut items = Vec::new();
    let note_style = Style::new(lk.body.size, Face::Bold).color(Rgb::SECONDARY);
    if let Some(note) = note {
        let node = tree.add(root, Tag::P);
        let (its, used) = place_lines(m, &wrap(m, &note_style, note, inner, missing), &note_style, margin, fy + 1.0 * s, Mark::Content(node));
        items.extend(its);
        fy += used + 2.0 * s;
    }
    fy += 8.0 * s;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Line { x1: margin, y1: fy - 4.0 * s, x2: w - margin, y2: fy - 4.0 * s, width: 0.75, color: Rgb::RULE } });
    let lbl = Style::new(lk.small.size, Face::Bold).color(Rgb::DARK);
    let node = tree.add(root, Tag::H(pop.level(2)));
    let (its, used) = place_lines(m, &wrap(m, &lbl, PARTNERS, inner, missing), &lbl, margin, fy, Mark::Content(node));
    items.extend(its);
    fy += used;
    let node = tree.add(root, Tag::P);
    let (its, used) = place_lines(m, &wrap(m, &lk.body, &pop.partners, inner, missing), &lk.body, margin, fy, Mark::Content(node));
    items.extend(its);
    fy += used + 4.0 * s;
    let node = tree.add(root, Tag::P);
    let (its, used) = place_lines(m, &wrap(m, &lk.small, &pop.statutory, inner, missing), &lk.small, margin, fy, Mark::Content(node));
    items.extend(its);
    fy += used + 3.0 * s;
    if pop.key {
        let (its, used) = legend(m, tree, root, margin, fy, inner, s);
        items.extend(its);
        fy += used;
        let (mut its, _) = no_return_row(m, lk, margin, inner, tree, missing);
        shift(&mut its, fy);
        items.extend(its);
    }
    // The protective marking, centred in the bottom margin.
    let ms = Style::new(8.0, Face::Bold);
    let mark_lines = wrap(m, &ms, &pop.marking, inner, missing);
    let mw = mark_lines.first().map_or(0.0, |l| l.width);
    items.extend(place_lines(m, &mark_lines[..1.min(mark_lines.len())], &ms, (w - mw) / 2.0, h - 27.0, Mark::Artifact(Artifact::Footer)).0);
    items
}

/// Lays the page out at scale `s` with each column's limits (none: all of everything).
fn build(m: &dyn Metrics, pop: &Pop, paper: Paper, s: f32, limits: &Limits, pass: Pass) -> Built {
    let with_note = pass == Pass::FinalAtLimits;
    let lk = Looks::at(s);
    let (w, _) = paper.landscape();
    let margin = paper.margin();
    let inner = w - 2.0 * margin;
    let mut tree = Tree::default();
    let mut missing = Vec::new();
    let fr = frame(m, pop, paper, lk, with_note, &mut tree, &mut missing);
    let mut items = fr.items;
    let gap = 10.0 * s;
    let n = pop.themes.len().max(1) as f32;
    let col_w = (inner - (n - 1.0) * gap) / n;
    let mut shown = Pop { note: None, scale: s, themes: vec![], ..pop.clone() };
    let (mut omitted, mut dropped) = (Vec::new(), Vec::new());
    let mut overflowed = false;
    for (i, t) in pop.themes.iter().enumerate() {
        let (k, mm) = limits.get(i).copied().unwrap_or((usize::MAX, usize::MAX));
        let x = margin + i as f32 * (col_w + gap);
        let mut col = column(m, pop, t, THEME_COLOURS[i % THEME_COLOURS.len()], lk, x, fr.top, col_w, fr.avail, k, mm, pass, &mut missing);
        overflowed |= !col.fits;
        graft(&mut tree, col.tree, &mut col.items);
        items.extend(col.items);
        omitted.extend(col.omitted);
        dropped.extend(col.dropped);
        shown.themes.push(col.shown);
    }
    let note = (!dropped.is_empty())
        .then(|| format!("Not shown for lack of space: {} — the full plan is in the action tracker.", crate::words::count(dropped.len() as u32, "priority")));
    omitted.extend(dropped.iter().map(|d| format!("priority {d}")));
    let mut footer_tree = Tree::default();
    let mut foot = footer(m, pop, paper, lk, note.as_deref(), fr.top + fr.avail, &mut footer_tree, &mut missing);
    graft(&mut tree, footer_tree, &mut foot);
    items.extend(foot);
    shown.note = note;
    let (pw, ph) = paper.landscape();
    Built { page: Page { width: pw, height: ph, items }, tree, overflowed, shown, omitted, missing }
}

/// How many of the things left out the warning names (the page itself gives the counts,
/// the action tracker has them all).
const NAMED_IN_WARNING: usize = 10;

/// What the page can show, as a model, with the warnings to give (what was left out,
/// characters no font has).
pub fn fit(m: &dyn Metrics, pop: &Pop, paper: Paper) -> (Pop, Vec<String>) {
    let (built, warnings) = fitted(m, pop, paper);
    (built.shown, warnings)
}

fn fitted(m: &dyn Metrics, pop: &Pop, paper: Paper) -> (Built, Vec<String>) {
    let built = search(m, pop, paper);
    let mut warnings = Vec::new();
    if !built.omitted.is_empty() {
        let named = built.omitted.iter().take(NAMED_IN_WARNING).cloned().collect::<Vec<_>>().join("; ");
        let more = built.omitted.len().saturating_sub(NAMED_IN_WARNING);
        warnings.push(format!(
            "The Plan on a Page could not fit everything at the smallest legible size ({MIN_BODY} pt); {} item(s) were left out: {named}{}",
            built.omitted.len(),
            if more > 0 { format!("; and {more} more (all are in the action tracker)") } else { String::new() }
        ));
    }
    if !built.missing.is_empty() {
        warnings.push(crate::missing_glyphs(&built.missing));
    }
    (built, warnings)
}

/// Whether one column fits at scale `s` with limits (k, mm): a probe of that column alone.
fn column_fits(m: &dyn Metrics, pop: &Pop, paper: Paper, s: f32, i: usize, k: usize, mm: usize) -> bool {
    let lk = Looks::at(s);
    let (w, _) = paper.landscape();
    let inner = w - 2.0 * paper.margin();
    let mut missing = Vec::new();
    let fr = frame(m, pop, paper, lk, true, &mut Tree::default(), &mut missing);
    let n = pop.themes.len().max(1) as f32;
    let col_w = (inner - (n - 1.0) * 10.0 * s) / n;
    column(m, pop, &pop.themes[i], Rgb::DARK, lk, 0.0, fr.top, col_w, fr.avail, k, mm, Pass::Probe, &mut missing).fits
}

/// The largest scale (up to the ceiling) at which every column fits whole, found by halving;
/// when none does at the smallest legible size, each column on its own keeps as many
/// commitments under each priority as fit there, down to one, then as many measures as fit,
/// down to `MEASURES_KEPT`, then only the commitments' count, then fewer measures (each by
/// halving). Returns the final layout.
fn search(m: &dyn Metrics, pop: &Pop, paper: Paper) -> Built {
    let all: Limits = vec![];
    let fits = |s: f32| !build(m, pop, paper, s, &all, Pass::Probe).overflowed;
    let min_scale = MIN_BODY / (BODY * 0.95);
    let max_scale = MAX_SCALE_A4 * paper.landscape().0 / Paper::A4.landscape().0;
    if fits(max_scale) {
        return build(m, pop, paper, max_scale, &all, Pass::Final);
    }
    if fits(min_scale) {
        let (mut lo, mut hi) = (min_scale, max_scale);
        while hi - lo > 0.01 {
            let mid = (lo + hi) / 2.0;
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return build(m, pop, paper, lo, &all, Pass::Final);
    }
    let mut limits: Limits = Vec::new();
    for (i, t) in pop.themes.iter().enumerate() {
        let most = t.priorities.iter().map(|p| p.commitments.len()).max().unwrap_or(0); // no priorities: nothing to keep
        let ok = |k: usize, mm: usize| column_fits(m, pop, paper, min_scale, i, k, mm);
        if ok(most, usize::MAX) {
            limits.push((usize::MAX, usize::MAX));
            continue;
        }
        // The largest n in lo..=hi for which `good(n)` holds, given it holds at lo.
        let largest = |lo: usize, hi: usize, good: &dyn Fn(usize) -> bool| {
            let (mut lo, mut hi) = (lo, hi);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if good(mid) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            lo
        };
        // First fewer commitments (down to one a priority), then fewer measures (down to
        // three), then none but the count, then fewer measures still.
        let few = t.measures.len().min(MEASURES_KEPT);
        let limit = if ok(1, usize::MAX) {
            (largest(1, most, &|k| ok(k, usize::MAX)), usize::MAX)
        } else if ok(1, few) {
            (1, largest(few, t.measures.len(), &|mm| ok(1, mm)))
        } else if ok(0, few) {
            (0, largest(few, t.measures.len(), &|mm| ok(0, mm)))
        } else {
            (0, largest(0, few, &|mm| ok(0, mm)))
        };
        limits.push(limit);
    }
    build(m, pop, paper, min_scale, &limits, Pass::FinalAtLimits)
}

/// Lays the Plan on a Page out: fitted, then placed. Always one page.
pub fn lay_out(m: &dyn Metrics, pop: &Pop, paper: Paper) -> Document {
    let (built, warnings) = fitted(m, pop, paper);
    Document {
        title: pop.title.clone(),
        author: pop.partnership.clone(),
        subject: pop.subject.clone(),
        pages: vec![built.page],
        tree: built.tree,
        outline: vec![],
        warnings,
    }
}

/// The Plan on a Page from what it is made of, laid out (the standalone paper).
pub fn layout(m: &dyn Metrics, input: &Input, paper: Paper) -> Document {
    lay_out(m, &model(input), paper)
}
