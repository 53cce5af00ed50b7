//! The Plan on a Page: always exactly one page (A4 landscape, or A3). Partnership and plan
//! title, period, vision, the Victim / Location / Offender model, one column per theme with its
//! delivery groups, priorities and key commitments, the partners, the statutory basis, and the
//! legend of the status scale.
//!
//! Three steps, in this order: `model` says what the page holds (from the store's plan);
//! `fit` decides what one page can show — it shrinks the text, down to a minimum legible
//! size, then keeps the same number of commitments under every priority and says on the page
//! how many were left out — and returns that as a model too; `lay_out` places the fitted
//! model, reading theme by theme, into a page and its structure tree.

use ccsp_core::domain::{Lens, Lifecycle};
use ccsp_core::store::{ActionRow, PlanSummary};

use crate::layout::{place_lines, wrap, Artifact, Document, Face, Item, Kind, Mark, Metrics, Page, Rgb, Style, Tag, Tree};
use crate::model::BULLET;
use crate::{legend, long_date, Paper};

/// Body text never goes below this size (points): smaller is not legible on a printed A4.
pub const MIN_BODY: f32 = 6.5;
/// Secondary text (lenses, delivery groups, the statutory basis) never goes below this.
pub const MIN_SMALL: f32 = 6.0;
const BODY: f32 = 9.0;

