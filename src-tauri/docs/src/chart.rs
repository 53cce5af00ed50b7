//! Charts for the papers, drawn by our layout as vector graphics (boxes, lines and text; no
//! image files). Each is a tagged Figure whose text alternative states what it shows with its
//! numbers; a status is always drawn with its shape (▲ ◆ ●…) and named in the legend, so the
//! chart reads in greyscale. The model (`Figure`) and its words live here, and so does the
//! drawing (`bars`, `trend_row`), which `flow` places on the page.

use ccsp_core::domain::{PriorityStatus, Rag};
use ccsp_core::store::{IndicatorRow, QuarterCounts, RagCounts, ThemeCounts};

use crate::layout::{measure, place_lines, wrap, Face, Item, Kind, Mark, Metrics, Rgb, Style, Tag, Tree};

/// The parts of a status bar, in the scale's order: the five statuses, then the actions that
/// owed a return and have none, or only an incomplete one.
pub const PARTS: [PriorityStatus; 6] = [
    PriorityStatus::Rag(Rag::Red),
    PriorityStatus::Rag(Rag::Amber),
    PriorityStatus::Rag(Rag::Green),
    PriorityStatus::Rag(Rag::Complete),
    PriorityStatus::Rag(Rag::NotStarted),
    PriorityStatus::NoReturn,
];

/// How many of a quarter's actions are in a part of the bar.
pub fn part_count(c: &RagCounts, p: PriorityStatus) -> u32 {
    match p {
        PriorityStatus::Rag(Rag::Red) => c.red,
        PriorityStatus::Rag(Rag::Amber) => c.amber,
        PriorityStatus::Rag(Rag::Green) => c.green,
        PriorityStatus::Rag(Rag::Complete) => c.complete,
        PriorityStatus::Rag(Rag::NotStarted) => c.not_started,
        PriorityStatus::NoReturn => c.incomplete + c.no_return,
    }
}

/// One bar: what it counts ("Theme 1, 2026/27 Q2", "2025/26 Q3") and the counts.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub counts: RagCounts,
}

/// One indicator's values across quarters, with its baseline and target.
#[derive(Debug, Clone)]
pub struct Trend {
    pub name: String,
    pub unit: String,
    /// Every quarter of the axis, in order, with the indicator's value in it if there is one.
    pub points: Vec<(String, Option<f64>)>,
    pub baseline: Option<f64>,
    pub baseline_period: String,
    pub target: Option<f64>,
}

#[derive(Debug, Clone)]
pub enum Chart {
    /// Stacked horizontal bars of status counts, one Figure.
    Bars(Vec<Bar>),
    /// Small multiples, one panel (and one Figure) per indicator.
    Trends(Vec<Trend>),
}

/// A chart with its caption (a paragraph above it, read before it).
#[derive(Debug, Clone)]
pub struct Figure {
    pub caption: String,
    pub chart: Chart,
}

/// A bar per quarter of `trend` (the dashboard's, quarter by quarter).
pub fn quarter_bars(trend: &[QuarterCounts]) -> Vec<Bar> {
    trend.iter().map(|q| Bar { label: q.label.clone(), counts: q.counts.clone() }).collect()
}

/// Per theme, its bar last quarter (when there is one) above its bar this quarter.
pub fn theme_bars(themes: &[ThemeCounts], now: &str, previous: Option<&str>) -> Vec<Bar> {
    let mut out = Vec::new();
    for t in themes {
        if let Some(p) = previous {
            out.push(Bar { label: format!("Theme {}, {p}", t.number), counts: t.previous.clone() });
        }
        out.push(Bar { label: format!("Theme {}, {now}", t.number), counts: t.now.clone() });
    }
    out
}

/// Each indicator across the quarters of `axis` (code, label), in the indicators' order.
pub fn trends(indicators: &[IndicatorRow], axis: &[(String, String)]) -> Vec<Trend> {
    indicators
        .iter()
        .map(|i| Trend {
            name: i.name.clone(),
            unit: i.unit.clone(),
            points: axis.iter().map(|(code, label)| (label.clone(), i.values.iter().find(|v| &v.quarter == code).map(|v| v.value))).collect(),
            baseline: i.baseline_value,
            baseline_period: i.baseline_period.clone(),
            target: if i.context_only { None } else { i.target_value },
        })
        .collect()
}

/// "Red 3, Amber 5, Green 10, Complete 2, Not started 1, No return 4": every part, always.
pub fn counts_words(c: &RagCounts) -> String {
    PARTS.iter().map(|p| format!("{} {}", p.label(), part_count(c, *p))).collect::<Vec<_>>().join(", ")
}

