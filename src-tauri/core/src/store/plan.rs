//! Reading the plan's structure: themes, priorities, partners, quarters and their state.

use serde::Serialize;

use super::{ref_key, Store};
use crate::domain::{Lens, Plan, Quarter, QuarterState};
use crate::error::CoreError;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PlanSummary {
    pub plan: Plan,
    pub themes: Vec<ThemeSummary>,
    pub partners: Vec<crate::domain::Partner>,
    /// Plans outside the partnership that priorities may be aligned to (PCC plan, One Coventry...).
    pub outside_plans: Vec<crate::domain::OutsidePlan>,
    pub quarters: Vec<QuarterSummary>,
    /// The quarter the dashboard opens on: the latest ended quarter if it is not signed off,
    /// else the current one (PRODUCT.md "Which quarter").
    pub reporting_quarter: Option<String>,
    /// Ended quarters before it that were never signed off (listed, never chosen by default).
    pub not_signed_off: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ThemeSummary {
    pub number: u32,
    pub title: String,
    /// The outcome the theme works towards; empty when not set.
    pub outcome: String,
    pub delivery_groups: Vec<String>,
    pub priorities: Vec<PrioritySummary>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct PrioritySummary {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub description: String,
    pub delivery_group: Option<String>,
    pub lenses: Vec<Lens>,
    pub alignments: Vec<String>,
    pub actions: usize,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct QuarterSummary {
    pub code: String,
    pub label: String,
    pub start: String,
    pub end: String,
    pub state: QuarterState,
    pub signed_off_at: Option<String>,
    pub signed_off_by: Option<String>,
    /// Who chaired the meeting that signed it off, when recorded.
    pub chair: Option<String>,
    /// Its dates: returns due, papers due, the meeting.
    pub schedule: super::ScheduleView,
}

/// A quarter as every view shows it: its state from today and the sign-offs.
/// What a quarter's summary is made from: the sign-offs, the dates set and their defaults.
pub(crate) struct QuarterFacts {
    pub signed: Vec<crate::domain::SignOff>,
    pub schedules: Vec<crate::domain::QuarterSchedule>,
    pub defaults: super::ScheduleDefaults,
}

impl Store {
    pub(crate) fn quarter_facts(&self) -> Result<QuarterFacts, CoreError> {
        Ok(QuarterFacts { signed: self.sign_offs()?, schedules: self.schedules()?, defaults: self.schedule_defaults()? })
    }
}

pub(crate) fn quarter_summary(q: crate::domain::Quarter, today: chrono::NaiveDate, facts: &QuarterFacts) -> QuarterSummary {
    let s = facts.signed.iter().find(|s| s.quarter == q);
    let schedule = super::schedule::effective(q, facts.schedules.iter().find(|s| s.quarter == q), facts.defaults, today);
    QuarterSummary {
        schedule,
        code: q.code(),
        label: q.to_string(),
        start: q.start().to_string(),
        end: q.end().to_string(),
        state: QuarterState::of(q.start(), today, s.is_some()),
        signed_off_at: s.map(|s| s.signed_off_at.clone()),
        signed_off_by: s.map(|s| s.signed_off_by.clone()),
        chair: s.map(|s| s.chair.clone()).filter(|c| !c.is_empty()),
    }
}

impl Store {
    pub fn plan_summary(&self, today: chrono::NaiveDate) -> Result<PlanSummary, CoreError> {
        let rec_plan = self.plan()?;
        let mut themes = Vec::new();
        let mut st = self.conn.prepare_cached("SELECT id, number, title, outcome FROM theme WHERE plan_id = ?1 ORDER BY position, number")?;
        let rows: Vec<(i64, u32, String, String)> =
            st.query_map([self.plan_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
        let mut pst = self.conn.prepare_cached(
            "SELECT p.id, p.ref, p.title, g.name, p.lens_victim, p.lens_location, p.lens_offender,
                    (SELECT count(*) FROM action a WHERE a.priority_id = p.id AND a.lifecycle != 'cancelled'), p.description
             FROM priority p LEFT JOIN delivery_group g ON g.id = p.delivery_group_id
             WHERE p.theme_id = ?1 ORDER BY p.position",
        )?;
        let mut ast = self.conn.prepare_cached(
            "SELECT o.code FROM priority_alignment pa JOIN outside_plan o ON o.id = pa.outside_plan_id WHERE pa.priority_id = ?1 ORDER BY o.code",
        )?;
        for (id, number, title, outcome) in rows {
            let prs: Vec<(i64, PrioritySummary)> = pst
                .query_map([id], |r| {
                    let mut lenses = Vec::new();
                    for (i, l) in Lens::ALL.iter().enumerate() {
                        if r.get::<_, bool>(4 + i)? {
                            lenses.push(*l);
                        }
                    }
                    Ok((
                        r.get(0)?,
                        PrioritySummary {
                            reference: r.get(1)?,
                            title: r.get(2)?,
                            description: r.get(8)?,
                            delivery_group: r.get(3)?,
                            lenses,
                            alignments: vec![],
                            actions: r.get::<_, i64>(7)? as usize,
                        },
                    ))
                })?
                .collect::<Result<_, _>>()?;
            let mut priorities = Vec::new();
            let mut groups: Vec<String> = Vec::new();
            for (pid, mut p) in prs {
                p.alignments = ast.query_map([pid], |r| r.get(0))?.collect::<Result<_, _>>()?;
                if let Some(g) = &p.delivery_group {
                    if !groups.contains(g) {
                        groups.push(g.clone());
                    }
                }
                priorities.push(p);
            }
            themes.push(ThemeSummary { number, title, outcome, delivery_groups: groups, priorities });
        }
        let mut partners = self.partners()?;
        partners.sort_by_key(|p| p.position);
        let facts = self.quarter_facts()?;
        let quarters: Vec<QuarterSummary> = rec_plan.quarters().into_iter().map(|q| quarter_summary(q, today, &facts)).collect();
        let signed = &facts.signed;
        let signed_quarters: Vec<Quarter> = signed.iter().map(|s| s.quarter).collect();
        let reporting = reporting_quarter_of(&rec_plan, &signed_quarters, today);
        let not_signed_off =
            rec_plan.quarters().into_iter().filter(|q| q.end() < today && !signed_quarters.contains(q) && Some(*q) != reporting).map(|q| q.code()).collect();
        let reporting_quarter = reporting.map(|q| q.code());
        let outside_plans = self
            .conn
            .prepare_cached("SELECT code, title, detail FROM outside_plan WHERE plan_id = ?1 ORDER BY code")?
            .query_map([self.plan_id], |r| Ok(crate::domain::OutsidePlan { code: r.get(0)?, title: r.get(1)?, detail: r.get(2)? }))?
            .collect::<Result<_, _>>()?;
        Ok(PlanSummary { plan: rec_plan, themes, partners, outside_plans, quarters, reporting_quarter, not_signed_off })
    }

    pub fn plan(&self) -> Result<Plan, CoreError> {
        Ok(self.conn.query_row(
            "SELECT title, partnership, short_name, start_date, end_date, vision, statutory_basis FROM plan WHERE id = ?1",
            [self.plan_id],
            |r| {
                Ok(Plan {
                    title: r.get(0)?,
                    partnership: r.get(1)?,
                    short_name: r.get(2)?,
                    start_date: super::record::parse_stored_date(&r.get::<_, String>(3)?)?,
                    end_date: super::record::parse_stored_date(&r.get::<_, String>(4)?)?,
                    vision: r.get(5)?,
                    statutory_basis: r.get(6)?,
                })
            },
        )?)
    }

    pub fn partners(&self) -> Result<Vec<crate::domain::Partner>, CoreError> {
        let mut st = self.conn.prepare_cached(&format!("{} WHERE plan_id = ?1 ORDER BY position, short_name", super::record::PARTNER_SELECT))?;
        let rows = st.query_map([self.plan_id], super::record::partner_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn sign_offs(&self) -> Result<Vec<crate::domain::SignOff>, CoreError> {
        let mut st = self.conn.prepare_cached(&format!("{} WHERE plan_id = ?1 ORDER BY quarter", super::record::SIGN_OFF_SELECT))?;
        let rows = st.query_map([self.plan_id], super::record::sign_off_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The most recent ended quarter of the plan not yet signed off, else the current quarter
    /// (None before the plan starts).
    pub fn reporting_quarter(&self, today: chrono::NaiveDate) -> Result<Option<Quarter>, CoreError> {
        let signed: Vec<Quarter> = self.sign_offs()?.into_iter().map(|s| s.quarter).collect();
        Ok(reporting_quarter_of(&self.plan()?, &signed, today))
    }

    /// Priority refs in numeric order, for pickers.
    pub fn priority_refs(&self) -> Result<Vec<String>, CoreError> {
        let mut st = self.conn.prepare_cached("SELECT ref FROM priority WHERE plan_id = ?1")?;
        let mut v: Vec<String> = st.query_map([self.plan_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        v.sort_by_key(|r| ref_key(r));
        Ok(v)
    }
}

fn reporting_quarter_of(plan: &Plan, signed: &[Quarter], today: chrono::NaiveDate) -> Option<Quarter> {
    let quarters = plan.quarters();
    let latest_ended = quarters.iter().rev().find(|q| q.end() < today).copied();
    if let Some(q) = latest_ended.filter(|q| !signed.contains(q)) {
        return Some(q);
    }
    // An older quarter nobody signed off (the tool started mid-plan) is listed, not chosen.
    quarters.into_iter().find(|q| q.start() <= today && today <= q.end()).or(latest_ended)
}
