//! police.uk street-level crime files read into monthly counts for the partnership's area.
//!
//! police.uk publishes, every month, one CSV per force (`2026-09-west-midlands-street.csv`,
//! columns `Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA
//! code, LSOA name, Crime type, Last outcome category, Context`; ASB rows have no Crime ID),
//! also as a monthly archive (zip) holding every force's files. Nothing is downloaded: the
//! coordinator saves the files and gives a CSV, a folder of them, or a zip.
//!
//! Read streaming (never a whole file in memory), row by row over bytes: a row is kept when
//! its force is ours (`Falls within`) and its LSOA name starts with the area's name (or its
//! LSOA code is in the coordinator's list). Outcomes and stop-and-search files, and other
//! forces' files, are skipped and said so; rows of another force, with no LSOA, or of another
//! area are left out and counted. A month given twice in one import is ambiguous and refused.
//! Any file that is not what it claims (no police.uk columns, an impossible month, binary, a
//! truncated zip) is an error naming the file and line, and nothing of the import applies.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::CoreError;

/// The columns a street file must have (found by name, in any order).
const NEEDED: [&str; 5] = ["Month", "Falls within", "LSOA code", "LSOA name", "Crime type"];
/// At most this many files from one folder (walked at most `MAX_DEPTH` deep) or one zip.
const MAX_FILES: usize = 10_000;
const MAX_DEPTH: usize = 4;
/// A street file is tens of megabytes; a zip entry claiming more than this is refused.
const MAX_ENTRY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// A row longer than this is not a police.uk row.
const MAX_ROW_BYTES: usize = 64 * 1024;
/// Progress is reported every this many rows.
const PROGRESS_EVERY: u64 = 1 << 16;

/// A calendar month, as police.uk names them (`2026-09`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// `2026-09`; anything else (`2026-13`, `26-09`, `2026-9`) is None.
    pub fn parse(s: &[u8]) -> Option<Month> {
        if s.len() != 7 || s[4] != b'-' || !s[..4].iter().chain(&s[5..]).all(u8::is_ascii_digit) {
            return None;
        }
        let digits = |b: &[u8]| b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
        let (year, month) = (digits(&s[..4]) as i32, digits(&s[5..]));
        ((1..=12).contains(&month) && (2000..=2100).contains(&year)).then_some(Month { year, month })
    }

    /// The first day of the month.
    pub fn first_day(self) -> chrono::NaiveDate {
        // A parsed month is a real one.
        chrono::NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a real month")
    }

    /// The financial-year quarter it falls in.
    pub fn quarter(self) -> crate::domain::Quarter {
        crate::domain::Quarter::containing(self.first_day())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Whose rows count: the area (LSOA names start with it, or LSOA codes listed) in the force.
#[derive(Debug, Clone)]
pub struct Area {
    /// "Coventry": LSOA names read "Coventry 001A".
    pub name: String,
    /// "West Midlands Police", as the `Falls within` column says it.
    pub force: String,
    /// LSOA codes that count whatever their name (`--lsoa-codes FILE`).
    pub lsoa_codes: HashSet<String>,
}

impl Area {
    /// The force as police.uk's file names spell it: "West Midlands Police" → `west-midlands`.
    pub fn force_slug(&self) -> String {
        force_slug(&self.force)
    }
}

/// "West Midlands Police" → `west-midlands`, "Avon and Somerset Constabulary" →
/// `avon-and-somerset`, "Metropolitan Police Service" → `metropolitan`.
pub fn force_slug(force: &str) -> String {
    let lower = force.trim().to_lowercase().replace('&', " and ");
    // The forces police.uk names otherwise than by their name.
    for (name, slug) in [("police service of northern ireland", "northern-ireland"), ("british transport police", "btp")] {
        if lower == name {
            return slug.to_string();
        }
    }
    let mut name = lower.as_str();
    for end in [" police service", " constabulary", " police"] {
        if let Some(s) = name.strip_suffix(end) {
            name = s;
            break;
        }
    }
    slug(name)
}

/// Lower case, every run of other characters one `-`: "Anti-social behaviour" → `anti-social-behaviour`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// One month's rows for the area, from one file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MonthCounts {
    pub month: String,
    /// The file's name (its entry name inside a zip), never its folder.
    pub file: String,
    /// The zip it came in, if any.
    pub archive: String,
    /// SHA-256 of the file as given (the zip's, for a file inside one).
    pub sha256: String,
    /// Rows kept, per police.uk crime type.
    pub counts: BTreeMap<String, u64>,
}

