//! The quarterly performance report for the CCSP meeting (A4 portrait): cover with the quarter
//! and a RAG summary; RAG counts by theme against last quarter; exceptions (every Red and Amber
//! with commentary and mitigation); the full action tracker grouped theme > priority;
//! indicators; funding; partners who have not returned updates; the status key.

use ccsp_core::domain::{Direction, Quarter, QuarterState};
use ccsp_core::store::{Dashboard, FundingView, IndicatorsView, PlanSummary, RagCounts, UpdateSheet};
use ccsp_core::Store;

use crate::chart::{self, Chart};
use crate::layout::{Document, Metrics};
use crate::model::{Builder, Cell, Col, Doc, Look};
use crate::{long_date, DocError};

pub struct Data {
    pub plan: PlanSummary,
    pub dash: Dashboard,
    pub sheet: UpdateSheet,
    pub indicators: IndicatorsView,
    pub funding: FundingView,
    pub today: chrono::NaiveDate,
    /// The UK date the quarter was signed off, if it was.
    pub signed_off_on: Option<chrono::NaiveDate>,
    /// The protective marking every page carries.
    pub marking: String,
}

impl Data {
    pub fn load(store: &Store, q: Quarter, today: chrono::NaiveDate) -> Result<Data, DocError> {
        let actions = store.list_actions()?;
        let plan = store.plan_summary(today)?;
        // With the trend over every quarter so far, which the pack charts.
        let dash = store.dashboard_with_trend(q, today, &actions, &plan)?;
        let signed_off_on = dash.quarter.signed_off_at.as_deref().map(ccsp_core::paths::uk_day_of).transpose()?;
        Ok(Data {
            plan,
            signed_off_on,
            marking: crate::marking(store)?,
            dash,
            sheet: store.update_sheet_over(q, today, &actions)?,
            indicators: store.indicators_view(q, today)?,
            funding: store.funding_over(q.year(), today, &actions)?,
            today,
        })
    }
}

fn pounds(p: i64) -> String {
    ccsp_core::domain::Pence(p).to_string()
}

fn counts_row(label: String, now: &RagCounts, prev: Option<&RagCounts>) -> Vec<Cell> {
    let f = |n: u32, p: Option<u32>| {
        Cell::Text(match p {
            Some(p) if p != n => format!("{n} ({}{})", if n > p { "+" } else { "−" }, n.abs_diff(p)),
            _ => n.to_string(),
        })
    };
    vec![
        Cell::Text(label),
        f(now.red, prev.map(|p| p.red)),
        f(now.amber, prev.map(|p| p.amber)),
        f(now.green, prev.map(|p| p.green)),
        f(now.complete, prev.map(|p| p.complete)),
        f(now.not_started, prev.map(|p| p.not_started)),
        f(now.incomplete + now.no_return, prev.map(|p| p.incomplete + p.no_return)),
    ]
}

fn value(v: Option<f64>, unit: &str) -> String {
    crate::words::figure(v, unit)
}

/// The pack laid out for the PDF.
pub fn layout(m: &dyn Metrics, d: &Data) -> Document {
    crate::flow::lay_out(m, &model(d))
}

