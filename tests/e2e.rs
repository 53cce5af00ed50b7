//! End to end: the real app window under Xvfb, driven through WebDriver (tauri-driver +
//! WebKitWebDriver). scripts/test.sh builds the app and runs these inside `xvfb-run` and
//! `dbus-run-session`, so they always have a display.
//!
//! `CCSP_SCREENSHOTS=DIR` saves a PNG of every screen while the accessibility test visits them.

use ccsp_e2e::{bin, keys, Fixture, Session};
use serde_json::{json, Value};

/// Saves a screenshot as `name`.png when `CCSP_SCREENSHOTS` names a folder, first scrolling
/// the element with id `scroll_to` into view.
fn shot(s: &Session, name: &str, scroll_to: Option<&str>) {
    let Some(dir) = std::env::var_os("CCSP_SCREENSHOTS").map(std::path::PathBuf::from) else { return };
    std::fs::create_dir_all(&dir).unwrap();
    if let Some(id) = scroll_to {
        s.exec("document.getElementById(arguments[0]).scrollIntoView();", json!([id])).unwrap();
    }
    s.screenshot(&dir.join(format!("{name}.png"))).unwrap();
}

fn open(f: &Fixture) -> (ccsp_e2e::Driver, Session) {
    assert!(std::env::var_os("DISPLAY").is_some(), "no DISPLAY: run the end-to-end tests through scripts/test.sh, which starts Xvfb");
    let driver = f.driver().expect("tauri-driver starts");
    let s = driver.session(&bin("ccsp-coordinator")).expect("the app window opens");
    s.wait_for("document.body.dataset.ready === 'true'", "the app to finish loading").unwrap();
    (driver, s)
}

/// Opens a screen with its keyboard shortcut (Alt+1 … Alt+0) and waits for its heading.
fn screen(s: &Session, digit: &str, heading: &str) {
    s.chord(keys::ALT, digit).unwrap();
    s.wait_for(&format!("document.querySelector('main h1') && document.querySelector('main h1').textContent.trim() === {}", json!(heading)), heading).unwrap();
}

/// Waits until the screen has every answer it asked the core for (no call on its way) and
/// the browser has drawn it.
fn settled(s: &Session) {
    s.wait_for("window.__ccspPending === 0", "the screen's data").unwrap();
    s.exec_async("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", json!([])).unwrap();
    s.wait_for("window.__ccspPending === 0", "the screen's data").unwrap();
}

fn ok(v: Value) -> Value {
    assert!(v.get("err").is_none(), "command failed: {v}");
    v["ok"].clone()
}

fn num(s: &Session, js: &str) -> i64 {
    s.exec(&format!("return {js};"), json!([])).unwrap().as_i64().unwrap_or(-1)
}

/// The focused element's id.
fn focus(s: &Session) -> String {
    s.focused_id().unwrap()
}

#[test]
fn meeting_prep_week_works_from_the_keyboard_alone() {
    let f = Fixture::new("meeting", true).unwrap();
    let (_driver, s) = open(&f);

    // The dashboard opens on the reporting quarter: the last ended quarter not signed off.
    s.wait_for("document.querySelector('[data-testid=updated-count]')", "the dashboard counts").unwrap();
    let q = s.exec("return document.getElementById('dash-quarter').value;", json!([])).unwrap();
    assert_eq!(q, "2026-27-Q2");
    let updated_before: i64 = s.text("[data-testid=updated-count]").unwrap().parse().unwrap();

    // 1. Add an action, keyboard only: Alt+3, Tab to "Add an action", type into the form.
    screen(&s, "3", "Actions");
    s.tab_to("add-action", 5).unwrap();
    s.keys(keys::ENTER).unwrap();
    s.wait_for("document.activeElement && document.activeElement.id === 'f-priority'", "the form's first field").unwrap();
    s.keys("1.2").unwrap();
    s.tab_to("f-title", 3).unwrap();
    s.keys("Keyboard-only referral pathway").unwrap();
    s.tab_to("f-lead", 4).unwrap();
    s.keys("WMP").unwrap();
    s.tab_to("f-funding", 20).unwrap();
    s.keys("2500.00").unwrap();
    s.keys(keys::ENTER).unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('added')", "the action to be added").unwrap();
    let actions = ok(s.invoke("list_actions", json!({})).unwrap());
    let added = actions.as_array().unwrap().iter().find(|a| a["title"] == "Keyboard-only referral pathway").expect("the new action is in the register").clone();
    let new_ref = added["ref"].as_str().unwrap().to_string();
    assert!(new_ref.starts_with("1.2."), "{new_ref}");
    assert_eq!(added["lead"], "WMP");
    assert_eq!(added["allocated_pence"], 250000);

    // 2. Enter the quarter's missing returns on the quarterly update screen.
    screen(&s, "2", "Quarterly update");
    s.tab_to("q-show", 12).unwrap();
    s.keys("N").unwrap(); // "Not updated yet"
    s.wait_for("document.querySelectorAll('[role=radiogroup]').length >= 1 && document.getElementById('q-show').value === 'todo'", "the filter").unwrap();
    let todo: Vec<String> = s
        .exec("return [...document.querySelectorAll('tr[data-ref]')].map(r => r.dataset.ref);", json!([]))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(todo.contains(&new_ref), "{todo:?} should hold the new action {new_ref}");
    assert!(todo.len() >= 2, "{todo:?}");
    let expected = num(&s, "Number(document.querySelector('[data-testid=progress]').textContent.split(' of ')[1].split(' ')[0])");

    s.tab_until("document.activeElement && document.activeElement.getAttribute('role') === 'radio'", 10, "the first status").unwrap();
    for (i, r) in todo.iter().enumerate() {
        let id = r.replace('.', "-");
        assert!(focus(&s).starts_with(&format!("status-{id}")), "row {r}: focus is on {}", focus(&s));
        match i % 3 {
            0 => {
                // Green: a status is enough.
                s.keys("g").unwrap();
                s.keys(keys::ENTER).unwrap();
                s.keys("On track; first sessions held.").unwrap();
                s.keys(keys::ENTER).unwrap();
                s.keys(keys::ENTER).unwrap();
            }
            1 => {
                // Amber needs a commentary: an incomplete draft until it has one.
                s.keys("a").unwrap();
                s.wait_for(&format!("document.querySelector('tr[data-ref=\"{r}\"] .field-error')"), "the commentary rule").unwrap();
                s.keys(keys::ENTER).unwrap();
                s.keys("Two weeks late: venue change.").unwrap();
                s.keys(keys::ENTER).unwrap();
                s.keys(keys::ENTER).unwrap();
            }
            _ => {
                // Red needs a commentary and next steps.
                s.keys("r").unwrap();
                s.keys(keys::ENTER).unwrap();
                s.keys("Funding withdrawn by the provider.").unwrap();
                s.keys(keys::ENTER).unwrap();
                s.keys("Escalate to the CCSP chair.").unwrap();
                s.keys(keys::ENTER).unwrap();
            }
        }
    }
    // Everything typed is saved without a save button.
    s.wait_for(&format!("document.querySelector('[data-testid=progress]').textContent === '{expected} of {expected} updated'"), "every return to be counted")
        .unwrap();
    let sheet = ok(s.invoke("update_sheet", json!({"quarterCode": "2026-27-Q2"})).unwrap());
    for r in &todo {
        let row = sheet["rows"].as_array().unwrap().iter().find(|x| x["ref"] == r.as_str()).unwrap();
        assert_eq!(row["current"]["draft"], false, "{r} saved complete: {row}");
    }
    let amber = sheet["rows"].as_array().unwrap().iter().find(|x| x["ref"] == todo[1].as_str()).unwrap();
    assert_eq!(amber["current"]["rag"], "amber");
    assert_eq!(amber["current"]["commentary"], "Two weeks late: venue change.");

    // 3. The dashboard counts have moved.
    screen(&s, "1", "Dashboard");
    s.wait_for(&format!("document.querySelector('[data-testid=updated-count]').textContent === '{expected}'"), "the dashboard to count the new returns")
        .unwrap();
    assert!(expected > updated_before);

    // 4. Sign the quarter off, confirming in the dialog.
    screen(&s, "8", "Sign-off and audit");
    s.tab_to("sign-off", 6).unwrap();
    s.keys(keys::ENTER).unwrap();
    s.wait_for("document.querySelector('dialog[open]')", "the confirmation").unwrap();
    s.tab_to("confirm-sign-off", 4).unwrap();
    s.keys(keys::ENTER).unwrap();
    s.wait_for("document.querySelector('main .chip.state-signed_off')", "the quarter to show as signed off").unwrap();

    // 5. An edit to the signed-off quarter is refused, in the window and by the core.
    screen(&s, "2", "Quarterly update");
    s.wait_for("document.querySelector('.banner') && document.querySelector('.banner').textContent.includes('signed off')", "the signed-off notice").unwrap();
    assert_eq!(num(&s, "document.querySelectorAll('[role=radiogroup]').length"), 0, "no status can be changed");
    let refused = s
        .invoke("save_update", json!({"reference": new_ref, "quarterCode": "2026-27-Q2", "rag": "red", "commentary": "late change", "nextSteps": "x"}))
        .unwrap();
    assert_eq!(refused["err"]["code"], "refused", "{refused}");
    assert!(refused["err"]["message"].as_str().unwrap().contains("signed off"));
    s.close().unwrap();

    // The audit trail has it all, as the CLI sees it.
    let audit = f.ccsp(&["audit"]).unwrap();
    assert!(audit.contains("sign_off"), "{audit}");
    assert!(audit.contains(&new_ref));
}