/// What one file held, for the preview.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FileRead {
    pub file: String,
    pub archive: String,
    pub months: Vec<String>,
    pub rows: u64,
    pub kept: u64,
    /// Rows whose `Falls within` is another force.
    pub other_force: u64,
    /// Rows with no LSOA (no location).
    pub no_lsoa: u64,
    /// Rows of the force outside the area.
    pub other_area: u64,
}

/// A file not read, and why (an outcomes or stop-and-search file, another force's file).
#[derive(Debug, Clone, Serialize, TS)]
pub struct FileSkipped {
    pub file: String,
    pub archive: String,
    pub why: String,
}

/// Everything read from the paths given.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct PoliceRead {
    pub months: Vec<MonthCounts>,
    pub files: Vec<FileRead>,
    pub skipped: Vec<FileSkipped>,
}

/// Where a file comes from: on disk, or an entry of a zip on disk.
#[derive(Debug, Clone)]
enum Input {
    Csv { path: PathBuf, len: u64 },
    Zip { path: PathBuf, entries: Vec<(usize, String, u64)> },
}

fn bad(file: &str, what: impl fmt::Display) -> CoreError {
    CoreError::invalid("file", format!("{file}: {what}; nothing was imported"))
}

fn name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Files a Mac adds beside the real ones (`._2026-09-…csv`, `__MACOSX/`): never police data.
fn is_mac_junk(name: &str) -> bool {
    name.split(['/', '\\']).any(|part| part == "__MACOSX" || part.starts_with("._"))
}

/// What a police.uk file name says: (month, force slug, kind) for `2026-09-west-midlands-street.csv`.
fn classify(name: &str) -> Option<(Month, &str, &str)> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.strip_suffix(".csv")?;
    let month = Month::parse(stem.get(..7)?.as_bytes())?;
    let rest = stem.get(7..)?.strip_prefix('-')?;
    for kind in ["street", "outcomes", "stop-and-search"] {
        if let Some(force) = rest.strip_suffix(kind).and_then(|f| f.strip_suffix('-')) {
            return Some((month, force, kind));
        }
    }
    None
}

/// The CSVs and zips under the paths given, with their sizes (for progress).
fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>, CoreError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| CoreError::io(p, e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(p, 0, &mut found)?;
            found.sort();
            for f in found {
                out.push(input(&f)?);
            }
        } else {
            out.push(input(p)?);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) -> Result<(), CoreError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(|e| CoreError::io(dir, e))? {
        let entry = entry.map_err(|e| CoreError::io(dir, e))?;
        let path = entry.path();
        // A link to a folder is not followed (a loop would find the same months twice).
        if entry.file_type().map_err(|e| CoreError::io(&path, e))?.is_symlink() && path.is_dir() {
            continue;
        }
        if path.is_dir() {
            walk(&path, depth + 1, found)?;
        } else if matches!(path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), Some("csv" | "zip")) {
            found.push(path);
            if found.len() > MAX_FILES {
                return Err(bad(&dir.display().to_string(), format!("holds more than {MAX_FILES} files; give the months' files or zips themselves")));
            }
        }
    }
    Ok(())
}

fn input(path: &Path) -> Result<Input, CoreError> {
    let name = name_of(path);
    let mut head = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    let len = f.metadata().map_err(|e| CoreError::io(path, e))?.len();
    let n = f.read(&mut head).map_err(|e| CoreError::io(path, e))?;
    if head[..n].starts_with(b"PK\x03\x04") || head[..n].starts_with(b"PK\x05\x06") || name.to_ascii_lowercase().ends_with(".zip") {
        let mut archive = zip::ZipArchive::new(BufReader::new(std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?))
            .map_err(|e| bad(&name, format!("is not a readable zip (damaged or cut short: {e})")))?;
        if archive.len() > MAX_FILES {
            return Err(bad(&name, format!("holds {} files; a monthly archive holds far fewer", archive.len())));
        }
        let mut entries = Vec::new();
        for i in 0..archive.len() {
            // The central directory's name and size (the size is checked again while reading:
            // it is not trusted).
            let entry = archive.by_index_raw(i).map_err(|e| bad(&name, format!("is damaged ({e})")))?;
            let file = entry.name().map_err(|e| bad(&name, format!("has an entry whose name cannot be read ({e})")))?.to_string();
            if file.to_ascii_lowercase().ends_with(".csv") {
                entries.push((i, file, entry.size()));
            }
        }
        entries.sort_by(|a, b| a.1.cmp(&b.1));
        return Ok(Input::Zip { path: path.to_path_buf(), entries });
    }
    Ok(Input::Csv { path: path.to_path_buf(), len })
}

