//! `fieldbridge doctor`: checks the PC for what stops the QuickBooks Web Connector from
//! reaching FieldBridge, one file per check. Each check says ok, warn or fail, what it saw,
//! and what to do. Owns the checks and the report; not how it is printed (cli).
//!
//! The Connect page's doctor panel calls [`run`] (the `run_doctor` command) like the CLI.

mod data_folder;
mod endpoint;
mod installed;
mod last_contact;
mod sleep;
mod start_at_login;

use crate::app::App;
use serde::Serialize;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "DoctorLevel"))]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warn => "warn",
            Level::Fail => "fail",
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "DoctorCheck"))]
pub struct Check {
    /// A stable name (`web-connector`, `localhost-ipv4`, ...).
    pub name: &'static str,
    pub status: Level,
    /// What was seen, in words.
    pub detail: String,
    /// What to do about it (None when all is well).
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Level::Ok,
            detail: detail.into(),
            fix: None,
        }
    }
    pub fn warn(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            name,
            status: Level::Warn,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
    pub fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            name,
            status: Level::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }
}

/// Every check, in the order a person would fix things.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[cfg_attr(test, ts(rename = "DoctorReport"))]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    /// True when no check failed (warnings allowed): the exit status is 0.
    pub fn passed(&self) -> bool {
        self.checks.iter().all(|c| c.status != Level::Fail)
    }
}

/// Runs every check against this data folder and port. Blocking (files, sockets, one
/// `powercfg` on Windows): async callers use `spawn_blocking`.
pub fn run(app: &App) -> Report {
    let mut checks = vec![installed::web_connector(), installed::quickbooks()];
    checks.extend(endpoint::checks(app.port()));
    checks.push(data_folder::check(app.data_dir().root()));
    checks.push(start_at_login::check());
    checks.push(sleep::check());
    checks.push(last_contact::check(app));
    Report { checks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fail_fails_the_report_and_warnings_do_not() {
        let mut report = Report {
            checks: vec![Check::ok("a", "fine"), Check::warn("b", "hm", "look")],
        };
        assert!(report.passed(), "warnings alone pass");
        report.checks.push(Check::fail("c", "broken", "fix it"));
        assert!(!report.passed(), "a fail fails");
        let json = serde_json::to_value(&report).expect("JSON");
        assert_eq!(json["checks"][2]["status"], "fail");
        assert_eq!(json["checks"][0]["fix"], serde_json::Value::Null);
    }
}
