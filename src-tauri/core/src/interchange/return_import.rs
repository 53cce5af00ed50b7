//! Merging partners' returns back in (`ccsp returns import`, the Returns screen): every file
//! read and every row checked before anything is written, then a preview per action and, when
//! nothing stands in the way, one transaction after a backup (PRODUCT.md "imports from
//! outside").
//!
//! A file is trusted through its hidden sheet (`returns::TRUST_SHEET`): the format, the store
//! and plan it came from, the quarter and partner, each row's cells as made, and a checksum
//! over them. Cells of the Return sheet are found through its header names, not fixed
//! positions, so a workbook re-saved by Excel or LibreOffice (or with rows deleted or
//! re-ordered) still reads. A row is:
//!
//! - **new** or **changed** (old → new), **unchanged**, or **not filled in** (left empty);
//! - **invalid**, with its cell and problem: a status that is not one, a formula, a locked cell
//!   edited, a ref not in the workbook or led by another partner, a duplicated row, text too
//!   long, the RAG rules broken (`rule_breaking`: `--drafts` keeps those as incomplete drafts);
//! - a **conflict**: the store has a different update entered since the workbook was made, not
//!   by an earlier import of this same workbook (a partner re-sending is not a conflict);
//!   `--overwrite` takes the partner's version.
//!
//! Any problem and nothing is applied (exit 2 for a bad file or row, 3 for a signed-off quarter
//! or an unresolved conflict), unless the coordinator chose `--skip-invalid` (the valid rows
//! apply; the others are listed and audited) or `--drafts` / `--overwrite`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::returns::{checksum, identity, normalised, CHECKED_KEYS, COLUMNS, FILLED_IN, FORMAT, FORMAT_VERSION, RETURN_SHEET, TRUST_KEYS, TRUST_SHEET};
use super::workbook::{Grid, Source, Value};
use crate::domain::update::problems;
use crate::domain::{Quarter, QuarterState, Rag};
use crate::error::CoreError;
use crate::store::{Ctx, ReturnReceipt, ReturnSkip, ReturnWrite, SetUpdate, Store};
use crate::validate::{text, LONG, SHORT};

/// The coordinator's informed choices: for every row (the CLI's flags) or row by row (the
/// app's preview), by the action's ref.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Read and check only; change nothing.
    pub dry_run: bool,
    /// Apply the valid rows; list (and audit) the others.
    pub skip_invalid: bool,
    /// Keep rows that break the RAG rules as incomplete drafts, as the app's own entry does.
    pub drafts: bool,
    /// Take the partner's version where the store changed since the workbook was made.
    pub overwrite: bool,
    /// Choices for single rows, by ref, on top of the above.
    pub rows: BTreeMap<String, RowChoice>,
}

/// A choice for one row of the preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowChoice {
    /// Leave the row out (a row with a problem, a conflict kept as the store has it, or any
    /// row the coordinator does not want); listed in the audit trail.
    Skip,
    /// Keep a row that breaks the RAG rules as an incomplete draft.
    Draft,
    /// Take the partner's version of a conflict.
    Overwrite,
}

impl Choices {
    fn row(&self, reference: &str) -> Option<RowChoice> {
        self.rows.get(reference).copied()
    }
    fn drafts_for(&self, reference: &str) -> bool {
        self.drafts || self.row(reference) == Some(RowChoice::Draft)
    }
    fn overwrite_for(&self, reference: &str) -> bool {
        self.overwrite || self.row(reference) == Some(RowChoice::Overwrite)
    }
}

/// What happens to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    New,
    Changed,
    Unchanged,
    NotFilledIn,
    /// Kept as an incomplete draft (`--drafts`).
    Draft,
    Invalid,
    /// Invalid and left out (`--skip-invalid`).
    Skipped,
    Conflict,
}

/// An update's four values, as the preview shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReturnValues {
    pub rag: Option<Rag>,
    pub commentary: String,
    pub next_steps: String,
    pub reported_by: String,
}