/// SHA-256 of a file, streaming.
fn sha256_of(path: &Path) -> Result<String, CoreError> {
    let mut f = BufReader::with_capacity(1 << 16, std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?);
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| CoreError::io(path, e))?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(format!("{:x}", h.finalize()))
}

/// Reports progress and asks whether to go on: `(done, total)` bytes; false cancels.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

/// The error a cancelled import ends with.
pub fn cancelled() -> CoreError {
    CoreError::Refused("the import was cancelled; nothing was imported".into())
}

/// Reads every street file under `paths` for `area`.
pub fn read(paths: &[PathBuf], area: &Area, progress: Progress<'_>) -> Result<PoliceRead, CoreError> {
    let inputs = inputs(paths)?;
    let total: u64 = inputs
        .iter()
        .map(|i| match i {
            Input::Csv { len, .. } => *len,
            Input::Zip { entries, .. } => entries.iter().fold(0u64, |n, e| n.saturating_add(e.2)),
        })
        .fold(0u64, u64::saturating_add);
    let mut reader = Reader { area, ours: area.force_slug(), out: PoliceRead::default(), done: 0, total, progress, seen: BTreeMap::new() };
    for i in inputs {
        match i {
            Input::Csv { path, len } => {
                let name = name_of(&path);
                if reader.skip(&name, "") {
                    reader.done = reader.done.saturating_add(len);
                    continue;
                }
                let sha = sha256_of(&path)?;
                let f = std::fs::File::open(&path).map_err(|e| CoreError::io(&path, e))?;
                reader.file(&name, "", &sha, BufReader::with_capacity(1 << 16, f), len)?;
            }
            Input::Zip { path, entries } => {
                let zip_name = name_of(&path);
                let sha = sha256_of(&path)?;
                let mut archive = zip::ZipArchive::new(BufReader::new(std::fs::File::open(&path).map_err(|e| CoreError::io(&path, e))?))
                    .map_err(|e| bad(&zip_name, format!("is not a readable zip (damaged or cut short: {e})")))?;
                for (index, entry, size) in entries {
                    if reader.skip(&entry, &zip_name) {
                        reader.done = reader.done.saturating_add(size);
                        continue;
                    }
                    if size > MAX_ENTRY_BYTES {
                        return Err(bad(&format!("{zip_name}: {entry}"), "is larger than any police.uk file (a zip bomb?)"));
                    }
                    let file = archive.by_index(index).map_err(|e| bad(&format!("{zip_name}: {entry}"), format!("cannot be read from the zip ({e})")))?;
                    // Never more than the entry claimed (plus one byte, to tell a lie).
                    let bounded = file.take(size + 1);
                    reader.file(&entry, &zip_name, &sha, BufReader::with_capacity(1 << 16, bounded), size)?;
                }
            }
        }
    }
    let mut out = reader.out;
    out.months.sort_by(|a, b| a.month.cmp(&b.month));
    Ok(out)
}

struct Reader<'a, 'p> {
    area: &'a Area,
    ours: String,
    out: PoliceRead,
    done: u64,
    total: u64,
    progress: Progress<'p>,
    /// Which file gave each month (a second file for a month is ambiguous).
    seen: BTreeMap<Month, String>,
}

impl Reader<'_, '_> {
    /// Whether a file is set aside by its name (and says why in the result).
    fn skip(&mut self, name: &str, archive: &str) -> bool {
        let why = match classify(name) {
            _ if is_mac_junk(name) => "a file the Mac adds beside the real ones, not police data".to_string(),
            Some((_, _, "outcomes")) => "an outcomes file: only street files are read".to_string(),
            Some((_, _, "stop-and-search")) => "a stop-and-search file: only street files are read".to_string(),
            Some((_, force, _)) if force != self.ours => format!("another force's file ({force}; this plan's force is {})", self.area.force),
            _ => return false,
        };
        let file = name.rsplit(['/', '\\']).next().unwrap_or(name).to_string();
        self.out.skipped.push(FileSkipped { file, archive: archive.to_string(), why });
        true
    }