/// The pack as a document model.
pub fn model(d: &Data) -> Doc {
    let mut f = Builder::new();
    let q = &d.dash.quarter;
    // The pack is final once the coordinator has reviewed every Red and Amber (the sign-off
    // steps); until then it says it is a draft, on its cover and on every page.
    let unreviewed = d.dash.off_track.iter().filter(|o| o.reviewed_by.is_none()).count();
    let draft = unreviewed > 0 && q.state != QuarterState::SignedOff;
    let title = format!("{} – quarterly performance report, {}{}", d.plan.plan.partnership, q.label, if draft { " (draft)" } else { "" });

    // Cover.
    f.styled(&d.plan.plan.partnership, Look::Kicker);
    f.heading(1, &format!("Quarterly performance report: {}", q.label));
    f.styled(
        &format!("{} · quarter {} to {} · produced {}", d.plan.plan.title, long_date(d.sheet_start()), long_date(d.sheet_end()), long_date(d.today)),
        Look::Muted,
    );
    // The cover names the meeting the pack is for, when its date is set (stored as
    // store::schedule writes it; the store refuses anything else when it reads it).
    if let Some(m) = q.schedule.meeting.as_deref().and_then(|m| chrono::NaiveDateTime::parse_from_str(m, "%Y-%m-%dT%H:%M:%S").ok()) {
        let place = if q.schedule.place.is_empty() { String::new() } else { format!(", {}", q.schedule.place) };
        f.styled(&format!("For the CCSP meeting on {} at {}{place}.", m.format("%A %-d %B %Y"), m.format("%H:%M")), Look::Strong);
    }
    let state = match (q.state, &q.signed_off_by, d.signed_off_on) {
        (QuarterState::SignedOff, Some(by), Some(on)) => format!("Signed off by {by} on {}.", long_date(on)),
        (QuarterState::SignedOff, ..) => "Signed off.".into(),
        (QuarterState::Open, ..) => "Open: not yet signed off at the CCSP meeting.".into(),
        (QuarterState::NotStarted, ..) => "Not started.".into(),
    };
    f.paragraph(&format!(
        "{} {} {}",
        state,
        crate::words::returns_complete(d.dash.updated, d.dash.expected),
        if d.dash.missing_by_lead.is_empty() { "" } else { "Actions with no return are listed at the end." }
    ));
    if draft {
        f.styled(
            &format!(
                "Draft: {} still to be reviewed by the coordinator; the pack is final once every one is (Sign-off and audit, or `ccsp quarter review`).",
                crate::words::count(unreviewed as u32, "Red or Amber action")
            ),
            Look::Strong,
        );
    }
    let cols = [
        Col { title: "Actions", width: 3.2 },
        Col { title: "Red", width: 1.0 },
        Col { title: "Amber", width: 1.0 },
        Col { title: "Green", width: 1.0 },
        Col { title: "Complete", width: 1.1 },
        Col { title: "Not started", width: 1.1 },
        Col { title: "No return / incomplete", width: 1.4 },
    ];
    let prev = d.dash.previous.as_ref().map(|_| &d.dash.total_previous);
    f.heading(2, "Summary");
    f.table(&cols, vec![counts_row(format!("All actions, {}", q.label), &d.dash.total_now, prev)], 9.0);
    if let Some(p) = &d.dash.previous {
        f.styled(&format!("Figures in brackets are the change since {p}."), Look::Note);
    }
    // The legend labels itself "Status key:"; a heading with the same words would say it twice.
    f.status_key();
    f.figure(&format!("The whole plan's status in every quarter so far, to {}", q.label), Chart::Bars(chart::quarter_bars(&d.dash.trend)));

    // RAG by theme.
    f.heading(2, "1. Status by theme against last quarter");
    let rows: Vec<Vec<Cell>> =
        d.dash.themes.iter().map(|t| counts_row(format!("{}. {}", t.number, t.title), &t.now, d.dash.previous.as_ref().map(|_| &t.previous))).collect();
    f.table(&cols, rows, 8.5);
    let (caption, prev) = match &d.dash.previous {
        Some(p) => (format!("Status by theme, {} against {p}", q.label), Some(p.as_str())),
        None => (format!("Status by theme, {}", q.label), None),
    };
    f.figure(&caption, Chart::Bars(chart::theme_bars(&d.dash.themes, &q.label, prev)));

    // Exceptions.
    f.heading(2, "2. Exceptions: every Red and Amber");
    if d.dash.off_track.is_empty() {
        f.paragraph("No action is Red or Amber this quarter.");
    } else {
        let cols = [
            Col { title: "Ref", width: 0.7 },
            Col { title: "Action and lead", width: 2.6 },
            Col { title: "Status", width: 1.3 },
            Col { title: "Commentary", width: 3.0 },
            Col { title: "Mitigation / next steps", width: 2.6 },
        ];
        let rows: Vec<Vec<Cell>> = d
            .dash
            .off_track
            .iter()
            .map(|o| {
                vec![
                    Cell::Bold(o.reference.clone()),
                    Cell::Text(format!("{} (lead {})", o.title, o.lead)),
                    Cell::Status(Some(o.rag), ""),
                    Cell::Text(o.commentary.clone()),
                    Cell::Text(if o.next_steps.is_empty() { "—".into() } else { o.next_steps.clone() }),
                ]
            })
            .collect();
        f.table(&cols, rows, 8.5);
    }

    // Action tracker.
    f.heading(2, "3. Action tracker");
    let cols = [
        Col { title: "Ref", width: 0.7 },
        Col { title: "Action", width: 3.0 },
        Col { title: "Lead", width: 0.8 },
        Col { title: "Last quarter", width: 1.3 },
        Col { title: "This quarter", width: 1.3 },
        Col { title: "Commentary", width: 3.3 },
    ];
    for t in &d.plan.themes {
        let rows: Vec<Vec<Cell>> = d
            .sheet
            .rows
            .iter()
            .filter(|r| r.theme == t.number)
            .map(|r| {
                let st = |c: &Option<ccsp_core::store::UpdateCell>, none: &'static str| match c {
                    Some(u) if u.draft => Cell::Status(None, "Incomplete"),
                    Some(u) => Cell::Status(u.rag, none),
                    None => Cell::Status(None, none),
                };
                vec![
                    Cell::Bold(r.reference.clone()),
                    Cell::Text(r.title.clone()),
                    Cell::Text(r.lead.clone()),
                    st(&r.previous, "—"),
                    st(&r.current, "No return"),
                    Cell::Text(r.current.as_ref().map(|u| u.commentary.clone()).unwrap_or_default()), // no return: no commentary
                ]
            })
            .collect();
        if rows.is_empty() {
            f.heading(3, &format!("Theme {}: {}", t.number, t.title));
            f.paragraph("No actions report under this theme this quarter.");
        } else {
            f.titled_table(&format!("Theme {}: {}", t.number, t.title), &cols, rows, 8.0);
        }
    }

    // Indicators.
    f.heading(2, "4. Indicators");
    if d.indicators.indicators.is_empty() {
        f.paragraph("No indicators are recorded yet.");
    } else {
        let cols = [
            Col { title: "Indicator", width: 3.2 },
            Col { title: "Baseline", width: 1.1 },
            Col { title: "Target", width: 0.9 },
            Col { title: "Previous", width: 0.9 },
            Col { title: "Latest", width: 0.9 },
            Col { title: "Direction", width: 1.1 },
            Col { title: "Against target", width: 1.3 },
        ];
        let rows: Vec<Vec<Cell>> = d
            .indicators
            .indicators
            .iter()
            .map(|i| {
                let dir = match (i.movement, i.direction) {
                    (Some(mv), Some(dn)) => format!(
                        "{} ({})",
                        format!("{mv:?}").to_lowercase(),
                        match dn {
                            Direction::Better => "better",
                            Direction::Same => "same",
                            Direction::Worse => "worse",
                        }
                    ),
                    (Some(mv), None) => format!("{mv:?}").to_lowercase(),
                    _ => "—".into(),
                };
                vec![
                    Cell::Text(format!("{} ({})", i.name, i.source)),
                    Cell::Text(crate::words::baseline(i.baseline_value, &i.unit, &i.baseline_period)),
                    Cell::Text(if i.context_only { "context only".into() } else { value(i.target_value, &i.unit) }),
                    Cell::Text(value(i.previous, &i.unit)),
                    Cell::Text(value(i.latest, &i.unit)),
                    Cell::Text(dir),
                    Cell::Status(i.rag, if i.context_only { "No target" } else { "No value" }),
                ]
            })
            .collect();
        f.table(&cols, rows, 8.0);
        let axis: Vec<(String, String)> = d.dash.trend.iter().map(|t| (t.quarter.clone(), t.label.clone())).collect();
        f.figure("Each indicator in every quarter so far, with its baseline (B) and target (T)", Chart::Trends(chart::trends(&d.indicators.indicators, &axis)));
    }

    // Funding.
    f.heading(2, &format!("5. Funding, {}", d.funding.year_label));
    let fv = &d.funding;
    f.paragraph(&format!(
        "Grant {}; allocated {}; spent to date {}{}.",
        fv.grant_pence.map(pounds).unwrap_or_else(|| "not entered".into()),
        pounds(fv.allocated_pence),
        pounds(fv.spent_pence),
        match fv.unallocated_pence {
            Some(u) if u < 0 => format!("; over-allocated by {}", pounds(-u)),
            Some(u) => format!("; {} not yet allocated", pounds(u)),
            None => String::new(),
        }
    ));
    if !fv.rows.is_empty() {
        let cols = [
            Col { title: "Ref", width: 0.7 },
            Col { title: "Action", width: 4.0 },
            Col { title: "Lead", width: 0.8 },
            Col { title: "Allocated", width: 1.3 },
            Col { title: "Spent", width: 1.3 },
        ];
        let rows: Vec<Vec<Cell>> = fv
            .rows
            .iter()
            .map(|r| {
                vec![
                    Cell::Bold(r.reference.clone()),
                    Cell::Text(r.title.clone()),
                    Cell::Text(r.lead.clone()),
                    Cell::Text(pounds(r.allocated_pence)),
                    Cell::Text(pounds(r.spent_pence)),
                ]
            })
            .collect();
        f.table(&cols, rows, 8.0);
    }

    // Returns outstanding.
    f.heading(2, "6. Returns not received");
    if d.dash.missing_by_lead.is_empty() {
        f.paragraph("Every expected return was received.");
    } else {
        let items: Vec<String> = d
            .dash
            .missing_by_lead
            .iter()
            .map(|p| format!("{} ({}): {}", p.lead_name, p.lead, p.actions.iter().map(|a| a.reference.as_str()).collect::<Vec<_>>().join(", ")))
            .collect();
        f.bullets(&items);
    }

    let running = format!("{} · {} · {}{}", d.plan.plan.partnership, "Quarterly performance report", q.label, if draft { " · DRAFT" } else { "" });
    f.finish(title, d.plan.plan.partnership.clone(), format!("CCSP quarterly performance report, {}", q.label), running, d.marking.clone(), Vec::new())
}

impl Data {
    fn sheet_start(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(&self.dash.quarter.start, "%Y-%m-%d").unwrap_or(self.today)
    }
    fn sheet_end(&self) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(&self.dash.quarter.end, "%Y-%m-%d").unwrap_or(self.today)
    }
}
