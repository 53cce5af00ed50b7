//! Bringing an existing tracker in (`ccsp import actions`): a council's own Excel tracker, or
//! our template (`ccsp import actions --template`), becomes actions of the plan without typing
//! them again. Read through the one bounded reader (`workbook`) or, for a .csv, within the same
//! size bound; title rows above the header are skipped; columns are found by their names,
//! including the ones councils' own trackers use ("Action", "Lead partner", "Due date",
//! "Ref"). Every row is checked as the app's action form checks it, and every problem is
//! named by its cell; then all the actions are added in one transaction after a backup, or
//! none. New refs are assigned; the tracker's own ref is kept as the action's previous ref.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rust_xlsxwriter::{Color, DataValidation, DataValidationErrorStyle, Format, Formula, Workbook as XlsxBook, XlsxError};
use serde::Serialize;
use ts_rs::TS;

use super::workbook::{cell_name, Value, Workbook, MAX_FILE_BYTES, MAX_ROWS};
use crate::error::{CoreError, FieldError};
use crate::store::{ActionInput, Ctx, NewAction, Store};

/// The template's columns, in order; the import also knows each one by other names.
pub const COLUMNS: [&str; 11] =
    ["Priority", "Title", "Lead", "Partners", "Start", "Due", "Description", "Success measure", "Funding", "Funding year", "Previous ref"];

/// Other names councils' trackers give the same columns (matched ignoring case and spaces).
const ALSO: [&[&str]; 11] = [
    &["priority ref", "ccsp priority", "plan priority"],
    &["action", "action title", "commitment"],
    &["lead partner", "lead organisation", "lead agency", "owner"],
    &["supporting partners", "other partners", "partners involved"],
    &["start date"],
    &["due date", "deadline", "target date", "completion date"],
    &["details", "action description"],
    &["measure of success", "success measures", "outcome measure", "how will we know"],
    &["budget", "allocation", "funding (£)"],
    &["budget year", "financial year"],
    &["ref", "reference", "action ref", "id", "no.", "action no."],
];

const SHEET: &str = "Actions";

/// One row read from the tracker, as the preview shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TrackerRow {
    /// The row in the file (from 1), as the spreadsheet shows it.
    pub row: u32,
    pub priority: String,
    pub title: String,
    pub lead: String,
    pub previous_ref: String,
    /// The ref it was given, once applied.
    pub new_ref: Option<String>,
}

/// What the import read, and whether it applied.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TrackerImport {
    pub file: String,
    pub rows: Vec<TrackerRow>,
    /// Every problem, with its cell (`Actions!C5`, or `line 5, Lead` in a .csv).
    pub problems: Vec<FieldError>,
    /// Rows that repeat an action already in the plan or in the file (same priority and title).
    pub duplicates: Vec<FieldError>,
    pub applied: bool,
    pub backup: Option<String>,
}

/// The empty template: the columns, drop-downs for the priority and the lead partner (from a
/// hidden sheet of the plan's priorities and partners), dates as dates, a guidance row.
pub fn template(store: &Store) -> Result<Vec<u8>, CoreError> {
    let priorities = store.priority_refs()?;
    let partners = store.partners()?;
    write_template(&priorities, &partners.iter().map(|p| p.short_name.clone()).collect::<Vec<_>>())
        .map_err(|e| CoreError::Refused(format!("the template could not be written: {e}")))
}

