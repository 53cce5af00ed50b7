//! The annual report to Cabinet and Council: its narrative paragraphs (stored per year and
//! section, edited by the coordinator; drafts are generated from the data when empty) and its
//! front sheet (per year; a role and service area, never a person's contact details).

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use super::{audit, Ctx, Store};
use crate::domain::{FinancialYear, FrontSheet};
use crate::error::CoreError;
use crate::validate::{text, LONG};

/// The report's narrative sections, in the council report's order: (key, heading).
pub const NARRATIVE_SECTIONS: &[(&str, &str)] = &[
    ("executive_summary", "Executive summary"),
    ("context", "Context (or background)"),
    ("options", "Options considered and recommended proposal"),
    ("progress", "Progress against the plan"),
    ("performance", "Performance"),
    ("timetable", "Timetable for implementing this decision"),
    ("financial", "Financial implications"),
    ("legal", "Legal implications"),
    ("one_coventry", "How will this contribute to the One Coventry Plan?"),
    ("risk", "How is risk being managed?"),
    ("organisation", "What is the impact on the organisation?"),
    ("equalities", "Equalities / EIA"),
    ("climate", "Implications for (or impact on) climate change and the environment"),
    ("partners", "Implications for partner organisations"),
];

/// The front sheet the app edits: what the report will print, and whether it was saved.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct FrontSheetView {
    pub sheet: FrontSheet,
    pub stored: bool,
}

/// One narrative section as the app edits it.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct NarrativeSection {
    pub key: String,
    pub heading: String,
    /// Empty when nothing is written (the report then uses a generated draft).
    pub body: String,
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
}

