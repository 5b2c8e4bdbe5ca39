//! Check: how long since the Web Connector last called.

use super::Check;
use crate::app::App;
use chrono::{DateTime, Utc};

const NAME: &str = "last-contact";

/// More than this without a call: the scheduled runs are not happening.
const QUIET_HOURS: i64 = 48;

pub fn check(app: &App) -> Check {
    match app.status() {
        Ok(status) => judge(status.last_contact.as_deref(), Utc::now()),
        Err(e) => Check::fail(
            NAME,
            format!("cannot read the database: {e}"),
            "see the message; `fieldbridge status` shows the same",
        ),
    }
}

fn judge(last: Option<&str>, now: DateTime<Utc>) -> Check {
    let Some(text) = last else {
        return Check::warn(
            NAME,
            "the Web Connector has never called FieldBridge",
            "add the .qwc file to the Web Connector (`fieldbridge qwc -o FieldBridge.qwc`), enter the password from `fieldbridge password`, and click Update Selected",
        );
    };
    let Ok(when) = DateTime::parse_from_rfc3339(text) else {
        return Check::warn(
            NAME,
            format!("the last contact time {text:?} cannot be read"),
            "run the Web Connector once",
        );
    };
    let hours = (now - when.with_timezone(&Utc)).num_hours();
    if hours > QUIET_HOURS {
        Check::warn(
            NAME,
            format!("the Web Connector last called {} days ago ({text})", hours / 24),
            "check that the Web Connector runs (its Auto-Run box, the PC awake at night, QuickBooks able to open the company file)",
        )
    } else {
        Check::ok(NAME, format!("the Web Connector last called at {text}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Level;

    #[test]
    fn recent_is_ok_old_and_never_warn() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            judge(Some("2026-12-02T03:00:00-05:00"), now).status,
            Level::Ok
        );
        let old = judge(Some("2026-11-20T10:00:00Z"), now);
        assert_eq!(old.status, Level::Warn);
        assert!(old.detail.contains("12 days"), "{old:?}");
        assert_eq!(judge(None, now).status, Level::Warn);
        assert_eq!(judge(Some("yesterday"), now).status, Level::Warn);
    }
}
