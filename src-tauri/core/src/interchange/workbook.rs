//! Reading a workbook that comes from outside (a partner's return, a council's tracker): the
//! one place that opens one, with bounded sizes, no external entities and no formulas taken as
//! values. Every problem names the file, and where it has one the sheet and cell.
//!
//! - The file is at most `MAX_FILE_BYTES`; it must be a zip (an .xlsx); a .xls, an encrypted
//!   (password-protected) workbook, a .csv, a .docx or an .ods renamed .xlsx is named as such.
//! - Before calamine sees it, every part is unpacked with a budget (`MAX_UNPACKED_BYTES` in
//!   all, `MAX_PARTS` parts): a zip bomb stops at the budget. No part may declare a DTD (a
//!   well-formed workbook never does), so no entity, external or internal, is ever expanded.
//! - A sheet is read cell by cell and stops at `MAX_ROWS` rows: a million rows is an error
//!   within a second, not a minute of parsing.
//! - A cell holding a formula is kept as `Value::Formula` with the formula's text, never its
//!   cached value: the caller names and refuses it.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{DataRef, Reader, SheetVisible, Xlsx};

use crate::error::CoreError;

/// A return of 500 actions with long commentary is about 100 KB; a tracker a few MB.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// What all the parts may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
pub const MAX_PARTS: usize = 2_000;
/// The most rows a sheet may have.
pub const MAX_ROWS: u32 = 20_000;
/// The most columns read (a return has 10, a tracker a few dozen).
pub const MAX_COLUMNS: u32 = 200;

/// One cell's value, as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or time (an Excel serial with a date format, or ISO text), as ISO text.
    Date(String),
    /// `#N/A`, `#DIV/0!`...
    Error(String),
    /// A formula's text (`=SUM(A1:A3)`), whatever its cached value.
    Formula(String),
}

impl Value {
    /// The value as text a person typed: numbers without a needless ".0".
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.replace("\r\n", "\n"),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(d) => d.clone(),
            Value::Error(e) => e.clone(),
            Value::Formula(f) => f.clone(),
        }
    }

    /// What kind of value it is, for "a date, not a status".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Text(_) => "text",
            Value::Number(_) => "a number",
            Value::Bool(_) => "TRUE or FALSE",
            Value::Date(_) => "a date",
            Value::Error(_) => "an error value",
            Value::Formula(_) => "a formula",
        }
    }
}

/// A sheet's cells, by (row, column) from 0; empty cells are absent.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub cells: BTreeMap<(u32, u32), Value>,
    /// One past the last row holding a value.
    pub height: u32,
}

impl Grid {
    pub fn get(&self, row: u32, col: u32) -> Option<&Value> {
        self.cells.get(&(row, col))
    }

    /// The cell as trimmed text; an empty cell is "".
    pub fn text(&self, row: u32, col: u32) -> String {
        // An empty cell reads as no text.
        self.get(row, col).map(|v| v.text().trim().to_string()).unwrap_or_default()
    }

    /// `Return!G8`.
    pub fn address(&self, row: u32, col: u32) -> String {
        format!("{}!{}", self.name, cell_name(row, col))
    }

    /// The cells of one row, by column.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Value)> {
        self.cells.range((row, 0)..(row, u32::MAX)).map(|((_, c), v)| (*c, v))
    }
}

/// `G8` for (7, 6).
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row + 1)
}

/// A sheet's name and whether it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetInfo {
    pub name: String,
    pub visible: bool,
}

/// An opened workbook from outside.
pub struct Workbook {
    /// The file's name (never its folder: messages and the audit trail name only this).
    pub file: String,
    pub sheets: Vec<SheetInfo>,
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

fn bad(file: &str, why: impl std::fmt::Display) -> CoreError {
    CoreError::invalid(file, why.to_string())
}

/// What the bytes are, when they are not an .xlsx.
fn not_xlsx(file: &str, bytes: &[u8]) -> CoreError {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&CFB) {
        // An encrypted OOXML file is a compound file holding an "EncryptedPackage" stream
        // (its name in UTF-16); any other compound file here is an Excel 97-2003 .xls.
        let encrypted: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        if bytes.windows(encrypted.len()).any(|w| w == encrypted.as_slice()) {
            return bad(file, "is protected with a password (encrypted), so it cannot be read; ask for it to be saved again without a password to open");
        }
        return bad(file, "is an Excel 97-2003 workbook (.xls), not an .xlsx; open it in Excel and save it as an Excel Workbook (.xlsx)");
    }
    if bytes.is_empty() {
        return bad(file, "is empty (0 bytes), not a workbook");
    }
    let text = std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok();
    if text {
        return bad(file, "is a text file (a .csv or similar renamed .xlsx?), not an Excel workbook; save it from Excel as an Excel Workbook (.xlsx)");
    }
    bad(file, "is not an Excel workbook (.xlsx)")
}

