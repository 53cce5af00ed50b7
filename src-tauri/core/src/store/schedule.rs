//! Each quarter's dates: partners' returns due, the papers due, the CCSP meeting (UK local).
//! A date not set takes its default, which the coordinator sets once for all quarters: returns
//! a number of days after the quarter ends (15), papers a number of working days before the
//! meeting (10; weekends and the bank holidays of England and Wales skipped: `holidays`).

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rusqlite::OptionalExtension;
use serde::Serialize;

use super::{audit, Ctx, Store};
use crate::domain::holidays::working_days_before;
use crate::domain::{Quarter, QuarterSchedule};
use crate::error::CoreError;

const RETURNS_AFTER: &str = "schedule_returns_after_days";
const PAPERS_BEFORE: &str = "schedule_papers_working_days";
const DEFAULT_RETURNS_AFTER: i64 = 15;
const DEFAULT_PAPERS_BEFORE: i64 = 10;

/// The defaults every quarter's dates take unless set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ScheduleDefaults {
    /// Returns are due this many days after the quarter ends.
    pub returns_after_days: i64,
    /// Papers are due this many working days (Monday to Friday, not a bank holiday) before the meeting.
    pub papers_working_days: i64,
}

/// A quarter's dates as every screen, paper and calendar uses them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ScheduleView {
    /// `YYYY-MM-DD`.
    pub returns_due: String,
    /// Taken from the defaults, not set for this quarter.
    pub returns_due_default: bool,
    /// `YYYY-MM-DD`; none until there is a meeting to count back from (or a date is set).
    pub papers_due: Option<String>,
    pub papers_due_default: bool,
    /// The meeting's start, UK local (`2026-11-12T10:00:00`).
    pub meeting: Option<String>,
    pub place: String,
    /// Days from today to each date (negative: passed).
    #[ts(type = "number")]
    pub returns_due_in: i64,
    #[ts(type = "number | null")]
    pub papers_due_in: Option<i64>,
    #[ts(type = "number | null")]
    pub meeting_in: Option<i64>,
}

/// What the coordinator changes: `None` keeps what is set, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ScheduleChange {
    pub returns_due: Option<Option<NaiveDate>>,
    pub papers_due: Option<Option<NaiveDate>>,
    pub meeting: Option<Option<NaiveDateTime>>,
    pub place: Option<String>,
}

/// A meeting's start, UK time: `2026-11-12T10:00` (or with a space, or with seconds).
pub fn parse_meeting(s: &str) -> Result<NaiveDateTime, CoreError> {
    let t = s.trim().replace(' ', "T");
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok()) // the next format is tried; none: the error below
        .ok_or_else(|| CoreError::invalid("meeting", format!("\"{}\" is not a date and time; write it like 2026-11-12T10:00", s.trim())))
}

impl ScheduleChange {
    /// The Sign-off screen's form: every field given; an empty one clears its date.
    pub fn from_form(returns_due: &str, papers_due: &str, meeting: &str, place: &str) -> Result<ScheduleChange, CoreError> {
        let date = |field: &str, v: &str| -> Result<Option<NaiveDate>, CoreError> {
            if v.trim().is_empty() {
                Ok(None)
            } else {
                crate::domain::parse_date(field, v).map(Some)
            }
        };
        Ok(ScheduleChange {
            returns_due: Some(date("returns_due", returns_due)?),
            papers_due: Some(date("papers_due", papers_due)?),
            meeting: Some(if meeting.trim().is_empty() { None } else { Some(parse_meeting(meeting)?) }),
            place: Some(place.to_string()),
        })
    }
}

/// The dates in effect for a quarter: what is set, else the defaults.
pub fn effective(q: Quarter, set: Option<&QuarterSchedule>, defaults: ScheduleDefaults, today: NaiveDate) -> ScheduleView {
    let returns_set = set.and_then(|s| s.returns_due);
    let returns = returns_set.unwrap_or_else(|| q.end() + Duration::days(defaults.returns_after_days));
    let meeting = set.and_then(|s| s.meeting);
    let papers_set = set.and_then(|s| s.papers_due);
    let papers = papers_set.or_else(|| meeting.map(|m| working_days_before(m.date(), defaults.papers_working_days)));
    let days = |d: NaiveDate| (d - today).num_days();
    ScheduleView {
        returns_due: returns.to_string(),
        returns_due_default: returns_set.is_none(),
        papers_due: papers.map(|d| d.to_string()),
        papers_due_default: papers_set.is_none() && papers.is_some(),
        meeting: meeting.map(|m| m.format("%Y-%m-%dT%H:%M:%S").to_string()),
        place: set.map(|s| s.place.clone()).unwrap_or_default(), // nothing set: no place yet
        returns_due_in: days(returns),
        papers_due_in: papers.map(days),
        meeting_in: meeting.map(|m| days(m.date())),
    }
}

impl Store {
    /// The defaults every quarter's dates take unless set.
    pub fn schedule_defaults(&self) -> Result<ScheduleDefaults, CoreError> {
        let read = |key: &str, default: i64| -> Result<i64, CoreError> {
            match self.setting(key)? {
                None => Ok(default),
                Some(v) => v.parse().map_err(|_| CoreError::Damaged { path: "the store".into(), detail: format!("the setting {key} ({v:?}) is not a number") }),
            }
        };
        Ok(ScheduleDefaults {
            returns_after_days: read(RETURNS_AFTER, DEFAULT_RETURNS_AFTER)?,
            papers_working_days: read(PAPERS_BEFORE, DEFAULT_PAPERS_BEFORE)?,
        })
    }

