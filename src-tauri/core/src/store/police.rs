//! police.uk figures in the store: each month's counts for the area (with the file they came
//! from), the indicator each crime type feeds, and the quarterly values those indicators get.
//!
//! Importing is idempotent: a month already held with the same counts is unchanged, a month
//! given again with other counts (police.uk revises its data) replaces it, audited — except in
//! a signed-off quarter, where it is listed and held until the quarter is reopened. A quarter
//! gets a value only when all three of its months are held (until then it is *partial*, with
//! no value and so no direction). Each crime type feeds its own indicator, `PUK-<type>`,
//! created on first import (context only, lower is better, source police.uk), or an existing
//! indicator the coordinator linked to it; nothing else is ever fed.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::{audit, Ctx, Store};
use crate::domain::{PoliceMonth, Quarter};
use crate::error::CoreError;
use crate::interchange::police::{self, Area, FileRead, FileSkipped, Month, MonthCounts, Progress};

/// The plan's area for police.uk rows (LSOA names begin with it), a setting of the record.
pub const AREA_SETTING: &str = "police_area";
pub const DEFAULT_AREA: &str = "Coventry";
/// The plan's police force, as police.uk's `Falls within` column names it.
pub const FORCE_SETTING: &str = "police_force";
pub const DEFAULT_FORCE: &str = "West Midlands Police";
/// Codes of the indicators the import creates: `PUK-` and the crime type's slug.
pub const CODE_PREFIX: &str = "PUK-";
/// The source of the indicators the import creates; a value it wrote starts its note with it
/// (so the import knows its own values from the coordinator's).
const NOTE_PREFIX: &str = "police.uk";

/// The theme each police.uk crime type's indicator starts under (the coordinator can change it
/// on the Indicators screen): 1 offending and serious violence, 2 public place safety and
/// reassurance, 3 exploitation and victims. A type not listed starts with no theme.
pub const DEFAULT_THEMES: &[(&str, u32)] = &[
    ("Violence and sexual offences", 1),
    ("Possession of weapons", 1),
    ("Robbery", 1),
    ("Drugs", 1),
    ("Anti-social behaviour", 2),
    ("Public order", 2),
    ("Criminal damage and arson", 2),
    ("Burglary", 2),
    ("Vehicle crime", 2),
    ("Shoplifting", 2),
    ("Bicycle theft", 2),
    ("Theft from the person", 2),
    ("Other theft", 2),
];

/// What happens to a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MonthOutcome {
    New,
    /// police.uk revised it: the new counts replace the old.
    Replaced,
    Unchanged,
    /// In a signed-off quarter and different from what the store holds: not applied until the
    /// quarter is reopened.
    Held,
    /// Outside the plan's period: skipped.
    OutsidePlan,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PoliceMonthRow {
    pub month: String,
    pub quarter: String,
    pub file: String,
    pub archive: String,
    pub outcome: MonthOutcome,
    /// Rows kept for the area, all crime types.
    pub total: u64,
    /// What the store held before, if anything.
    pub before: Option<u64>,
}

/// One quarter of an indicator fed by police.uk.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PoliceValue {
    pub quarter: String,
    /// Months of the quarter held (3: complete).
    pub months: u32,
    /// The quarter's count, once complete.
    pub value: Option<u64>,
    pub changed: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PoliceIndicatorRow {
    pub code: String,
    pub name: String,
    pub crime_type: String,
    pub created: bool,
    /// Its own indicator, left unlinked when the coordinator moved the crime type's link
    /// elsewhere, fed by it again.
    pub relinked: bool,
    pub values: Vec<PoliceValue>,
}

/// The import: what was read, what happens to each month and indicator, whether it applied.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PoliceImport {
    pub area: String,
    pub force: String,
    pub files: Vec<FileRead>,
    pub skipped: Vec<FileSkipped>,
    pub months: Vec<PoliceMonthRow>,
    pub indicators: Vec<PoliceIndicatorRow>,
    pub dry_run: bool,
    pub applied: bool,
    pub backup: Option<String>,
}

