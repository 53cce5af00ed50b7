//! The whole record in and out of the store: `export json` reads it, `import json` and `init`
//! write it. Stable order (refs numerically, then quarters) so export → import → export is
//! byte-identical.

use std::collections::HashMap;

use rusqlite::{Connection, Transaction};

use super::{ref_key, Store};
use crate::domain::*;
use crate::error::CoreError;

/// Tables of the record, children first (the order to clear them in).
const RECORD_TABLES: &[&str] = &[
    "return_log",
    "audit",
    "review_mark",
    "quarter_schedule",
    "setting",
    "front_sheet",
    "narrative",
    "spend",
    "allocation",
    "grant_line",
    "indicator_value",
    "indicator",
    "quarterly_update",
    "sign_off",
    "action_partner",
    "action",
    "partner",
    "priority_alignment",
    "priority",
    "outside_plan",
    "delivery_group",
    "theme",
    "plan",
];

fn opt_date(s: Option<String>) -> rusqlite::Result<Option<chrono::NaiveDate>> {
    s.map(|s| parse_stored_date(&s)).transpose()
}

pub(crate) fn parse_stored_date(s: &str) -> rusqlite::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| stored_err(format!("date {s:?}: {e}")))
}

pub(crate) fn parse_stored_quarter(s: &str) -> rusqlite::Result<Quarter> {
    Quarter::parse(s).map_err(|e| stored_err(e.to_string()))
}

pub(crate) fn parse_stored_year(s: &str) -> rusqlite::Result<FinancialYear> {
    FinancialYear::parse(s).map_err(|e| stored_err(e.to_string()))
}

/// Reads an enum stored as its snake_case code.
pub(crate) fn parse_stored_enum<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).map_err(|e| stored_err(format!("{s:?}: {e}")))
}

pub(crate) fn enum_code<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A stored value that does not parse: the file was changed outside the app.
pub(crate) fn stored_err(msg: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, msg.into())
}

/// The plan's priorities in ref order, with their lenses and alignments.
pub(crate) fn load_priorities(conn: &Connection, plan_id: i64) -> Result<Vec<Priority>, CoreError> {
    let mut alignments: HashMap<i64, Vec<String>> = HashMap::new();
    for (pid, code) in collect(
        conn,
        "SELECT pa.priority_id, o.code FROM priority_alignment pa JOIN outside_plan o ON o.id = pa.outside_plan_id
         WHERE o.plan_id = ?1 ORDER BY o.code",
        plan_id,
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
    )? {
        alignments.entry(pid).or_default().push(code);
    }
    let mut priorities = collect(
        conn,
        "SELECT p.id, p.ref, t.number, p.title, p.description, p.position, g.name,
                p.lens_victim, p.lens_location, p.lens_offender, p.last_action_seq
         FROM priority p JOIN theme t ON t.id = p.theme_id LEFT JOIN delivery_group g ON g.id = p.delivery_group_id
         WHERE p.plan_id = ?1",
        plan_id,
        |r| {
            let id: i64 = r.get(0)?;
            let mut lenses = Vec::new();
            for (i, lens) in Lens::ALL.iter().enumerate() {
                if r.get::<_, bool>(7 + i)? {
                    lenses.push(*lens);
                }
            }
            Ok(Priority {
                reference: r.get(1)?,
                theme: r.get(2)?,
                title: r.get(3)?,
                description: r.get(4)?,
                position: r.get(5)?,
                delivery_group: r.get(6)?,
                lenses,
                alignments: alignments.get(&id).cloned().unwrap_or_default(), // no rows: no alignments
                last_action_seq: r.get(10)?,
            })
        },
    )?;
    priorities.sort_by_key(|p| ref_key(&p.reference));
    Ok(priorities)
}

