//! Actions: add, list, edit, cancel, delete. Refs are identities: assigned once from the
//! priority's counter, never changed, never reused.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction};
use serde::Serialize;

use super::{audit, ref_key, Ctx, Store};
use crate::domain::{Action, FinancialYear, Lifecycle, Pence, Quarter, Rag};
use crate::error::CoreError;
use crate::validate::{required, LONG};

/// What the coordinator supplies to add an action.
#[derive(Debug, Clone, Default)]
pub struct NewAction {
    pub priority: String,
    pub title: String,
    pub description: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    pub due_quarter: Option<Quarter>,
    pub success_measure: String,
    /// Funding allocated for a financial year.
    pub funding: Option<(FinancialYear, Pence)>,
    pub illustrative: bool,
    /// Its ref in the tracker it is brought in from (`ccsp import actions`).
    pub previous_ref: String,
}

/// An action with its allocations and its updates, oldest quarter first.
#[derive(Debug, Clone, Serialize)]
pub struct ActionDetail {
    pub action: crate::domain::Action,
    pub allocations: Vec<crate::domain::Allocation>,
    pub updates: Vec<crate::domain::Update>,
}

/// One row of the actions register.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ActionRow {
    #[serde(rename = "ref")]
    pub reference: String,
    pub theme: u32,
    pub priority: String,
    pub title: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub start_date: Option<String>,
    pub due_date: Option<String>,
    pub due_quarter: Option<String>,
    pub lifecycle: Lifecycle,
    pub illustrative: bool,
    /// Latest quarter with an update, and that update's status (None for an incomplete draft).
    pub latest_quarter: Option<String>,
    pub latest_rag: Option<Rag>,
    pub latest_draft: bool,
    pub allocated_pence: i64,
}

pub(crate) fn priority_id(tx: &rusqlite::Connection, plan_id: i64, reference: &str) -> Result<i64, CoreError> {
    tx.query_row("SELECT id FROM priority WHERE plan_id = ?1 AND ref = ?2", (plan_id, reference.trim()), |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::invalid("priority", format!("{} is not a priority of the plan (see `ccsp plan show`)", reference.trim())))
}

pub(crate) fn partner_id(tx: &rusqlite::Connection, plan_id: i64, field: &str, short: &str) -> Result<i64, CoreError> {
    tx.query_row("SELECT id FROM partner WHERE plan_id = ?1 AND upper(short_name) = upper(?2)", (plan_id, short.trim()), |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::invalid(field, format!("\"{}\" is not a partner; use a short name from `ccsp plan show`", short.trim())))
}

/// The lead partner's id and the supporting partners' ids (each once, never the lead).
pub(crate) fn lead_and_partners(tx: &rusqlite::Connection, plan_id: i64, new: &NewAction) -> Result<(i64, Vec<i64>), CoreError> {
    let lead = partner_id(tx, plan_id, "lead", &new.lead)?;
    let mut supporting = Vec::new();
    for s in &new.partners {
        let id = partner_id(tx, plan_id, "partners", s)?;
        if id == lead {
            return Err(CoreError::invalid("partners", format!("{} is already the lead partner", s.trim())));
        }
        if !supporting.contains(&id) {
            supporting.push(id);
        }
    }
    Ok((lead, supporting))
}

