//! A store in a temporary folder driven through the `ccsp` binary, on a fixed day as a named
//! user: the command-line test files' shared setup (`#[path = "support/cli_env.rs"] mod
//! cli_env;`).

// Each test file that includes this module uses part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub struct Env {
    pub dir: tempfile::TempDir,
    today: &'static str,
    user: &'static str,
}

impl Env {
    /// A new store (`ccsp init`), with the demo's actions and updates when `demo`; every
    /// command runs on `today` (CCSP_TODAY) as `user` (CCSP_USER).
    pub fn new(today: &'static str, user: &'static str, demo: bool) -> Env {
        let e = Env { dir: tempfile::tempdir().unwrap(), today, user };
        e.ok(&["init"]);
        if demo {
            e.ok(&["demo"]);
        }
        e
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("ccsp.sqlite3")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_on(self.today, args)
    }

    pub fn run_on(&self, today: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_ccsp")).arg("--db").arg(self.db()).args(args).env("CCSP_TODAY", today).env("CCSP_USER", self.user).output().unwrap()
    }

    /// Runs a command that must succeed; its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "ccsp {args:?}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// A path in the folder, its parent folders made.
    pub fn path(&self, rel: &str) -> PathBuf {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        p
    }

    /// The whole record, as `ccsp export json` writes it.
    pub fn record(&self) -> serde_json::Value {
        let out = self.dir.path().join("record.json");
        self.ok(&["export", "json", "--force", "--out", out.to_str().unwrap()]);
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap()
    }
}
