/// Every command the app exposes. Each needs its `allow-...` permission in
/// src-tauri/capabilities/default.json, or the window cannot call it.
const COMMANDS: &[&str] = &[
    "app_info",
    "plan_summary",
    "dashboard",
    "list_actions",
    "get_action",
    "add_action",
    "edit_action",
    "cancel_action",
    "delete_action",
    "update_sheet",
    "save_update",
    "sign_off",
    "reopen",
    "audit_trail",
    "indicators",
    "set_indicator_value",
    "funding",
    "set_allocation",
    "set_spend",
    "set_grant",
    "edit_plan",
    "add_priority",
    "edit_priority",
    "move_priority",
    "set_theme_outcome",
    "save_partner",
    "set_coordinator_name",
    "set_protective_marking",
    "backup_now",
    "backups",
    "restore_backup",
    "recover_from_backup",
    "export_document",
    "set_return_to",
    "returns_status",
    "make_returns",
    "import_returns",
    "drop_returns",
    "open_demo",
    "import_police",
    "police_progress",
    "cancel_police",
    "set_police_area",
    "export_tracker",
    "import_actions",
    "open_export",
    "report_sections",
    "set_narrative",
    "front_sheet",
    "set_front_sheet",
    "add_indicator",
    "edit_indicator",
    "delete_indicator",
    "copy_text",
    "set_schedule",
    "export_calendar",
    "review_update",
];

fn main() {
    // tauri-build resolves paths against the repository root; our capabilities live in
    // src-tauri/capabilities (see docs/tauri-notes.md).
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=tauri.conf.json");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
