//! `ccsp demo`: clearly labelled illustrative actions, quarterly updates using every status,
//! indicator values, allocations and spend, so every screen and export has something realistic
//! to show. Built on the record in memory and applied in one transaction.

use chrono::NaiveDate;

use crate::domain::*;
use crate::error::CoreError;
use crate::store::{Ctx, Store};

/// (priority, title, lead, supporting, start, due, success measure, 2025/26 funding in pounds, status script)
type DemoAction = (&'static str, &'static str, &'static str, &'static [&'static str], &'static str, &'static str, &'static str, i64, &'static str);

/// Status scripts: one letter per quarter from the action's start (G green, A amber, R red,
/// C complete). Before its start date an action reports Not started.
const ACTIONS: &[DemoAction] = &[
    (
        "1.1",
        "Deliver knife-crime education sessions in every secondary school",
        "CCC",
        &["WMP"],
        "2025-04-01",
        "2027-03-31",
        "All 19 secondary schools receive sessions each academic year",
        18_000,
        "GGAAGGGG",
    ),
    (
        "1.1",
        "Fund youth outreach workers in the three serious-violence hotspots",
        "CCC",
        &["WMP", "ICB"],
        "2025-04-01",
        "2026-03-31",
        "Outreach contact with 300 young people a year",
        24_000,
        "GAGGC",
    ),
    (
        "1.1",
        "Expand the hospital navigator scheme at University Hospital A&E",
        "ICB",
        &["WMP"],
        "2025-07-01",
        "2027-03-31",
        "Every under-25 admitted with a violent injury is offered support",
        12_500,
        "AARAGG",
    ),
    (
        "1.2",
        "Integrated Offender Management for prolific neighbourhood offenders",
        "PS",
        &["WMP", "CCC"],
        "2025-04-01",
        "2028-03-31",
        "Reduction in re-offending among the IOM cohort",
        0,
        "GGGGGGGG",
    ),
    (
        "1.2",
        "Accommodation pathway for prison leavers at risk of homelessness",
        "PS",
        &["CCC", "RSLs"],
        "2025-04-01",
        "2026-09-30",
        "No prison leaver released to no fixed abode",
        9_000,
        "ARRAGGC",
    ),
    (
        "1.2",
        "Domestic abuse perpetrator behaviour-change programme",
        "PS",
        &["CCC"],
        "2026-01-01",
        "2027-12-31",
        "Two cohorts a year complete the programme",
        15_000,
        "AGGG",
    ),
    (
        "2.1",
        "Problem-solving plans for the five ASB hotspots",
        "WMP",
        &["CCC", "RSLs"],
        "2025-04-01",
        "2026-03-31",
        "ASB incidents in hotspot areas fall by 10%",
        6_000,
        "GGAGC",
    ),
    (
        "2.1",
        "Tenancy enforcement protocol for ASB in social housing",
        "RSLs",
        &["CCC", "WMP"],
        "2025-04-01",
        "2026-12-31",
        "Protocol agreed and used by every RSL in the city",
        0,
        "GAARRA",
    ),
    (
        "2.1",
        "Resident reassurance surveys and ward walkabouts",
        "CCC",
        &["WMP", "WMFS"],
        "2025-04-01",
        "2028-03-31",
        "Share of residents feeling safe by day rises from 60%",
        4_500,
        "GGGGGGGG",
    ),
    (
        "2.2",
        "Safer socialising: Ask for Angela and welfare hubs in the night-time economy",
        "CCC",
        &["WMP", "ICB"],
        "2025-04-01",
        "2027-03-31",
        "Every city-centre licensed venue signed up",
        11_000,
        "GGGAGG",
    ),
    (
        "2.2",
        "Drug-related harm reduction referrals from police custody",
        "ICB",
        &["WMP"],
        "2025-10-01",
        "2027-03-31",
        "70% of eligible detainees referred to treatment",
        8_000,
        "AGGGG",
    ),
    (
        "2.3",
        "Redeploy CCTV to the city-centre late-night corridor",
        "CCC",
        &["WMP"],
        "2025-04-01",
        "2026-06-30",
        "Cameras live and monitored on Friday and Saturday nights",
        21_000,
        "GRRAGC",
    ),
    (
        "2.3",
        "Arson reduction and fire-setting prevention in public spaces",
        "WMFS",
        &["CCC", "RSLs"],
        "2025-04-01",
        "2027-03-31",
        "Deliberate secondary fires fall by 15%",
        5_000,
        "GGGGAGG",
    ),
    (
        "3.1",
        "Exploitation screening in early help and schools",
        "CCC",
        &["WMP", "ICB"],
        "2025-04-01",
        "2027-03-31",
        "Screening tool used in all early-help assessments",
        7_500,
        "GAAGGGG",
    ),
    (
        "3.1",
        "Safe and well visits for residents at high risk of fire and exploitation",
        "WMFS",
        &["ICB"],
        "2025-04-01",
        "2028-03-31",
        "2,000 visits a year to referred residents",
        0,
        "GGGGGGGG",
    ),
    (
        "3.2",
        "Independent domestic violence advisers in the hospital and the courts",
        "ICB",
        &["CCC", "WMP"],
        "2025-04-01",
        "2027-03-31",
        "Every high-risk victim offered an IDVA within two working days",
        14_000,
        "GGAARAG",
    ),
    (
        "3.3",
        "Hate crime third-party reporting centres in community venues",
        "CCC",
        &["WMP", "RSLs"],
        "2026-04-01",
        "2027-03-31",
        "Ten reporting centres open and promoted",
        0,
        "GA",
    ),
    (
        "3.3",
        "Disrupt organised crime groups through partnership closure orders",
        "WMP",
        &["CCC", "RSLs", "WMFS"],
        "2025-04-01",
        "2028-03-31",
        "Closure orders secured on premises linked to organised crime",
        3_000,
        "GGRAGGG",
    ),
];

/// (code, name, theme, unit, polarity, baseline, baseline period, target, source, values by quarter)
type DemoIndicator = (&'static str, &'static str, Option<u32>, &'static str, Polarity, f64, &'static str, Option<f64>, &'static str, &'static [f64]);

const INDICATORS: &[DemoIndicator] = &[
    (
        "DEMO-SV",
        "Knife-enabled serious violence, victims under 25 (illustrative)",
        Some(1),
        "offences",
        Polarity::LowerIsBetter,
        96.0,
        "2024/25",
        Some(85.0),
        "WMP",
        &[24.0, 27.0, 22.0, 21.0, 23.0, 19.0, 20.0],
    ),
    (
        "DEMO-REOFF",
        "Proven re-offending rate, adults (illustrative)",
        Some(1),
        "%",
        Polarity::LowerIsBetter,
        24.5,
        "2023/24 cohort",
        Some(22.0),
        "PS",
        &[24.1, 23.8, 24.4, 23.2, 22.9, 22.6, 22.8],
    ),
    (
        "DEMO-ASB",
        "ASB incidents reported to the police (illustrative)",
        Some(2),
        "incidents",
        Polarity::LowerIsBetter,
        2150.0,
        "2024/25 Q4",
        Some(1950.0),
        "WMP",
        &[2210.0, 2380.0, 2050.0, 1990.0, 2105.0, 2240.0, 1960.0],
    ),
    (
        "DEMO-FIRES",
        "Deliberate secondary fires (illustrative)",
        Some(2),
        "fires",
        Polarity::LowerIsBetter,
        180.0,
        "2024/25",
        Some(150.0),
        "WMFS",
        &[52.0, 61.0, 38.0, 30.0, 47.0, 55.0, 35.0],
    ),
    (
        "DEMO-DA",
        "Domestic abuse victims referred to support (illustrative)",
        Some(3),
        "referrals",
        Polarity::HigherIsBetter,
        1200.0,
        "2024/25",
        Some(1350.0),
        "CCC",
        &[290.0, 310.0, 335.0, 320.0, 342.0, 351.0, 348.0],
    ),
    (
        "DEMO-HATE",
        "Hate crimes reported (context only: a rise can mean more confidence to report; illustrative)",
        Some(3),
        "crimes",
        Polarity::HigherIsBetter,
        640.0,
        "2024/25",
        None,
        "WMP",
        &[150.0, 171.0, 166.0, 149.0, 182.0, 175.0, 190.0],
    ),
];

fn date(s: &str) -> Result<NaiveDate, CoreError> {
    parse_date("demo date", s)
}

fn commentary(rag: Rag, title: &str) -> (String, String) {
    let what = title.split(':').next().unwrap_or(title).to_lowercase();
    match rag {
        Rag::Green => (format!("On track. Work on {what} is progressing as planned; partners report no issues this quarter."), String::new()),
        Rag::Amber => (
            format!("Some slippage: a staffing gap has delayed part of the work on {what}. The lead partner is managing it within the partnership."),
            "Recruitment under way; revised milestones to the delivery group next month.".into(),
        ),
        Rag::Red => (
            format!("Off track: funding for {what} has not been confirmed by one partner and delivery has stopped."),
            "Escalate to the CCSP board: agree interim funding or re-scope the action at the next meeting.".into(),
        ),
        Rag::Complete => (format!("Delivered: {what} is complete and has moved to business as usual."), String::new()),
        Rag::NotStarted => ("Not yet due to start.".into(), String::new()),
    }
}

/// Where the demo copy of a store lives: a folder of its own beside the store (so its backups,
/// if any, never mix with the real ones).
pub fn demo_copy_path(store: &std::path::Path) -> std::path::PathBuf {
    store.parent().map(|p| p.join("demo")).unwrap_or_else(|| "demo".into()).join("ccsp-demo.sqlite3")
}

/// Makes a fresh demo copy at `path` (the seeded plan and the illustrative data, dated from
/// `today`) and opens it read-only: a separate file, never the coordinator's record. An
/// earlier demo copy there is replaced; anything else at that path is refused, untouched.
pub fn open_demo_copy(path: &std::path::Path, today: NaiveDate) -> Result<Store, CoreError> {
    match crate::store::identify(path)? {
        crate::store::FileKind::Missing => {}
        crate::store::FileKind::Store { .. } if is_demo_copy(path)? => {
            for end in ["", "-wal", "-shm"] {
                let file = std::path::PathBuf::from(format!("{}{end}", path.display()));
                match std::fs::remove_file(&file) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(CoreError::io(&file, e)),
                }
            }
        }
        _ => {
            return Err(CoreError::Refused(format!("{} is not a demo copy made by this app, so it is left as it is and no demo copy was made", path.display())))
        }
    }
    {
        let ctx = Ctx::new("Demo", today);
        let mut store = Store::create(path, &crate::interchange::seed_record()?, "created as the demo copy")?;
        store.set_setting(&ctx, DEMO_SETTING, "yes")?;
        add_demo(&mut store, &ctx)?;
    }
    Store::open_read_only_for(path, crate::fault::ReadOnlyReason::Demo)
}

/// Whether the store at `path` is a demo copy (its setting says so); read without writing.
fn is_demo_copy(path: &std::path::Path) -> Result<bool, CoreError> {
    let store = Store::open_read_only_for(path, crate::fault::ReadOnlyReason::Demo)?;
    Ok(store.setting(DEMO_SETTING)?.as_deref() == Some("yes"))
}

/// The setting that marks a store as a demo copy.
const DEMO_SETTING: &str = "demo_copy";

/// Adds the illustrative data to the store in one transaction; refuses if it is already there.
pub fn add_demo(store: &mut Store, ctx: &Ctx) -> Result<DemoSummary, CoreError> {
    let mut rec = store.record()?;
    if rec.actions.iter().any(|a| a.illustrative) {
        return Err(CoreError::Refused("this store already has the illustrative demo data; nothing was added".into()));
    }
    let plan_quarters = rec.plan.quarters();
    // Quarters that have ended (updates for them are due); the latest ended quarter is left
    // with a few returns missing so the "no return" lists have something to show.
    let ended: Vec<Quarter> = plan_quarters.iter().copied().filter(|q| q.end() < ctx.today).collect();
    let mut summary = DemoSummary::default();

    for (i, (priority, title, lead, partners, start, due, measure, funding, script)) in ACTIONS.iter().enumerate() {
        let pr = rec
            .priorities
            .iter_mut()
            .find(|p| p.reference == *priority)
            .ok_or_else(|| CoreError::Refused(format!("the demo needs priority {priority}, which this plan no longer has")))?;
        if !rec.partners.iter().any(|p| p.short_name == *lead) {
            return Err(CoreError::Refused(format!("the demo needs partner {lead}, which this plan no longer has")));
        }
        pr.last_action_seq += 1;
        let reference = format!("{}.{}", pr.reference, pr.last_action_seq);
        let start = date(start)?;
        let due = date(due)?;
        let mut lifecycle = if start > ctx.today { Lifecycle::NotStarted } else { Lifecycle::InProgress };
        let mut letters = script.chars();
        for (qi, q) in ended.iter().enumerate() {
            let last = qi + 1 == ended.len();
            if last && i % 6 == 5 {
                continue; // no return yet for this quarter
            }
            let rag = if start > q.start() {
                Rag::NotStarted
            } else {
                match letters.next().unwrap_or('G') {
                    'A' => Rag::Amber,
                    'R' => Rag::Red,
                    'C' => Rag::Complete,
                    _ => Rag::Green,
                }
            };
            if lifecycle == Lifecycle::Complete {
                break;
            }
            let (commentary, next_steps) = commentary(rag, title);
            rec.updates.push(Update {
                action: reference.clone(),
                quarter: *q,
                rag: Some(rag),
                commentary,
                next_steps,
                reported_by: format!("{lead} lead officer"),
                reported_at: ctx.now.clone(),
                draft: false,
            });
            summary.updates += 1;
            if rag == Rag::Complete {
                lifecycle = Lifecycle::Complete;
            }
        }
        if *funding > 0 {
            let year = FinancialYear::new(2025)?;
            rec.allocations.push(Allocation { action: reference.clone(), year, amount: Pence(funding * 100) });
            for q in ended.iter().filter(|q| q.year() == year) {
                rec.spend.push(Spend { action: reference.clone(), quarter: *q, amount: Pence(funding * 100 / 5) });
            }
        }
        rec.actions.push(Action {
            reference,
            priority: priority.to_string(),
            title: title.to_string(),
            description: "Illustrative example added by `ccsp demo`; not part of the adopted plan.".into(),
            lead: lead.to_string(),
            partners: partners.iter().map(|s| s.to_string()).collect(),
            start_date: Some(start),
            due_date: Some(due),
            due_quarter: None,
            success_measure: measure.to_string(),
            lifecycle,
            cancel_reason: None,
            position: 100 + i as i64,
            illustrative: true,
            created_at: ctx.now.clone(),
            previous_ref: String::new(),
        });
        summary.actions += 1;
    }
    for (n, (code, name, theme, unit, polarity, baseline, period, target, source, values)) in INDICATORS.iter().enumerate() {
        if rec.indicators.iter().any(|i| i.code == *code) {
            continue;
        }
        rec.indicators.push(Indicator {
            code: code.to_string(),
            name: name.to_string(),
            theme: *theme,
            unit: unit.to_string(),
            polarity: *polarity,
            baseline_value: Some(*baseline),
            baseline_period: period.to_string(),
            target_value: *target,
            source: source.to_string(),
            position: 10 + n as i64,
        });
        for (q, v) in ended.iter().zip(values.iter()) {
            rec.indicator_values.push(IndicatorValue {
                indicator: code.to_string(),
                quarter: *q,
                value: *v,
                note: "Illustrative figure".into(),
                recorded_by: ctx.who.clone(),
                recorded_at: ctx.now.clone(),
            });
            summary.indicator_values += 1;
        }
    }
    rec.indicators.sort_by(|a, b| a.code.cmp(&b.code));
    rec.indicator_values.sort_by(|a, b| a.indicator.cmp(&b.indicator).then(a.quarter.cmp(&b.quarter)));
    rec.updates.sort_by(|a, b| crate::store::ref_key(&a.action).cmp(&crate::store::ref_key(&b.action)).then(a.quarter.cmp(&b.quarter)));
    rec.audit.push(AuditEntry {
        at: ctx.now.clone(),
        who: ctx.who.clone(),
        entity: "demo".into(),
        key: "illustrative data".into(),
        op: "create".into(),
        before: None,
        after: Some(serde_json::to_value(&summary).map_err(|e| CoreError::Refused(e.to_string()))?),
        reason: Some("ccsp demo: illustrative examples, not part of the adopted plan".into()),
    });
    store.replace_record(&rec, "demo", "illustrative data added")?;
    Ok(summary)
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoSummary {
    pub actions: usize,
    pub updates: usize,
    pub indicator_values: usize,
}
