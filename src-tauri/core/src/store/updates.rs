//! The quarterly record: updates, indicator values, spend, and quarter sign-off / reopen.
//! A signed-off quarter refuses all three until it is reopened with a reason.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::actions::{action_id, set_lifecycle};
use super::{audit, Ctx, Store};
use crate::domain::update::problems;
use crate::domain::{Indicator, Lifecycle, Pence, Quarter, Rag, Update};
use crate::error::CoreError;
use crate::validate::{required, text, LONG, SHORT};

/// How strictly to apply the RAG rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    /// The CLI: a rule-breaking update is refused.
    Strict,
    /// The app: every keystroke is kept; a rule-breaking update is saved as an incomplete draft.
    Draft,
}

#[derive(Debug, Clone, Default)]
pub struct SetUpdate {
    pub action: String,
    pub quarter: Option<Quarter>,
    pub rag: Option<Rag>,
    pub commentary: String,
    pub next_steps: String,
    /// Who reported it (the partner's contact); defaults to the person making the change.
    pub reported_by: Option<String>,
}

/// A change to one quarter's update: `None` keeps what is recorded (`Store::correct_update`).
#[derive(Debug, Clone)]
pub struct UpdateChange {
    pub action: String,
    pub quarter: Quarter,
    pub rag: Option<Rag>,
    pub commentary: Option<String>,
    pub next_steps: Option<String>,
    pub reported_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct UpdateSaved {
    pub action: String,
    pub quarter: String,
    pub draft: bool,
    pub problems: Vec<crate::domain::update::Problem>,
}

fn is_signed_off(conn: &Connection, plan_id: i64, q: Quarter) -> Result<bool, CoreError> {
    Ok(conn.query_row("SELECT 1 FROM sign_off WHERE plan_id = ?1 AND quarter = ?2", (plan_id, q.code()), |_| Ok(())).optional()?.is_some())
}

/// What signing a quarter off did: the sign-off is committed; its backup may have failed.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct SignedOff {
    /// The backup of the record as signed off, in `backups/`.
    pub backup: Option<String>,
    /// Why that backup could not be taken (the coordinator is shown this).
    pub backup_failed: Option<String>,
}

impl Store {
    /// Checks that a quarter can take entries today: in the plan, started, not signed off.
    fn open_quarter(&self, field: &str, q: Quarter, today: chrono::NaiveDate) -> Result<(), CoreError> {
        let plan = self.plan()?;
        if !plan.quarters().contains(&q) {
            return Err(CoreError::invalid(field, format!("{q} is not a quarter of the plan ({} to {})", plan.start_date, plan.end_date)));
        }
        if q.start() > today {
            return Err(CoreError::invalid(field, format!("{q} has not started yet (it starts on {})", q.start())));
        }
        if is_signed_off(&self.conn, self.plan_id, q)? {
            return Err(CoreError::Refused(format!(
                "{q} is signed off, so its record cannot change; reopen it with `ccsp quarter reopen {} --reason ...` first",
                q.code()
            )));
        }
        Ok(())
    }

    /// Records an action's update for a quarter (one per action per quarter; a second call
    /// replaces the first, audited with before and after).
    pub fn set_update(&mut self, ctx: &Ctx, input: &SetUpdate, mode: UpdateMode) -> Result<UpdateSaved, CoreError> {
        let q = input.quarter.ok_or_else(|| CoreError::invalid("quarter", "is required"))?;
        let reported_by = input.reported_by.clone().unwrap_or_else(|| ctx.who.clone());
        let checked = self.check_update(ctx, input, q, &reported_by)?;
        let found = problems(input.rag, &input.commentary, &input.next_steps);
        if mode == UpdateMode::Strict {
            if let Some(p) = found.first() {
                return Err(CoreError::invalid(p.field, p.message.clone()));
            }
        }
        let draft = !found.is_empty();
        let reference = input.action.trim().to_string();
        let input = SetUpdate { reported_by: Some(reported_by), ..input.clone() };
        let how = match mode {
            UpdateMode::Draft => Written::Typed,
            UpdateMode::Strict => Written::Given,
        };
        self.write(|tx, plan_id| {
            write_update(tx, plan_id, ctx, &input, q, draft, checked, how)?;
            Ok(UpdateSaved { action: reference.clone(), quarter: q.code(), draft, problems: found.clone() })
        })
    }

