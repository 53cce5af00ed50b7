//! One home for each rule and word (STYLE.md 14): the window's status words, quarter states
//! and error codes come from the core (ui/src/bindings.ts, generated), and the window's one
//! API module (ui/src/api.ts) calls exactly the commands the shell registers, with the same
//! argument names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "ts" || x == "svelte") {
            out.push(p);
        }
    }
}

/// The wire codes and words of the status scale, the quarter states and the lifecycle.
fn words() -> Vec<String> {
    use ccsp_core::domain::{Lifecycle, QuarterState, Rag};
    let code = |v: serde_json::Value| v.as_str().unwrap().to_string();
    let mut w: Vec<String> = Vec::new();
    for r in Rag::ALL {
        w.push(code(serde_json::to_value(r).unwrap()));
        w.push(r.label().to_string());
    }
    for q in QuarterState::ALL {
        w.push(code(serde_json::to_value(q).unwrap()));
        w.push(q.label().to_string());
    }
    for l in Lifecycle::ALL {
        w.push(code(serde_json::to_value(l).unwrap()));
    }
    w.sort();
    w.dedup();
    w
}

/// Unit tests (`*.test.ts`) are left out: their fixtures and expectations are the wire values
/// themselves, typed against the generated unions, so a renamed code fails their type check.
#[test]
fn the_window_writes_no_status_quarter_state_or_lifecycle_word_of_its_own() {
    let mut files = Vec::new();
    sources(&root().join("ui/src"), &mut files);
    assert!(files.len() > 20, "found the window's sources");
    let words = words();
    let mut found = Vec::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name == "bindings.ts" || name.ends_with(".test.ts") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for w in &words {
                for q in ['\'', '"', '`'] {
                    if line.contains(&format!("{q}{w}{q}")) {
                        found.push(format!("{}:{}: {q}{w}{q}", f.strip_prefix(root()).unwrap_or(&f).display(), n + 1));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "use the generated RAG, QUARTER_STATE, LIFECYCLE and their labels (lib/status.ts) instead of:\n{}", found.join("\n"));
}

#[test]
fn the_check_for_literals_would_catch_one() {
    // The scan above is only worth something if it sees a literal where one is.
    let words = words();
    assert!(words.iter().any(|w| "q.state === 'signed_off'".contains(&format!("'{w}'"))));
    assert!(words.iter().any(|w| "<span>{\"Not started\"}</span>".contains(&format!("\"{w}\""))));
}

/// `name: [argName, ...]` for each `call<...>('name', { ... })` in api.ts.
fn api_calls() -> BTreeMap<String, BTreeSet<String>> {
    let src = read("ui/src/api.ts");
    let mut out = BTreeMap::new();
    let mut rest = src.as_str();
    while let Some(i) = rest.find("call<") {
        rest = &rest[i + 5..];
        let Some(open) = rest.find("('") else { break };
        let after = &rest[open + 2..];
        let end = after.find('\'').unwrap();
        let name = after[..end].to_string();
        let tail = &after[end + 1..];
        let mut args = BTreeSet::new();
        if let Some(obj) = tail.strip_prefix(", {") {
            let mut depth = 1;
            let mut close = 0;
            for (k, ch) in obj.char_indices() {
                match ch {
                    '{' | '(' => depth += 1,
                    '}' | ')' => {
                        depth -= 1;
                        if depth == 0 {
                            close = k;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            for part in split_top(&obj[..close]) {
                let key = part.split(':').next().unwrap().trim();
                if !key.is_empty() {
                    args.insert(key.to_string());
                }
            }
        }
        out.insert(name, args);
        rest = tail;
    }
    out
}

fn split_top(s: &str) -> Vec<&str> {
    let (mut depth, mut start, mut parts) = (0, 0, Vec::new());
    for (i, ch) in s.char_indices() {
        match ch {
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for ch in snake.chars() {
        if ch == '_' {
            up = true;
        } else if up {
            out.extend(ch.to_uppercase());
            up = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `name: [argName, ...]` for each command in the shell's `generate_handler!`, the argument
/// names as Tauri expects them from JavaScript (camelCase), without the injected state/app.
fn shell_commands() -> BTreeMap<String, BTreeSet<String>> {
    let src = read("src-tauri/src/lib.rs");
    let list = src.split("generate_handler![").nth(1).unwrap().split(']').next().unwrap();
    let names: Vec<&str> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let mut out = BTreeMap::new();
    for name in names {
        let sig = [format!("fn {name}("), format!("async fn {name}(")]
            .iter()
            .find_map(|p| src.find(p.as_str()).map(|i| &src[i + p.len()..]))
            .unwrap_or_else(|| panic!("no fn {name} in src-tauri/src/lib.rs"));
        let params = &sig[..sig.find(')').unwrap()];
        let args =
            params.split(',').filter_map(|p| p.split(':').next()).map(str::trim).filter(|a| !a.is_empty() && *a != "state" && *a != "app").map(camel).collect();
        out.insert(name.to_string(), args);
    }
    out
}

#[test]
fn the_window_calls_exactly_the_commands_the_shell_registers_with_the_same_argument_names() {
    let api = api_calls();
    let shell = shell_commands();
    assert!(api.len() > 30 && shell.len() > 30, "read both lists ({} and {})", api.len(), shell.len());
    let only_api: Vec<_> = api.keys().filter(|k| !shell.contains_key(*k)).collect();
    let only_shell: Vec<_> = shell.keys().filter(|k| !api.contains_key(*k)).collect();
    assert!(only_api.is_empty(), "api.ts calls commands the shell does not register: {only_api:?}");
    assert!(only_shell.is_empty(), "the shell registers commands api.ts never calls: {only_shell:?}");
    for (name, args) in &api {
        assert_eq!(args, &shell[name], "{name}: api.ts passes {args:?}, the command takes {:?}", shell[name]);
    }
    // The build script's list (which makes the allow- permissions) is the same list.
    let build = read("src-tauri/build.rs");
    let listed: BTreeSet<String> = build
        .split("= &[")
        .nth(1)
        .unwrap()
        .split("];")
        .next()
        .unwrap()
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(listed, shell.keys().cloned().collect::<BTreeSet<_>>(), "src-tauri/build.rs COMMANDS and generate_handler! differ");
}

#[test]
fn error_codes_cross_the_boundary_as_the_generated_union() {
    let bindings = read("ui/src/bindings.ts");
    let line = bindings.lines().find(|l| l.starts_with("export type ErrorCode =")).expect("ErrorCode is generated");
    for code in ["invalid", "disk_full", "read_only", "medium_failed", "damaged", "internal"] {
        assert!(line.contains(&format!("\"{code}\"")), "{code} in {line}");
    }
    let api = read("ui/src/api.ts");
    assert!(api.contains("code: ErrorCode;"), "ApiError carries the generated code type, not a string");
}

#[test]
fn the_workspace_declares_at_least_the_rust_version_every_dependency_needs() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out =
        std::process::Command::new(cargo).args(["metadata", "--format-version", "1", "--locked"]).current_dir(root()).output().expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let version = |v: &str| -> Vec<u32> { v.split('.').map(|p| p.parse().unwrap()).collect() };
    let ours: Vec<&serde_json::Value> = meta["packages"].as_array().unwrap().iter().filter(|p| p["source"].is_null()).collect();
    let declared = ours.iter().filter_map(|p| p["rust_version"].as_str()).map(version).min().expect("the workspace declares a rust-version");
    let (need, who) = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| Some((version(p["rust_version"].as_str()?), p["name"].as_str()?.to_string())))
        .max()
        .unwrap();
    assert!(declared >= need, "rust-version {declared:?} is below the {need:?} that {who} declares");
}
