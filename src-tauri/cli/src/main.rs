//! `ccsp`: the headless command line over ccsp-core. Argument parsing and printing only.

use std::path::PathBuf;
use std::process::ExitCode;

use ccsp_core::domain::{parse_date, FinancialYear, Quarter, QuarterState, Rag};
use ccsp_core::export::Write;
use ccsp_core::interchange::workbook::Source;
use ccsp_core::store::{ActionInput, AuditFilter, UpdateChange};
use ccsp_core::{paths, CoreError, Ctx, Store};
use clap::{Args, Parser, Subcommand};

/// Prints a line; a closed pipe (`ccsp plan show | head`) is not an error worth a panic.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($t)*); // a reader that went away (a closed pipe) is not an error
    }};
}

macro_rules! say_part {
    ($($t:tt)*) => {{
        use std::io::Write;
        let _ = write!(std::io::stdout(), $($t)*); // as say!: a closed pipe is not an error
    }};
}

#[derive(Parser)]
#[command(
    name = "ccsp",
    version,
    about = "CCSP Coordinator from the command line: the Coventry Community Safety Partnership plan, quarterly returns, sign-off and backups",
    after_help = "Quarters are written 2025-26-Q2 (also accepted: \"2025/26 Q2\", \"Q2 2025/26\"); financial years 2025-26; statuses red, amber, green, complete, not-started (or R A G C N). Exit codes: 2 bad input, 3 refused by the record's state, 4 store problem, 5 the disk refused the write."
)]
struct Cli {
    /// The store file, e.g. ~/ccsp-copy.sqlite3 (default: CCSP_DB, else ccsp.sqlite3 in the app's data folder).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    /// Who is making the change, e.g. "Sam Patel" (also accepted after any command that changes the record).
    #[arg(long = "as", value_name = "NAME")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Who made a change, for the audit trail: given on the commands that change the record.
#[derive(Args, Default)]
struct Who {
    /// Who is making the change, e.g. "Sam Patel" (default: CCSP_USER, the coordinator's name in settings, or the login name).
    #[arg(long = "as", value_name = "NAME")]
    actor: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new store seeded with the Coventry plan 2025-2028.
    Init,
    /// Add illustrative example actions, updates and indicator values (marked as illustrative).
    Demo {
        #[command(flatten)]
        who: Who,
    },
    /// The plan: themes, priorities, partners, quarters.
    #[command(subcommand)]
    Plan(PlanCmd),
    /// The partners' actions: add, edit, show, list, move, cancel, delete.
    #[command(subcommand)]
    Action(ActionCmd),
    /// Quarterly updates: an action's RAG status, commentary and next steps for a quarter.
    #[command(subcommand)]
    Update(UpdateCmd),
    /// Sign a quarter off, or reopen it with a reason.
    #[command(subcommand)]
    Quarter(QuarterCmd),
    /// Export the papers (PDF) or the whole record (JSON).
    #[command(subcommand)]
    Export(ExportCmd),
    /// Import a JSON export (into a new store, or replacing one after a backup).
    #[command(subcommand)]
    Import(ImportCmd),
    /// Write a consistent snapshot of the store to a file, e.g. --out D:\ccsp-backup.sqlite3.
    Backup {
        /// The new file, e.g. ccsp-2026-12-01.sqlite3 (it must not exist yet).
        #[arg(long, value_name = "FILE.sqlite3")]
        out: PathBuf,
    },
    /// Replace the store with a backup (the current store is backed up first).
    Restore {
        /// The backup to restore, e.g. backups/ccsp-20261201-090000-daily.sqlite3.
        #[arg(value_name = "FILE.sqlite3")]
        file: PathBuf,
    },
    /// Show the audit trail: who changed what, when, before and after.
    Audit {
        /// Only this kind of thing, e.g. action, update, quarter, setting.
        #[arg(long)]
        entity: Option<String>,
        /// Only this ref or quarter, e.g. 1.2.3 or 2025-26-Q1.
        #[arg(long)]
        key: Option<String>,
        /// Print JSON (times as stored, ISO 8601 UTC) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Partners' quarterly returns as Excel workbooks: one per lead partner.
    #[command(subcommand)]
    Returns(ReturnsCmd),
    /// The plan's indicators: police.uk figures brought in, a crime type linked to an indicator.
    #[command(subcommand)]
    Indicators(IndicatorsCmd),
    /// Settings kept in the store: the coordinator's name, the protective marking, where returns go.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// The annual report to Cabinet and Council: its narrative text and its front sheet.
    #[command(subcommand)]
    Report(ReportCmd),
}

#[derive(Subcommand)]
enum ReturnsCmd {
    /// Write a workbook per lead partner with the actions owing a return for the quarter,
    /// e.g. CCSP-return-2026-27-Q3-WMP.xlsx, and print each path.
    Make {
        /// e.g. 2026-27-Q3; defaults to the reporting quarter.
        #[arg(long)]
        quarter: Option<String>,
        /// The folder to write them into (made if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Only this partner's workbook (short or full name), e.g. WMP.
        #[arg(long)]
        partner: Option<String>,
        /// The return-by date the workbooks give, e.g. 2027-01-09 (default: the quarter's returns deadline).
        #[arg(long, value_name = "YYYY-MM-DD")]
        return_by: Option<String>,
        /// Replace workbooks of the same names (otherwise nothing is written if one exists).
        #[arg(long)]
        replace: bool,
    },
    /// Merge partners' returned workbooks: every file and row is checked first, then all of it
    /// applies in one transaction after a backup, or nothing does (exit 2 for a bad file or
    /// row, 3 for a signed-off quarter or a conflict).
    Import {
        /// The returned workbooks (.xlsx), e.g. CCSP-return-2026-27-Q3-WMP.xlsx.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The quarter they return, e.g. 2026-27-Q3; defaults to the reporting quarter.
        #[arg(long)]
        quarter: Option<String>,
        /// Check and show what would change; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply the valid rows and list (and audit) the others.
        #[arg(long)]
        skip_invalid: bool,
        /// Keep rows that break the RAG rules as incomplete drafts (as the app's own entry does).
        #[arg(long)]
        drafts: bool,
        /// Take the partner's version where the store's update changed since the workbook was made.
        #[arg(long)]
        overwrite: bool,
        /// Print the preview as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Who has returned: per lead partner, the workbook made, the return received, rows
    /// applied and rows still outstanding.
    Status {
        /// e.g. 2026-27-Q3; defaults to the reporting quarter.
        #[arg(long)]
        quarter: Option<String>,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ReportCmd {
    /// The annual report's narrative sections (your text, or a draft from the data).
    #[command(subcommand)]
    Narrative(NarrativeCmd),
    /// The annual report's front sheet for a year (options not given keep their value).
    FrontSheet {
        /// The financial year, e.g. 2025-26.
        #[arg(long)]
        year: String,
        /// e.g. "Coventry Community Safety Partnership Plan – annual progress report".
        #[arg(long)]
        title: Option<String>,
        /// Is it a key decision: yes or no.
        #[arg(long)]
        key_decision: Option<String>,
        /// Scrutiny consideration, e.g. "Yes – 18 December 2025" or "No".
        #[arg(long)]
        scrutiny: Option<String>,
        /// Other bodies it goes to, e.g. "CCSP Board – 10 December 2025".
        #[arg(long)]
        other_bodies: Option<String>,
        /// Whether it goes to Council, e.g. "Yes – 24 March 2026".
        #[arg(long)]
        council: Option<String>,
        /// The author's role, e.g. "CCTV and Community Safety Manager" (a role, not a name).
        #[arg(long)]
        author_role: Option<String>,
        /// e.g. "Regulatory Services".
        #[arg(long)]
        service_area: Option<String>,
        /// Enquiries to, e.g. a team's role (published with the report).
        #[arg(long)]
        contact: Option<String>,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Subcommand)]
enum NarrativeCmd {
    /// Set a section's text for a year from a file (paragraphs separated by blank lines; an
    /// empty file clears it, so the generated draft is used again).
    Set {
        /// The financial year, e.g. 2025-26.
        #[arg(long)]
        year: String,
        /// One of: executive_summary, context, options, progress, performance, timetable,
        /// financial, legal, one_coventry, risk, organisation, equalities, climate, partners.
        #[arg(long)]
        section: String,
        /// A UTF-8 text file, e.g. context.md.
        #[arg(long, value_name = "TEXT.md")]
        file: PathBuf,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Subcommand)]
enum PlanCmd {
    /// Themes, priorities (refs like 1.2), partners, quarters and their state.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// A theme's outcome line, shown under its title on the Plan on a Page ("" clears it).
    SetOutcome {
        /// The theme's number (see `ccsp plan show`), e.g. 1.
        theme: u32,
        /// e.g. "Fewer people hurt by violence, and fewer young people drawn into it".
        outcome: String,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Subcommand)]
enum ActionCmd {
    /// Add an action under a priority; prints its new ref, e.g. 1.2.3.
    Add(Box<AddArgs>),
    /// The register: every action with its lead, lifecycle, latest update and due date.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Cancel an action (kept in the record with its reason).
    Cancel {
        /// The action's ref, e.g. 1.2.3.
        #[arg(value_name = "REF")]
        reference: String,
        /// Why, e.g. "Funding withdrawn" (kept in the audit trail).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
    /// Delete an action that has no updates.
    Delete {
        /// The action's ref, e.g. 1.2.3.
        #[arg(value_name = "REF")]
        reference: String,
        #[command(flatten)]
        who: Who,
    },
    /// Move an action to another priority (it keeps its ref).
    Move {
        /// The action's ref, e.g. 1.2.3.
        #[arg(value_name = "REF")]
        reference: String,
        /// The priority it moves to, e.g. 2.1.
        #[arg(long)]
        priority: String,
        #[command(flatten)]
        who: Who,
    },
    /// Change an action's details: options not given keep their value (same rules as the app's form).
    Edit(Box<EditArgs>),
    /// Everything about one action: its details, funding, partners and every update.
    Show {
        /// The action's ref, e.g. 1.2.3.
        #[arg(value_name = "REF")]
        reference: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct EditArgs {
    /// The action's ref, e.g. 1.2.3 (it never changes).
    #[arg(value_name = "REF")]
    reference: String,
    /// Another priority, e.g. 2.1 (the action keeps its ref).
    #[arg(long)]
    priority: Option<String>,
    /// A new title, e.g. "Knife-crime education in every secondary school".
    #[arg(long)]
    title: Option<String>,
    /// Lead partner's short name, e.g. WMP.
    #[arg(long)]
    lead: Option<String>,
    /// Supporting partners, comma-separated, e.g. WMFS,CCC ("" for none).
    #[arg(long, value_delimiter = ',')]
    partners: Option<Vec<String>>,
    /// When it starts, e.g. 2026-04-01 ("" for none).
    #[arg(long, value_name = "YYYY-MM-DD")]
    start: Option<String>,
    /// When it is due, e.g. 2027-03-31 ("" for none).
    #[arg(long, value_name = "YYYY-MM-DD")]
    due: Option<String>,
    /// Due quarter instead of a date, e.g. 2026-27-Q4 ("" for none).
    #[arg(long, value_name = "QUARTER")]
    due_quarter: Option<String>,
    /// What it involves, in a sentence or two.
    #[arg(long)]
    description: Option<String>,
    /// How success is measured, e.g. "Every school visited by March".
    #[arg(long)]
    success_measure: Option<String>,
    /// Funding allocated in pounds for --funding-year, e.g. 2500.00.
    #[arg(long, value_name = "POUNDS", allow_hyphen_values = true)]
    funding: Option<String>,
    /// Financial year of the funding, e.g. 2026-27 (default: the current one).
    #[arg(long, value_name = "YEAR")]
    funding_year: Option<String>,
    #[command(flatten)]
    who: Who,
}

#[derive(Args)]
struct AddArgs {
    /// The priority it delivers, e.g. 1.2.
    #[arg(long)]
    priority: String,
    /// e.g. "Knife-crime education sessions in every secondary school".
    #[arg(long)]
    title: String,
    /// Lead partner's short name, e.g. WMP.
    #[arg(long)]
    lead: String,
    /// Supporting partners, comma-separated, e.g. WMFS,CCC.
    #[arg(long, value_delimiter = ',')]
    partners: Vec<String>,
    /// When it starts, e.g. 2026-04-01 (within the plan).
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "")]
    start: String,
    /// When it is due, e.g. 2027-03-31.
    #[arg(long, value_name = "YYYY-MM-DD", default_value = "")]
    due: String,
    /// Due quarter instead of a date, e.g. 2026-27-Q2.
    #[arg(long, value_name = "QUARTER", default_value = "")]
    due_quarter: String,
    /// What it involves, in a sentence or two.
    #[arg(long, default_value = "")]
    description: String,
    /// How success is measured, e.g. "Every school visited by March".
    #[arg(long, default_value = "")]
    success_measure: String,
    /// Funding allocated in pounds, e.g. 2500.00.
    #[arg(long, value_name = "POUNDS", allow_hyphen_values = true, default_value = "")]
    funding: String,
    /// Financial year of the funding, e.g. 2025-26 (default: the current one).
    #[arg(long, value_name = "YEAR", default_value = "")]
    funding_year: String,
    #[command(flatten)]
    who: Who,
}

#[derive(Subcommand)]
enum UpdateCmd {
    /// Record or correct an action's update for a quarter (options not given keep their value).
    Set {
        /// The action's ref, e.g. 1.2.3.
        #[arg(value_name = "REF")]
        reference: String,
        /// e.g. 2025-26-Q2 (also "2025/26 Q2" in quotes).
        #[arg(long)]
        quarter: String,
        /// red, amber, green, complete or not-started (R A G C N); not given: keeps the
        /// status already recorded for the quarter.
        #[arg(long)]
        rag: Option<String>,
        /// What happened this quarter; not given: keeps the recorded text; "" clears it.
        #[arg(long)]
        commentary: Option<String>,
        /// Mitigation / next steps (required for Red); not given: kept; "" clears them.
        #[arg(long)]
        next_steps: Option<String>,
        /// Who reported it, e.g. "WMP performance team" (default: whoever makes the change).
        #[arg(long)]
        reported_by: Option<String>,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Subcommand)]
enum QuarterCmd {
    /// Sign a quarter off at the CCSP meeting: its updates, indicator values and spend freeze.
    SignOff {
        /// e.g. 2025-26-Q2.
        quarter: String,
        /// Sign off even though some returns are missing (they show as "no return").
        #[arg(long)]
        yes: bool,
        /// Who chaired the meeting, e.g. "Cllr A. Khan" (recorded with the sign-off).
        #[arg(long)]
        chair: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// Mark a Red or Amber update reviewed before the pack is final (the coordinator's step).
    Review {
        /// e.g. 2026-27-Q2.
        quarter: String,
        /// The action's ref, e.g. 1.2.3.
        #[arg(long = "ref", value_name = "REF")]
        reference: String,
        /// What the coordinator noted, e.g. "Discussed with WMP; escalate to the Board".
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        who: Who,
    },
    /// A quarter's dates: returns due, papers due, the CCSP meeting (options not given keep
    /// their value; "" clears one, which then takes its default).
    Schedule {
        /// e.g. 2026-27-Q2.
        quarter: String,
        /// When partners' returns are due, e.g. 2026-10-16 (default: 15 days after the quarter).
        #[arg(long, value_name = "YYYY-MM-DD")]
        returns_due: Option<String>,
        /// When the papers go out, e.g. 2026-10-29 (default: 10 working days before the meeting).
        #[arg(long, value_name = "YYYY-MM-DD")]
        papers_due: Option<String>,
        /// The CCSP meeting, UK time, e.g. 2026-11-12T10:00.
        #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
        meeting: Option<String>,
        /// Where it meets, e.g. "Committee Room 2, Council House".
        #[arg(long)]
        place: Option<String>,
        #[command(flatten)]
        who: Who,
    },
    /// The defaults every quarter's dates take unless set.
    ScheduleDefaults {
        /// Returns are due this many days after the quarter ends, e.g. 15.
        #[arg(long, value_name = "DAYS")]
        returns_after_days: Option<i64>,
        /// Papers are due this many working days before the meeting, e.g. 10.
        #[arg(long, value_name = "DAYS")]
        papers_working_days: Option<i64>,
        #[command(flatten)]
        who: Who,
    },
    /// Reopen a signed-off quarter to correct it; the reason goes into the audit trail.
    Reopen {
        /// e.g. 2025-26-Q2.
        quarter: String,
        /// Why, e.g. "WMP corrected its Q2 return".
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Subcommand)]
enum ExportCmd {
    /// Everything, for backup and moving (readable by you only).
    Json {
        /// e.g. ccsp-record.json.
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
        /// Replace the file if it exists (otherwise an existing file is never overwritten).
        #[arg(long)]
        force: bool,
    },
    /// The annual progress report to Cabinet and Council for a financial year (PDF, A4; or its Word copy, .docx).
    CouncilReport {
        /// e.g. 2025-26.
        #[arg(long)]
        year: String,
        /// e.g. annual-report-2025-26.pdf, or annual-report-2025-26.docx for the Word copy.
        #[arg(long, value_name = "FILE.pdf|FILE.docx")]
        out: PathBuf,
        /// pdf or docx: optional, the file name's extension decides; a mismatch is refused.
        #[arg(long)]
        format: Option<String>,
        /// Replace the file if it exists (otherwise an existing file is never overwritten).
        #[arg(long)]
        force: bool,
    },
    /// The quarterly performance report for the CCSP meeting (PDF, A4).
    Quarterly {
        /// e.g. 2025-26-Q2; defaults to the reporting quarter.
        #[arg(long)]
        quarter: Option<String>,
        /// e.g. ccsp-2025-26-Q2.pdf.
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Replace the file if it exists (otherwise an existing file is never overwritten).
        #[arg(long)]
        force: bool,
    },
    /// A year's quarter dates (returns, papers, meetings) as an iCalendar file for Outlook.
    Calendar {
        /// The financial year, e.g. 2026-27.
        #[arg(long)]
        year: String,
        /// e.g. ccsp-2026-27.ics.
        #[arg(long, value_name = "FILE.ics")]
        out: PathBuf,
        /// Replace the file if it exists (otherwise an existing file is never overwritten).
        #[arg(long)]
        force: bool,
    },
    /// The register for Excel: every action with a quarter's status and commentary (.xlsx, or .csv in UTF-8).
    Tracker {
        /// e.g. 2026-27-Q2; defaults to the reporting quarter.
        #[arg(long)]
        quarter: Option<String>,
        /// e.g. tracker.xlsx or tracker.csv (the format follows the extension).
        #[arg(long, value_name = "FILE.xlsx|FILE.csv")]
        out: PathBuf,
        /// Replace the file if it exists (otherwise an existing file is never overwritten).
        #[arg(long)]
        force: bool,
    },
    /// The Plan on a Page: one landscape page (PDF).
    PlanOnAPage {
        /// e.g. plan-on-a-page.pdf.
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Replace the file if it exists (otherwise an existing file is never overwritten).
        #[arg(long)]
        force: bool,
        /// A4 (the default) or A3.
        #[arg(long, default_value = "A4")]
        paper: String,
        /// The quarter the status is as at, e.g. 2026-27-Q2; defaults to the reporting quarter.
        #[arg(long, value_name = "QUARTER")]
        as_at: Option<String>,
        /// The public version: no status and no status key.
        #[arg(long)]
        no_status: bool,
    },
}

#[derive(Subcommand)]
enum ImportCmd {
    /// A JSON export (`ccsp export json`): creates the store, or replaces it with --replace.
    Json {
        /// e.g. ccsp-record.json.
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// Replace an existing store (it is backed up first).
        #[arg(long)]
        replace: bool,
    },
    /// An existing tracker's actions (.xlsx or .csv), or with --template an empty workbook to
    /// fill in: all of them are added after a backup, or none (every problem named by its cell).
    Actions {
        /// The tracker to bring in, e.g. council-tracker.xlsx.
        #[arg(value_name = "FILE", required_unless_present = "template")]
        file: Option<PathBuf>,
        /// Write the empty template here instead, e.g. actions-template.xlsx.
        #[arg(long, value_name = "FILE.xlsx", conflicts_with = "file")]
        template: Option<PathBuf>,
        /// Check and list what would be added; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Add rows that repeat an action already in the plan (same priority and title).
        #[arg(long)]
        allow_duplicates: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: Who,
    },
}

#[derive(Subcommand)]
enum IndicatorsCmd {
    /// Count police.uk street-level crime for the area per crime type and quarter, from saved
    /// files: CSVs, folders of them, or monthly zips (nothing is downloaded). Each crime type
    /// feeds its indicator (PUK-..., created on first import); a quarter missing a month is
    /// partial, with no value. Re-importing a month replaces it; a backup is taken first.
    ImportPolice {
        /// CSV files (2026-09-west-midlands-street.csv), folders, or monthly zips.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The area for this import (LSOA names begin with it; default: the plan's, Coventry).
        #[arg(long, value_name = "NAME")]
        area: Option<String>,
        /// A file of LSOA codes (one per line, or the first column of a CSV) that count whatever their name.
        #[arg(long, value_name = "FILE")]
        lsoa_codes: Option<PathBuf>,
        /// Read and show what would change; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        who: Who,
    },
    /// Feed an existing indicator from a police.uk crime type instead of a PUK- one.
    LinkPolice {
        /// The indicator's code, e.g. ASB-01.
        code: String,
        /// The crime type exactly as police.uk writes it, e.g. "Anti-social behaviour".
        #[arg(long)]
        crime_type: String,
        #[command(flatten)]
        who: Who,
    },
    /// The plan's area and force for police.uk rows (default Coventry, West Midlands Police).
    SetPoliceArea {
        /// e.g. Coventry (LSOA names read "Coventry 001A").
        area: String,
        /// The force as police.uk's "Falls within" column names it, e.g. "West Midlands Police".
        #[arg(long)]
        force: Option<String>,
        #[command(flatten)]
        who: Who,
    },
}

// The commands read "settings set-name", "settings set-marking": the prefix is the word.
#[allow(clippy::enum_variant_names)]
#[derive(Subcommand)]
enum SettingsCmd {
    /// The coordinator's name, recorded in the audit trail, e.g. "Sam Patel".
    SetName {
        /// e.g. "Sam Patel".
        name: String,
        #[command(flatten)]
        who: Who,
    },
    /// Where partners send their returns back to, named in every workbook, e.g. ccsp@coventry.gov.uk.
    SetReturnTo {
        /// e.g. ccsp@coventry.gov.uk.
        to: String,
        #[command(flatten)]
        who: Who,
    },
    /// The protective marking in the header or footer of every paper (default OFFICIAL).
    SetMarking {
        /// e.g. OFFICIAL or OFFICIAL-SENSITIVE.
        marking: String,
        #[command(flatten)]
        who: Who,
    },
}

fn main() -> ExitCode {
    if let Some(said) = split_quarter(std::env::args().skip(1)) {
        eprintln!("ccsp: {said}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ccsp: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// `--quarter 2026/27 Q1` unquoted reaches us as two arguments ("2026/27", "Q1"), which the
/// parser would call an unexpected argument: say how to write it instead.
fn split_quarter(args: impl Iterator<Item = String>) -> Option<String> {
    let args: Vec<String> = args.collect();
    args.windows(2).find_map(|w| {
        let year = w[0].trim();
        let q = w[1].trim().to_ascii_uppercase();
        let looks_like_year = year.len() == 7 && year.as_bytes()[4] == b'/' && year.bytes().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit());
        let looks_like_q = q.len() == 2 && q.starts_with('Q') && q.as_bytes()[1].is_ascii_digit();
        (looks_like_year && looks_like_q)
            .then(|| format!("quarter: \"{year} {q}\" arrived as two words; write it as one, {}-{q} (or in quotes: \"{year} {q}\")", year.replace('/', "-")))
    })
}

/// The quarter given with --quarter, else the reporting quarter (PRODUCT.md "Which quarter").
fn quarter_or_reporting(store: &Store, quarter: Option<&str>, today: chrono::NaiveDate) -> Result<Quarter, CoreError> {
    match quarter {
        Some(q) => Quarter::parse(q),
        None => store.reporting_quarter(today)?.ok_or_else(|| CoreError::invalid("quarter", "the plan has not started yet; give --quarter")),
    }
}

fn ctx_for(store: &Store, actor: Option<&str>) -> Result<Ctx, CoreError> {
    let who = paths::resolve_actor(actor, store.setting("coordinator_name")?);
    Ok(Ctx::new(who, paths::today()?))
}

/// The police.uk import, as lines: the files read and set aside, each month, the values.
fn print_police(o: &ccsp_core::store::police::PoliceImport) {
    use ccsp_core::store::police::MonthOutcome;
    say!("police.uk figures for {} ({}):", o.area, o.force);
    for f in &o.files {
        let from = if f.archive.is_empty() { String::new() } else { format!(" in {}", f.archive) };
        say!(
            "  {}{from}: {} rows, {} kept; left out: {} of another force, {} with no location, {} of another area",
            f.file,
            f.rows,
            f.kept,
            f.other_force,
            f.no_lsoa,
            f.other_area
        );
    }
    for s in &o.skipped {
        let from = if s.archive.is_empty() { String::new() } else { format!(" in {}", s.archive) };
        say!("  skipped {}{from}: {}", s.file, s.why);
    }
    for m in &o.months {
        let what = match m.outcome {
            MonthOutcome::New => format!("new, {}", m.total),
            // a replaced month always had counts before
            MonthOutcome::Replaced => format!("replaced, {} → {}", m.before.unwrap_or(0), m.total),
            MonthOutcome::Unchanged => format!("unchanged, {}", m.total),
            // a month new to a signed-off quarter had nothing before
            MonthOutcome::Held => format!("held: {} is signed off (reopen it to take the revised {} → {})", m.quarter, m.before.unwrap_or(0), m.total),
            MonthOutcome::OutsidePlan => "outside the plan's period: skipped".to_string(),
        };
        say!("  {} ({}): {what}", m.month, m.quarter);
    }
    for i in o.indicators.iter().filter(|i| i.created || i.relinked || i.values.iter().any(|v| v.changed)) {
        let values: Vec<String> = i
            .values
            .iter()
            .map(|v| match v.value {
                Some(n) => format!("{} {n}{}", v.quarter, if v.changed { "*" } else { "" }),
                None => format!("{} partial ({} of 3 months)", v.quarter, v.months),
            })
            .collect();
        let how = if i.created {
            " (new)"
        } else if i.relinked {
            " (fed by its crime type again)"
        } else {
            ""
        };
        say!("  {}{how} {}: {}", i.code, i.name, values.join(", "));
    }
    let done = if o.applied {
        format!("applied; the store was backed up first to {}", o.backup.as_deref().unwrap_or("?"))
    } else if o.dry_run {
        "nothing changed (--dry-run)".into()
    } else {
        "nothing to change".into()
    };
    say!("{} — {done}.", o.summary());
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), CoreError> {
    let s = serde_json::to_string_pretty(v).map_err(|e| CoreError::Refused(e.to_string()))?;
    say!("{s}");
    Ok(())
}

fn run(cli: Cli) -> Result<(), CoreError> {
    let db = match cli.db {
        Some(p) => p,
        None => paths::default_store_path()?,
    };
    let actor = cli.actor.as_deref();
    match cli.command {
        Command::Init => {
            let store = ccsp_core::init_store(&db)?;
            let plan = store.plan()?;
            say!("Created {} with \"{}\" ({} to {}).", db.display(), plan.title, plan.start_date, plan.end_date);
            Ok(())
        }
        Command::Import(ImportCmd::Actions { file, template, dry_run, allow_duplicates, json, who }) => {
            let mut store = Store::open(&db)?;
            import_actions(&mut store, who.actor.as_deref().or(actor), file, template, dry_run, allow_duplicates, json)
        }
        Command::Import(ImportCmd::Json { file, replace }) => {
            match ccsp_core::import_json(&db, &file, replace)? {
                None => say!("Imported {} into a new store at {}.", file.display(), db.display()),
                Some(b) => say!("Imported {} into {} (the previous store was backed up to {}).", file.display(), db.display(), b.display()),
            }
            Ok(())
        }
        command => {
            let mut store = Store::open(&db)?;
            run_on(&mut store, actor, command)
        }
    }
}

fn run_on(store: &mut Store, actor: Option<&str>, command: Command) -> Result<(), CoreError> {
    match command {
        Command::Init | Command::Import(_) => unreachable_command(),
        Command::Demo { who } => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let s = ccsp_core::demo::add_demo(store, &ctx)?;
            say!(
                "Added illustrative demo data: {} actions, {} quarterly updates, {} indicator values (each marked as illustrative).",
                s.actions,
                s.updates,
                s.indicator_values
            );
            Ok(())
        }
        Command::Plan(PlanCmd::Show { json }) => {
            let summary = store.plan_summary(paths::today()?)?;
            if json {
                return print_json(&summary);
            }
            let p = &summary.plan;
            say!("{}", p.title);
            say!("{} ({}), {} to {}", p.partnership, p.short_name, long_date(p.start_date), long_date(p.end_date));
            say!("Vision: {}", p.vision);
            for t in &summary.themes {
                say!("\nTheme {}. {}", t.number, t.title);
                if !t.delivery_groups.is_empty() {
                    say!("  Delivery groups: {}", t.delivery_groups.join("; "));
                }
                for pr in &t.priorities {
                    let lenses: Vec<&str> = pr.lenses.iter().map(|l| l.label()).collect();
                    say!("  {:<5} {}  [{}]  {}", pr.reference, pr.title, lenses.join(", "), ccsp_core::validate::count(pr.actions, "action"));
                }
            }
            say!("\nPartners");
            for pa in &summary.partners {
                let kind = pa.kind.label().to_lowercase();
                say!("  {:<6} {} ({kind})", pa.short_name, pa.name);
            }
            say!("\nQuarters");
            for q in &summary.quarters {
                let state = match q.state {
                    QuarterState::SignedOff => format!(
                        "signed off {} by {}",
                        match q.signed_off_at.as_deref() {
                            Some(at) => long_date(paths::uk_day_of(at)?),
                            None => "(date not recorded)".into(),
                        },
                        q.signed_off_by.as_deref().unwrap_or("(name not recorded)")
                    ),
                    other => other.label().to_string(),
                };
                say!("  {}  {:<11} {}", q.code, q.label, state);
                if q.state != QuarterState::NotStarted {
                    say!("              {}", schedule_words(&q.schedule));
                }
            }
            if let Some(q) = &summary.reporting_quarter {
                say!("\nReporting quarter: {q}");
            }
            Ok(())
        }
        Command::Action(cmd) => action(store, actor, cmd),
        Command::Update(UpdateCmd::Set { reference, quarter, rag, commentary, next_steps, reported_by, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let change = UpdateChange {
                action: reference,
                quarter: Quarter::parse(&quarter)?,
                rag: rag.as_deref().map(Rag::parse).transpose()?,
                commentary,
                next_steps,
                reported_by,
            };
            let (saved, cleared) = store.correct_update(&ctx, &change)?;
            say!("Saved the {} update for {}.", Quarter::parse(&saved.quarter)?, saved.action);
            if !cleared.is_empty() {
                say!("Cleared the {} (the old text is in the audit trail).", cleared.join(" and the "));
            }
            Ok(())
        }
        Command::Quarter(QuarterCmd::Review { quarter, reference, note, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let q = Quarter::parse(&quarter)?;
            store.review(&ctx, q, &reference, &note)?;
            let d = store.dashboard(q, ctx.today)?;
            let done = d.off_track.iter().filter(|o| o.reviewed_by.is_some()).count();
            say!("Reviewed {} for {q} ({done} of {} Red and Amber reviewed).", reference.trim(), d.off_track.len());
            Ok(())
        }
        Command::Quarter(QuarterCmd::SignOff { quarter, yes, chair, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let q = Quarter::parse(&quarter)?;
            let done = store.sign_off_chaired(&ctx, q, yes, chair.as_deref().unwrap_or(""))?; // no chair given: none recorded
            say!("Signed off {q}. Its updates, indicator values and spend are now frozen.");
            if let Some(failed) = done.backup_failed {
                eprintln!("ccsp: warning: {failed}");
            }
            Ok(())
        }
        Command::Quarter(QuarterCmd::Schedule { quarter, returns_due, papers_due, meeting, place, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let q = Quarter::parse(&quarter)?;
            let date = |field: &str, v: Option<String>| -> Result<Option<Option<chrono::NaiveDate>>, CoreError> {
                v.map(|s| if s.trim().is_empty() { Ok(None) } else { parse_date(field, &s).map(Some) }).transpose()
            };
            let change = ccsp_core::store::ScheduleChange {
                returns_due: date("returns-due", returns_due)?,
                papers_due: date("papers-due", papers_due)?,
                meeting: meeting.map(|m| if m.trim().is_empty() { Ok(None) } else { ccsp_core::store::parse_meeting(&m).map(Some) }).transpose()?,
                place,
            };
            store.set_schedule(&ctx, q, &change)?;
            let v = store.schedule_view(q, ctx.today)?;
            say!("{q}: {}", schedule_words(&v));
            Ok(())
        }
        Command::Quarter(QuarterCmd::ScheduleDefaults { returns_after_days, papers_working_days, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let d = store.set_schedule_defaults(&ctx, returns_after_days, papers_working_days)?;
            say!(
                "Returns are due {} after a quarter ends; papers {} before its meeting (unless a quarter's own dates are set).",
                ccsp_core::validate::count(d.returns_after_days as usize, "day"),
                ccsp_core::validate::count(d.papers_working_days as usize, "working day")
            );
            Ok(())
        }
        Command::Quarter(QuarterCmd::Reopen { quarter, reason, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let q = Quarter::parse(&quarter)?;
            store.reopen(&ctx, q, &reason)?;
            say!("Reopened {q}; the reason is in the audit trail.");
            Ok(())
        }
        Command::Export(ExportCmd::Calendar { year, out, force }) => {
            let year = FinancialYear::parse(&year)?;
            let ics = store.year_calendar(year, paths::today()?)?;
            ccsp_core::export::write_out(&out, ics.as_bytes(), store.path(), Write { overwrite: force, private: false })?;
            say!("Wrote the quarter dates for {year} to {} (import it into Outlook; importing again updates the events).", out.display());
            Ok(())
        }
        Command::Export(ExportCmd::Tracker { quarter, out, force }) => {
            let today = paths::today()?;
            let q = quarter_or_reporting(store, quarter.as_deref(), today)?;
            // No extension: refused by `render` as neither .xlsx nor .csv.
            let extension = out.extension().and_then(|e| e.to_str()).unwrap_or_default();
            let (bytes, actions) = ccsp_core::interchange::tracker::render(store, q, extension)?;
            ccsp_core::export::write_out(&out, &bytes, store.path(), Write { overwrite: force, private: false })?;
            say!("Wrote the tracker ({actions} actions, {q}) to {}.", out.display());
            Ok(())
        }
        Command::Export(ExportCmd::Json { out, force }) => {
            let json = ccsp_core::interchange::to_json(&store.record()?)?;
            ccsp_core::export::write_out(&out, json.as_bytes(), store.path(), Write { overwrite: force, private: true })?;
            say!("Exported the record to {}.", out.display());
            Ok(())
        }
        Command::Export(ExportCmd::Quarterly { quarter, out, force }) => {
            let today = paths::today()?;
            let q = quarter_or_reporting(store, quarter.as_deref(), today)?;
            let doc = ccsp_docs::quarterly(store, q, today).map_err(|e| e.into_core())?;
            ccsp_core::export::write_out(&out, &doc.bytes, store.path(), Write { overwrite: force, private: false })?;
            for w in &doc.warnings {
                eprintln!("ccsp: warning: {w}");
            }
            say!("Wrote the quarterly report for {q} ({} pages) to {}.", doc.pages, out.display());
            Ok(())
        }
        Command::Export(ExportCmd::PlanOnAPage { out, paper, force, as_at, no_status }) => {
            let paper = ccsp_docs::Paper::parse(&paper)?;
            let as_at = as_at.as_deref().map(|q| ccsp_core::domain::Quarter::parse(q).map_err(|e| e.for_field("as_at"))).transpose()?;
            let opts = ccsp_docs::PopOptions { paper, as_at, status: !no_status };
            let doc = ccsp_docs::plan_on_a_page(store, opts, paths::today()?).map_err(|e| e.into_core())?;
            ccsp_core::export::write_out(&out, &doc.bytes, store.path(), Write { overwrite: force, private: false })?;
            for w in &doc.warnings {
                eprintln!("ccsp: warning: {w}");
            }
            say!("Wrote the Plan on a Page ({:?} landscape, {} page) to {}.", paper, doc.pages, out.display());
            Ok(())
        }
        Command::Backup { out } => {
            store.backup_to(&out)?;
            say!("Backed up {} to {}.", store.path().display(), out.display());
            Ok(())
        }
        Command::Restore { file } => {
            let saved = store.restore_from(&file)?;
            say!("Restored {} from {} (the store as it was is saved at {}).", store.path().display(), file.display(), saved.display());
            Ok(())
        }
        Command::Audit { entity, key, json } => {
            let entity = entity.as_deref().map(ccsp_core::store::audit_entity).transpose()?;
            let entries = store.audit(&AuditFilter { entity, key_prefix: key, ..Default::default() })?;
            if json {
                return print_json(&entries);
            }
            for e in entries {
                let change = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "—".into());
                say_part!(
                    "{:<18}  {:<12} {:<10} {:<18} {:<16} {} → {}",
                    paths::uk_time_of(&e.at)?,
                    e.who,
                    e.op,
                    e.entity,
                    e.key,
                    change(&e.before),
                    change(&e.after)
                );
                if let Some(r) = e.reason {
                    say_part!("  (reason: {r})");
                }
                say!("");
            }
            Ok(())
        }
        Command::Report(ReportCmd::Narrative(NarrativeCmd::Set { year, section, file, who })) => {
            let actor = who.actor.as_deref().or(actor);
            let year = FinancialYear::parse(&year)?;
            ccsp_core::fault::input_file("file", &file)?;
            let body = std::fs::read(&file).map_err(|e| CoreError::io(&file, e))?;
            let body = String::from_utf8(body).map_err(|_| CoreError::invalid("file", format!("{} is not UTF-8 text", file.display())))?;
            let ctx = ctx_for(store, actor)?;
            store.set_narrative(&ctx, year, section.trim(), &body)?;
            if body.trim().is_empty() {
                say!("Cleared the {} text for {year}; the report will use a generated draft.", section.trim());
            } else {
                say!("Saved the {} text for {year}.", section.trim());
            }
            Ok(())
        }
        Command::Report(ReportCmd::FrontSheet { year, title, key_decision, scrutiny, other_bodies, council, author_role, service_area, contact, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let year = FinancialYear::parse(&year)?;
            let mut sheet = store.front_sheet_or_default(year)?.sheet;
            let keep = |new: Option<String>, old: &mut String| {
                if let Some(v) = new {
                    *old = v;
                }
            };
            keep(title, &mut sheet.title);
            keep(scrutiny, &mut sheet.scrutiny);
            keep(other_bodies, &mut sheet.other_bodies);
            keep(council, &mut sheet.council);
            keep(author_role, &mut sheet.author_role);
            keep(service_area, &mut sheet.service_area);
            keep(contact, &mut sheet.contact);
            if let Some(k) = key_decision {
                sheet.key_decision = match k.trim().to_ascii_lowercase().as_str() {
                    "yes" | "y" | "true" => true,
                    "no" | "n" | "false" => false,
                    other => return Err(CoreError::invalid("key-decision", format!("\"{other}\" is not yes or no"))),
                };
            }
            let ctx = ctx_for(store, actor)?;
            store.set_front_sheet(&ctx, &sheet)?;
            say!("Saved the front sheet for {year}.");
            Ok(())
        }
        Command::Export(ExportCmd::CouncilReport { year, out, format, force }) => {
            let year = FinancialYear::parse(&year)?;
            let format = ccsp_docs::Format::for_output(&out, format.as_deref(), &ccsp_docs::Format::ALL)?;
            let doc = match format {
                ccsp_docs::Format::Pdf => ccsp_docs::council_report(store, year, paths::today()?),
                ccsp_docs::Format::Docx => ccsp_docs::council_report_docx(store, year, paths::today()?),
            }
            .map_err(|e| e.into_core())?;
            ccsp_core::export::write_out(&out, &doc.bytes, store.path(), Write { overwrite: force, private: false })?;
            for w in &doc.warnings {
                eprintln!("ccsp: warning: {w}");
            }
            match format {
                ccsp_docs::Format::Pdf => say!("Wrote the annual report to Cabinet and Council for {year} ({} pages) to {}.", doc.pages, out.display()),
                ccsp_docs::Format::Docx => say!("Wrote the annual report to Cabinet and Council for {year} as a Word document to {}.", out.display()),
            }
            Ok(())
        }
        Command::Settings(SettingsCmd::SetReturnTo { to, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.set_return_to(&ctx, &to)?;
            say!("Partners' workbooks now ask for returns to be sent to {}.", to.trim());
            Ok(())
        }
        Command::Returns(ReturnsCmd::Make { quarter, out, partner, return_by, replace }) => {
            let today = paths::today()?;
            let q = quarter_or_reporting(store, quarter.as_deref(), today)?;
            let return_by = return_by.map(|d| ccsp_core::domain::parse_date("return-by", &d)).transpose()?;
            let made = ccsp_core::interchange::returns::make_into(store, &out, q, today, partner.as_deref(), return_by, replace)?;
            for f in &made.files {
                say!("{}", f.path);
            }
            if let Some(e) = &made.log_failed {
                eprintln!("ccsp: note: the workbooks were written, but the store could not note they were made ({e})");
            }
            eprintln!("ccsp: wrote {} workbook(s) for {q}, to be returned by {}.", made.files.len(), made.return_by);
            Ok(())
        }
        Command::Returns(ReturnsCmd::Import { files, quarter, dry_run, skip_invalid, drafts, overwrite, json, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let q = quarter_or_reporting(store, quarter.as_deref(), ctx.today)?;
            let choices = ccsp_core::interchange::return_import::Choices { dry_run, skip_invalid, drafts, overwrite, ..Default::default() };
            let files: Vec<Source> = files.into_iter().map(Source::Path).collect();
            let outcome = ccsp_core::interchange::return_import::import(store, &ctx, &files, q, choices)?;
            if json {
                print_json(&outcome)?;
            } else {
                print_returns_import(&outcome, q);
            }
            match outcome.exit_code() {
                0 => Ok(()),
                2 => Err(CoreError::invalid("returns", format!("nothing was applied: {} (listed above)", problems_words(&outcome)))),
                _ => Err(CoreError::Refused(format!("nothing was applied: {} (listed above)", problems_words(&outcome)))),
            }
        }
        Command::Returns(ReturnsCmd::Status { quarter, json }) => {
            let today = paths::today()?;
            let q = quarter_or_reporting(store, quarter.as_deref(), today)?;
            let status = store.returns_status(q, today)?;
            if json {
                return print_json(&status);
            }
            say!("Returns for {q}");
            for p in &status {
                let when = |at: &Option<String>| -> Result<String, CoreError> {
                    Ok(match at {
                        Some(at) => long_date(paths::uk_day_of(at)?),
                        None => "—".into(),
                    })
                };
                let returned = match (&p.returned_file, &p.returned_at) {
                    (Some(f), at) => format!("returned {} ({f})", when(at)?),
                    (None, _) => "not returned".into(),
                };
                say!(
                    "  {:<6} made {:<18} {returned}; {} applied, {} of {} outstanding",
                    p.partner,
                    when(&p.made_at)?,
                    ccsp_core::validate::count(p.rows_applied as usize, "row"),
                    p.outstanding,
                    p.owed
                );
            }
            Ok(())
        }
        Command::Indicators(IndicatorsCmd::ImportPolice { paths, area, lsoa_codes, dry_run, json, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let codes = match &lsoa_codes {
                Some(f) => {
                    ccsp_core::fault::input_file("lsoa-codes", f)?;
                    ccsp_core::store::police::lsoa_codes(&std::fs::read_to_string(f).map_err(|e| CoreError::io(f, e))?)
                }
                None => Default::default(),
            };
            let opts = ccsp_core::store::police::PoliceOptions { area, lsoa_codes: codes, dry_run };
            let out = store.import_police(&ctx, &paths, &opts, &mut |_, _| true)?;
            if json {
                return print_json(&out);
            }
            print_police(&out);
            Ok(())
        }
        Command::Indicators(IndicatorsCmd::LinkPolice { code, crime_type, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.link_police(&ctx, &code, &crime_type)?;
            say!("{code} is now fed by police.uk \"{}\" figures at the next import.", crime_type.trim());
            Ok(())
        }
        Command::Indicators(IndicatorsCmd::SetPoliceArea { area, force, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.set_police_area(&ctx, &area, force.as_deref())?;
            let (area, force) = store.police_area()?;
            say!("police.uk rows now count for {area} ({force}).");
            Ok(())
        }
        Command::Plan(PlanCmd::SetOutcome { theme, outcome, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.set_theme_outcome(&ctx, theme, &outcome)?;
            match outcome.trim() {
                "" => say!("Theme {theme} has no outcome line now; the Plan on a Page shows none."),
                o => say!("Theme {theme}'s outcome is now \"{}\".", o.split_whitespace().collect::<Vec<_>>().join(" ")),
            }
            Ok(())
        }
        Command::Settings(SettingsCmd::SetMarking { marking, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.set_protective_marking(&ctx, &marking)?;
            say!("The papers are now marked \"{}\".", marking.trim());
            Ok(())
        }
        Command::Settings(SettingsCmd::SetName { name, who }) => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.set_coordinator_name(&ctx, &name)?;
            say!("The coordinator's name is now \"{}\".", name.trim());
            Ok(())
        }
    }
}

/// `ccsp import actions`: the template, or a tracker brought in.
fn import_actions(
    store: &mut Store,
    actor: Option<&str>,
    file: Option<PathBuf>,
    template: Option<PathBuf>,
    dry_run: bool,
    allow_duplicates: bool,
    json: bool,
) -> Result<(), CoreError> {
    use ccsp_core::interchange::tracker_import;
    if let Some(out) = template {
        let bytes = tracker_import::template(store)?;
        ccsp_core::export::write_out(&out, &bytes, store.path(), Write { overwrite: false, private: false })?;
        say!("Wrote the template to {}: fill in one action per row and bring it in with `ccsp import actions {}`.", out.display(), out.display());
        return Ok(());
    }
    let Some(file) = file else { return Err(CoreError::invalid("file", "give the tracker to bring in, or --template FILE.xlsx")) };
    let ctx = ctx_for(store, actor)?;
    let r = tracker_import::import(store, &ctx, &file, dry_run, allow_duplicates)?;
    if json {
        print_json(&r)?;
    } else {
        for row in &r.rows {
            let was = if row.previous_ref.is_empty() { String::new() } else { format!(" (was {})", row.previous_ref) };
            say!("  {:<8} {} — {}, led by {}{was}", row.new_ref.as_deref().unwrap_or(&row.priority), row.title, row.priority, row.lead);
        }
        for p in &r.problems {
            say!("{} {}: {}", r.file, p.field, p.message);
        }
        for d in &r.duplicates {
            say!("{} {}: duplicate: {}", r.file, d.field, d.message);
        }
    }
    if !r.problems.is_empty() {
        return Err(CoreError::invalid("actions", format!("nothing was added: {} (listed above)", ccsp_core::validate::count(r.problems.len(), "problem"))));
    }
    if !r.duplicates.is_empty() && !allow_duplicates {
        return Err(CoreError::Refused(format!(
            "nothing was added: {} repeat actions already there (listed above); add them anyway with --allow-duplicates",
            ccsp_core::validate::count(r.duplicates.len(), "row")
        )));
    }
    if r.applied {
        say!(
            "Added {} from {}; the store was backed up first to {}.",
            ccsp_core::validate::count(r.rows.len(), "action"),
            r.file,
            r.backup.as_deref().unwrap_or("")
        );
    } else {
        say!("Nothing was changed (--dry-run): {} would be added.", ccsp_core::validate::count(r.rows.len(), "action"));
    }
    Ok(())
}

/// "2 problems and 1 conflict".
fn problems_words(o: &ccsp_core::interchange::return_import::ReturnsImport) -> String {
    let mut parts = Vec::new();
    let refused = o.problems.iter().filter(|p| p.refused).count();
    if o.invalid() > 0 {
        parts.push(ccsp_core::validate::count(o.invalid(), "problem"));
    }
    if o.conflicts() > 0 {
        parts.push(ccsp_core::validate::count(o.conflicts(), "conflict"));
    }
    if refused > 0 {
        parts.push("the quarter is signed off".to_string());
    }
    parts.join(" and ")
}

/// The preview of a returns import, file by file, then the problems, then what was done.
fn print_returns_import(o: &ccsp_core::interchange::return_import::ReturnsImport, q: Quarter) {
    use ccsp_core::interchange::return_import::{ReturnValues, RowOutcome};
    let words = |v: &Option<ReturnValues>| v.as_ref().and_then(|v| v.rag).map(|r| r.label()).unwrap_or("no status");
    for f in &o.files {
        let rows: Vec<_> = o.rows.iter().filter(|r| r.file == f.file).collect();
        say!("{}: {} return for {q}, made {}", f.file, f.partner, f.made_at);
        for r in rows {
            let line = match r.outcome {
                RowOutcome::New => format!("new: {}", words(&r.after)),
                RowOutcome::Changed if r.overwrites => format!("{} → {} (the partner's version, --overwrite)", words(&r.before), words(&r.after)),
                RowOutcome::Changed => format!("{} → {}", words(&r.before), words(&r.after)),
                RowOutcome::Draft => format!("kept as an incomplete draft: {}", r.problem.as_deref().unwrap_or("breaks the rules")),
                RowOutcome::Unchanged | RowOutcome::NotFilledIn => continue,
                RowOutcome::Invalid | RowOutcome::Skipped | RowOutcome::Conflict => continue,
            };
            say!("  {:<8} {line}", r.reference);
        }
    }
    let mut problems: Vec<String> =
        // A problem without a cell names only the file.
        o.problems.iter().map(|p| format!("{}{}: {}", p.file, p.cell.as_deref().map(|c| format!(" {c}")).unwrap_or_default(), p.problem)).collect();
    for r in o.rows.iter().filter(|r| matches!(r.outcome, RowOutcome::Invalid | RowOutcome::Conflict)) {
        let kind = if r.outcome == RowOutcome::Conflict { "conflict: " } else { "" };
        problems.push(format!("{} {}: {}: {kind}{}", r.file, r.cell, r.reference, r.problem.as_deref().unwrap_or("")));
    }
    if !problems.is_empty() {
        say!("\nProblems:");
        for p in &problems {
            say!("  {p}");
        }
    }
    let left: Vec<String> = o
        .rows
        .iter()
        .filter(|r| r.outcome == RowOutcome::Skipped)
        .map(|r| format!("{} {}: {}: {}", r.file, r.cell, r.reference, r.problem.as_deref().unwrap_or("")))
        .chain(o.left_out.iter().map(|p| format!("{}: {}", p.file, p.problem)))
        .collect();
    if !left.is_empty() {
        say!("\nLeft out (--skip-invalid):");
        for p in &left {
            say!("  {p}");
        }
    }
    say!("\n{}.", o.summary());
    if o.applied {
        say!("Applied {} return(s) for {q}; the store was backed up first to {}.", o.files.len(), o.backup.as_deref().unwrap_or("(no backup)"));
    } else if o.dry_run && !o.blocked() {
        say!("Nothing was changed (--dry-run); without it these would be applied.");
    }
}

fn unreachable_command() -> Result<(), CoreError> {
    Err(CoreError::Refused("this command does not open an existing store".into()))
}

fn action(store: &mut Store, actor: Option<&str>, cmd: ActionCmd) -> Result<(), CoreError> {
    match cmd {
        ActionCmd::Add(a) => {
            let actor = a.who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            if a.funding.trim().is_empty() && !a.funding_year.trim().is_empty() {
                return Err(CoreError::invalid("funding-year", "is the year of --funding; give the amount with it, e.g. --funding 2500.00"));
            }
            // The same form the app fills in, parsed by the same rules.
            let input = ActionInput {
                priority: a.priority,
                title: a.title,
                description: a.description,
                lead: a.lead,
                partners: a.partners,
                start_date: a.start,
                due_date: a.due,
                due_quarter: a.due_quarter,
                success_measure: a.success_measure,
                funding: a.funding,
                funding_year: a.funding_year,
            };
            let reference = store.add_action(&ctx, &input.parse(ctx.today)?)?;
            say!("{reference}");
            Ok(())
        }
        ActionCmd::List { json } => {
            let rows = store.list_actions()?;
            if json {
                return print_json(&rows);
            }
            if rows.is_empty() {
                say!("No actions yet. Add one with `ccsp action add --priority 1.1 --title ... --lead WMP`.");
                return Ok(());
            }
            say!("{:<8} {:<6} {:<12} {:<24} {:<10} TITLE", "REF", "LEAD", "LIFECYCLE", "LATEST UPDATE", "DUE");
            for r in rows {
                let latest = match (&r.latest_quarter, r.latest_rag, r.latest_draft) {
                    (Some(q), _, true) => format!("{q} incomplete"),
                    (Some(q), Some(rag), false) => format!("{q} {}", rag.label()),
                    _ => "none".into(),
                };
                let due = r.due_date.clone().or(r.due_quarter.clone()).unwrap_or_else(|| "—".into());
                let label = if r.illustrative { " [illustrative]" } else { "" };
                say!("{:<8} {:<6} {:<12} {:<24} {:<10} {}{label}", r.reference, r.lead, r.lifecycle.label(), latest, due, r.title);
            }
            Ok(())
        }
        ActionCmd::Cancel { reference, reason, who } => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.cancel_action(&ctx, &reference, &reason)?;
            say!("Cancelled {}.", reference.trim());
            Ok(())
        }
        ActionCmd::Delete { reference, who } => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.delete_action(&ctx, &reference)?;
            say!("Deleted {}.", reference.trim());
            Ok(())
        }
        ActionCmd::Edit(a) => {
            let actor = a.who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            let mut input = ActionInput::from_action(&store.action(&a.reference)?);
            let set = |given: Option<String>, field: &mut String| {
                if let Some(v) = given {
                    *field = v;
                }
            };
            set(a.priority, &mut input.priority);
            set(a.title, &mut input.title);
            set(a.lead, &mut input.lead);
            set(a.start, &mut input.start_date);
            set(a.due, &mut input.due_date);
            set(a.due_quarter, &mut input.due_quarter);
            set(a.description, &mut input.description);
            set(a.success_measure, &mut input.success_measure);
            set(a.funding, &mut input.funding);
            set(a.funding_year, &mut input.funding_year);
            if let Some(p) = a.partners {
                input.partners = p;
            }
            store.edit_action(&ctx, &a.reference, &input.parse(ctx.today)?)?;
            say!("Saved {}.", a.reference.trim());
            Ok(())
        }
        ActionCmd::Show { reference, json } => {
            let d = store.action_detail(&reference)?;
            if json {
                return print_json(&d);
            }
            let a = &d.action;
            let none = |s: &str| if s.trim().is_empty() { "—".to_string() } else { s.to_string() };
            say!("{} {}", a.reference, a.title);
            say!("  Priority:        {}", a.priority);
            say!("  Lead:            {}", a.lead);
            say!("  Partners:        {}", if a.partners.is_empty() { "—".to_string() } else { a.partners.join(", ") });
            match &a.cancel_reason {
                Some(why) => say!("  Lifecycle:       {} ({why})", a.lifecycle.label()),
                None => say!("  Lifecycle:       {}", a.lifecycle.label()),
            }
            say!("  Starts:          {}", a.start_date.map(long_date).unwrap_or_else(|| "—".into()));
            say!("  Due:             {}", a.due_date.map(long_date).or(a.due_quarter.map(|q| q.to_string())).unwrap_or_else(|| "—".into()));
            say!("  Description:     {}", none(&a.description));
            say!("  Success measure: {}", none(&a.success_measure));
            if !a.previous_ref.is_empty() {
                say!("  Previous ref:    {} (in the tracker it was brought in from)", a.previous_ref);
            }
            if d.allocations.is_empty() {
                say!("  Funding:         none allocated");
            }
            for al in &d.allocations {
                say!("  Funding {}: {}", al.year, al.amount);
            }
            if d.updates.is_empty() {
                say!("  No updates yet.");
            }
            for u in &d.updates {
                let rag = u.rag.map(|r| r.label()).unwrap_or("no status");
                say!("  {}  {}{}  {}", u.quarter, rag, if u.draft { " (incomplete draft)" } else { "" }, u.commentary);
                if !u.next_steps.trim().is_empty() {
                    say!("      Next steps: {}", u.next_steps);
                }
            }
            Ok(())
        }
        ActionCmd::Move { reference, priority, who } => {
            let actor = who.actor.as_deref().or(actor);
            let ctx = ctx_for(store, actor)?;
            store.move_action(&ctx, &reference, &priority)?;
            say!("Moved {} to priority {} (its ref is unchanged).", reference.trim(), priority.trim());
            Ok(())
        }
    }
}

/// Writes an export beside its target and moves it into place, so a failed write never leaves
/// half a file; refuses to overwrite a CCSP store.
/// "returns due Friday 16 October 2026; papers due Thursday 29 October 2026; meeting Thursday
/// 12 November 2026, 10:00, Committee Room 2".
fn schedule_words(v: &ccsp_core::store::ScheduleView) -> String {
    let day = |iso: &str| chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%A %-d %B %Y").to_string()).unwrap_or_else(|_| iso.to_string());
    let mut parts = vec![format!("returns due {}{}", day(&v.returns_due), if v.returns_due_default { " (default)" } else { "" })];
    match &v.papers_due {
        Some(p) => parts.push(format!("papers due {}{}", day(p), if v.papers_due_default { " (default)" } else { "" })),
        None => parts.push("papers due: no meeting set yet".into()),
    }
    match &v.meeting {
        Some(m) => {
            let at = chrono::NaiveDateTime::parse_from_str(m, "%Y-%m-%dT%H:%M:%S")
                .map(|t| t.format("%A %-d %B %Y, %H:%M").to_string())
                .unwrap_or_else(|_| m.clone());
            parts.push(if v.place.is_empty() { format!("meeting {at}") } else { format!("meeting {at}, {}", v.place) });
        }
        None => parts.push("no meeting set".into()),
    }
    parts.join("; ")
}

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}