/// One row of one returned workbook.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReturnRowPreview {
    pub file: String,
    pub partner: String,
    pub reference: String,
    pub title: String,
    /// The cell the outcome is about: the problem's cell, else the status cell (`Return!G8`).
    pub cell: String,
    pub outcome: RowOutcome,
    /// What the store holds now.
    pub before: Option<ReturnValues>,
    /// What the return says.
    pub after: Option<ReturnValues>,
    pub problem: Option<String>,
    /// The RAG rules are broken, and nothing else is wrong (`--drafts` keeps it as a draft).
    pub rule_breaking: bool,
    /// The store's update changed since the workbook was made (`--overwrite` takes the
    /// partner's version; left out, the store's stays), whatever was chosen.
    pub conflict: bool,
    /// A conflict resolved by taking the partner's version (`--overwrite`).
    pub overwrites: bool,
}

/// A problem with a whole file (it cannot be read or trusted), or with the quarter.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReturnFileProblem {
    pub file: String,
    /// `ccsp!B8`, `Return!C3`, when the problem has a cell.
    pub cell: Option<String>,
    pub problem: String,
    /// Refused by the record's state (a signed-off quarter): exit 3, never skipped.
    pub refused: bool,
}

/// One file as read.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReturnFilePreview {
    pub file: String,
    pub partner: String,
    /// When the workbook was made (UTC, ISO 8601).
    pub made_at: String,
    pub rows: u32,
}

/// The whole import: what was read, what happens to each row, and whether it was applied.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReturnsImport {
    pub quarter: String,
    pub files: Vec<ReturnFilePreview>,
    pub rows: Vec<ReturnRowPreview>,
    pub problems: Vec<ReturnFileProblem>,
    /// Files set aside by `--skip-invalid`, with their problems.
    pub left_out: Vec<ReturnFileProblem>,
    pub dry_run: bool,
    pub applied: bool,
    /// The backup taken before applying.
    pub backup: Option<String>,
}

impl ReturnsImport {
    fn counts(&self, o: RowOutcome) -> usize {
        self.rows.iter().filter(|r| r.outcome == o).count()
    }

    /// Rows with a problem nobody chose to set aside, and files that cannot be read.
    pub fn invalid(&self) -> usize {
        self.counts(RowOutcome::Invalid) + self.problems.iter().filter(|p| !p.refused).count()
    }

    pub fn conflicts(&self) -> usize {
        self.counts(RowOutcome::Conflict)
    }

    /// Whether anything stands in the way of applying.
    pub fn blocked(&self) -> bool {
        self.invalid() > 0 || self.conflicts() > 0 || self.problems.iter().any(|p| p.refused)
    }

    /// The CLI's exit code (PRODUCT.md): 0 applied (or would apply), 2 a bad file or row,
    /// 3 refused by the record's state (a signed-off quarter, an unresolved conflict).
    pub fn exit_code(&self) -> u8 {
        if self.invalid() > 0 {
            2
        } else if self.blocked() {
            3
        } else {
            0
        }
    }

    /// "3 new, 2 changed, 4 unchanged, 1 not filled in".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (o, words) in [
            (RowOutcome::New, "new"),
            (RowOutcome::Changed, "changed"),
            (RowOutcome::Draft, "kept as drafts"),
            (RowOutcome::Unchanged, "unchanged"),
            (RowOutcome::NotFilledIn, "not filled in"),
            (RowOutcome::Skipped, "left out"),
            (RowOutcome::Invalid, "invalid"),
            (RowOutcome::Conflict, "in conflict"),
        ] {
            let n = self.counts(o);
            if n > 0 {
                parts.push(format!("{n} {words}"));
            }
        }
        if parts.is_empty() {
            "no rows".into()
        } else {
            parts.join(", ")
        }
    }
}

/// What the hidden sheet says about the file.
struct Trusted {
    partner: String,
    made_at: String,
    /// Each row's ten cells as made, by ref.
    rows: HashMap<String, [String; 10]>,
}

fn problem(file: &str, cell: Option<String>, what: impl Into<String>) -> ReturnFileProblem {
    ReturnFileProblem { file: file.to_string(), cell, problem: what.into(), refused: false }
}

const FRESH: &str = "send the partner a fresh workbook (`ccsp returns make`)";