    fn file(&mut self, name: &str, archive: &str, sha: &str, mut input: impl Read, size: u64) -> Result<(), CoreError> {
        let file = name.rsplit(['/', '\\']).next().unwrap_or(name).to_string();
        let shown = if archive.is_empty() { file.clone() } else { format!("{archive}: {file}") };
        // A binary file (a spreadsheet, an image renamed .csv) is not read as text.
        let mut head = vec![0u8; 8192];
        let mut got = 0;
        while got < head.len() {
            let n = input.read(&mut head[got..]).map_err(|e| bad(&shown, format!("cannot be read ({e})")))?;
            if n == 0 {
                break;
            }
            got += n;
        }
        head.truncate(got);
        if head.contains(&0) {
            return Err(bad(&shown, "is a binary file, not a police.uk CSV"));
        }
        let named = classify(name).map(|(m, _, _)| m);
        let lines = LineBound { inner: std::io::Cursor::new(head).chain(input), since_newline: 0 };
        let mut csv = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(lines);
        let header = csv.byte_headers().map_err(|e| bad(&shown, format!("line 1: {}", csv_error(&e))))?.clone();
        let col = |want: &str| header.iter().position(|h| trim(h).eq_ignore_ascii_case(want.as_bytes()));
        let mut at = [0usize; 5];
        for (i, want) in NEEDED.iter().enumerate() {
            at[i] = col(want).ok_or_else(|| bad(&shown, format!("line 1: has no \"{want}\" column, so it is not a police.uk street file")))?;
        }
        let [c_month, c_force, c_code, c_name, c_type] = at;
        let (force, area) = (self.area.force.as_bytes(), self.area.name.as_bytes());
        let mut read =
            FileRead { file: file.clone(), archive: archive.to_string(), months: vec![], rows: 0, kept: 0, other_force: 0, no_lsoa: 0, other_area: 0 };
        let mut months: BTreeMap<Month, Vec<(Vec<u8>, u64)>> = BTreeMap::new();
        if let Some(m) = named {
            months.insert(m, Vec::new());
        }
        let mut rec = csv::ByteRecord::new();
        let mut last: Option<(Vec<u8>, Month)> = None;
        loop {
            match csv.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                // an error without a position is at the start of the file
                Err(e) => return Err(bad(&shown, format!("line {}: {}", e.position().map(|p| p.line()).unwrap_or(0), csv_error(&e)))),
            }
            read.rows += 1;
            if read.rows.is_multiple_of(PROGRESS_EVERY) && !(self.progress)(self.done.saturating_add(csv.position().byte().min(size)), self.total) {
                return Err(cancelled());
            }
            let line = rec.position().map(|p| p.line()).unwrap_or(read.rows + 1);
            if rec.as_slice().len() > MAX_ROW_BYTES {
                return Err(bad(&shown, format!("line {line}: a row of {} KB is not a police.uk row", rec.as_slice().len() / 1024)));
            }
            let m_raw = trim(&rec[c_month]);
            let month = match &last {
                Some((raw, m)) if raw.as_slice() == m_raw => *m,
                _ => {
                    let m = Month::parse(m_raw)
                        .ok_or_else(|| bad(&shown, format!("line {line}: \"{}\" is not a month (YYYY-MM)", String::from_utf8_lossy(m_raw))))?;
                    if let Some(n) = named.filter(|n| *n != m) {
                        return Err(bad(&shown, format!("line {line}: a row for {m} in the file for {n}")));
                    }
                    last = Some((m_raw.to_vec(), m));
                    m
                }
            };
            let counts = months.entry(month).or_default();
            if !trim(&rec[c_force]).eq_ignore_ascii_case(force) {
                read.other_force += 1;
                continue;
            }
            let (code, lsoa) = (trim(&rec[c_code]), trim(&rec[c_name]));
            if code.is_empty() && lsoa.is_empty() {
                read.no_lsoa += 1;
                continue;
            }
            let in_area = lsoa.len() > area.len() && lsoa[..area.len()].eq_ignore_ascii_case(area) && lsoa[area.len()] == b' ';
            let listed = !self.area.lsoa_codes.is_empty() && self.area.lsoa_codes.contains(&*String::from_utf8_lossy(code));
            if !in_area && !listed {
                read.other_area += 1;
                continue;
            }
            read.kept += 1;
            let kind = trim(&rec[c_type]);
            match counts.iter_mut().find(|(k, _)| k.as_slice() == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind.to_vec(), 1)),
            }
        }
        if csv.position().byte() > size + 8192 && size > 0 {
            return Err(bad(&shown, "is longer than its zip entry says (the zip is damaged)"));
        }
        self.done = self.done.saturating_add(size);
        if !(self.progress)(self.done, self.total) {
            return Err(cancelled());
        }
        if read.rows > 0 && read.other_force == read.rows {
            // Every row is another force's: its file, whatever its name, says nothing of ours
            // (it must not stand for a month with no crime).
            self.out.skipped.push(FileSkipped {
                file,
                archive: archive.to_string(),
                why: format!("another force's file (no row falls within {})", self.area.force),
            });
            return Ok(());
        }
        if months.is_empty() {
            return Err(bad(&shown, "holds no rows and its name gives no month (police.uk names them 2026-09-west-midlands-street.csv)"));
        }
        for (month, counts) in months {
            if let Some(other) = self.seen.insert(month, shown.clone()) {
                return Err(CoreError::invalid(
                    "file",
                    format!("{month} is given twice, in {other} and in {shown}: give each month once (nothing was imported)"),
                ));
            }
            read.months.push(month.to_string());
            let mut by_type = BTreeMap::new();
            for (k, n) in counts {
                let kind = String::from_utf8(k).map_err(|_| bad(&shown, format!("a crime type in {month} is not UTF-8 text")))?;
                if kind.is_empty() {
                    return Err(bad(&shown, format!("a row of {month} has no crime type")));
                }
                *by_type.entry(kind).or_insert(0) += n;
            }
            self.out.months.push(MonthCounts {
                month: month.to_string(),
                file: file.clone(),
                archive: archive.to_string(),
                sha256: sha.to_string(),
                counts: by_type,
            });
        }
        self.out.files.push(read);
        Ok(())
    }
}