#[test]
fn a_form_with_mistakes_lists_them_and_adds_nothing() {
    let f = Fixture::new("form", false).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "3", "Actions");
    s.click("#add-action").unwrap();
    s.find("#f-due").unwrap();
    s.exec("document.getElementById('f-due').value = '2026-02-30'; document.getElementById('f-due').dispatchEvent(new Event('input'));", json!([])).unwrap();
    s.exec("document.getElementById('f-funding').value = '-5'; document.getElementById('f-funding').dispatchEvent(new Event('input'));", json!([])).unwrap();
    s.click("form button[type=submit]").unwrap();
    s.wait_for("document.querySelector('.error-summary')", "the error summary").unwrap();
    let summary = s.text(".error-summary").unwrap();
    for want in ["Priority", "Title", "Lead partner", "Due date", "Funding"] {
        assert!(summary.contains(want), "the summary should name {want}: {summary}");
    }
    assert!(num(&s, "document.querySelectorAll('.field.has-error').length") >= 5);
    assert_eq!(s.focused_id().unwrap(), "", "focus moves to the summary, which has no id");
    assert!(s.exec("return document.activeElement.classList.contains('error-summary');", json!([])).unwrap().as_bool().unwrap());
    let actions = ok(s.invoke("list_actions", json!({})).unwrap());
    assert_eq!(actions.as_array().unwrap().len(), 0, "nothing was added");
}

#[test]
fn the_dashboard_drafts_a_chase_message_for_each_partner_with_returns_missing() {
    let f = Fixture::new("chase", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "1", "Dashboard");
    s.wait_for("document.getElementById('chase-messages')", "the chase messages").unwrap();
    let quarter = s.exec("return document.getElementById('dash-quarter') ? document.getElementById('dash-quarter').value : null;", json!([])).unwrap();
    let dash = match quarter.as_str() {
        Some(q) => ok(s.invoke("dashboard", json!({"quarterCode": q})).unwrap()),
        None => panic!("the dashboard has a quarter picker"),
    };
    let missing = dash["missing_by_lead"].as_array().unwrap();
    assert!(!missing.is_empty(), "the demo data has returns missing");
    s.click("#chase-messages summary").unwrap();
    s.wait_for("document.querySelector('#chase-messages textarea')", "the messages, built when opened").unwrap();
    for p in missing {
        let lead = p["lead"].as_str().unwrap();
        let text = s.exec("return document.getElementById(arguments[0]).value;", json!([format!("chase-{lead}")])).unwrap();
        let text = text.as_str().unwrap();
        assert!(text.starts_with(&format!("Dear colleagues at {},", p["lead_name"].as_str().unwrap())), "{text}");
        for a in p["actions"].as_array().unwrap() {
            assert!(text.contains(&format!("- {} {}", a["ref"].as_str().unwrap(), a["title"].as_str().unwrap())), "{text}");
        }
    }
    let first = missing[0]["lead"].as_str().unwrap();
    s.click(&format!("#copy-chase-{first}")).unwrap();
    s.wait_for("/copied/.test(document.getElementById('announce').textContent)", "the message to be copied to the clipboard").unwrap();
    assert!(s.axe().unwrap().is_empty(), "the open chase messages are accessible");
    shot(&s, "dashboard-chase", Some("chase-messages"));
}