    /// The checks an update must pass before it is written, other than the RAG rules: the
    /// text fits, the action exists and is not cancelled, the quarter takes entries, and the
    /// status fits the action's start date. Returns the action's lifecycle and start.
    pub(crate) fn check_update(&self, ctx: &Ctx, input: &SetUpdate, q: Quarter, reported_by: &str) -> Result<Checked, CoreError> {
        text("commentary", &input.commentary, LONG)?;
        text("next-steps", &input.next_steps, LONG)?;
        text("reported by", reported_by, SHORT)?;
        let (_, lifecycle, start) = action_id(&self.conn, self.plan_id, &input.action)?;
        if lifecycle == Lifecycle::Cancelled {
            return Err(CoreError::Refused(format!("{} is cancelled, so it takes no more updates", input.action.trim())));
        }
        self.open_quarter("quarter", q, ctx.today)?;
        let start = start.as_deref().map(|s| super::stored_date(&format!("action {}'s start date", input.action.trim()), s)).transpose()?;
        if let (Some(start), Some(rag)) = (start, input.rag) {
            if start > q.end() && rag != Rag::NotStarted {
                return Err(CoreError::invalid(
                    "rag",
                    format!("{} starts on {}, after {q} ends: only Not started can be reported for {q}", input.action.trim(), start.format("%-d %B %Y")),
                ));
            }
        }
        if input.rag == Some(Rag::NotStarted) {
            if let Some(start) = start {
                if start <= q.start() {
                    return Err(CoreError::invalid(
                        "rag",
                        format!(
                            "Not started is for actions whose start is still ahead; {} was due to start on {start} — report Amber or Red with a commentary",
                            input.action.trim()
                        ),
                    ));
                }
            }
        }
        Ok(Checked { lifecycle, start })
    }

