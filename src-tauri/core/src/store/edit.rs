//! Editing the plan from the app's forms: plan details, priorities (add, edit, reorder),
//! partners, actions, allocations and grants. Each write is one transaction, audited with
//! before and after. Form input arrives as text and is checked field by field, so a form can
//! show every problem at once.

use rusqlite::{OptionalExtension, Transaction};
use serde::Deserialize;
use ts_rs::TS;

use super::actions::{load_action, priority_id, NewAction};
use super::{audit, Ctx, Store};
use crate::domain::{parse_date, FinancialYear, Indicator, Lens, Pence, Plan, Polarity, Quarter};
use crate::error::{CoreError, FieldError};
use crate::validate::{required, text, LONG, SHORT, TITLE};

/// The action form as the app sends it: every field as typed.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct ActionInput {
    pub priority: String,
    pub title: String,
    pub description: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub start_date: String,
    pub due_date: String,
    pub due_quarter: String,
    pub success_measure: String,
    /// Pounds and pence allocated for `funding_year` (blank for none).
    pub funding: String,
    pub funding_year: String,
}

/// Collects every field's problem instead of stopping at the first.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn check<T>(&mut self, r: Result<T, CoreError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(CoreError::Invalid { field, message }) => {
                self.0.push(FieldError { field, message });
                None
            }
            Err(e) => {
                self.0.push(FieldError { field: "form".into(), message: e.to_string() });
                None
            }
        }
    }

    fn finish<T>(self, v: impl FnOnce() -> T) -> Result<T, CoreError> {
        if self.0.is_empty() {
            Ok(v())
        } else {
            Err(CoreError::InvalidFields(self.0))
        }
    }
}

fn opt<T>(field: &str, s: &str, parse: impl FnOnce(&str) -> Result<T, CoreError>) -> Result<Option<T>, CoreError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    parse(s).map(Some).map_err(|e| e.for_field(field))
}

impl ActionInput {
    /// The form filled in with an action as it is (no funding change), for an edit that
    /// changes only some fields.
    pub fn from_action(a: &crate::domain::Action) -> ActionInput {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default(); // no date: an empty field
        ActionInput {
            priority: a.priority.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            lead: a.lead.clone(),
            partners: a.partners.clone(),
            start_date: date(a.start_date),
            due_date: date(a.due_date),
            due_quarter: a.due_quarter.map(|q| q.code()).unwrap_or_default(), // no due quarter: an empty field
            success_measure: a.success_measure.clone(),
            funding: String::new(),
            funding_year: String::new(),
        }
    }

    /// Parses the form (or `ccsp action add`'s options) into a `NewAction`, naming every field
    /// that is wrong. Funding given without a year is for the financial year holding `today`.
    pub fn parse(&self, today: chrono::NaiveDate) -> Result<NewAction, CoreError> {
        let mut p = Problems::default();
        if self.priority.trim().is_empty() {
            p.0.push(FieldError { field: "priority".into(), message: "choose the priority this action delivers".into() });
        }
        p.check(required("title", &self.title, TITLE));
        p.check(text("description", &self.description, LONG));
        if self.lead.trim().is_empty() {
            p.0.push(FieldError { field: "lead".into(), message: "choose the lead partner".into() });
        }
        p.check(text("success_measure", &self.success_measure, LONG));
        let start = p.check(opt("start", &self.start_date, |s| parse_date("start", s))).flatten();
        let due = p.check(opt("due", &self.due_date, |s| parse_date("due", s))).flatten();
        if let (Some(s), Some(d)) = (start, due) {
            if d < s {
                p.0.push(FieldError { field: "due".into(), message: format!("{d} is before the start date {s}") });
            }
        }
        let due_quarter = p.check(opt("due_quarter", &self.due_quarter, Quarter::parse)).flatten();
        if due.is_some() && due_quarter.is_some() {
            p.0.push(FieldError { field: "due_quarter".into(), message: "give a due date or a due quarter, not both".into() });
        }
        let amount = p.check(opt("funding", &self.funding, |s| Pence::parse_pounds("funding", s))).flatten();
        let year = match self.funding_year.trim() {
            "" => Some(FinancialYear::containing(today)),
            y => p.check(FinancialYear::parse(y).map_err(|e| e.for_field("funding_year"))),
        };
        p.finish(|| NewAction {
            priority: self.priority.trim().to_string(),
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            lead: self.lead.trim().to_string(),
            partners: self.partners.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
            start_date: start,
            due_date: due,
            due_quarter,
            success_measure: self.success_measure.trim().to_string(),
            funding: amount.zip(year).map(|(a, y)| (y, a)),
            illustrative: false,
            previous_ref: String::new(),
        })
    }
}