pub(crate) fn action_id(conn: &rusqlite::Connection, plan_id: i64, reference: &str) -> Result<(i64, Lifecycle, Option<String>), CoreError> {
    let row: Option<(i64, String, Option<String>)> = conn
        .query_row("SELECT id, lifecycle, start_date FROM action WHERE plan_id = ?1 AND ref = ?2", (plan_id, reference.trim()), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (id, lc, start) = row.ok_or_else(|| CoreError::invalid("action", format!("{} is not an action ref (see `ccsp action list`)", reference.trim())))?;
    Ok((id, super::record::parse_stored_enum(&lc)?, start))
}

impl Store {
    /// Adds an action under a priority and returns its new ref (e.g. `1.2.3`).
    pub fn add_action(&mut self, ctx: &Ctx, new: &NewAction) -> Result<String, CoreError> {
        self.check_action_against_plan(new)?;
        self.write(|tx, plan_id| insert_action(tx, plan_id, ctx, new))
    }

    /// Adds several actions in one transaction (a tracker brought in): all of them, or none.
    /// Returns their new refs, in order.
    pub fn add_actions(&mut self, ctx: &Ctx, new: &[NewAction]) -> Result<Vec<String>, CoreError> {
        for n in new {
            self.check_action_against_plan(n)?;
        }
        self.write(|tx, plan_id| new.iter().map(|n| insert_action(tx, plan_id, ctx, n)).collect())
    }

    /// The actions register, in ref order, with each action's latest update.
    pub fn list_actions(&self) -> Result<Vec<ActionRow>, CoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, a.ref, t.number, p.ref, a.title, l.short_name, a.start_date, a.due_date, a.due_quarter,
                    a.lifecycle, a.illustrative,
                    u.quarter, u.rag, u.draft,
                    (SELECT coalesce(sum(amount_pence), 0) FROM allocation x WHERE x.action_id = a.id),
                    (SELECT group_concat(sp.short_name, ',') FROM (SELECT pp.short_name FROM action_partner ap
                        JOIN partner pp ON pp.id = ap.partner_id WHERE ap.action_id = a.id ORDER BY pp.short_name) sp)
             FROM action a
             JOIN priority p ON p.id = a.priority_id
             JOIN theme t ON t.id = p.theme_id
             JOIN partner l ON l.id = a.lead_partner_id
             LEFT JOIN quarterly_update u ON u.id = (
                 SELECT id FROM quarterly_update WHERE action_id = a.id ORDER BY quarter DESC LIMIT 1)
             WHERE a.plan_id = ?1",
        )?;
        let rows = st.query_map([self.plan_id], |r| {
            Ok(ActionRow {
                reference: r.get(1)?,
                theme: r.get(2)?,
                priority: r.get(3)?,
                title: r.get(4)?,
                lead: r.get(5)?,
                start_date: r.get(6)?,
                due_date: r.get(7)?,
                due_quarter: r.get(8)?,
                lifecycle: super::record::parse_stored_enum(&r.get::<_, String>(9)?)?,
                illustrative: r.get(10)?,
                latest_quarter: r.get(11)?,
                latest_rag: r.get::<_, Option<String>>(12)?.map(|s| super::record::parse_stored_enum(&s)).transpose()?,
                latest_draft: r.get::<_, Option<bool>>(13)?.unwrap_or(false),
                allocated_pence: r.get(14)?,
                // NULL from the LEFT JOIN's group_concat: an action with no supporting partners.
                partners: r.get::<_, Option<String>>(15)?.map(|s| s.split(',').map(String::from).collect()).unwrap_or_default(),
            })
        })?;
        let mut out: Vec<ActionRow> = rows.collect::<Result<_, _>>()?;
        out.sort_by_key(|a| ref_key(&a.reference));
        Ok(out)
    }

    /// One action as the record holds it.
    pub fn action(&self, reference: &str) -> Result<Action, CoreError> {
        load_action(&self.conn, self.plan_id, reference)
    }

    /// One action with its funding and every update it has had, for `ccsp action show`.
    pub fn action_detail(&self, reference: &str) -> Result<ActionDetail, CoreError> {
        let action = self.action(reference)?;
        let record = self.record()?;
        let allocations = record.allocations.into_iter().filter(|a| a.action == action.reference).collect();
        let mut updates: Vec<crate::domain::Update> = record.updates.into_iter().filter(|u| u.action == action.reference).collect();
        updates.sort_by_key(|u| u.quarter);
        Ok(ActionDetail { action, allocations, updates })
    }

    /// Cancels an action, with its reason. Its updates stay in the record.
    pub fn cancel_action(&mut self, ctx: &Ctx, reference: &str, reason: &str) -> Result<(), CoreError> {
        required("reason", reason, LONG)?;
        self.write(|tx, plan_id| {
            let before = load_action(tx, plan_id, reference)?;
            if before.lifecycle == Lifecycle::Cancelled {
                return Err(CoreError::Refused(format!("{} is already cancelled", before.reference)));
            }
            tx.execute(
                "UPDATE action SET lifecycle = 'cancelled', cancel_reason = ?3 WHERE plan_id = ?1 AND ref = ?2",
                (plan_id, &before.reference, reason.trim()),
            )?;
            let after = load_action(tx, plan_id, reference)?;
            audit::record(tx, plan_id, ctx, "action", &before.reference, "cancel", Some(&before), Some(&after), Some(reason.trim()))
        })
    }

    /// Deletes an action that has no updates. One with updates must be cancelled instead.
    pub fn delete_action(&mut self, ctx: &Ctx, reference: &str) -> Result<(), CoreError> {
        self.write(|tx, plan_id| {
            let before = load_action(tx, plan_id, reference)?;
            let (id, _, _) = action_id(tx, plan_id, reference)?;
            let updates: i64 = tx.query_row("SELECT count(*) FROM quarterly_update WHERE action_id = ?1", [id], |r| r.get(0))?;
            if updates > 0 {
                return Err(CoreError::Refused(format!(
                    "{} has {} in the record, so it cannot be deleted; cancel it with a reason instead",
                    before.reference,
                    crate::validate::count(updates as usize, "quarterly update")
                )));
            }
            tx.execute("DELETE FROM spend WHERE action_id = ?1", [id])?;
            tx.execute("DELETE FROM allocation WHERE action_id = ?1", [id])?;
            tx.execute("DELETE FROM action WHERE id = ?1", [id])?;
            audit::record(tx, plan_id, ctx, "action", &before.reference, "delete", Some(&before), None::<&()>, None)
        })
    }

    /// Moves an action to another priority. It keeps its ref.
    pub fn move_action(&mut self, ctx: &Ctx, reference: &str, to_priority: &str) -> Result<(), CoreError> {
        self.write(|tx, plan_id| {
            let before = load_action(tx, plan_id, reference)?;
            let pid = priority_id(tx, plan_id, to_priority)?;
            let position: i64 = tx.query_row("SELECT coalesce(max(position), 0) + 1 FROM action WHERE priority_id = ?1", [pid], |r| r.get(0))?;
            tx.execute("UPDATE action SET priority_id = ?3, position = ?4 WHERE plan_id = ?1 AND ref = ?2", (plan_id, &before.reference, pid, position))?;
            let after = load_action(tx, plan_id, reference)?;
            audit::record(tx, plan_id, ctx, "action", &before.reference, "move", Some(&before), Some(&after), None)
        })
    }
}

