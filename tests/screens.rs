//! What the desktop screens read and write, through the core API the Tauri commands call:
//! dashboard counts, the quarterly update sheet, form edits, priorities, partners, funding,
//! and the audit trail of typing.

use ccsp_core::domain::{FinancialYear, Lens, PartnerKind, Pence, Quarter, Rag};
use ccsp_core::store::{ActionInput, AuditFilter, IndicatorInput, NewAction, PartnerInput, PlanInput, PriorityInput, SetUpdate, UpdateMode};
use ccsp_core::{CoreError, Ctx, Store};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn q(s: &str) -> Quarter {
    Quarter::parse(s).unwrap()
}

const TODAY: &str = "2025-11-20"; // 2025/26 Q3; Q2 is the reporting quarter

fn fresh() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = ccsp_core::init_store(&dir.path().join("s.sqlite3")).unwrap();
    (dir, store)
}

fn ctx() -> Ctx {
    Ctx::new("Tester", d(TODAY))
}

fn add(s: &mut Store, priority: &str, lead: &str, title: &str) -> String {
    let new = NewAction { priority: priority.into(), title: title.into(), lead: lead.into(), ..Default::default() };
    s.add_action(&ctx(), &new).unwrap()
}

fn update(s: &mut Store, r: &str, quarter: &str, rag: Rag, commentary: &str, next: &str, mode: UpdateMode) {
    let input =
        SetUpdate { action: r.into(), quarter: Some(q(quarter)), rag: Some(rag), commentary: commentary.into(), next_steps: next.into(), reported_by: None };
    s.set_update(&ctx(), &input, mode).unwrap();
}

#[test]
fn the_dashboard_counts_each_theme_against_last_quarter_and_lists_who_to_chase() {
    let (_d, mut s) = fresh();
    let a = add(&mut s, "1.1", "WMP", "A");
    let b = add(&mut s, "1.2", "CCC", "B");
    let c = add(&mut s, "2.1", "CCC", "C");
    let done = add(&mut s, "3.1", "ICB", "Done early");
    update(&mut s, &a, "2025-26-Q1", Rag::Green, "", "", UpdateMode::Strict);
    update(&mut s, &a, "2025-26-Q2", Rag::Red, "Venue lost", "Find another", UpdateMode::Strict);
    update(&mut s, &b, "2025-26-Q1", Rag::Amber, "Late", "", UpdateMode::Strict);
    update(&mut s, &b, "2025-26-Q2", Rag::Amber, "", "", UpdateMode::Draft); // incomplete draft
    update(&mut s, &done, "2025-26-Q1", Rag::Complete, "", "", UpdateMode::Strict);

    let dash = s.dashboard(q("2025-26-Q2"), d(TODAY)).unwrap();
    assert_eq!(dash.previous.as_deref(), Some("2025/26 Q1"));
    let t1 = &dash.themes[0];
    assert_eq!((t1.now.red, t1.now.incomplete, t1.now.green), (1, 1, 0));
    assert_eq!((t1.previous.green, t1.previous.amber), (1, 1));
    assert_eq!(dash.themes[1].now.no_return, 1, "{c} has no update");
    // Reported Complete in Q1, so not expected to report again in Q2.
    assert_eq!(dash.themes[2].now.no_return + dash.themes[2].now.complete, 0);
    assert_eq!(dash.themes[2].previous.complete, 1);
    assert_eq!((dash.updated, dash.expected), (1, 3));
    let chase: Vec<(String, Vec<String>)> =
        dash.missing_by_lead.iter().map(|p| (p.lead.clone(), p.actions.iter().map(|a| a.reference.clone()).collect())).collect();
    assert_eq!(chase, vec![("CCC".to_string(), vec![b.clone(), c.clone()])]);
    assert_eq!(dash.off_track.len(), 1, "a draft is not reported as a status");
    assert_eq!((dash.off_track[0].rag, dash.off_track[0].previous), (Rag::Red, Some(Rag::Green)));
    assert_eq!(dash.off_track[0].commentary, "Venue lost");

    // The quarterly update sheet shows the same rows, last quarter beside this one.
    let sheet = s.update_sheet(q("2025-26-Q2"), d(TODAY)).unwrap();
    assert!(sheet.editable);
    assert_eq!((sheet.updated, sheet.expected), (1, 3));
    let refs: Vec<&str> = sheet.rows.iter().map(|r| r.reference.as_str()).collect();
    assert_eq!(refs, vec![a.as_str(), b.as_str(), c.as_str()]);
    assert_eq!(sheet.rows[0].previous.as_ref().unwrap().rag, Some(Rag::Green));
    assert!(sheet.rows[1].current.as_ref().unwrap().draft);

    s.sign_off(&ctx(), q("2025-26-Q2"), true).unwrap();
    assert!(!s.update_sheet(q("2025-26-Q2"), d(TODAY)).unwrap().editable);
    assert!(!s.update_sheet(q("2026-27-Q1"), d(TODAY)).unwrap().editable, "a quarter not started takes no entries");
}