/// A number as typed: thousands separators allowed ("1,950"), finite.
pub fn parse_number(field: &str, s: &str) -> Result<f64, CoreError> {
    let t = s.trim();
    match t.replace(',', "").parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(CoreError::invalid(field, format!("\"{t}\" is not a number"))),
    }
}

/// The indicator form as the app sends it: every field as typed.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct IndicatorInput {
    pub code: String,
    pub name: String,
    /// The theme's number, or blank for an indicator of the whole plan.
    pub theme: String,
    pub unit: String,
    /// "higher_is_better" or "lower_is_better".
    pub polarity: String,
    pub baseline_value: String,
    pub baseline_period: String,
    /// Blank for a context-only indicator (no target).
    pub target_value: String,
    pub source: String,
}

impl IndicatorInput {
    /// Parses the form into an `Indicator`, naming every field that is wrong.
    pub fn parse(&self) -> Result<Indicator, CoreError> {
        let mut p = Problems::default();
        p.check(required("code", &self.code, SHORT));
        p.check(required("name", &self.name, TITLE));
        for (field, value) in [("unit", &self.unit), ("baseline_period", &self.baseline_period), ("source", &self.source)] {
            p.check(text(field, value, SHORT));
        }
        let theme = p
            .check(opt("theme", &self.theme, |s| s.parse::<u32>().map_err(|_| CoreError::invalid("theme", format!("\"{s}\" is not a theme number")))))
            .flatten();
        let polarity = match self.polarity.trim() {
            "higher_is_better" => Some(Polarity::HigherIsBetter),
            "lower_is_better" => Some(Polarity::LowerIsBetter),
            _ => {
                p.0.push(FieldError { field: "polarity".into(), message: "choose whether a higher or a lower value is better".into() });
                None
            }
        };
        let baseline_value = p.check(opt("baseline_value", &self.baseline_value, |s| parse_number("baseline_value", s))).flatten();
        let target_value = p.check(opt("target_value", &self.target_value, |s| parse_number("target_value", s))).flatten();
        p.finish(|| Indicator {
            code: self.code.trim().to_string(),
            name: self.name.trim().to_string(),
            theme,
            unit: self.unit.trim().to_string(),
            polarity: polarity.unwrap_or(Polarity::HigherIsBetter),
            baseline_value,
            baseline_period: self.baseline_period.trim().to_string(),
            target_value,
            source: self.source.trim().to_string(),
            position: 0,
        })
    }
}

/// The plan details form.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PlanInput {
    pub title: String,
    pub partnership: String,
    pub vision: String,
    pub statutory_basis: String,
}

/// The priority form.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PriorityInput {
    pub theme: u32,
    pub title: String,
    pub description: String,
    /// Blank for none; a new name creates the delivery group.
    pub delivery_group: String,
    pub lenses: Vec<Lens>,
    /// Codes of outside plans (see the plan's outside plans).
    pub alignments: Vec<String>,
}

/// The partner form.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PartnerInput {
    pub short_name: String,
    pub name: String,
    pub kind: crate::domain::PartnerKind,
}

fn load_priority(tx: &rusqlite::Connection, plan_id: i64, reference: &str) -> Result<serde_json::Value, CoreError> {
    let rec = super::record::load_priorities(tx, plan_id)?;
    rec.into_iter()
        .find(|p| p.reference == reference)
        .ok_or_else(|| CoreError::not_found("priority", reference))
        .and_then(|p| serde_json::to_value(p).map_err(|e| CoreError::Refused(format!("the priority could not be recorded: {e}"))))
}

