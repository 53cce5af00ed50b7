//! JSON export and import of the whole record. An import is validated completely before
//! anything is written, and then applied in one transaction: whole or not at all.

pub mod calendar;
pub mod police;
pub mod return_import;
pub mod returns;
pub mod tracker;
pub mod tracker_import;
pub mod workbook;

use std::collections::HashSet;
use std::path::Path;

use crate::domain::update::problems;
use crate::domain::*;
use crate::error::CoreError;
use crate::validate::{required, text, LONG, SHORT, TITLE};

/// The Coventry Community Safety Partnership Plan 2025-2028 as the seed document describes it.
pub const SEED_JSON: &str = include_str!("../../../../assets/seed/coventry-plan-2025-2028.json");

/// The embedded seed record.
pub fn seed_record() -> Result<Record, CoreError> {
    parse_record(SEED_JSON)
}

/// Serializes the record as pretty JSON with a trailing newline (stable, diff-friendly).
pub fn to_json(record: &Record) -> Result<String, CoreError> {
    let mut s = serde_json::to_string_pretty(record).map_err(|e| CoreError::Refused(format!("could not write JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

/// Parses an export, naming where it is wrong. Never panics on hostile input.
pub fn parse_record(text: &str) -> Result<Record, CoreError> {
    if text.trim().is_empty() {
        return Err(CoreError::invalid("file", "is empty; expected a CCSP Coordinator JSON export"));
    }
    // The fast path: a well-formed export parses in one pass.
    let readable = |v: u64| (u64::from(OLDEST_RECORD_VERSION)..=u64::from(RECORD_VERSION)).contains(&v);
    if let Ok(mut record) = serde_json::from_str::<Record>(text) {
        if record.format == RECORD_FORMAT && readable(u64::from(record.version)) {
            // An older export reads as this version, with its new fields at their defaults.
            record.version = RECORD_VERSION;
            return Ok(record);
        }
    }
    // Something is wrong: read only the identifying fields first, so a foreign or newer file
    // gets the right message, then parse again tracking the path to name the bad field.
    #[derive(serde::Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    let header: Header = serde_json::from_str(text).map_err(|e| CoreError::invalid("file", format!("is not valid JSON ({e})")))?;
    if header.format.as_ref().and_then(|f| f.as_str()) != Some(RECORD_FORMAT) {
        return Err(CoreError::invalid("format", format!("this is not a CCSP Coordinator export (expected \"format\": \"{RECORD_FORMAT}\")")));
    }
    match header.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if readable(v) => {}
        Some(v) if v > RECORD_VERSION as u64 => {
            return Err(CoreError::invalid("version", format!("the export is format version {v}, newer than this app's {RECORD_VERSION}; update the app")))
        }
        _ => return Err(CoreError::invalid("version", format!("expected format version {OLDEST_RECORD_VERSION} to {RECORD_VERSION}"))),
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut record: Record = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "file".to_string() } else { path };
        CoreError::invalid(field, e.into_inner().to_string())
    })?;
    de.end().map_err(|e| CoreError::invalid("file", format!("has data after the export ({e})")))?;
    record.version = RECORD_VERSION;
    Ok(record)
}

/// Reads and parses an export file.
pub fn read_record_file(path: &Path) -> Result<Record, CoreError> {
    crate::fault::input_file("file", path)?;
    let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| CoreError::invalid("file", "is not UTF-8 text; expected a JSON export"))?;
    parse_record(&text)
}

/// `text` for a field of item `base` (e.g. `updates[3]`), building the field's name only when
/// there is something to report.
fn text_at(base: &str, name: &str, value: &str, max: usize) -> Result<(), CoreError> {
    text(name, value, max).map_err(|e| relabel(e, base))
}

fn required_at(base: &str, name: &str, value: &str, max: usize) -> Result<(), CoreError> {
    required(name, value, max).map_err(|e| relabel(e, base))
}

fn relabel(e: CoreError, base: &str) -> CoreError {
    match e {
        CoreError::Invalid { field, message } => CoreError::Invalid { field: format!("{base}.{field}"), message },
        other => other,
    }
}