/// Loads one action by ref (inside or outside a transaction).
pub(crate) fn load_action(conn: &rusqlite::Connection, plan_id: i64, reference: &str) -> Result<Action, CoreError> {
    let (id, _, _) = action_id(conn, plan_id, reference)?;
    let partners: Vec<String> = conn
        .prepare_cached("SELECT p.short_name FROM action_partner ap JOIN partner p ON p.id = ap.partner_id WHERE ap.action_id = ?1 ORDER BY p.short_name")?
        .query_map([id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let a = conn.query_row(
        "SELECT a.ref, p.ref, a.title, a.description, l.short_name, a.start_date, a.due_date, a.due_quarter,
                a.success_measure, a.lifecycle, a.cancel_reason, a.position, a.illustrative, a.created_at, a.previous_ref
         FROM action a JOIN priority p ON p.id = a.priority_id JOIN partner l ON l.id = a.lead_partner_id WHERE a.id = ?1",
        [id],
        |r| {
            use super::record::{parse_stored_date, parse_stored_enum, parse_stored_quarter};
            Ok(Action {
                reference: r.get(0)?,
                priority: r.get(1)?,
                title: r.get(2)?,
                description: r.get(3)?,
                lead: r.get(4)?,
                partners: partners.clone(),
                start_date: r.get::<_, Option<String>>(5)?.map(|s| parse_stored_date(&s)).transpose()?,
                due_date: r.get::<_, Option<String>>(6)?.map(|s| parse_stored_date(&s)).transpose()?,
                due_quarter: r.get::<_, Option<String>>(7)?.map(|s| parse_stored_quarter(&s)).transpose()?,
                success_measure: r.get(8)?,
                lifecycle: parse_stored_enum(&r.get::<_, String>(9)?)?,
                cancel_reason: r.get(10)?,
                position: r.get(11)?,
                illustrative: r.get(12)?,
                created_at: r.get(13)?,
                previous_ref: r.get(14)?,
            })
        },
    )?;
    Ok(a)
}

/// Inserts one checked action (`Store::check_action_against_plan`) inside the caller's
/// transaction: its ref from the priority's counter, its partners, its funding, audited.
fn insert_action(tx: &Transaction, plan_id: i64, ctx: &Ctx, new: &NewAction) -> Result<String, CoreError> {
    let pid = priority_id(tx, plan_id, &new.priority)?;
    let (lead, supporting) = lead_and_partners(tx, plan_id, new)?;
    let (pref, seq): (String, u32) = tx.query_row("SELECT ref, last_action_seq + 1 FROM priority WHERE id = ?1", [pid], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let reference = format!("{pref}.{seq}");
    tx.execute("UPDATE priority SET last_action_seq = ?2 WHERE id = ?1", (pid, seq))?;
    let position: i64 = tx.query_row("SELECT coalesce(max(position), 0) + 1 FROM action WHERE priority_id = ?1", [pid], |r| r.get(0))?;
    let lifecycle = match new.start_date {
        Some(s) if s > ctx.today => Lifecycle::NotStarted,
        _ => Lifecycle::InProgress,
    };
    tx.execute(
        "INSERT INTO action (plan_id, priority_id, ref, title, description, lead_partner_id, start_date, due_date,
                                 due_quarter, success_measure, lifecycle, position, illustrative, created_at, previous_ref)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        rusqlite::params![
            plan_id,
            pid,
            &reference,
            new.title.trim(),
            new.description.trim(),
            lead,
            new.start_date.map(|d| d.to_string()),
            new.due_date.map(|d| d.to_string()),
            new.due_quarter.map(|q| q.code()),
            new.success_measure.trim(),
            lifecycle.code(),
            position,
            new.illustrative,
            &ctx.now,
            new.previous_ref.trim()
        ],
    )?;
    let aid = tx.last_insert_rowid();
    for s in &supporting {
        tx.execute("INSERT INTO action_partner (action_id, partner_id) VALUES (?1, ?2)", (aid, s))?;
    }
    if let Some((year, amount)) = new.funding {
        tx.execute("INSERT INTO allocation (plan_id, action_id, year, amount_pence) VALUES (?1, ?2, ?3, ?4)", (plan_id, aid, year.code(), amount.0))?;
    }
    let after = load_action(tx, plan_id, &reference)?;
    audit::record(tx, plan_id, ctx, "action", &reference, "create", None::<&()>, Some(&after), None)?;
    if let Some((year, amount)) = new.funding {
        audit::record(tx, plan_id, ctx, "allocation", &format!("{reference} {}", year.code()), "create", None::<&()>, Some(&amount), None)?;
    }
    Ok(reference)
}

/// Sets an action's lifecycle, audited (used when an update says Complete or work has begun).
pub(crate) fn set_lifecycle(tx: &Transaction, plan_id: i64, ctx: &Ctx, reference: &str, to: Lifecycle) -> Result<(), CoreError> {
    let before = load_action(tx, plan_id, reference)?;
    if before.lifecycle == to {
        return Ok(());
    }
    tx.execute("UPDATE action SET lifecycle = ?3 WHERE plan_id = ?1 AND ref = ?2", (plan_id, reference, to.code()))?;
    audit::record(tx, plan_id, ctx, "action", reference, "lifecycle", Some(&before.lifecycle), Some(&to), None)
}
