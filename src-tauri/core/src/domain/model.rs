//! The record's shapes: what the store holds, what `export json` writes and `import json`
//! reads. Things are named by their stored codes (refs like `1.2.3`, partner short names,
//! quarter codes), never by database row ids, so an export is independent of the file.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{FinancialYear, Lens, Lifecycle, Pence, Polarity, Quarter, Rag};

/// Identifies the JSON interchange format.
pub const RECORD_FORMAT: &str = "ccsp-coordinator-record";
/// The version this app writes. 2 (the second wave): an action's `previous_ref`. Every record
/// format change of the second wave goes into version 2 until it is released.
pub const RECORD_VERSION: u32 = 2;
/// The oldest version this app reads; what it lacks takes its default.
pub const OLDEST_RECORD_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub title: String,
    pub partnership: String,
    pub short_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub vision: String,
    pub statutory_basis: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub number: u32,
    pub title: String,
    pub position: i64,
    /// Highest priority number ever given under this theme (refs are never reused).
    pub last_priority_seq: u32,
    /// The outcome the theme works towards, in a line ("Fewer people harmed by violence");
    /// empty when not set (record format 2 adds it; older records read as empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryGroup {
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    #[serde(rename = "ref")]
    pub reference: String,
    pub theme: u32,
    pub title: String,
    pub description: String,
    pub position: i64,
    pub delivery_group: Option<String>,
    pub lenses: Vec<Lens>,
    pub alignments: Vec<String>,
    /// Highest action number ever given under this priority (refs are never reused).
    pub last_action_seq: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct OutsidePlan {
    pub code: String,
    pub title: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    pub short_name: String,
    pub name: String,
    pub kind: super::PartnerKind,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct Action {
    #[serde(rename = "ref")]
    pub reference: String,
    pub priority: String,
    pub title: String,
    pub description: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub start_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    #[ts(as = "Option<String>")]
    pub due_quarter: Option<Quarter>,
    pub success_measure: String,
    pub lifecycle: Lifecycle,
    pub cancel_reason: Option<String>,
    pub position: i64,
    /// Added by `ccsp demo`: illustrative, not part of the real plan.
    pub illustrative: bool,
    pub created_at: String,
    /// Its ref in the council's own tracker it was brought in from (`ccsp import actions`);
    /// empty for an action added here. Absent in exports made before it existed.
    #[serde(default)]
    pub previous_ref: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Update {
    pub action: String,
    pub quarter: Quarter,
    pub rag: Option<Rag>,
    pub commentary: String,
    pub next_steps: String,
    pub reported_by: String,
    pub reported_at: String,
    /// Breaks a RAG rule (kept so nothing typed is lost); reported as "incomplete".
    pub draft: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    pub quarter: Quarter,
    pub signed_off_at: String,
    pub signed_off_by: String,
    /// Who chaired the meeting that signed it off (absent before it was recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub chair: String,
}

/// The coordinator's review of a Red or Amber update before the pack is final.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewMark {
    pub action: String,
    pub quarter: Quarter,
    pub reviewed_by: String,
    pub reviewed_at: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub code: String,
    pub name: String,
    pub theme: Option<u32>,
    pub unit: String,
    pub polarity: Polarity,
    pub baseline_value: Option<f64>,
    pub baseline_period: String,
    /// None for context-only indicators (no target; a rise may be good or bad).
    pub target_value: Option<f64>,
    pub source: String,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValue {
    pub indicator: String,
    pub quarter: Quarter,
    pub value: f64,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub year: FinancialYear,
    pub source: String,
    pub amount: Pence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allocation {
    pub action: String,
    pub year: FinancialYear,
    pub amount: Pence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spend {
    pub action: String,
    pub quarter: Quarter,
    pub amount: Pence,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    pub year: FinancialYear,
    pub section: String,
    pub body: String,
    pub updated_by: String,
    pub updated_at: String,
}

/// The council report's front sheet for one year. Holds a role, never a person's contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct FrontSheet {
    #[ts(as = "String")]
    pub year: FinancialYear,
    pub title: String,
    pub key_decision: bool,
    pub scrutiny: String,
    pub other_bodies: String,
    pub council: String,
    pub author_role: String,
    pub service_area: String,
    pub contact: String,
}

impl FrontSheet {
    /// What the report prints for a year whose front sheet was never filled in.
    pub fn default_for(plan_title: &str, year: FinancialYear) -> FrontSheet {
        FrontSheet {
            year,
            title: format!("{plan_title}: annual progress report {year}"),
            key_decision: false,
            scrutiny: "No".into(),
            other_bodies: "No".into(),
            council: "Yes".into(),
            author_role: "Community Safety Partnership coordinator".into(),
            service_area: String::new(),
            contact: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub at: String,
    pub who: String,
    pub entity: String,
    pub key: String,
    pub op: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<String>,
}

/// A quarter's dates as the coordinator set them (UK local): when partners' returns are due,
/// when the papers go out, and the CCSP meeting that signs it off. A date not set here takes
/// its default (`store::schedule`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterSchedule {
    pub quarter: Quarter,
    pub returns_due: Option<NaiveDate>,
    pub papers_due: Option<NaiveDate>,
    /// The meeting's start, UK local time (`2026-11-12T10:00:00`).
    pub meeting: Option<chrono::NaiveDateTime>,
    pub place: String,
}

impl QuarterSchedule {
    /// The rules a quarter's dates follow: the meeting after the quarter ends, the papers and
    /// the returns due no later than the meeting.
    pub fn check(&self) -> Result<(), crate::error::CoreError> {
        use crate::error::CoreError;
        let long = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        if let Some(m) = self.meeting {
            if m.date() <= self.quarter.end() {
                return Err(CoreError::invalid(
                    "meeting",
                    format!(
                        "{} is before {} ends on {}: the meeting signs off a quarter that has ended",
                        long(m.date()),
                        self.quarter,
                        long(self.quarter.end())
                    ),
                ));
            }
            if let Some(p) = self.papers_due.filter(|p| *p > m.date()) {
                return Err(CoreError::invalid("papers_due", format!("{} is after the meeting on {}", long(p), long(m.date()))));
            }
            if let Some(r) = self.returns_due.filter(|r| *r > m.date()) {
                return Err(CoreError::invalid("returns_due", format!("{} is after the meeting on {}", long(r), long(m.date()))));
            }
        }
        crate::validate::text("place", &self.place, crate::validate::SHORT)
    }
}

/// One month of police.uk figures for the area: its counts per crime type, and where they came
/// from (the file's name and SHA-256, never a path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliceMonth {
    /// `2026-09`.
    pub month: String,
    pub file: String,
    /// The zip it came in, or empty.
    #[serde(default)]
    pub archive: String,
    pub sha256: String,
    pub counts: BTreeMap<String, u64>,
    pub imported_by: String,
    pub imported_at: String,
}

/// A police.uk crime type and the indicator it feeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliceLink {
    pub crime_type: String,
    pub indicator: String,
}

/// The whole record, in a stable order: what `export json` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub format: String,
    pub version: u32,
    pub plan: Plan,
    pub themes: Vec<Theme>,
    pub delivery_groups: Vec<DeliveryGroup>,
    pub outside_plans: Vec<OutsidePlan>,
    pub priorities: Vec<Priority>,
    pub partners: Vec<Partner>,
    pub actions: Vec<Action>,
    pub sign_offs: Vec<SignOff>,
    pub updates: Vec<Update>,
    pub indicators: Vec<Indicator>,
    pub indicator_values: Vec<IndicatorValue>,
    pub grants: Vec<Grant>,
    pub allocations: Vec<Allocation>,
    pub spend: Vec<Spend>,
    pub narratives: Vec<Narrative>,
    pub front_sheets: Vec<FrontSheet>,
    /// Each quarter's dates (absent from exports made before they existed).
    #[serde(default)]
    pub schedules: Vec<QuarterSchedule>,
    /// Review marks (absent from exports made before they existed).
    #[serde(default)]
    pub reviews: Vec<ReviewMark>,
    /// police.uk months imported, with the file each came from (absent before they existed).
    #[serde(default)]
    pub police_months: Vec<PoliceMonth>,
    /// Which indicator each police.uk crime type feeds.
    #[serde(default)]
    pub police_links: Vec<PoliceLink>,
    pub settings: BTreeMap<String, String>,
    pub audit: Vec<AuditEntry>,
}

impl Plan {
    /// The quarters of the plan period, in order (12 for 2025-2028).
    pub fn quarters(&self) -> Vec<Quarter> {
        Quarter::between(self.start_date, self.end_date)
    }

    /// Whether a financial year has any quarter in the plan period.
    pub fn has_year(&self, year: super::FinancialYear) -> bool {
        self.quarters().iter().any(|q| q.year() == year)
    }

    /// A year of the plan, or the error naming `field` when it is not one.
    pub fn year_of_plan(&self, field: &str, year: super::FinancialYear) -> Result<(), crate::error::CoreError> {
        if self.has_year(year) {
            Ok(())
        } else {
            Err(crate::error::CoreError::invalid(field, format!("{year} is not a year of the plan")))
        }
    }
}
