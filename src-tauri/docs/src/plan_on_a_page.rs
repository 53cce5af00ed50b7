//! The Plan on a Page: always exactly one page (A4 landscape, or A3). Partnership and plan
//! title, period, vision, the Victim / Location / Offender model, one column per theme with its
//! delivery groups, priorities and key commitments, the partners, the statutory basis, and the
//! legend of the status scale. When the content does not fit it shrinks, down to a minimum
//! legible size; what still does not fit is left out and listed in the warnings.

use ccsp_core::domain::{Lens, Lifecycle};
use ccsp_core::store::{ActionRow, PlanSummary};

use crate::layout::{place_lines, wrap, Document, Face, Item, Kind, Metrics, Page, Rgb, Role, Style};
use crate::{legend, long_date, Paper};

/// Body text never goes below this size (points): smaller is not legible on a printed A4.
pub const MIN_BODY: f32 = 6.5;
/// Secondary text (lenses, delivery groups, the statutory basis) never goes below this.
pub const MIN_SMALL: f32 = 6.0;
const BODY: f32 = 9.0;

struct Built {
    page: Page,
    /// Something was left out for lack of space (not just beyond the per-priority limit).
    overflowed: bool,
    omitted: Vec<String>,
    missing: Vec<char>,
}

fn lens_label(l: Lens) -> &'static str {
    match l {
        Lens::Victim => "Victim",
        Lens::Location => "Location",
        Lens::Offender => "Offender",
    }
}