    /// All updates for a quarter, keyed by action ref.
    pub fn updates_for(&self, q: Quarter) -> Result<Vec<Update>, CoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.ref, u.rag, u.commentary, u.next_steps, u.reported_by, u.reported_at, u.draft
             FROM quarterly_update u JOIN action a ON a.id = u.action_id WHERE u.plan_id = ?1 AND u.quarter = ?2",
        )?;
        let rows = st.query_map((self.plan_id, q.code()), |r| {
            Ok(Update {
                action: r.get(0)?,
                quarter: q,
                rag: r.get::<_, Option<String>>(1)?.map(|s| super::record::parse_stored_enum(&s)).transpose()?,
                commentary: r.get(2)?,
                next_steps: r.get(3)?,
                reported_by: r.get(4)?,
                reported_at: r.get(5)?,
                draft: r.get(6)?,
            })
        })?;
        let mut out: Vec<Update> = rows.collect::<Result<_, _>>()?;
        out.sort_by_key(|u| super::ref_key(&u.action));
        Ok(out)
    }

    /// A correction from the command line: options not given keep the value the quarter's
    /// update already has (a status given alone keeps the commentary); clearing a field needs
    /// it given empty. Validated strictly, like every CLI update. Returns what was saved and
    /// the fields that were cleared, so the CLI can say so.
    pub fn correct_update(&mut self, ctx: &Ctx, change: &UpdateChange) -> Result<(UpdateSaved, Vec<&'static str>), CoreError> {
        let existing = self.updates_for(change.quarter)?.into_iter().find(|u| u.action == change.action.trim());
        let rag = change.rag.or(existing.as_ref().and_then(|u| u.rag));
        if rag.is_none() {
            return Err(CoreError::invalid("rag", format!("{} has no update for {} yet: give its status", change.action.trim(), change.quarter)));
        }
        let keep = |given: &Option<String>, old: Option<&str>| given.clone().unwrap_or_else(|| old.unwrap_or("").to_string());
        let commentary = keep(&change.commentary, existing.as_ref().map(|u| u.commentary.as_str()));
        let next_steps = keep(&change.next_steps, existing.as_ref().map(|u| u.next_steps.as_str()));
        let mut cleared = Vec::new();
        if let Some(old) = &existing {
            if change.commentary.as_deref().is_some_and(|c| c.trim().is_empty()) && !old.commentary.trim().is_empty() {
                cleared.push("commentary");
            }
            if change.next_steps.as_deref().is_some_and(|c| c.trim().is_empty()) && !old.next_steps.trim().is_empty() {
                cleared.push("next steps");
            }
        }
        let input =
            SetUpdate { action: change.action.clone(), quarter: Some(change.quarter), rag, commentary, next_steps, reported_by: change.reported_by.clone() };
        let saved = self.set_update(ctx, &input, UpdateMode::Strict)?;
        Ok((saved, cleared))
    }

    /// Actions that owe a return for a quarter (the one rule, `domain::update::owes_return`)
    /// and have no complete update: (ref, lead partner, "missing" or "incomplete").
    pub fn missing_returns(&self, q: Quarter) -> Result<Vec<(String, String, &'static str)>, CoreError> {
        let done = self.completed_in()?;
        let now = self.updates_by_ref(Some(q))?;
        // Only what the rule needs (the register's latest-update columns are not).
        let mut st = self.conn.prepare_cached(
            "SELECT a.ref, l.short_name, a.lifecycle, a.start_date FROM action a JOIN partner l ON l.id = a.lead_partner_id WHERE a.plan_id = ?1",
        )?;
        let rows = st.query_map([self.plan_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                super::record::parse_stored_enum::<Lifecycle>(&r.get::<_, String>(2)?)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (reference, lead, lifecycle, start) = row?;
            let start = start.as_deref().map(|s| super::stored_date(&format!("action {reference}'s start date"), s)).transpose()?;
            if !crate::domain::update::owes_return(lifecycle, start, done.get(&reference).copied(), q) {
                continue;
            }
            match now.get(&reference) {
                None => out.push((reference, lead, "missing")),
                Some(u) if u.draft => out.push((reference, lead, "incomplete")),
                Some(_) => {}
            }
        }
        out.sort_by_key(|(r, _, _)| super::ref_key(r));
        Ok(out)
    }

    /// Signs a quarter off: its updates, indicator values and spend are frozen. With returns
    /// missing, refuses unless `confirm_missing` (the caller has shown the list and the
    /// coordinator confirmed); those appear as "no return".
    pub fn sign_off(&mut self, ctx: &Ctx, q: Quarter, confirm_missing: bool) -> Result<SignedOff, CoreError> {
        self.sign_off_chaired(ctx, q, confirm_missing, "")
    }

    /// The review marks for a quarter.
    pub fn reviews(&self, q: Quarter) -> Result<Vec<crate::domain::ReviewMark>, CoreError> {
        let mut st = self.conn.prepare_cached(&format!("{} WHERE m.plan_id = ?1 AND m.quarter = ?2", super::record::REVIEW_SELECT))?;
        let rows = st.query_map((self.plan_id, q.code()), super::record::review_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The coordinator marks a Red or Amber update reviewed before the pack is final, with an
    /// optional note; audited. Marking again replaces the note.
    pub fn review(&mut self, ctx: &Ctx, q: Quarter, reference: &str, note: &str) -> Result<(), CoreError> {
        text("note", note, LONG)?;
        self.open_quarter("quarter", q, ctx.today)?;
        let reference = reference.trim().to_string();
        let update = self.updates_for(q)?.into_iter().find(|u| u.action == reference);
        match update {
            Some(u) if !u.draft && matches!(u.rag, Some(Rag::Red | Rag::Amber)) => {}
            Some(_) => return Err(CoreError::Refused(format!("{reference} is not Red or Amber in {q}: only those are reviewed before the meeting"))),
            None => return Err(CoreError::Refused(format!("{reference} has no update for {q} to review"))),
        }
        let before = self.reviews(q)?.into_iter().find(|m| m.action == reference);
        let after = crate::domain::ReviewMark {
            action: reference.clone(),
            quarter: q,
            reviewed_by: ctx.who.clone(),
            reviewed_at: ctx.now.clone(),
            note: note.trim().to_string(),
        };
        self.write(|tx, plan_id| {
            let (aid, _, _) = action_id(tx, plan_id, &reference)?;
            tx.execute(
                "INSERT INTO review_mark (plan_id, action_id, quarter, reviewed_by, reviewed_at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (action_id, quarter) DO UPDATE SET reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at, note = excluded.note",
                (plan_id, aid, q.code(), &after.reviewed_by, &after.reviewed_at, &after.note),
            )?;
            let key = format!("{reference} {}", q.code());
            audit::record(tx, plan_id, ctx, "review", &key, if before.is_some() { "update" } else { "create" }, before.as_ref(), Some(&after), None)
        })
    }

    /// Signs a quarter off, recording the chair of the meeting (may be empty).
    pub fn sign_off_chaired(&mut self, ctx: &Ctx, q: Quarter, confirm_missing: bool, chair: &str) -> Result<SignedOff, CoreError> {
        text("chair", chair, SHORT)?;
        self.open_quarter("quarter", q, ctx.today)?;
        let missing = self.missing_returns(q)?;
        if !missing.is_empty() && !confirm_missing {
            let list: Vec<String> = missing.iter().map(|(r, l, why)| format!("{r} ({l}, {why})")).collect();
            return Err(CoreError::Refused(format!(
                "{} {} no complete return for {q}: {}. Confirm to sign off anyway (`--yes`); they will show as \"no return\"",
                crate::validate::count(missing.len(), "action"),
                if missing.len() == 1 { "has" } else { "have" },
                list.join(", ")
            )));
        }
        self.write(|tx, plan_id| {
            tx.execute(
                "INSERT INTO sign_off (plan_id, quarter, signed_off_at, signed_off_by, chair) VALUES (?1, ?2, ?3, ?4, ?5)",
                (plan_id, q.code(), &ctx.now, &ctx.who, chair.trim()),
            )?;
            let mut after = serde_json::json!({"state": "signed_off", "missing_returns": missing.iter().map(|m| &m.0).collect::<Vec<_>>()});
            if !chair.trim().is_empty() {
                after["chair"] = serde_json::json!(chair.trim());
            }
            audit::record(tx, plan_id, ctx, "quarter", &q.code(), "sign_off", Some(&serde_json::json!({"state": "open"})), Some(&after), None)
        })?;
        // The record as signed off at the meeting, kept in backups/. The sign-off itself is
        // committed either way: a failed backup is returned for the coordinator to see (and
        // noted in the store log when that can still be written).
        match self.backup_rolling(&format!("signed-off-{}", q.code())) {
            Ok(path) => Ok(SignedOff { backup: Some(path.display().to_string()), backup_failed: None }),
            Err(e) => {
                let failed = format!("{q} is signed off, but its backup could not be taken: {e}");
                // Best effort: the disk that refused the backup may refuse this note too, and
                // the failure is reported to the coordinator either way.
                let _ = Store::log_event(&self.conn, "backup_failed", &e.to_string());
                Ok(SignedOff { backup: None, backup_failed: Some(failed) })
            }
        }
    }

    /// Reopens a signed-off quarter; the reason goes into the audit trail.
    pub fn reopen(&mut self, ctx: &Ctx, q: Quarter, reason: &str) -> Result<(), CoreError> {
        required("reason", reason, LONG)?;
        self.write(|tx, plan_id| {
            let row: Option<(String, String)> = tx
                .query_row("SELECT signed_off_at, signed_off_by FROM sign_off WHERE plan_id = ?1 AND quarter = ?2", (plan_id, q.code()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?;
            let Some((at, by)) = row else {
                return Err(CoreError::Refused(format!("{q} is not signed off, so there is nothing to reopen")));
            };
            tx.execute("DELETE FROM sign_off WHERE plan_id = ?1 AND quarter = ?2", (plan_id, q.code()))?;
            let before = serde_json::json!({"state": "signed_off", "signed_off_at": at, "signed_off_by": by});
            audit::record(tx, plan_id, ctx, "quarter", &q.code(), "reopen", Some(&before), Some(&serde_json::json!({"state": "open"})), Some(reason.trim()))
        })
    }

    /// Records an indicator's value for a quarter.
    pub fn set_indicator_value(&mut self, ctx: &Ctx, code: &str, q: Quarter, value: f64, note: &str) -> Result<(), CoreError> {
        if !value.is_finite() {
            return Err(CoreError::invalid("value", "must be a number"));
        }
        text("note", note, LONG)?;
        self.open_quarter("quarter", q, ctx.today)?;
        self.write(|tx, plan_id| {
            let id: i64 = tx
                .query_row("SELECT id FROM indicator WHERE plan_id = ?1 AND code = ?2", (plan_id, code), |r| r.get(0))
                .optional()?
                .ok_or_else(|| CoreError::invalid("indicator", format!("\"{code}\" is not an indicator")))?;
            let before: Option<f64> =
                tx.query_row("SELECT value FROM indicator_value WHERE indicator_id = ?1 AND quarter = ?2", (id, q.code()), |r| r.get(0)).optional()?;
            tx.execute(
                "INSERT INTO indicator_value (plan_id, indicator_id, quarter, value, note, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (indicator_id, quarter) DO UPDATE SET value = excluded.value, note = excluded.note,
                    recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                rusqlite::params![plan_id, id, q.code(), value, note, &ctx.who, &ctx.now],
            )?;
            audit::record(tx, plan_id, ctx, "indicator_value", &format!("{code} {}", q.code()), "set", before.as_ref(), Some(&value), None)
        })
    }

    /// Adds an indicator to the plan.
    pub fn add_indicator(&mut self, ctx: &Ctx, ind: &Indicator) -> Result<(), CoreError> {
        required("code", &ind.code, SHORT)?;
        required("name", &ind.name, crate::validate::TITLE)?;
        self.write(|tx, plan_id| {
            let theme_id = indicator_theme(tx, plan_id, ind.theme)?;
            let exists = tx.query_row("SELECT 1 FROM indicator WHERE plan_id = ?1 AND code = ?2", (plan_id, &ind.code), |_| Ok(())).optional()?;
            if exists.is_some() {
                return Err(CoreError::invalid("code", format!("indicator \"{}\" already exists", ind.code)));
            }
            tx.execute(
                "INSERT INTO indicator (plan_id, code, name, theme_id, unit, polarity, baseline_value, baseline_period, target_value, source, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT coalesce(max(position), 0) + 1 FROM indicator WHERE plan_id = ?1))",
                rusqlite::params![
                    plan_id,
                    &ind.code,
                    &ind.name,
                    theme_id,
                    &ind.unit,
                    super::record::enum_code(&ind.polarity),
                    ind.baseline_value,
                    &ind.baseline_period,
                    ind.target_value,
                    &ind.source
                ],
            )?;
            audit::record(tx, plan_id, ctx, "indicator", &ind.code, "create", None::<&()>, Some(ind), None)
        })
    }

    /// Changes an indicator's details; its code stays (its values and past reports refer to
    /// it). Audited with the details before and after.
    pub fn edit_indicator(&mut self, ctx: &Ctx, code: &str, ind: &Indicator) -> Result<(), CoreError> {
        required("name", &ind.name, crate::validate::TITLE)?;
        self.write(|tx, plan_id| {
            let before = load_indicator(tx, plan_id, code)?.ok_or_else(|| CoreError::not_found("indicator", code))?;
            let theme_id = indicator_theme(tx, plan_id, ind.theme)?;
            tx.execute(
                "UPDATE indicator SET name = ?3, theme_id = ?4, unit = ?5, polarity = ?6, baseline_value = ?7, baseline_period = ?8,
                    target_value = ?9, source = ?10 WHERE plan_id = ?1 AND code = ?2",
                rusqlite::params![
                    plan_id,
                    code,
                    &ind.name,
                    theme_id,
                    &ind.unit,
                    super::record::enum_code(&ind.polarity),
                    ind.baseline_value,
                    &ind.baseline_period,
                    ind.target_value,
                    &ind.source
                ],
            )?;
            let after = load_indicator(tx, plan_id, code)?;
            audit::record(tx, plan_id, ctx, "indicator", code, "update", Some(&before), after.as_ref(), None)
        })
    }

    /// Removes an indicator added by mistake. One with values in the record stays (its
    /// history is evidence); that is refused, and nothing changes. Audited.
    pub fn delete_indicator(&mut self, ctx: &Ctx, code: &str) -> Result<(), CoreError> {
        self.write(|tx, plan_id| {
            let before = load_indicator(tx, plan_id, code)?.ok_or_else(|| CoreError::not_found("indicator", code))?;
            let values: i64 = tx.query_row(
                "SELECT count(*) FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id WHERE i.plan_id = ?1 AND i.code = ?2",
                (plan_id, code),
                |r| r.get(0),
            )?;
            if values > 0 {
                return Err(CoreError::Refused(format!("{code} has {values} value(s) in the record, so it cannot be removed")));
            }
            tx.execute("DELETE FROM indicator WHERE plan_id = ?1 AND code = ?2", (plan_id, code))?;
            audit::record(tx, plan_id, ctx, "indicator", code, "delete", Some(&before), None::<&()>, None)
        })
    }

    /// Records an action's spend in a quarter.
    pub fn set_spend(&mut self, ctx: &Ctx, reference: &str, q: Quarter, amount: Pence) -> Result<(), CoreError> {
        Pence::checked("amount", amount.0)?;
        self.open_quarter("quarter", q, ctx.today)?;
        self.write(|tx, plan_id| {
            let (aid, _, _) = action_id(tx, plan_id, reference)?;
            let before: Option<i64> =
                tx.query_row("SELECT amount_pence FROM spend WHERE action_id = ?1 AND quarter = ?2", (aid, q.code()), |r| r.get(0)).optional()?;
            tx.execute(
                "INSERT INTO spend (plan_id, action_id, quarter, amount_pence) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (action_id, quarter) DO UPDATE SET amount_pence = excluded.amount_pence",
                (plan_id, aid, q.code(), amount.0),
            )?;
            audit::record(tx, plan_id, ctx, "spend", &format!("{} {}", reference.trim(), q.code()), "set", before.map(Pence).as_ref(), Some(&amount), None)
        })
    }
}

/// The theme an indicator belongs to (`None`: the whole plan), refused if there is no such theme.
fn indicator_theme(conn: &Connection, plan_id: i64, theme: Option<u32>) -> Result<Option<i64>, CoreError> {
    theme
        .map(|t| {
            conn.query_row("SELECT id FROM theme WHERE plan_id = ?1 AND number = ?2", (plan_id, t), |r| r.get(0))
                .optional()?
                .ok_or_else(|| CoreError::invalid("theme", format!("theme {t} does not exist")))
        })
        .transpose()
}

fn load_indicator(conn: &Connection, plan_id: i64, code: &str) -> Result<Option<Indicator>, CoreError> {
    let sql = format!("{} WHERE i.plan_id = ?1 AND i.code = ?2", super::record::INDICATOR_SELECT);
    Ok(conn.query_row(&sql, (plan_id, code), super::record::indicator_row).optional()?)
}

/// What `Store::check_update` found out about the action, for `write_update`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked {
    lifecycle: Lifecycle,
    start: Option<chrono::NaiveDate>,
}

/// How an update reached the store, for the audit trail and the update's source.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Written<'a> {
    /// Typed in the app: one audit entry per sitting.
    Typed,
    /// Given whole (the CLI).
    Given,
    /// From a partner's return workbook: `workbook` identifies it (partner and when it was
    /// made), `reason` names the partner and the file in the audit trail.
    Returned { workbook: &'a str, reason: &'a str },
}

/// Writes one update (the caller has checked it) inside the caller's transaction: the row,
/// its audit entry, and the action's lifecycle as the updates now stand.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_update(
    tx: &rusqlite::Transaction,
    plan_id: i64,
    ctx: &Ctx,
    input: &SetUpdate,
    q: Quarter,
    draft: bool,
    checked: Checked,
    how: Written,
) -> Result<(), CoreError> {
    let reference = input.action.trim();
    let reported_by = input.reported_by.as_deref().unwrap_or(&ctx.who);
    let source = match how {
        Written::Returned { workbook, .. } => Some(workbook),
        Written::Typed | Written::Given => None,
    };
    let (aid, _, _) = action_id(tx, plan_id, reference)?;
    let before = load_update(tx, aid, q)?;
    tx.execute(
        "INSERT INTO quarterly_update (plan_id, action_id, quarter, rag, commentary, next_steps, reported_by, reported_at, draft, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (action_id, quarter) DO UPDATE SET rag = excluded.rag, commentary = excluded.commentary,
            next_steps = excluded.next_steps, reported_by = excluded.reported_by,
            reported_at = excluded.reported_at, draft = excluded.draft, source = excluded.source",
        rusqlite::params![plan_id, aid, q.code(), input.rag.map(|r| r.code()), &input.commentary, &input.next_steps, reported_by, &ctx.now, draft, source],
    )?;
    let after = load_update(tx, aid, q)?;
    let key = format!("{reference} {}", q.code());
    let op = if before.is_some() { "update" } else { "create" };
    match how {
        Written::Typed => audit::record_coalesced(tx, plan_id, ctx, "update", &key, op, before.as_ref(), after.as_ref(), 600)?,
        Written::Given => audit::record(tx, plan_id, ctx, "update", &key, op, before.as_ref(), after.as_ref(), None)?,
        Written::Returned { reason, .. } => audit::record(tx, plan_id, ctx, "update", &key, op, before.as_ref(), after.as_ref(), Some(reason))?,
    }
    // The lifecycle follows the updates as they now stand: a Complete corrected to Green puts
    // the action back in progress (audited), not only the other way.
    let rags: Vec<Rag> = {
        let mut st = tx.prepare_cached("SELECT rag FROM quarterly_update WHERE action_id = ?1 AND draft = 0 AND rag IS NOT NULL")?;
        let codes = st.query_map([aid], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        codes.iter().map(|c| super::record::parse_stored_enum(c)).collect::<Result<_, _>>()?
    };
    let now = crate::domain::update::lifecycle_from(&rags, checked.start, ctx.today);
    if now != checked.lifecycle {
        set_lifecycle(tx, plan_id, ctx, reference, now)?;
    }
    Ok(())
}

fn load_update(conn: &Connection, action_id: i64, q: Quarter) -> Result<Option<serde_json::Value>, CoreError> {
    Ok(conn
        .query_row(
            "SELECT rag, commentary, next_steps, reported_by, draft FROM quarterly_update WHERE action_id = ?1 AND quarter = ?2",
            (action_id, q.code()),
            |r| {
                Ok(serde_json::json!({
                    "rag": r.get::<_, Option<String>>(0)?,
                    "commentary": r.get::<_, String>(1)?,
                    "next_steps": r.get::<_, String>(2)?,
                    "reported_by": r.get::<_, String>(3)?,
                    "draft": r.get::<_, bool>(4)?,
                }))
            },
        )
        .optional()?)
}