impl Trend {
    /// "Knife crime offences: 2025/26 Q1 118, 2025/26 Q2 110; baseline 120 (2024/25); target
    /// 100." Quarters without a value are left out; "no values yet" when there are none.
    pub fn alt(&self) -> String {
        let v = |x: f64| crate::words::with_unit(x, &self.unit);
        let values: Vec<String> = self.points.iter().filter_map(|(q, x)| x.map(|x| format!("{q} {}", v(x)))).collect();
        let mut out = format!("{}: {}", self.name, if values.is_empty() { "no values yet".into() } else { values.join(", ") });
        if let Some(b) = self.baseline {
            out.push_str(&format!("; baseline {}", crate::words::baseline(Some(b), &self.unit, &self.baseline_period)));
        }
        if let Some(t) = self.target {
            out.push_str(&format!("; target {}", v(t)));
        }
        out.push('.');
        out
    }
}

impl Figure {
    /// The text alternative of each Figure element it makes, in reading order: one for a bar
    /// chart, one per panel of small multiples.
    pub fn alts(&self) -> Vec<String> {
        match &self.chart {
            Chart::Bars(bars) => {
                let parts: Vec<String> = bars.iter().map(|b| format!("{}: {}", b.label, counts_words(&b.counts))).collect();
                vec![format!("Bar chart of actions by status. {}.", parts.join("; "))]
            }
            Chart::Trends(ts) => ts.iter().map(|t| format!("Line chart. {}", t.alt())).collect(),
        }
    }
}

const GAP: f32 = 0.8;

/// A stacked bar chart at `(x, top)` across `width`, as one Figure under `parent`: a row per
/// bar (its label, the parts with their shape and count where they fit, the total), then the
/// legend of the parts it shows. Returns the items and the height used.
pub fn bars(m: &dyn Metrics, tree: &mut Tree, parent: usize, alt: &str, bars: &[Bar], (x, top): (f32, f32), width: f32) -> (Vec<Item>, f32) {
    let fig = Mark::Content(tree.add(parent, Tag::Figure { alt: alt.to_string() }));
    let label_st = Style::new(7.5, Face::Regular);
    let seg_st = Style::new(7.0, Face::Bold);
    let total_st = Style::new(7.0, Face::Regular).color(Rgb::SECONDARY);
    let label_w = 118.0;
    let x0 = x + label_w + 6.0;
    let bar_w = width - label_w - 6.0 - 26.0;
    let bar_h = 12.0;
    // No bars, or only empty ones: any scale will do.
    let most = bars.iter().map(|b| PARTS.iter().map(|p| part_count(&b.counts, *p)).sum::<u32>()).max().unwrap_or(0).max(1);
    let unit = bar_w / most as f32;
    let mut items = Vec::new();
    let mut y = top;
    let mut used = [false; PARTS.len()];
    for b in bars {
        let lines = wrap(m, &label_st, &b.label, label_w, &mut Vec::new());
        let row_h = (lines.len() as f32 * label_st.line_height()).max(bar_h) + 4.0;
        items.extend(place_lines(m, &lines, &label_st, x, y + 1.5, fig).0);
        let mut at = x0;
        let mut total = 0;
        for (i, p) in PARTS.iter().enumerate() {
            let n = part_count(&b.counts, *p);
            if n == 0 {
                continue;
            }
            used[i] = true;
            total += n;
            let w = n as f32 * unit;
            let (fg, bg) = p.colours();
            // Outlined in its text colour; No return is left white, so that it never reads as
            // Not started's grey beside it.
            let fill = if *p == PriorityStatus::NoReturn { Rgb::WHITE } else { Rgb::hex(bg) };
            items.push(Item { mark: fig, kind: Kind::Rect { x: at, y, w: (w - GAP).max(0.5), h: bar_h, fill: Some(fill), stroke: Some((Rgb::hex(fg), 0.6)) } });
            let words = format!("{} {n}", p.shape());
            let text = wrap(m, &seg_st.color(Rgb::hex(fg)), &words, f32::MAX, &mut Vec::new());
            if text.first().is_some_and(|l| l.width + 4.0 <= w - GAP) {
                items.extend(place_lines(m, &text, &seg_st.color(Rgb::hex(fg)), at + 2.0, y + 2.2, fig).0);
            }
            at += w;
        }
        let t = wrap(m, &total_st, &total.to_string(), f32::MAX, &mut Vec::new());
        items.extend(place_lines(m, &t, &total_st, at + 3.0, y + 2.2, fig).0);
        y += row_h;
    }
    // The legend: each part shown, as its chip (shape and word).
    y += 2.0;
    let size = 7.0;
    let mut lx = x0;
    let mut row = 0.0f32;
    for p in PARTS.iter().zip(used).filter_map(|(p, u)| u.then_some(p)) {
        let (chip, w) = crate::status_chip(m, *p, lx, y, size, fig);
        if lx + w > x + width && lx > x0 {
            lx = x0;
            y += size * 1.45 + 3.0;
            items.extend(crate::status_chip(m, *p, lx, y, size, fig).0);
        } else {
            items.extend(chip);
        }
        lx += w + 6.0;
        row = size * 1.45;
    }
    (items, y + row - top)
}