#[test]
fn an_overdue_action_is_one_past_its_due_date_and_still_open() {
    let (_d, mut s) = fresh();
    let late = s
        .add_action(
            &ctx(),
            &NewAction { priority: "1.1".into(), title: "Late".into(), lead: "WMP".into(), due_date: Some(d("2025-09-30")), ..Default::default() },
        )
        .unwrap();
    let by_quarter = s
        .add_action(
            &ctx(),
            &NewAction { priority: "1.1".into(), title: "Q1".into(), lead: "WMP".into(), due_quarter: Some(q("2025-26-Q1")), ..Default::default() },
        )
        .unwrap();
    let finished = s
        .add_action(
            &ctx(),
            &NewAction { priority: "1.1".into(), title: "Done".into(), lead: "WMP".into(), due_date: Some(d("2025-09-30")), ..Default::default() },
        )
        .unwrap();
    update(&mut s, &finished, "2025-26-Q2", Rag::Complete, "", "", UpdateMode::Strict);
    add(&mut s, "1.1", "WMP", "No due date");
    let overdue: Vec<String> = s.dashboard(q("2025-26-Q2"), d(TODAY)).unwrap().overdue.into_iter().map(|a| a.reference).collect();
    assert_eq!(overdue, vec![late, by_quarter]);
}

#[test]
fn typing_an_update_in_the_app_leaves_one_audit_entry_per_sitting() {
    let (_d, mut s) = fresh();
    let a = add(&mut s, "1.1", "WMP", "A");
    for text in ["S", "Slipp", "Slipped two weeks"] {
        update(&mut s, &a, "2025-26-Q2", Rag::Amber, text, "", UpdateMode::Draft);
    }
    let trail = s.audit(&AuditFilter { entity: Some("update".into()), ..Default::default() }).unwrap();
    assert_eq!(trail.len(), 1, "{trail:?}");
    assert!(trail[0].before.is_none());
    assert_eq!(trail[0].after.as_ref().unwrap()["commentary"], "Slipped two weeks");

    // Another change in between starts a new entry, whose "before" is the saved text.
    s.set_setting(&ctx(), "coordinator_name", "Sam").unwrap();
    update(&mut s, &a, "2025-26-Q2", Rag::Red, "Slipped two weeks", "Escalate", UpdateMode::Draft);
    let trail = s.audit(&AuditFilter { entity: Some("update".into()), ..Default::default() }).unwrap();
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[1].before.as_ref().unwrap()["rag"], "amber");
    assert_eq!(trail[1].after.as_ref().unwrap()["rag"], "red");

    // The CLI's strict saves are never merged.
    update(&mut s, &a, "2025-26-Q2", Rag::Red, "Slipped", "Escalate now", UpdateMode::Strict);
    update(&mut s, &a, "2025-26-Q2", Rag::Red, "Slipped", "Escalate today", UpdateMode::Strict);
    assert_eq!(s.audit(&AuditFilter { entity: Some("update".into()), ..Default::default() }).unwrap().len(), 4);
}

fn form() -> ActionInput {
    ActionInput {
        priority: "1.2".into(),
        title: "Referral pathway".into(),
        lead: "WMP".into(),
        partners: vec!["CCC".into()],
        due_date: "2026-03-31".into(),
        funding: "2,500.00".into(),
        funding_year: "2025-26".into(),
        ..Default::default()
    }
}