impl PoliceImport {
    /// Whether anything would change.
    pub fn changes(&self) -> bool {
        self.months.iter().any(|m| matches!(m.outcome, MonthOutcome::New | MonthOutcome::Replaced))
            || self.indicators.iter().any(|i| i.created || i.relinked || i.values.iter().any(|v| v.changed))
    }

    /// "3 new months, 1 replaced, 2 unchanged; 1 held (signed off); 14 indicators, 2 created".
    pub fn summary(&self) -> String {
        let n = |o: MonthOutcome| self.months.iter().filter(|m| m.outcome == o).count();
        let mut parts = vec![];
        for (o, w) in [
            (MonthOutcome::New, "new"),
            (MonthOutcome::Replaced, "replaced"),
            (MonthOutcome::Unchanged, "unchanged"),
            (MonthOutcome::Held, "held (signed-off quarter)"),
            (MonthOutcome::OutsidePlan, "outside the plan"),
        ] {
            if n(o) > 0 {
                parts.push(format!("{} {w}", n(o)));
            }
        }
        let created = self.indicators.iter().filter(|i| i.created).count();
        let values = self.indicators.iter().flat_map(|i| &i.values).filter(|v| v.changed).count();
        format!(
            "months: {}; {} indicator{}{}, {values} quarterly value{} changed",
            if parts.is_empty() { "none".into() } else { parts.join(", ") },
            self.indicators.len(),
            if self.indicators.len() == 1 { "" } else { "s" },
            if created > 0 { format!(" ({created} created)") } else { String::new() },
            if values == 1 { "" } else { "s" }
        )
    }
}

/// A quarterly value to write (the count and its note) or, for a partial quarter, to remove.
type ValueWrite = (String, Quarter, Option<(u64, String)>);

/// The coordinator's choices for one import.
#[derive(Debug, Clone, Default)]
pub struct PoliceOptions {
    /// `--area`: this import's area instead of the plan's.
    pub area: Option<String>,
    /// `--lsoa-codes FILE`: codes that count whatever their name.
    pub lsoa_codes: HashSet<String>,
    pub dry_run: bool,
}

