//! Partners' quarterly returns as Excel workbooks: one per lead partner, with the actions the
//! partner leads that owe a return that quarter (`domain::update::owes_return`). The partner
//! fills in four unlocked columns (status from a drop-down, commentary, next steps, who
//! reported) and emails it back; `returns import` (to come) merges it.
//!
//! Each workbook: sheet **Return** (first and active: a title block, then the header row and
//! one row per action; protected without a password, only the four columns unlocked; status in
//! colour and word; frozen header, wrapped text, A4 landscape with the header row repeated),
//! sheet **Guidance** (the scale, the rules, whom to send it to), and a very hidden sheet
//! `ccsp` holding what the import needs to trust the file: the store's id, plan, quarter,
//! partner, format version, each row's ref and pre-filled values, and a checksum over those
//! values (not formatting or visibility, which a spreadsheet program may change on saving).
//! Every sheet's header carries the protective marking.

use chrono::NaiveDate;
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use crate::domain::{Quarter, Rag};
use crate::error::CoreError;
use crate::store::{SheetRow, Store, UpdateCell};

/// What the hidden sheet says the file is, and its layout's version.
pub const FORMAT: &str = "ccsp-return";
pub const FORMAT_VERSION: u32 = 1;
/// The hidden sheet's name.
pub const TRUST_SHEET: &str = "ccsp";
pub const RETURN_SHEET: &str = "Return";
pub const GUIDANCE_SHEET: &str = "Guidance";

/// The Return sheet's columns, in order; the import finds cells by these names.
pub const COLUMNS: [&str; 10] = [
    "Ref",
    "Action",
    "Priority",
    "Due",
    "Last quarter status",
    "Last quarter commentary",
    "Status this quarter",
    "Commentary",
    "Next steps / mitigation",
    "Reported by",
];
/// The columns the partner fills in (the rest are locked).
pub const FILLED_IN: std::ops::Range<u16> = 6..10;
/// The row (from 0) of the header: the title block is above it.
pub const HEADER_ROW: u32 = 6;
/// The hidden sheet: `key, value` pairs from row 0, then from this row the header (`COLUMNS`)
/// and each row's cells as made.
pub const TRUST_ROWS_HEADER: u32 = 10;
/// The hidden sheet's keys, in order.
pub const TRUST_KEYS: [&str; 9] = ["format", "version", "store", "plan", "quarter", "partner", "made", "checksum", "rows"];
/// How many of `TRUST_KEYS` the checksum covers (the rest are the checksum and the row count).
pub const CHECKED_KEYS: usize = 7;

/// One action's row: what is shown, and what the store already holds for the quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnRow {
    pub reference: String,
    pub action: String,
    pub priority: String,
    pub due: String,
    pub last_status: Option<Rag>,
    pub last_commentary: String,
    /// Pre-filled from an update already in the store for the quarter (a partial return
    /// sent again).
    pub status: Option<Rag>,
    pub commentary: String,
    pub next_steps: String,
    pub reported_by: String,
}

/// One partner's workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnBook {
    pub store_id: String,
    pub partnership: String,
    pub plan: String,
    pub quarter: Quarter,
    pub partner: String,
    pub partner_name: String,
    pub return_by: NaiveDate,
    /// Whom to send it back to (Settings), else the coordinator.
    pub return_to: Option<String>,
    pub marking: String,
    /// When it was made (UTC, RFC 3339).
    pub made_at: String,
    pub rows: Vec<ReturnRow>,
}

impl ReturnBook {
    /// `CCSP-return-2026-27-Q3-WMP.xlsx`: the partner's short name made safe for a file name.
    pub fn file_name(&self) -> String {
        let safe: String = self.partner.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
        format!("CCSP-return-{}-{}.xlsx", self.quarter.code(), safe.trim_matches('-'))
    }

