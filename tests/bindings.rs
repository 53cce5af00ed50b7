//! The frontend's TypeScript types are generated from the Rust structs that cross the IPC
//! boundary. This test fails when `ui/src/bindings.ts` is out of date; regenerate it with
//! `UPDATE_BINDINGS=1 cargo test -p ccsp-core --test bindings`.

use ccsp_core::domain::indicator::Movement;
use ccsp_core::domain::update::Problem;
use ccsp_core::domain::{Action, AuditEntry, Direction, Lens, Lifecycle, OutsidePlan, Partner, PartnerKind, Plan, Polarity, QuarterState, Rag};
use ccsp_core::error::FieldError;
use ccsp_core::store::*;
use ccsp_core::{CoreError, WireError};
use ts_rs::{Config, TS};

macro_rules! decls {
    ($cfg:expr; $($t:ty),* $(,)?) => { vec![$(<$t as TS>::decl($cfg)),*] };
}

fn generated() -> String {
    let cfg = Config::new().with_large_int("number");
    let all = decls![&cfg;
        serde_json::Value, Rag, QuarterState, PartnerKind, Direction, Lifecycle, Lens, Polarity, Movement, Plan, Partner, OutsidePlan, Action, AuditEntry, Problem,
        FieldError, ccsp_core::ErrorCode, WireError, SignedOff, ScheduleView, ScheduleDefaults,
        PlanSummary, ThemeSummary, PrioritySummary, QuarterSummary, ActionRow, UpdateSaved,
        AppInfo, RagCounts, ThemeCounts, QuarterCounts, ThemeTrend, ActionBrief, OffTrack, PartnerChase, Dashboard,
        UpdateCell, SheetRow, UpdateSheet, IndicatorPoint, IndicatorRow, IndicatorsView,
        FundingRow, FundingView, BackupFile, ccsp_core::export::ExportResult, NarrativeSection, ccsp_core::domain::FrontSheet, FrontSheetView,
        ActionInput, PlanInput, PriorityInput, PartnerInput, IndicatorInput,
        PartnerReturn, ccsp_core::interchange::returns::MadeReturn, ccsp_core::interchange::returns::MadeReturns,
        ccsp_core::interchange::return_import::RowOutcome, ccsp_core::interchange::return_import::RowChoice, ccsp_core::interchange::return_import::ReturnValues,
        ccsp_core::interchange::return_import::ReturnRowPreview, ccsp_core::interchange::return_import::ReturnFileProblem,
        ccsp_core::interchange::return_import::ReturnFilePreview, ccsp_core::interchange::return_import::ReturnsImport,
        ccsp_core::interchange::tracker_import::TrackerRow, ccsp_core::interchange::tracker_import::TrackerImport,
        ccsp_core::interchange::police::FileRead, ccsp_core::interchange::police::FileSkipped, ccsp_core::store::police::MonthOutcome,
        ccsp_core::store::police::PoliceMonthRow, ccsp_core::store::police::PoliceValue, ccsp_core::store::police::PoliceIndicatorRow,
        ccsp_core::store::police::PoliceImport,
    ];
    let mut out = String::from(
        "// Generated from the Rust structs by tests/bindings.rs. Do not edit by hand:\n// UPDATE_BINDINGS=1 cargo test -p ccsp-core --test bindings\n\n",
    );
    for d in all {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str(&words());
    out
}

/// The wire code of a value (its serde name), as the window receives it.
fn code<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).unwrap().as_str().unwrap().to_string()
}

fn js(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The words, letters, shapes, colours and meanings the core defines once, as constants the
/// screens use instead of writing them again (a test in tests/security.rs fails on status
/// or quarter-state literals anywhere else in ui/src).
fn words() -> String {
    let mut out = String::from("// The status scale, quarter states and lifecycle words, from the core (domain/status.rs).\n\n");
    let consts = |name: &str, ty: &str, codes: Vec<String>| {
        let body: Vec<String> = codes.iter().map(|c| format!("{c}: {}", js(c))).collect();
        format!("export const {name} = {{ {} }} as const satisfies Record<{ty}, {ty}>;\n\n", body.join(", "))
    };
    out.push_str(&consts("RAG", "Rag", Rag::ALL.iter().map(code).collect()));
    out.push_str(&consts("QUARTER_STATE", "QuarterState", QuarterState::ALL.iter().map(code).collect()));
    out.push_str(&consts("LIFECYCLE", "Lifecycle", Lifecycle::ALL.iter().map(code).collect()));
    out.push_str("/** Each status in order: its word, key letter, shape, colours (text, background) and meaning. */\n");
    out.push_str("export const STATUS_SCALE: ReadonlyArray<{ rag: Rag; label: string; letter: string; shape: string; fg: string; bg: string; meaning: string; rank: number | null }> = [\n");
    for r in Rag::ALL {
        let (fg, bg) = r.colours();
        let rank = r.rank().map(|n| n.to_string()).unwrap_or_else(|| "null".into());
        out.push_str(&format!(
            "  {{ rag: {}, label: {}, letter: {}, shape: {}, fg: {}, bg: {}, meaning: {}, rank: {rank} }},\n",
            js(&code(r)),
            js(r.label()),
            js(&r.letter().to_string()),
            js(r.shape()),
            js(fg),
            js(bg),
            js(r.meaning())
        ));
    }
    out.push_str("];\n\n");
    let labels = |name: &str, ty: &str, pairs: Vec<(String, &str)>| {
        let body: Vec<String> = pairs.iter().map(|(c, l)| format!("{c}: {}", js(l))).collect();
        format!("export const {name}: Record<{ty}, string> = {{ {} }};\n\n", body.join(", "))
    };
    out.push_str(&labels("QUARTER_STATE_LABEL", "QuarterState", QuarterState::ALL.iter().map(|q| (code(q), q.label())).collect()));
    out.push_str(&labels("LIFECYCLE_LABEL", "Lifecycle", Lifecycle::ALL.iter().map(|l| (code(l), l.label())).collect()));
    out.push_str(&consts("PARTNER_KIND", "PartnerKind", PartnerKind::ALL.iter().map(code).collect()));
    out.push_str(&labels("PARTNER_KIND_LABEL", "PartnerKind", PartnerKind::ALL.iter().map(|k| (code(k), k.label())).collect()));
    out
}

#[test]
fn typescript_bindings_match_the_rust_structs() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/bindings.ts");
    let want = generated();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default(); // missing: empty, so the assertion below says it is out of date
    assert!(have == want, "ui/src/bindings.ts is out of date: run UPDATE_BINDINGS=1 cargo test -p ccsp-core --test bindings");
}

#[test]
fn errors_cross_the_boundary_as_code_and_message() {
    let refused = serde_json::to_value(CoreError::Refused("2025/26 Q1 is signed off".into()).to_wire()).unwrap();
    assert_eq!(refused, serde_json::json!({"code": "refused", "message": "2025/26 Q1 is signed off"}));
    let invalid = serde_json::to_value(CoreError::invalid("title", "is required").to_wire()).unwrap();
    assert_eq!(invalid, serde_json::json!({"code": "invalid", "message": "title: is required", "fields": [{"field": "title", "message": "is required"}]}));
    let many = CoreError::InvalidFields(vec![
        FieldError { field: "title".into(), message: "is required".into() },
        FieldError { field: "lead".into(), message: "choose the lead partner".into() },
    ]);
    assert_eq!(many.to_wire().message, "title: is required; lead: choose the lead partner");
    assert_eq!(many.to_wire().fields.len(), 2);
}