/// Lays the page out at scale `s` with at most `per_priority` commitments under each priority.
/// With `probe`, stops at the first thing that does not fit (enough to know whether a size
/// works); without, lists everything left out.
#[allow(clippy::too_many_arguments)]
fn build(m: &dyn Metrics, plan: &PlanSummary, actions: &[ActionRow], paper: Paper, caption: Option<&str>, s: f32, per_priority: usize, probe: bool) -> Built {
    let (w, h) = paper.landscape();
    let margin = paper.margin();
    let inner = w - 2.0 * margin;
    let mut items: Vec<Item> = Vec::new();
    let mut missing = Vec::new();
    let mut omitted = Vec::new();
    let mut overflowed = false;
    let text = |items: &mut Vec<Item>, missing: &mut Vec<char>, t: &str, st: Style, x: f32, top: f32, width: f32, role: Role| -> f32 {
        let lines = wrap(m, &st, t, width, missing);
        let (its, used) = place_lines(m, &lines, &st, x, top, &role);
        items.extend(its);
        used
    };

    // The caption when the page is an appendix of another paper ("Appendix 1 – Plan on a Page").
    let mut band_top = margin;
    if let Some(c) = caption {
        band_top += text(&mut items, &mut missing, c, Style::new(11.0, Face::Bold).color(Rgb::BRAND), margin, margin, inner, Role::Heading(2)) + 4.0;
    }
    // Title band.
    let band_h = 50.0 * s.max(0.8);
    items.push(Item { role: Role::Artifact, kind: Kind::Rect { x: margin, y: band_top, w: inner, h: band_h, fill: Some(Rgb::DARK), stroke: None } });
    let pad = 10.0 * s.max(0.8);
    let t1 = Style::new(18.0 * s.max(0.8), Face::Bold).color(Rgb::WHITE);
    let t2 = Style::new(11.0 * s.max(0.8), Face::Regular).color(Rgb::WHITE);
    let mut y = band_top + pad * 0.6;
    y += text(&mut items, &mut missing, &plan.plan.partnership, t1, margin + pad, y, inner - 2.0 * pad, Role::Heading(1));
    let period = format!("Plan on a Page · {} · {} – {}", plan.plan.title, long_date(plan.plan.start_date), long_date(plan.plan.end_date));
    text(&mut items, &mut missing, &period, t2, margin + pad, y, inner - 2.0 * pad, Role::Paragraph);
    let mut top = band_top + band_h + 8.0 * s;

    // Vision.
    let label = Style::new(BODY * s * 1.05, Face::Bold).color(Rgb::DARK);
    let body = Style::new(BODY * s, Face::Regular);
    let small = Style::new((BODY * s * 0.88).max(MIN_SMALL), Face::Regular).color(Rgb::SECONDARY);
    let vision_lines = wrap(m, &Style::new(BODY * s * 1.15, Face::Regular), &plan.plan.vision, inner - 2.0 * pad - 60.0 * s, &mut missing);
    let vision_h = (vision_lines.len() as f32 * BODY * s * 1.15 * 1.25).max(label.line_height()) + 2.0 * 6.0 * s;
    items.push(Item { role: Role::Artifact, kind: Kind::Rect { x: margin, y: top, w: inner, h: vision_h, fill: Some(Rgb::PALE), stroke: None } });
    text(&mut items, &mut missing, "Our vision", label, margin + pad, top + 6.0 * s, 60.0 * s, Role::Heading(2));
    let (its, _) = place_lines(m, &vision_lines, &Style::new(BODY * s * 1.15, Face::Regular), margin + pad + 60.0 * s, top + 6.0 * s, &Role::Paragraph);
    items.extend(its);
    top += vision_h + 8.0 * s;

    // The Victim / Location / Offender model.
    let model = [
        ("Victim", "who is harmed, and how we protect and support them"),
        ("Location", "where harm happens, and how we make places safer"),
        ("Offender", "who causes harm, and how we prevent it and change behaviour"),
    ];
    let gap = 8.0 * s;
    let box_w = (inner - 2.0 * gap) / 3.0;
    let mut model_h: f32 = 0.0;
    let mut placed = Vec::new();
    for (i, (name, what)) in model.iter().enumerate() {
        let x = margin + i as f32 * (box_w + gap);
        let mut its = Vec::new();
        let mut yy = top + 5.0 * s;
        yy += text(&mut its, &mut missing, name, label, x + 6.0 * s, yy, box_w - 12.0 * s, Role::Heading(3));
        yy += text(&mut its, &mut missing, what, body, x + 6.0 * s, yy, box_w - 12.0 * s, Role::Paragraph);
        model_h = model_h.max(yy + 5.0 * s - top);
        placed.push((x, its));
    }
    for (x, its) in placed {
        items.push(Item { role: Role::Artifact, kind: Kind::Rect { x, y: top, w: box_w, h: model_h, fill: None, stroke: Some((Rgb::BRAND, 1.0)) } });
        items.extend(its);
    }
    top += model_h + 8.0 * s;

    // The footer, from the bottom up: statutory basis and legend; partners above them.
    let legend_h = 12.0 * s.max(0.75);
    let foot_text = format!("Statutory basis: {}", plan.plan.statutory_basis);
    let foot_lines = wrap(m, &small, &foot_text, inner, &mut missing);
    let foot_h = foot_lines.len() as f32 * small.line_height();
    let partners: Vec<String> = plan.partners.iter().map(|p| format!("{} ({})", p.name, p.short_name)).collect();
    let partner_text = format!("Partners: {}", partners.join(" · "));
    let partner_lines = wrap(m, &body, &partner_text, inner, &mut missing);
    let partner_h = partner_lines.len() as f32 * body.line_height();
    // When commitments are being left out, one line says so on the page itself.
    let note_h = if per_priority < usize::MAX { body.line_height() + 2.0 * s } else { 0.0 };
    let bottom_limit = h - margin - legend_h - 4.0 * s - foot_h - 4.0 * s - partner_h - 8.0 * s - note_h;
    let mut fy = bottom_limit + 8.0 * s;
    items.push(Item {
        role: Role::Artifact,
        kind: Kind::Line { x1: margin, y1: fy - 4.0 * s, x2: w - margin, y2: fy - 4.0 * s, width: 0.75, color: Rgb::RULE },
    });
    let (its, used) = place_lines(m, &partner_lines, &body, margin, fy, &Role::Paragraph);
    items.extend(its);
    fy += used + 4.0 * s;
    let (its, used) = place_lines(m, &foot_lines, &small, margin, fy, &Role::Paragraph);
    items.extend(its);
    fy += used + 4.0 * s;
    items.extend(legend(m, margin, fy, inner, s.max(0.75)).0);

    // One column per theme.
    let n = plan.themes.len().max(1) as f32;
    let col_w = (inner - (n - 1.0) * gap) / n;
    for (i, theme) in plan.themes.iter().enumerate() {
        let x = margin + i as f32 * (col_w + gap);
        let mut cy = top;
        let head = Style::new(BODY * s * 1.15, Face::Bold).color(Rgb::WHITE);
        let head_lines = wrap(m, &head, &format!("Theme {}: {}", theme.number, theme.title), col_w - 12.0 * s, &mut missing);
        let head_h = head_lines.len() as f32 * head.line_height() + 10.0 * s;
        items.push(Item { role: Role::Artifact, kind: Kind::Rect { x, y: cy, w: col_w, h: head_h, fill: Some(Rgb::BRAND), stroke: None } });
        let (its, _) = place_lines(m, &head_lines, &head, x + 6.0 * s, cy + 5.0 * s, &Role::Heading(2));
        items.extend(its);
        cy += head_h + 4.0 * s;
        if !theme.delivery_groups.is_empty() {
            cy += text(&mut items, &mut missing, &format!("Delivered through: {}", theme.delivery_groups.join("; ")), small, x, cy, col_w, Role::Paragraph);
            cy += 3.0 * s;
        }
        for p in &theme.priorities {
            let lenses: Vec<&str> = p.lenses.iter().map(|l| lens_label(*l)).collect();
            let head = format!("{}  {}", p.reference, p.title);
            let head_lines = wrap(m, &label, &head, col_w, &mut missing);
            let lens_text = if lenses.is_empty() { String::new() } else { format!("Lenses: {}", lenses.join(" · ")) };
            let lens_lines = wrap(m, &small, &lens_text, col_w, &mut missing);
            let need = head_lines.len() as f32 * label.line_height() + lens_lines.len() as f32 * small.line_height();
            if cy + need > bottom_limit {
                overflowed = true;
                omitted.push(format!("priority {} {}", p.reference, p.title));
                if probe {
                    break;
                }
                continue;
            }
            let (its, used) = place_lines(m, &head_lines, &label, x, cy, &Role::Heading(3));
            items.extend(its);
            cy += used;
            let (its, used) = place_lines(m, &lens_lines, &small, x, cy, &Role::Paragraph);
            items.extend(its);
            cy += used + 1.5 * s;
            let commitments: Vec<&ActionRow> = actions.iter().filter(|a| a.priority == p.reference && a.lifecycle != Lifecycle::Cancelled).collect();
            for (k, a) in commitments.iter().enumerate() {
                if k >= per_priority {
                    // Beyond the per-priority limit: left out without being measured.
                    if !probe {
                        omitted.push(format!("{} {}", a.reference, a.title));
                    }
                    continue;
                }
                let indent = 9.0 * s;
                let lines = wrap(m, &body, &a.title, col_w - indent, &mut missing);
                let need = lines.len() as f32 * body.line_height();
                if cy + need > bottom_limit {
                    omitted.push(format!("{} {}", a.reference, a.title));
                    overflowed = true;
                    if probe {
                        break;
                    }
                    continue;
                }
                items.push(Item {
                    role: Role::ListItem,
                    kind: Kind::Text { x, y: cy + body.size * m.ascent(), size: body.size, face: Face::Regular, color: Rgb::BRAND, text: "•".into() },
                });
                let (its, used) = place_lines(m, &lines, &body, x + indent, cy, &Role::ListItem);
                items.extend(its);
                cy += used;
            }
            cy += 4.0 * s;
        }
    }
    if !omitted.is_empty() && note_h > 0.0 {
        let note = format!("Not shown for lack of space: {} commitment(s) — the full list is in the action tracker.", omitted.len());
        let st = Style::new(body.size, Face::Bold).color(Rgb::SECONDARY);
        text(&mut items, &mut missing, &note, st, margin, bottom_limit + 1.0 * s, inner, Role::Paragraph);
    }
    Built { page: Page { width: w, height: h, items }, overflowed, omitted, missing }
}

