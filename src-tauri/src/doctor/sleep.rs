//! Check: the PC's sleep settings would not stop the Web Connector's overnight runs
//! (Windows: `powercfg /query SCHEME_CURRENT SUB_SLEEP STANDBYIDLE`, plugged in).

use super::Check;

const NAME: &str = "sleep";

pub fn check() -> Check {
    if !cfg!(windows) {
        return Check::ok(NAME, "not checked: sleep settings are read on Windows only");
    }
    let out = std::process::Command::new("powercfg")
        .args(["/query", "SCHEME_CURRENT", "SUB_SLEEP", "STANDBYIDLE"])
        .output();
    match out {
        Ok(o) if o.status.success() => judge(plugged_in_sleep_seconds(&String::from_utf8_lossy(&o.stdout))),
        Ok(_) | Err(_) => Check::warn(
            NAME,
            "cannot read the sleep settings (powercfg did not answer)",
            "make sure the PC does not sleep at night: Settings > System > Power > Sleep: Never (plugged in)",
        ),
    }
}

/// The "Current AC Power Setting Index" (seconds before sleep when plugged in; 0 = never)
/// from powercfg's output.
fn plugged_in_sleep_seconds(output: &str) -> Option<u64> {
    output.lines().find_map(|line| {
        let (label, value) = line.split_once(':')?;
        if !label.contains("AC Power Setting Index") {
            return None;
        }
        u64::from_str_radix(value.trim().trim_start_matches("0x"), 16).ok()
    })
}

fn judge(seconds: Option<u64>) -> Check {
    match seconds {
        Some(0) => Check::ok(NAME, "the PC never sleeps when plugged in"),
        Some(s) => Check::warn(
            NAME,
            format!("the PC sleeps after {} minutes plugged in: the Web Connector's night runs stop while it sleeps", s / 60),
            "set Sleep to Never when plugged in (Settings > System > Power), or schedule runs in working hours",
        ),
        None => Check::warn(
            NAME,
            "cannot read the sleep setting from powercfg's answer",
            "make sure the PC does not sleep at night: Settings > System > Power > Sleep: Never (plugged in)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::Level;

    const SAMPLE: &str = "Power Scheme GUID: 381b4222-f694-41f0-9685-ff5bb260df2e  (Balanced)\n  Subgroup GUID: 238c9fa8-0aad-41ed-83f4-97be242c8f20  (Sleep)\n    Power Setting GUID: 29f6c1db-86da-48c5-9fdb-f2b67b1f44da  (Sleep after)\n      Minimum Possible Setting: 0x00000000\n      Current AC Power Setting Index: 0x00000708\n      Current DC Power Setting Index: 0x00000384\n";

    #[test]
    fn the_plugged_in_value_is_read_and_judged() {
        assert_eq!(plugged_in_sleep_seconds(SAMPLE), Some(1800));
        let c = judge(plugged_in_sleep_seconds(SAMPLE));
        assert_eq!(c.status, Level::Warn);
        assert!(c.detail.contains("30 minutes"), "{c:?}");
        let never = SAMPLE.replace("0x00000708", "0x00000000");
        assert_eq!(judge(plugged_in_sleep_seconds(&never)).status, Level::Ok);
        assert_eq!(
            judge(plugged_in_sleep_seconds("garbage")).status,
            Level::Warn
        );
    }
}
