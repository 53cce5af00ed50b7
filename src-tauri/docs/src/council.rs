//! The annual progress report to Cabinet and Council, in the council's report format as the
//! seed document shows it: the front sheet, then numbered sections with numbered paragraphs,
//! the report author block, and the appendices (the Plan on a Page, the action tracker).
//! Numbers and tables come from the data; each narrative section is the coordinator's text for
//! the year, or a draft generated from the data when none has been written (and marked so).

use std::collections::HashMap;

use ccsp_core::domain::{FinancialYear, FrontSheet, Lifecycle, Pence, Quarter};
use ccsp_core::store::{ActionRow, Dashboard, FundingView, IndicatorsView, PlanSummary};
use ccsp_core::Store;

use crate::chart::{self, Chart};
use crate::layout::{Document, Metrics};
use crate::model::{Builder, Cell, Col, Doc, Look};
use crate::{long_date, DocError};

pub struct Data {
    pub year: FinancialYear,
    pub plan: PlanSummary,
    pub actions: Vec<ActionRow>,
    /// The last quarter of the year that has ended (or the current one), for the figures.
    pub quarter: Quarter,
    pub dash: Dashboard,
    pub indicators: IndicatorsView,
    pub funding: FundingView,
    pub narratives: HashMap<String, String>,
    /// The front sheet as saved for the year, or its defaults.
    pub front: FrontSheet,
    pub today: chrono::NaiveDate,
    /// The protective marking every page carries.
    pub marking: String,
    /// The year's last quarter, which the Plan on a Page's status is as at, and each action's
    /// latest status up to it.
    pub year_end: Quarter,
    pub latest: HashMap<String, ccsp_core::domain::LatestStatus>,
}

impl Data {
    pub fn load(store: &Store, year: FinancialYear, today: chrono::NaiveDate) -> Result<Data, DocError> {
        let plan = store.plan_summary(today)?;
        let quarters: Vec<Quarter> = year.quarters().into_iter().filter(|q| plan.quarters.iter().any(|s| s.code == q.code())).collect();
        if quarters.is_empty() {
            return Err(ccsp_core::CoreError::invalid("year", format!("{year} is not a year of the plan")).into());
        }
        let ended: Vec<Quarter> = quarters.iter().copied().filter(|q| q.end() < today).collect();
        let quarter = ended.last().copied().unwrap_or(quarters[0]);
        let actions = store.list_actions()?;
        let year_end = *quarters.last().unwrap_or(&quarter); // never empty (checked above)
        Ok(Data {
            latest: store.latest_status_as_at(year_end)?,
            year_end,
            year,
            // With the trend, which the report charts for the year.
            dash: store.dashboard_with_trend(quarter, today, &actions, &plan)?,
            indicators: store.indicators_view(quarter, today)?,
            funding: store.funding_over(year, today, &actions)?,
            actions,
            narratives: store.narratives(year)?,
            front: store.front_sheet_or_default(year)?.sheet,
            marking: crate::marking(store)?,
            plan,
            quarter,
            today,
        })
    }

    /// The coordinator's text for a section, else the generated draft (and whether it is one).
    fn section(&self, key: &str, draft: impl FnOnce() -> Vec<String>) -> (Vec<String>, bool) {
        match self.narratives.get(key).filter(|t| !t.trim().is_empty()) {
            Some(t) => (t.split("\n\n").map(|p| p.trim().replace('\n', " ")).filter(|p| !p.is_empty()).collect(), false),
            None => (draft(), true),
        }
    }
}

fn pounds(p: i64) -> String {
    Pence(p).to_string()
}

/// The report laid out for the PDF.
pub fn layout(m: &dyn Metrics, d: &Data) -> Document {
    crate::flow::lay_out(m, &model(d))
}