fn set_priority_links(tx: &Transaction, plan_id: i64, ctx: &Ctx, pid: i64, input: &PriorityInput) -> Result<(), CoreError> {
    let group = input.delivery_group.trim();
    let gid: Option<i64> = if group.is_empty() {
        None
    } else {
        let found: Option<i64> = tx.query_row("SELECT id FROM delivery_group WHERE plan_id = ?1 AND name = ?2", (plan_id, group), |r| r.get(0)).optional()?;
        Some(match found {
            Some(id) => id,
            None => {
                tx.execute("INSERT INTO delivery_group (plan_id, name, description) VALUES (?1, ?2, '')", (plan_id, group))?;
                let id = tx.last_insert_rowid();
                audit::record(tx, plan_id, ctx, "delivery_group", group, "create", None::<&()>, Some(&group), None)?;
                id
            }
        })
    };
    let has = |l: Lens| input.lenses.contains(&l);
    tx.execute(
        "UPDATE priority SET title = ?2, description = ?3, delivery_group_id = ?4, lens_victim = ?5, lens_location = ?6, lens_offender = ?7
         WHERE id = ?1",
        rusqlite::params![pid, input.title.trim(), input.description.trim(), gid, has(Lens::Victim), has(Lens::Location), has(Lens::Offender)],
    )?;
    tx.execute("DELETE FROM priority_alignment WHERE priority_id = ?1", [pid])?;
    for code in &input.alignments {
        let oid: i64 = tx
            .query_row("SELECT id FROM outside_plan WHERE plan_id = ?1 AND code = ?2", (plan_id, code.trim()), |r| r.get(0))
            .optional()?
            .ok_or_else(|| CoreError::invalid("alignments", format!("\"{}\" is not an outside plan of this plan", code.trim())))?;
        tx.execute("INSERT OR IGNORE INTO priority_alignment (priority_id, outside_plan_id) VALUES (?1, ?2)", (pid, oid))?;
    }
    Ok(())
}

fn check_priority(input: &PriorityInput) -> Result<(), CoreError> {
    let mut p = Problems::default();
    p.check(required("title", &input.title, TITLE));
    p.check(text("description", &input.description, LONG));
    p.check(text("delivery_group", &input.delivery_group, SHORT));
    if input.lenses.is_empty() {
        p.0.push(FieldError { field: "lenses".into(), message: "tick at least one of Victim, Location, Offender".into() });
    }
    p.finish(|| ())
}

fn upsert_allocation(tx: &Transaction, plan_id: i64, ctx: &Ctx, reference: &str, year: FinancialYear, amount: Pence) -> Result<(), CoreError> {
    let (aid, _, _) = super::actions::action_id(tx, plan_id, reference)?;
    let before: Option<i64> =
        tx.query_row("SELECT amount_pence FROM allocation WHERE action_id = ?1 AND year = ?2", (aid, year.code()), |r| r.get(0)).optional()?;
    if before == Some(amount.0) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO allocation (plan_id, action_id, year, amount_pence) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (action_id, year) DO UPDATE SET amount_pence = excluded.amount_pence",
        (plan_id, aid, year.code(), amount.0),
    )?;
    audit::record(tx, plan_id, ctx, "allocation", &format!("{reference} {}", year.code()), "set", before.map(Pence).as_ref(), Some(&amount), None)
}

