//! Versioned schema migrations, embedded in the binary, append-only, applied all-or-nothing.
//!
//! `PRAGMA user_version` holds the version a file is at. Never edit a released migration:
//! add a new one at the end.

use rusqlite::Connection;

use crate::error::CoreError;

pub struct Migration {
    pub version: i64,
    pub what: &'static str,
    pub sql: &'static str,
}

/// The store's own `PRAGMA application_id` ("CCSP" in ASCII), checked before anything else.
pub const APPLICATION_ID: i32 = 0x4343_5350;

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        what: "plan structure, partners, actions, sign-offs, settings, audit trail",
        sql: r#"
CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    partnership TEXT NOT NULL,
    short_name TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    vision TEXT NOT NULL,
    statutory_basis TEXT NOT NULL
);
CREATE TABLE theme (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    number INTEGER NOT NULL CHECK (number > 0),
    title TEXT NOT NULL,
    position INTEGER NOT NULL,
    last_priority_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (plan_id, number)
);
CREATE TABLE delivery_group (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, name)
);
CREATE TABLE outside_plan (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, code)
);
CREATE TABLE priority (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    theme_id INTEGER NOT NULL REFERENCES theme(id),
    ref TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    delivery_group_id INTEGER REFERENCES delivery_group(id),
    lens_victim INTEGER NOT NULL DEFAULT 0 CHECK (lens_victim IN (0, 1)),
    lens_location INTEGER NOT NULL DEFAULT 0 CHECK (lens_location IN (0, 1)),
    lens_offender INTEGER NOT NULL DEFAULT 0 CHECK (lens_offender IN (0, 1)),
    last_action_seq INTEGER NOT NULL DEFAULT 0,
    UNIQUE (plan_id, ref)
);
CREATE TABLE priority_alignment (
    priority_id INTEGER NOT NULL REFERENCES priority(id) ON DELETE CASCADE,
    outside_plan_id INTEGER NOT NULL REFERENCES outside_plan(id),
    PRIMARY KEY (priority_id, outside_plan_id)
);
CREATE TABLE partner (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    short_name TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('responsible_authority', 'other')),
    position INTEGER NOT NULL,
    UNIQUE (plan_id, short_name)
);
CREATE TABLE action (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    priority_id INTEGER NOT NULL REFERENCES priority(id),
    ref TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    lead_partner_id INTEGER NOT NULL REFERENCES partner(id),
    start_date TEXT,
    due_date TEXT,
    due_quarter TEXT,
    success_measure TEXT NOT NULL DEFAULT '',
    lifecycle TEXT NOT NULL CHECK (lifecycle IN ('not_started', 'in_progress', 'complete', 'cancelled')),
    cancel_reason TEXT,
    position INTEGER NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0 CHECK (illustrative IN (0, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (plan_id, ref)
);
CREATE INDEX action_priority ON action(priority_id);
CREATE TABLE action_partner (
    action_id INTEGER NOT NULL REFERENCES action(id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL REFERENCES partner(id),
    PRIMARY KEY (action_id, partner_id)
);
CREATE TABLE sign_off (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    quarter TEXT NOT NULL,
    signed_off_at TEXT NOT NULL,
    signed_off_by TEXT NOT NULL,
    UNIQUE (plan_id, quarter)
);
CREATE TABLE setting (
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (plan_id, key)
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    entity TEXT NOT NULL,
    key TEXT NOT NULL,
    op TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    reason TEXT
);
CREATE INDEX audit_entity ON audit(entity, key);
-- Facts about the file itself (created, migrated, imported, backed up): not part of the record.
CREATE TABLE store_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
"#,
    },
    Migration {
        version: 2,
        what: "quarterly updates and indicators",
        sql: r#"
CREATE TABLE quarterly_update (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    quarter TEXT NOT NULL,
    rag TEXT CHECK (rag IN ('red', 'amber', 'green', 'complete', 'not_started')),
    commentary TEXT NOT NULL DEFAULT '',
    next_steps TEXT NOT NULL DEFAULT '',
    reported_by TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    draft INTEGER NOT NULL DEFAULT 0 CHECK (draft IN (0, 1)),
    UNIQUE (action_id, quarter)
);
CREATE INDEX update_quarter ON quarterly_update(plan_id, quarter);
CREATE TABLE indicator (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    theme_id INTEGER REFERENCES theme(id),
    unit TEXT NOT NULL DEFAULT '',
    polarity TEXT NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better')),
    baseline_value REAL,
    baseline_period TEXT NOT NULL DEFAULT '',
    target_value REAL,
    source TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    UNIQUE (plan_id, code)
);
CREATE TABLE indicator_value (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    quarter TEXT NOT NULL,
    value REAL NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (indicator_id, quarter)
);
"#,
    },
    Migration {
        version: 3,
        what: "funding and the annual council report",
        sql: r#"
CREATE TABLE grant_line (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    year TEXT NOT NULL,
    source TEXT NOT NULL,
    amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
    UNIQUE (plan_id, year, source)
);
CREATE TABLE allocation (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    year TEXT NOT NULL,
    amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
    UNIQUE (action_id, year)
);
CREATE TABLE spend (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    quarter TEXT NOT NULL,
    amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
    UNIQUE (action_id, quarter)
);
CREATE TABLE narrative (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    year TEXT NOT NULL,
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, year, section)
);
CREATE TABLE front_sheet (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    year TEXT NOT NULL,
    title TEXT NOT NULL,
    key_decision INTEGER NOT NULL CHECK (key_decision IN (0, 1)),
    scrutiny TEXT NOT NULL DEFAULT '',
    other_bodies TEXT NOT NULL DEFAULT '',
    council TEXT NOT NULL DEFAULT '',
    author_role TEXT NOT NULL DEFAULT '',
    service_area TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, year)
);
"#,
    },
    Migration {
        version: 4,
        what: "each quarter's dates: returns due, papers due, the CCSP meeting",
        sql: r#"
CREATE TABLE quarter_schedule (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    quarter TEXT NOT NULL,
    returns_due TEXT,
    papers_due TEXT,
    meeting_at TEXT,
    place TEXT NOT NULL DEFAULT '',
    UNIQUE (plan_id, quarter)
);
"#,
    },
    Migration {
        version: 5,
        what: "sign-off as steps: the coordinator's review of each Red and Amber, the chair who signs off",
        sql: r#"
ALTER TABLE sign_off ADD COLUMN chair TEXT NOT NULL DEFAULT '';
CREATE TABLE review_mark (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    action_id INTEGER NOT NULL REFERENCES action(id),
    quarter TEXT NOT NULL,
    reviewed_by TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (action_id, quarter)
);
"#,
    },
    Migration {
        version: 6,
        what: "the store's identity: a random id, kept in the record, that the partners' workbooks carry",
        sql: r#"
INSERT OR IGNORE INTO setting (plan_id, key, value) SELECT id, 'store_id', lower(hex(randomblob(16))) FROM plan;
"#,
    },
    Migration {
        version: 7,
        what: "partners' returns: which workbook wrote an update, and the log of workbooks made and returned",
        sql: r#"
ALTER TABLE quarterly_update ADD COLUMN source TEXT;
CREATE TABLE return_log (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    quarter TEXT NOT NULL,
    partner TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('made', 'returned')),
    at TEXT NOT NULL,
    workbook TEXT NOT NULL,
    file_name TEXT NOT NULL,
    rows INTEGER NOT NULL,
    skipped INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX return_log_quarter ON return_log (plan_id, quarter);
"#,
    },
    Migration {
        version: 8,
        what: "an action brought in from a council's own tracker keeps that tracker's ref",
        sql: r#"
ALTER TABLE action ADD COLUMN previous_ref TEXT NOT NULL DEFAULT '';
"#,
    },
    Migration {
        version: 9,
        what: "police.uk figures: each month's counts for the area with the file they came from, and which indicator each crime type feeds",
        sql: r#"
CREATE TABLE police_month (
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    month TEXT NOT NULL,
    file TEXT NOT NULL,
    archive TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    counts TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, month)
);
CREATE TABLE police_link (
    plan_id INTEGER NOT NULL REFERENCES plan(id),
    crime_type TEXT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, crime_type),
    UNIQUE (indicator_id)
);
"#,
    },
    Migration {
        version: 10,
        what: "each theme may say the outcome it works towards, for the Plan on a Page",
        sql: r#"
ALTER TABLE theme ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
"#,
    },
];

pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0) // no migrations: version 0, an empty file
}

/// Brings `conn` from its current version up to the last of `migrations`, in one IMMEDIATE
/// transaction: either every pending migration applies, or none does and the file is as it was.
/// Returns the versions applied.
pub fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<Vec<i64>, CoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let target = migrations.last().map(|m| m.version).unwrap_or(0); // as latest_version
    if current > target {
        // Checked before opening too; this guards callers that pass a shorter list.
        return Err(CoreError::Refused(format!("the store is at version {current}, newer than this app's {target}")));
    }
    let mut applied = Vec::new();
    for m in migrations.iter().filter(|m| m.version > current) {
        tx.execute_batch(m.sql)
            .map_err(|e| CoreError::Refused(format!("store upgrade to version {} ({}) failed: {e}; nothing was changed", m.version, m.what)))?;
        applied.push(m.version);
    }
    if let Some(v) = applied.last() {
        tx.pragma_update(None, "user_version", v)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    tx.commit()?;
    Ok(applied)
}