/// The report as a document model, for the PDF and the Word copy alike.
pub fn model(d: &Data) -> Doc {
    let mut f = Builder::new();
    let plan = &d.plan.plan;
    let fy = d.year.to_string();
    let front = &d.front;
    // A field saved empty prints what the report would print had it never been filled in.
    let or = |v: &str, default: &str| if v.trim().is_empty() { default.to_string() } else { v.to_string() };
    let title = or(&front.title, &format!("{}: annual progress report {fy}", plan.title));
    let mut drafts: Vec<&str> = Vec::new();
    let total = d.actions.iter().filter(|a| a.lifecycle != Lifecycle::Cancelled).count();
    let complete = d.actions.iter().filter(|a| a.lifecycle == Lifecycle::Complete).count();
    let t = &d.dash.total_now;

    // Front sheet.
    f.styled("Report to Cabinet and Council", Look::Kicker);
    f.heading(1, &format!("Title: {title}"));
    f.heading_as(2, 3, "Is this a key decision?");
    f.paragraph(if front.key_decision { "Yes" } else { "No" });
    f.heading_as(2, 3, "Executive summary:");
    let (summary, draft) = d.section("executive_summary", || {
        vec![
            format!("{} is the statutory body that brings local partners together to tackle crime and disorder, anti-social behaviour, drug and alcohol misuse and re-offending. This report sets out progress in {fy} against the {}, which began on {}.", plan.partnership, plan.title, long_date(plan.start_date)),
            format!(
                "Of the {} in the plan, {}. In {}, {}; {}.",
                crate::words::count(total as u32, "action"),
                crate::words::complete_clause(complete as u32),
                d.quarter,
                crate::words::status_counts(t),
                crate::words::outstanding(t.no_return + t.incomplete)
            ),
        ]
    });
    if draft {
        drafts.push("Executive summary");
    }
    for p in &summary {
        f.paragraph(p);
    }
    f.heading_as(2, 3, "Recommendations:");
    f.paragraph("Cabinet is recommended to:");
    f.recommendations(&[
        format!("Note the progress made in {fy} in delivering the {}.", plan.title),
        "Continue to request quarterly monitoring of the Plan by the Coventry Community Safety Partnership.".into(),
    ]);
    f.paragraph("Council is recommended to:");
    f.recommendations(&["Note the progress of the Coventry Community Safety Partnership Plan, as required under the Crime and Disorder Act 1998.".into()]);
    f.heading_as(2, 3, "List of Appendices included:");
    f.paragraph("Appendix 1 – Plan on a Page");
    f.paragraph("Appendix 2 – Action tracker");
    f.heading_as(2, 3, "Background papers:");
    f.paragraph("None");
    f.heading_as(2, 3, "Other useful documents:");
    f.paragraph("Crime and Disorder Act 1998; the Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007");
    f.heading_as(2, 3, "Has it or will it be considered by Scrutiny?");
    f.paragraph(&or(&front.scrutiny, "No"));
    f.heading_as(2, 3, "Has it or will it be considered by any other Council Committee, Advisory Panel or other body?");
    f.paragraph(&or(&front.other_bodies, "No"));
    f.heading_as(2, 3, "Will this report go to Council?");
    f.paragraph(&or(&front.council, "Yes"));

    // The report.
    f.page_break();
    f.heading(2, &format!("Report title: {title}"));
    let section = |f: &mut Builder, n: u32, heading: &str, paras: Vec<String>| {
        f.heading(2, &format!("{n}. {heading}"));
        f.numbered(&format!("{n}."), &paras);
    };
    let (ctx, dr) = d.section("context", || {
        vec![
            "Under Section 5 of the Crime and Disorder Act 1998, the Council along with the Police have a joint responsibility for preventing and reducing crime and disorder, working through the Community Safety Partnership with the other responsible authorities.".into(),
            format!("The {} sets out the partnership's vision: {}", plan.title, plan.vision.trim_end_matches('.').to_string() + "."),
            format!("The plan has {} themes and {} priorities, delivered through the partnership's sub-groups, with progress monitored quarterly by the CCSP.", d.plan.themes.len(), d.plan.themes.iter().map(|t| t.priorities.len()).sum::<usize>()),
        ]
    });
    if dr {
        drafts.push("1. Context");
    }
    section(&mut f, 1, "Context (or background)", ctx);
    let (opt, dr) = d.section("options", || {
        vec![format!("This report is for information: it asks Cabinet and Council to note the progress made in {fy}. There are no options to consider.")]
    });
    if dr {
        drafts.push("2. Options");
    }
    section(&mut f, 2, "Options considered and recommended proposal", opt);

    let (prog, dr) = d.section("progress", || {
        let mut v = vec![format!(
            "At {} the plan held {}, of which {}. For {}, {}; {}.",
            long_date(d.today),
            crate::words::count(total as u32, "live action"),
            crate::words::complete_clause(complete as u32),
            d.quarter,
            crate::words::status_counts(t),
            crate::words::outstanding(t.no_return + t.incomplete)
        )];
        for th in &d.dash.themes {
            v.push(format!("Theme {} ({}): {}.", th.number, th.title, crate::words::status_counts(&th.now)));
        }
        v
    });
    if dr {
        drafts.push("3. Progress");
    }
    section(&mut f, 3, "Progress against the plan", prog);
    if !d.dash.off_track.is_empty() {
        let cols = [
            Col { title: "Ref", width: 0.7 },
            Col { title: "Action", width: 3.0 },
            Col { title: "Status", width: 1.2 },
            Col { title: "Commentary and mitigation", width: 4.0 },
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
                    Cell::Text(format!("{} {}", o.commentary, o.next_steps).trim().to_string()),
                ]
            })
            .collect();
        f.styled(&format!("Actions reported Red or Amber in {}:", d.quarter), Look::Strong);
        f.table(&cols, rows, 8.5);
    }
    let year: Vec<ccsp_core::store::QuarterCounts> = d.dash.trend.iter().filter(|t| d.year.quarters().iter().any(|q| q.code() == t.quarter)).cloned().collect();
    f.figure(&format!("The plan's status in each quarter of {fy} so far"), Chart::Bars(chart::quarter_bars(&year)));

    let (perf, dr) = d.section("performance", || {
        let mut v = Vec::new();
        for i in &d.indicators.indicators {
            let latest = i.latest.map(|x| crate::words::with_unit(x, &i.unit)).unwrap_or_else(|| "no figure yet".into());
            let against = match (i.context_only, i.rag) {
                (true, _) => " It is a context measure with no target.".to_string(),
                (false, Some(r)) => match i.target_value {
                    Some(t) => format!(" Against its target of {} it is {}.", crate::words::with_unit(t, &i.unit), r.label()),
                    None => format!(" It is {}.", r.label()),
                },
                (false, None) => String::new(),
            };
            v.push(format!(
                "{} ({}): {latest} in {} (baseline {}).{against}",
                i.name,
                i.source,
                d.quarter,
                crate::words::baseline(i.baseline_value, &i.unit, &i.baseline_period)
            ));
        }
        if v.is_empty() {
            v.push("No indicator figures have been recorded yet.".into());
        }
        v
    });
    if dr {
        drafts.push("4. Performance");
    }
    section(&mut f, 4, "Performance", perf);
    if !d.indicators.indicators.is_empty() {
        let axis: Vec<(String, String)> = year.iter().map(|t| (t.quarter.clone(), t.label.clone())).collect();
        f.figure(&format!("Each indicator in {fy}, with its baseline (B) and target (T)"), Chart::Trends(chart::trends(&d.indicators.indicators, &axis)));
    }
    let (tt, dr) = d.section("timetable", || {
        vec![format!(
            "Progress will continue to be monitored quarterly by the CCSP, with a further annual report in the next financial year. The plan runs to {}.",
            long_date(plan.end_date)
        )]
    });
    if dr {
        drafts.push("5. Timetable");
    }
    section(&mut f, 5, "Timetable for implementing this decision", tt);

    f.heading(2, "6. Comments from the Director of Finance and Resources and the Director of Law and Governance");
    let fv = &d.funding;
    let (fin, dr) = d.section("financial", || {
        vec![format!(
            "To support its duty to reduce crime and disorder, the CCSP receives grant funding. For {fy} the grant is {}; {} has been allocated to actions and {} spent to date.{}",
            fv.grant_pence.map(pounds).unwrap_or_else(|| "not yet recorded".into()),
            pounds(fv.allocated_pence),
            pounds(fv.spent_pence),
            if fv.over_allocated { " Allocations exceed the grant and will be reviewed." } else { "" }
        )]
    });
    if dr {
        drafts.push("6.1 Financial implications");
    }
    f.heading(3, "6.1. Financial implications");
    f.numbered("6.1.", &fin);
    let (legal, dr) = d.section("legal", || {
        vec![format!("{} The Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007 require the partnership plan to be revised every year after the strategic assessment.", plan.statutory_basis)]
    });
    if dr {
        drafts.push("6.2 Legal implications");
    }
    f.heading(3, "6.2. Legal implications");
    f.numbered("6.2.", &legal);

    f.heading(2, "7. Other implications");
    let others: [(&str, &str, Vec<String>); 6] = [
        (
            "one_coventry",
            "How will this contribute to the One Coventry Plan?",
            vec!["The plan supports the One Coventry Plan's priorities of improving outcomes and tackling inequalities within our communities.".into()],
        ),
        (
            "risk",
            "How is risk being managed?",
            vec!["Actions reported Red are escalated to the CCSP for a partnership decision; progress is reviewed quarterly.".into()],
        ),
        (
            "organisation",
            "What is the impact on the organisation?",
            vec!["The plan is delivered within existing resources and the grant described above.".into()],
        ),
        ("equalities", "Equalities / EIA", vec!["An Equality Impact Assessment was completed for the plan and is reviewed when it is revised.".into()]),
        ("climate", "Implications for (or impact on) climate change and the environment", vec!["None arising directly from this report.".into()]),
        (
            "partners",
            "Implications for partner organisations?",
            vec![format!(
                "The plan is delivered with the partners of the CCSP: {}.",
                d.plan.partners.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ")
            )],
        ),
    ];
    for (i, (key, heading, draft)) in others.into_iter().enumerate() {
        let (paras, dr) = d.section(key, || draft);
        if dr {
            drafts.push(heading);
        }
        f.heading(3, &format!("7.{}. {heading}", i + 1));
        f.numbered(&format!("7.{}.", i + 1), &paras);
    }

    // The author block (its lines, the key's label and chips) stays together with its heading.
    let author_lines = 2.0 + f32::from(!front.service_area.trim().is_empty()) + f32::from(!front.contact.trim().is_empty()) + 4.0;
    f.heading_with(2, "Report author(s)", author_lines);
    f.paragraph(&format!("Name and job title: {}", or(&front.author_role, "Community Safety Partnership coordinator")));
    if !front.service_area.trim().is_empty() {
        f.paragraph(&format!("Service area: {}", front.service_area));
    }
    if !front.contact.trim().is_empty() {
        f.paragraph(&front.contact);
    }
    // The legend labels itself "Status key:"; no line before it saying the same.
    f.status_key();

    // Appendix 1: the Plan on a Page, on a landscape page of its own.
    f.plan_on_a_page(crate::plan_on_a_page::model(&crate::plan_on_a_page::Input {
        plan: &d.plan,
        actions: &d.actions,
        indicators: &d.indicators.indicators,
        as_at: Some(d.year_end),
        status: Some(&d.latest),
        caption: Some("Appendix 1 – Plan on a Page"),
        marking: &d.marking,
    }));
    let mut warnings = Vec::new();

    // Appendix 2: the action tracker.
    f.page_break();
    f.heading(2, "Appendix 2 – Action tracker");
    f.paragraph(&format!("Every action in the plan with its lifecycle and the latest status reported (as at {}).", long_date(d.today)));
    let cols = [
        Col { title: "Ref", width: 0.7 },
        Col { title: "Action", width: 3.6 },
        Col { title: "Lead", width: 0.8 },
        Col { title: "Due", width: 1.1 },
        Col { title: "Lifecycle", width: 1.1 },
        Col { title: "Latest status", width: 1.4 },
    ];
    for th in &d.plan.themes {
        let rows: Vec<Vec<Cell>> = d
            .actions
            .iter()
            .filter(|a| a.theme == th.number)
            .map(|a| {
                vec![
                    Cell::Bold(a.reference.clone()),
                    Cell::Text(a.title.clone()),
                    Cell::Text(a.lead.clone()),
                    Cell::Text(crate::words::due(a.due_date.as_deref(), a.due_quarter.as_deref())),
                    Cell::Text(a.lifecycle.label().to_string()),
                    if a.latest_draft { Cell::Status(None, "Incomplete") } else { Cell::Status(a.latest_rag, "No update") },
                ]
            })
            .collect();
        if rows.is_empty() {
            f.heading(3, &format!("Theme {}: {}", th.number, th.title));
            f.paragraph("No actions yet.");
        } else {
            f.titled_table(&format!("Theme {}: {}", th.number, th.title), &cols, rows, 8.0);
        }
    }

    if !drafts.is_empty() {
        warnings.push(format!(
            "These sections have no text written for {fy} and print a draft generated from the data (write them under Exports → Report text, or with `ccsp report narrative set`): {}",
            drafts.join(", ")
        ));
    }
    let running = format!("{} · {}", plan.partnership, title);
    f.finish(title, plan.partnership.clone(), format!("Annual progress report to Cabinet and Council, {fy}"), running, d.marking.clone(), warnings)
}
