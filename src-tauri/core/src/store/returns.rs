//! The partners' returns exchange: the log of workbooks made and returned (who has returned),
//! and applying a returns import in one transaction.

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use super::updates::{write_update, Written};
use super::{audit, Ctx, Store};
use crate::domain::Quarter;
use crate::error::CoreError;

/// What happened to a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReturnEvent {
    Made,
    Returned,
}

/// One entry of the returns log.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReturnLogEntry {
    pub quarter: String,
    pub partner: String,
    pub event: ReturnEvent,
    /// When (UTC, ISO 8601).
    pub at: String,
    pub file_name: String,
    /// Rows in the workbook when made; rows applied when returned.
    pub rows: u32,
    /// Rows left out (`--skip-invalid`) when returned.
    pub skipped: u32,
}

/// One update a return writes: checked already (`Store::check_update` and the rules).
#[derive(Debug, Clone)]
pub struct ReturnWrite {
    pub update: super::SetUpdate,
    pub quarter: Quarter,
    pub draft: bool,
}

/// A row the coordinator chose to leave out (`--skip-invalid`), audited with its problem.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnSkip {
    pub reference: String,
    pub cell: String,
    pub problem: String,
}

/// One returned workbook as it is applied: its identity, and what it writes or leaves out.
#[derive(Debug, Clone)]
pub struct ReturnReceipt {
    pub quarter: Quarter,
    pub partner: String,
    /// The workbook's identity (its partner and when it was made), kept with each update it
    /// writes so the same workbook sent again is not a conflict.
    pub workbook: String,
    pub file_name: String,
    pub writes: Vec<ReturnWrite>,
    pub skipped: Vec<ReturnSkip>,
}

impl Store {
    /// Notes that a workbook was made (Returns screen: "made 1 December").
    pub fn log_return_made(&mut self, q: Quarter, partner: &str, workbook: &str, file_name: &str, rows: usize) -> Result<(), CoreError> {
        let now = super::now_utc();
        self.write(|tx, plan_id| {
            tx.execute(
                "INSERT INTO return_log (plan_id, quarter, partner, event, at, workbook, file_name, rows) VALUES (?1, ?2, ?3, 'made', ?4, ?5, ?6, ?7)",
                params![plan_id, q.code(), partner, now, workbook, file_name, rows as i64],
            )?;
            Ok(())
        })
    }

