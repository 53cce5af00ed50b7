//! The SQLite store: opening (identify first, then pragmas), migrations, one module per table
//! family, the audit trail. Nothing outside this module writes SQL.

mod actions;
mod audit;
mod backup;
mod edit;
pub mod migrations;
mod open;
mod plan;
pub mod police;
mod record;
mod report;
mod returns;
mod schedule;
mod updates;
mod views;

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::CoreError;

pub use actions::{ActionDetail, ActionRow, NewAction};
pub use audit::{audit_entity, AuditFilter, AUDIT_ENTITIES};
pub use backup::{backups_dir, list_backups, recover_from_backup, BackupFile, DailyBackup, KEEP_DAILY, KEEP_OTHER};
pub use edit::{parse_number, ActionInput, IndicatorInput, PartnerInput, PlanInput, PriorityInput};
pub use open::{identify, map_sql, FileKind};
pub use plan::{PlanSummary, PrioritySummary, QuarterSummary, ThemeSummary};
pub use report::{FrontSheetView, NarrativeSection, NARRATIVE_SECTIONS};
pub use returns::{PartnerReturn, ReturnEvent, ReturnLogEntry, ReturnReceipt, ReturnSkip, ReturnWrite};
pub use schedule::{effective as effective_schedule, parse_meeting, ScheduleChange, ScheduleDefaults, ScheduleView};
pub use updates::{SetUpdate, SignedOff, UpdateChange, UpdateMode, UpdateSaved};

/// Who is making a change, and when. Passed to every write so the audit trail can say it.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub who: String,
    pub today: NaiveDate,
    pub now: String,
}

impl Ctx {
    pub fn new(who: impl Into<String>, today: NaiveDate) -> Self {
        Ctx { who: who.into(), today, now: now_utc() }
    }
}