#[test]
fn an_indicator_is_added_edited_and_removed_on_the_indicators_screen_and_a_wrong_one_is_refused() {
    let f = Fixture::new("indicator", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "5", "Indicators");
    let quarter = s.exec("return document.getElementById('ind-quarter').value;", json!([])).unwrap();
    let before = ok(s.invoke("indicators", json!({"quarterCode": quarter})).unwrap())["indicators"].as_array().unwrap().len();
    // Direction of travel reads as words: "▼ down (better)".
    s.wait_for("document.querySelector('table')", "the indicators table").unwrap();
    assert_eq!(
        s.exec("return /(up|down|level) \\((better|worse|same)\\)/.test(document.querySelector('table').textContent);", json!([])).unwrap(),
        json!(true),
        "{}",
        s.text("table").unwrap()
    );
    s.click("#add-indicator").unwrap();
    s.find("#f-code").unwrap();
    assert_eq!(s.focused_id().unwrap(), "f-code", "the form opens on its first field");
    s.click("#f-baseline_value").unwrap();
    s.keys("lots").unwrap();
    s.click("#save-indicator").unwrap();
    s.wait_for("document.querySelector('#indicator-form .error-summary')", "the error summary").unwrap();
    let summary = s.text("#indicator-form .error-summary").unwrap();
    for want in ["Code", "Name", "Baseline value"] {
        assert!(summary.contains(want), "the summary should name {want}: {summary}");
    }
    assert!(s.axe().unwrap().is_empty(), "the indicator form with its errors is accessible");
    s.click("#f-code").unwrap();
    s.keys("NTE-1").unwrap();
    s.click("#f-name").unwrap();
    s.keys("Violent incidents in the night-time economy").unwrap();
    s.exec("const b = document.getElementById('f-baseline_value'); b.value = '1,204'; b.dispatchEvent(new Event('input'));", json!([])).unwrap();
    s.click("#f-target_value").unwrap();
    s.keys("1100").unwrap();
    s.click("#save-indicator").unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('Indicator added')", "the indicator to be added").unwrap();
    s.wait_for("document.querySelector('table') && document.querySelector('table').textContent.includes('NTE-1')", "the new indicator's row").unwrap();
    let after = ok(s.invoke("indicators", json!({"quarterCode": quarter})).unwrap());
    let list = after["indicators"].as_array().unwrap();
    assert_eq!(list.len(), before + 1);
    let added = list.iter().find(|i| i["code"] == "NTE-1").unwrap();
    assert_eq!(
        (added["baseline_value"].as_f64(), added["target_value"].as_f64(), added["polarity"].as_str()),
        (Some(1204.0), Some(1100.0), Some("lower_is_better"))
    );
    // Edited from its row: the code stays, the target changes.
    s.click("#edit-NTE-1").unwrap();
    s.wait_for("document.getElementById('f-target_value') && document.getElementById('f-target_value').value === '1100'", "the form filled with the indicator")
        .unwrap();
    assert_eq!(s.exec("return document.getElementById('f-code').readOnly;", json!([])).unwrap(), json!(true));
    s.exec("const t = document.getElementById('f-target_value'); t.value = '1000'; t.dispatchEvent(new Event('input'));", json!([])).unwrap();
    s.click("#save-indicator").unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('Indicator saved')", "the indicator to be saved").unwrap();
    let after = ok(s.invoke("indicators", json!({"quarterCode": quarter})).unwrap());
    let edited = after["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "NTE-1").cloned().unwrap();
    assert_eq!(edited["target_value"].as_f64(), Some(1000.0));
    // Added by mistake (no values yet): removed from the edit form after a confirmation.
    s.click("#edit-NTE-1").unwrap();
    s.click("#remove-indicator").unwrap();
    shot(&s, "indicator-remove", Some("confirm-remove"));
    s.click("#confirm-remove-indicator").unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('NTE-1 removed')", "the indicator to be removed").unwrap();
    let left = ok(s.invoke("indicators", json!({"quarterCode": quarter})).unwrap());
    assert_eq!(left["indicators"].as_array().unwrap().len(), before, "back to the indicators there were");
    // One with values has no remove button.
    let with_values =
        left["indicators"].as_array().unwrap().iter().find(|i| !i["values"].as_array().unwrap().is_empty()).map(|i| i["code"].as_str().unwrap().to_string());
    if let Some(code) = with_values {
        s.click(&format!("#edit-{code}")).unwrap();
        s.find("#indicator-form").unwrap();
        assert_eq!(s.exec("return document.getElementById('remove-indicator') === null;", json!([])).unwrap(), json!(true));
        s.click("#indicator-form .btn-row .btn.secondary").unwrap();
    }
    s.click("#add-indicator").unwrap();
    s.find("#indicator-form").unwrap();
    shot(&s, "indicator-form", None);
}

#[test]
fn every_screen_has_no_serious_accessibility_violations() {
    let f = Fixture::new("axe", true).unwrap();
    let (_driver, s) = open(&f);
    let shots = std::env::var_os("CCSP_SCREENSHOTS").map(std::path::PathBuf::from);
    let screens = [
        ("1", "Dashboard", "dashboard"),
        ("2", "Quarterly update", "quarterly-update"),
        ("3", "Actions", "actions"),
        ("4", "Plan", "plan"),
        ("5", "Indicators", "indicators"),
        ("6", "Partners", "partners"),
        ("7", "Funding", "funding"),
        ("8", "Sign-off and audit", "sign-off"),
        ("9", "Exports", "exports"),
        ("0", "Settings", "settings"),
    ];
    let mut problems = Vec::new();
    for (digit, heading, name) in screens {
        screen(&s, digit, heading);
        settled(&s);
        for v in s.axe().unwrap() {
            problems.push(format!("{heading}: {v}"));
        }
        if let Some(dir) = &shots {
            std::fs::create_dir_all(dir).unwrap();
            s.screenshot(&dir.join(format!("{name}.png"))).unwrap();
        }
    }
    // The add-action form and the sign-off dialog too.
    screen(&s, "3", "Actions");
    s.click("#add-action").unwrap();
    s.find("#f-title").unwrap();
    for v in s.axe().unwrap() {
        problems.push(format!("Add an action: {v}"));
    }
    if let Some(dir) = &shots {
        s.screenshot(&dir.join("action-form.png")).unwrap();
    }
    screen(&s, "8", "Sign-off and audit");
    s.click("#sign-off").unwrap();
    s.find("dialog[open]").unwrap();
    for v in s.axe().unwrap() {
        problems.push(format!("Sign-off dialog: {v}"));
    }
    if let Some(dir) = &shots {
        s.screenshot(&dir.join("sign-off-dialog.png")).unwrap();
    }
    assert!(problems.is_empty(), "axe-core found serious or critical violations:\n{}", problems.join("\n"));
    let csp = s.exec("return window.__cspViolations;", json!([])).unwrap();
    assert_eq!(csp, json!([]), "the Content Security Policy blocked something the window needs");
}

#[test]
fn every_screen_reflows_without_sideways_scrolling_at_200_percent_zoom() {
    // 1280×720 at 200% zoom gives the page 640×360 CSS pixels.
    let f = Fixture::new("zoom", true).unwrap();
    let (_driver, s) = open(&f);
    s.set_window(640, 360).unwrap();
    s.wait_for("window.innerWidth <= 660", "the window to shrink").unwrap();
    let shots = std::env::var_os("CCSP_SCREENSHOTS").map(std::path::PathBuf::from);
    let mut wide = Vec::new();
    for (digit, heading) in [
        ("1", "Dashboard"),
        ("2", "Quarterly update"),
        ("3", "Actions"),
        ("4", "Plan"),
        ("5", "Indicators"),
        ("6", "Partners"),
        ("7", "Funding"),
        ("8", "Sign-off and audit"),
        ("9", "Exports"),
        ("0", "Settings"),
    ] {
        screen(&s, digit, heading);
        settled(&s);
        let overflow = s.exec("return document.scrollingElement.scrollWidth - window.innerWidth;", json!([])).unwrap().as_i64().unwrap();
        if overflow > 1 {
            let culprits = s
                .exec(
                    "const out = [];
                     for (const el of document.querySelectorAll('main *')) {
                       const r = el.getBoundingClientRect();
                       if (r.right > window.innerWidth + 1 && el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1) out.push(el.tagName + '#' + el.id + '.' + el.className + ' ' + Math.round(r.width));
                     }
                     const sw = (q) => { const e = document.querySelector(q); return e ? q + ' ' + e.scrollWidth + '/' + e.clientWidth : ''; };
                     return out.slice(0, 5).join('; ') + ' | ' + ['html', 'body', '.shell', 'main', '.table-wrap', 'nav', 'header'].map(sw).join(', ');",
                    json!([]),
                )
                .unwrap();
            wide.push(format!("{heading}: {overflow} px wider than the window ({culprits})"));
        }
        let nav = s.exec("const r = document.querySelector('nav button[aria-current=page]').getBoundingClientRect(); return r.width > 0 && r.right <= window.innerWidth;", json!([])).unwrap();
        assert_eq!(nav, json!(true), "{heading}: the navigation stays on screen");
        if let (Some(dir), "Quarterly update") = (&shots, heading) {
            std::fs::create_dir_all(dir).unwrap();
            s.screenshot(&dir.join("quarterly-update-200-percent.png")).unwrap();
        }
    }
    assert!(wide.is_empty(), "pages scroll sideways at 200% zoom:\n{}", wide.join("\n"));
}

#[test]
fn a_restore_from_the_app_brings_back_exactly_the_backed_up_record() {
    let f = Fixture::new("restore", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "0", "Settings");
    s.click("#backup-now").unwrap();
    s.wait_for("document.querySelector('#backups tr[data-kind=manual]')", "the new backup in the list").unwrap();
    let at_backup = f.dir.join("at-backup.json");
    f.ccsp(&["export", "json", "--out", at_backup.to_str().unwrap()]).unwrap();

    // A change after the backup...
    let input = json!({"priority": "2.1", "title": "Added after the backup", "description": "", "lead": "CCC", "partners": [],
        "start_date": "", "due_date": "", "due_quarter": "", "success_measure": "", "funding": "", "funding_year": ""});
    ok(s.invoke("add_action", json!({"input": input})).unwrap());

    // ...is undone by restoring the backup from Settings.
    s.click("#backups tr[data-kind=manual] button").unwrap();
    s.find("dialog[open] #confirm-restore").unwrap();
    s.click("#confirm-restore").unwrap();
    s.wait_for("document.getElementById('announce').textContent === 'Backup restored'", "the restore").unwrap();
    let after = f.dir.join("after-restore.json");
    f.ccsp(&["export", "json", "--out", after.to_str().unwrap()]).unwrap();
    assert_eq!(std::fs::read_to_string(&after).unwrap(), std::fs::read_to_string(&at_backup).unwrap(), "the record is exactly the backed-up one");
    let actions = ok(s.invoke("list_actions", json!({})).unwrap());
    assert!(!actions.as_array().unwrap().iter().any(|a| a["title"] == "Added after the backup"));
    // The store as it was before the restore is itself kept.
    let kinds = ok(s.invoke("backups", json!({})).unwrap());
    assert!(kinds.as_array().unwrap().iter().any(|b| b["kind"] == "before-restore"), "{kinds}");
}

#[test]
fn a_damaged_store_opens_on_a_screen_that_restores_the_newest_good_backup() {
    let f = Fixture::new("damaged", false).unwrap();
    f.ccsp(&["action", "add", "--priority", "1.1", "--title", "In the backup", "--lead", "WMP"]).unwrap();
    let backups = f.dir.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    f.ccsp(&["backup", "--out", backups.join("ccsp-20261101-090000-manual.sqlite3").to_str().unwrap()]).unwrap();
    // Scribble over the pages after the header, as a failing disk would.
    let mut bytes = std::fs::read(&f.db).unwrap();
    for b in bytes.iter_mut().skip(4096).take(16384) {
        *b = 0xA5;
    }
    std::fs::write(&f.db, &bytes).unwrap();

    let (_driver, s) = open(&f);
    s.wait_for("document.querySelector('main h1').textContent.includes('could not be opened')", "the recovery screen").unwrap();
    assert!(s.text(".error-summary").unwrap().contains("damaged"));
    assert!(s.axe().unwrap().is_empty(), "the recovery screen is accessible");
    s.click("#recover-newest").unwrap();
    s.wait_for("document.querySelector('main h1') && document.querySelector('main h1').textContent.trim() === 'Dashboard'", "the dashboard after recovery")
        .unwrap();
    let aside = f.dir.join("ccsp.sqlite3.damaged-1");
    assert_eq!(std::fs::read(&aside).unwrap(), bytes, "the damaged file is kept, byte for byte");
    let actions = ok(s.invoke("list_actions", json!({})).unwrap());
    assert_eq!(actions[0]["title"], "In the backup");
}

#[test]
fn markup_typed_into_the_record_is_shown_as_text_and_never_runs() {
    let f = Fixture::new("markup", false).unwrap();
    let title = "<img src=x onerror=\"window.__pwned=1\"> Knife crime <b>education</b>";
    let commentary = "<script>window.__pwned=2</script> Late '; DROP TABLE action; --";
    let r = f.ccsp(&["action", "add", "--priority", "1.1", "--title", title, "--lead", "WMP"]).unwrap().trim().to_string();
    f.ccsp(&[
        "update",
        "set",
        &r,
        "--quarter",
        "2026-27-Q2",
        "--rag",
        "red",
        "--commentary",
        commentary,
        "--next-steps",
        "<a href=\"javascript:alert(1)\">fix</a>",
    ])
    .unwrap();
    let (_driver, s) = open(&f);
    for (digit, heading, needle) in [("1", "Dashboard", commentary), ("2", "Quarterly update", title), ("3", "Actions", title)] {
        screen(&s, digit, heading);
        s.wait_for(&format!("document.querySelector('main').textContent.includes({})", json!(needle)), "the literal text").unwrap();
        let injected = s.exec("return document.querySelectorAll('main img, main script, main b, main a[href^=javascript]').length;", json!([])).unwrap();
        assert_eq!(injected, json!(0), "{heading}: markup from the record became elements");
    }
    assert_eq!(s.exec("return window.__pwned === undefined;", json!([])).unwrap(), json!(true), "script from the record ran");
}

#[test]
fn the_command_line_and_the_open_window_write_to_one_store_without_locking_each_other_out() {
    let f = Fixture::new("two-writers", true).unwrap();
    let (_driver, s) = open(&f);
    let sheet = ok(s.invoke("update_sheet", json!({"quarterCode": "2026-27-Q2"})).unwrap());
    let refs: Vec<String> = sheet["rows"].as_array().unwrap().iter().map(|r| r["ref"].as_str().unwrap().to_string()).collect();
    // The window saves updates as fast as it can while the command line adds actions.
    s.exec(
        "window.__writes = {ok: 0, failed: []};
         (async () => { for (let i = 0; i < 60; i++) { const r = arguments[0][i % arguments[0].length];
           try { await window.__TAURI_INTERNALS__.invoke('save_update', {reference: r, quarterCode: '2026-27-Q2', rag: 'amber', commentary: 'window ' + i, nextSteps: ''}); window.__writes.ok++; }
           catch (e) { window.__writes.failed.push(e.message || String(e)); } } window.__writes.done = true; })();
         return true;",
        json!([refs]),
    )
    .unwrap();
    for i in 0..20 {
        f.ccsp(&["action", "add", "--priority", "3.2", "--title", &format!("From the command line {i}"), "--lead", "ICB"]).unwrap();
    }
    s.wait_for("window.__writes && window.__writes.done", "the window's writes").unwrap();
    let writes = s.exec("return window.__writes;", json!([])).unwrap();
    assert_eq!(writes["failed"], json!([]), "the window's writes");
    assert_eq!(writes["ok"], 60);
    // The window sees the command line's actions when it reloads, and the store is sound.
    let actions = ok(s.invoke("list_actions", json!({})).unwrap());
    assert_eq!(actions.as_array().unwrap().iter().filter(|a| a["title"].as_str().unwrap().starts_with("From the command line")).count(), 20);
    let conn = rusqlite::Connection::open_with_flags(&f.db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let verdict: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(verdict, "ok");
}

#[test]
fn starting_the_app_a_second_time_hands_over_to_the_open_window() {
    let f = Fixture::new("single", false).unwrap();
    let (_driver, s) = open(&f);
    use std::os::unix::process::CommandExt;
    let mut second = std::process::Command::new(bin("ccsp-coordinator"))
        .envs(f.env())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .expect("second start");
    let t0 = std::time::Instant::now();
    let status = loop {
        if let Some(st) = second.try_wait().unwrap() {
            break Some(st);
        }
        if t0.elapsed() > std::time::Duration::from_secs(15) {
            // A second window opened: stop it and its WebKit processes, then fail.
            unsafe {
                libc::kill(-(second.id() as i32), libc::SIGKILL);
            }
            let _ = second.wait(); // reaping the killed second start
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.is_some_and(|s| s.success()), "the second start should hand over and exit at once, not open a second window");
    // The first window is still there and working.
    assert_eq!(ok(s.invoke("app_info", json!({})).unwrap())["acting_as"], "E2E Coordinator");
}

#[test]
fn a_themes_outcome_edited_on_the_plan_screen_is_on_the_plan_on_a_page_and_the_public_version_has_no_status() {
    let f = Fixture::new("outcome", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "4", "Plan");
    settled(&s);
    assert!(s.text("[data-theme-outcome='2']").unwrap().contains("none set"), "no outcome until one is set");
    s.click("[data-outcome='2']").unwrap();
    assert_eq!(s.focused_id().unwrap(), "f-outcome", "the field takes the focus");
    // Longer than a title may be (500 characters): refused, named at the field, nothing stored.
    s.exec("const o = document.getElementById('f-outcome'); o.value = 'x'.repeat(600); o.dispatchEvent(new Event('input'));", json!([])).unwrap();
    s.click("button[type=submit]").unwrap();
    s.wait_for("document.querySelector('.field.has-error #f-outcome')", "the error at the field").unwrap();
    let outcome = "Fewer people hurt by violence against women and girls";
    s.click("#f-outcome").unwrap();
    s.chord(keys::CONTROL, "a").unwrap();
    s.keys(outcome).unwrap();
    s.click("button[type=submit]").unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('Theme 2 outcome saved')", "the outcome to be saved").unwrap();
    assert!(s.text("[data-theme-outcome='2']").unwrap().contains(outcome));
    assert!(s.exec("return document.activeElement.dataset.outcome;", json!([])).unwrap() == json!("2"), "focus is back on the theme's Edit outcome");
    assert!(s.axe().unwrap().is_empty(), "the Plan screen with outcomes is accessible");
    shot(&s, "plan-outcome", Some("theme-2"));
    screen(&s, "9", "Exports");
    s.click("#export-pdf").unwrap();
    s.wait_for("document.querySelector('#export-result code')", "the saved PDF").unwrap();
    let text = |name: &str| {
        String::from_utf8_lossy(&std::process::Command::new("pdftotext").arg(f.dir.join(name)).arg("-").output().expect("pdftotext").stdout).into_owned()
    };
    let page = text("CCSP Plan on a Page 2026-27-Q2 (A4).pdf");
    assert!(page.contains(outcome) && page.contains("Status at 2026/27 Q2"), "{page}");
    // The public version: no quarter to choose, no status, no key.
    s.click("#pop-public").unwrap();
    s.wait_for("!document.getElementById('export-as-at')", "the quarter picker to go").unwrap();
    s.click("#export-pdf").unwrap();
    s.wait_for(
        "document.querySelector('#export-result code') && document.querySelector('#export-result code').textContent.includes('public')",
        "the public PDF",
    )
    .unwrap();
    let page = text("CCSP Plan on a Page public (A4).pdf");
    assert!(page.contains(outcome) && !page.contains("Status at") && !page.contains("No return"), "{page}");
    shot(&s, "exports-public", None);
}

#[test]
fn the_plan_on_a_page_is_exported_from_the_exports_screen() {
    let f = Fixture::new("export", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "9", "Exports");
    s.click("#paper-a3").unwrap();
    s.click("#export-pdf").unwrap();
    s.wait_for("document.querySelector('#export-result code')", "the saved PDF").unwrap();
    // As at the reporting quarter, which the quarter picker starts on.
    let path = f.dir.join("CCSP Plan on a Page 2026-27-Q2 (A3).pdf");
    let bytes = std::fs::read(&path).expect("the PDF was written where the dialog would have saved it");
    assert!(bytes.starts_with(b"%PDF-"));
    let info = std::process::Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Pages:           1") && info.contains("1190.55"), "{info}");
    assert!(s.text("#export-result").unwrap().contains("1 page"));
    // The window can open only what it exported.
    let other = s.invoke("open_export", json!({"path": "/etc/passwd"})).unwrap();
    assert_eq!(other["err"]["code"], "refused", "{other}");
    assert!(s.axe().unwrap().is_empty(), "the Exports screen is accessible");
    // The quarterly meeting pack for the reporting quarter.
    s.click("#doc-quarterly").unwrap();
    s.find("#export-quarter").unwrap();
    s.click("#export-pdf").unwrap();
    let pack = f.dir.join("CCSP quarterly report 2026-27-Q2.pdf");
    s.wait_for(
        "document.querySelector('#export-result code') && document.querySelector('#export-result code').textContent.includes('quarterly')",
        "the meeting pack",
    )
    .unwrap();
    assert!(std::fs::read(&pack).unwrap().starts_with(b"%PDF-"));
    // The annual report to Cabinet and Council: its front sheet is filled in on the screen;
    // a title left empty is refused and nothing is saved.
    s.click("#doc-council-report").unwrap();
    s.find("#export-year").unwrap();
    let year = s.exec("return document.getElementById('export-year').value;", json!([])).unwrap();
    s.wait_for(
        "document.getElementById('f-title') && document.getElementById('f-title').value.includes('annual progress report')",
        "the front sheet with its defaults",
    )
    .unwrap();
    s.exec("const t = document.getElementById('f-title'); t.value = ''; t.dispatchEvent(new Event('input'));", json!([])).unwrap();
    s.click("#save-front-sheet").unwrap();
    s.wait_for("document.querySelector('#front-sheet .error-summary')", "the error summary").unwrap();
    assert!(s.text("#front-sheet .error-summary").unwrap().contains("Title"), "{}", s.text("#front-sheet .error-summary").unwrap());
    assert_eq!(
        ok(s.invoke("front_sheet", json!({"year": year})).unwrap())["sheet"]["title"].as_str().map(|t| t.contains("annual progress report")),
        Some(true),
        "nothing saved"
    );
    s.click("#f-title").unwrap();
    s.keys("Community safety: the year in review").unwrap();
    s.click("#f-scrutiny").unwrap();
    s.chord(keys::CONTROL, "a").unwrap();
    s.keys("Yes – 18 December 2025").unwrap();
    s.click("#save-front-sheet").unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('Front sheet')", "the front sheet to be saved").unwrap();
    let saved = ok(s.invoke("front_sheet", json!({"year": year})).unwrap());
    assert_eq!(saved["stored"], true);
    assert_eq!(saved["sheet"]["title"], "Community safety: the year in review");
    assert_eq!(saved["sheet"]["scrutiny"], "Yes – 18 December 2025");
    shot(&s, "exports-front-sheet", Some("front-sheet"));
    s.click("#export-pdf").unwrap();
    s.wait_for(
        "document.querySelector('#export-result code') && document.querySelector('#export-result code').textContent.includes('Cabinet')",
        "the council report",
    )
    .unwrap();
    assert!(s.text("#export-result").unwrap().contains("print a draft generated from the data"), "the screen says which sections are drafts");
    let report = f.dir.join(format!("CCSP annual report to Cabinet and Council {}.pdf", year.as_str().unwrap()));
    // Its Word copy, for democratic services, from the button beside it.
    s.click("#export-docx").unwrap();
    s.wait_for("document.querySelector('#export-result code') && document.querySelector('#export-result code').textContent.includes('.docx')", "the Word copy")
        .unwrap();
    assert!(s.text("#export-result").unwrap().contains("Word document"), "{}", s.text("#export-result").unwrap());
    assert!(s.text("#open-pdf").unwrap().contains("Open the Word document"));
    s.exec("window.scrollTo(0, 0);", json!([])).unwrap();
    shot(&s, "exports-word-copy", None);
    let word =
        std::fs::read(f.dir.join(format!("CCSP annual report to Cabinet and Council {}.docx", year.as_str().unwrap()))).expect("the Word copy was written");
    assert!(word.starts_with(b"PK") && word.windows(17).any(|w| w == b"word/document.xml"), "a .docx holding word/document.xml");
    let text = std::process::Command::new("pdftotext").arg(&report).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Title: Community safety: the year in review") && text.contains("Yes – 18 December 2025"), "the report prints the front sheet");
    // The report's text is written on the same screen, saved on leaving the box.
    s.click("#nar-executive_summary").unwrap();
    s.keys("Our own summary of the year.").unwrap();
    s.keys(keys::TAB).unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('Saved')", "the section to be saved").unwrap();
    let sections = ok(s.invoke("report_sections", json!({"year": year})).unwrap());
    assert_eq!(sections[0]["key"], "executive_summary");
    assert_eq!(sections[0]["body"], "Our own summary of the year.");
    assert!(s.axe().unwrap().is_empty(), "the report text form is accessible");
    shot(&s, "exports-council-report", None);
}

/// A small tmpfs holding the fixture's store (the app is pointed at it), unmounted at the end.
struct Stick {
    dir: std::path::PathBuf,
}

impl Stick {
    /// Moves the fixture's store onto a tmpfs of `size` (the E2E run is root in CI; elsewhere
    /// run scripts/test.sh, which gives it a mount namespace).
    fn mount(f: &mut Fixture, size: &str) -> Stick {
        let dir = f.dir.join("stick");
        std::fs::create_dir_all(&dir).unwrap();
        let status = std::process::Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(&dir).status().unwrap();
        assert!(status.success(), "mounting a tmpfs needs root or a mount namespace (scripts/test.sh)");
        let db = dir.join("ccsp.sqlite3");
        std::fs::copy(&f.db, &db).unwrap();
        f.db = db;
        Stick { dir }
    }

    fn remount(&self, mode: &str) {
        assert!(std::process::Command::new("mount").args(["-o", &format!("remount,{mode}")]).arg(&self.dir).status().unwrap().success());
    }

    fn fill(&self) {
        let out = std::process::Command::new("dd").args(["if=/dev/zero", "bs=4096"]).arg(format!("of={}", self.dir.join("filler").display())).output().unwrap();
        assert!(!out.status.success(), "dd stops when the disk is full");
    }

    fn unfill(&self) {
        std::fs::remove_file(self.dir.join("filler")).unwrap();
    }
}

impl Drop for Stick {
    fn drop(&mut self) {
        // Lazy: the app may still be closing its files. A mount left behind only holds memory
        // until the machine restarts; the fixture's folder removal then skips it.
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

#[test]
fn a_store_on_read_only_media_opens_read_only_with_a_banner_editing_disabled_and_exports_working() {
    let mut f = Fixture::new("readonly", true).unwrap();
    let stick = Stick::mount(&mut f, "8m");
    stick.remount("ro");
    let (_driver, s) = open(&f);
    s.wait_for("document.getElementById('read-only-banner')", "the read-only banner").unwrap();
    assert!(s.text("#read-only-banner").unwrap().contains("read-only disk or share"), "{}", s.text("#read-only-banner").unwrap());
    s.wait_for("document.querySelector('[data-testid=updated-count]')", "the dashboard reads the store").unwrap();
    assert!(s.axe().unwrap().is_empty(), "the banner is accessible");
    shot(&s, "read-only", None);

    screen(&s, "3", "Actions");
    s.wait_for("document.getElementById('add-action')", "the register").unwrap();
    assert_eq!(s.exec("return document.getElementById('add-action').disabled;", json!([])).unwrap(), json!(true), "no adding");
    assert_eq!(num(&s, "document.querySelectorAll('main table tbody button.link:not([disabled])').length"), 0, "no edit, cancel or delete");

    screen(&s, "2", "Quarterly update");
    s.wait_for("document.querySelector('main textarea')", "the quarterly grid").unwrap();
    assert_eq!(num(&s, "document.querySelectorAll('main [role=radio]:not([disabled])').length"), 0, "no status can be chosen");
    assert_eq!(num(&s, "document.querySelectorAll('main textarea:not([readonly])').length"), 0, "no commentary can be typed");

    screen(&s, "0", "Settings");
    assert_eq!(s.exec("return document.getElementById('backup-now').disabled;", json!([])).unwrap(), json!(true));
    let log = s.text("#log-file").unwrap();
    assert!(log.ends_with("ccsp-coordinator.log"), "Settings names the log file: {log}");
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains("starting") && logged.contains("read-only: Medium"), "the log says the app started on a read-only store:\n{logged}");

    // What still can work, works: an export to another disk.
    screen(&s, "9", "Exports");
    s.click("#export-pdf").unwrap();
    s.wait_for("document.getElementById('open-pdf')", "the export to finish").unwrap();
    assert!(std::fs::read_dir(&f.dir).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".pdf")), "the PDF was written");
    // And nothing was written beside the store.
    let beside: Vec<String> = std::fs::read_dir(&stick.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(beside, vec!["ccsp.sqlite3".to_string()]);
}

#[test]
fn typing_while_the_disk_is_full_keeps_every_keystroke_says_so_and_saves_it_once_space_is_freed() {
    let mut f = Fixture::new("diskfull", true).unwrap();
    let stick = Stick::mount(&mut f, "6m");
    let (_driver, s) = open(&f);
    screen(&s, "2", "Quarterly update");
    s.wait_for("document.querySelector('main textarea')", "the quarterly grid").unwrap();
    let id = s.exec("return document.querySelector('main textarea').id;", json!([])).unwrap().as_str().unwrap().to_string();
    let quarter = s.exec("return document.getElementById('sheet-quarter') ? document.getElementById('sheet-quarter').value : '';", json!([])).unwrap();
    stick.fill();
    let typed = " Typed while the disk was full.";
    s.click(&format!("#{id}")).unwrap();
    s.exec("const t = document.getElementById(arguments[0]); t.setSelectionRange(t.value.length, t.value.length);", json!([id])).unwrap();
    s.keys(typed).unwrap();
    s.wait_for("document.getElementById('write-fault-banner')", "the banner saying changes are not saved").unwrap();
    assert!(s.text("#write-fault-banner").unwrap().contains("is full"), "{}", s.text("#write-fault-banner").unwrap());
    shot(&s, "disk-full-while-typing", None);

    let before = s.exec("return document.getElementById(arguments[0]).value;", json!([id])).unwrap();
    assert!(before.as_str().unwrap().ends_with(typed), "typed: {before}");
    // Leaving the screen and coming back shows what was typed, not the older text in the store.
    screen(&s, "1", "Dashboard");
    screen(&s, "2", "Quarterly update");
    let kept =
        s.wait_for(&format!("document.getElementById({}) && document.getElementById({0}).value.endsWith({})", json!(id), json!(typed)), "the typed text, kept");
    assert!(
        kept.is_ok(),
        "{:?}: {}",
        kept,
        s.exec("return document.getElementById(arguments[0]).value + ' | ' + document.querySelector('main').innerText.slice(0, 600);", json!([id])).unwrap()
    );

    stick.unfill();
    s.wait_for("!document.getElementById('write-fault-banner')", "the kept text to be saved").unwrap();
    let code = quarter
        .as_str()
        .filter(|q| !q.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| ok(s.invoke("app_info", json!({})).unwrap())["reporting_quarter"].as_str().unwrap().to_string());
    let sheet = ok(s.invoke("update_sheet", json!({"quarterCode": code})).unwrap());
    let saved = sheet["rows"].as_array().unwrap().iter().any(|r| r["current"]["commentary"].as_str().is_some_and(|c| c.ends_with(typed)));
    assert!(saved, "the text typed while the disk was full is in the store");
}

#[test]
fn the_dashboard_counts_down_to_the_quarters_dates_which_are_set_on_the_sign_off_screen() {
    let f = Fixture::new("dates", true).unwrap();
    // Today is 26 November 2026: 2026/27 Q2's returns were due (by default) on 15 October.
    f.ccsp(&["quarter", "schedule", "2026-27-Q2", "--meeting", "2026-12-10T10:00", "--place", "Committee Room 2"]).unwrap();
    let (_driver, s) = open(&f);
    s.wait_for("document.querySelector('[data-testid=returns-due]')", "the returns deadline").unwrap();
    let returns = s.text("[data-testid=returns-due]").unwrap();
    assert!(returns.contains("Partner returns due Thursday 15 October 2026") && returns.contains("42 days overdue"), "{returns}");
    let meeting = s.text("[data-testid=next-meeting]").unwrap();
    assert!(meeting.contains("CCSP meeting: Thursday 10 December 2026, 10:00, Committee Room 2 · papers due Thu 26 Nov"), "{meeting}");
    assert!(s.axe().unwrap().is_empty(), "the dates are accessible");
    shot(&s, "dashboard-dates", Some("signoff-state"));

    // The coordinator moves the deadline on the Sign-off screen.
    screen(&s, "8", "Sign-off and audit");
    s.wait_for("document.getElementById('sch-returns')", "the dates form").unwrap();
    s.exec("const i = document.getElementById('sch-returns'); i.value = '2026-12-01'; i.dispatchEvent(new Event('input', {bubbles: true}));", json!([]))
        .unwrap();
    s.click("#save-schedule").unwrap();
    s.wait_for("/Dates for .* saved/.test(document.getElementById('announce').textContent)", "the dates to be saved").unwrap();
    s.click("#export-calendar").unwrap();
    s.wait_for("document.getElementById('calendar-note') && document.getElementById('calendar-note').textContent.includes('Saved to')", "the calendar export")
        .unwrap();
    let ics = std::fs::read_to_string(f.dir.join("CCSP quarter dates 2026-27.ics")).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("DTSTART;TZID=Europe/London:20261210T100000"), "{ics}");
    shot(&s, "sign-off-dates", Some("schedule-form"));
    screen(&s, "1", "Dashboard");
    s.wait_for(
        "document.querySelector('[data-testid=returns-due]') && document.querySelector('[data-testid=returns-due]').textContent.includes('in 5 days')",
        "the new countdown",
    )
    .unwrap();
    let audit = f.ccsp(&["audit", "--entity", "schedule"]).unwrap();
    assert!(audit.contains("E2E Coordinator") && audit.contains("2026-27-Q2"), "{audit}");
}

#[test]
fn sign_off_goes_through_its_steps_with_each_red_and_amber_reviewed_and_the_chair_recorded() {
    let f = Fixture::new("steps", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "8", "Sign-off and audit");
    s.wait_for("document.querySelector('#sign-off-steps [data-step=review]')", "the steps").unwrap();
    let review = s.text("#sign-off-steps [data-step=review]").unwrap();
    assert!(review.contains("0 of 3 Red and Amber reviewed"), "{review}");
    assert_eq!(s.exec("return document.querySelector('#sign-off-steps [data-step=review]').classList.contains('done');", json!([])).unwrap(), json!(false));
    let first = s.exec("return document.querySelector('#sign-off-steps table input').id;", json!([])).unwrap().as_str().unwrap().to_string();
    s.click(&format!("#{first}")).unwrap();
    s.keys("Discussed with the lead partner").unwrap();
    s.click("#sign-off-steps table button").unwrap();
    s.wait_for("document.querySelector('#sign-off-steps [data-step=review]').textContent.includes('1 of 3')", "one reviewed").unwrap();
    assert!(s.text("#sign-off-steps table").unwrap().contains("Reviewed by E2E Coordinator: Discussed with the lead partner"));
    assert!(s.axe().unwrap().is_empty(), "the steps are accessible");
    shot(&s, "sign-off-steps", Some("sign-off-steps"));
    s.click("#sign-off").unwrap();
    s.wait_for("document.getElementById('sign-off-chair')", "the confirmation").unwrap();
    s.click("#sign-off-chair").unwrap();
    s.keys("Cllr A. Khan").unwrap();
    s.click("#confirm-sign-off").unwrap();
    s.wait_for("document.querySelector('#sign-off-steps [data-step=chair]') && document.querySelector('#sign-off-steps [data-step=chair]').textContent.includes('chaired by Cllr A. Khan')", "the chair's step done").unwrap();
    let audit = f.ccsp(&["audit", "--entity", "review"]).unwrap();
    assert!(audit.contains("Discussed with the lead partner"), "{audit}");
}

#[test]
fn the_protective_marking_is_set_in_settings_and_printed_on_the_papers() {
    let f = Fixture::new("marking", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "0", "Settings");
    s.wait_for("document.getElementById('f-marking') && document.getElementById('f-marking').value === 'OFFICIAL'", "the marking, OFFICIAL until set").unwrap();
    s.exec("const m = document.getElementById('f-marking'); m.value = ' '; m.dispatchEvent(new Event('input'));", json!([])).unwrap();
    s.click("#save-marking").unwrap();
    s.wait_for("document.querySelector('#marking-form .field-error')", "the error").unwrap();
    assert_eq!(ok(s.invoke("app_info", json!({})).unwrap())["marking"], "OFFICIAL", "a blank marking changes nothing");
    s.click("#f-marking").unwrap();
    s.chord(keys::CONTROL, "a").unwrap();
    s.keys("OFFICIAL-SENSITIVE").unwrap();
    s.click("#save-marking").unwrap();
    s.wait_for("document.getElementById('announce').textContent.includes('Marking saved')", "the marking to be saved").unwrap();
    assert_eq!(ok(s.invoke("app_info", json!({})).unwrap())["marking"], "OFFICIAL-SENSITIVE");
    assert!(s.axe().unwrap().is_empty(), "the Settings screen with the marking is accessible");
    shot(&s, "settings-marking", Some("marking-form"));
    screen(&s, "9", "Exports");
    s.click("#export-pdf").unwrap();
    s.wait_for("document.querySelector('#export-result code')", "the saved PDF").unwrap();
    let text = std::process::Command::new("pdftotext").arg(f.dir.join("CCSP Plan on a Page 2026-27-Q2 (A4).pdf")).arg("-").output().expect("pdftotext");
    assert!(String::from_utf8_lossy(&text.stdout).contains("OFFICIAL-SENSITIVE"), "the Plan on a Page carries the marking");
}

/// Opens a screen that has no Alt+digit shortcut by its navigation button.
fn nav(s: &Session, label: &str) {
    s.exec("[...document.querySelectorAll('.sidenav button')].find((b) => b.textContent.trim() === arguments[0]).click();", json!([label])).unwrap();
    s.wait_for(&format!("document.querySelector('main h1') && document.querySelector('main h1').textContent.trim() === {}", json!(label)), label).unwrap();
}

fn python() -> std::path::PathBuf {
    std::env::var_os("CCSP_PYTHON").map(std::path::PathBuf::from).unwrap_or_else(|| ccsp_e2e::repo_root().join(".tools/venv/bin/python"))
}

#[test]
fn partners_workbooks_are_made_and_their_returns_merged_from_the_partner_returns_screen() {
    let f = Fixture::new("returns", true).unwrap();
    f.ccsp(&["settings", "set-return-to", "ccsp@coventry.gov.uk"]).unwrap();
    let (_driver, s) = open(&f);
    nav(&s, "Partner returns");
    settled(&s);
    s.find("#returns-status tr[data-partner='WMP']").unwrap();
    // Make every lead partner's workbook into the folder the dialog would have chosen.
    s.click("#make-returns").unwrap();
    s.wait_for("document.getElementById('made-returns')", "the workbooks made").unwrap();
    // A partner leading two actions or more that owe a return, from the store.
    let status: Value = serde_json::from_str(&f.ccsp(&["returns", "status", "--quarter", "2026-27-Q2", "--json"]).unwrap()).unwrap();
    let partner = status.as_array().unwrap().iter().find(|p| p["owed"].as_u64() >= Some(2)).expect("a partner owing two returns")["partner"]
        .as_str()
        .unwrap()
        .to_string();
    let book = f.dir.join(format!("CCSP-return-2026-27-Q2-{partner}.xlsx"));
    assert!(book.exists(), "{partner}'s workbook was written into the chosen folder");
    s.click("#covering-messages summary").unwrap();
    let cover = s.exec("return document.getElementById(arguments[0]).value;", json!([format!("cover-{partner}")])).unwrap();
    let cover = cover.as_str().unwrap();
    assert!(
        cover.contains("2026/27 Q2") && cover.contains("ccsp@coventry.gov.uk") && cover.contains("October 2026"),
        "the covering message names the quarter, the return address and the return-by date: {cover}"
    );
    settled(&s);
    let row = format!("#returns-status tr[data-partner='{partner}']");
    assert!(s.text(&row).unwrap().contains("2026"), "who has returned shows the workbook made");
    assert!(s.axe().unwrap().is_empty(), "the Partner returns screen with its messages is accessible");
    shot(&s, "returns-made", Some("made-returns"));

    // The partner fills it in with openpyxl: one good row, one with a status that is not one.
    let read = std::process::Command::new(python()).arg(ccsp_e2e::repo_root().join("tests/xlsx_checks.py")).arg(&book).output().expect("openpyxl");
    assert!(read.status.success(), "{}", String::from_utf8_lossy(&read.stderr));
    let read: Value = serde_json::from_slice(&read.stdout).unwrap();
    let refs: Vec<String> = read["rows"].as_array().unwrap().iter().map(|r| r["values"][0].as_str().unwrap().to_string()).collect();
    assert!(refs.len() >= 2, "{partner} leads at least two actions owing a return: {refs:?}");
    std::fs::create_dir_all(f.returned().parent().unwrap()).unwrap();
    let edits = json!({
        refs[0].clone(): {"Status this quarter": "Red", "Commentary": "Recruitment slipped", "Next steps / mitigation": "Agency cover", "Reported by": "Insp. Khan"},
        refs[1].clone(): {"Status this quarter": "Fine"},
    });
    let fill = std::process::Command::new(python())
        .arg(ccsp_e2e::repo_root().join("tests/fill_return.py"))
        .arg(&book)
        .arg(f.returned())
        .arg(edits.to_string())
        .output()
        .unwrap();
    assert!(fill.status.success(), "{}", String::from_utf8_lossy(&fill.stderr));

    // Choose it: the preview names the bad cell, and nothing can be applied yet.
    s.click("#choose-returns").unwrap();
    s.wait_for("document.getElementById('returns-preview')", "the preview").unwrap();
    settled(&s);
    assert!(s.text("#returns-rows").unwrap().contains("\"Fine\" is not a status"), "{}", s.text("#returns-rows").unwrap());
    s.find("#returns-blocked").unwrap();
    assert_eq!(s.exec("return document.getElementById('apply-returns').disabled;", json!([])).unwrap(), json!(true));
    let before = f.ccsp(&["returns", "status", "--quarter", "2026-27-Q2", "--json"]).unwrap();
    assert!(!before.contains("CCSP-return-filled.xlsx"), "a preview changes nothing");
    assert!(s.axe().unwrap().is_empty(), "the preview is accessible");
    shot(&s, "returns-preview", Some("returns-preview"));
    // The coordinator chooses to apply the valid row and leave the other out.
    s.click("#choice-skip").unwrap();
    s.wait_for("document.getElementById('apply-returns') && !document.getElementById('apply-returns').disabled", "the choice previewed").unwrap();
    s.click("#apply-returns").unwrap();
    s.wait_for("document.getElementById('returns-applied')", "the returns applied").unwrap();
    settled(&s);
    let out = f.dir.join("record.json");
    f.ccsp(&["export", "json", "--force", "--out", out.to_str().unwrap()]).unwrap();
    let updates = serde_json::from_str::<Value>(&std::fs::read_to_string(out).unwrap()).unwrap()["updates"].clone();
    let red = updates.as_array().unwrap().iter().find(|u| u["action"] == refs[0].as_str() && u["quarter"] == "2026-27-Q2").expect("the returned update");
    assert_eq!((red["rag"].as_str(), red["commentary"].as_str()), (Some("red"), Some("Recruitment slipped")));
    assert!(s.text(&row).unwrap().contains("CCSP-return-filled.xlsx"), "who has returned shows the file");

    // The dashboard shows who has returned too.
    screen(&s, "1", "Dashboard");
    s.wait_for("document.getElementById('dash-returns')", "the partners' workbooks on the dashboard").unwrap();
    assert!(
        s.text("#dash-returns").unwrap().contains(partner.as_str()) && s.text("#dash-returns").unwrap().contains("1 applied"),
        "{}",
        s.text("#dash-returns").unwrap()
    );
    assert!(s.axe().unwrap().is_empty(), "the dashboard with its returns card is accessible");
    shot(&s, "dashboard-returns", Some("dash-returns"));
    nav(&s, "Partner returns");
    settled(&s);
    // The top of the screen: who has returned.
    s.exec("document.getElementById('who-h').scrollIntoView({ behavior: 'instant', block: 'start' });", json!([])).unwrap();
    settled(&s);
    shot(&s, "returns", None);

    // The partner sends it again with the second row's status given but no commentary: dropped
    // on the merge box (as a file manager's drag would give it), then kept as a draft row by row.
    let again = f.dir.join("returned/CCSP-return-again.xlsx");
    let edits = json!({
        refs[0].clone(): {"Status this quarter": "Red", "Commentary": "Recruitment slipped", "Next steps / mitigation": "Agency cover", "Reported by": "Insp. Khan"},
        refs[1].clone(): {"Status this quarter": "Amber", "Commentary": ""},
    });
    let fill = std::process::Command::new(python())
        .arg(ccsp_e2e::repo_root().join("tests/fill_return.py"))
        .arg(&book)
        .arg(&again)
        .arg(edits.to_string())
        .output()
        .unwrap();
    assert!(fill.status.success(), "{}", String::from_utf8_lossy(&fill.stderr));
    let bytes = std::fs::read(&again).unwrap();
    s.exec(
        "const file = new File([new Uint8Array(arguments[0])], 'CCSP-return-again.xlsx'); const dt = new DataTransfer(); dt.items.add(file); \
         const zone = document.getElementById('merge-returns'); zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true })); \
         zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
        json!([bytes]),
    )
    .unwrap();
    let choice = format!("row-choice-{}", refs[1]);
    s.wait_for(&format!("document.getElementById('{choice}')"), "the dropped workbook previewed, with a choice for its row").unwrap();
    settled(&s);
    assert!(
        s.text("#returns-preview").unwrap().contains("CCSP-return-again.xlsx"),
        "the preview names the dropped file: {}",
        s.text("#returns-preview").unwrap()
    );
    assert!(s.text("#returns-rows").unwrap().contains("needs a commentary"), "{}", s.text("#returns-rows").unwrap());
    s.find("#returns-blocked").unwrap();
    let options = s.exec("return Array.from(document.getElementById(arguments[0]).options).map(o => o.value);", json!([choice])).unwrap();
    assert_eq!(options, json!(["", "draft", "skip"]), "a rule-breaking row offers a draft or leaving it out");
    s.exec("const c = document.getElementById(arguments[0]); c.value = 'draft'; c.dispatchEvent(new Event('change', { bubbles: true }));", json!([choice]))
        .unwrap();
    s.wait_for("document.getElementById('apply-returns') && !document.getElementById('apply-returns').disabled", "the row's choice previewed").unwrap();
    assert!(s.text("#returns-rows").unwrap().contains("Kept as a draft"), "{}", s.text("#returns-rows").unwrap());
    assert!(s.axe().unwrap().is_empty(), "the preview with its row choices is accessible");
    shot(&s, "returns-row-choices", Some("returns-preview"));
    s.click("#apply-returns").unwrap();
    s.wait_for("document.getElementById('returns-applied')", "the dropped return applied").unwrap();
    settled(&s);
    let out = f.dir.join("record.json");
    f.ccsp(&["export", "json", "--force", "--out", out.to_str().unwrap()]).unwrap();
    let updates = serde_json::from_str::<Value>(&std::fs::read_to_string(out).unwrap()).unwrap()["updates"].clone();
    let amber = updates.as_array().unwrap().iter().find(|u| u["action"] == refs[1].as_str() && u["quarter"] == "2026-27-Q2").expect("the dropped row's update");
    assert_eq!((amber["rag"].as_str(), amber["draft"].as_bool()), (Some("amber"), Some(true)), "kept as an incomplete draft");
}

#[test]
fn a_councils_tracker_is_brought_in_from_the_actions_screen_and_the_register_goes_to_excel_from_exports() {
    let f = Fixture::new("tracker", true).unwrap();
    let tracker = f.dir.join("returned").join("tracker.xlsx");
    std::fs::create_dir_all(tracker.parent().unwrap()).unwrap();
    let script = r#"import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Tracker"
ws["A1"] = "Coventry CSP action tracker"
ws.append([])
ws.append(["Ref", "Priority", "Action", "Lead partner", "Due date"])
ws.append(["T-01", "1.1", "Knife crime assemblies in schools", "West Midlands Police", "31/03/2027"])
ws.append(["T-02", "2.1", "Hotspot patrols in the city centre", "WMP", "30/09/2026"])
wb.save(sys.argv[1])"#;
    let made = std::process::Command::new(python()).arg("-c").arg(script).arg(&tracker).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let (_driver, s) = open(&f);
    screen(&s, "3", "Actions");
    let before = num(&s, "document.querySelectorAll('tbody tr[data-ref]').length");
    s.click("#import-actions").unwrap();
    s.wait_for("document.getElementById('tracker-rows')", "the tracker's preview").unwrap();
    settled(&s);
    let preview = s.text("#tracker-rows").unwrap();
    assert!(preview.contains("Knife crime assemblies in schools") && preview.contains("T-02"), "{preview}");
    assert_eq!(num(&s, "document.querySelectorAll('tbody tr[data-ref]').length"), before, "a preview adds nothing");
    assert!(s.axe().unwrap().is_empty(), "the preview is accessible");
    shot(&s, "actions-import-preview", Some("tracker-import"));
    s.click("#tracker-apply").unwrap();
    s.wait_for("document.getElementById('tracker-applied')", "the actions added").unwrap();
    settled(&s);
    s.wait_for(&format!("document.querySelectorAll('tbody tr[data-ref]').length === {}", before + 2), "the register to show them").unwrap();
    let shown = f.ccsp(&["action", "list"]).unwrap();
    assert!(shown.contains("Knife crime assemblies in schools"), "{shown}");
    shot(&s, "actions-imported", Some("tracker-import"));

    // The register to Excel from the Exports screen.
    screen(&s, "9", "Exports");
    s.click("#export-tracker-xlsx").unwrap();
    s.wait_for("document.getElementById('tracker-saved')", "the tracker saved").unwrap();
    let quarter = s.exec("return document.getElementById('tracker-quarter').value;", json!([])).unwrap();
    let path = f.dir.join(format!("CCSP tracker {}.xlsx", quarter.as_str().unwrap()));
    let bytes = std::fs::read(&path).expect("the workbook was written where the dialog would have saved it");
    assert!(bytes.starts_with(b"PK"), "an .xlsx");
    s.click("#export-tracker-csv").unwrap();
    s.wait_for("document.getElementById('tracker-saved') && document.getElementById('tracker-saved').textContent.includes('.csv')", "the CSV saved").unwrap();
    let csv = std::fs::read_to_string(f.dir.join(format!("CCSP tracker {}.csv", quarter.as_str().unwrap()))).unwrap();
    assert!(csv.contains("Knife crime assemblies in schools"), "the imported actions are in the register's CSV");
    assert!(s.axe().unwrap().is_empty(), "the Exports screen is accessible");
}

#[test]
fn a_new_stores_first_run_points_to_the_three_ways_in_and_the_demo_copy_stays_apart_and_read_only() {
    // The seeded Coventry plan with no actions: what a coordinator sees on first start.
    let f = Fixture::new("first-run", false).unwrap();
    let (_driver, s) = open(&f);
    s.wait_for("document.getElementById('first-run')", "the first-run guide").unwrap();
    settled(&s);
    let guide = s.text("#first-run").unwrap();
    for way in ["Bring your existing tracker in", "Add the first action", "Look around a demo copy"] {
        assert!(guide.contains(way), "the guide offers \"{way}\": {guide}");
    }
    assert!(s.axe().unwrap().is_empty(), "the first-run guide is accessible");
    shot(&s, "first-run", None);

    // The empty template, saved where the dialog would have put it.
    s.click("#first-template").unwrap();
    let template = f.dir.join("CCSP-actions-template.xlsx");
    s.wait_for("/template was saved/.test(document.getElementById('announce').textContent)", "the template saved").unwrap();
    assert!(std::fs::read(&template).unwrap().starts_with(b"PK"), "the template is a workbook");

    // The demo copy: made-up data to look around, read-only, in a file of its own.
    s.click("#first-demo").unwrap();
    s.wait_for("document.getElementById('demo-banner') && !document.getElementById('first-run')", "the demo copy open").unwrap();
    settled(&s);
    let info = ok(s.invoke("app_info", json!({})).unwrap());
    assert_eq!(info["demo"], json!(true));
    assert!(info["actions"].as_u64().unwrap() > 0, "the demo copy has actions");
    assert!(info["path"].as_str().unwrap().ends_with("ccsp-demo.sqlite3"), "a separate file: {}", info["path"]);
    assert!(s.text("#main").unwrap().contains("Off track"), "the dashboard shows the demo's statuses");
    assert!(s.axe().unwrap().is_empty(), "the dashboard on the demo copy is accessible");
    shot(&s, "demo-copy", None);
    screen(&s, "3", "Actions");
    assert_eq!(s.exec("return document.getElementById('add-action').disabled;", json!([])).unwrap(), json!(true), "nothing can be added to the demo copy");
    let refused = s.invoke("set_coordinator_name", json!({"name": "Someone"})).unwrap();
    assert_eq!(refused["err"]["code"], json!("read_only"), "a write to the demo copy is refused: {refused}");
    assert_eq!(f.ccsp(&["action", "list", "--json"]).unwrap().trim(), "[]", "the coordinator's store is untouched");
    s.click("#leave-demo").unwrap();
    s.wait_for("document.getElementById('first-run') && !document.getElementById('demo-banner')", "back on the store").unwrap();

    // The way to add the first action opens the form on the Actions screen.
    s.click("#first-add").unwrap();
    s.wait_for("document.activeElement && document.activeElement.id === 'f-priority'", "the new action's form, focused").unwrap();
    screen(&s, "1", "Dashboard");
    s.wait_for("document.getElementById('first-run')", "the guide again").unwrap();

    // The template filled in as a tracker, brought in from the guide: the guide then goes.
    let tracker = f.dir.join("returned").join("tracker.xlsx");
    std::fs::create_dir_all(tracker.parent().unwrap()).unwrap();
    let script = r#"import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["Actions"]
header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Priority")
for i, v in enumerate(["1.1", "Youth outreach in the city centre", "CCC", "", "", "31/03/2027"], start=1):
    ws.cell(header + 1, i).value = v
wb.save(sys.argv[2])"#;
    let filled = std::process::Command::new(python()).arg("-c").arg(script).arg(&template).arg(&tracker).output().unwrap();
    assert!(filled.status.success(), "{}", String::from_utf8_lossy(&filled.stderr));
    s.click("#first-import").unwrap();
    s.wait_for("document.getElementById('tracker-rows')", "the tracker's preview on the Actions screen").unwrap();
    assert!(s.text("#tracker-rows").unwrap().contains("Youth outreach in the city centre"));
    s.click("#tracker-apply").unwrap();
    s.wait_for("document.getElementById('tracker-applied')", "the action added").unwrap();
    screen(&s, "1", "Dashboard");
    settled(&s);
    assert!(s.exec("return document.getElementById('first-run') === null;", json!([])).unwrap().as_bool().unwrap(), "the guide goes once the plan has actions");
    assert!(f.ccsp(&["action", "list"]).unwrap().contains("Youth outreach in the city centre"));
}

#[path = "../src-tauri/cli/benches/police_gen.rs"]
mod police_gen;

#[test]
fn police_uk_files_are_previewed_with_progress_then_applied_and_a_long_import_cancels_with_nothing_applied() {
    use police_gen::{count, street_csv, street_name, zip, SLUG};
    let f = Fixture::new("police", false).unwrap();
    let dir = f.dir.join("police");
    std::fs::create_dir_all(&dir).unwrap();
    // 2026/27 Q1 complete (June in its monthly zip, beside another force's file); Q2 lacks August.
    for m in ["2026-04", "2026-05", "2026-07", "2026-09"] {
        std::fs::write(dir.join(street_name(m, SLUG)), street_csv(m, 1, 2)).unwrap();
    }
    let june = vec![(street_name("2026-06", SLUG), street_csv("2026-06", 1, 2)), (street_name("2026-06", "warwickshire"), street_csv("2026-06", 2, 0))];
    std::fs::write(dir.join("2026-06.zip"), zip(&june)).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "5", "Indicators");
    s.click("#import-police").unwrap();
    let area = s.exec("return document.getElementById('police-area').value;", json!([])).unwrap();
    assert_eq!(area, json!("Coventry"), "the plan's area, seeded");
    s.click("#police-folder").unwrap();
    s.wait_for("document.getElementById('police-preview')", "the preview").unwrap();
    settled(&s);
    let preview = s.text("#police-preview").unwrap();
    assert!(preview.contains("another force's file"), "{preview}");
    assert!(s.text("#police-values").unwrap().contains("partial (2 of 3 months)"), "Q2 lacks August: {}", s.text("#police-values").unwrap());
    let burglary = count("2026-04", 2, 1) + count("2026-05", 2, 1) + count("2026-06", 2, 1);
    let row = s
        .exec("return [...document.querySelectorAll('#police-values tbody tr')].find(r => r.textContent.includes('PUK-burglary')).textContent;", json!([]))
        .unwrap();
    assert!(row.as_str().unwrap().contains(&burglary.to_string()), "Q1 burglary {burglary}: {row}");
    assert_eq!(f.ccsp(&["export", "json", "--force", "--out", f.dir.join("r0.json").to_str().unwrap()]).map(|_| ()), Ok(()));
    let before: Value = serde_json::from_str(&std::fs::read_to_string(f.dir.join("r0.json")).unwrap()).unwrap();
    assert!(before["police_months"].as_array().unwrap().is_empty(), "a preview changes nothing");
    assert!(s.axe().unwrap().is_empty(), "the police.uk preview is accessible");
    shot(&s, "indicators-police-preview", Some("police-import"));
    s.click("#police-apply").unwrap();
    s.wait_for("document.getElementById('police-applied')", "applied").unwrap();
    settled(&s);
    f.ccsp(&["export", "json", "--force", "--out", f.dir.join("r1.json").to_str().unwrap()]).unwrap();
    let after: Value = serde_json::from_str(&std::fs::read_to_string(f.dir.join("r1.json")).unwrap()).unwrap();
    let v =
        after["indicator_values"].as_array().unwrap().iter().find(|v| v["indicator"] == "PUK-burglary" && v["quarter"] == "2026-27-Q1").expect("Q1 burglary");
    assert_eq!(v["value"].as_f64(), Some(burglary as f64));
    // The Indicators table marks the police.uk indicators and Q2's partial quarter.
    s.exec("const q = document.getElementById('ind-quarter'); q.value = '2026-27-Q2'; q.dispatchEvent(new Event('change', { bubbles: true }));", json!([]))
        .unwrap();
    s.wait_for("document.querySelector('[data-partial]')", "the partial quarter flagged").unwrap();
    settled(&s);
    assert!(s.text("#indicators-table").unwrap().contains("fed by police.uk files"), "the police.uk indicators say where they come from");
    shot(&s, "indicators-police", Some("indicators-table"));

    // The force is set in the same dialog: stored when the files are next read, and the
    // preview reads for it.
    let force = s.exec("return document.getElementById('police-force').value;", json!([])).unwrap();
    assert_eq!(force, json!("West Midlands Police"), "the plan's force, seeded");
    let type_force = |name: &str| {
        s.exec(
            "const i = document.getElementById('police-force'); i.value = arguments[0]; i.dispatchEvent(new Event('input', { bubbles: true }));",
            json!([name]),
        )
        .unwrap()
    };
    type_force("Warwickshire Police");
    s.click("#police-folder").unwrap();
    s.wait_for(
        "/Preview: Coventry \\(Warwickshire Police\\)/.test(document.getElementById('police-preview')?.textContent ?? '')",
        "the preview for the new force",
    )
    .unwrap();
    let dry = f.ccsp(&["indicators", "import-police", dir.to_str().unwrap(), "--dry-run"]).unwrap();
    assert!(dry.contains("Coventry (Warwickshire Police)"), "the force is the plan's now: {dry}");
    type_force("West Midlands Police");

    // A long import (one big month) is cancelled from its progress bar: nothing applied.
    for e in std::fs::read_dir(&dir).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    std::fs::write(dir.join(street_name("2026-08", SLUG)), street_csv("2026-08", 4000, 0)).unwrap();
    s.click("#police-folder").unwrap();
    s.wait_for(
        "document.getElementById('police-progress') && /[1-9][0-9]*%/.test(document.getElementById('police-progress').textContent)",
        "the progress bar moving",
    )
    .unwrap();
    shot(&s, "indicators-police-progress", Some("police-import"));
    s.click("#police-cancel").unwrap();
    s.wait_for("document.getElementById('police-cancelled')", "the import cancelled").unwrap();
    f.ccsp(&["export", "json", "--force", "--out", f.dir.join("r2.json").to_str().unwrap()]).unwrap();
    let last: Value = serde_json::from_str(&std::fs::read_to_string(f.dir.join("r2.json")).unwrap()).unwrap();
    assert_eq!(last["police_months"], after["police_months"], "the cancelled import applied nothing");
    assert_eq!(last["indicator_values"], after["indicator_values"]);
}

#[test]
fn the_dashboard_charts_the_plans_status_across_quarters_with_its_figures_in_words_and_in_a_table() {
    let f = Fixture::new("trend", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "1", "Dashboard");
    s.wait_for("document.getElementById('status-trend')", "the status trend").unwrap();
    settled(&s);
    // The figures, worked out here from the record (not from the chart): each quarter's
    // complete updates by status.
    f.ccsp(&["export", "json", "--force", "--out", f.dir.join("r.json").to_str().unwrap()]).unwrap();
    let record: Value = serde_json::from_str(&std::fs::read_to_string(f.dir.join("r.json")).unwrap()).unwrap();
    let quarters: Vec<String> = s
        .exec("return [...document.querySelectorAll('#status-trend-table tbody tr')].map(r => r.dataset.quarter);", json!([]))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap().to_string())
        .collect();
    assert!(quarters.len() >= 4, "every quarter so far: {quarters:?}");
    let desc = s.exec("return document.getElementById('trend-desc').textContent;", json!([])).unwrap().as_str().unwrap().to_string();
    for q in &quarters {
        let label = s.exec(&format!("return document.querySelector(\"#status-trend-table tr[data-quarter='{q}']\").cells[0].textContent;"), json!([])).unwrap();
        let label = label.as_str().unwrap().trim().to_string();
        for (rag, word, col) in [("red", "Red", 1), ("amber", "Amber", 2), ("green", "Green", 3)] {
            let n = record["updates"].as_array().unwrap().iter().filter(|u| u["quarter"] == q.as_str() && u["rag"] == rag && u["draft"] == false).count();
            let cell =
                s.exec(&format!("return document.querySelector(\"#status-trend-table tr[data-quarter='{q}']\").cells[{col}].textContent;"), json!([])).unwrap();
            assert_eq!(cell.as_str().unwrap().trim(), n.to_string(), "{q} {word}: the table");
            if n > 0 {
                assert!(desc.contains(&format!("{word} {n}")), "{q} {word} {n} in the text alternative: {desc}");
                let drawn = s
                    .exec(
                        &format!("return [...document.querySelectorAll('#status-trend rect[data-status=\"{rag}\"]')].map(r => Number(r.dataset.count));"),
                        json!([]),
                    )
                    .unwrap();
                assert!(drawn.as_array().unwrap().iter().any(|c| c.as_u64() == Some(n as u64)), "{q} {word}: a segment of {n}: {drawn}");
            }
        }
        assert!(desc.contains(&label), "{label} named in the text alternative");
    }
    assert!(s.axe().unwrap().is_empty(), "the chart is accessible");
    shot(&s, "dashboard-trend", Some("status-trend"));
    // Per theme: the same chart and table over theme 2's actions alone.
    s.exec("const t = document.getElementById('trend-theme'); t.value = t.options[2].value; t.dispatchEvent(new Event('change'));", json!([])).unwrap();
    s.wait_for("document.getElementById('trend-title').textContent.includes('theme 2')", "theme 2's trend").unwrap();
    let desc = s.exec("return document.getElementById('trend-desc').textContent;", json!([])).unwrap().as_str().unwrap().to_string();
    for q in &quarters {
        for (rag, word, col) in [("red", "Red", 1), ("amber", "Amber", 2), ("green", "Green", 3)] {
            let n = record["updates"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|u| u["quarter"] == q.as_str() && u["rag"] == rag && u["draft"] == false && u["action"].as_str().unwrap().starts_with("2."))
                .count();
            let cell =
                s.exec(&format!("return document.querySelector(\"#status-trend-table tr[data-quarter='{q}']\").cells[{col}].textContent;"), json!([])).unwrap();
            assert_eq!(cell.as_str().unwrap().trim(), n.to_string(), "theme 2, {q} {word}: the table");
            if n > 0 {
                assert!(desc.contains(&format!("{word} {n}")), "theme 2, {q} {word} {n} in the text alternative: {desc}");
            }
        }
    }
    assert!(s.axe().unwrap().is_empty(), "the theme's chart is accessible");
    shot(&s, "dashboard-theme-trend", Some("status-trend"));
}