    /// The values the hidden sheet holds, normalised (trimmed, line ends as `\n`), in order:
    /// what the checksum covers.
    pub fn trusted_values(&self) -> Vec<String> {
        self.head().into_iter().chain(self.rows.iter().flat_map(|r| r.values())).map(|s| normalised(&s)).collect()
    }

    /// The hidden sheet's first values, those the checksum covers: `TRUST_KEYS[..CHECKED_KEYS]`.
    fn head(&self) -> [String; CHECKED_KEYS] {
        [
            FORMAT.to_string(),
            FORMAT_VERSION.to_string(),
            self.store_id.clone(),
            self.plan.clone(),
            self.quarter.code(),
            self.partner.clone(),
            self.made_at.clone(),
        ]
    }

    /// The workbook's identity: its partner and the instant it was made. Kept with every
    /// update it writes, so the same workbook sent again is not a conflict.
    pub fn identity(&self) -> String {
        identity(&self.partner, &self.made_at)
    }
}

/// `WMP 2026-12-01T10:00:00Z`: a workbook's identity (`ReturnBook::identity`).
pub fn identity(partner: &str, made_at: &str) -> String {
    format!("{partner} {made_at}")
}

/// A cell's text as the checksum and the comparisons see it: trimmed, line ends as `\n`
/// (spreadsheet programs may save either).
pub fn normalised(s: &str) -> String {
    s.replace("\r\n", "\n").trim().to_string()
}

impl ReturnRow {
    /// The row's cells, in `COLUMNS` order: what the Return sheet shows and the hidden sheet
    /// keeps, so the import can tell a locked cell changed and what was pre-filled.
    pub fn values(&self) -> [String; 10] {
        let word = |s: Option<Rag>| s.map(|s| s.label().to_string()).unwrap_or_default(); // no status yet: an empty cell
        [
            self.reference.clone(),
            self.action.clone(),
            self.priority.clone(),
            self.due.clone(),
            word(self.last_status),
            self.last_commentary.clone(),
            word(self.status),
            self.commentary.clone(),
            self.next_steps.clone(),
            self.reported_by.clone(),
        ]
    }
}

/// A workbook written into a folder, with the covering message to send with it.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct MadeReturn {
    pub partner: String,
    pub partner_name: String,
    pub path: String,
    pub file_name: String,
    pub rows: u32,
    /// A ready-to-send email: its subject, and its body.
    pub subject: String,
    pub message: String,
}

/// What `make_into` wrote.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct MadeReturns {
    pub folder: String,
    pub quarter: String,
    /// "Friday 9 January 2027".
    pub return_by: String,
    pub files: Vec<MadeReturn>,
    /// The workbooks are written, but the store could not note it (read-only media): the
    /// Returns screen then lacks the "made" date. Said, not failed.
    pub log_failed: Option<String>,
}

impl ReturnBook {
    /// The covering message for the partner: quarter, return-by date, whom to send it back to.
    pub fn covering_message(&self) -> (String, String) {
        let subject = format!("{} quarterly return for {}: please return by {}", self.partnership, self.quarter, self.return_by.format("%-d %B %Y"));
        let to = self.return_to.as_deref().unwrap_or("me");
        let body = format!(
            "Dear colleague,\n\nPlease find attached the {partnership} quarterly return for {partner} for {q} ({start} to {end}), with the {n} you lead.\n\nFor each action, please choose its status this quarter from the list, write the commentary (Red and Amber need one) and the next steps or mitigation (Red needs them), and your name. Only those four columns can be changed; the Guidance sheet explains the scale.\n\nPlease save the file and send it back as it is, by {by}, to {to}.\n\nThank you.",
            partnership = self.partnership,
            partner = self.partner_name,
            q = self.quarter,
            start = long(self.quarter.start()),
            end = long(self.quarter.end()),
            n = crate::validate::count(self.rows.len(), "action"),
            by = self.return_by.format("%A %-d %B %Y"),
        );
        (subject, body)
    }
}

