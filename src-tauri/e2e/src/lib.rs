//! A small WebDriver client for driving the real CCSP Coordinator window: starts
//! `tauri-driver` (which starts WebKitWebDriver, which starts the app), opens a session, and
//! offers the few commands the end-to-end tests, the screenshots and the UI benchmark need.
//!
//! Pitfall (../shared/notes/tauri-2.md): killing tauri-driver with SIGKILL orphans
//! WebKitWebDriver and the app, which keep pipes open and hang the run. tauri-driver is
//! started in its own process group and stopped with SIGTERM to the group, then SIGKILL.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

pub type Result<T> = std::result::Result<T, String>;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// WebDriver key codes.
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const ARROW_UP: &str = "\u{E013}";
    pub const ARROW_DOWN: &str = "\u{E015}";
    pub const SHIFT: &str = "\u{E008}";
    pub const ALT: &str = "\u{E00A}";
    pub const ESCAPE: &str = "\u{E00C}";
    pub const CONTROL: &str = "\u{E009}";
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// `tauri-driver` from PATH or cargo's bin folder.
pub fn tauri_driver() -> Result<PathBuf> {
    let mut candidates: Vec<PathBuf> =
        std::env::var_os("PATH").map(|p| std::env::split_paths(&p).map(|d| d.join("tauri-driver")).collect()).unwrap_or_default(); // no PATH: only the other candidates
    if let Some(home) = std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo"))) {
        candidates.push(home.join("bin/tauri-driver"));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(|| "tauri-driver is not installed: `cargo install tauri-driver --locked --version ^2` (scripts/test.sh does this)".into())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(4444)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(120))).build().into()
}