#[test]
fn funding_without_a_year_is_for_the_financial_year_of_today_from_the_form_and_the_cli() {
    let input = ActionInput { funding_year: "".into(), ..form() };
    let parsed = input.parse(d("2026-05-01")).unwrap();
    assert_eq!(parsed.funding.map(|(y, _)| y.code()), Some("2026-27".to_string()));
    assert_eq!(form().parse(d("2026-05-01")).unwrap().funding.map(|(y, _)| y.code()), Some("2025-26".to_string()), "a year given is kept");
}

#[test]
fn the_action_form_names_every_wrong_field_at_once() {
    let bad = ActionInput {
        priority: "".into(),
        title: " ".into(),
        lead: "".into(),
        start_date: "2026-01-01".into(),
        due_date: "2025-12-01".into(),
        funding: "-5".into(),
        due_quarter: "2025-26-Q9".into(),
        ..Default::default()
    };
    let Err(CoreError::InvalidFields(fields)) = bad.parse(d(TODAY)) else { panic!("expected every field's problem") };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, vec!["priority", "title", "lead", "due", "due_quarter", "funding"]);
    let wire = CoreError::InvalidFields(fields).to_wire();
    assert_eq!(wire.code, ccsp_core::ErrorCode::Invalid);
    assert_eq!(wire.fields.len(), 6);
}

#[test]
fn editing_an_action_keeps_its_ref_when_it_moves_and_is_audited() {
    let (_d, mut s) = fresh();
    let r = s.add_action(&ctx(), &form().parse(d(TODAY)).unwrap()).unwrap();
    assert_eq!(r, "1.2.1");
    let mut changed = form();
    changed.priority = "2.1".into();
    changed.title = "Referral pathway (city centre)".into();
    changed.partners = vec!["ICB".into(), "CCC".into()];
    changed.funding = "3000".into();
    s.edit_action(&ctx(), &r, &changed.parse(d(TODAY)).unwrap()).unwrap();
    let a = s.action(&r).unwrap();
    assert_eq!((a.reference.as_str(), a.priority.as_str(), a.title.as_str()), ("1.2.1", "2.1", "Referral pathway (city centre)"));
    assert_eq!(a.partners, vec!["CCC", "ICB"]);
    assert_eq!(s.list_actions().unwrap()[0].allocated_pence, 300_000);
    let trail = s.audit(&AuditFilter { key_prefix: Some(r.clone()), ..Default::default() }).unwrap();
    let ops: Vec<(&str, &str)> = trail.iter().map(|e| (e.entity.as_str(), e.op.as_str())).collect();
    assert_eq!(ops, vec![("action", "create"), ("allocation", "create"), ("action", "update"), ("allocation", "set")]);

    // A lead that is also a supporting partner is refused, and nothing changes.
    let mut bad = changed.clone();
    bad.partners = vec!["WMP".into()];
    let err = s.edit_action(&ctx(), &r, &bad.parse(d(TODAY)).unwrap()).unwrap_err();
    assert!(err.to_string().starts_with("partners:"), "{err}");
    assert_eq!(s.action(&r).unwrap().partners, vec!["CCC", "ICB"]);
    // The next action under 1.2 still gets a new number: refs are never reused.
    assert_eq!(s.add_action(&ctx(), &form().parse(d(TODAY)).unwrap()).unwrap(), "1.2.2");
}

fn priority(theme: u32, title: &str) -> PriorityInput {
    PriorityInput {
        theme,
        title: title.into(),
        description: String::new(),
        delivery_group: "Night-time Economy Group".into(),
        lenses: vec![Lens::Location, Lens::Victim],
        alignments: vec!["PCC".into()],
    }
}