impl Store {
    /// Checks an action's dates, quarter and funding year against the plan period.
    pub(crate) fn check_action_against_plan(&self, new: &NewAction) -> Result<(), CoreError> {
        required("title", &new.title, TITLE)?;
        text("description", &new.description, LONG)?;
        text("success_measure", &new.success_measure, LONG)?;
        if let (Some(s), Some(d)) = (new.start_date, new.due_date) {
            if d < s {
                return Err(CoreError::invalid("due", format!("{d} is before the start date {s}")));
            }
        }
        let plan = self.plan()?;
        if let Some(s) = new.start_date {
            if s < plan.start_date || s > plan.end_date {
                return Err(CoreError::invalid(
                    "start",
                    format!(
                        "{} is outside the plan period ({} to {})",
                        s.format("%-d %B %Y"),
                        plan.start_date.format("%-d %B %Y"),
                        plan.end_date.format("%-d %B %Y")
                    ),
                ));
            }
        }
        if let Some(d) = new.due_date {
            if d < plan.start_date || d > plan.end_date {
                return Err(CoreError::invalid("due", format!("{d} is outside the plan period ({} to {})", plan.start_date, plan.end_date)));
            }
        }
        if let Some(q) = new.due_quarter {
            if !plan.quarters().contains(&q) {
                return Err(CoreError::invalid("due_quarter", format!("{q} is not a quarter of the plan")));
            }
        }
        if let Some((year, _)) = new.funding {
            plan.year_of_plan("funding", year)?;
        }
        Ok(())
    }

    /// Edits an action's details (audited). A new priority moves it; its ref never changes.
    pub fn edit_action(&mut self, ctx: &Ctx, reference: &str, new: &NewAction) -> Result<(), CoreError> {
        self.check_action_against_plan(new)?;
        self.write(|tx, plan_id| {
            let before = load_action(tx, plan_id, reference)?;
            let pid = priority_id(tx, plan_id, &new.priority)?;
            let (lead, supporting) = super::actions::lead_and_partners(tx, plan_id, new)?;
            let (aid, _, _) = super::actions::action_id(tx, plan_id, reference)?;
            let moved = before.priority != new.priority.trim();
            tx.execute(
                "UPDATE action SET priority_id = ?2, title = ?3, description = ?4, lead_partner_id = ?5, start_date = ?6,
                        due_date = ?7, due_quarter = ?8, success_measure = ?9,
                        position = CASE WHEN ?10 THEN (SELECT coalesce(max(position), 0) + 1 FROM action WHERE priority_id = ?2) ELSE position END
                 WHERE id = ?1",
                rusqlite::params![
                    aid,
                    pid,
                    new.title.trim(),
                    new.description.trim(),
                    lead,
                    new.start_date.map(|d| d.to_string()),
                    new.due_date.map(|d| d.to_string()),
                    new.due_quarter.map(|q| q.code()),
                    new.success_measure.trim(),
                    moved
                ],
            )?;
            tx.execute("DELETE FROM action_partner WHERE action_id = ?1", [aid])?;
            for s in &supporting {
                tx.execute("INSERT INTO action_partner (action_id, partner_id) VALUES (?1, ?2)", (aid, s))?;
            }
            let after = load_action(tx, plan_id, reference)?;
            if after != before {
                audit::record(tx, plan_id, ctx, "action", &before.reference, "update", Some(&before), Some(&after), None)?;
            }
            if let Some((year, amount)) = new.funding {
                upsert_allocation(tx, plan_id, ctx, &before.reference, year, amount)?;
            }
            Ok(())
        })
    }

    /// Sets an action's allocation for a financial year (audited).
    pub fn set_allocation(&mut self, ctx: &Ctx, reference: &str, year: FinancialYear, amount: Pence) -> Result<(), CoreError> {
        Pence::checked("amount", amount.0)?;
        let plan = self.plan()?;
        plan.year_of_plan("year", year)?;
        self.write(|tx, plan_id| upsert_allocation(tx, plan_id, ctx, reference.trim(), year, amount))
    }

    /// Sets the grant for a financial year from one source (audited).
    pub fn set_grant(&mut self, ctx: &Ctx, year: FinancialYear, source: &str, amount: Pence) -> Result<(), CoreError> {
        required("source", source, SHORT)?;
        Pence::checked("amount", amount.0)?;
        let plan = self.plan()?;
        plan.year_of_plan("year", year)?;
        self.write(|tx, plan_id| {
            let before: Option<i64> = tx
                .query_row("SELECT amount_pence FROM grant_line WHERE plan_id = ?1 AND year = ?2 AND source = ?3", (plan_id, year.code(), source.trim()), |r| {
                    r.get(0)
                })
                .optional()?;
            tx.execute(
                "INSERT INTO grant_line (plan_id, year, source, amount_pence) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (plan_id, year, source) DO UPDATE SET amount_pence = excluded.amount_pence",
                (plan_id, year.code(), source.trim(), amount.0),
            )?;
            audit::record(tx, plan_id, ctx, "grant", &format!("{} {}", year.code(), source.trim()), "set", before.map(Pence).as_ref(), Some(&amount), None)
        })
    }

