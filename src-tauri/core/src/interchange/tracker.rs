//! The register as a spreadsheet (`ccsp export tracker`): every action with one quarter's
//! status, commentary and next steps, as .xlsx or .csv (UTF-8 with a byte-order mark, so
//! Excel shows £ and – right; ISO dates). Nothing a partner or the coordinator typed is ever
//! read as a formula: every .xlsx cell is a string cell, and in .csv a value that begins with
//! `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (formula injection).

use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, XlsxError};

use crate::domain::Quarter;
use crate::error::CoreError;
use crate::store::Store;

pub const COLUMNS: [&str; 13] =
    ["Ref", "Theme", "Priority", "Action", "Lead", "Partners", "Start", "Due", "Lifecycle", "Status", "Commentary", "Next steps / mitigation", "Reported by"];

/// The register with `q`'s updates: one row of `COLUMNS` per action, in register order.
pub fn rows(store: &Store, q: Quarter) -> Result<Vec<Vec<String>>, CoreError> {
    store.plan_quarter(q)?;
    let actions = store.list_actions()?;
    let updates: std::collections::HashMap<String, crate::domain::Update> = store.updates_for(q)?.into_iter().map(|u| (u.action.clone(), u)).collect();
    Ok(actions
        .iter()
        .map(|a| {
            let u = updates.get(&a.reference);
            let status = match u {
                Some(u) if u.draft => "Incomplete".to_string(),
                Some(u) => u.rag.map(|r| r.label().to_string()).unwrap_or_default(), // an update without a status is a draft
                None => String::new(),
            };
            vec![
                a.reference.clone(),
                a.theme.to_string(),
                a.priority.clone(),
                a.title.clone(),
                a.lead.clone(),
                a.partners.join(", "),
                a.start_date.clone().unwrap_or_default(),                                 // no start date: an empty cell
                a.due_date.clone().or_else(|| a.due_quarter.clone()).unwrap_or_default(), // no due date or quarter: an empty cell
                a.lifecycle.label().to_string(),
                status,
                u.map(|u| u.commentary.clone()).unwrap_or_default(),  // no update: no commentary
                u.map(|u| u.next_steps.clone()).unwrap_or_default(),  // no update: no next steps
                u.map(|u| u.reported_by.clone()).unwrap_or_default(), // no update: nobody reported
            ]
        })
        .collect())
}

/// A value made safe for a spreadsheet that reads .csv: one that a spreadsheet would take as a
/// formula gets a leading apostrophe.
pub fn defuse(v: &str) -> String {
    match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}"),
        _ => v.to_string(),
    }
}

/// The rows as CSV: a header, then one line per row; UTF-8 with a byte-order mark, CRLF line
/// ends (as Excel writes them), every field quoted where it needs to be.
pub fn to_csv(rows: &[Vec<String>], q: Quarter) -> Vec<u8> {
    let field = |v: &str| {
        let v = defuse(v);
        if v.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else {
            v
        }
    };
    let mut out = String::from("\u{feff}");
    let header: Vec<String> = COLUMNS.iter().map(|c| if *c == "Status" { format!("Status {q}") } else { c.to_string() }).collect();
    out.push_str(&header.iter().map(|h| field(h)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&r.iter().map(|v| field(v)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The rows as a workbook: one sheet, a frozen header, every value a string cell.
pub fn to_xlsx(rows: &[Vec<String>], q: Quarter, marking: &str) -> Result<Vec<u8>, CoreError> {
    write(rows, q, marking).map_err(|e| CoreError::Refused(format!("the workbook could not be written: {e}")))
}

fn write(rows: &[Vec<String>], q: Quarter, marking: &str) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Tracker")?;
    let head = Format::new().set_font_name("Arial").set_bold().set_font_color(Color::White).set_background_color(Color::RGB(0x0b3d6b)).set_text_wrap();
    let text = Format::new().set_font_name("Arial").set_text_wrap().set_align(FormatAlign::Top);
    let widths = [9.0, 7.0, 9.0, 48.0, 9.0, 20.0, 12.0, 12.0, 12.0, 12.0, 48.0, 40.0, 18.0];
    for (c, (name, w)) in COLUMNS.iter().zip(widths).enumerate() {
        ws.set_column_width(c as u16, w)?;
        let name = if *name == "Status" { format!("Status {q}") } else { name.to_string() };
        ws.write_string_with_format(0, c as u16, name, &head)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            ws.write_string_with_format(i as u32 + 1, c as u16, v, &text)?;
        }
    }
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header(format!("&L&\"Arial,Bold\"{}&RCCSP action tracker, {q}", marking.replace('&', "&&")));
    wb.save_to_buffer()
}

/// The register for `q` in the format `extension` names (`xlsx` or `csv`, any case), and how
/// many actions it holds: what `ccsp export tracker` and the Exports screen write.
pub fn render(store: &Store, q: Quarter, extension: &str) -> Result<(Vec<u8>, usize), CoreError> {
    let rows = rows(store, q)?;
    let bytes = match extension.to_ascii_lowercase().as_str() {
        "xlsx" => to_xlsx(&rows, q, &store.protective_marking()?)?,
        "csv" => to_csv(&rows, q),
        _ => return Err(CoreError::invalid("out", "name the file .xlsx or .csv (the format follows the extension)")),
    };
    Ok((bytes, rows.len()))
}

/// `CCSP tracker 2026-27-Q2.xlsx`.
pub fn file_name(q: Quarter, extension: &str) -> String {
    format!("CCSP tracker {}.{}", q.code(), extension.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_a_spreadsheet_would_read_as_formulas_get_an_apostrophe_and_others_do_not() {
        for v in ["=1+1", "+44 24 7683", "-5", "@SUM(A1)", "\tx", "\rx"] {
            assert!(defuse(v).starts_with('\''), "{v:?}");
        }
        for v in ["Red", "1.2.3", "", "£15,300", "a=b"] {
            assert_eq!(defuse(v), v);
        }
        let q = Quarter::parse("2025-26-Q3").unwrap();
        let csv = String::from_utf8(to_csv(&[vec!["1.1.1".into(), "Say \"hi\", then =2".into()]], q)).unwrap();
        assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
        assert!(csv.contains("\r\n1.1.1,\"Say \"\"hi\"\", then =2\"\r\n"), "{csv:?}");
    }
}