#[test]
fn priorities_are_added_with_the_next_ref_edited_and_reordered_by_display_only() {
    let (_d, mut s) = fresh();
    let r = s.add_priority(&ctx(), &priority(2, "Safer nights out")).unwrap();
    assert_eq!(r, "2.4");
    let plan = s.plan_summary(d(TODAY)).unwrap();
    let t2 = &plan.themes[1];
    let p = t2.priorities.last().unwrap();
    assert_eq!((p.reference.as_str(), p.delivery_group.as_deref()), ("2.4", Some("Night-time Economy Group")));
    assert_eq!(p.lenses, vec![Lens::Victim, Lens::Location]);
    assert!(t2.delivery_groups.contains(&"Night-time Economy Group".to_string()));

    s.move_priority(&ctx(), "2.4", -1).unwrap();
    let order: Vec<String> = s.plan_summary(d(TODAY)).unwrap().themes[1].priorities.iter().map(|p| p.reference.clone()).collect();
    assert_eq!(order, vec!["2.1", "2.2", "2.4", "2.3"]);
    assert!(matches!(s.move_priority(&ctx(), "2.1", -1), Err(CoreError::Refused(_))));

    let mut edit = priority(2, "Safer nights out in the city centre");
    edit.lenses = vec![];
    let Err(CoreError::InvalidFields(f)) = s.edit_priority(&ctx(), "2.4", &edit) else { panic!("a priority needs a lens") };
    assert_eq!(f[0].field, "lenses");
    edit.lenses = vec![Lens::Offender];
    edit.alignments = vec!["NOPE".into()];
    let err = s.edit_priority(&ctx(), "2.4", &edit).unwrap_err();
    assert!(err.to_string().starts_with("alignments:"), "{err}");
    let still = s.plan_summary(d(TODAY)).unwrap().themes[1].priorities.iter().find(|p| p.reference == "2.4").unwrap().clone();
    assert_eq!(still.title, "Safer nights out", "a refused edit changes nothing");
    assert!(s.add_priority(&ctx(), &priority(9, "x")).is_err());
}

#[test]
fn plan_details_and_partners_are_edited_and_audited() {
    let (_d, mut s) = fresh();
    let before = s.plan().unwrap();
    let input = PlanInput {
        title: before.title.clone(),
        partnership: before.partnership.clone(),
        vision: "A safer Coventry for everyone".into(),
        statutory_basis: before.statutory_basis.clone(),
    };
    s.edit_plan(&ctx(), &input).unwrap();
    assert_eq!(s.plan().unwrap().vision, "A safer Coventry for everyone");
    let blank = PlanInput { vision: "".into(), ..input };
    assert!(matches!(s.edit_plan(&ctx(), &blank), Err(CoreError::InvalidFields(_))));

    s.save_partner(&ctx(), &PartnerInput { short_name: "VCS".into(), name: "Voluntary and community sector".into(), kind: PartnerKind::Other }).unwrap();
    s.save_partner(&ctx(), &PartnerInput { short_name: "vcs".into(), name: "Voluntary, community and faith sector".into(), kind: PartnerKind::Other }).unwrap();
    let p = s.partners().unwrap().into_iter().find(|p| p.short_name == "VCS").unwrap();
    assert_eq!(p.name, "Voluntary, community and faith sector");
    let bad = s.save_partner(&ctx(), &PartnerInput { short_name: "A B".into(), name: "".into(), kind: PartnerKind::Other });
    let Err(CoreError::InvalidFields(f)) = bad else { panic!() };
    // The short name and the name; the kind is an enum and cannot be wrong.
    assert_eq!(f.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), vec!["name", "short_name"]);
    let ops: Vec<String> = s.audit(&AuditFilter::default()).unwrap().iter().map(|e| format!("{} {}", e.entity, e.op)).collect();
    assert!(ops.ends_with(&["plan update".into(), "partner create".into(), "partner update".into()]), "{ops:?}");
}

#[test]
fn funding_shows_the_grant_allocations_and_spend_and_flags_over_allocation() {
    let (_d, mut s) = fresh();
    let y = FinancialYear::parse("2025-26").unwrap();
    let a = add(&mut s, "1.1", "WMP", "A");
    let b = add(&mut s, "2.1", "CCC", "B");
    s.set_allocation(&ctx(), &a, y, Pence(10_000_000)).unwrap();
    s.set_allocation(&ctx(), &b, y, Pence(6_000_000)).unwrap();
    s.set_spend(&ctx(), &a, q("2025-26-Q1"), Pence(1_234_567)).unwrap();
    let v = s.funding_view(y, d(TODAY)).unwrap();
    assert_eq!(v.grant_pence, Some(15_300_000), "the seed's £153K");
    assert_eq!(v.allocated_pence, 16_000_000);
    assert_eq!(v.unallocated_pence, Some(-700_000));
    assert!(v.over_allocated);
    assert_eq!(v.rows[0].spend_pence, vec![Some(1_234_567), None, None, None]);
    assert_eq!(v.spent_pence, 1_234_567);
    s.set_grant(&ctx(), y, "Home Office", Pence(16_500_000)).unwrap();
    let v = s.funding_view(y, d(TODAY)).unwrap();
    assert_eq!((v.grant_pence, v.over_allocated), (Some(16_500_000), false));
    assert!(s.funding_view(FinancialYear::parse("2030-31").unwrap(), d(TODAY)).is_err());
}

