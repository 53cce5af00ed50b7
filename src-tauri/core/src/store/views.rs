//! What the desktop screens show: the dashboard, the quarterly update sheet, indicators and
//! funding. Each is one read over the store, shaped for its screen; the CLI can print them too.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::{ref_key, ActionRow, PlanSummary, QuarterSummary, Store};
use crate::domain::indicator::{rag_against_target, trend, Movement};
use crate::domain::{Direction, FinancialYear, Lifecycle, Plan, Polarity, Quarter, Rag, Update};
use crate::error::CoreError;

/// How many actions stood at each status in a quarter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct RagCounts {
    pub red: u32,
    pub amber: u32,
    pub green: u32,
    pub complete: u32,
    pub not_started: u32,
    /// Updates saved as incomplete drafts (a rule is broken).
    pub incomplete: u32,
    /// Actions expected to report that have no update at all.
    pub no_return: u32,
}

impl RagCounts {
    fn add(&mut self, u: Option<&Update>) {
        self.add_status(u.map(|u| crate::domain::LatestStatus { rag: u.rag, draft: u.draft }).as_ref());
    }

    /// Counts one action expected to report: its update's status, or no return.
    fn add_status(&mut self, u: Option<&crate::domain::LatestStatus>) {
        match u {
            None => self.no_return += 1,
            Some(u) if u.draft => self.incomplete += 1,
            Some(u) => match u.rag {
                Some(Rag::Red) => self.red += 1,
                Some(Rag::Amber) => self.amber += 1,
                Some(Rag::Green) => self.green += 1,
                Some(Rag::Complete) => self.complete += 1,
                Some(Rag::NotStarted) => self.not_started += 1,
                None => self.incomplete += 1,
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ThemeCounts {
    pub number: u32,
    pub title: String,
    pub now: RagCounts,
    pub previous: RagCounts,
}

/// An action as a list on the dashboard names it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActionBrief {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub lead: String,
    pub due: Option<String>,
}

/// An action reported Red or Amber this quarter, with what the partner said.
#[derive(Debug, Clone, Serialize, TS)]
pub struct OffTrack {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub lead: String,
    pub rag: Rag,
    pub previous: Option<Rag>,
    pub commentary: String,
    pub next_steps: String,
    /// The coordinator's review of it before the pack is final: who, and their note.
    pub reviewed_by: Option<String>,
    pub review_note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PartnerChase {
    pub lead: String,
    pub lead_name: String,
    pub actions: Vec<ActionBrief>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Dashboard {
    pub quarter: QuarterSummary,
    pub previous: Option<String>,
    pub themes: Vec<ThemeCounts>,
    pub total_now: RagCounts,
    pub total_previous: RagCounts,
    /// Complete updates this quarter, of the actions expected to report.
    pub updated: u32,
    pub expected: u32,
    /// Past their due date (or due quarter) and neither complete nor cancelled.
    pub overdue: Vec<ActionBrief>,
    /// Expected to report this quarter with no complete update yet, by lead partner.
    pub missing_by_lead: Vec<PartnerChase>,
    /// Red first, then Amber, in ref order.
    pub off_track: Vec<OffTrack>,
    /// The whole plan's status in every quarter from the plan's first up to this one (each
    /// counted over the actions expected to report then): the dashboard's trend chart. Filled
    /// by `Store::dashboard`; empty from `dashboard_over`.
    pub trend: Vec<QuarterCounts>,
    /// The same per theme, in the plan's theme order (filled and empty as `trend`).
    pub theme_trend: Vec<ThemeTrend>,
}

/// A theme's status in every quarter so far.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ThemeTrend {
    pub number: u32,
    pub title: String,
    pub trend: Vec<QuarterCounts>,
}

/// The plan's status counts in one quarter.
#[derive(Debug, Clone, Serialize, TS)]
pub struct QuarterCounts {
    pub quarter: String,
    pub label: String,
    pub counts: RagCounts,
}

/// Last quarter's or this quarter's update as the sheet shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdateCell {
    pub rag: Option<Rag>,
    pub commentary: String,
    pub next_steps: String,
    pub draft: bool,
    /// For an incomplete draft, the rules it breaks (from the same rules the core applies).
    pub problems: Vec<crate::domain::update::Problem>,
    pub reported_by: String,
    pub reported_at: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SheetRow {
    #[serde(rename = "ref")]
    pub reference: String,
    pub theme: u32,
    pub priority: String,
    pub title: String,
    pub lead: String,
    pub lifecycle: Lifecycle,
    pub previous: Option<UpdateCell>,
    pub current: Option<UpdateCell>,
    /// It owes a return for the quarter (the one rule); a row that does not is here because
    /// an update was recorded anyway.
    pub owes: bool,
}

/// The quarterly update screen: one row per action expected to report.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdateSheet {
    pub quarter: QuarterSummary,
    pub previous: Option<String>,
    /// Open and started: entries are accepted.
    pub editable: bool,
    pub rows: Vec<SheetRow>,
    pub updated: u32,
    pub expected: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct IndicatorPoint {
    pub quarter: String,
    pub label: String,
    pub value: f64,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub theme: Option<u32>,
    pub unit: String,
    pub polarity: Polarity,
    pub baseline_value: Option<f64>,
    pub baseline_period: String,
    pub target_value: Option<f64>,
    pub source: String,
    pub context_only: bool,
    pub values: Vec<IndicatorPoint>,
    /// The value for the chosen quarter and the quarter before it.
    pub latest: Option<f64>,
    pub previous: Option<f64>,
    pub movement: Option<Movement>,
    pub direction: Option<Direction>,
    pub rag: Option<Rag>,
    /// Fed by police.uk figures (`indicators import-police`).
    pub police: bool,
    /// Fed by police.uk and the chosen quarter lacks a month: partial, no value yet.
    pub partial: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct IndicatorsView {
    pub quarter: QuarterSummary,
    pub editable: bool,
    pub indicators: Vec<IndicatorRow>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FundingRow {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub lead: String,
    pub allocated_pence: i64,
    /// Spend per quarter of the year, Q1 to Q4 (None where nothing is recorded).
    pub spend_pence: Vec<Option<i64>>,
    pub spent_pence: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct FundingView {
    pub year: String,
    pub year_label: String,
    pub quarters: Vec<QuarterSummary>,
    pub grant_pence: Option<i64>,
    pub grant_source: String,
    pub allocated_pence: i64,
    pub spent_pence: i64,
    /// Grant less allocations (negative when over-allocated, which is allowed but flagged).
    pub unallocated_pence: Option<i64>,
    pub over_allocated: bool,
    pub rows: Vec<FundingRow>,
    pub years: Vec<String>,
}

/// Whether an action owes a return for `q` (`domain::update::owes_return`, the one rule).
pub(super) fn expected_in(row: &ActionRow, q: Quarter, completed_in: &HashMap<String, Quarter>) -> Result<bool, CoreError> {
    let start = row.start_date.as_deref().map(|s| super::stored_date(&format!("action {}'s start date", row.reference), s)).transpose()?;
    Ok(crate::domain::update::owes_return(row.lifecycle, start, completed_in.get(&row.reference).copied(), q))
}

fn brief(a: &ActionRow) -> Result<ActionBrief, CoreError> {
    let due = match (&a.due_date, &a.due_quarter) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(q)) => Some(super::stored_quarter(&format!("action {}'s due quarter", a.reference), q)?.to_string()),
        (None, None) => None,
    };
    Ok(ActionBrief { reference: a.reference.clone(), title: a.title.clone(), lead: a.lead.clone(), due })
}

/// When an action is due: its date, else the end of its due quarter.
fn due_of(a: &ActionRow) -> Result<Option<NaiveDate>, CoreError> {
    Ok(match (&a.due_date, &a.due_quarter) {
        (Some(d), _) => Some(super::stored_date(&format!("action {}'s due date", a.reference), d)?),
        (None, Some(q)) => Some(super::stored_quarter(&format!("action {}'s due quarter", a.reference), q)?.end()),
        (None, None) => None,
    })
}

fn cell(u: &Update) -> UpdateCell {
    UpdateCell {
        rag: u.rag,
        commentary: u.commentary.clone(),
        next_steps: u.next_steps.clone(),
        draft: u.draft,
        problems: if u.draft { crate::domain::update::problems(u.rag, &u.commentary, &u.next_steps) } else { vec![] },
        reported_by: u.reported_by.clone(),
        reported_at: u.reported_at.clone(),
    }
}

fn quarter_state(q: Quarter, today: NaiveDate, facts: &super::plan::QuarterFacts) -> QuarterSummary {
    super::plan::quarter_summary(q, today, facts)
}

impl Store {
    fn quarter_state(&self, q: Quarter, today: NaiveDate) -> Result<QuarterSummary, CoreError> {
        Ok(quarter_state(q, today, &self.quarter_facts()?))
    }

    /// Checks `q` is a quarter of the plan and returns the plan (so callers need not read it again).
    pub(crate) fn plan_quarter(&self, q: Quarter) -> Result<Plan, CoreError> {
        let plan = self.plan()?;
        if plan.quarters().contains(&q) {
            Ok(plan)
        } else {
            Err(CoreError::invalid("quarter", format!("{q} is not a quarter of the plan ({} to {})", plan.start_date, plan.end_date)))
        }
    }

    /// The first quarter each action was reported Complete in (complete updates only).
    pub(super) fn completed_in(&self) -> Result<HashMap<String, Quarter>, CoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.ref, min(u.quarter) FROM quarterly_update u JOIN action a ON a.id = u.action_id
             WHERE u.plan_id = ?1 AND u.rag = 'complete' AND u.draft = 0 GROUP BY a.ref",
        )?;
        let rows = st.query_map([self.plan_id], |r| Ok((r.get::<_, String>(0)?, super::record::parse_stored_quarter(&r.get::<_, String>(1)?)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every update's status up to and including quarter `q`, by quarter code and action ref:
    /// what the trend counts, in one query (the whole updates are not needed for it).
    fn statuses_by_quarter(&self, q: Quarter) -> Result<HashMap<String, HashMap<String, crate::domain::LatestStatus>>, CoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT u.quarter, a.ref, u.rag, u.draft FROM quarterly_update u JOIN action a ON a.id = u.action_id WHERE u.plan_id = ?1 AND u.quarter <= ?2",
        )?;
        let mut out: HashMap<String, HashMap<String, crate::domain::LatestStatus>> = HashMap::new();
        let mut rows = st.query((self.plan_id, q.code()))?;
        while let Some(r) = rows.next()? {
            let rag = r.get::<_, Option<String>>(2)?.map(|s| super::record::parse_stored_enum(&s)).transpose()?;
            out.entry(r.get(0)?).or_default().insert(r.get(1)?, crate::domain::LatestStatus { rag, draft: r.get(3)? });
        }
        Ok(out)
    }

    /// Each action's latest update up to and including quarter `q` (what it last reported by
    /// then), keyed by action ref; actions with none are absent. One query.
    pub fn latest_status_as_at(&self, q: Quarter) -> Result<HashMap<String, crate::domain::LatestStatus>, CoreError> {
        let mut st = self.conn.prepare_cached(
            // SQLite takes the bare columns of a max() aggregate from the row holding the
            // maximum (its documented rule): one pass over the updates, not a look-up each.
            "SELECT a.ref, u.rag, u.draft, max(u.quarter) FROM quarterly_update u JOIN action a ON a.id = u.action_id
             WHERE u.plan_id = ?1 AND u.quarter <= ?2 GROUP BY u.action_id",
        )?;
        let rows = st.query_map((self.plan_id, q.code()), |r| {
            let rag = r.get::<_, Option<String>>(1)?.map(|s| super::record::parse_stored_enum(&s)).transpose()?;
            Ok((r.get::<_, String>(0)?, crate::domain::LatestStatus { rag, draft: r.get(2)? }))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub(super) fn updates_by_ref(&self, q: Option<Quarter>) -> Result<HashMap<String, Update>, CoreError> {
        Ok(match q {
            Some(q) => self.updates_for(q)?.into_iter().map(|u| (u.action.clone(), u)).collect(),
            None => HashMap::new(),
        })
    }

    /// The dashboard for a quarter.
    pub fn dashboard(&self, q: Quarter, today: NaiveDate) -> Result<Dashboard, CoreError> {
        self.dashboard_with_trend(q, today, &self.list_actions()?, &self.plan_summary(today)?)
    }

    /// The dashboard with its trends, over the actions and the plan already read with
    /// `list_actions` and `plan_summary` (the papers that chart the trend read them once).
    pub fn dashboard_with_trend(&self, q: Quarter, today: NaiveDate, actions: &[ActionRow], summary: &PlanSummary) -> Result<Dashboard, CoreError> {
        let done = self.completed_in()?;
        let mut d = self.dashboard_over(q, today, actions, summary, &done)?;
        (d.trend, d.theme_trend) = self.status_trend(q, &d, actions, &done)?;
        Ok(d)
    }

    /// The plan's status in every quarter from the first up to `q` (each over the actions
    /// expected to report then), for the whole plan and per theme; this quarter and the last
    /// come from the dashboard `d`.
    fn status_trend(
        &self,
        q: Quarter,
        d: &Dashboard,
        actions: &[ActionRow],
        done: &HashMap<String, Quarter>,
    ) -> Result<(Vec<QuarterCounts>, Vec<ThemeTrend>), CoreError> {
        let plan = self.plan_quarter(q)?;
        let prev = Some(q.previous()).filter(|p| plan.quarters().contains(p));
        let mut trend = Vec::new();
        let mut themes: Vec<ThemeTrend> = d.themes.iter().map(|t| ThemeTrend { number: t.number, title: t.title.clone(), trend: Vec::new() }).collect();
        let statuses = self.statuses_by_quarter(q)?;
        // Each action's start date and theme, read once rather than once a quarter.
        let starts = actions
            .iter()
            .map(|a| a.start_date.as_deref().map(|s| super::stored_date(&format!("action {}'s start date", a.reference), s)).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        let theme_of: Vec<Option<usize>> = actions.iter().map(|a| d.themes.iter().position(|t| t.number == a.theme)).collect();
        for tq in plan.quarters().into_iter().filter(|x| *x <= q) {
            let (counts, by_theme): (RagCounts, Vec<RagCounts>) = if tq == q {
                (d.total_now.clone(), d.themes.iter().map(|t| t.now.clone()).collect())
            } else if Some(tq) == prev {
                (d.total_previous.clone(), d.themes.iter().map(|t| t.previous.clone()).collect())
            } else {
                let none = HashMap::new();
                let ups = statuses.get(&tq.code()).unwrap_or(&none);
                let mut c = RagCounts::default();
                let mut by_theme = vec![RagCounts::default(); d.themes.len()];
                for (k, a) in actions.iter().enumerate() {
                    if crate::domain::update::owes_return(a.lifecycle, starts[k], done.get(&a.reference).copied(), tq) {
                        let u = ups.get(&a.reference);
                        c.add_status(u);
                        if let Some(i) = theme_of[k] {
                            by_theme[i].add_status(u);
                        }
                    }
                }
                (c, by_theme)
            };
            for (t, c) in themes.iter_mut().zip(by_theme) {
                t.trend.push(QuarterCounts { quarter: tq.code(), label: tq.to_string(), counts: c });
            }
            trend.push(QuarterCounts { quarter: tq.code(), label: tq.to_string(), counts });
        }
        Ok((trend, themes))
    }

    /// The dashboard without its trends, over what the caller already read: the register, the
    /// plan and the quarter each action completed in.
    fn dashboard_over(
        &self,
        q: Quarter,
        today: NaiveDate,
        actions: &[ActionRow],
        summary: &PlanSummary,
        done: &HashMap<String, Quarter>,
    ) -> Result<Dashboard, CoreError> {
        let plan = self.plan_quarter(q)?;
        let prev = Some(q.previous()).filter(|p| plan.quarters().contains(p));
        let now = self.updates_by_ref(Some(q))?;
        let before = self.updates_by_ref(prev)?;
        let reviews: HashMap<String, crate::domain::ReviewMark> = self.reviews(q)?.into_iter().map(|m| (m.action.clone(), m)).collect();
        let partners: HashMap<String, String> = summary.partners.iter().map(|p| (p.short_name.clone(), p.name.clone())).collect();
        let mut themes: Vec<ThemeCounts> = summary
            .themes
            .iter()
            .map(|t| ThemeCounts { number: t.number, title: t.title.clone(), now: RagCounts::default(), previous: RagCounts::default() })
            .collect();
        let (mut total_now, mut total_previous) = (RagCounts::default(), RagCounts::default());
        let (mut updated, mut expected) = (0, 0);
        let mut overdue = Vec::new();
        let mut off_track: Vec<OffTrack> = Vec::new();
        let mut missing: BTreeMap<usize, PartnerChase> = BTreeMap::new();
        let partner_pos: HashMap<&str, usize> = summary.partners.iter().enumerate().map(|(i, p)| (p.short_name.as_str(), i)).collect();
        for a in actions {
            let due = due_of(a)?;
            if matches!(due, Some(d) if d < today) && matches!(a.lifecycle, Lifecycle::NotStarted | Lifecycle::InProgress) {
                overdue.push(brief(a)?);
            }
            let mut theme = themes.iter_mut().find(|t| t.number == a.theme);
            // Last quarter is counted over the actions expected then, independently of now.
            let expected_before = match prev {
                Some(p) => expected_in(a, p, done)?,
                None => false,
            };
            if expected_before {
                let pu = before.get(&a.reference);
                total_previous.add(pu);
                if let Some(t) = theme.as_deref_mut() {
                    t.previous.add(pu);
                }
            }
            if expected_in(a, q, done)? {
                expected += 1;
                let u = now.get(&a.reference);
                total_now.add(u);
                if let Some(t) = theme {
                    t.now.add(u);
                }
                if let Some(cur) = u.filter(|u| !u.draft && matches!(u.rag, Some(Rag::Red | Rag::Amber))) {
                    off_track.push(OffTrack {
                        reference: a.reference.clone(),
                        title: a.title.clone(),
                        lead: a.lead.clone(),
                        rag: cur.rag.unwrap_or(Rag::Amber),
                        previous: before.get(&a.reference).filter(|p| !p.draft).and_then(|p| p.rag),
                        commentary: cur.commentary.clone(),
                        next_steps: cur.next_steps.clone(),
                        reviewed_by: reviews.get(&a.reference).map(|m| m.reviewed_by.clone()),
                        review_note: reviews.get(&a.reference).map(|m| m.note.clone()).unwrap_or_default(), // not reviewed: no note
                    });
                }
                match u {
                    Some(u) if !u.draft => updated += 1,
                    _ => {
                        let pos = partner_pos.get(a.lead.as_str()).copied().unwrap_or(usize::MAX);
                        missing
                            .entry(pos)
                            .or_insert_with(|| PartnerChase {
                                lead: a.lead.clone(),
                                lead_name: partners.get(&a.lead).cloned().unwrap_or_else(|| a.lead.clone()),
                                actions: vec![],
                            })
                            .actions
                            .push(brief(a)?);
                    }
                }
            }
        }
        Ok(Dashboard {
            // The quarters before last cost a read each: only the dashboard asks (`dashboard`).
            trend: vec![],
            theme_trend: vec![],
            quarter: self.quarter_state(q, today)?,
            previous: prev.map(|p| p.to_string()),
            themes,
            total_now,
            total_previous,
            updated,
            expected,
            overdue,
            missing_by_lead: missing.into_values().collect(),
            off_track: {
                off_track.sort_by_key(|o| (o.rag != Rag::Red, ref_key(&o.reference)));
                off_track
            },
        })
    }

    /// The quarterly update sheet: every action expected to report, with last quarter beside it.
    pub fn update_sheet(&self, q: Quarter, today: NaiveDate) -> Result<UpdateSheet, CoreError> {
        self.update_sheet_over(q, today, &self.list_actions()?)
    }

    /// The update sheet over actions already read with `list_actions`.
    pub fn update_sheet_over(&self, q: Quarter, today: NaiveDate, actions: &[ActionRow]) -> Result<UpdateSheet, CoreError> {
        let plan = self.plan_quarter(q)?;
        let prev = Some(q.previous()).filter(|p| plan.quarters().contains(p));
        let now = self.updates_by_ref(Some(q))?;
        let before = self.updates_by_ref(prev)?;
        let done = self.completed_in()?;
        let mut rows = Vec::new();
        let (mut updated, mut expected) = (0, 0);
        for a in actions {
            let current = now.get(&a.reference);
            let counts = expected_in(a, q, &done)?;
            if !counts && current.is_none() {
                continue;
            }
            if counts {
                expected += 1;
                if current.is_some_and(|u| !u.draft) {
                    updated += 1;
                }
            }
            rows.push(SheetRow {
                reference: a.reference.clone(),
                theme: a.theme,
                priority: a.priority.clone(),
                title: a.title.clone(),
                lead: a.lead.clone(),
                lifecycle: a.lifecycle,
                previous: before.get(&a.reference).map(cell),
                current: current.map(cell),
                owes: counts,
            });
        }
        let quarter = self.quarter_state(q, today)?;
        Ok(UpdateSheet {
            editable: quarter.state == crate::domain::QuarterState::Open,
            quarter,
            previous: prev.map(|p| p.to_string()),
            rows,
            updated,
            expected,
        })
    }

    /// Every indicator with its values, judged at quarter `q`.
    pub fn indicators_view(&self, q: Quarter, today: NaiveDate) -> Result<IndicatorsView, CoreError> {
        self.plan_quarter(q)?;
        let mut st = self.conn.prepare_cached(
            "SELECT i.code, i.name, t.number, i.unit, i.polarity, i.baseline_value, i.baseline_period, i.target_value, i.source, i.id
             FROM indicator i LEFT JOIN theme t ON t.id = i.theme_id WHERE i.plan_id = ?1 ORDER BY i.position, i.code",
        )?;
        let mut vst = self.conn.prepare_cached("SELECT quarter, value, note FROM indicator_value WHERE indicator_id = ?1 ORDER BY quarter")?;
        let base: Vec<(IndicatorRow, i64)> = st
            .query_map([self.plan_id], |r| {
                Ok((
                    IndicatorRow {
                        code: r.get(0)?,
                        name: r.get(1)?,
                        theme: r.get(2)?,
                        unit: r.get(3)?,
                        polarity: super::record::parse_stored_enum(&r.get::<_, String>(4)?)?,
                        baseline_value: r.get(5)?,
                        baseline_period: r.get(6)?,
                        target_value: r.get(7)?,
                        source: r.get(8)?,
                        context_only: r.get::<_, Option<f64>>(7)?.is_none(),
                        values: vec![],
                        latest: None,
                        previous: None,
                        movement: None,
                        direction: None,
                        rag: None,
                        police: false,
                        partial: false,
                    },
                    r.get(9)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        let police = self.police_partial()?;
        let mut indicators = Vec::new();
        for (mut row, id) in base {
            if let Some(partial) = police.get(&row.code) {
                row.police = true;
                row.partial = partial.contains(&q.code());
            }
            row.values = vst
                .query_map([id], |r| {
                    let q = super::record::parse_stored_quarter(&r.get::<_, String>(0)?)?;
                    Ok(IndicatorPoint { quarter: q.code(), label: q.to_string(), value: r.get(1)?, note: r.get(2)? })
                })?
                .collect::<Result<_, _>>()?;
            let at = |want: Option<Quarter>| want.and_then(|w| row.values.iter().find(|v| v.quarter == w.code()).map(|v| v.value));
            row.latest = at(Some(q));
            row.previous = at(Some(q.previous()));
            let t = trend(row.polarity, row.context_only, row.previous, row.latest);
            row.movement = t.map(|t| t.movement);
            row.direction = t.and_then(|t| t.direction);
            row.rag = rag_against_target(row.polarity, row.baseline_value, row.target_value, row.latest);
            indicators.push(row);
        }
        let quarter = self.quarter_state(q, today)?;
        Ok(IndicatorsView { editable: quarter.state == crate::domain::QuarterState::Open, quarter, indicators })
    }

    /// Funding for a financial year: the grant, allocations per action, spend per quarter.
    pub fn funding_view(&self, year: FinancialYear, today: NaiveDate) -> Result<FundingView, CoreError> {
        self.funding_over(year, today, &self.list_actions()?)
    }

    /// Funding over actions already read with `list_actions`.
    pub fn funding_over(&self, year: FinancialYear, today: NaiveDate, actions: &[ActionRow]) -> Result<FundingView, CoreError> {
        let plan = self.plan()?;
        let quarters: Vec<Quarter> = plan.quarters().into_iter().filter(|q| q.year() == year).collect();
        if quarters.is_empty() {
            return Err(CoreError::invalid("year", format!("{year} is not a year of the plan")));
        }
        let mut years: Vec<String> = plan.quarters().iter().map(|q| q.year().code()).collect();
        years.dedup();
        let (grant_sum, sources): (Option<i64>, String) = self.conn.query_row(
            "SELECT sum(amount_pence), coalesce(group_concat(source, '; '), '') FROM grant_line WHERE plan_id = ?1 AND year = ?2",
            (self.plan_id, year.code()),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let grant = grant_sum.map(|g| (g, sources));
        let mut alloc: HashMap<String, i64> = HashMap::new();
        let mut st = self
            .conn
            .prepare_cached("SELECT a.ref, x.amount_pence FROM allocation x JOIN action a ON a.id = x.action_id WHERE x.plan_id = ?1 AND x.year = ?2")?;
        for r in st.query_map((self.plan_id, year.code()), |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
            let (k, v) = r?;
            alloc.insert(k, v);
        }
        let mut spend: HashMap<(String, String), i64> = HashMap::new();
        let mut st =
            self.conn.prepare_cached("SELECT a.ref, s.quarter, s.amount_pence FROM spend s JOIN action a ON a.id = s.action_id WHERE s.plan_id = ?1")?;
        for r in st.query_map([self.plan_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))? {
            let (a, q, v) = r?;
            spend.insert((a, q), v);
        }
        let mut rows = Vec::new();
        for a in actions {
            let spend_pence: Vec<Option<i64>> = quarters.iter().map(|q| spend.get(&(a.reference.clone(), q.code())).copied()).collect();
            let allocated = alloc.get(&a.reference).copied().unwrap_or(0); // no allocation row: nothing allocated
            if allocated == 0 && spend_pence.iter().all(Option::is_none) {
                continue;
            }
            rows.push(FundingRow {
                reference: a.reference.clone(),
                title: a.title.clone(),
                lead: a.lead.clone(),
                allocated_pence: allocated,
                spent_pence: spend_pence.iter().flatten().sum(),
                spend_pence,
            });
        }
        rows.sort_by_key(|r| ref_key(&r.reference));
        let allocated_pence: i64 = rows.iter().map(|r| r.allocated_pence).sum();
        let spent_pence: i64 = rows.iter().map(|r| r.spent_pence).sum();
        let unallocated_pence = grant.as_ref().map(|(g, _)| g - allocated_pence);
        Ok(FundingView {
            year: year.code(),
            year_label: year.to_string(),
            quarters: {
                let facts = self.quarter_facts()?;
                quarters.iter().map(|q| quarter_state(*q, today, &facts)).collect()
            },
            grant_pence: grant.as_ref().map(|g| g.0),
            grant_source: grant.map(|g| g.1).unwrap_or_default(), // no grant entered for the year yet
            allocated_pence,
            spent_pence,
            over_allocated: unallocated_pence.is_some_and(|u| u < 0),
            unallocated_pence,
            rows,
            years,
        })
    }
}

/// What the app shell shows: where the store lives, who is acting, which quarter to open on.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub path: String,
    pub backups_dir: String,
    /// The coordinator's name from settings (recorded in the audit trail), if set.
    pub coordinator: Option<String>,
    /// The protective marking the papers carry (Settings; OFFICIAL until set).
    pub marking: String,
    /// Where partners send their returns back to (Settings), if set.
    pub return_to: Option<String>,
    /// Who changes are recorded as right now.
    pub acting_as: String,
    pub today: String,
    pub current_quarter: Option<String>,
    pub reporting_quarter: Option<String>,
    /// When the last backup was taken (UTC), if ever.
    pub last_backup: Option<String>,
    pub actions: u32,
    /// Set when the store is open read-only: why, as the window's banner says it.
    pub read_only: Option<String>,
    /// The demo copy is open (read-only, illustrative data), not the coordinator's store.
    pub demo: bool,
    /// Problems the coordinator must hear about that no screen asked for (a background backup
    /// that failed); filled in by the desktop shell.
    pub problems: Vec<String>,
    /// Where the desktop app writes its log file for support (filled in by the shell).
    pub log_file: Option<String>,
    /// The app's version (the workspace's, as `ccsp --version` says it).
    pub version: String,
    /// The product's name and publisher, from the app's configuration (filled in by the shell).
    pub product: String,
    pub publisher: String,
    /// The area and force police.uk rows are counted for.
    pub police_area: String,
    pub police_force: String,
}

impl Store {
    pub fn app_info(&self, today: NaiveDate) -> Result<AppInfo, CoreError> {
        let plan = self.plan()?;
        let coordinator = self.setting("coordinator_name")?.filter(|s| !s.trim().is_empty());
        let last_backup: Option<String> = self.conn.query_row("SELECT max(at) FROM store_log WHERE event = 'backed_up'", [], |r| r.get(0))?;
        let actions: u32 = self.conn.query_row("SELECT count(*) FROM action WHERE plan_id = ?1", [self.plan_id], |r| r.get(0))?;
        let current = Quarter::containing(today);
        let (police_area, police_force) = self.police_area()?;
        Ok(AppInfo {
            path: self.path.display().to_string(),
            backups_dir: super::backups_dir(&self.path).display().to_string(),
            acting_as: crate::paths::resolve_actor(None, coordinator.clone()),
            coordinator,
            marking: self.protective_marking()?,
            return_to: self.return_to()?,
            today: today.to_string(),
            current_quarter: plan.quarters().contains(&current).then(|| current.code()),
            reporting_quarter: self.reporting_quarter(today)?.map(|q| q.code()),
            last_backup,
            actions,
            read_only: self.read_only.map(|r| r.banner().to_string()),
            demo: self.read_only == Some(crate::fault::ReadOnlyReason::Demo),
            problems: Vec::new(),
            log_file: None,
            version: env!("CARGO_PKG_VERSION").to_string(),
            product: String::new(),
            publisher: String::new(),
            police_area,
            police_force,
        })
    }
}