    /// Changes the defaults for every quarter (audited as settings).
    pub fn set_schedule_defaults(
        &mut self,
        ctx: &Ctx,
        returns_after_days: Option<i64>,
        papers_working_days: Option<i64>,
    ) -> Result<ScheduleDefaults, CoreError> {
        if let Some(n) = returns_after_days {
            if !(0..=90).contains(&n) {
                return Err(CoreError::invalid("returns-after-days", format!("{n} is not between 0 and 90 days")));
            }
            self.set_setting(ctx, RETURNS_AFTER, &n.to_string())?;
        }
        if let Some(n) = papers_working_days {
            if !(0..=40).contains(&n) {
                return Err(CoreError::invalid("papers-working-days", format!("{n} is not between 0 and 40 working days")));
            }
            self.set_setting(ctx, PAPERS_BEFORE, &n.to_string())?;
        }
        self.schedule_defaults()
    }

    /// Every quarter's dates as set (not the defaults).
    pub fn schedules(&self) -> Result<Vec<QuarterSchedule>, CoreError> {
        let mut st = self.conn.prepare_cached(&format!("{} WHERE plan_id = ?1 ORDER BY quarter", super::record::SCHEDULE_SELECT))?;
        let rows = st.query_map([self.plan_id], super::record::schedule_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The year's calendar (iCalendar) for Outlook: every quarter's dates in effect.
    pub fn year_calendar(&self, year: crate::domain::FinancialYear, today: NaiveDate) -> Result<String, CoreError> {
        let plan = self.plan()?;
        plan.year_of_plan("year", year)?;
        let set = self.schedules()?;
        let defaults = self.schedule_defaults()?;
        let views: Vec<(Quarter, ScheduleView)> =
            plan.quarters().into_iter().filter(|q| q.year() == year).map(|q| (q, effective(q, set.iter().find(|s| s.quarter == q), defaults, today))).collect();
        Ok(crate::interchange::calendar::year_calendar(&plan, year, &views))
    }

    /// A quarter's dates in effect today.
    pub fn schedule_view(&self, q: Quarter, today: NaiveDate) -> Result<ScheduleView, CoreError> {
        let set = self.schedules()?;
        Ok(effective(q, set.iter().find(|s| s.quarter == q), self.schedule_defaults()?, today))
    }

    /// Sets a quarter's dates (options not given keep their value); audited. A meeting before
    /// the quarter ends, or papers or returns due after the meeting, are refused.
    pub fn set_schedule(&mut self, ctx: &Ctx, q: Quarter, change: &ScheduleChange) -> Result<QuarterSchedule, CoreError> {
        let plan = self.plan()?;
        if !plan.quarters().contains(&q) {
            return Err(CoreError::invalid("quarter", format!("{q} is not a quarter of the plan")));
        }
        let before = self.schedules()?.into_iter().find(|s| s.quarter == q);
        let base = before.clone().unwrap_or(QuarterSchedule { quarter: q, returns_due: None, papers_due: None, meeting: None, place: String::new() });
        let after = QuarterSchedule {
            quarter: q,
            returns_due: change.returns_due.unwrap_or(base.returns_due),
            papers_due: change.papers_due.unwrap_or(base.papers_due),
            meeting: change.meeting.unwrap_or(base.meeting),
            place: change.place.clone().map(|p| p.trim().to_string()).unwrap_or(base.place),
        };
        // The rules apply to the dates as they will be, defaults included.
        let defaults = self.schedule_defaults()?;
        let view = effective(q, Some(&after), defaults, ctx.today);
        let papers = view.papers_due.as_deref().map(|d| super::stored_date("papers due", d)).transpose()?;
        QuarterSchedule { papers_due: papers, ..after.clone() }.check()?;
        if before.as_ref() == Some(&after) {
            return Ok(after);
        }
        self.write(|tx, plan_id| {
            let existed: Option<i64> =
                tx.query_row("SELECT id FROM quarter_schedule WHERE plan_id = ?1 AND quarter = ?2", (plan_id, q.code()), |r| r.get(0)).optional()?;
            super::record::insert_schedule(tx, plan_id, &after)?;
            let op = if existed.is_some() { "update" } else { "create" };
            audit::record(tx, plan_id, ctx, "schedule", &q.code(), op, before.as_ref(), Some(&after), None)
        })?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn papers_are_due_ten_working_days_before_the_meeting_skipping_weekends() {
        // Thursday 12 November 2026, ten working days back: Thursday 29 October 2026.
        assert_eq!(working_days_before(d("2026-11-12"), 10), d("2026-10-29"));
        assert_eq!(working_days_before(d("2026-11-16"), 1), d("2026-11-13"), "Monday back one working day is the Friday");
    }

    #[test]
    fn returns_are_due_fifteen_days_after_the_quarter_by_default() {
        let q = Quarter::parse("2026-27-Q2").unwrap();
        let defaults = ScheduleDefaults { returns_after_days: 15, papers_working_days: 10 };
        let v = effective(q, None, defaults, d("2026-10-06"));
        assert_eq!(v.returns_due, "2026-10-15");
        assert!(v.returns_due_default);
        assert_eq!(v.returns_due_in, 9);
        assert_eq!(v.papers_due, None, "no meeting, no papers deadline to count back from");
    }
}