fn write_template(priorities: &[String], partners: &[String]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = XlsxBook::new();
    let base = Format::new().set_font_name("Arial").set_font_size(10);
    let head = base.clone().set_bold().set_font_color(Color::White).set_background_color(Color::RGB(0x0b3d6b)).set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET)?;
    ws.write_string_with_format(0, 0, "CCSP Coordinator — actions to bring in", &base.clone().set_bold().set_font_size(14))?;
    ws.write_string_with_format(
        1,
        0,
        "One action per row. Priority and Lead from the lists; Partners as short names separated by commas; dates as dates or dd/mm/yyyy; Funding in pounds for its financial year (e.g. 2026-27). Previous ref: your tracker's own ref, kept with the action.",
        &base,
    )?;
    let widths = [10.0, 48.0, 10.0, 18.0, 12.0, 12.0, 40.0, 30.0, 10.0, 12.0, 12.0];
    for (c, (name, w)) in COLUMNS.iter().zip(widths).enumerate() {
        ws.set_column_width(c as u16, w)?;
        ws.write_string_with_format(3, c as u16, *name, &head)?;
    }
    let date = base.clone().set_num_format("dd/mm/yyyy");
    ws.set_column_format(4, &date)?;
    ws.set_column_format(5, &date)?;
    ws.set_freeze_panes(4, 0)?;
    let lists = wb.add_worksheet();
    lists.set_name("Lists")?;
    for (i, p) in priorities.iter().enumerate() {
        lists.write_string(i as u32, 0, p)?;
    }
    for (i, p) in partners.iter().enumerate() {
        lists.write_string(i as u32, 1, p)?;
    }
    lists.set_hidden(true);
    let ws = wb.worksheet_from_name(SHEET)?;
    let last = 4 + 999;
    if !priorities.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(Formula::new(format!("=Lists!$A$1:$A${}", priorities.len())))
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_message("Choose a priority of the plan from the list.")?;
        ws.add_data_validation(4, 0, last, 0, &dv)?;
    }
    if !partners.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(Formula::new(format!("=Lists!$B$1:$B${}", partners.len())))
            .set_error_style(DataValidationErrorStyle::Stop)
            .set_error_message("Choose a partner of the plan from the list.")?;
        ws.add_data_validation(4, 2, last, 2, &dv)?;
    }
    wb.save_to_buffer()
}

/// A cell table read from a workbook or a CSV: rows of (column → value), with a way to name a cell.
struct Table {
    rows: Vec<(u32, HashMap<u32, Value>)>,
    csv: bool,
    sheet: String,
}

impl Table {
    fn name(&self, row: u32, col: u32, column: &str) -> String {
        if self.csv {
            format!("line {}, {column}", row + 1)
        } else {
            format!("{}!{}", self.sheet, cell_name(row, col))
        }
    }
}