    /// The returns log of a quarter, oldest first.
    pub fn return_log(&self, q: Quarter) -> Result<Vec<ReturnLogEntry>, CoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT quarter, partner, event, at, file_name, rows, skipped FROM return_log WHERE plan_id = ?1 AND quarter = ?2 ORDER BY at, id",
        )?;
        let rows = st.query_map((self.plan_id, q.code()), |r| {
            let event: String = r.get(2)?;
            Ok(ReturnLogEntry {
                quarter: r.get(0)?,
                partner: r.get(1)?,
                event: if event == "made" { ReturnEvent::Made } else { ReturnEvent::Returned },
                at: r.get(3)?,
                file_name: r.get(4)?,
                rows: r.get(5)?,
                skipped: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Which workbook wrote each update of the quarter (by action ref; absent when typed or
    /// given from the CLI).
    pub(crate) fn update_sources(&self, q: Quarter) -> Result<std::collections::HashMap<String, String>, CoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT a.ref, u.source FROM quarterly_update u JOIN action a ON a.id = u.action_id
             WHERE u.plan_id = ?1 AND u.quarter = ?2 AND u.source IS NOT NULL",
        )?;
        let rows = st.query_map((self.plan_id, q.code()), |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Applies returned workbooks in one transaction: every update (audited with the partner
    /// and the file's name), every row left out (audited with its problem), and a log entry per
    /// workbook. Each update is checked again first, so nothing is written if any fails.
    pub fn apply_returns(&mut self, ctx: &Ctx, receipts: &[ReturnReceipt]) -> Result<(), CoreError> {
        let mut checked = Vec::new();
        for r in receipts {
            for w in &r.writes {
                let who = w.update.reported_by.clone().unwrap_or_else(|| ctx.who.clone());
                checked.push(self.check_update(ctx, &w.update, w.quarter, &who)?);
            }
        }
        self.write(|tx, plan_id| {
            let mut checked = checked.into_iter();
            for r in receipts {
                let reason = format!("from {}'s return {}", r.partner, r.file_name);
                for w in &r.writes {
                    let c = checked.next().ok_or_else(|| CoreError::Refused("the returns changed while they were being applied".into()))?;
                    write_update(tx, plan_id, ctx, &w.update, w.quarter, w.draft, c, Written::Returned { workbook: &r.workbook, reason: &reason })?;
                }
                for s in &r.skipped {
                    let key = format!("{} {}", s.reference, r.quarter.code());
                    audit::record(tx, plan_id, ctx, "return", &key, "skip", None::<&()>, Some(s), Some(&reason))?;
                }
                tx.execute(
                    "INSERT INTO return_log (plan_id, quarter, partner, event, at, workbook, file_name, rows, skipped)
                     VALUES (?1, ?2, ?3, 'returned', ?4, ?5, ?6, ?7, ?8)",
                    params![plan_id, r.quarter.code(), r.partner, ctx.now, r.workbook, r.file_name, r.writes.len() as i64, r.skipped.len() as i64],
                )?;
                let summary = serde_json::json!({ "file": r.file_name, "applied": r.writes.len(), "skipped": r.skipped.len() });
                audit::record(
                    tx,
                    plan_id,
                    ctx,
                    "return",
                    &format!("{} {}", r.partner, r.quarter.code()),
                    "import",
                    None::<&()>,
                    Some(&summary),
                    Some(&reason),
                )?;
            }
            Ok(())
        })
    }
}

/// Who has returned, per lead partner owing returns for a quarter (Returns screen, dashboard,
/// `ccsp returns status`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct PartnerReturn {
    pub partner: String,
    pub name: String,
    /// Actions the partner leads that owe a return.
    pub owed: u32,
    /// Of those, how many have no complete update yet.
    pub outstanding: u32,
    /// When the latest workbook was made (UTC, ISO 8601).
    pub made_at: Option<String>,
    /// When the latest return was imported, and its file.
    pub returned_at: Option<String>,
    pub returned_file: Option<String>,
    /// Rows applied from every return imported for the quarter.
    pub rows_applied: u32,
}

impl Store {
    pub fn returns_status(&self, q: Quarter, today: chrono::NaiveDate) -> Result<Vec<PartnerReturn>, CoreError> {
        let sheet = self.update_sheet(q, today)?;
        let log = self.return_log(q)?;
        let mut out = Vec::new();
        for p in self.partners()? {
            let rows: Vec<_> = sheet.rows.iter().filter(|r| r.owes && r.lead == p.short_name).collect();
            let logged: Vec<&ReturnLogEntry> = log.iter().filter(|e| e.partner == p.short_name).collect();
            if rows.is_empty() && logged.is_empty() {
                continue;
            }
            let latest = |ev: ReturnEvent| logged.iter().rev().find(|e| e.event == ev);
            out.push(PartnerReturn {
                partner: p.short_name.clone(),
                name: p.name.clone(),
                owed: rows.len() as u32,
                outstanding: rows.iter().filter(|r| r.current.as_ref().is_none_or(|c| c.draft)).count() as u32,
                made_at: latest(ReturnEvent::Made).map(|e| e.at.clone()),
                returned_at: latest(ReturnEvent::Returned).map(|e| e.at.clone()),
                returned_file: latest(ReturnEvent::Returned).map(|e| e.file_name.clone()),
                rows_applied: logged.iter().filter(|e| e.event == ReturnEvent::Returned).map(|e| e.rows).sum(),
            });
        }
        Ok(out)
    }
}