/// Makes the quarter's workbooks (all lead partners', or one partner's) into `dir`, made if
/// missing: every name is checked before anything is written, and an existing file refuses
/// all of them unless `replace`. Each one made is noted in the returns log.
pub fn make_into(
    store: &mut Store,
    dir: &std::path::Path,
    q: Quarter,
    today: NaiveDate,
    partner: Option<&str>,
    return_by: Option<NaiveDate>,
    replace: bool,
) -> Result<MadeReturns, CoreError> {
    let books = books(store, q, today, partner, return_by)?;
    let paths: Vec<std::path::PathBuf> = books.iter().map(|b| dir.join(b.file_name())).collect();
    if !replace {
        if let Some(p) = paths.iter().find(|p| p.exists()) {
            return Err(CoreError::AlreadyExists { path: p.clone() });
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    let bytes: Vec<Vec<u8>> = books.iter().map(write).collect::<Result<_, _>>()?;
    let mut made = MadeReturns {
        folder: dir.display().to_string(),
        quarter: q.code(),
        return_by: books.first().map(|b| b.return_by.format("%A %-d %B %Y").to_string()).unwrap_or_default(), // `books` refuses when there is none
        files: vec![],
        log_failed: None,
    };
    for ((p, b), book) in paths.iter().zip(&bytes).zip(&books) {
        crate::export::write_out(p, b, store.path(), crate::export::Write { overwrite: replace, private: false })?;
        if let Err(e) = store.log_return_made(q, &book.partner, &book.identity(), &book.file_name(), book.rows.len()) {
            made.log_failed = Some(e.to_string());
        }
        let (subject, message) = book.covering_message();
        made.files.push(MadeReturn {
            partner: book.partner.clone(),
            partner_name: book.partner_name.clone(),
            path: p.display().to_string(),
            file_name: book.file_name(),
            rows: book.rows.len() as u32,
            subject,
            message,
        });
    }
    Ok(made)
}

/// FNV-1a over the values, each ended by a unit separator: guards against a hidden sheet
/// edited by accident, not against people (the workbook is not a secret).
pub fn checksum(values: &[String]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for v in values {
        for b in v.bytes().chain([0x1f]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

fn cell(u: &Option<UpdateCell>) -> (Option<Rag>, String, String, String) {
    match u {
        Some(u) => (u.rag, u.commentary.clone(), u.next_steps.clone(), u.reported_by.clone()),
        None => (None, String::new(), String::new(), String::new()),
    }
}

/// The workbooks for a quarter: one per lead partner with actions owing a return (or only
/// `partner`'s, by short or full name). Refused for a quarter not yet started or signed off.
pub fn books(store: &Store, q: Quarter, today: NaiveDate, partner: Option<&str>, return_by: Option<NaiveDate>) -> Result<Vec<ReturnBook>, CoreError> {
    let plan = store.plan_summary(today)?;
    let summary =
        plan.quarters.iter().find(|s| s.code == q.code()).ok_or_else(|| CoreError::invalid("quarter", format!("{q} is not a quarter of the plan")))?;
    match summary.state {
        crate::domain::QuarterState::SignedOff => {
            return Err(CoreError::Refused(format!("{q} is signed off: its returns are closed (reopen it to take returns)")))
        }
        crate::domain::QuarterState::NotStarted => return Err(CoreError::Refused(format!("{q} has not started yet: there is nothing to return"))),
        crate::domain::QuarterState::Open => {}
    }
    let chosen = match partner {
        None => None,
        Some(p) => Some(
            plan.partners
                .iter()
                .find(|x| x.short_name.eq_ignore_ascii_case(p.trim()) || x.name.eq_ignore_ascii_case(p.trim()))
                .ok_or_else(|| CoreError::invalid("partner", format!("\"{}\" is not a partner of the plan", p.trim())))?
                .short_name
                .clone(),
        ),
    };
    let return_by = match return_by {
        Some(d) => d,
        None => NaiveDate::parse_from_str(&summary.schedule.returns_due, "%Y-%m-%d")
            .map_err(|_| CoreError::Damaged { path: store.path().to_path_buf(), detail: format!("the returns deadline of {q} cannot be read") })?,
    };
    let actions = store.list_actions()?;
    let sheet = store.update_sheet_over(q, today, &actions)?;
    let due: std::collections::HashMap<&str, String> =
        actions.iter().map(|a| (a.reference.as_str(), due_words(a.due_date.as_deref(), a.due_quarter.as_deref()))).collect();
    let (store_id, marking, return_to) = (store.store_id()?, store.protective_marking()?, store.return_to()?);
    let made_at = crate::paths::clock_now()?.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut out = Vec::new();
    for p in &plan.partners {
        if chosen.as_ref().is_some_and(|c| c != &p.short_name) {
            continue;
        }
        let rows: Vec<ReturnRow> = sheet.rows.iter().filter(|r| r.owes && r.lead == p.short_name).map(|r| row(r, &due)).collect();
        if rows.is_empty() && chosen.is_none() {
            continue;
        }
        out.push(ReturnBook {
            store_id: store_id.clone(),
            partnership: plan.plan.partnership.clone(),
            plan: plan.plan.title.clone(),
            quarter: q,
            partner: p.short_name.clone(),
            partner_name: p.name.clone(),
            return_by,
            return_to: return_to.clone(),
            marking: marking.clone(),
            made_at: made_at.clone(),
            rows,
        });
    }
    if out.iter().all(|b| b.rows.is_empty()) {
        return Err(CoreError::Refused(match &chosen {
            Some(c) => format!("{c} leads no action that owes a return for {q}"),
            None => format!("no action owes a return for {q}"),
        }));
    }
    Ok(out)
}

fn row(r: &SheetRow, due: &std::collections::HashMap<&str, String>) -> ReturnRow {
    let (last_status, last_commentary, _, _) = cell(&r.previous);
    let (status, commentary, next_steps, reported_by) = cell(&r.current);
    ReturnRow {
        reference: r.reference.clone(),
        action: r.title.clone(),
        priority: r.priority.clone(),
        due: due.get(r.reference.as_str()).cloned().unwrap_or_default(), // every sheet row is an action of the register
        last_status,
        last_commentary,
        status,
        commentary,
        next_steps,
        reported_by,
    }
}

fn rgb(hex: &str) -> Color {
    // The core's colours are constants, each read by the status tests.
    Color::RGB(u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0))
}

/// A header or footer's text with `&` doubled (Excel reads `&` as a code).
fn header_text(s: &str) -> String {
    s.replace('&', "&&")
}

fn xlsx(e: XlsxError) -> CoreError {
    CoreError::Refused(format!("the workbook could not be written: {e}"))
}

/// The workbook's bytes.
pub fn write(book: &ReturnBook) -> Result<Vec<u8>, CoreError> {
    write_book(book).map_err(xlsx)
}

fn marked(ws: &mut Worksheet, book: &ReturnBook) {
    let title = format!("CCSP return {} · {}", book.quarter, book.partner);
    ws.set_header(format!("&L&\"Arial,Bold\"{}&R{}", header_text(&book.marking), header_text(&title)));
    ws.set_footer("&RPage &P of &N");
}

fn write_book(book: &ReturnBook) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let base = Format::new().set_font_name("Arial").set_font_size(10);
    let wrap = base.clone().set_text_wrap().set_align(FormatAlign::Top).set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xb1b4b6));
    let locked = wrap.clone().set_background_color(Color::RGB(0xf3f2f1));
    let open = wrap.clone().set_unlocked().set_background_color(Color::White);
    let bold = base.clone().set_bold();
    let title = base.clone().set_bold().set_font_size(14).set_font_color(Color::RGB(0x0b3d6b));
    let head = base.clone().set_bold().set_font_color(Color::White).set_background_color(Color::RGB(0x0b3d6b)).set_text_wrap().set_align(FormatAlign::Top);
    let last = book.rows.len() as u32 + HEADER_ROW;

    // The Return sheet.
    let ws = wb.add_worksheet();
    ws.set_name(RETURN_SHEET)?;
    ws.set_active(true);
    ws.write_string_with_format(0, 0, format!("{} — quarterly return", book.partnership), &title)?;
    ws.write_string_with_format(1, 0, format!("Quarter: {} ({} to {})", book.quarter, long(book.quarter.start()), long(book.quarter.end())), &bold)?;
    ws.write_string_with_format(2, 0, format!("Partner: {} ({})", book.partner_name, book.partner), &bold)?;
    let to = book.return_to.as_deref().unwrap_or("the CCSP coordinator");
    ws.write_string_with_format(3, 0, format!("Please return by {} to {to}.", book.return_by.format("%A %-d %B %Y")), &bold)?;
    ws.set_row_height(4, 27.0)?;
    ws.write_string_with_format(
        4,
        0,
        "How to fill it in: for each action choose its status this quarter from the list, write the commentary (Red and Amber need one) and the next steps or mitigation (Red needs them), and your name. Only those four columns can be changed. Save the file and email it back as it is.",
        &base.clone().set_font_color(Color::RGB(0x505a5f)),
    )?;
    let widths = [9.0, 48.0, 10.0, 16.0, 14.0, 40.0, 16.0, 48.0, 40.0, 18.0];
    for (c, (name, w)) in COLUMNS.iter().zip(widths).enumerate() {
        ws.set_column_width(c as u16, w)?;
        ws.write_string_with_format(HEADER_ROW, c as u16, *name, &head)?;
    }
    for (i, r) in book.rows.iter().enumerate() {
        let at = HEADER_ROW + 1 + i as u32;
        let values = r.values();
        // Spreadsheets do not grow a row to its wrapped text by themselves: the height is set
        // from the longest cell (characters per line from the column's width), at least room
        // for three lines of commentary.
        let lines = values.iter().zip(widths).map(|(v, w)| (v.chars().count() as f64 / (w * 1.1)).ceil()).fold(3.0f64, f64::max);
        ws.set_row_height(at, (lines * 12.75).min(400.0))?;
        for (c, v) in values.iter().enumerate() {
            let c = c as u16;
            let fmt = if FILLED_IN.contains(&c) {
                &open
            } else if c == 4 {
                // Last quarter's status in its colours, with its word.
                &match r.last_status {
                    Some(s) => locked.clone().set_bold().set_font_color(rgb(s.colours().0)).set_background_color(rgb(s.colours().1)),
                    None => locked.clone(),
                }
            } else {
                &locked
            };
            // Always a string cell: text that starts with = is never a formula.
            ws.write_string_with_format(at, c, v, fmt)?;
        }
    }
    if !book.rows.is_empty() {
        let words: Vec<&str> = Rag::ALL.iter().map(|r| r.label()).collect();
        let dv = DataValidation::new()
            .allow_list_strings(&words)?
            .set_input_title("Status this quarter")?
            .set_input_message("Red and Amber need a commentary; Red also needs next steps or mitigation.")?
            .set_error_title("Not a status")?
            .set_error_message(format!("Choose one of: {}.", words.join(", ")))?
            .set_error_style(DataValidationErrorStyle::Stop);
        ws.add_data_validation(HEADER_ROW + 1, 6, last, 6, &dv)?;
        for r in Rag::ALL {
            let (fg, bg) = r.colours();
            let cf = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(format!("\"{}\"", r.label())))
                .set_format(Format::new().set_bold().set_font_color(rgb(fg)).set_background_color(rgb(bg)));
            ws.add_conditional_format(HEADER_ROW + 1, 6, last, 6, &cf)?;
        }
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    ws.set_landscape();
    ws.set_paper_size(9); // A4
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    ws.set_print_fit_to_pages(1, 0);
    marked(ws, book);
    ws.protect();

    // The Guidance sheet.
    let ws = wb.add_worksheet();
    ws.set_name(GUIDANCE_SHEET)?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 90)?;
    ws.write_string_with_format(0, 0, "How to fill in the return", &title)?;
    ws.write_string_with_format(2, 0, "Status", &head)?;
    ws.write_string_with_format(2, 1, "What it means", &head)?;
    for (i, r) in Rag::ALL.iter().enumerate() {
        let (fg, bg) = r.colours();
        ws.write_string_with_format(
            3 + i as u32,
            0,
            format!("{} {}", r.shape(), r.label()),
            &base.clone().set_bold().set_font_color(rgb(fg)).set_background_color(rgb(bg)),
        )?;
        ws.write_string_with_format(3 + i as u32, 1, r.meaning(), &base.clone().set_text_wrap())?;
    }
    let rules = [
        "Red and Amber need a commentary: what has slipped and why.",
        "Red also needs next steps or mitigation: what will bring it back, and what the partnership is asked to decide.",
        "Complete means the action is delivered; it stops asking for returns after this quarter.",
        "Not started is for an action whose start has not come yet.",
        "Write your name under Reported by.",
    ];
    ws.write_string_with_format(9, 0, "The rules", &bold)?;
    for (i, rule) in rules.iter().enumerate() {
        ws.write_string_with_format(10 + i as u32, 1, *rule, &base.clone().set_text_wrap())?;
    }
    ws.write_string_with_format(16, 0, "Send it to", &bold)?;
    ws.write_string_with_format(
        16,
        1,
        format!("{to}, by {}. Send the file back as it is: the coordinator's app reads it.", book.return_by.format("%A %-d %B %Y")),
        &base,
    )?;
    marked(ws, book);
    ws.protect();

    // What the import needs to trust the file.
    let ws = wb.add_worksheet();
    ws.set_name(TRUST_SHEET)?;
    let mut pairs = book.head().to_vec();
    pairs.extend([checksum(&book.trusted_values()), book.rows.len().to_string()]);
    for (i, (k, v)) in TRUST_KEYS.iter().zip(&pairs).enumerate() {
        ws.write_string(i as u32, 0, *k)?;
        ws.write_string(i as u32, 1, v)?;
    }
    for (c, name) in COLUMNS.iter().enumerate() {
        ws.write_string(TRUST_ROWS_HEADER, c as u16, *name)?;
    }
    for (i, r) in book.rows.iter().enumerate() {
        for (c, v) in r.values().iter().enumerate() {
            ws.write_string(TRUST_ROWS_HEADER + 1 + i as u32, c as u16, v.as_str())?;
        }
    }
    marked(ws, book);
    ws.protect();
    ws.set_very_hidden(true);

    let mut props =
        rust_xlsxwriter::DocProperties::new().set_title(format!("CCSP return {} – {}", book.quarter, book.partner_name)).set_author(&book.partnership);
    props = props.set_comment("Made by CCSP Coordinator; fill in the unlocked columns and send it back as it is.");
    wb.set_properties(&props);
    wb.save_to_buffer()
}

/// "31 March 2027", or the quarter it is due in ("2026/27 Q4"), or nothing.
fn due_words(date: Option<&str>, quarter: Option<&str>) -> String {
    // Stored dates and quarters are checked when written; one that cannot be read shows blank.
    match (date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()), quarter.and_then(|q| Quarter::parse(q).ok())) {
        (Some(d), _) => long(d),
        (None, Some(q)) => q.to_string(),
        (None, None) => String::new(),
    }
}

fn long(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_changes_with_any_trusted_value_and_not_with_surrounding_space() {
        let v = |x: &str| vec!["ccsp-return".to_string(), x.to_string()];
        assert_eq!(checksum(&v("WMP")), checksum(&v("WMP")));
        assert_ne!(checksum(&v("WMP")), checksum(&v("WMFS")));
        assert_ne!(checksum(&["ab".into(), "c".into()]), checksum(&["a".into(), "bc".into()]), "values are separated");
    }
}