    /// Edits the plan's title, partnership, vision line and statutory basis (audited).
    pub fn edit_plan(&mut self, ctx: &Ctx, input: &PlanInput) -> Result<(), CoreError> {
        let mut p = Problems::default();
        p.check(required("title", &input.title, TITLE));
        p.check(required("partnership", &input.partnership, TITLE));
        p.check(required("vision", &input.vision, LONG));
        p.check(required("statutory_basis", &input.statutory_basis, LONG));
        p.finish(|| ())?;
        let before = self.plan()?;
        let after = Plan {
            title: input.title.trim().into(),
            partnership: input.partnership.trim().into(),
            vision: input.vision.trim().into(),
            statutory_basis: input.statutory_basis.trim().into(),
            ..before.clone()
        };
        if after == before {
            return Ok(());
        }
        self.write(|tx, plan_id| {
            tx.execute(
                "UPDATE plan SET title = ?2, partnership = ?3, vision = ?4, statutory_basis = ?5 WHERE id = ?1",
                (plan_id, &after.title, &after.partnership, &after.vision, &after.statutory_basis),
            )?;
            audit::record(tx, plan_id, ctx, "plan", &after.short_name, "update", Some(&before), Some(&after), None)
        })
    }

    /// Adds a priority under a theme; its ref is the theme's next number (e.g. `2.4`).
    pub fn add_priority(&mut self, ctx: &Ctx, input: &PriorityInput) -> Result<String, CoreError> {
        check_priority(input)?;
        self.write(|tx, plan_id| {
            let (tid, seq): (i64, u32) = tx
                .query_row("SELECT id, last_priority_seq + 1 FROM theme WHERE plan_id = ?1 AND number = ?2", (plan_id, input.theme), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
                .ok_or_else(|| CoreError::invalid("theme", format!("theme {} does not exist", input.theme)))?;
            let reference = format!("{}.{seq}", input.theme);
            tx.execute("UPDATE theme SET last_priority_seq = ?2 WHERE id = ?1", (tid, seq))?;
            tx.execute(
                "INSERT INTO priority (plan_id, theme_id, ref, title, position)
                 VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM priority WHERE theme_id = ?2))",
                (plan_id, tid, &reference, input.title.trim()),
            )?;
            let pid = tx.last_insert_rowid();
            set_priority_links(tx, plan_id, ctx, pid, input)?;
            let after = load_priority(tx, plan_id, &reference)?;
            audit::record(tx, plan_id, ctx, "priority", &reference, "create", None::<&()>, Some(&after), None)?;
            Ok(reference)
        })
    }

    /// Edits a priority's title, description, delivery group, lenses and alignments (audited).
    pub fn edit_priority(&mut self, ctx: &Ctx, reference: &str, input: &PriorityInput) -> Result<(), CoreError> {
        check_priority(input)?;
        self.write(|tx, plan_id| {
            let pid = priority_id(tx, plan_id, reference)?;
            let before = load_priority(tx, plan_id, reference.trim())?;
            set_priority_links(tx, plan_id, ctx, pid, input)?;
            let after = load_priority(tx, plan_id, reference.trim())?;
            if after != before {
                audit::record(tx, plan_id, ctx, "priority", reference.trim(), "update", Some(&before), Some(&after), None)?;
            }
            Ok(())
        })
    }

    /// Sets the outcome line a theme works towards (empty clears it; audited). The Plan on a
    /// Page shows it under the theme's heading.
    pub fn set_theme_outcome(&mut self, ctx: &Ctx, theme: u32, outcome: &str) -> Result<(), CoreError> {
        let mut p = Problems::default();
        p.check(text("outcome", outcome, TITLE));
        p.finish(|| ())?;
        let outcome = outcome.split_whitespace().collect::<Vec<_>>().join(" ");
        self.write(|tx, plan_id| {
            let before: String = tx
                .query_row("SELECT outcome FROM theme WHERE plan_id = ?1 AND number = ?2", (plan_id, theme), |r| r.get(0))
                .optional()?
                .ok_or_else(|| CoreError::invalid("theme", format!("the plan has no theme {theme} (see `ccsp plan show`)")))?;
            if before != outcome {
                tx.execute("UPDATE theme SET outcome = ?3 WHERE plan_id = ?1 AND number = ?2", (plan_id, theme, &outcome))?;
                audit::record(tx, plan_id, ctx, "theme", &theme.to_string(), "update", Some(&before), Some(&outcome), None)?;
            }
            Ok(())
        })
    }

    /// Moves a priority up (-1) or down (+1) within its theme. Display order only: refs stay.
    pub fn move_priority(&mut self, ctx: &Ctx, reference: &str, step: i32) -> Result<(), CoreError> {
        self.write(|tx, plan_id| {
            let pid = priority_id(tx, plan_id, reference)?;
            let (tid, pos): (i64, i64) = tx.query_row("SELECT theme_id, position FROM priority WHERE id = ?1", [pid], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let sql = if step < 0 {
                "SELECT id, position FROM priority WHERE theme_id = ?1 AND position < ?2 ORDER BY position DESC LIMIT 1"
            } else {
                "SELECT id, position FROM priority WHERE theme_id = ?1 AND position > ?2 ORDER BY position LIMIT 1"
            };
            let Some((other, other_pos)): Option<(i64, i64)> = tx.query_row(sql, (tid, pos), |r| Ok((r.get(0)?, r.get(1)?))).optional()? else {
                return Err(CoreError::Refused(format!("{} is already {} of its theme", reference.trim(), if step < 0 { "first" } else { "last" })));
            };
            tx.execute("UPDATE priority SET position = ?2 WHERE id = ?1", (pid, other_pos))?;
            tx.execute("UPDATE priority SET position = ?2 WHERE id = ?1", (other, pos))?;
            audit::record(tx, plan_id, ctx, "priority", reference.trim(), "reorder", Some(&pos), Some(&other_pos), None)
        })
    }

    /// Adds a partner, or edits the name and kind of the partner with that short name.
    pub fn save_partner(&mut self, ctx: &Ctx, input: &PartnerInput) -> Result<(), CoreError> {
        let mut p = Problems::default();
        p.check(required("short_name", &input.short_name, 20));
        p.check(required("name", &input.name, SHORT));
        if input.short_name.trim().contains([',', ' ']) {
            p.0.push(FieldError { field: "short_name".into(), message: "use letters only, no spaces or commas (e.g. WMP)".into() });
        }
        p.finish(|| ())?;
        let short = input.short_name.trim().to_string();
        self.write(|tx, plan_id| {
            let before: Option<(String, String)> = tx
                .query_row("SELECT name, kind FROM partner WHERE plan_id = ?1 AND upper(short_name) = upper(?2)", (plan_id, &short), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let after = serde_json::json!({"short_name": short, "name": input.name.trim(), "kind": input.kind.code()});
            match before {
                Some((name, kind)) => {
                    tx.execute(
                        "UPDATE partner SET name = ?3, kind = ?4 WHERE plan_id = ?1 AND upper(short_name) = upper(?2)",
                        (plan_id, &short, input.name.trim(), input.kind.code()),
                    )?;
                    let before = serde_json::json!({"short_name": short, "name": name, "kind": kind});
                    audit::record(tx, plan_id, ctx, "partner", &short, "update", Some(&before), Some(&after), None)
                }
                None => {
                    tx.execute(
                        "INSERT INTO partner (plan_id, short_name, name, kind, position)
                         VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(position), 0) + 1 FROM partner WHERE plan_id = ?1))",
                        (plan_id, &short, input.name.trim(), input.kind.code()),
                    )?;
                    audit::record(tx, plan_id, ctx, "partner", &short, "create", None::<&()>, Some(&after), None)
                }
            }
        })
    }
}
