//! The audit trail: who, when, what, before and after, for every change to the record.

use rusqlite::{Connection, Transaction};
use serde::Serialize;

use super::{Ctx, Store};
use crate::domain::AuditEntry;
use crate::error::CoreError;

/// Every kind of thing the audit trail records, for filters that name one.
pub const AUDIT_ENTITIES: [&str; 20] = [
    "action",
    "allocation",
    "delivery_group",
    "demo",
    "front_sheet",
    "grant",
    "indicator",
    "indicator_value",
    "narrative",
    "partner",
    "plan",
    "priority",
    "quarter",
    "return",
    "review",
    "schedule",
    "setting",
    "spend",
    "theme",
    "update",
];

/// An entity name for a filter: one the trail records, else an error listing them.
pub fn audit_entity(name: &str) -> Result<String, CoreError> {
    let n = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    if AUDIT_ENTITIES.contains(&n.as_str()) {
        Ok(n)
    } else {
        Err(CoreError::invalid("entity", format!("\"{}\" is not something the audit trail records; use one of {}", name.trim(), AUDIT_ENTITIES.join(", "))))
    }
}

/// Appends one audit entry inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record<B: Serialize + ?Sized, A: Serialize + ?Sized>(
    tx: &Transaction,
    plan_id: i64,
    ctx: &Ctx,
    entity: &str,
    key: &str,
    op: &str,
    before: Option<&B>,
    after: Option<&A>,
    reason: Option<&str>,
) -> Result<(), CoreError> {
    let before = before.map(|b| serde_json::to_string(b)).transpose().map_err(json_err)?;
    let after = after.map(|a| serde_json::to_string(a)).transpose().map_err(json_err)?;
    tx.execute(
        "INSERT INTO audit (plan_id, at, who, entity, key, op, before_json, after_json, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        (plan_id, &ctx.now, &ctx.who, entity, key, op, before, after, reason),
    )?;
    Ok(())
}

/// As `record`, but when the newest entry in the whole trail is the same person changing the
/// same thing within `window_secs`, that entry's "after" (and time) is replaced instead of a new
/// entry being added. The app saves an update as it is typed; this keeps one entry per sitting
/// (before = what it was when they started, after = what they left) rather than one per pause.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_coalesced<B: Serialize + ?Sized, A: Serialize + ?Sized>(
    tx: &Transaction,
    plan_id: i64,
    ctx: &Ctx,
    entity: &str,
    key: &str,
    op: &str,
    before: Option<&B>,
    after: Option<&A>,
    window_secs: i64,
) -> Result<(), CoreError> {
    use rusqlite::OptionalExtension;
    let last: Option<(i64, String, String, String, String)> = tx
        .query_row("SELECT id, who, entity, key, at FROM audit WHERE plan_id = ?1 ORDER BY id DESC LIMIT 1", [plan_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    if let Some((id, who, e, k, at)) = last {
        let age = (super::stored_instant("the clock's time", &ctx.now)? - super::stored_instant(&format!("audit entry {id}'s time"), &at)?).num_seconds();
        if who == ctx.who && e == entity && k == key && (0..=window_secs).contains(&age) {
            let after = after.map(|a| serde_json::to_string(a)).transpose().map_err(json_err)?;
            tx.execute("UPDATE audit SET at = ?2, after_json = ?3 WHERE id = ?1", (id, &ctx.now, after))?;
            return Ok(());
        }
    }
    record(tx, plan_id, ctx, entity, key, op, before, after, None)
}

fn json_err(e: serde_json::Error) -> CoreError {
    CoreError::Refused(format!("could not record the change in the audit trail: {e}"))
}

/// Narrows the audit trail: any field left `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub key_prefix: Option<String>,
    pub who: Option<String>,
    pub limit: Option<usize>,
}

pub(crate) fn load(conn: &Connection, plan_id: i64, filter: &AuditFilter) -> Result<Vec<AuditEntry>, CoreError> {
    let mut st = conn.prepare(
        "SELECT at, who, entity, key, op, before_json, after_json, reason FROM audit
         WHERE plan_id = ?1
           AND (?2 IS NULL OR entity = ?2)
           AND (?3 IS NULL OR key = ?3 OR key LIKE ?3 || '.%' OR key LIKE ?3 || ' %')
           AND (?4 IS NULL OR who = ?4)
         ORDER BY id",
    )?;
    let rows = st.query_map((plan_id, &filter.entity, &filter.key_prefix, &filter.who), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, who, entity, key, op, before, after, reason) = row?;
        let parse = |s: Option<String>| -> Result<Option<serde_json::Value>, CoreError> {
            s.map(|s| serde_json::from_str(&s)).transpose().map_err(|e| CoreError::Refused(format!("an audit entry is unreadable: {e}")))
        };
        out.push(AuditEntry { at, who, entity, key, op, before: parse(before)?, after: parse(after)?, reason });
    }
    if let Some(limit) = filter.limit {
        let skip = out.len().saturating_sub(limit);
        out.drain(..skip);
    }
    Ok(out)
}

impl Store {
    /// The audit trail, oldest first (with a limit, the most recent `limit` entries).
    pub fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, CoreError> {
        load(&self.conn, self.plan_id, filter)
    }
}
