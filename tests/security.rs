//! Pins the window's security settings so they cannot widen silently: the Content Security
//! Policy, the global Tauri object, the capability (exactly one permission per app command),
//! and the absence of shell, file-system, HTTP and updater plugins. SECURITY.md explains each.
//! Changing any of these should mean changing this test and SECURITY.md together.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
connect-src ipc: http://ipc.localhost; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

#[test]
fn the_content_security_policy_allows_only_the_app_itself() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().expect("an explicit CSP");
    assert_eq!(csp, CSP);
    for banned in ["unsafe-eval", "unsafe-inline", "https:", "*", "http://localhost", "ws:"] {
        assert!(!csp.contains(banned), "the CSP must not allow {banned}");
    }
    assert_eq!(conf["app"]["withGlobalTauri"], false, "no window.__TAURI__ for injected scripts");
    assert!(conf["app"]["security"].get("dangerousDisableAssetCspModification").is_none());
    assert!(conf["app"]["security"].get("freezePrototype").is_none_or(|v| v != false));
    assert!(conf["plugins"].is_null() || conf["plugins"].as_object().is_some_and(|p| p.is_empty()), "no plugin configuration");
    assert!(conf["build"]["devUrl"].is_null(), "the window never loads from a dev server");
}

/// The commands listed in build.rs (each then needs a permission to be callable).
fn manifest_commands() -> Vec<String> {
    let build = read("src-tauri/build.rs");
    let start = build.find("const COMMANDS").expect("COMMANDS in build.rs");
    let list = &build[start..build[start..].find("];").map(|i| start + i).unwrap()];
    list.split('"').skip(1).step_by(2).map(String::from).collect()
}

#[test]
fn the_window_may_call_exactly_the_app_commands_and_nothing_else() {
    let commands = manifest_commands();
    assert!(commands.len() >= 20, "{commands:?}");
    let cap: serde_json::Value = serde_json::from_str(&read("src-tauri/capabilities/default.json")).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    let mut granted: Vec<String> = cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().expect("plain permission names").to_string()).collect();
    let mut wanted: Vec<String> = commands.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    granted.sort();
    wanted.sort();
    assert_eq!(granted, wanted, "one allow- permission per app command, and no core: or plugin permissions");
    assert!(cap.get("remote").is_none(), "no remote URLs may use the capability");
    // Every handler the app registers is in the manifest (so it is gated by the capability).
    let lib = read("src-tauri/src/lib.rs");
    let start = lib.find("generate_handler![").unwrap() + "generate_handler![".len();
    let handlers: Vec<String> =
        lib[start..start + lib[start..].find(']').unwrap()].split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    let mut h = handlers.clone();
    h.sort();
    let mut c = commands.clone();
    c.sort();
    assert_eq!(h, c, "generate_handler! and build.rs COMMANDS list the same commands");
}

#[test]
fn the_app_has_no_shell_filesystem_http_or_updater_plugin() {
    let manifest = read("Cargo.toml");
    for banned in
        ["tauri-plugin-shell", "tauri-plugin-fs", "tauri-plugin-http", "tauri-plugin-updater", "tauri-plugin-process", "reqwest", "ureq = { version = \"3\" }"]
    {
        assert!(!manifest.contains(banned), "the desktop app must not depend on {banned}");
    }
    let tauri_line = manifest.lines().find(|l| l.starts_with("tauri = ")).unwrap();
    assert!(tauri_line.contains("features = []"), "no extra Tauri features (e.g. protocol-asset, shell-open): {tauri_line}");
    let pkg: serde_json::Value = serde_json::from_str(&read("ui/package.json")).unwrap();
    let deps: Vec<&String> = pkg["dependencies"].as_object().map(|d| d.keys().collect()).unwrap_or_default(); // no dependencies table: an empty list, checked below
    assert_eq!(deps, vec!["@tauri-apps/api"], "the window's only runtime package is Tauri's IPC");
}

#[test]
fn the_frontend_never_renders_text_as_html() {
    let mut stack = vec![root().join("ui/src")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "svelte" || x == "ts") && !p.to_string_lossy().ends_with(".test.ts") {
                let src = std::fs::read_to_string(&p).unwrap();
                for banned in ["{@html", "innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function("] {
                    assert!(!src.contains(banned), "{} uses {banned}: text must stay text", p.display());
                }
            }
        }
    }
}
