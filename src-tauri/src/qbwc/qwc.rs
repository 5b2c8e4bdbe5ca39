//! The .qwc file the office manager adds to the Web Connector (`fieldbridge qwc`).
//!
//! Owns: its elements, their order and values, written with quick-xml's writer. Does not own:
//! keeping OwnerID and FileID stable (the app stores them in its settings and passes them in;
//! [`new_owner_id`] / [`new_file_id`] make them the first time).
//!
//! Element order follows Intuit's sample files (`reference/qwc/*.qwc`): AppName, AppID,
//! AppURL, AppDescription, AppSupport, UserName, OwnerID, FileID, QBType, then the optional
//! ones, with Style and AuthFlags last as in the samples. Choices, with the reason:
//! - AppID empty: "AppID may be empty" (QBWC Programmer's Guide); we have no Intuit app id.
//! - AppURL `http://localhost:PORT/qbwc`: QBWC requires https except for localhost.
//! - AppSupport on the same host as AppURL (QBWC refuses another host): our `/support` page.
//! - OwnerID, FileID: GUIDs in braces; FileID must stay the same for one company file
//!   (QBWC writes it into the company file).
//! - PersonalDataPref `pdpNotNeeded` and UnattendedModePref `umpRequired`: FieldBridge never
//!   reads sensitive personal data (card numbers, SSNs), and its syncs must run at night with
//!   QuickBooks closed; QuickBooks only allows unattended mode to apps that do not need
//!   personal data, and `umpRequired` makes the access dialog ask for it up front.
//! - IsReadOnly `false`: we add and modify records.
//! - Scheduler/RunEveryNMinutes from the settings (omitted when 0: manual runs only).
//! - Style `Document`, AuthFlags `0xF` (every QuickBooks edition), QBType `QBFS`.

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::writer::Writer;
use uuid::Uuid;

/// What varies between installs.
#[derive(Debug, Clone)]
pub struct QwcConfig {
    /// Shown in the Web Connector's list; must be unique among its applications.
    pub app_name: String,
    pub app_description: String,
    pub port: u16,
    pub user_name: String,
    /// Identifies FieldBridge to QuickBooks (data extensions); stable per install.
    pub owner_id: Uuid,
    /// Identifies the company file to the Web Connector; stable per install and company.
    pub file_id: Uuid,
    /// Minutes between scheduled runs; 0 writes no Scheduler (runs only when asked).
    pub run_every_minutes: u32,
}

/// The default application name in the Web Connector's list.
pub const DEFAULT_APP_NAME: &str = "FieldBridge";
/// The default description.
pub const DEFAULT_APP_DESCRIPTION: &str =
    "Syncs FieldBridge customers, projects, service tickets, invoices and payments with QuickBooks.";

/// A new OwnerID (store it; never make a second for the same install).
pub fn new_owner_id() -> Uuid {
    Uuid::new_v4()
}

/// A new FileID (store it; never make a second for the same install and company).
pub fn new_file_id() -> Uuid {
    Uuid::new_v4()
}

/// `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}` as the Web Connector writes GUIDs.
fn braced(id: Uuid) -> String {
    format!("{{{}}}", id.hyphenated().to_string().to_uppercase())
}