fn dup_check<'a>(field: &str, seen: &mut HashSet<&'a str>, key: &'a str) -> Result<(), CoreError> {
    if !seen.insert(key) {
        return Err(CoreError::invalid(field, format!("\"{key}\" appears twice")));
    }
    Ok(())
}

fn is_ref(s: &str, parts: usize) -> bool {
    let ps: Vec<&str> = s.split('.').collect();
    ps.len() == parts && ps.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()) && !p.starts_with('0'))
}

fn timestamp(base: &str, name: &str, s: &str) -> Result<(), CoreError> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|_| ())
        .map_err(|_| CoreError::invalid(format!("{base}.{name}"), format!("\"{s}\" is not a UTC timestamp like 2025-07-01T09:30:00Z")))
}

/// Checks every reference, date, quarter, amount, status and text in a record.
pub fn validate_record(r: &Record) -> Result<(), CoreError> {
    let p = &r.plan;
    required("plan.title", &p.title, TITLE)?;
    required("plan.partnership", &p.partnership, TITLE)?;
    required("plan.short_name", &p.short_name, SHORT)?;
    text("plan.vision", &p.vision, LONG)?;
    text("plan.statutory_basis", &p.statutory_basis, LONG)?;
    if p.end_date <= p.start_date {
        return Err(CoreError::invalid("plan.end_date", "must be after the start date"));
    }
    if p.start_date < EARLIEST || p.end_date > LATEST {
        return Err(CoreError::invalid("plan", "its dates are outside the years this app handles"));
    }
    let quarters: HashSet<Quarter> = p.quarters().into_iter().collect();
    let in_plan = |base: &str, name: &str, q: Quarter| -> Result<(), CoreError> {
        if quarters.contains(&q) {
            Ok(())
        } else {
            Err(CoreError::invalid(format!("{base}.{name}"), format!("{q} is not a quarter of the plan ({} to {})", p.start_date, p.end_date)))
        }
    };

    let mut themes = HashSet::new();
    for (i, t) in r.themes.iter().enumerate() {
        let f = format!("themes[{i}]");
        if t.number == 0 || t.number > 99 || !themes.insert(t.number) {
            return Err(CoreError::invalid(f, format!("theme number {} is missing, out of range or repeated", t.number)));
        }
        required_at(&f, "title", &t.title, TITLE)?;
    }
    let mut groups = HashSet::new();
    for (i, g) in r.delivery_groups.iter().enumerate() {
        required(&format!("delivery_groups[{i}].name"), &g.name, TITLE)?;
        text(&format!("delivery_groups[{i}].description"), &g.description, LONG)?;
        dup_check("delivery_groups", &mut groups, &g.name)?;
    }
    let mut outside = HashSet::new();
    for (i, o) in r.outside_plans.iter().enumerate() {
        required(&format!("outside_plans[{i}].code"), &o.code, SHORT)?;
        required(&format!("outside_plans[{i}].title"), &o.title, TITLE)?;
        text(&format!("outside_plans[{i}].detail"), &o.detail, LONG)?;
        dup_check("outside_plans", &mut outside, &o.code)?;
    }
    let mut priorities = HashSet::new();
    for (i, pr) in r.priorities.iter().enumerate() {
        let f = format!("priorities[{i}]");
        if !is_ref(&pr.reference, 2) {
            return Err(CoreError::invalid(format!("{f}.ref"), format!("\"{}\" is not a priority ref like 1.2", pr.reference)));
        }
        dup_check("priorities", &mut priorities, &pr.reference)?;
        if !themes.contains(&pr.theme) {
            return Err(CoreError::invalid(format!("{f}.theme"), format!("theme {} does not exist", pr.theme)));
        }
        let (t, n) = split2(&pr.reference);
        if t != pr.theme {
            return Err(CoreError::invalid(format!("{f}.ref"), format!("{} does not belong to theme {}", pr.reference, pr.theme)));
        }
        // A theme the record does not have has no priorities: any number is then above it.
        let theme_seq = r.themes.iter().find(|x| x.number == t).map(|x| x.last_priority_seq).unwrap_or(0);
        if n > theme_seq {
            return Err(CoreError::invalid(format!("{f}.ref"), format!("{} is above theme {t}'s last priority number {theme_seq}", pr.reference)));
        }
        required_at(&f, "title", &pr.title, TITLE)?;
        text_at(&f, "description", &pr.description, LONG)?;
        if let Some(g) = &pr.delivery_group {
            if !groups.contains(g.as_str()) {
                return Err(CoreError::invalid(format!("{f}.delivery_group"), format!("\"{g}\" is not a delivery group of the plan")));
            }
        }
        let mut al = HashSet::new();
        for a in &pr.alignments {
            if !outside.contains(a.as_str()) {
                return Err(CoreError::invalid(format!("{f}.alignments"), format!("\"{a}\" is not an outside plan of the record")));
            }
            dup_check(&format!("{f}.alignments"), &mut al, a)?;
        }
        let mut lenses = HashSet::new();
        for l in &pr.lenses {
            if !lenses.insert(*l) {
                return Err(CoreError::invalid(format!("{f}.lenses"), format!("{} appears twice", l.label())));
            }
        }
    }
    let mut partners = HashSet::new();
    for (i, pa) in r.partners.iter().enumerate() {
        required(&format!("partners[{i}].short_name"), &pa.short_name, SHORT)?;
        required(&format!("partners[{i}].name"), &pa.name, TITLE)?;
        dup_check("partners", &mut partners, &pa.short_name)?;
    }
    let mut actions = HashSet::new();
    for (i, a) in r.actions.iter().enumerate() {
        let f = format!("actions[{i}]");
        if !is_ref(&a.reference, 3) {
            return Err(CoreError::invalid(format!("{f}.ref"), format!("\"{}\" is not an action ref like 1.2.3", a.reference)));
        }
        dup_check("actions", &mut actions, &a.reference)?;
        if !priorities.contains(a.priority.as_str()) {
            return Err(CoreError::invalid(format!("{f}.priority"), format!("priority {} does not exist", a.priority)));
        }
        // An action moved to another priority keeps its ref, so compare against where it was born.
        if let Some(born) = r.priorities.iter().find(|p| a.reference.starts_with(&format!("{}.", p.reference))) {
            // `is_ref` checked the ref is digits and dots, so its last part is a number.
            let n = a.reference.rsplit('.').next().and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
            if n > born.last_action_seq {
                return Err(CoreError::invalid(format!("{f}.ref"), format!("{} is above priority {}'s last action number", a.reference, born.reference)));
            }
        } else {
            return Err(CoreError::invalid(format!("{f}.ref"), format!("{} does not start with an existing priority's ref", a.reference)));
        }
        required_at(&f, "title", &a.title, TITLE)?;
        text_at(&f, "description", &a.description, LONG)?;
        text_at(&f, "success_measure", &a.success_measure, LONG)?;
        text_at(&f, "previous_ref", &a.previous_ref, SHORT)?;
        if !partners.contains(a.lead.as_str()) {
            return Err(CoreError::invalid(format!("{f}.lead"), format!("\"{}\" is not a partner", a.lead)));
        }
        let mut sup = HashSet::new();
        for s in &a.partners {
            if !partners.contains(s.as_str()) {
                return Err(CoreError::invalid(format!("{f}.partners"), format!("\"{s}\" is not a partner")));
            }
            if *s == a.lead {
                return Err(CoreError::invalid(format!("{f}.partners"), format!("{s} is the lead partner; list only supporting partners")));
            }
            dup_check(&format!("{f}.partners"), &mut sup, s)?;
        }
        if let (Some(s), Some(d)) = (a.start_date, a.due_date) {
            if d < s {
                return Err(CoreError::invalid(format!("{f}.due_date"), "is before the start date"));
            }
        }
        if let Some(q) = a.due_quarter {
            in_plan(&f, "due_quarter", q)?;
        }
        match (&a.lifecycle, &a.cancel_reason) {
            (Lifecycle::Cancelled, None) => return Err(CoreError::invalid(format!("{f}.cancel_reason"), "a cancelled action needs its reason")),
            (Lifecycle::Cancelled, Some(reason)) => required_at(&f, "cancel_reason", reason, LONG)?,
            (_, Some(_)) => return Err(CoreError::invalid(format!("{f}.cancel_reason"), "only a cancelled action has a cancel reason")),
            _ => {}
        }
        timestamp(&f, "created_at", &a.created_at)?;
    }
    let mut signed = HashSet::new();
    for (i, s) in r.sign_offs.iter().enumerate() {
        in_plan(&format!("sign_offs[{i}]"), "quarter", s.quarter)?;
        if !signed.insert(s.quarter) {
            return Err(CoreError::invalid("sign_offs", format!("{} is signed off twice", s.quarter)));
        }
        timestamp(&format!("sign_offs[{i}]"), "signed_off_at", &s.signed_off_at)?;
        required(&format!("sign_offs[{i}].signed_off_by"), &s.signed_off_by, SHORT)?;
    }
    let mut updates = HashSet::new();
    for (i, u) in r.updates.iter().enumerate() {
        let f = format!("updates[{i}]");
        if !actions.contains(u.action.as_str()) {
            return Err(CoreError::invalid(format!("{f}.action"), format!("action {} does not exist", u.action)));
        }
        in_plan(&f, "quarter", u.quarter)?;
        if !updates.insert((u.action.as_str(), u.quarter)) {
            return Err(CoreError::invalid(f, format!("{} has two updates for {}", u.action, u.quarter)));
        }
        text_at(&f, "commentary", &u.commentary, LONG)?;
        text_at(&f, "next_steps", &u.next_steps, LONG)?;
        text_at(&f, "reported_by", &u.reported_by, SHORT)?;
        timestamp(&f, "reported_at", &u.reported_at)?;
        let broken = problems(u.rag, &u.commentary, &u.next_steps);
        if !u.draft {
            if let Some(pb) = broken.first() {
                return Err(CoreError::invalid(format!("{f}.{}", pb.field.replace('-', "_")), pb.message.clone()));
            }
        }
    }
    let mut indicators = HashSet::new();
    for (i, ind) in r.indicators.iter().enumerate() {
        let f = format!("indicators[{i}]");
        required_at(&f, "code", &ind.code, SHORT)?;
        required_at(&f, "name", &ind.name, TITLE)?;
        dup_check("indicators", &mut indicators, &ind.code)?;
        if let Some(t) = ind.theme {
            if !themes.contains(&t) {
                return Err(CoreError::invalid(format!("{f}.theme"), format!("theme {t} does not exist")));
            }
        }
        for (name, v) in [("baseline_value", ind.baseline_value), ("target_value", ind.target_value)] {
            if v.is_some_and(|v| !v.is_finite()) {
                return Err(CoreError::invalid(format!("{f}.{name}"), "must be a finite number"));
            }
        }
    }
    let mut values = HashSet::new();
    for (i, v) in r.indicator_values.iter().enumerate() {
        let f = format!("indicator_values[{i}]");
        if !indicators.contains(v.indicator.as_str()) {
            return Err(CoreError::invalid(format!("{f}.indicator"), format!("indicator \"{}\" does not exist", v.indicator)));
        }
        in_plan(&f, "quarter", v.quarter)?;
        if !v.value.is_finite() {
            return Err(CoreError::invalid(format!("{f}.value"), "must be a finite number"));
        }
        if !values.insert((v.indicator.as_str(), v.quarter)) {
            return Err(CoreError::invalid(f, format!("{} has two values for {}", v.indicator, v.quarter)));
        }
        timestamp(&f, "recorded_at", &v.recorded_at)?;
    }
    let years: HashSet<FinancialYear> = quarters.iter().map(|q| q.year()).collect();
    let in_years = |field: &str, y: FinancialYear| -> Result<(), CoreError> {
        if years.contains(&y) {
            Ok(())
        } else {
            Err(CoreError::invalid(field, format!("{y} is not a year of the plan")))
        }
    };
    let mut grants = HashSet::new();
    for (i, g) in r.grants.iter().enumerate() {
        in_years(&format!("grants[{i}].year"), g.year)?;
        required(&format!("grants[{i}].source"), &g.source, SHORT)?;
        Pence::checked(&format!("grants[{i}].amount"), g.amount.0)?;
        if !grants.insert((g.year, g.source.as_str())) {
            return Err(CoreError::invalid("grants", format!("{} {} appears twice", g.year, g.source)));
        }
    }
    let mut allocations = HashSet::new();
    for (i, a) in r.allocations.iter().enumerate() {
        if !actions.contains(a.action.as_str()) {
            return Err(CoreError::invalid(format!("allocations[{i}].action"), format!("action {} does not exist", a.action)));
        }
        in_years(&format!("allocations[{i}].year"), a.year)?;
        Pence::checked(&format!("allocations[{i}].amount"), a.amount.0)?;
        if !allocations.insert((a.action.as_str(), a.year)) {
            return Err(CoreError::invalid("allocations", format!("{} {} appears twice", a.action, a.year)));
        }
    }
    let mut spends = HashSet::new();
    for (i, s) in r.spend.iter().enumerate() {
        if !actions.contains(s.action.as_str()) {
            return Err(CoreError::invalid(format!("spend[{i}].action"), format!("action {} does not exist", s.action)));
        }
        in_plan(&format!("spend[{i}]"), "quarter", s.quarter)?;
        Pence::checked(&format!("spend[{i}].amount"), s.amount.0)?;
        if !spends.insert((s.action.as_str(), s.quarter)) {
            return Err(CoreError::invalid("spend", format!("{} {} appears twice", s.action, s.quarter)));
        }
    }
    let mut narratives = HashSet::new();
    for (i, n) in r.narratives.iter().enumerate() {
        in_years(&format!("narratives[{i}].year"), n.year)?;
        required(&format!("narratives[{i}].section"), &n.section, SHORT)?;
        text(&format!("narratives[{i}].body"), &n.body, LONG)?;
        if !narratives.insert((n.year, n.section.as_str())) {
            return Err(CoreError::invalid("narratives", format!("{} {} appears twice", n.year, n.section)));
        }
    }
    let mut sheets = HashSet::new();
    for (i, s) in r.front_sheets.iter().enumerate() {
        in_years(&format!("front_sheets[{i}].year"), s.year)?;
        required(&format!("front_sheets[{i}].title"), &s.title, TITLE)?;
        for (name, v) in [
            ("scrutiny", &s.scrutiny),
            ("other_bodies", &s.other_bodies),
            ("council", &s.council),
            ("author_role", &s.author_role),
            ("service_area", &s.service_area),
            ("contact", &s.contact),
        ] {
            text(&format!("front_sheets[{i}].{name}"), v, LONG)?;
        }
        if !sheets.insert(s.year) {
            return Err(CoreError::invalid("front_sheets", format!("{} appears twice", s.year)));
        }
    }
    let action_refs: HashSet<&str> = r.actions.iter().map(|a| a.reference.as_str()).collect();
    let mut reviewed = HashSet::new();
    for (i, m) in r.reviews.iter().enumerate() {
        let f = format!("reviews[{i}]");
        if !action_refs.contains(m.action.as_str()) {
            return Err(CoreError::invalid(format!("{f}.action"), format!("{} is not an action of the record", m.action)));
        }
        if !quarters.contains(&m.quarter) {
            return Err(CoreError::invalid(format!("{f}.quarter"), format!("{} is not a quarter of the plan", m.quarter)));
        }
        if !reviewed.insert((m.action.as_str(), m.quarter)) {
            return Err(CoreError::invalid("reviews", format!("{} {} appears twice", m.action, m.quarter)));
        }
        required(&format!("{f}.reviewed_by"), &m.reviewed_by, SHORT)?;
        timestamp(&f, "reviewed_at", &m.reviewed_at)?;
        text(&format!("{f}.note"), &m.note, LONG)?;
    }
    for (i, s) in r.sign_offs.iter().enumerate() {
        text(&format!("sign_offs[{i}].chair"), &s.chair, SHORT)?;
    }
    let mut scheduled = HashSet::new();
    for (i, s) in r.schedules.iter().enumerate() {
        let f = format!("schedules[{i}]");
        if !quarters.contains(&s.quarter) {
            return Err(CoreError::invalid(f, format!("{} is not a quarter of the plan", s.quarter)));
        }
        if !scheduled.insert(s.quarter) {
            return Err(CoreError::invalid("schedules", format!("{} appears twice", s.quarter)));
        }
        s.check().map_err(|e| relabel(e, &f))?;
    }
    let mut months = HashSet::new();
    for (i, m) in r.police_months.iter().enumerate() {
        let f = format!("police_months[{i}]");
        if police::Month::parse(m.month.as_bytes()).is_none() {
            return Err(CoreError::invalid(format!("{f}.month"), format!("\"{}\" is not a month (YYYY-MM)", m.month)));
        }
        if !months.insert(m.month.as_str()) {
            return Err(CoreError::invalid("police_months", format!("{} appears twice", m.month)));
        }
        required(&format!("{f}.file"), &m.file, SHORT)?;
        text(&format!("{f}.archive"), &m.archive, SHORT)?;
        if m.sha256.len() != 64 || !m.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CoreError::invalid(format!("{f}.sha256"), "is not a SHA-256 (64 hexadecimal digits)"));
        }
        for k in m.counts.keys() {
            required(&format!("{f}.counts"), k, SHORT)?;
        }
        required(&format!("{f}.imported_by"), &m.imported_by, SHORT)?;
        timestamp(&f, "imported_at", &m.imported_at)?;
    }
    let (mut linked_types, mut linked) = (HashSet::new(), HashSet::new());
    for (i, l) in r.police_links.iter().enumerate() {
        let f = format!("police_links[{i}]");
        required(&format!("{f}.crime_type"), &l.crime_type, SHORT)?;
        if !r.indicators.iter().any(|x| x.code == l.indicator) {
            return Err(CoreError::invalid(format!("{f}.indicator"), format!("\"{}\" is not an indicator of the record", l.indicator)));
        }
        if !linked_types.insert(l.crime_type.as_str()) || !linked.insert(l.indicator.as_str()) {
            return Err(CoreError::invalid("police_links", format!("{} or {} is linked twice", l.crime_type, l.indicator)));
        }
    }
    if let Some(id) = r.settings.get(crate::store::STORE_ID_SETTING) {
        // As `init` makes them (a record without one gets one when it is imported).
        if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
            return Err(CoreError::invalid("settings.store_id", "is not a store id this app made (32 lower-case hexadecimal digits)"));
        }
    }
    for (k, v) in &r.settings {
        required("settings key", k, SHORT)?;
        text(&format!("settings.{k}"), v, LONG)?;
    }
    for (i, e) in r.audit.iter().enumerate() {
        if chrono::DateTime::parse_from_rfc3339(&e.at).is_err() {
            timestamp(&format!("audit[{i}]"), "at", &e.at)?;
        }
        for (name, v) in [("who", &e.who), ("entity", &e.entity), ("key", &e.key), ("op", &e.op)] {
            text(name, v, SHORT).map_err(|err| relabel(err, &format!("audit[{i}]")))?;
        }
    }
    Ok(())
}

/// The two numbers of a ref already checked by `is_ref` (digits and dots only): a part that
/// is not a number cannot occur, and 0 (never a real theme or priority) would only fail the
/// checks that follow.
fn split2(reference: &str) -> (u32, u32) {
    let mut it = reference.split('.').map(|s| s.parse::<u32>().unwrap_or(0)); // see above
    (it.next().unwrap_or(0), it.next().unwrap_or(0)) // see above
}

/// The years this app handles: a plan outside them is refused.
const EARLIEST: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(d) => d,
    None => panic!("1 January 1990 is a date"),
};
const LATEST: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2199, 12, 31) {
    Some(d) => d,
    None => panic!("31 December 2199 is a date"),
};