/// A running tauri-driver. Dropping it stops it and everything it started.
pub struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    /// Starts tauri-driver with extra environment for the app (CCSP_DB, CCSP_TODAY...).
    pub fn start(env: &[(&str, &str)]) -> Result<Driver> {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(tauri_driver()?);
        cmd.args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().map_err(|e| format!("could not start tauri-driver: {e}"))?;
        let d = Driver { child, url: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if agent().get(format!("{}/status", d.url)).call().map(|r| r.status().is_success()).unwrap_or(false) {
                return Ok(d);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("tauri-driver did not answer within 20 s".into())
    }

    /// Opens a session: this launches the app binary in a new window.
    pub fn session(&self, app: &Path) -> Result<Session> {
        let caps = json!({"capabilities": {"alwaysMatch": {"tauri:options": {"application": app}}}});
        let s = Session { url: self.url.clone(), id: String::new(), agent: agent() };
        let v = s.send("POST", "/session", Some(caps))?;
        let id = v["sessionId"].as_str().ok_or_else(|| format!("no session id in {v}"))?.to_string();
        Ok(Session { id, ..s })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let pgid = self.child.id() as i32;
        unsafe {
            libc::kill(-pgid, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        unsafe {
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.child.wait(); // reaping a driver that was killed
    }
}

/// One WebDriver session: one app window.
pub struct Session {
    url: String,
    id: String,
    agent: ureq::Agent,
}

impl Session {
    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = if self.id.is_empty() { format!("{}{path}", self.url) } else { format!("{}/session/{}{path}", self.url, self.id) };
        let resp = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut resp = resp.map_err(|e| format!("{method} {path}: {e}"))?;
        let ok = resp.status().is_success();
        let v: Value = resp.body_mut().read_json().map_err(|e| format!("{method} {path}: unreadable reply: {e}"))?;
        if !ok {
            return Err(format!("{method} {path}: {}", v["value"]["message"].as_str().unwrap_or(&v.to_string())));
        }
        Ok(v.get("value").cloned().unwrap_or(Value::Null))
    }

    /// Runs a script in the page and returns its result.
    pub fn exec(&self, script: &str, args: Value) -> Result<Value> {
        self.send("POST", "/execute/sync", Some(json!({"script": script, "args": args})))
    }

    /// Runs an async script; it calls `arguments[arguments.length - 1](result)` when done.
    pub fn exec_async(&self, script: &str, args: Value) -> Result<Value> {
        self.send("POST", "/execute/async", Some(json!({"script": script, "args": args})))
    }

    /// Calls one of the app's commands from the page, as the frontend does; returns
    /// `{ok: value}` or `{err: {code, message}}`.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value> {
        self.exec_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(v => done({ok: v === undefined ? null : v}), e => done({err: e}));",
            json!([cmd, args]),
        )
    }

    /// Waits until a JavaScript expression is truthy.
    pub fn wait_for(&self, expr: &str, what: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if self.exec(&format!("return !!({expr});"), json!([]))?.as_bool() == Some(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what} ({expr})"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Finds an element by CSS selector, waiting for it to appear.
    pub fn find(&self, css: &str) -> Result<String> {
        self.wait_for(&format!("document.querySelector({})", json!(css)), css)?;
        let v = self.send("POST", "/element", Some(json!({"using": "css selector", "value": css})))?;
        v[ELEMENT].as_str().map(String::from).ok_or_else(|| format!("no element for {css}: {v}"))
    }

    pub fn text(&self, css: &str) -> Result<String> {
        let id = self.find(css)?;
        // not a string: empty, and the test asserting on it fails
        Ok(self.send("GET", &format!("/element/{id}/text"), None)?.as_str().unwrap_or_default().to_string())
    }

    pub fn click(&self, css: &str) -> Result<()> {
        let id = self.find(css)?;
        self.send("POST", &format!("/element/{id}/click"), None).map(drop)
    }

    /// Types into whatever has the keyboard focus, as a person at the keyboard would.
    pub fn keys(&self, text: &str) -> Result<()> {
        let active = self.send("GET", "/element/active", None)?;
        let id = active[ELEMENT].as_str().ok_or("nothing has the focus")?.to_string();
        self.send("POST", &format!("/element/{id}/value"), Some(json!({"text": text}))).map(drop)
    }

    /// Presses a chord (e.g. Alt+3) through the actions API.
    pub fn chord(&self, modifier: &str, key: &str) -> Result<()> {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": modifier}, {"type": "keyDown", "value": key},
            {"type": "keyUp", "value": key}, {"type": "keyUp", "value": modifier}]}]});
        self.send("POST", "/actions", Some(actions))?;
        self.send("DELETE", "/actions", None).map(drop)
    }

    /// The id of the focused element ("" when it has none).
    pub fn focused_id(&self) -> Result<String> {
        // not a string: empty, and the test asserting on it fails
        Ok(self.exec("return document.activeElement ? document.activeElement.id : '';", json!([]))?.as_str().unwrap_or_default().to_string())
    }

    /// Presses Tab until the element with `id` has the focus (at most `max` presses).
    pub fn tab_to(&self, id: &str, max: usize) -> Result<()> {
        self.tab_until(&format!("document.activeElement && document.activeElement.id === {}", json!(id)), max, &format!("#{id}"))
    }

    /// Presses Tab until a JavaScript condition on the focus holds (at most `max` presses).
    pub fn tab_until(&self, cond: &str, max: usize, what: &str) -> Result<()> {
        for _ in 0..=max {
            if self.exec(&format!("return !!({cond});"), json!([]))?.as_bool() == Some(true) {
                return Ok(());
            }
            self.keys(keys::TAB)?;
        }
        Err(format!("{what} was not reached within {max} presses of Tab (focus is on #{})", self.focused_id()?))
    }

    /// Resizes the window (CSS pixels at 100% zoom).
    pub fn set_window(&self, width: u32, height: u32) -> Result<()> {
        self.send("POST", "/window/rect", Some(json!({"width": width, "height": height}))).map(drop)
    }

    /// Saves a PNG of the window.
    pub fn screenshot(&self, out: &Path) -> Result<()> {
        let b64 = self.send("GET", "/screenshot", None)?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap_or_default()).map_err(|e| e.to_string())?; // as above: no image, and decoding fails loudly
        std::fs::write(out, bytes).map_err(|e| format!("{}: {e}", out.display()))
    }

    /// Runs axe-core in the page; returns the serious and critical violations, one line each.
    pub fn axe(&self) -> Result<Vec<String>> {
        let path = repo_root().join("ui/node_modules/axe-core/axe.min.js");
        let src = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} (run npm ci in ui/)", path.display()))?;
        self.exec(&format!("if (!window.axe) {{ {src} }} return true;"), json!([]))?;
        let v = self.exec_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
               .filter(v => v.impact === 'serious' || v.impact === 'critical')
               .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))),
               e => done(['axe failed: ' + e]));",
            json!([]),
        )?;
        let list = v.as_array().ok_or_else(|| format!("axe-core gave no result list: {v}"))?;
        Ok(list.iter().map(|x| x.as_str().map(String::from).unwrap_or_else(|| x.to_string())).collect())
    }

    pub fn close(self) -> Result<()> {
        self.send("DELETE", "", None).map(drop)
    }
}

