//! The installers' configuration, read as the Tauri bundler reads it: what a council's IT
//! relies on when it deploys the app. The .deb itself is installed and started by
//! scripts/test-package.sh; the Windows and macOS installers are built by
//! .github/workflows/release.yml (nothing here compiles for them), so what can be checked here
//! about them is checked here: the merged configurations are also validated against the
//! Tauri CLI's own schema, and the workflow against GitHub's, by scripts/check-release.sh.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).to_path_buf()
}

fn json(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn text(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_msi_keeps_one_upgrade_code_so_a_new_version_replaces_the_old_one() {
    let conf = json("tauri.conf.json");
    // Pinned when the first MSI was configured (the value Tauri derives from the product
    // name): changing it would make Windows install a second copy beside the first.
    assert_eq!(conf["bundle"]["windows"]["wix"]["upgradeCode"], "c7f3aad0-f828-59bb-9770-acbd67eb293d");
    assert_eq!(conf["bundle"]["windows"]["allowDowngrades"], false, "an older version never replaces a newer one (its store would be too new)");
}

#[test]
fn installing_on_windows_never_downloads_webview2() {
    let mode = &json("tauri.conf.json")["bundle"]["windows"]["webviewInstallMode"];
    assert_eq!(mode["type"], "offlineInstaller", "the offline installer is embedded: no download at install time");
}

#[test]
fn the_version_comes_from_the_workspace_not_a_second_copy() {
    let conf = json("tauri.conf.json");
    assert!(conf.get("version").is_none(), "tauri.conf.json takes the version from Cargo.toml (one home)");
    let cargo = text("Cargo.toml");
    assert!(cargo.contains("[workspace.package]\nversion = \""), "the workspace's version");
    assert!(text("src-tauri/cli/Cargo.toml").contains("version.workspace = true"), "ccsp --version says the same");
}

#[test]
fn every_file_the_installers_take_exists() {
    let conf = json("tauri.conf.json");
    for icon in conf["bundle"]["icon"].as_array().unwrap() {
        assert!(root().join(icon.as_str().unwrap()).is_file(), "icon {icon}");
    }
    let deb = &conf["bundle"]["linux"]["deb"];
    for (to, from) in deb["files"].as_object().unwrap() {
        let from = from.as_str().unwrap();
        // The release binary exists once built (scripts/package.sh builds it first).
        assert!(from.starts_with("target/release/") || root().join(from).is_file(), "{to} from {from}");
    }
    let windows = json("packaging/windows/release.conf.json");
    for p in windows["bundle"]["windows"]["wix"]["fragmentPaths"].as_array().unwrap() {
        assert!(root().join(p.as_str().unwrap()).is_file(), "{p}");
    }
    assert!(root().join(windows["bundle"]["windows"]["nsis"]["installerHooks"].as_str().unwrap()).is_file());
    // The icons' source, drawn for the app; scripts/icons.sh --check makes sure the rest come from it.
    assert!(text("assets/icons/icon.svg").contains("viewBox=\"0 0 1024 1024\""));
}

#[test]
fn the_packages_carry_the_ccsp_command_and_put_it_on_the_path() {
    let deb = &json("tauri.conf.json")["bundle"]["linux"]["deb"];
    assert_eq!(deb["files"]["/usr/bin/ccsp"], "target/release/ccsp");
    // WebKitGTK 4.1 and GTK 3: the bundler's own Depends (scripts/test-package.sh reads them in the .deb).
    let windows = json("packaging/windows/release.conf.json");
    assert_eq!(windows["bundle"]["resources"]["target/cli/ccsp.exe"], "ccsp.exe", "ccsp.exe beside the app");
    let refs: Vec<&str> = windows["bundle"]["windows"]["wix"]["componentRefs"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    let fragment = text("packaging/windows/cli-on-path.wxs");
    for r in &refs {
        assert!(fragment.contains(&format!("<Component Id=\"{r}\"")), "the fragment defines {r}");
    }
    assert!(fragment.contains("Name=\"PATH\" Value=\"[INSTALLDIR]\"") && fragment.contains("Permanent=\"no\""), "on PATH while installed, off when removed");
    let hooks = text("packaging/windows/hooks.nsh");
    assert!(hooks.contains("!macro NSIS_HOOK_POSTINSTALL") && hooks.contains("HKCU \"Environment\" \"Path\""), "the per-user setup puts it on the user's PATH");
    let mac = json("packaging/macos/release.conf.json");
    assert_eq!(mac["bundle"]["macOS"]["files"]["MacOS/ccsp"], "target/release/ccsp");
}

#[test]
fn uninstalling_never_deletes_the_store_or_its_backups() {
    // The NSIS uninstaller offers to delete the app's data folder, which is where the store
    // lives: the hook turns that off before the uninstall section reads it.
    let hooks = text("packaging/windows/hooks.nsh");
    let pre = &hooks[hooks.find("!macro NSIS_HOOK_PREUNINSTALL").expect("a pre-uninstall hook")..];
    assert!(pre.contains("StrCpy $DeleteAppDataCheckboxState 0"), "{pre}");
    // The MSI removes only what it installed, and the .deb has no maintainer script that could
    // remove anything else.
    let fragment = text("packaging/windows/cli-on-path.wxs");
    assert!(!fragment.contains("RemoveFolder") && !fragment.contains("RemoveFile"), "the MSI fragment removes nothing");
    let deb = &json("tauri.conf.json")["bundle"]["linux"]["deb"];
    for script in ["preRemoveScript", "postRemoveScript"] {
        assert!(deb.get(script).is_none(), "no {script}");
    }
    // Per-user by default: no administrator needed for the NSIS setup.
    assert_eq!(json("tauri.conf.json")["bundle"]["windows"]["nsis"]["installMode"], "currentUser");
}