/// How small multiples are set: panels a row, and the plot's height.
pub const PANELS_A_ROW: usize = 3;
const PLOT_H: f32 = 40.0;

/// One row of small multiples (up to `PANELS_A_ROW` trends), each panel its own Figure under
/// `parent`: the indicator's name, its latest value and target in words, the plot (values
/// joined by a line, the baseline "B" and target "T" as level lines), the first and last
/// quarters under it. Returns the items and the height used.
pub fn trend_row(m: &dyn Metrics, tree: &mut Tree, parent: usize, trends: &[Trend], x: f32, top: f32, width: f32) -> (Vec<Item>, f32) {
    let gap = 14.0;
    let pw = (width - gap * (PANELS_A_ROW as f32 - 1.0)) / PANELS_A_ROW as f32;
    let mut items = Vec::new();
    let mut tallest = 0.0f32;
    for (k, t) in trends.iter().enumerate() {
        let left = x + k as f32 * (pw + gap);
        let fig = Mark::Content(tree.add(parent, Tag::Figure { alt: format!("Line chart. {}", t.alt()) }));
        let (its, h) = panel(m, t, left, top, pw, fig);
        items.extend(its);
        tallest = tallest.max(h);
    }
    (items, tallest)
}

fn panel(m: &dyn Metrics, t: &Trend, left: f32, top: f32, pw: f32, fig: Mark) -> (Vec<Item>, f32) {
    let name_st = Style::new(7.5, Face::Bold);
    let sub_st = Style::new(6.5, Face::Regular).color(Rgb::SECONDARY);
    let axis_st = Style::new(6.0, Face::Regular).color(Rgb::SECONDARY);
    let mut items = Vec::new();
    let mut name = wrap(m, &name_st, &t.name, pw, &mut Vec::new());
    if name.len() > 2 {
        // The panel names it in two lines at most; the text alternative has it whole.
        let mut second = name[1].runs.iter().map(|r| r.text.as_str()).collect::<String>();
        while !second.is_empty() && measure(m, Face::Bold, 7.5, &format!("{second}…")) > pw {
            second.pop();
        }
        name.truncate(1);
        name.extend(wrap(m, &name_st, &format!("{}…", second.trim_end()), f32::MAX, &mut Vec::new()));
    }
    let (its, mut y) = place_lines(m, &name, &name_st, left, top, fig);
    items.extend(its);
    y += top;
    let v = |x: f64| crate::words::with_unit(x, &t.unit);
    let latest = t.points.iter().rev().find_map(|(q, x)| x.map(|x| format!("Latest {} ({q})", v(x))));
    let mut sub = vec![latest.unwrap_or_else(|| "No values yet".into())];
    if let Some(b) = t.baseline {
        sub.push(format!("B baseline {}", v(b)));
    }
    if let Some(g) = t.target {
        sub.push(format!("T target {}", v(g)));
    }
    let lines = wrap(m, &sub_st, &sub.join(" · "), pw, &mut Vec::new());
    let (its, used) = place_lines(m, &lines, &sub_st, left, y, fig);
    items.extend(its);
    y += used + 3.0;

    // The plot: values, baseline and target on one scale.
    let values: Vec<f64> = t.points.iter().filter_map(|(_, x)| *x).collect();
    let mut all: Vec<f64> = values.clone();
    all.extend(t.baseline);
    all.extend(t.target);
    // The scale's ends as labelled: the lowest and highest figure drawn.
    let (dlo, dhi) = if all.is_empty() { (0.0, 1.0) } else { all.iter().fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x))) };
    let (lo, hi) = if dhi - dlo < 1e-9 { (dlo - 1.0, dhi + 1.0) } else { (dlo, dhi) };
    let pad = (hi - lo) * 0.08;
    let (lo, hi) = (lo - pad, hi + pad);
    let ends = [crate::words::with_unit(dhi, ""), crate::words::with_unit(dlo, "")];
    let axis_w = ends.iter().map(|e| measure(m, Face::Regular, 6.0, e)).fold(12.0, f32::max);
    let px0 = left + axis_w + 4.0;
    let px1 = left + pw - 14.0;
    let pt = y;
    let pb = y + PLOT_H;
    let ypos = |x: f64| pb - ((x - lo) / (hi - lo)) as f32 * PLOT_H;
    items.push(Item { mark: fig, kind: Kind::Line { x1: px0, y1: pb, x2: px1, y2: pb, width: 0.5, color: Rgb::RULE } });
    items.push(Item { mark: fig, kind: Kind::Line { x1: px0, y1: pt, x2: px0, y2: pb, width: 0.5, color: Rgb::RULE } });
    let label_at = |items: &mut Vec<Item>, text: &str, right: f32, mid: f32| {
        let l = wrap(m, &axis_st, text, f32::MAX, &mut Vec::new());
        let w = l.first().map_or(0.0, |l| l.width);
        items.extend(place_lines(m, &l, &axis_st, right - w, mid - 6.0 * 0.62, fig).0);
    };
    if values.is_empty() {
        let l = wrap(m, &sub_st, "No values yet", f32::MAX, &mut Vec::new());
        items.extend(place_lines(m, &l, &sub_st, px0 + 4.0, pt + PLOT_H / 2.0 - 4.0, fig).0);
    } else {
        // The scale's ends, left of the axis (one label when every figure is the same).
        label_at(&mut items, &ends[0], px0 - 3.0, ypos(dhi).max(pt + 3.0));
        if ends[1] != ends[0] {
            label_at(&mut items, &ends[1], px0 - 3.0, ypos(dlo).min(pb - 3.0));
        }
        // Baseline and target as level lines, lettered right of the plot.
        let mut lettered: Vec<f32> = Vec::new();
        for (level, letter, colour, w) in [(t.baseline, "B", Rgb::SECONDARY, 0.6), (t.target, "T", Rgb::DARK, 0.9)] {
            let Some(level) = level else { continue };
            let ly = ypos(level);
            items.push(Item { mark: fig, kind: Kind::Line { x1: px0, y1: ly, x2: px1, y2: ly, width: w, color: colour } });
            let beside = lettered.iter().any(|o| (o - ly).abs() < 8.0);
            let lx = px1 + if beside { 8.0 } else { 2.0 };
            let l = wrap(m, &axis_st.color(colour), letter, f32::MAX, &mut Vec::new());
            items.extend(place_lines(m, &l, &axis_st.color(colour), lx, ly - 6.0 * 0.62, fig).0);
            lettered.push(ly);
        }
        // The values, joined where consecutive quarters both have one.
        let n = t.points.len();
        let xpos = |i: usize| if n <= 1 { (px0 + px1) / 2.0 } else { px0 + 4.0 + i as f32 * (px1 - px0 - 8.0) / (n - 1) as f32 };
        for (i, w) in t.points.windows(2).enumerate() {
            if let (Some(a), Some(b)) = (w[0].1, w[1].1) {
                items.push(Item { mark: fig, kind: Kind::Line { x1: xpos(i), y1: ypos(a), x2: xpos(i + 1), y2: ypos(b), width: 1.2, color: Rgb::BRAND } });
            }
        }
        for (i, (_, x)) in t.points.iter().enumerate() {
            if let Some(x) = x {
                items.push(Item { mark: fig, kind: Kind::Rect { x: xpos(i) - 1.6, y: ypos(*x) - 1.6, w: 3.2, h: 3.2, fill: Some(Rgb::BRAND), stroke: None } });
            }
        }
    }
    // The axis: first and last quarter.
    let under = pb + 2.0;
    if let Some((first, _)) = t.points.first() {
        let l = wrap(m, &axis_st, first, f32::MAX, &mut Vec::new());
        items.extend(place_lines(m, &l, &axis_st, px0, under, fig).0);
    }
    if t.points.len() > 1 {
        if let Some((last, _)) = t.points.last() {
            let l = wrap(m, &axis_st, last, f32::MAX, &mut Vec::new());
            let w = l.first().map_or(0.0, |l| l.width);
            items.extend(place_lines(m, &l, &axis_st, px1 - w, under, fig).0);
        }
    }
    (items, under + axis_st.line_height() + 8.0 - top)
}