/// The current instant in UTC, ISO 8601 to the second (`2025-07-01T09:30:00Z`).
pub fn now_utc() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An open CCSP store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    plan_id: i64,
    /// Set when the store could not be opened for writing (`Store::open`).
    read_only: Option<crate::fault::ReadOnlyReason>,
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` inside one IMMEDIATE write transaction: all of it commits or none of it does.
    /// IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout) instead
    /// of failing half-way when it tries to upgrade a read lock.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction, i64) -> Result<T, CoreError>) -> Result<T, CoreError> {
        self.ensure_writable()?;
        let plan_id = self.plan_id;
        let path = self.path.clone();
        let failed = |e: CoreError| match e {
            CoreError::Sql(s) => crate::fault::store_write_failed(&path, s),
            other => other,
        };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| failed(e.into()))?;
        let out = f(&tx, plan_id).map_err(failed)?;
        tx.commit().map_err(|e| failed(e.into()))?;
        Ok(out)
    }

    /// A setting from the record (e.g. `coordinator_name`), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, CoreError> {
        use rusqlite::OptionalExtension;
        Ok(self.conn.query_row("SELECT value FROM setting WHERE plan_id = ?1 AND key = ?2", (self.plan_id, key), |r| r.get(0)).optional()?)
    }

    /// Sets a setting, audited.
    pub fn set_setting(&mut self, ctx: &Ctx, key: &str, value: &str) -> Result<(), CoreError> {
        self.set_settings(ctx, &[(key, value)])
    }

    /// Sets several settings in one transaction (all or none), each audited.
    pub fn set_settings(&mut self, ctx: &Ctx, settings: &[(&str, &str)]) -> Result<(), CoreError> {
        let mut before = Vec::with_capacity(settings.len());
        for (key, value) in settings {
            crate::validate::text("value", value, crate::validate::SHORT)?;
            before.push(self.setting(key)?);
        }
        self.write(|tx, plan_id| {
            for ((key, value), before) in settings.iter().zip(&before) {
                tx.execute(
                    "INSERT INTO setting (plan_id, key, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT (plan_id, key) DO UPDATE SET value = excluded.value",
                    (plan_id, key, value),
                )?;
                audit::record(tx, plan_id, ctx, "setting", key, "update", before.as_ref(), Some(value), None)?;
            }
            Ok(())
        })
    }

    /// The coordinator's name, recorded in the audit trail: required (a blank name is refused
    /// from the CLI as from the app's form), stored trimmed.
    pub fn set_coordinator_name(&mut self, ctx: &Ctx, name: &str) -> Result<(), CoreError> {
        crate::validate::required("name", name, crate::validate::SHORT)?;
        self.set_setting(ctx, "coordinator_name", name.trim())
    }

    /// The protective marking every paper and workbook carries (PRODUCT.md): as set in
    /// Settings, else OFFICIAL.
    pub fn protective_marking(&self) -> Result<String, CoreError> {
        Ok(self.setting(MARKING_SETTING)?.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| DEFAULT_MARKING.to_string()))
    }

    /// Sets the protective marking ("OFFICIAL", "OFFICIAL-SENSITIVE"): required, stored
    /// trimmed; audited.
    pub fn set_protective_marking(&mut self, ctx: &Ctx, marking: &str) -> Result<(), CoreError> {
        crate::validate::required("marking", marking, crate::validate::SHORT)?;
        self.set_setting(ctx, MARKING_SETTING, marking.trim())
    }

    /// The store's id (PRODUCT.md "Store identity").
    pub fn store_id(&self) -> Result<String, CoreError> {
        self.setting(STORE_ID_SETTING)?
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CoreError::Damaged { path: self.path().to_path_buf(), detail: "it has no store id: its settings were changed by hand".into() })
    }

    /// Where partners send their returns back to, if set.
    pub fn return_to(&self) -> Result<Option<String>, CoreError> {
        Ok(self.setting(RETURN_TO_SETTING)?.filter(|s| !s.trim().is_empty()))
    }

    /// Sets where partners send their returns ("ccsp@coventry.gov.uk"): required, trimmed,
    /// audited.
    pub fn set_return_to(&mut self, ctx: &Ctx, to: &str) -> Result<(), CoreError> {
        crate::validate::required("return-to", to, crate::validate::SHORT)?;
        self.set_setting(ctx, RETURN_TO_SETTING, to.trim())
    }

    /// Adds a fact about the file itself (not part of the record).
    pub(crate) fn log_event(conn: &Connection, event: &str, detail: &str) -> Result<(), CoreError> {
        conn.execute("INSERT INTO store_log (at, event, detail) VALUES (?1, ?2, ?3)", (now_utc(), event, detail))?;
        Ok(())
    }

    /// The store log, newest last: (when, event, detail).
    pub fn store_log(&self) -> Result<Vec<(String, String, String)>, CoreError> {
        let mut st = self.conn.prepare("SELECT at, event, detail FROM store_log ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The setting that holds the store's random id (made at `init`, kept by export, import and
/// restore), which the partners' workbooks carry so that only this store takes them back.
pub const STORE_ID_SETTING: &str = "store_id";
/// The setting that holds where partners send their returns (an email address or a name).
pub const RETURN_TO_SETTING: &str = "return_to";

/// The setting that holds the protective marking, and the marking until one is set.
pub const MARKING_SETTING: &str = "protective_marking";
pub const DEFAULT_MARKING: &str = "OFFICIAL";

/// The store and its backups hold the partnership's whole record: on Unix they are made
/// readable by their owner only (files 0600, folders the app creates 0700). On Windows the
/// per-user %LOCALAPPDATA% folder already restricts them to the user.
pub(crate) fn owner_only(path: &Path, dir: bool) -> Result<(), CoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if dir { 0o700 } else { 0o600 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| CoreError::io(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = (path, dir); // nothing to do: the per-user folder is private already
    Ok(())
}

/// Creates a folder (and its parents); a folder this call creates is made owner-only.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), CoreError> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|e| CoreError::io(dir, e))?;
    owner_only(dir, true)
}

/// A date the store holds (`YYYY-MM-DD`). One that cannot be read is damage, reported as
/// such, never read as "no date".
pub(crate) fn stored_date(what: &str, s: &str) -> Result<NaiveDate, CoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| stored_damage(what, s))
}

/// A quarter the store holds (`2025-26-Q2`); one that cannot be read is damage.
pub(crate) fn stored_quarter(what: &str, s: &str) -> Result<crate::domain::Quarter, CoreError> {
    crate::domain::Quarter::parse(s).map_err(|_| stored_damage(what, s))
}

/// An instant the store holds (UTC, ISO 8601); one that cannot be read is damage.
pub(crate) fn stored_instant(what: &str, s: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, CoreError> {
    chrono::DateTime::parse_from_rfc3339(s).map_err(|_| stored_damage(what, s))
}

fn stored_damage(what: &str, s: &str) -> CoreError {
    CoreError::Damaged { path: PathBuf::from("the store"), detail: format!("{what} \"{s}\" cannot be read") }
}

/// Sort key that orders refs numerically: 1.2 < 1.10, 1.2.3 < 1.2.10.
pub fn ref_key(reference: &str) -> Vec<u32> {
    reference.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}

pub use views::{
    ActionBrief, AppInfo, Dashboard, FundingRow, FundingView, IndicatorPoint, IndicatorRow, IndicatorsView, OffTrack, PartnerChase, QuarterCounts, RagCounts,
    SheetRow, ThemeCounts, ThemeTrend, UpdateCell, UpdateSheet,
};