/// Reads and checks the hidden sheet.
fn read_trusted(store: &Store, file: &str, g: &Grid, q: Quarter, plan_title: &str, partners: &[String]) -> Result<Trusted, ReturnFileProblem> {
    if let Some(((r, c), f)) = g.cells.iter().find(|(_, v)| matches!(v, Value::Formula(_))) {
        return Err(problem(file, Some(g.address(*r, *c)), format!("the hidden {TRUST_SHEET} sheet was altered (it holds a formula, {}); {FRESH}", f.text())));
    }
    let mut pairs = HashMap::new();
    for row in 0..TRUST_KEYS.len() as u32 {
        pairs.insert(g.text(row, 0), g.text(row, 1));
    }
    let get = |k: &str| pairs.get(k).cloned().unwrap_or_default(); // a missing key reads as empty and fails the checks below
    if get("format") != FORMAT {
        return Err(problem(file, Some(g.address(0, 1)), format!("is not a CCSP return workbook (its {TRUST_SHEET} sheet is not one CCSP Coordinator made)")));
    }
    match get("version").parse::<u32>() {
        Ok(v) if v == FORMAT_VERSION => {}
        Ok(v) if v > FORMAT_VERSION => {
            return Err(problem(file, Some(g.address(1, 1)), format!("was made by a newer CCSP Coordinator (return format {v}); update the app to read it")))
        }
        _ => {
            return Err(problem(
                file,
                Some(g.address(1, 1)),
                format!("the hidden {TRUST_SHEET} sheet was altered (its format version cannot be read); {FRESH}"),
            ))
        }
    }
    let count: usize = get("rows").parse().map_err(|_| problem(file, Some(g.address(8, 1)), format!("the hidden {TRUST_SHEET} sheet was altered; {FRESH}")))?;
    let header = super::returns::TRUST_ROWS_HEADER;
    let mut rows = HashMap::new();
    let mut values: Vec<String> = TRUST_KEYS[..CHECKED_KEYS].iter().map(|k| normalised(&get(k))).collect();
    for i in 0..count as u32 {
        let cells: [String; 10] = std::array::from_fn(|c| normalised(&g.get(header + 1 + i, c as u32).map(Value::text).unwrap_or_default())); // an empty cell was written as no text
        values.extend(cells.iter().cloned());
        rows.insert(cells[0].clone(), cells);
    }
    if checksum(&values) != get("checksum") || rows.len() != count || g.height > header + 1 + count as u32 {
        return Err(problem(
            file,
            Some(g.address(7, 1)),
            format!("the hidden {TRUST_SHEET} sheet was altered (its checksum does not match what it holds), so the workbook cannot be trusted; {FRESH}"),
        ));
    }
    let store_id = store.store_id().map_err(|e| problem(file, None, e.to_string()))?;
    if get("store") != store_id {
        let theirs: String = get("store").chars().take(8).collect();
        return Err(problem(file, Some(g.address(2, 1)), format!("was made by another CCSP store (id {theirs}…), not this one: it cannot be merged here")));
    }
    if get("plan") != normalised(plan_title) {
        return Err(problem(file, Some(g.address(3, 1)), format!("was made for the plan \"{}\", not this store's \"{plan_title}\"", get("plan"))));
    }
    let theirs =
        Quarter::parse(&get("quarter")).map_err(|_| problem(file, Some(g.address(4, 1)), format!("the hidden {TRUST_SHEET} sheet was altered; {FRESH}")))?;
    if theirs != q {
        return Err(problem(
            file,
            Some(g.address(4, 1)),
            format!("is the return for {theirs}, not {q} (import it for its own quarter with --quarter {})", theirs.code()),
        ));
    }
    let partner = get("partner");
    if !partners.contains(&partner) {
        return Err(problem(file, Some(g.address(5, 1)), format!("is for {partner}, who is no longer a partner of the plan")));
    }
    Ok(Trusted { partner, made_at: get("made"), rows })
}