/// The .qwc document.
pub fn render(config: &QwcConfig) -> String {
    let base = format!("http://localhost:{}", config.port);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // INVARIANT: writing into a Vec<u8> cannot fail.
    let _ = (|| -> std::io::Result<()> {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
        w.create_element("QBWCXML").write_inner_content(|w| {
            let mut field = |name: &str, value: &str| -> std::io::Result<()> {
                w.create_element(name)
                    .write_text_content(BytesText::new(value))?;
                Ok(())
            };
            field("AppName", &config.app_name)?;
            field("AppID", "")?;
            field("AppURL", &format!("{base}{}", super::SOAP_PATH))?;
            field("AppDescription", &config.app_description)?;
            field("AppSupport", &format!("{base}{}", super::SUPPORT_PATH))?;
            field("UserName", &config.user_name)?;
            field("OwnerID", &braced(config.owner_id))?;
            field("FileID", &braced(config.file_id))?;
            field("QBType", "QBFS")?;
            field("PersonalDataPref", "pdpNotNeeded")?;
            field("UnattendedModePref", "umpRequired")?;
            field("IsReadOnly", "false")?;
            if config.run_every_minutes > 0 {
                w.create_element("Scheduler").write_inner_content(|w| {
                    w.create_element("RunEveryNMinutes")
                        .write_text_content(BytesText::new(
                            &config.run_every_minutes.to_string(),
                        ))?;
                    Ok(())
                })?;
            }
            w.create_element("Style")
                .write_text_content(BytesText::new("Document"))?;
            w.create_element("AuthFlags")
                .write_text_content(BytesText::new("0xF"))?;
            Ok(())
        })?;
        Ok(())
    })();
    // The writer only ever receives &str, so the bytes are UTF-8.
    String::from_utf8_lossy(&w.into_inner()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::reader::Reader;

    /// The root's children in order, as (name, text); Scheduler's child flattened as
    /// "Scheduler/RunEveryNMinutes".
    fn children(xml: &str) -> Vec<(String, String)> {
        let mut reader = Reader::from_str(xml);
        let mut path: Vec<String> = vec![];
        let mut out: Vec<(String, String)> = vec![];
        loop {
            match reader.read_event().expect("well-formed .qwc") {
                Event::Start(e) => {
                    path.push(e.name().as_ref().to_owned());
                    if path.len() >= 2 {
                        out.push((path[1..].join("/"), String::new()));
                    }
                }
                Event::Empty(e) if !path.is_empty() => {
                    let mut p = path[1..].to_vec();
                    p.push(e.name().as_ref().to_owned());
                    out.push((p.join("/"), String::new()));
                }
                Event::Text(t) => {
                    if let Some(last) = out.last_mut() {
                        last.1.push_str(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    let c = match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("unexpected entity {other}"),
                    };
                    if let Some(last) = out.last_mut() {
                        last.1.push(c);
                    }
                }
                Event::End(_) => {
                    path.pop();
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out.into_iter()
            .map(|(n, v)| (n, v.trim().to_owned()))
            .collect()
    }

    fn config() -> QwcConfig {
        QwcConfig {
            app_name: "FieldBridge & Co".into(),
            app_description: DEFAULT_APP_DESCRIPTION.into(),
            port: 8711,
            user_name: "fieldbridge".into(),
            owner_id: Uuid::parse_str("57f3b9b1-86f1-4fcc-b1ee-566de1813d20").expect("uuid"),
            file_id: Uuid::parse_str("90a44fb5-33d9-4815-ac85-bc87a7e7d1eb").expect("uuid"),
            run_every_minutes: 60,
        }
    }

    #[test]
    fn every_field_has_the_value_the_web_connector_needs() {
        let fields = children(&render(&config()));
        let expected: Vec<(&str, &str)> = vec![
            ("AppName", "FieldBridge & Co"),
            ("AppID", ""),
            ("AppURL", "http://localhost:8711/qbwc"),
            ("AppDescription", DEFAULT_APP_DESCRIPTION),
            ("AppSupport", "http://localhost:8711/support"),
            ("UserName", "fieldbridge"),
            ("OwnerID", "{57F3B9B1-86F1-4FCC-B1EE-566DE1813D20}"),
            ("FileID", "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"),
            ("QBType", "QBFS"),
            ("PersonalDataPref", "pdpNotNeeded"),
            ("UnattendedModePref", "umpRequired"),
            ("IsReadOnly", "false"),
            ("Scheduler", ""),
            ("Scheduler/RunEveryNMinutes", "60"),
            ("Style", "Document"),
            ("AuthFlags", "0xF"),
        ];
        let got: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, expected, "each element, its value and its order");
    }

    #[test]
    fn follows_the_order_of_intuits_sample() {
        qbsim::skip_without_reference!();
        let sample = std::fs::read_to_string(crate::qbwc::test_support::reference_path(
            "qwc/HTTPSWebService.intuit-sdk-samples.qwc",
        ))
        .expect("Intuit's sample .qwc");
        let theirs: Vec<String> = children(&sample).into_iter().map(|(n, _)| n).collect();
        let ours: Vec<String> = children(&render(&config()))
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        let ours_common: Vec<&String> = ours.iter().filter(|n| theirs.contains(n)).collect();
        let theirs_ref: Vec<&String> = theirs.iter().collect();
        assert_eq!(
            ours_common, theirs_ref,
            "every element of Intuit's sample, in its order"
        );
        for sample in [
            "HTTPWebService.intuit-sdk-samples.qwc",
            "TestService-with-CertURL.intuit-sdk-samples.qwc",
        ] {
            let text = std::fs::read_to_string(crate::qbwc::test_support::reference_path(
                &format!("qwc/{sample}"),
            ))
            .expect("Intuit's sample .qwc");
            for (name, _) in children(&text) {
                if name != "CertURL" {
                    assert!(ours.contains(&name), "{sample} has {name}; ours must too");
                }
            }
        }
    }

    #[test]
    fn no_scheduler_when_runs_are_manual() {
        let mut c = config();
        c.run_every_minutes = 0;
        let fields = children(&render(&c));
        assert!(
            !fields.iter().any(|(n, _)| n.starts_with("Scheduler")),
            "0 minutes writes no schedule"
        );
    }

    #[test]
    fn new_ids_differ() {
        assert_ne!(new_owner_id(), new_owner_id(), "random v4 GUIDs");
        assert_ne!(new_file_id(), new_file_id(), "random v4 GUIDs");
    }
}