/// Checks every part against the budget and for a DTD, then says what the package is.
fn check_package(file: &str, bytes: &[u8]) -> Result<(), CoreError> {
    let damaged = |e: zip::result::ZipError| bad(file, format!("is damaged or cut short (it cannot be unpacked: {e}); ask for it to be sent again"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if zip.len() > MAX_PARTS {
        return Err(bad(file, format!("holds {} parts; a workbook from a partner has a few dozen — it was not read", zip.len())));
    }
    let names: Vec<String> = zip.file_names().collect::<Result<Vec<_>, _>>().map_err(damaged)?.into_iter().map(|n| n.into_owned()).collect();
    if names.iter().any(|n| n == "word/document.xml") {
        return Err(bad(file, "is a Word document renamed .xlsx, not a workbook"));
    }
    if names.iter().any(|n| n == "content.xml") && !names.iter().any(|n| n == "xl/workbook.xml") {
        return Err(bad(file, "is an OpenDocument spreadsheet (.ods); save it as an Excel Workbook (.xlsx)"));
    }
    if !names.iter().any(|n| n == "xl/workbook.xml") {
        return Err(bad(file, "is a zip file but not an Excel workbook (it has no xl/workbook.xml)"));
    }
    let mut left = MAX_UNPACKED_BYTES;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut window = Vec::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(damaged)?;
        let name = part.name().map_err(damaged)?.into_owned();
        let xml = name.ends_with(".xml") || name.ends_with(".rels");
        match scan_part(&mut part, xml, &mut left, &mut chunk, &mut window) {
            Ok(Scan::Clean) => {}
            Ok(Scan::TooBig) => {
                return Err(bad(file, format!("unpacks to more than {} MB (a zip bomb?) — it was not read", MAX_UNPACKED_BYTES / (1024 * 1024))));
            }
            Ok(Scan::Dtd) => {
                return Err(bad(file, format!("declares a DTD in {name}, which no workbook needs (entities are never read) — it was not read")));
            }
            Err(e) => return Err(bad(file, format!("is damaged or cut short ({name}: {e})"))),
        }
    }
    Ok(())
}

/// What unpacking a part found.
#[derive(Debug, PartialEq)]
enum Scan {
    Clean,
    /// It unpacks to more than the budget `left`.
    TooBig,
    /// An XML part with a document type or entity declaration.
    Dtd,
}

/// Unpacks a part a `chunk` at a time (memory stays at one chunk whatever the part unpacks
/// to), counting it against the budget `left`; an `xml` part is searched for a DTD across
/// the boundaries between reads (`window` keeps the last bytes of each with the next).
fn scan_part(part: &mut impl Read, xml: bool, left: &mut u64, chunk: &mut [u8], window: &mut Vec<u8>) -> std::io::Result<Scan> {
    const MARK: usize = b"<!DOCTYPE".len();
    window.clear();
    loop {
        let read = match part.read(chunk) {
            Ok(0) => return Ok(Scan::Clean),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if read as u64 > *left {
            return Ok(Scan::TooBig);
        }
        *left -= read as u64;
        if xml {
            window.extend_from_slice(&chunk[..read]);
            if declares_dtd(window) {
                return Ok(Scan::Dtd);
            }
            window.drain(..window.len().saturating_sub(MARK - 1));
        }
    }
}

/// Whether XML text holds a document type or entity declaration.
fn declares_dtd(xml: &[u8]) -> bool {
    xml.windows(b"<!DOCTYPE".len()).any(|w| w.eq_ignore_ascii_case(b"<!DOCTYPE") || w.starts_with(b"<!ENTITY"))
}

/// The size bound of a file from outside, checked before it is read.
fn too_big(file: &str, len: u64) -> Result<(), CoreError> {
    if len > MAX_FILE_BYTES {
        return Err(bad(
            file,
            format!("is {} MB; a workbook read here is at most {} MB — it was not read", len / (1024 * 1024), MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    Ok(())
}

/// A workbook from outside: a file on this computer (chosen in the native dialog or named on
/// the command line), or one dropped on the window, which gives its name and bytes only.
#[derive(Debug, Clone)]
pub enum Source {
    Path(PathBuf),
    Bytes { name: String, bytes: Vec<u8> },
}

impl Source {
    /// The file's name (never its folder), as problems name it.
    pub fn name(&self) -> String {
        match self {
            Source::Path(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string()),
            Source::Bytes { name, .. } => name.clone(),
        }
    }

    pub fn open(&self) -> Result<Workbook, CoreError> {
        match self {
            Source::Path(p) => Workbook::open(p),
            Source::Bytes { name, bytes } => Workbook::from_bytes(name, bytes.clone()),
        }
    }
}

impl Workbook {
    /// Opens `path` as an .xlsx from outside, within the bounds above.
    pub fn open(path: &Path) -> Result<Workbook, CoreError> {
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        let meta = std::fs::metadata(path).map_err(|e| CoreError::io(path, e))?;
        if !meta.is_file() {
            return Err(bad(&file, "is not a file"));
        }
        too_big(&file, meta.len())?;
        let bytes = std::fs::read(path).map_err(|e| CoreError::io(path, e))?;
        Workbook::from_bytes(&file, bytes)
    }

    /// Reads `bytes` as an .xlsx from outside named `file`, within the bounds above.
    pub fn from_bytes(file: &str, bytes: Vec<u8>) -> Result<Workbook, CoreError> {
        too_big(file, bytes.len() as u64)?;
        if !bytes.starts_with(b"PK\x03\x04") {
            return Err(not_xlsx(file, &bytes));
        }
        check_package(file, &bytes)?;
        // calamine is the outside file's first reader: a panic on a malformed part (the fuzz
        // test found one) is this file's problem, not the app's.
        let opened =
            std::panic::catch_unwind(|| Xlsx::new(Cursor::new(bytes))).map_err(|_| bad(file, "cannot be read as a workbook (a part of it is malformed)"))?;
        let xlsx: Xlsx<_> = opened.map_err(|e| match e {
            calamine::XlsxError::Password => bad(file, "is protected with a password, so it cannot be read"),
            other => bad(file, format!("cannot be read as a workbook ({other})")),
        })?;
        let sheets = xlsx.sheets_metadata().iter().map(|s| SheetInfo { name: s.name.clone(), visible: s.visible == SheetVisible::Visible }).collect();
        Ok(Workbook { file: file.to_string(), sheets, xlsx })
    }

    /// The sheet of that name (matched exactly, then ignoring case), if the workbook has it.
    pub fn find_sheet(&self, name: &str) -> Option<&SheetInfo> {
        self.sheets.iter().find(|s| s.name == name).or_else(|| self.sheets.iter().find(|s| s.name.eq_ignore_ascii_case(name)))
    }

    /// Reads a sheet's cells, formulas as formulas, within `MAX_ROWS` and `MAX_COLUMNS`.
    pub fn grid(&mut self, name: &str) -> Result<Grid, CoreError> {
        let file = self.file.clone();
        // As in `from_bytes`: a panic reading a malformed sheet is the file's problem.
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.read_grid(name)))
            .unwrap_or_else(|_| Err(bad(&file, format!("sheet {name} cannot be read (it is malformed)"))))
    }

    fn read_grid(&mut self, name: &str) -> Result<Grid, CoreError> {
        let file = self.file.clone();
        let mut reader = self.xlsx.worksheet_cells_reader(name).map_err(|e| bad(&file, format!("sheet {name} cannot be read ({e})")))?;
        let mut grid = Grid { name: name.to_string(), ..Grid::default() };
        while let Some(c) = reader.next_cell_with_formula().map_err(|e| bad(&file, format!("sheet {name} is damaged ({e})")))? {
            let (row, col) = c.pos;
            if row >= MAX_ROWS {
                return Err(bad(&file, format!("sheet {name} has more than {MAX_ROWS} rows; a workbook read here has fewer — it was not read")));
            }
            if col >= MAX_COLUMNS {
                continue;
            }
            let value = match (c.formula, c.value) {
                (Some(f), _) if !f.trim().is_empty() => Value::Formula(format!("={}", f.trim_start_matches('='))),
                (_, DataRef::Empty) => continue,
                (_, DataRef::String(s)) if s.is_empty() => continue,
                (_, DataRef::SharedString("")) => continue,
                (_, DataRef::String(s)) => Value::Text(s),
                (_, DataRef::SharedString(s)) => Value::Text(s.to_string()),
                (_, DataRef::Int(i)) => Value::Number(i as f64),
                (_, DataRef::Float(f)) => Value::Number(f),
                (_, DataRef::Bool(b)) => Value::Bool(b),
                (_, DataRef::DateTime(d)) => Value::Date(match d.as_datetime() {
                    Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
                    Some(t) => t.to_string(),
                    None => d.as_f64().to_string(),
                }),
                (_, DataRef::DateTimeIso(s)) | (_, DataRef::DurationIso(s)) => Value::Date(s),
                (_, DataRef::Error(e)) => Value::Error(e.to_string()),
            };
            grid.height = grid.height.max(row + 1);
            grid.cells.insert((row, col), value);
        }
        Ok(grid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(7, 6), "G8");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(9, 701), "ZZ10");
    }

    #[test]
    fn files_that_are_not_workbooks_are_named_for_what_they_are() {
        let says = |bytes: &[u8]| Workbook::from_bytes("x.xlsx", bytes.to_vec()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(says(b"Ref,Status\n1.1.1,Red\n").contains("text file"), "{}", says(b"Ref,Status\n"));
        assert!(says(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).contains(".xls"));
        assert!(says(b"").contains("empty"));
        assert!(says(b"PK\x03\x04truncated").contains("damaged or cut short"));
    }

    /// A package of the named parts, stored (not deflated).
    fn package(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_part_declaring_a_dtd_is_refused_wherever_the_declaration_falls() {
        let workbook = ("xl/workbook.xml", b"<?xml version=\"1.0\"?><workbook/>".to_vec());
        assert!(check_package("ok.xlsx", &package(std::slice::from_ref(&workbook))).is_ok(), "a workbook without one is read");
        // In lower case, as an entity alone, in a relationships part, deep in a large part.
        let mut deep = vec![b' '; 200 * 1024];
        deep.extend_from_slice(b"<!DOCTYPE x><x/>");
        let cases: [(&str, Vec<u8>); 4] = [
            ("xl/worksheets/sheet1.xml", deep),
            ("xl/sharedStrings.xml", b"<?xml version=\"1.0\"?><!doctype sst><sst/>".to_vec()),
            ("xl/styles.xml", b"<?xml version=\"1.0\"?><!ENTITY lol \"lol\"><styleSheet/>".to_vec()),
            ("_rels/.rels", b"<!DOCTYPE Relationships SYSTEM \"http://example.org/x.dtd\"><Relationships/>".to_vec()),
        ];
        for (name, bytes) in cases {
            let err = check_package("bad.xlsx", &package(&[workbook.clone(), (name, bytes)])).unwrap_err().to_string();
            assert!(err.contains("declares a DTD") && err.contains(name), "{name}: {err}");
        }
        // A large part that declares nothing is read through.
        let big = [b"<x>".as_slice(), &vec![b'a'; 3 * 64 * 1024 + 17], b"</x>"].concat();
        assert!(check_package("big.xlsx", &package(&[workbook, ("xl/worksheets/sheet1.xml", big)])).is_ok());
    }

    /// Hands out what it holds a few bytes at a time, as a reader may.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_declaration_split_between_reads_is_found_and_the_budget_counts_every_read() {
        let text = b"<?xml version=\"1.0\"?><!DOCTYPE x><x/>";
        let (mut chunk, mut window) = (vec![0u8; 64], Vec::new());
        for step in 1..=10 {
            let mut left = 1_000;
            assert_eq!(scan_part(&mut Trickle(text, step), true, &mut left, &mut chunk, &mut window).unwrap(), Scan::Dtd, "{step} bytes a read");
            let mut left = 1_000;
            let clean = b"<?xml version=\"1.0\"?><x>DOCTYPE</x>";
            assert_eq!(scan_part(&mut Trickle(clean, step), true, &mut left, &mut chunk, &mut window).unwrap(), Scan::Clean);
            assert_eq!(left, 1_000 - clean.len() as u64, "every byte counted");
        }
        let mut left = 10;
        assert_eq!(scan_part(&mut Trickle(&[0; 11], 4), false, &mut left, &mut chunk, &mut window).unwrap(), Scan::TooBig, "one byte over the budget");
        let mut left = 11;
        assert_eq!(scan_part(&mut Trickle(&[0; 11], 4), false, &mut left, &mut chunk, &mut window).unwrap(), Scan::Clean, "exactly the budget");
    }

    #[test]
    fn numbers_read_as_the_text_a_person_typed() {
        assert_eq!(Value::Number(5.0).text(), "5");
        assert_eq!(Value::Number(2.5).text(), "2.5");
        assert_eq!(Value::Text("a\r\nb".into()).text(), "a\nb");
    }
}