#[test]
fn the_reports_narrative_sections_are_listed_in_order_saved_audited_and_cleared() {
    let (_d, mut s) = fresh();
    let y = FinancialYear::parse("2025-26").unwrap();
    let sections = s.report_sections(y).unwrap();
    assert_eq!(sections.len(), ccsp_core::store::NARRATIVE_SECTIONS.len());
    assert_eq!(sections[0].key, "executive_summary");
    assert!(sections.iter().all(|x| x.body.is_empty() && x.updated_by.is_none()));
    s.set_narrative(&ctx(), y, "risk", "Risks are reviewed quarterly.").unwrap();
    let risk = s.report_sections(y).unwrap().into_iter().find(|x| x.key == "risk").unwrap();
    assert_eq!((risk.body.as_str(), risk.updated_by.as_deref()), ("Risks are reviewed quarterly.", Some("Tester")));
    s.set_narrative(&ctx(), y, "risk", "  ").unwrap();
    assert!(s.narratives(y).unwrap().is_empty(), "an empty text clears the section");
    let ops: Vec<String> = s.audit(&AuditFilter { entity: Some("narrative".into()), ..Default::default() }).unwrap().iter().map(|e| e.op.clone()).collect();
    assert_eq!(ops, vec!["create", "clear"]);
    assert!(s.set_narrative(&ctx(), y, "risk", "bad \u{7} bell").is_err());
}

fn indicator_form() -> IndicatorInput {
    IndicatorInput {
        code: "NTE-1".into(),
        name: "Violent incidents in the night-time economy".into(),
        theme: "2".into(),
        unit: "incidents".into(),
        polarity: "lower_is_better".into(),
        baseline_value: "1,204".into(),
        baseline_period: "2024/25".into(),
        target_value: "1100".into(),
        source: "WMP".into(),
    }
}