/// The header row of the Return sheet and each column's position, found by name.
fn find_columns(file: &str, g: &Grid) -> Result<(u32, [u32; 10]), ReturnFileProblem> {
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let wanted: Vec<String> = COLUMNS.iter().map(|c| key(c)).collect();
    for row in 0..g.height.min(100) {
        let names: HashMap<String, u32> = g.row(row).map(|(c, v)| (key(&v.text()), c)).collect();
        if !(names.contains_key(&wanted[0]) && names.contains_key(&wanted[6])) {
            continue;
        }
        let mut at = [0u32; 10];
        for (i, w) in wanted.iter().enumerate() {
            at[i] = *names.get(w).ok_or_else(|| {
                problem(file, Some(g.address(row, 0)), format!("the {RETURN_SHEET} sheet has no \"{}\" column in its header row (row {})", COLUMNS[i], row + 1))
            })?;
        }
        return Ok((row, at));
    }
    Err(problem(file, None, format!("the {RETURN_SHEET} sheet has no header row (Ref … Status this quarter … Reported by); {FRESH}")))
}

/// Reads, checks and previews the returned workbooks for `q`; applies them unless
/// `choices.dry_run` or something stands in the way. Errors only for the store itself (a
/// failed backup or write); every problem with the files is in the result.
pub fn import(store: &mut Store, ctx: &Ctx, files: &[Source], q: Quarter, choices: Choices) -> Result<ReturnsImport, CoreError> {
    let summary = store.plan_summary(ctx.today)?;
    let mut out = ReturnsImport {
        quarter: q.code(),
        files: vec![],
        rows: vec![],
        problems: vec![],
        left_out: vec![],
        dry_run: choices.dry_run,
        applied: false,
        backup: None,
    };
    let quarter_problem = match summary.quarters.iter().find(|s| s.code == q.code()).map(|s| s.state) {
        None => Some((false, format!("{q} is not a quarter of the plan"))),
        Some(QuarterState::NotStarted) => Some((false, format!("{q} has not started yet"))),
        Some(QuarterState::SignedOff) => {
            Some((true, format!("{q} is signed off, so its record cannot change; reopen it with `ccsp quarter reopen {} --reason ...` first", q.code())))
        }
        Some(QuarterState::Open) => None,
    };
    let partners: Vec<String> = summary.partners.iter().map(|p| p.short_name.clone()).collect();
    let partner_names: HashMap<&str, &str> = summary.partners.iter().map(|p| (p.short_name.as_str(), p.name.as_str())).collect();
    let actions = store.list_actions()?;
    let lead_of: HashMap<&str, (&str, &str)> = actions.iter().map(|a| (a.reference.as_str(), (a.lead.as_str(), a.title.as_str()))).collect();
    let current: HashMap<String, crate::domain::Update> = store.updates_for(q)?.into_iter().map(|u| (u.action.clone(), u)).collect();
    let sources = store.update_sources(q)?;
    let mut receipts: Vec<ReturnReceipt> = Vec::new();
    let mut seen_in: HashMap<String, String> = HashMap::new();
    let mut seen_books: HashSet<String> = HashSet::new();

    for source in files {
        let file = source.name();
        if let Some((refused, why)) = &quarter_problem {
            out.problems.push(ReturnFileProblem { file: file.clone(), cell: None, problem: why.clone(), refused: *refused });
        }
        let mut book = match source.open() {
            Ok(b) => b,
            Err(e) => {
                out.problems.push(problem(&file, None, file_message(&file, e)));
                continue;
            }
        };
        let Some(trust_name) = book.find_sheet(TRUST_SHEET).map(|s| s.name.clone()) else {
            out.problems.push(problem(
                &file,
                None,
                format!("has no hidden {TRUST_SHEET} sheet: it was not made by `ccsp returns make`, or the sheet was deleted; {FRESH}"),
            ));
            continue;
        };
        let trusted = match book
            .grid(&trust_name)
            .map_err(|e| problem(&file, None, file_message(&file, e)))
            .and_then(|g| read_trusted(store, &file, &g, q, &summary.plan.title, &partners))
        {
            Ok(t) => t,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        let workbook = identity(&trusted.partner, &trusted.made_at);
        if !seen_books.insert(workbook.clone()) {
            out.problems.push(problem(
                &file,
                None,
                format!("is the same workbook as another file given (the {} return made {})", trusted.partner, trusted.made_at),
            ));
            continue;
        }
        let Some(return_name) = book.find_sheet(RETURN_SHEET).map(|s| s.name.clone()) else {
            out.problems.push(problem(&file, None, format!("has no {RETURN_SHEET} sheet; {FRESH}")));
            continue;
        };
        let g = match book.grid(&return_name) {
            Ok(g) => g,
            Err(e) => {
                out.problems.push(problem(&file, None, file_message(&file, e)));
                continue;
            }
        };
        let (header, at) = match find_columns(&file, &g) {
            Ok(x) => x,
            Err(p) => {
                out.problems.push(p);
                continue;
            }
        };
        // A formula anywhere above or beside the rows: named, not read.
        if let Some(((r, c), f)) = g.cells.iter().find(|((r, _), v)| *r <= header && matches!(v, Value::Formula(_))) {
            out.problems.push(problem(&file, Some(g.address(*r, *c)), format!("holds a formula ({}); the workbook takes typed text only", f.text())));
            continue;
        }
        out.files.push(ReturnFilePreview {
            file: file.clone(),
            partner: trusted.partner.clone(),
            made_at: trusted.made_at.clone(),
            rows: trusted.rows.len() as u32,
        });
        let partner_name = partner_names.get(trusted.partner.as_str()).copied().unwrap_or(&trusted.partner);

        // Every data row with a ref; refs seen more than once are all invalid.
        let data: Vec<u32> = (header + 1..g.height).filter(|r| g.row(*r).next().is_some()).collect();
        let mut times: HashMap<String, Vec<u32>> = HashMap::new();
        for r in &data {
            times.entry(g.text(*r, at[0])).or_default().push(*r);
        }
        let mut receipt = ReturnReceipt {
            quarter: q,
            partner: trusted.partner.clone(),
            workbook: workbook.clone(),
            file_name: file.clone(),
            writes: vec![],
            skipped: vec![],
        };
        for r in data {
            let reference = g.text(r, at[0]);
            let status_cell = g.address(r, at[6]);
            let mut row = ReturnRowPreview {
                file: file.clone(),
                partner: trusted.partner.clone(),
                reference: reference.clone(),
                title: lead_of.get(reference.as_str()).map(|(_, t)| t.to_string()).unwrap_or_default(), // not an action: the problem says so
                cell: status_cell.clone(),
                outcome: RowOutcome::Invalid,
                before: current.get(&reference).map(|u| ReturnValues {
                    rag: u.rag,
                    commentary: u.commentary.clone(),
                    next_steps: u.next_steps.clone(),
                    reported_by: u.reported_by.clone(),
                }),
                after: None,
                problem: None,
                rule_breaking: false,
                conflict: false,
                overwrites: false,
            };
            let invalid = |row: &mut ReturnRowPreview, cell: String, why: String| {
                row.cell = cell;
                row.problem = Some(why);
            };
            let made = trusted.rows.get(&reference);
            if reference.is_empty() {
                invalid(&mut row, g.address(r, at[0]), "a row with no ref: rows cannot be added to a return".into());
            } else if made.is_none() {
                let why = match lead_of.get(reference.as_str()) {
                    Some((lead, _)) if *lead != trusted.partner => {
                        format!("{reference} is led by {lead}, not {}: this return cannot report it", trusted.partner)
                    }
                    Some(_) => format!("{reference} was not in this workbook when it was made (rows cannot be added); {FRESH}"),
                    None => format!("{reference} is not an action of the plan"),
                };
                invalid(&mut row, g.address(r, at[0]), why);
            } else if times.get(&reference).is_some_and(|t| t.len() > 1) {
                let rows: Vec<String> = times[&reference].iter().map(|x| (x + 1).to_string()).collect();
                invalid(&mut row, g.address(r, at[0]), format!("{reference} appears more than once (rows {}): delete the extra rows", rows.join(", ")));
            } else if let Some(other) = seen_in.get(&reference) {
                invalid(&mut row, g.address(r, at[0]), format!("{reference} is also in {other}: give one return per action"));
            } else if let Some(problem) = check_row(&g, r, &at, made.map(|m| &m[..]).unwrap_or(&[])) {
                let (cell, why) = problem;
                invalid(&mut row, cell, why);
            }
            if row.problem.is_none() {
                seen_in.insert(reference.clone(), file.clone());
                let write = decide(
                    store,
                    ctx,
                    &mut row,
                    &g,
                    r,
                    &at,
                    made.map(|m| &m[..]).unwrap_or(&[]),
                    &workbook,
                    sources.get(&reference),
                    partner_name,
                    q,
                    quarter_problem.is_some(),
                    &choices,
                )?;
                if choices.row(&reference) != Some(RowChoice::Skip) {
                    receipt.writes.extend(write);
                }
            }
            let chosen_skip = choices.row(&reference) == Some(RowChoice::Skip)
                && matches!(row.outcome, RowOutcome::Invalid | RowOutcome::Conflict | RowOutcome::New | RowOutcome::Changed | RowOutcome::Draft);
            if chosen_skip || (row.outcome == RowOutcome::Invalid && choices.skip_invalid) {
                let why = match (row.outcome, &row.problem) {
                    (RowOutcome::Conflict, Some(p)) => format!("{p} (kept the store's version)"),
                    (_, Some(p)) => p.clone(),
                    _ => "left out by the coordinator's choice".to_string(),
                };
                row.outcome = RowOutcome::Skipped;
                row.overwrites = false;
                row.problem = Some(why.clone());
                receipt.skipped.push(ReturnSkip { reference: reference.clone(), cell: row.cell.clone(), problem: why });
            }
            out.rows.push(row);
        }
        receipts.push(receipt);
    }
    if choices.skip_invalid {
        // Files that cannot be read or trusted are set aside too, and listed; a refusal by the
        // record's state (a signed-off quarter) is not.
        let (refused, left): (Vec<_>, Vec<_>) = std::mem::take(&mut out.problems).into_iter().partition(|p| p.refused);
        out.problems = refused;
        out.left_out = left;
    }
    if out.blocked() || choices.dry_run || receipts.is_empty() {
        return Ok(out);
    }
    let backup = store.backup_rolling("before-returns")?;
    out.backup = Some(backup.display().to_string());
    store.apply_returns(ctx, &receipts)?;
    out.applied = true;
    Ok(out)
}

/// A file's problem without its name (the listing names the file).
fn file_message(file: &str, e: CoreError) -> String {
    match e {
        CoreError::Invalid { field, message } if field == file => message,
        other => other.to_string(),
    }
}

/// The cell-level checks of one row: formulas, locked cells, the status cell's kind, lengths.
fn check_row(g: &Grid, r: u32, at: &[u32; 10], made: &[String]) -> Option<(String, String)> {
    for (i, c) in at.iter().enumerate() {
        if let Some(Value::Formula(f)) = g.get(r, *c) {
            return Some((g.address(r, *c), format!("holds a formula ({f}) in {}; type the text instead", COLUMNS[i])));
        }
    }
    for i in 1..FILLED_IN.start as usize {
        let now = normalised(&g.get(r, at[i]).map(Value::text).unwrap_or_default()); // an empty cell reads as no text
        if made.get(i).is_some_and(|m| *m != now) {
            return Some((
                g.address(r, at[i]),
                format!(
                    "the locked {} cell was changed (it was \"{}\"): the sheet's protection was removed; only the last four columns can be filled in",
                    COLUMNS[i], made[i]
                ),
            ));
        }
    }
    match g.get(r, at[6]) {
        None => {}
        Some(Value::Text(t)) if Rag::parse(t).is_err() => {
            return Some((g.address(r, at[6]), format!("\"{}\" is not a status; choose {}", t.trim(), status_words())));
        }
        Some(Value::Text(_)) => {}
        Some(v) => return Some((g.address(r, at[6]), format!("holds {} ({}), not a status; choose {}", v.kind(), v.text(), status_words()))),
    }
    for (i, max) in [(7, LONG), (8, LONG), (9, SHORT)] {
        if let Err(e) = text(COLUMNS[i], &g.text(r, at[i]), max) {
            return Some((g.address(r, at[i]), e.to_string()));
        }
    }
    None
}

fn status_words() -> String {
    let words: Vec<&str> = Rag::ALL.iter().map(|r| r.label()).collect();
    format!("one of {}", words.join(", "))
}

/// Decides a checked row's outcome against the store and the rules; returns the write, if any.
#[allow(clippy::too_many_arguments)]
fn decide(
    store: &Store,
    ctx: &Ctx,
    row: &mut ReturnRowPreview,
    g: &Grid,
    r: u32,
    at: &[u32; 10],
    made: &[String],
    workbook: &str,
    source: Option<&String>,
    partner_name: &str,
    q: Quarter,
    quarter_closed: bool,
    choices: &Choices,
) -> Result<Option<ReturnWrite>, CoreError> {
    let cell = |i: usize| g.text(r, at[i]);
    let (status, commentary, next_steps, reported_by) = (cell(6), normalised(&cell(7)), normalised(&cell(8)), cell(9));
    if status.is_empty() && commentary.is_empty() && next_steps.is_empty() && reported_by.is_empty() {
        row.outcome = RowOutcome::NotFilledIn;
        return Ok(None);
    }
    // Checked by `check_row`: an empty status or a word the scale knows.
    let rag = if status.is_empty() { None } else { Rag::parse(&status).ok() };
    let reported_by = if reported_by.is_empty() { partner_name.to_string() } else { reported_by };
    let after = ReturnValues { rag, commentary: commentary.clone(), next_steps: next_steps.clone(), reported_by: reported_by.clone() };
    row.after = Some(after.clone());
    let input = SetUpdate { action: row.reference.clone(), quarter: None, rag, commentary, next_steps, reported_by: Some(reported_by.clone()) };
    if !quarter_closed {
        if let Err(e) = store.check_update(ctx, &input, q, &reported_by) {
            row.problem = Some(match e {
                CoreError::Invalid { message, .. } => message,
                other => other.to_string(),
            });
            return Ok(None);
        }
    }
    let broken = problems(rag, &input.commentary, &input.next_steps);
    let draft = !broken.is_empty();
    row.rule_breaking = draft;
    if draft {
        // Kept as a draft or not, the preview says which rule and cell.
        let cell_of = |field: &str| match field {
            "commentary" => 7,
            "next-steps" => 8,
            _ => 6,
        };
        row.cell = g.address(r, at[cell_of(broken[0].field)]);
        row.problem = Some(broken.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; "));
        if !choices.drafts_for(&row.reference) {
            return Ok(None);
        }
    }
    let same = |v: &ReturnValues, x: &ReturnValues| {
        normalised(&v.commentary) == normalised(&x.commentary)
            && normalised(&v.next_steps) == normalised(&x.next_steps)
            && v.rag == x.rag
            && normalised(&v.reported_by) == normalised(&x.reported_by)
    };
    let prefilled = ReturnValues {
        rag: if made[6].is_empty() { None } else { Rag::parse(&made[6]).ok() }, // the hidden sheet's status, checked by its checksum
        commentary: made[7].clone(),
        next_steps: made[8].clone(),
        reported_by: made[9].clone(),
    };
    match &row.before {
        Some(b) if same(b, &after) => {
            row.outcome = RowOutcome::Unchanged;
            return Ok(None);
        }
        Some(b) => {
            // The store still holds what the workbook was made with (a workbook made with no
            // update pre-filled, when the store now has one, was overtaken).
            let unchanged_since_made = made[6..10].iter().any(|m| !m.is_empty()) && same(b, &prefilled);
            let from_this_workbook = source.is_some_and(|s| s == workbook);
            if !unchanged_since_made && !from_this_workbook {
                row.conflict = true;
                if !choices.overwrite_for(&row.reference) {
                    row.outcome = RowOutcome::Conflict;
                    row.problem = Some(format!(
                        "the store's update for {} changed since the workbook was made (it now says {}); --overwrite takes the partner's version",
                        row.reference,
                        b.rag.map(|r| r.label()).unwrap_or("no status")
                    ));
                    return Ok(None);
                }
                row.overwrites = true;
            }
            row.outcome = if draft { RowOutcome::Draft } else { RowOutcome::Changed };
        }
        None => row.outcome = if draft { RowOutcome::Draft } else { RowOutcome::New },
    }
    Ok(Some(ReturnWrite { update: SetUpdate { quarter: Some(q), ..input }, quarter: q, draft }))
}