/// What the Plan on a Page says.
#[derive(Debug, Clone, PartialEq)]
pub struct Pop {
    /// "Appendix 1 – Plan on a Page" when the page is an appendix of another paper.
    pub caption: Option<String>,
    pub partnership: String,
    pub period: String,
    pub vision: String,
    /// The Victim / Location / Offender model: each lens and what it looks at.
    pub lenses: Vec<(String, String)>,
    pub themes: Vec<PopTheme>,
    /// Said on the page when commitments are left out for lack of space (set by `fit`).
    pub note: Option<String>,
    pub partners: String,
    pub statutory: String,
    pub marking: String,
    pub title: String,
    pub subject: String,
    /// The size it is drawn at, against the full size (set by `fit`; the Word copy uses it).
    pub scale: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PopTheme {
    pub heading: String,
    /// "Delivered through: …", when the theme names its groups.
    pub groups: Option<String>,
    pub priorities: Vec<PopPriority>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PopPriority {
    pub heading: String,
    /// "Lenses: Victim · Offender", when it has any.
    pub lenses: Option<String>,
    /// Its commitments: the titles of its actions (not cancelled).
    pub commitments: Vec<String>,
    /// "1.2.3 title" for each commitment, to name what `fit` leaves out.
    pub refs: Vec<String>,
}

fn lens_label(l: Lens) -> &'static str {
    match l {
        Lens::Victim => "Victim",
        Lens::Location => "Location",
        Lens::Offender => "Offender",
    }
}

/// The Plan on a Page's content, from the plan and its actions.
pub fn model(plan: &PlanSummary, actions: &[ActionRow], caption: Option<&str>, marking: &str) -> Pop {
    let themes = plan
        .themes
        .iter()
        .map(|theme| PopTheme {
            heading: format!("Theme {}: {}", theme.number, theme.title),
            groups: (!theme.delivery_groups.is_empty()).then(|| format!("Delivered through: {}", theme.delivery_groups.join("; "))),
            priorities: theme
                .priorities
                .iter()
                .map(|p| {
                    let live: Vec<&ActionRow> = actions.iter().filter(|a| a.priority == p.reference && a.lifecycle != Lifecycle::Cancelled).collect();
                    let lenses: Vec<&str> = p.lenses.iter().map(|l| lens_label(*l)).collect();
                    PopPriority {
                        heading: format!("{}  {}", p.reference, p.title),
                        lenses: (!lenses.is_empty()).then(|| format!("Lenses: {}", lenses.join(" · "))),
                        commitments: live.iter().map(|a| a.title.clone()).collect(),
                        refs: live.iter().map(|a| format!("{} {}", a.reference, a.title)).collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let partners: Vec<String> = plan.partners.iter().map(|p| format!("{} ({})", p.name, p.short_name)).collect();
    Pop {
        caption: caption.map(str::to_string),
        partnership: plan.plan.partnership.clone(),
        period: format!("Plan on a Page · {} · {} – {}", plan.plan.title, long_date(plan.plan.start_date), long_date(plan.plan.end_date)),
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
        partners: format!("Partners: {}", partners.join(" · ")),
        statutory: format!("Statutory basis: {}", plan.plan.statutory_basis),
        marking: marking.to_string(),
        title: format!("{} – Plan on a Page", plan.plan.title),
        subject: format!("Plan on a Page, {} to {}", long_date(plan.plan.start_date), long_date(plan.plan.end_date)),
        scale: 1.0,
    }
}

pub const VISION: &str = "Our vision";

impl Pop {
    /// The page's text in reading order: title, vision, the model, theme by theme, then the
    /// partners, the statutory basis and the status key.
    pub fn text(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.extend(self.caption.clone());
        out.extend([self.partnership.clone(), self.period.clone(), VISION.to_string(), self.vision.clone()]);
        for (name, what) in &self.lenses {
            out.extend([name.clone(), what.clone()]);
        }
        for t in &self.themes {
            out.push(t.heading.clone());
            out.extend(t.groups.clone());
            for p in &t.priorities {
                out.push(p.heading.clone());
                out.extend(p.lenses.clone());
                for c in &p.commitments {
                    out.extend([BULLET.to_string(), c.clone()]);
                }
            }
        }
        out.extend(self.note.clone());
        out.extend([self.partners.clone(), self.statutory.clone()]);
        crate::model::key_text(&mut out);
        out
    }

    /// Heading levels: the page's own (H1 partnership, H2 vision and themes, H3 priorities),
    /// or one lower under an appendix caption (which is the H2 and the partnership a
    /// paragraph).
    fn level(&self, own: u8) -> u8 {
        if self.caption.is_some() {
            own + 1
        } else {
            own
        }
    }
}

struct Built {
    page: Page,
    tree: Tree,
    /// Something was left out for lack of space (not just beyond the per-priority limit).
    overflowed: bool,
    /// What the page shows, as a model (commitments beyond the limit or the room left out).
    shown: Pop,
    omitted: Vec<String>,
    missing: Vec<char>,
}

/// Lays the page out at scale `s` with at most `per_priority` commitments under each priority.
/// With `probe`, stops at the first thing that does not fit (enough to know whether a size
/// works); without, lists everything left out.
fn build(m: &dyn Metrics, pop: &Pop, paper: Paper, s: f32, per_priority: usize, probe: bool) -> Built {
    let (w, h) = paper.landscape();
    let margin = paper.margin();
    let inner = w - 2.0 * margin;
    let mut items: Vec<Item> = Vec::new();
    let mut tree = Tree::default();
    let root = Tree::ROOT;
    let mut missing = Vec::new();
    let mut omitted = Vec::new();
    let mut overflowed = false;
    let mut shown = Pop { note: None, scale: s, ..pop.clone() };
    let text = |items: &mut Vec<Item>, missing: &mut Vec<char>, t: &str, st: Style, x: f32, top: f32, width: f32, mark: Mark| -> f32 {
        let lines = wrap(m, &st, t, width, missing);
        let (its, used) = place_lines(m, &lines, &st, x, top, mark);
        items.extend(its);
        used
    };

    // The caption when the page is an appendix of another paper ("Appendix 1 – Plan on a Page").
    let mut band_top = margin;
    if let Some(c) = &pop.caption {
        let node = tree.add(root, Tag::H(2));
        band_top += text(&mut items, &mut missing, c, Style::new(11.0, Face::Bold).color(Rgb::BRAND), margin, margin, inner, Mark::Content(node)) + 4.0;
    }
    // Title band.
    let band_h = 50.0 * s.max(0.8);
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x: margin, y: band_top, w: inner, h: band_h, fill: Some(Rgb::DARK), stroke: None } });
    let pad = 10.0 * s.max(0.8);
    let t1 = Style::new(18.0 * s.max(0.8), Face::Bold).color(Rgb::WHITE);
    let t2 = Style::new(11.0 * s.max(0.8), Face::Regular).color(Rgb::WHITE);
    let mut y = band_top + pad * 0.6;
    let title_node = tree.add(root, if pop.caption.is_some() { Tag::P } else { Tag::H(1) });
    y += text(&mut items, &mut missing, &pop.partnership, t1, margin + pad, y, inner - 2.0 * pad, Mark::Content(title_node));
    let period = tree.add(root, Tag::P);
    text(&mut items, &mut missing, &pop.period, t2, margin + pad, y, inner - 2.0 * pad, Mark::Content(period));
    let mut top = band_top + band_h + 8.0 * s;

    // Vision.
    let label = Style::new(BODY * s * 1.05, Face::Bold).color(Rgb::DARK);
    let body = Style::new(BODY * s, Face::Regular);
    let small = Style::new((BODY * s * 0.88).max(MIN_SMALL), Face::Regular).color(Rgb::SECONDARY);
    let vision_style = Style::new(BODY * s * 1.15, Face::Regular);
    let vision_lines = wrap(m, &vision_style, &pop.vision, inner - 2.0 * pad - 60.0 * s, &mut missing);
    let vision_h = (vision_lines.len() as f32 * vision_style.line_height()).max(label.line_height()) + 2.0 * 6.0 * s;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x: margin, y: top, w: inner, h: vision_h, fill: Some(Rgb::PALE), stroke: None } });
    let vh = tree.add(root, Tag::H(pop.level(2)));
    text(&mut items, &mut missing, VISION, label, margin + pad, top + 6.0 * s, 60.0 * s, Mark::Content(vh));
    let vp = tree.add(root, Tag::P);
    items.extend(place_lines(m, &vision_lines, &vision_style, margin + pad + 60.0 * s, top + 6.0 * s, Mark::Content(vp)).0);
    top += vision_h + 8.0 * s;