#[test]
fn an_indicator_added_edited_or_removed_in_the_app_and_a_wrong_request_changes_nothing() {
    let (_d, mut s) = fresh();
    let quarter = q("2025-26-Q2");
    let before = s.indicators_view(quarter, d(TODAY)).unwrap().indicators.len();
    let bad = IndicatorInput { code: " ".into(), polarity: String::new(), baseline_value: "lots".into(), theme: "x".into(), ..indicator_form() };
    match bad.parse() {
        Err(CoreError::InvalidFields(f)) => {
            let fields: Vec<&str> = f.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(fields, ["code", "theme", "polarity", "baseline_value"], "{f:?}");
        }
        other => panic!("expected every wrong field, got {other:?}"),
    }
    assert_eq!(s.indicators_view(quarter, d(TODAY)).unwrap().indicators.len(), before, "nothing added");

    s.add_indicator(&ctx(), &indicator_form().parse().unwrap()).unwrap();
    let context_only =
        IndicatorInput { code: "HC-2".into(), name: "Hate crimes reported".into(), theme: String::new(), target_value: " ".into(), ..indicator_form() };
    s.add_indicator(&ctx(), &context_only.parse().unwrap()).unwrap();
    let view = s.indicators_view(quarter, d(TODAY)).unwrap();
    assert_eq!(view.indicators.len(), before + 2);
    let added = view.indicators.iter().find(|i| i.code == "NTE-1").unwrap();
    assert_eq!((added.theme, added.baseline_value, added.target_value, added.context_only), (Some(2), Some(1204.0), Some(1100.0), false));
    let ctx_only = view.indicators.iter().find(|i| i.code == "HC-2").unwrap();
    assert!(ctx_only.context_only && ctx_only.theme.is_none());
    // A code already in use is refused, naming the field.
    match s.add_indicator(&ctx(), &indicator_form().parse().unwrap()) {
        Err(CoreError::Invalid { field, .. }) => assert_eq!(field, "code"),
        other => panic!("expected a duplicate code to be refused, got {other:?}"),
    }
    let trail = s.audit(&AuditFilter { entity: Some("indicator".into()), ..Default::default() }).unwrap();
    assert_eq!(trail.iter().filter(|e| e.op == "create").count(), 2, "each addition is audited");

    // Editing changes the details, keeps the code and its values, and is audited before/after.
    s.set_indicator_value(&ctx(), "NTE-1", quarter, 1150.0, "").unwrap();
    let edited = IndicatorInput { name: "Violent incidents, night-time economy".into(), target_value: "1000".into(), theme: "3".into(), ..indicator_form() };
    s.edit_indicator(&ctx(), "NTE-1", &edited.parse().unwrap()).unwrap();
    let view = s.indicators_view(quarter, d(TODAY)).unwrap();
    let after = view.indicators.iter().find(|i| i.code == "NTE-1").unwrap();
    assert_eq!(
        (after.name.as_str(), after.target_value, after.theme, after.latest),
        ("Violent incidents, night-time economy", Some(1000.0), Some(3), Some(1150.0))
    );
    let entry = s
        .audit(&AuditFilter { entity: Some("indicator".into()), ..Default::default() })
        .unwrap()
        .into_iter()
        .find(|e| e.op == "update")
        .expect("the edit is audited");
    assert_eq!(entry.before.as_ref().and_then(|b| b["target_value"].as_f64()), Some(1100.0));
    assert_eq!(entry.after.as_ref().and_then(|a| a["target_value"].as_f64()), Some(1000.0));
    // A theme that does not exist, or an unknown indicator, is refused and changes nothing.
    let bad_theme = IndicatorInput { theme: "9".into(), ..edited.clone() };
    assert!(matches!(s.edit_indicator(&ctx(), "NTE-1", &bad_theme.parse().unwrap()), Err(CoreError::Invalid { ref field, .. }) if field == "theme"));
    assert!(s.edit_indicator(&ctx(), "NOPE", &edited.parse().unwrap()).is_err());
    assert_eq!(s.indicators_view(quarter, d(TODAY)).unwrap().indicators.iter().find(|i| i.code == "NTE-1").unwrap().theme, Some(3));

    // One added by mistake (no values) is removed; one with values stays.
    match s.delete_indicator(&ctx(), "NTE-1") {
        Err(CoreError::Refused(m)) => assert!(m.contains("1 value(s)"), "{m}"),
        other => panic!("an indicator with values must stay, got {other:?}"),
    }
    s.delete_indicator(&ctx(), "HC-2").unwrap();
    let codes: Vec<String> = s.indicators_view(quarter, d(TODAY)).unwrap().indicators.into_iter().map(|i| i.code).collect();
    assert!(codes.contains(&"NTE-1".to_string()) && !codes.contains(&"HC-2".to_string()), "{codes:?}");
    let trail = s.audit(&AuditFilter { entity: Some("indicator".into()), ..Default::default() }).unwrap();
    assert!(trail.iter().any(|e| e.op == "delete" && e.key == "HC-2" && e.before.is_some()), "the removal is audited with what was removed");
}

#[test]
fn saving_a_narrative_or_front_sheet_unchanged_adds_no_audit_entry() {
    let (_d, mut s) = fresh();
    let year = FinancialYear::parse("2025-26").unwrap();
    let count = |s: &Store| s.audit(&AuditFilter::default()).unwrap().len();
    s.set_narrative(&ctx(), year, "context", "The partnership met four times.").unwrap();
    let after_first = count(&s);
    s.set_narrative(&ctx(), year, "context", "The partnership met four times.").unwrap();
    s.set_narrative(&ctx(), year, "progress", "").unwrap();
    assert_eq!(count(&s), after_first, "the same text again, or clearing an empty section, is not a change");
    let sheet = s.front_sheet_or_default(year).unwrap().sheet;
    s.set_front_sheet(&ctx(), &sheet).unwrap();
    let after_sheet = count(&s);
    let mut padded = sheet.clone();
    padded.title = format!("  {}  ", sheet.title);
    s.set_front_sheet(&ctx(), &sheet).unwrap();
    s.set_front_sheet(&ctx(), &padded).unwrap();
    assert_eq!(count(&s), after_sheet, "the same sheet (spaces aside) is not a change");
    s.set_narrative(&ctx(), year, "context", "Five times.").unwrap();
    assert_eq!(count(&s), after_sheet + 1, "a real change is audited");
}