/// Refuses a line longer than any police.uk row before the CSV reader buffers it (their fields
/// never hold a line break, so a line is a row).
struct LineBound<R> {
    inner: R,
    since_newline: usize,
}

impl<R: Read> Read for LineBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for b in &buf[..n] {
            if *b == b'\n' {
                self.since_newline = 0;
            } else {
                self.since_newline += 1;
                if self.since_newline > MAX_ROW_BYTES {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("a line longer than {} KB is not a police.uk row", MAX_ROW_BYTES / 1024),
                    ));
                }
            }
        }
        Ok(n)
    }
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!("has {len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".into(),
        csv::ErrorKind::Io(io) => format!("cannot be read ({io})"),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_police_uk_months_and_nothing_else() {
        assert_eq!(Month::parse(b"2026-09"), Some(Month { year: 2026, month: 9 }));
        for bad in [&b"2026-13"[..], b"2026-00", b"26-09-01", b"2026-9", b"2026/09", b"", b"abcd-ef"] {
            assert_eq!(Month::parse(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(Month::parse(b"2026-04").unwrap().quarter().code(), "2026-27-Q1");
        assert_eq!(Month::parse(b"2027-03").unwrap().quarter().code(), "2026-27-Q4");
    }

    #[test]
    fn file_names_say_the_month_force_and_kind() {
        assert_eq!(classify("2026-09-west-midlands-street.csv").map(|c| (c.0.to_string(), c.1, c.2)), Some(("2026-09".into(), "west-midlands", "street")));
        assert_eq!(classify("2026-09/2026-09-avon-and-somerset-stop-and-search.csv").map(|c| c.2), Some("stop-and-search"));
        assert_eq!(classify("2026-09-west-midlands-outcomes.csv").map(|c| c.2), Some("outcomes"));
        assert_eq!(classify("crimes.csv"), None);
        assert_eq!(force_slug("West Midlands Police"), "west-midlands");
        assert_eq!(force_slug("Avon and Somerset Constabulary"), "avon-and-somerset");
        assert_eq!(force_slug("Metropolitan Police Service"), "metropolitan");
        assert_eq!(force_slug("Devon & Cornwall Police"), "devon-and-cornwall");
        assert_eq!(force_slug("Police Service of Northern Ireland"), "northern-ireland");
        assert_eq!(force_slug("British Transport Police"), "btp");
        assert!(is_mac_junk("__MACOSX/2026-09/._2026-09-west-midlands-street.csv") && !is_mac_junk("2026-09/2026-09-west-midlands-street.csv"));
        assert_eq!(slug("Anti-social behaviour"), "anti-social-behaviour");
        assert_eq!(slug("Criminal damage and arson"), "criminal-damage-and-arson");
    }
}