pub(crate) fn load_record(conn: &Connection, plan_id: i64) -> Result<Record, CoreError> {
    let plan =
        conn.query_row("SELECT title, partnership, short_name, start_date, end_date, vision, statutory_basis FROM plan WHERE id = ?1", [plan_id], |r| {
            Ok(Plan {
                title: r.get(0)?,
                partnership: r.get(1)?,
                short_name: r.get(2)?,
                start_date: parse_stored_date(&r.get::<_, String>(3)?)?,
                end_date: parse_stored_date(&r.get::<_, String>(4)?)?,
                vision: r.get(5)?,
                statutory_basis: r.get(6)?,
            })
        })?;

    let themes = collect(conn, "SELECT number, title, position, last_priority_seq, outcome FROM theme WHERE plan_id = ?1 ORDER BY number", plan_id, |r| {
        Ok(Theme { number: r.get(0)?, title: r.get(1)?, position: r.get(2)?, last_priority_seq: r.get(3)?, outcome: r.get(4)? })
    })?;
    let delivery_groups = collect(conn, "SELECT name, description FROM delivery_group WHERE plan_id = ?1 ORDER BY name", plan_id, |r| {
        Ok(DeliveryGroup { name: r.get(0)?, description: r.get(1)? })
    })?;
    let outside_plans = collect(conn, "SELECT code, title, detail FROM outside_plan WHERE plan_id = ?1 ORDER BY code", plan_id, |r| {
        Ok(OutsidePlan { code: r.get(0)?, title: r.get(1)?, detail: r.get(2)? })
    })?;

    let priorities = load_priorities(conn, plan_id)?;

    let partners = collect(conn, &format!("{PARTNER_SELECT} WHERE plan_id = ?1 ORDER BY short_name"), plan_id, partner_row)?;

    let mut supporting: HashMap<i64, Vec<String>> = HashMap::new();
    for (aid, short) in collect(
        conn,
        "SELECT ap.action_id, p.short_name FROM action_partner ap JOIN partner p ON p.id = ap.partner_id
         WHERE p.plan_id = ?1 ORDER BY p.short_name",
        plan_id,
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
    )? {
        supporting.entry(aid).or_default().push(short);
    }
    let mut actions = collect(
        conn,
        "SELECT a.id, a.ref, p.ref, a.title, a.description, l.short_name, a.start_date, a.due_date, a.due_quarter,
                a.success_measure, a.lifecycle, a.cancel_reason, a.position, a.illustrative, a.created_at, a.previous_ref
         FROM action a JOIN priority p ON p.id = a.priority_id JOIN partner l ON l.id = a.lead_partner_id
         WHERE a.plan_id = ?1",
        plan_id,
        |r| {
            let id: i64 = r.get(0)?;
            Ok(Action {
                reference: r.get(1)?,
                priority: r.get(2)?,
                title: r.get(3)?,
                description: r.get(4)?,
                lead: r.get(5)?,
                partners: supporting.get(&id).cloned().unwrap_or_default(), // no rows: no supporting partners
                start_date: opt_date(r.get(6)?)?,
                due_date: opt_date(r.get(7)?)?,
                due_quarter: r.get::<_, Option<String>>(8)?.map(|q| parse_stored_quarter(&q)).transpose()?,
                success_measure: r.get(9)?,
                lifecycle: parse_stored_enum(&r.get::<_, String>(10)?)?,
                cancel_reason: r.get(11)?,
                position: r.get(12)?,
                illustrative: r.get(13)?,
                created_at: r.get(14)?,
                previous_ref: r.get(15)?,
            })
        },
    )?;
    actions.sort_by_key(|a| ref_key(&a.reference));

    let sign_offs = collect(conn, &format!("{SIGN_OFF_SELECT} WHERE plan_id = ?1 ORDER BY quarter"), plan_id, sign_off_row)?;
    let reviews = collect(conn, &format!("{REVIEW_SELECT} WHERE m.plan_id = ?1 ORDER BY m.quarter, a.id"), plan_id, review_row)?;

    let mut updates = collect(
        conn,
        "SELECT a.ref, u.quarter, u.rag, u.commentary, u.next_steps, u.reported_by, u.reported_at, u.draft
         FROM quarterly_update u JOIN action a ON a.id = u.action_id WHERE u.plan_id = ?1",
        plan_id,
        |r| {
            Ok(Update {
                action: r.get(0)?,
                quarter: parse_stored_quarter(&r.get::<_, String>(1)?)?,
                rag: r.get::<_, Option<String>>(2)?.map(|s| parse_stored_enum(&s)).transpose()?,
                commentary: r.get(3)?,
                next_steps: r.get(4)?,
                reported_by: r.get(5)?,
                reported_at: r.get(6)?,
                draft: r.get(7)?,
            })
        },
    )?;
    updates.sort_by(|a, b| ref_key(&a.action).cmp(&ref_key(&b.action)).then(a.quarter.cmp(&b.quarter)));

    let indicators = collect(conn, &format!("{INDICATOR_SELECT} WHERE i.plan_id = ?1 ORDER BY i.code"), plan_id, indicator_row)?;
    let indicator_values = collect(
        conn,
        "SELECT i.code, v.quarter, v.value, v.note, v.recorded_by, v.recorded_at
         FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id WHERE v.plan_id = ?1 ORDER BY i.code, v.quarter",
        plan_id,
        |r| {
            Ok(IndicatorValue {
                indicator: r.get(0)?,
                quarter: parse_stored_quarter(&r.get::<_, String>(1)?)?,
                value: r.get(2)?,
                note: r.get(3)?,
                recorded_by: r.get(4)?,
                recorded_at: r.get(5)?,
            })
        },
    )?;
    let grants = collect(conn, "SELECT year, source, amount_pence FROM grant_line WHERE plan_id = ?1 ORDER BY year, source", plan_id, |r| {
        Ok(Grant { year: parse_stored_year(&r.get::<_, String>(0)?)?, source: r.get(1)?, amount: Pence(r.get(2)?) })
    })?;
    let mut allocations =
        collect(conn, "SELECT a.ref, x.year, x.amount_pence FROM allocation x JOIN action a ON a.id = x.action_id WHERE x.plan_id = ?1", plan_id, |r| {
            Ok(Allocation { action: r.get(0)?, year: parse_stored_year(&r.get::<_, String>(1)?)?, amount: Pence(r.get(2)?) })
        })?;
    allocations.sort_by(|a, b| ref_key(&a.action).cmp(&ref_key(&b.action)).then(a.year.cmp(&b.year)));
    let mut spend =
        collect(conn, "SELECT a.ref, s.quarter, s.amount_pence FROM spend s JOIN action a ON a.id = s.action_id WHERE s.plan_id = ?1", plan_id, |r| {
            Ok(Spend { action: r.get(0)?, quarter: parse_stored_quarter(&r.get::<_, String>(1)?)?, amount: Pence(r.get(2)?) })
        })?;
    spend.sort_by(|a, b| ref_key(&a.action).cmp(&ref_key(&b.action)).then(a.quarter.cmp(&b.quarter)));
    let narratives =
        collect(conn, "SELECT year, section, body, updated_by, updated_at FROM narrative WHERE plan_id = ?1 ORDER BY year, section", plan_id, |r| {
            Ok(Narrative {
                year: parse_stored_year(&r.get::<_, String>(0)?)?,
                section: r.get(1)?,
                body: r.get(2)?,
                updated_by: r.get(3)?,
                updated_at: r.get(4)?,
            })
        })?;
    let front_sheets = collect(
        conn,
        "SELECT year, title, key_decision, scrutiny, other_bodies, council, author_role, service_area, contact
         FROM front_sheet WHERE plan_id = ?1 ORDER BY year",
        plan_id,
        |r| {
            Ok(FrontSheet {
                year: parse_stored_year(&r.get::<_, String>(0)?)?,
                title: r.get(1)?,
                key_decision: r.get(2)?,
                scrutiny: r.get(3)?,
                other_bodies: r.get(4)?,
                council: r.get(5)?,
                author_role: r.get(6)?,
                service_area: r.get(7)?,
                contact: r.get(8)?,
            })
        },
    )?;
    let schedules = collect(conn, &format!("{SCHEDULE_SELECT} WHERE plan_id = ?1 ORDER BY quarter"), plan_id, schedule_row)?;
    let police_months = super::police::load_months(conn, plan_id)?;
    let police_links = collect(
        conn,
        "SELECT l.crime_type, i.code FROM police_link l JOIN indicator i ON i.id = l.indicator_id WHERE l.plan_id = ?1 ORDER BY l.crime_type",
        plan_id,
        |r| Ok(crate::domain::PoliceLink { crime_type: r.get(0)?, indicator: r.get(1)? }),
    )?;
    let settings =
        collect(conn, "SELECT key, value FROM setting WHERE plan_id = ?1 ORDER BY key", plan_id, |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .into_iter()
            .collect();
    let audit = super::audit::load(conn, plan_id, &Default::default())?;

    Ok(Record {
        format: RECORD_FORMAT.into(),
        version: RECORD_VERSION,
        plan,
        themes,
        delivery_groups,
        outside_plans,
        priorities,
        partners,
        actions,
        sign_offs,
        updates,
        indicators,
        indicator_values,
        grants,
        allocations,
        spend,
        narratives,
        front_sheets,
        schedules,
        reviews,
        police_months,
        police_links,
        settings,
        audit,
    })
}

fn collect<T>(conn: &Connection, sql: &str, plan_id: i64, f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>) -> Result<Vec<T>, CoreError> {
    let mut st = conn.prepare_cached(sql)?;
    let rows = st.query_map([plan_id], f)?;
    Ok(rows.collect::<Result<Vec<T>, _>>()?)
}

/// Looks up the row id of something the record names. Validation has already checked every
/// name, so a miss means a bug, reported as an error rather than a panic.
fn id_of<K, Q>(map: &HashMap<K, i64>, key: &Q, what: &str) -> Result<i64, CoreError>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + std::fmt::Display + ?Sized,
{
    map.get(key).copied().ok_or_else(|| CoreError::invalid(what, format!("\"{key}\" is not in the record")))
}

/// Writes a validated record into empty record tables, inside the caller's transaction.
pub(crate) fn insert_record(tx: &Transaction, rec: &Record) -> Result<i64, CoreError> {
    let p = &rec.plan;
    tx.execute(
        "INSERT INTO plan (title, partnership, short_name, start_date, end_date, vision, statutory_basis)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (&p.title, &p.partnership, &p.short_name, p.start_date.to_string(), p.end_date.to_string(), &p.vision, &p.statutory_basis),
    )?;
    let plan_id = tx.last_insert_rowid();

    let mut theme_ids = HashMap::new();
    for t in &rec.themes {
        tx.prepare_cached("INSERT INTO theme (plan_id, number, title, position, last_priority_seq, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute((
            plan_id,
            t.number,
            &t.title,
            t.position,
            t.last_priority_seq,
            t.outcome.trim(),
        ))?;
        theme_ids.insert(t.number, tx.last_insert_rowid());
    }
    let mut group_ids = HashMap::new();
    for g in &rec.delivery_groups {
        tx.execute("INSERT INTO delivery_group (plan_id, name, description) VALUES (?1, ?2, ?3)", (plan_id, &g.name, &g.description))?;
        group_ids.insert(g.name.as_str(), tx.last_insert_rowid());
    }
    let mut outside_ids = HashMap::new();
    for o in &rec.outside_plans {
        tx.execute("INSERT INTO outside_plan (plan_id, code, title, detail) VALUES (?1, ?2, ?3, ?4)", (plan_id, &o.code, &o.title, &o.detail))?;
        outside_ids.insert(o.code.as_str(), tx.last_insert_rowid());
    }
    let mut priority_ids = HashMap::new();
    for pr in &rec.priorities {
        let has = |l: Lens| pr.lenses.contains(&l);
        tx.prepare_cached(
            "INSERT INTO priority (plan_id, theme_id, ref, title, description, position, delivery_group_id,
                                   lens_victim, lens_location, lens_offender, last_action_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(rusqlite::params![
            plan_id,
            id_of(&theme_ids, &pr.theme, "theme")?,
            &pr.reference,
            &pr.title,
            &pr.description,
            pr.position,
            pr.delivery_group.as_deref().map(|g| id_of(&group_ids, g, "delivery group")).transpose()?,
            has(Lens::Victim),
            has(Lens::Location),
            has(Lens::Offender),
            pr.last_action_seq
        ])?;
        let id = tx.last_insert_rowid();
        priority_ids.insert(pr.reference.as_str(), id);
        for code in &pr.alignments {
            tx.execute(
                "INSERT INTO priority_alignment (priority_id, outside_plan_id) VALUES (?1, ?2)",
                (id, id_of(&outside_ids, code.as_str(), "outside plan")?),
            )?;
        }
    }
    let mut partner_ids = HashMap::new();
    for pa in &rec.partners {
        tx.prepare_cached("INSERT INTO partner (plan_id, short_name, name, kind, position) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute((
            plan_id,
            &pa.short_name,
            &pa.name,
            pa.kind.code(),
            pa.position,
        ))?;
        partner_ids.insert(pa.short_name.as_str(), tx.last_insert_rowid());
    }
    let mut action_ids = HashMap::new();
    for a in &rec.actions {
        tx.prepare_cached(
            "INSERT INTO action (plan_id, priority_id, ref, title, description, lead_partner_id, start_date, due_date,
                                 due_quarter, success_measure, lifecycle, cancel_reason, position, illustrative, created_at, previous_ref)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?
        .execute(rusqlite::params![
            plan_id,
            id_of(&priority_ids, a.priority.as_str(), "priority")?,
            &a.reference,
            &a.title,
            &a.description,
            id_of(&partner_ids, a.lead.as_str(), "partner")?,
            a.start_date.map(|d| d.to_string()),
            a.due_date.map(|d| d.to_string()),
            a.due_quarter.map(|q| q.code()),
            &a.success_measure,
            a.lifecycle.code(),
            &a.cancel_reason,
            a.position,
            a.illustrative,
            &a.created_at,
            &a.previous_ref
        ])?;
        let id = tx.last_insert_rowid();
        action_ids.insert(a.reference.as_str(), id);
        for s in &a.partners {
            tx.execute("INSERT INTO action_partner (action_id, partner_id) VALUES (?1, ?2)", (id, id_of(&partner_ids, s.as_str(), "partner")?))?;
        }
    }
    for s in &rec.sign_offs {
        tx.prepare_cached("INSERT INTO sign_off (plan_id, quarter, signed_off_at, signed_off_by, chair) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute((
            plan_id,
            s.quarter.code(),
            &s.signed_off_at,
            &s.signed_off_by,
            &s.chair,
        ))?;
    }
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO quarterly_update (plan_id, action_id, quarter, rag, commentary, next_steps, reported_by, reported_at, draft)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for u in &rec.updates {
            st.execute(rusqlite::params![
                plan_id,
                id_of(&action_ids, u.action.as_str(), "action")?,
                u.quarter.code(),
                u.rag.map(|r| r.code()),
                &u.commentary,
                &u.next_steps,
                &u.reported_by,
                &u.reported_at,
                u.draft
            ])?;
        }
    }
    let mut indicator_ids = HashMap::new();
    for i in &rec.indicators {
        tx.prepare_cached(
            "INSERT INTO indicator (plan_id, code, name, theme_id, unit, polarity, baseline_value, baseline_period, target_value, source, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(rusqlite::params![
            plan_id,
            &i.code,
            &i.name,
            i.theme.map(|t| id_of(&theme_ids, &t, "theme")).transpose()?,
            &i.unit,
            enum_code(&i.polarity),
            i.baseline_value,
            &i.baseline_period,
            i.target_value,
            &i.source,
            i.position
        ])?;
        indicator_ids.insert(i.code.as_str(), tx.last_insert_rowid());
    }
    for v in &rec.indicator_values {
        tx.prepare_cached(
            "INSERT INTO indicator_value (plan_id, indicator_id, quarter, value, note, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(rusqlite::params![
            plan_id,
            id_of(&indicator_ids, v.indicator.as_str(), "indicator")?,
            v.quarter.code(),
            v.value,
            &v.note,
            &v.recorded_by,
            &v.recorded_at
        ])?;
    }
    for g in &rec.grants {
        tx.prepare_cached("INSERT INTO grant_line (plan_id, year, source, amount_pence) VALUES (?1, ?2, ?3, ?4)")?.execute((
            plan_id,
            g.year.code(),
            &g.source,
            g.amount.0,
        ))?;
    }
    for a in &rec.allocations {
        tx.prepare_cached("INSERT INTO allocation (plan_id, action_id, year, amount_pence) VALUES (?1, ?2, ?3, ?4)")?.execute((
            plan_id,
            id_of(&action_ids, a.action.as_str(), "action")?,
            a.year.code(),
            a.amount.0,
        ))?;
    }
    for s in &rec.spend {
        tx.prepare_cached("INSERT INTO spend (plan_id, action_id, quarter, amount_pence) VALUES (?1, ?2, ?3, ?4)")?.execute((
            plan_id,
            id_of(&action_ids, s.action.as_str(), "action")?,
            s.quarter.code(),
            s.amount.0,
        ))?;
    }
    for n in &rec.narratives {
        tx.prepare_cached("INSERT INTO narrative (plan_id, year, section, body, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?.execute((
            plan_id,
            n.year.code(),
            &n.section,
            &n.body,
            &n.updated_by,
            &n.updated_at,
        ))?;
    }
    for f in &rec.front_sheets {
        tx.prepare_cached(
            "INSERT INTO front_sheet (plan_id, year, title, key_decision, scrutiny, other_bodies, council, author_role, service_area, contact)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(rusqlite::params![
            plan_id,
            f.year.code(),
            &f.title,
            f.key_decision,
            &f.scrutiny,
            &f.other_bodies,
            &f.council,
            &f.author_role,
            &f.service_area,
            &f.contact
        ])?;
    }
    for s in &rec.schedules {
        insert_schedule(tx, plan_id, s)?;
    }
    for m in &rec.reviews {
        tx.prepare_cached(
            "INSERT INTO review_mark (plan_id, action_id, quarter, reviewed_by, reviewed_at, note)
             VALUES (?1, (SELECT id FROM action WHERE plan_id = ?1 AND ref = ?2), ?3, ?4, ?5, ?6)",
        )?
        .execute((plan_id, &m.action, m.quarter.code(), &m.reviewed_by, &m.reviewed_at, &m.note))?;
    }
    for m in &rec.police_months {
        super::police::insert_month(tx, plan_id, m)?;
    }
    for l in &rec.police_links {
        tx.prepare_cached(
            "INSERT INTO police_link (plan_id, crime_type, indicator_id) VALUES (?1, ?2, (SELECT id FROM indicator WHERE plan_id = ?1 AND code = ?3))",
        )?
        .execute((plan_id, &l.crime_type, &l.indicator))?;
    }
    for (k, v) in &rec.settings {
        tx.execute("INSERT INTO setting (plan_id, key, value) VALUES (?1, ?2, ?3)", (plan_id, k, v))?;
    }
    // A record from before stores had an id (and the seeded plan) gets a new one; a record
    // exported from a store keeps its own (PRODUCT.md "Store identity").
    tx.execute("INSERT OR IGNORE INTO setting (plan_id, key, value) VALUES (?1, ?2, lower(hex(randomblob(16))))", (plan_id, super::STORE_ID_SETTING))?;
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO audit (plan_id, at, who, entity, key, op, before_json, after_json, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for e in &rec.audit {
            let js = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
            st.execute(rusqlite::params![plan_id, &e.at, &e.who, &e.entity, &e.key, &e.op, js(&e.before), js(&e.after), &e.reason])?;
        }
    }
    Ok(plan_id)
}