/// A fresh data folder with a store made by `ccsp init` (and `ccsp demo` when asked).
pub struct Fixture {
    pub dir: PathBuf,
    pub db: PathBuf,
}

impl Fixture {
    pub fn new(name: &str, demo: bool) -> Result<Fixture> {
        let dir = std::env::temp_dir().join(format!("ccsp-e2e-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir); // a leftover of an earlier run, if any
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let db = dir.join("ccsp.sqlite3");
        let f = Fixture { dir, db };
        f.ccsp(&["init"])?;
        if demo {
            f.ccsp(&["demo"])?;
        }
        Ok(f)
    }

    /// The file a test puts where the app's "choose returned workbooks" dialog finds it.
    pub fn returned(&self) -> PathBuf {
        self.dir.join("returned").join("CCSP-return-filled.xlsx")
    }

    /// Runs the `ccsp` CLI on this store.
    pub fn ccsp(&self, args: &[&str]) -> Result<String> {
        let out = Command::new(bin("ccsp")).arg("--db").arg(&self.db).args(args).envs(self.env()).output().map_err(|e| format!("ccsp: {e}"))?;
        if !out.status.success() {
            return Err(format!("ccsp {args:?}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The environment the app runs in: this store, a fixed "today", a private data folder.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![
            ("CCSP_DB", self.db.display().to_string()),
            ("CCSP_TODAY", "2026-11-26".into()),
            ("CCSP_USER", "E2E Coordinator".into()),
            ("XDG_DATA_HOME", self.dir.join("data").display().to_string()),
            // Exports go here instead of through the native save dialog.
            ("CCSP_EXPORT_DIR", self.dir.display().to_string()),
            // What the native open dialog would return when returned workbooks are chosen.
            ("CCSP_IMPORT_FILES", self.returned().display().to_string()),
            ("CCSP_IMPORT_TRACKER", self.dir.join("returned").join("tracker.xlsx").display().to_string()),
            // What the dialog would return when police.uk files are chosen: a folder.
            ("CCSP_IMPORT_POLICE", self.dir.join("police").display().to_string()),
        ];
        if std::env::var_os("CCSP_SCREENSHOTS").is_some() {
            // WebKitWebDriver's screenshot needs WebKit's compositing, which the app turns off
            // on Linux by default (docs/benchmarks.md); "0" keeps it on for screenshot runs.
            env.push(("WEBKIT_DISABLE_COMPOSITING_MODE", "0".into()));
        }
        env
    }

    pub fn driver(&self) -> Result<Driver> {
        let env = self.env();
        let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Driver::start(&pairs)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir); // tidying a temporary folder
    }
}

/// A binary built by cargo in this workspace's target folder (`CCSP_PROFILE=release` for
/// the release build).
pub fn bin(name: &str) -> PathBuf {
    let profile = std::env::var("CCSP_PROFILE").unwrap_or_else(|_| "debug".into());
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    target.join(profile).join(name)
}