/// Lays out the Plan on a Page. Always one page.
pub fn layout(m: &dyn Metrics, plan: &PlanSummary, actions: &[ActionRow], paper: Paper) -> Document {
    layout_captioned(m, plan, actions, paper, None)
}

/// How many of the commitments left out the warning names (the page itself gives the count,
/// the action tracker has them all).
const NAMED_IN_WARNING: usize = 10;

/// The Plan on a Page with a caption above it, as an appendix of another paper.
pub fn layout_captioned(m: &dyn Metrics, plan: &PlanSummary, actions: &[ActionRow], paper: Paper, caption: Option<&str>) -> Document {
    let build = |s: f32, per_priority: usize, probe: bool| build(m, plan, actions, paper, caption, s, per_priority, probe);
    let min_scale = MIN_BODY / BODY;
    let fits = |b: &Built| !b.overflowed;
    // The largest scale at which everything fits, found by halving (to within 1%).
    let mut built = build(1.0, usize::MAX, true);
    let mut s = 1.0f32;
    if !fits(&built) {
        let at_min = build(min_scale, usize::MAX, true);
        if fits(&at_min) {
            let (mut lo, mut hi) = (min_scale, 1.0f32);
            while hi - lo > 0.01 {
                let mid = (lo + hi) / 2.0;
                if fits(&build(mid, usize::MAX, true)) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            s = lo;
            built = build(s, usize::MAX, false);
        } else {
            // Not even at the smallest size: the per-priority search below takes over (the
            // probe has recorded that something was left out).
            s = min_scale;
            built = at_min;
        }
    }
    let mut warnings = Vec::new();
    if !built.omitted.is_empty() {
        // Even at the smallest legible size it does not all fit: keep the same number of
        // commitments under every priority, as many as fit, and say what was left out.
        // The largest k (found by halving) at which no priority itself is left out.
        let most =
            plan.themes.iter().flat_map(|t| t.priorities.iter()).map(|p| actions.iter().filter(|a| a.priority == p.reference).count()).max().unwrap_or(0); // a plan with no priorities has no column to fill
        let (mut lo, mut hi) = (0usize, most);
        let mut best_k = 0;
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let b = build(s, mid, true);
            if !b.overflowed {
                lo = mid;
                best_k = mid;
            } else {
                hi = mid - 1;
            }
        }
        built = build(s, best_k, false);
        let named = built.omitted.iter().take(NAMED_IN_WARNING).cloned().collect::<Vec<_>>().join("; ");
        let more = built.omitted.len().saturating_sub(NAMED_IN_WARNING);
        warnings.push(format!(
            "The Plan on a Page could not fit everything at the smallest legible size ({MIN_BODY} pt); {} item(s) were left out: {named}{}",
            built.omitted.len(),
            if more > 0 { format!("; and {more} more (all are in the action tracker)") } else { String::new() }
        ));
    }
    if !built.missing.is_empty() {
        let list: Vec<String> = built.missing.iter().map(|c| format!("U+{:04X}", *c as u32)).collect();
        warnings.push(format!("Some characters have no glyph in the document's fonts and are shown as \"?\": {}", list.join(", ")));
    }
    Document {
        title: format!("{} – Plan on a Page", plan.plan.title),
        author: plan.plan.partnership.clone(),
        subject: format!("Plan on a Page, {} to {}", long_date(plan.plan.start_date), long_date(plan.plan.end_date)),
        pages: vec![built.page],
        outline: vec![],
        warnings,
    }
}