    // The Victim / Location / Offender model: a list of three, drawn as three boxes.
    let gap = 8.0 * s;
    let box_w = (inner - 2.0 * gap) / 3.0;
    let mut model_h: f32 = 0.0;
    let mut placed = Vec::new();
    let list = tree.add(root, Tag::L);
    for (i, (name, what)) in pop.lenses.iter().enumerate() {
        let x = margin + i as f32 * (box_w + gap);
        let li = tree.add(list, Tag::LI);
        let (lbl, lbody) = (tree.add(li, Tag::Lbl), tree.add(li, Tag::LBody));
        let mut its = Vec::new();
        let mut yy = top + 5.0 * s;
        yy += text(&mut its, &mut missing, name, label, x + 6.0 * s, yy, box_w - 12.0 * s, Mark::Content(lbl));
        yy += text(&mut its, &mut missing, what, body, x + 6.0 * s, yy, box_w - 12.0 * s, Mark::Content(lbody));
        model_h = model_h.max(yy + 5.0 * s - top);
        placed.push((x, its));
    }
    for (x, its) in placed {
        items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: top, w: box_w, h: model_h, fill: None, stroke: Some((Rgb::BRAND, 1.0)) } });
        items.extend(its);
    }
    top += model_h + 8.0 * s;

    // The footer is measured first, from the bottom up (the key, the statutory basis, the
    // partners, and the line saying what was left out when commitments are), so the columns
    // know where they must stop; it is placed after them, in reading order.
    let legend_h = 12.0 * s.max(0.75);
    let foot_lines = wrap(m, &small, &pop.statutory, inner, &mut missing);
    let foot_h = foot_lines.len() as f32 * small.line_height();
    let partner_lines = wrap(m, &body, &pop.partners, inner, &mut missing);
    let partner_h = partner_lines.len() as f32 * body.line_height();
    let note_style = Style::new(body.size, Face::Bold).color(Rgb::SECONDARY);
    let note_h = if per_priority < usize::MAX { note_style.line_height() + 2.0 * s } else { 0.0 };
    let bottom_limit = h - margin - legend_h - 4.0 * s - foot_h - 4.0 * s - partner_h - 8.0 * s - note_h;

    // One column per theme.
    let n = pop.themes.len().max(1) as f32;
    let col_w = (inner - (n - 1.0) * gap) / n;
    for (i, (theme, shown_theme)) in pop.themes.iter().zip(shown.themes.iter_mut()).enumerate() {
        let x = margin + i as f32 * (col_w + gap);
        let mut cy = top;
        let head = Style::new(BODY * s * 1.15, Face::Bold).color(Rgb::WHITE);
        let head_lines = wrap(m, &head, &theme.heading, col_w - 12.0 * s, &mut missing);
        let head_h = head_lines.len() as f32 * head.line_height() + 10.0 * s;
        items.push(Item { mark: Mark::LAYOUT, kind: Kind::Rect { x, y: cy, w: col_w, h: head_h, fill: Some(Rgb::BRAND), stroke: None } });
        let th = tree.add(root, Tag::H(pop.level(2)));
        items.extend(place_lines(m, &head_lines, &head, x + 6.0 * s, cy + 5.0 * s, Mark::Content(th)).0);
        cy += head_h + 4.0 * s;
        if let Some(groups) = &theme.groups {
            let node = tree.add(root, Tag::P);
            cy += text(&mut items, &mut missing, groups, small, x, cy, col_w, Mark::Content(node));
            cy += 3.0 * s;
        }
        shown_theme.priorities.clear();
        for p in &theme.priorities {
            let head_lines = wrap(m, &label, &p.heading, col_w, &mut missing);
            let lens_lines = wrap(m, &small, p.lenses.as_deref().unwrap_or(""), col_w, &mut missing);
            let lens_h = if p.lenses.is_some() { lens_lines.len() as f32 * small.line_height() } else { 0.0 };
            let need = head_lines.len() as f32 * label.line_height() + lens_h;
            if cy + need > bottom_limit {
                overflowed = true;
                omitted.push(format!("priority {}", p.heading.replacen("  ", " ", 1)));
                if probe {
                    break;
                }
                continue;
            }
            let mut kept = PopPriority { commitments: vec![], refs: vec![], ..p.clone() };
            let ph = tree.add(root, Tag::H(pop.level(3)));
            let (its, used) = place_lines(m, &head_lines, &label, x, cy, Mark::Content(ph));
            items.extend(its);
            cy += used;
            if p.lenses.is_some() {
                let node = tree.add(root, Tag::P);
                let (its, used) = place_lines(m, &lens_lines, &small, x, cy, Mark::Content(node));
                items.extend(its);
                cy += used;
            }
            cy += 1.5 * s;
            let list = (!p.commitments.is_empty()).then(|| tree.add(root, Tag::L));
            for (k, (title, reference)) in p.commitments.iter().zip(&p.refs).enumerate() {
                if k >= per_priority {
                    // Beyond the per-priority limit: left out without being measured.
                    if !probe {
                        omitted.push(reference.clone());
                    }
                    continue;
                }
                let indent = 9.0 * s;
                let lines = wrap(m, &body, title, col_w - indent, &mut missing);
                let need = lines.len() as f32 * body.line_height();
                if cy + need > bottom_limit {
                    omitted.push(reference.clone());
                    overflowed = true;
                    if probe {
                        break;
                    }
                    continue;
                }
                let Some(list) = list else { continue };
                let li = tree.add(list, Tag::LI);
                let (lbl, lbody) = (tree.add(li, Tag::Lbl), tree.add(li, Tag::LBody));
                let bullet = Style::new(body.size, Face::Regular).color(Rgb::BRAND);
                items.extend(place_lines(m, &wrap(m, &bullet, BULLET, indent, &mut missing), &bullet, x, cy, Mark::Content(lbl)).0);
                let (its, used) = place_lines(m, &lines, &body, x + indent, cy, Mark::Content(lbody));
                items.extend(its);
                cy += used;
                kept.commitments.push(title.clone());
                kept.refs.push(reference.clone());
            }
            cy += 4.0 * s;
            shown_theme.priorities.push(kept);
        }
    }

    // What was left out, the partners, the statutory basis and the key, below the columns.
    let mut fy = bottom_limit;
    if !omitted.is_empty() && note_h > 0.0 {
        let note =
            format!("Not shown for lack of space: {} — the full list is in the action tracker.", crate::words::count(omitted.len() as u32, "commitment"));
        let node = tree.add(root, Tag::P);
        text(&mut items, &mut missing, &note, note_style, margin, fy + 1.0 * s, inner, Mark::Content(node));
        shown.note = Some(note);
    }
    fy += note_h + 8.0 * s;
    items.push(Item { mark: Mark::LAYOUT, kind: Kind::Line { x1: margin, y1: fy - 4.0 * s, x2: w - margin, y2: fy - 4.0 * s, width: 0.75, color: Rgb::RULE } });
    let node = tree.add(root, Tag::P);
    let (its, used) = place_lines(m, &partner_lines, &body, margin, fy, Mark::Content(node));
    items.extend(its);
    fy += used + 4.0 * s;
    let node = tree.add(root, Tag::P);
    let (its, used) = place_lines(m, &foot_lines, &small, margin, fy, Mark::Content(node));
    items.extend(its);
    fy += used + 4.0 * s;
    items.extend(legend(m, &mut tree, root, margin, fy, inner, s.max(0.75)).0);

    // The protective marking, centred in the bottom margin.
    let ms = Style::new(8.0, Face::Bold);
    let mark_lines = wrap(m, &ms, &pop.marking, inner, &mut missing);
    let mw = mark_lines.first().map_or(0.0, |l| l.width);
    items.extend(place_lines(m, &mark_lines[..1.min(mark_lines.len())], &ms, (w - mw) / 2.0, h - 27.0, Mark::Artifact(Artifact::Footer)).0);
    Built { page: Page { width: w, height: h, items }, tree, overflowed, shown, omitted, missing }
}