pub(crate) fn load_months(conn: &Connection, plan_id: i64) -> Result<Vec<PoliceMonth>, CoreError> {
    let mut st =
        conn.prepare_cached("SELECT month, file, archive, sha256, counts, imported_by, imported_at FROM police_month WHERE plan_id = ?1 ORDER BY month")?;
    let rows = st.query_map([plan_id], |r| {
        let counts: String = r.get(4)?;
        Ok(PoliceMonth {
            month: r.get(0)?,
            file: r.get(1)?,
            archive: r.get(2)?,
            sha256: r.get(3)?,
            counts: serde_json::from_str(&counts).map_err(|e| super::record::stored_err(format!("police.uk counts cannot be read: {e}")))?,
            imported_by: r.get(5)?,
            imported_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn insert_month(tx: &Transaction, plan_id: i64, m: &PoliceMonth) -> Result<(), CoreError> {
    let counts = serde_json::to_string(&m.counts).map_err(|e| CoreError::Refused(format!("police.uk counts cannot be written: {e}")))?;
    tx.prepare_cached(
        "INSERT INTO police_month (plan_id, month, file, archive, sha256, counts, imported_by, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (plan_id, month) DO UPDATE SET file = excluded.file, archive = excluded.archive, sha256 = excluded.sha256,
            counts = excluded.counts, imported_by = excluded.imported_by, imported_at = excluded.imported_at",
    )?
    .execute(params![plan_id, &m.month, &m.file, &m.archive, &m.sha256, counts, &m.imported_by, &m.imported_at])?;
    Ok(())
}

fn total(counts: &BTreeMap<String, u64>) -> u64 {
    counts.values().sum()
}

/// The three months of a financial-year quarter.
fn months_of(q: Quarter) -> [String; 3] {
    let start = q.start();
    std::array::from_fn(|i| {
        let d = start.checked_add_months(chrono::Months::new(i as u32)).unwrap_or(start); // a quarter's months are real
        format!("{}", d.format("%Y-%m"))
    })
}

/// A value's note: where it came from.
fn provenance(months: &[&PoliceMonth]) -> String {
    let files: Vec<String> = months
        .iter()
        .map(|m| if m.archive.is_empty() { format!("{} {}", m.month, m.file) } else { format!("{} {} in {}", m.month, m.file, m.archive) })
        .collect();
    format!("{NOTE_PREFIX}: {}", files.join("; "))
}

impl Store {
    /// The plan's area and force for police.uk rows (settings; Coventry and West Midlands
    /// Police until set).
    pub fn police_area(&self) -> Result<(String, String), CoreError> {
        let get = |k: &str, d: &str| -> Result<String, CoreError> { Ok(self.setting(k)?.filter(|v| !v.trim().is_empty()).unwrap_or_else(|| d.to_string())) };
        Ok((get(AREA_SETTING, DEFAULT_AREA)?, get(FORCE_SETTING, DEFAULT_FORCE)?))
    }

    /// Sets the plan's area (and force) for police.uk rows, together or not at all; audited.
    pub fn set_police_area(&mut self, ctx: &Ctx, area: &str, force: Option<&str>) -> Result<(), CoreError> {
        crate::validate::required("area", area, crate::validate::SHORT)?;
        let mut settings = vec![(AREA_SETTING, area.trim())];
        if let Some(f) = force {
            crate::validate::required("force", f, crate::validate::SHORT)?;
            settings.push((FORCE_SETTING, f.trim()));
        }
        self.set_settings(ctx, &settings)
    }

    /// Links an existing indicator to a police.uk crime type (it is then fed instead of a
    /// `PUK-` one); audited.
    pub fn link_police(&mut self, ctx: &Ctx, code: &str, crime_type: &str) -> Result<(), CoreError> {
        crate::validate::required("crime-type", crime_type, crate::validate::SHORT)?;
        let crime_type = crime_type.trim().to_string();
        self.write(|tx, plan_id| {
            let id: i64 = tx
                .query_row("SELECT id FROM indicator WHERE plan_id = ?1 AND code = ?2", (plan_id, code), |r| r.get(0))
                .optional()?
                .ok_or_else(|| CoreError::invalid("indicator", format!("\"{code}\" is not an indicator")))?;
            let before: Option<String> = tx
                .query_row(
                    "SELECT i.code FROM police_link l JOIN indicator i ON i.id = l.indicator_id WHERE l.plan_id = ?1 AND l.crime_type = ?2",
                    (plan_id, &crime_type),
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute("DELETE FROM police_link WHERE plan_id = ?1 AND (crime_type = ?2 OR indicator_id = ?3)", (plan_id, &crime_type, id))?;
            tx.execute("INSERT INTO police_link (plan_id, crime_type, indicator_id) VALUES (?1, ?2, ?3)", (plan_id, &crime_type, id))?;
            audit::record(tx, plan_id, ctx, "police_link", &crime_type, "set", before.as_ref(), Some(&code), None)
        })
    }

    /// Which quarters of each police-fed indicator are partial (1 or 2 of their 3 months
    /// held), by indicator code.
    pub fn police_partial(&self) -> Result<BTreeMap<String, Vec<String>>, CoreError> {
        let held: BTreeSet<String> = load_months(&self.conn, self.plan_id)?.into_iter().map(|m| m.month).collect();
        let plan = self.plan()?;
        let partial: Vec<String> = plan
            .quarters()
            .into_iter()
            .filter(|q| {
                let n = months_of(*q).iter().filter(|m| held.contains(*m)).count();
                n > 0 && n < 3
            })
            .map(|q| q.code())
            .collect();
        let mut st = self.conn.prepare_cached("SELECT i.code FROM police_link l JOIN indicator i ON i.id = l.indicator_id WHERE l.plan_id = ?1")?;
        let codes: Vec<String> = st.query_map([self.plan_id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(codes.into_iter().map(|c| (c, partial.clone())).collect())
    }

    /// Reads the police.uk files under `paths`, previews what changes, and (unless
    /// `opts.dry_run` or nothing changes) applies it in one transaction after a backup. A bad
    /// file is an error naming it and its line, with nothing applied.
    pub fn import_police(&mut self, ctx: &Ctx, paths: &[PathBuf], opts: &PoliceOptions, progress: Progress<'_>) -> Result<PoliceImport, CoreError> {
        let (plan_area, force) = self.police_area()?;
        let area = opts.area.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string).unwrap_or(plan_area);
        let read = police::read(paths, &Area { name: area.clone(), force: force.clone(), lsoa_codes: opts.lsoa_codes.clone() }, progress)?;
        // Rows but none in the area: a mistyped area or force, not a month without crime (which
        // would otherwise replace real months with zeros).
        let (rows, kept): (u64, u64) = read.files.iter().fold((0, 0), |(r, k), f| (r + f.rows, k + f.kept));
        if rows > 0 && kept == 0 {
            return Err(CoreError::invalid(
                "area",
                format!("none of the {rows} rows read is in {area} ({force}): check the area (LSOA names begin with it, e.g. \"{area} 001A\") — nothing was imported"),
            ));
        }
        let plan = self.plan()?;
        let quarters = plan.quarters();
        let signed: BTreeSet<String> = {
            let mut st = self.conn.prepare_cached("SELECT quarter FROM sign_off WHERE plan_id = ?1")?;
            let rows = st.query_map([self.plan_id], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let held: BTreeMap<String, PoliceMonth> = load_months(&self.conn, self.plan_id)?.into_iter().map(|m| (m.month.clone(), m)).collect();
        let mut after = held.clone();
        let mut out = PoliceImport {
            area,
            force,
            files: read.files,
            skipped: read.skipped,
            months: vec![],
            indicators: vec![],
            dry_run: opts.dry_run,
            applied: false,
            backup: None,
        };
        let mut writes: Vec<(PoliceMonth, Option<u64>)> = Vec::new();
        for m in read.months {
            let MonthCounts { month, file, archive, sha256, counts } = m;
            // A month the reader made is a real one.
            let q = Month::parse(month.as_bytes()).map(Month::quarter).ok_or_else(|| CoreError::invalid("month", month.clone()))?;
            let before = held.get(&month);
            let outcome = if !quarters.contains(&q) {
                MonthOutcome::OutsidePlan
            } else if before.is_some_and(|b| b.counts == counts) {
                MonthOutcome::Unchanged
            } else if signed.contains(&q.code()) {
                MonthOutcome::Held
            } else if before.is_some() {
                MonthOutcome::Replaced
            } else {
                MonthOutcome::New
            };
            out.months.push(PoliceMonthRow {
                month: month.clone(),
                quarter: q.to_string(),
                file: file.clone(),
                archive: archive.clone(),
                outcome,
                total: total(&counts),
                before: before.map(|b| total(&b.counts)),
            });
            if matches!(outcome, MonthOutcome::New | MonthOutcome::Replaced) {
                let row = PoliceMonth { month: month.clone(), file, archive, sha256, counts, imported_by: ctx.who.clone(), imported_at: ctx.now.clone() };
                after.insert(month, row.clone());
                writes.push((row, before.map(|b| total(&b.counts))));
            }
        }

        // The indicators fed: every crime type the months hold.
        let mut types: BTreeSet<String> = after.values().flat_map(|m| m.counts.keys().cloned()).collect();
        let links: BTreeMap<String, (i64, String, String)> = {
            let mut st = self.conn.prepare_cached(
                "SELECT l.crime_type, i.id, i.code, i.name FROM police_link l JOIN indicator i ON i.id = l.indicator_id WHERE l.plan_id = ?1",
            )?;
            let rows = st.query_map([self.plan_id], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
            rows.collect::<Result<_, _>>()?
        };
        // A type that was fed before and has no row now still gets its quarters recomputed.
        types.extend(links.keys().cloned());
        // Codes already taken (a PUK- code kept after its link was moved, or the coordinator's).
        let taken: BTreeMap<String, String> = {
            let mut st = self.conn.prepare_cached("SELECT code, name FROM indicator WHERE plan_id = ?1")?;
            let rows = st.query_map([self.plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        let linked_codes: BTreeSet<String> = links.values().map(|(_, c, _)| c.clone()).collect();
        let mut values_now: BTreeMap<(String, String), (f64, String)> = BTreeMap::new();
        {
            let mut st = self.conn.prepare_cached(
                "SELECT i.code, v.quarter, v.value, v.note FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id WHERE i.plan_id = ?1",
            )?;
            for row in st.query_map([self.plan_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, f64>(2)?, r.get::<_, String>(3)?)))? {
                let (code, q, v, note) = row?;
                values_now.insert((code, q), (v, note));
            }
        }
        let mut value_writes: Vec<ValueWrite> = Vec::new();
        let mut creates: Vec<(String, String, String)> = Vec::new();
        let mut relinks: Vec<(String, String)> = Vec::new();
        let mut used: BTreeSet<String> = BTreeSet::new();
        for kind in &types {
            let (code, name, created, relinked) = match links.get(kind) {
                Some((_, code, name)) => (code.clone(), name.clone(), false, false),
                None => {
                    let base = format!("{CODE_PREFIX}{}", police::slug(kind));
                    match taken.get(&base) {
                        // Its own indicator, unlinked (the link was moved): fed again.
                        Some(name) if !linked_codes.contains(&base) && !used.contains(&base) => {
                            relinks.push((kind.clone(), base.clone()));
                            used.insert(base.clone());
                            (base, name.clone(), false, true)
                        }
                        _ => {
                            // A free code: the base, else with a number (two types of one slug).
                            let code = (1..)
                                .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
                                .find(|c| !taken.contains_key(c) && !used.contains(c))
                                .unwrap_or(base); // an endless range always finds one
                            used.insert(code.clone());
                            let name = format!("{kind} (police.uk)");
                            creates.push((kind.clone(), code.clone(), name.clone()));
                            (code, name, true, false)
                        }
                    }
                }
            };
            let mut row = PoliceIndicatorRow { code: code.clone(), name, crime_type: kind.clone(), created, relinked, values: vec![] };
            for q in &quarters {
                let months = months_of(*q);
                let present: Vec<&PoliceMonth> = months.iter().filter_map(|m| after.get(m)).collect();
                if present.is_empty() {
                    continue;
                }
                // a crime type with no row in a month counts nothing that month
                let value = (present.len() == 3).then(|| present.iter().map(|m| m.counts.get(kind).copied().unwrap_or(0)).sum::<u64>());
                let now = values_now.get(&(code.clone(), q.code()));
                let ours = now.is_some_and(|(_, note)| note.starts_with(NOTE_PREFIX));
                let want = value.map(|v| (v, provenance(&present)));
                let changed = !signed.contains(&q.code())
                    && match (&want, now) {
                        (Some((v, note)), Some((old, old_note))) => (*v as f64 - old).abs() > f64::EPSILON || note != old_note,
                        (Some(_), None) => true,
                        // A partial quarter carries no value: one the import wrote goes; the
                        // coordinator's own stays.
                        (None, Some(_)) => ours,
                        (None, None) => false,
                    };
                if changed {
                    value_writes.push((code.clone(), *q, want));
                }
                row.values.push(PoliceValue { quarter: q.code(), months: present.len() as u32, value, changed });
            }
            out.indicators.push(row);
        }
        if opts.dry_run || !out.changes() {
            return Ok(out);
        }
        let backup = self.backup_rolling("before-police-import")?;
        out.backup = Some(backup.display().to_string());
        let themes: BTreeMap<u32, i64> = {
            let mut st = self.conn.prepare_cached("SELECT number, id FROM theme WHERE plan_id = ?1")?;
            let rows = st.query_map([self.plan_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        self.write(|tx, plan_id| {
            for (m, before) in &writes {
                insert_month(tx, plan_id, m)?;
                let after = serde_json::json!({"file": m.file, "archive": m.archive, "sha256": m.sha256, "total": total(&m.counts)});
                audit::record(tx, plan_id, ctx, "police_month", &m.month, if before.is_some() { "replace" } else { "add" }, before.as_ref(), Some(&after), None)?;
            }
            for (kind, code, name) in &creates {
                let theme = DEFAULT_THEMES.iter().find(|(k, _)| k == kind).and_then(|(_, t)| themes.get(t));
                let unit = if kind == "Anti-social behaviour" { "incidents" } else { "crimes" };
                tx.execute(
                    "INSERT INTO indicator (plan_id, code, name, theme_id, unit, polarity, baseline_value, baseline_period, target_value, source, position)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, '', NULL, ?7, (SELECT coalesce(max(position), 0) + 1 FROM indicator WHERE plan_id = ?1))",
                    params![plan_id, code, name, theme, unit, super::record::enum_code(&crate::domain::Polarity::LowerIsBetter), NOTE_PREFIX],
                )?;
                tx.execute(
                    "INSERT INTO police_link (plan_id, crime_type, indicator_id) VALUES (?1, ?2, (SELECT id FROM indicator WHERE plan_id = ?1 AND code = ?3))",
                    params![plan_id, kind, code],
                )?;
                audit::record(tx, plan_id, ctx, "indicator", code, "add", None::<&str>, Some(&serde_json::json!({"name": name, "source": NOTE_PREFIX})), None)?;
            }
            for (kind, code) in &relinks {
                tx.execute(
                    "INSERT INTO police_link (plan_id, crime_type, indicator_id) VALUES (?1, ?2, (SELECT id FROM indicator WHERE plan_id = ?1 AND code = ?3))",
                    params![plan_id, kind, code],
                )?;
                audit::record(tx, plan_id, ctx, "police_link", kind, "set", None::<&str>, Some(code), None)?;
            }
            for (code, q, want) in &value_writes {
                let id: i64 = tx.query_row("SELECT id FROM indicator WHERE plan_id = ?1 AND code = ?2", (plan_id, code), |r| r.get(0))?;
                let before: Option<f64> =
                    tx.query_row("SELECT value FROM indicator_value WHERE indicator_id = ?1 AND quarter = ?2", (id, q.code()), |r| r.get(0)).optional()?;
                match want {
                    Some((v, note)) => {
                        tx.execute(
                            "INSERT INTO indicator_value (plan_id, indicator_id, quarter, value, note, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                             ON CONFLICT (indicator_id, quarter) DO UPDATE SET value = excluded.value, note = excluded.note,
                                recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                            params![plan_id, id, q.code(), *v as f64, note, &ctx.who, &ctx.now],
                        )?;
                        audit::record(tx, plan_id, ctx, "indicator_value", &format!("{code} {}", q.code()), "set", before.as_ref(), Some(&(*v as f64)), Some(note))?;
                    }
                    None => {
                        tx.execute("DELETE FROM indicator_value WHERE indicator_id = ?1 AND quarter = ?2", (id, q.code()))?;
                        audit::record(tx, plan_id, ctx, "indicator_value", &format!("{code} {}", q.code()), "delete", before.as_ref(), None::<&f64>, Some("partial quarter"))?;
                    }
                }
            }
            Ok(())
        })?;
        out.applied = true;
        Ok(out)
    }
}

/// The codes in an `--lsoa-codes` file: one per line (or the first column of a CSV), a header
/// line and blank lines ignored.
pub fn lsoa_codes(text: &str) -> HashSet<String> {
    text.lines()
        .filter_map(|l| l.split(',').next())
        .map(|c| c.trim().trim_matches('"').trim_start_matches('\u{feff}').to_string())
        .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("lsoa code") && !c.eq_ignore_ascii_case("lsoa11cd") && !c.eq_ignore_ascii_case("lsoa21cd"))
        .collect()
}