impl Store {
    /// Every narrative section of the report for a year, in the report's order.
    pub fn report_sections(&self, year: FinancialYear) -> Result<Vec<NarrativeSection>, CoreError> {
        let mut st = self.conn.prepare_cached("SELECT section, body, updated_by, updated_at FROM narrative WHERE plan_id = ?1 AND year = ?2")?;
        let stored: HashMap<String, (String, String, String)> =
            st.query_map((self.plan_id, year.code()), |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?.collect::<Result<_, _>>()?;
        Ok(NARRATIVE_SECTIONS
            .iter()
            .map(|(k, h)| {
                let s = stored.get(*k);
                NarrativeSection {
                    key: k.to_string(),
                    heading: h.to_string(),
                    body: s.map(|s| s.0.clone()).unwrap_or_default(), // not written yet: the draft is used
                    updated_by: s.map(|s| s.1.clone()),
                    updated_at: s.map(|s| s.2.clone()),
                }
            })
            .collect())
    }

    /// The narratives stored for a year, by section key (sections not written are absent).
    pub fn narratives(&self, year: FinancialYear) -> Result<HashMap<String, String>, CoreError> {
        let mut st = self.conn.prepare_cached("SELECT section, body FROM narrative WHERE plan_id = ?1 AND year = ?2")?;
        let rows = st.query_map((self.plan_id, year.code()), |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Writes (or, with an empty body, clears) a narrative section for a year; audited.
    pub fn set_narrative(&mut self, ctx: &Ctx, year: FinancialYear, section: &str, body: &str) -> Result<(), CoreError> {
        if !NARRATIVE_SECTIONS.iter().any(|(k, _)| *k == section) {
            let keys: Vec<&str> = NARRATIVE_SECTIONS.iter().map(|(k, _)| *k).collect();
            return Err(CoreError::invalid("section", format!("\"{section}\" is not a section of the report; use one of {}", keys.join(", "))));
        }
        text("body", body, LONG)?;
        let plan = self.plan()?;
        plan.year_of_plan("year", year)?;
        self.write(|tx, plan_id| {
            let before: Option<String> = tx
                .query_row("SELECT body FROM narrative WHERE plan_id = ?1 AND year = ?2 AND section = ?3", (plan_id, year.code(), section), |r| r.get(0))
                .optional()?;
            let key = format!("{} {section}", year.code());
            // Saving what is already there (or clearing what is not) changes nothing and is
            // not an event worth an audit entry.
            if before.as_deref() == Some(body) || (before.is_none() && body.trim().is_empty()) {
                return Ok(());
            }
            if body.trim().is_empty() {
                tx.execute("DELETE FROM narrative WHERE plan_id = ?1 AND year = ?2 AND section = ?3", (plan_id, year.code(), section))?;
                return audit::record(tx, plan_id, ctx, "narrative", &key, "clear", before.as_ref(), None::<&()>, None);
            }
            tx.execute(
                "INSERT INTO narrative (plan_id, year, section, body, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (plan_id, year, section) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                (plan_id, year.code(), section, body, &ctx.who, &ctx.now),
            )?;
            audit::record(tx, plan_id, ctx, "narrative", &key, if before.is_some() { "update" } else { "create" }, before.as_ref(), Some(&body), None)
        })
    }

    /// Stores the front sheet for a year (replacing any), audited. Holds a role and service
    /// area, never a person's contact details.
    pub fn set_front_sheet(&mut self, ctx: &Ctx, sheet: &FrontSheet) -> Result<(), CoreError> {
        crate::validate::required("title", &sheet.title, crate::validate::TITLE)?;
        for (field, value) in [
            ("scrutiny", &sheet.scrutiny),
            ("other_bodies", &sheet.other_bodies),
            ("council", &sheet.council),
            ("author_role", &sheet.author_role),
            ("service_area", &sheet.service_area),
            ("contact", &sheet.contact),
        ] {
            text(field, value, crate::validate::SHORT)?;
        }
        let plan = self.plan()?;
        plan.year_of_plan("year", sheet.year)?;
        let before = self.front_sheet(sheet.year)?;
        let stored = FrontSheet {
            year: sheet.year,
            title: sheet.title.trim().to_string(),
            key_decision: sheet.key_decision,
            scrutiny: sheet.scrutiny.trim().to_string(),
            other_bodies: sheet.other_bodies.trim().to_string(),
            council: sheet.council.trim().to_string(),
            author_role: sheet.author_role.trim().to_string(),
            service_area: sheet.service_area.trim().to_string(),
            contact: sheet.contact.trim().to_string(),
        };
        if before.as_ref() == Some(&stored) {
            // Saved unchanged: nothing to write, nothing to audit.
            return Ok(());
        }
        let sheet = &stored;
        self.write(|tx, plan_id| {
            tx.execute(
                "INSERT INTO front_sheet (plan_id, year, title, key_decision, scrutiny, other_bodies, council, author_role, service_area, contact)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (plan_id, year) DO UPDATE SET title = excluded.title, key_decision = excluded.key_decision,
                    scrutiny = excluded.scrutiny, other_bodies = excluded.other_bodies, council = excluded.council,
                    author_role = excluded.author_role, service_area = excluded.service_area, contact = excluded.contact",
                rusqlite::params![
                    plan_id,
                    sheet.year.code(),
                    sheet.title.trim(),
                    sheet.key_decision,
                    sheet.scrutiny.trim(),
                    sheet.other_bodies.trim(),
                    sheet.council.trim(),
                    sheet.author_role.trim(),
                    sheet.service_area.trim(),
                    sheet.contact.trim()
                ],
            )?;
            audit::record(
                tx,
                plan_id,
                ctx,
                "front_sheet",
                &sheet.year.code(),
                if before.is_some() { "update" } else { "create" },
                before.as_ref(),
                Some(sheet),
                None,
            )
        })
    }

    /// The front sheet as the report for `year` will print it: the stored one, or the
    /// defaults when none was saved (and which of the two it is).
    pub fn front_sheet_or_default(&self, year: FinancialYear) -> Result<FrontSheetView, CoreError> {
        Ok(match self.front_sheet(year)? {
            Some(sheet) => FrontSheetView { sheet, stored: true },
            None => FrontSheetView { sheet: FrontSheet::default_for(&self.plan()?.title, year), stored: false },
        })
    }

    /// The front sheet stored for a year, if any.
    pub fn front_sheet(&self, year: FinancialYear) -> Result<Option<FrontSheet>, CoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT title, key_decision, scrutiny, other_bodies, council, author_role, service_area, contact
                 FROM front_sheet WHERE plan_id = ?1 AND year = ?2",
                (self.plan_id, year.code()),
                |r| {
                    Ok(FrontSheet {
                        year,
                        title: r.get(0)?,
                        key_decision: r.get(1)?,
                        scrutiny: r.get(2)?,
                        other_bodies: r.get(3)?,
                        council: r.get(4)?,
                        author_role: r.get(5)?,
                        service_area: r.get(6)?,
                        contact: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }
}