/// How many of the commitments left out the warning names (the page itself gives the count,
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

/// The largest scale at which everything fits, found by halving; when nothing fits even at
/// the smallest legible size, the same number of commitments under every priority, as many
/// as fit (also by halving). Returns the final layout.
fn search(m: &dyn Metrics, pop: &Pop, paper: Paper) -> Built {
    let build = |s: f32, per_priority: usize, probe: bool| build(m, pop, paper, s, per_priority, probe);
    let min_scale = MIN_BODY / BODY;
    let whole = build(1.0, usize::MAX, true);
    if !whole.overflowed {
        return build(1.0, usize::MAX, false);
    }
    if !build(min_scale, usize::MAX, true).overflowed {
        let (mut lo, mut hi) = (min_scale, 1.0f32);
        while hi - lo > 0.01 {
            let mid = (lo + hi) / 2.0;
            if build(mid, usize::MAX, true).overflowed {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return build(lo, usize::MAX, false);
    }
    // The largest k at which no priority itself is left out.
    let most = pop.themes.iter().flat_map(|t| t.priorities.iter()).map(|p| p.commitments.len()).max().unwrap_or(0); // a plan with no priorities has no column to fill
    let (mut lo, mut hi) = (0usize, most);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if build(min_scale, mid, true).overflowed {
            hi = mid - 1;
        } else {
            lo = mid;
        }
    }
    build(min_scale, lo, false)
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

/// The Plan on a Page from the plan and its actions, laid out (the standalone paper).
pub fn layout(m: &dyn Metrics, plan: &PlanSummary, actions: &[ActionRow], paper: Paper, marking: &str) -> Document {
    lay_out(m, &model(plan, actions, None, marking), paper)
}