impl Store {
    /// The whole record, for `export json` and backups people can read.
    pub fn record(&self) -> Result<Record, CoreError> {
        load_record(&self.conn, self.plan_id)
    }

    /// Replaces the whole record with `record` in one transaction (after the caller has taken
    /// a backup). Validation happens first; on any error nothing changes.
    pub fn replace_record(&mut self, record: &Record, event: &str, detail: &str) -> Result<(), CoreError> {
        crate::interchange::validate_record(record)?;
        let plan_id = self.write(|tx, _| {
            for table in RECORD_TABLES {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            let plan_id = insert_record(tx, record)?;
            Store::log_event(tx, event, detail)?;
            Ok(plan_id)
        })?;
        self.plan_id = plan_id;
        Ok(())
    }
}

/// The columns `indicator_row` reads, from `indicator i` and its theme `t`.
pub(crate) const INDICATOR_SELECT: &str = "SELECT i.code, i.name, t.number, i.unit, i.polarity, i.baseline_value, i.baseline_period,
    i.target_value, i.source, i.position FROM indicator i LEFT JOIN theme t ON t.id = i.theme_id";

/// The columns `sign_off_row` reads.
pub(crate) const SIGN_OFF_SELECT: &str = "SELECT quarter, signed_off_at, signed_off_by, chair FROM sign_off";

/// The one row mapper for a sign-off.
pub(crate) fn sign_off_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SignOff> {
    Ok(SignOff { quarter: parse_stored_quarter(&r.get::<_, String>(0)?)?, signed_off_at: r.get(1)?, signed_off_by: r.get(2)?, chair: r.get(3)? })
}

/// The columns `review_row` reads.
pub(crate) const REVIEW_SELECT: &str = "SELECT a.ref, m.quarter, m.reviewed_by, m.reviewed_at, m.note FROM review_mark m JOIN action a ON a.id = m.action_id";

/// The one row mapper for a review mark.
pub(crate) fn review_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<crate::domain::ReviewMark> {
    Ok(crate::domain::ReviewMark {
        action: r.get(0)?,
        quarter: parse_stored_quarter(&r.get::<_, String>(1)?)?,
        reviewed_by: r.get(2)?,
        reviewed_at: r.get(3)?,
        note: r.get(4)?,
    })
}

/// The columns `schedule_row` reads.
pub(crate) const SCHEDULE_SELECT: &str = "SELECT quarter, returns_due, papers_due, meeting_at, place FROM quarter_schedule";

/// The one row mapper for a quarter's dates (`SELECT quarter, returns_due, papers_due,
/// meeting_at, place`). A stored date that cannot be read is damage.
pub(crate) fn schedule_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<crate::domain::QuarterSchedule> {
    let date = |i: usize| -> rusqlite::Result<Option<chrono::NaiveDate>> {
        r.get::<_, Option<String>>(i)?
            .map(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| stored_err(format!("the date {s:?} cannot be read"))))
            .transpose()
    };
    let meeting = r
        .get::<_, Option<String>>(3)?
        .map(|s| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S").map_err(|_| stored_err(format!("the meeting time {s:?} cannot be read"))))
        .transpose()?;
    Ok(crate::domain::QuarterSchedule {
        quarter: parse_stored_quarter(&r.get::<_, String>(0)?)?,
        returns_due: date(1)?,
        papers_due: date(2)?,
        meeting,
        place: r.get(4)?,
    })
}

/// Writes (or replaces) a quarter's dates.
pub(crate) fn insert_schedule(tx: &Connection, plan_id: i64, s: &crate::domain::QuarterSchedule) -> Result<(), CoreError> {
    tx.prepare_cached(
        "INSERT INTO quarter_schedule (plan_id, quarter, returns_due, papers_due, meeting_at, place) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (plan_id, quarter) DO UPDATE SET returns_due = excluded.returns_due, papers_due = excluded.papers_due,
            meeting_at = excluded.meeting_at, place = excluded.place",
    )?
    .execute(rusqlite::params![
        plan_id,
        s.quarter.code(),
        s.returns_due.map(|d| d.to_string()),
        s.papers_due.map(|d| d.to_string()),
        s.meeting.map(|m| m.format("%Y-%m-%dT%H:%M:%S").to_string()),
        s.place.trim()
    ])?;
    Ok(())
}

/// The columns `partner_row` reads.
pub(crate) const PARTNER_SELECT: &str = "SELECT short_name, name, kind, position FROM partner";

/// The one row mapper for a partner. The schema's CHECK allows only the two kind codes, so
/// anything else is damage, never read as a default.
pub(crate) fn partner_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Partner> {
    let code: String = r.get(2)?;
    let kind = crate::domain::PartnerKind::from_code(&code)
        .ok_or_else(|| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, format!("\"{code}\" is not a partner kind").into()))?;
    Ok(Partner { short_name: r.get(0)?, name: r.get(1)?, kind, position: r.get(3)? })
}

pub(crate) fn indicator_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Indicator> {
    Ok(Indicator {
        code: r.get(0)?,
        name: r.get(1)?,
        theme: r.get(2)?,
        unit: r.get(3)?,
        polarity: parse_stored_enum(&r.get::<_, String>(4)?)?,
        baseline_value: r.get(5)?,
        baseline_period: r.get(6)?,
        target_value: r.get(7)?,
        source: r.get(8)?,
        position: r.get(9)?,
    })
}