fn read_table(path: &Path) -> Result<Table, CoreError> {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(); // a path always has a name here
    let csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !csv {
        let mut book = Workbook::open(path)?;
        // The first visible sheet with a header row of ours; else the first visible sheet.
        let names: Vec<String> = book.sheets.iter().filter(|s| s.visible).map(|s| s.name.clone()).collect();
        let mut first = None;
        for n in names {
            let g = book.grid(&n)?;
            let rows: Vec<(u32, HashMap<u32, Value>)> = (0..g.height).map(|r| (r, g.row(r).map(|(c, v)| (c, v.clone())).collect())).collect();
            let t = Table { rows, csv: false, sheet: n };
            if header(&t).is_some() {
                return Ok(t);
            }
            first.get_or_insert(t);
        }
        return first.ok_or_else(|| CoreError::invalid(file, "has no visible sheet"));
    }
    let meta = std::fs::metadata(path).map_err(|e| CoreError::io(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(CoreError::invalid(
            file,
            format!("is {} MB; a tracker read here is at most {} MB", meta.len() / (1024 * 1024), MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        if i as u32 >= MAX_ROWS {
            return Err(CoreError::invalid(file, format!("has more than {MAX_ROWS} lines; a tracker read here has fewer")));
        }
        let rec = rec.map_err(|e| CoreError::invalid(file.as_str(), format!("line {} cannot be read as CSV ({e})", i + 1)))?;
        let cells = rec.iter().enumerate().filter(|(_, v)| !v.trim().is_empty()).map(|(c, v)| (c as u32, Value::Text(v.to_string()))).collect();
        rows.push((i as u32, cells));
    }
    Ok(Table { rows, csv: true, sheet: String::new() })
}

fn key(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The header row and each known column's position: the first of the first 30 rows naming a
/// title column and a priority or lead column.
fn header(t: &Table) -> Option<(usize, [Option<u32>; 11])> {
    for (i, (_, cells)) in t.rows.iter().enumerate().take(30) {
        let mut at = [None; 11];
        for (c, v) in cells {
            let k = key(&v.text());
            if let Some(col) = (0..11).find(|&n| key(COLUMNS[n]) == k || ALSO[n].contains(&k.as_str())) {
                at[col].get_or_insert(*c);
            }
        }
        if at[1].is_some() && (at[0].is_some() || at[2].is_some()) {
            return Some((i, at));
        }
    }
    None
}

/// dd/mm/yyyy as ISO; anything else as given (the form's own check names it).
fn iso_date(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split('/').collect();
    match parts.as_slice() {
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 && [d, m, y].iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) => {
            format!("{y}-{m:0>2}-{d:0>2}")
        }
        // A date cell read with its time ("2026-03-31 00:00:00") keeps its date.
        _ if s.trim().len() == 19 && s.trim().as_bytes()[10] == b' ' => s.trim()[..10].to_string(),
        _ => s.trim().to_string(),
    }
}

/// Reads and checks the tracker; adds its actions unless `dry_run` or a problem (or, without
/// `allow_duplicates`, a duplicate) stands in the way. Errors are the store's own or the file's
/// as a whole; every row problem is in the result.
pub fn import(store: &mut Store, ctx: &Ctx, path: &Path, dry_run: bool, allow_duplicates: bool) -> Result<TrackerImport, CoreError> {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(); // a path always has a name here
    let t = read_table(path)?;
    let (head, at) = header(&t).ok_or_else(|| {
        CoreError::invalid(file.as_str(), "has no header row naming a Title (or Action) column and a Priority or Lead column in its first 30 rows")
    })?;
    for (n, name) in [(0, "Priority"), (2, "Lead")] {
        if at[n].is_none() {
            return Err(CoreError::invalid(file.as_str(), format!("has no {name} column (row {} is its header)", t.rows[head].0 + 1)));
        }
    }
    let plan = store.plan_summary(ctx.today)?;
    let priorities: Vec<(String, String)> = plan.themes.iter().flat_map(|th| th.priorities.iter().map(|p| (p.reference.clone(), key(&p.title)))).collect();
    let partners: Vec<(String, String)> = plan.partners.iter().map(|p| (p.short_name.clone(), key(&p.name))).collect();
    let existing: HashSet<(String, String)> = store.list_actions()?.into_iter().map(|a| (a.priority, key(&a.title))).collect();
    let mut out = TrackerImport { file: file.clone(), rows: vec![], problems: vec![], duplicates: vec![], applied: false, backup: None };
    let mut new = Vec::new();
    let mut seen: HashMap<(String, String), u32> = HashMap::new();
    for (row, cells) in t.rows.iter().skip(head + 1) {
        let cell = |n: usize| at[n].and_then(|c| cells.get(&c));
        let text = |n: usize| cell(n).map(|v| v.text().trim().to_string()).unwrap_or_default(); // an absent column or empty cell: no text
        if (0..11).all(|n| text(n).is_empty()) {
            continue;
        }
        let name = |n: usize| t.name(*row, at[n].unwrap_or(0), COLUMNS[n]); // a column not in the file is named by its first cell
        let mut bad = |n: usize, message: String| out.problems.push(FieldError { field: name(n), message });
        if let Some(n) = (0..11).find(|&n| matches!(cell(n), Some(Value::Formula(_)))) {
            bad(n, format!("holds a formula ({}); type the value instead", text(n)));
            continue;
        }
        // The priority by its ref ("1.2"), its ref and title ("1.2 Tackling…"), or its title.
        let given = text(0);
        let priority = priorities
            .iter()
            .find(|(r, title)| *r == given || given.split_whitespace().next() == Some(r.as_str()) || *title == key(&given))
            .map(|(r, _)| r.clone());
        let by_name = |s: &str| partners.iter().find(|(short, full)| short.eq_ignore_ascii_case(s.trim()) || *full == key(s)).map(|(short, _)| short.clone());
        let lead = by_name(&text(2));
        let supporting: Vec<Option<String>> = text(3).split([',', ';']).map(str::trim).filter(|s| !s.is_empty()).map(by_name).collect();
        let mut ok = true;
        if priority.is_none() && !given.is_empty() {
            bad(0, format!("\"{given}\" is not a priority of the plan; use its ref, e.g. 1.2"));
            ok = false;
        }
        if lead.is_none() && !text(2).is_empty() {
            bad(2, format!("\"{}\" is not a partner of the plan; use its short or full name", text(2)));
            ok = false;
        }
        for (s, found) in text(3).split([',', ';']).map(str::trim).filter(|s| !s.is_empty()).zip(&supporting) {
            if found.is_none() {
                bad(3, format!("\"{s}\" is not a partner of the plan"));
                ok = false;
            }
        }
        let date = |n: usize| match cell(n) {
            Some(Value::Date(d)) => iso_date(d),
            Some(v) => iso_date(&v.text()),
            None => String::new(),
        };
        let input = ActionInput {
            priority: priority.clone().unwrap_or_else(|| given.clone()),
            title: text(1),
            description: text(6),
            lead: lead.clone().unwrap_or_else(|| text(2)),
            partners: supporting.iter().flatten().cloned().collect(),
            start_date: date(4),
            due_date: date(5),
            due_quarter: String::new(),
            success_measure: text(7),
            funding: text(8).trim_start_matches('£').to_string(),
            funding_year: text(9),
        };
        let field_column = |f: &str| match f {
            "priority" => 0,
            "title" => 1,
            "lead" => 2,
            "partners" => 3,
            "start" => 4,
            "due" => 5,
            "description" => 6,
            "success_measure" => 7,
            "funding" => 8,
            "funding_year" => 9,
            _ => 1,
        };
        let mut action: Option<NewAction> = match input.parse(ctx.today) {
            Ok(a) => Some(a),
            Err(CoreError::InvalidFields(fs)) => {
                for f in fs.into_iter().filter(|f| ok || (f.field != "priority" && f.field != "lead")) {
                    bad(field_column(&f.field), f.message);
                }
                None
            }
            Err(e) => return Err(e),
        };
        if let Some(a) = action.as_mut() {
            a.previous_ref = text(10);
            if let Err(e) = crate::validate::text("previous ref", &a.previous_ref, crate::validate::SHORT) {
                bad(10, e.to_string());
                action = None;
            }
        }
        if let Some(a) = action.filter(|_| ok) {
            if let Err(e) = store.check_action_against_plan(&a) {
                match e {
                    CoreError::Invalid { field, message } => bad(field_column(&field), message),
                    other => return Err(other),
                }
                continue;
            }
            let k = (a.priority.clone(), key(&a.title));
            if existing.contains(&k) {
                out.duplicates.push(FieldError { field: name(1), message: format!("{} \"{}\" is already in the plan", a.priority, a.title) });
            } else if let Some(first) = seen.get(&k) {
                out.duplicates.push(FieldError { field: name(1), message: format!("repeats row {first} ({} \"{}\")", a.priority, a.title) });
            }
            seen.entry(k).or_insert(row + 1);
            out.rows.push(TrackerRow {
                row: row + 1,
                priority: a.priority.clone(),
                title: a.title.clone(),
                lead: a.lead.clone(),
                previous_ref: a.previous_ref.clone(),
                new_ref: None,
            });
            new.push(a);
        }
    }
    if new.is_empty() && out.problems.is_empty() {
        out.problems.push(FieldError { field: file.clone(), message: "has no actions under its header row".into() });
    }
    if dry_run || !out.problems.is_empty() || (!out.duplicates.is_empty() && !allow_duplicates) {
        return Ok(out);
    }
    let backup = store.backup_rolling("before-tracker-import")?;
    out.backup = Some(backup.display().to_string());
    let refs = store.add_actions(ctx, &new)?;
    for (r, new_ref) in out.rows.iter_mut().zip(refs) {
        r.new_ref = Some(new_ref);
    }
    out.applied = true;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_dates_read_as_iso_and_a_date_cells_time_is_dropped() {
        assert_eq!(iso_date("31/3/2027"), "2027-03-31");
        assert_eq!(iso_date("01/04/2026"), "2026-04-01");
        assert_eq!(iso_date("2026-03-31 00:00:00"), "2026-03-31");
        assert_eq!(iso_date("next year"), "next year", "not a date: left for the form's check to name");
    }
}