#[test]
fn each_indicator_has_a_trend_line_whose_values_and_words_match_the_record() {
    let f = Fixture::new("spark", true).unwrap();
    let (_driver, s) = open(&f);
    screen(&s, "5", "Indicators");
    s.wait_for("document.querySelector('svg.spark')", "a trend line").unwrap();
    settled(&s);
    f.ccsp(&["export", "json", "--force", "--out", f.dir.join("r.json").to_str().unwrap()]).unwrap();
    let record: Value = serde_json::from_str(&std::fs::read_to_string(f.dir.join("r.json")).unwrap()).unwrap();
    let drawn = s
        .exec("return [...document.querySelectorAll('svg.spark')].map(e => [e.dataset.indicator, e.dataset.values, e.getAttribute('aria-label')]);", json!([]))
        .unwrap();
    let drawn = drawn.as_array().unwrap();
    assert!(!drawn.is_empty());
    for d in drawn {
        let code = d[0].as_str().unwrap();
        let mut values: Vec<(String, f64)> = record["indicator_values"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["indicator"] == code)
            .map(|v| (v["quarter"].as_str().unwrap().to_string(), v["value"].as_f64().unwrap()))
            .collect();
        values.sort_by(|a, b| a.0.cmp(&b.0));
        let want: Vec<String> = values.iter().map(|(_, v)| format!("{v}")).collect();
        assert_eq!(d[1].as_str().unwrap(), want.join(","), "{code}: the line's points are the record's values in quarter order");
        let words = d[2].as_str().unwrap();
        for v in &want {
            assert!(words.contains(v.as_str()), "{code}: {v} in its words: {words}");
        }
        let ind = record["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).unwrap();
        if let Some(b) = ind["baseline_value"].as_f64() {
            assert!(words.contains(&format!("baseline {b}")), "{words}");
        }
    }
    assert!(s.axe().unwrap().is_empty(), "the trend lines are accessible");
    shot(&s, "indicators-trend", Some("indicators-table"));
}
