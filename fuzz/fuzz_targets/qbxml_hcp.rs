//! The strHCPResponse parser (`qbxml::parse_hcp`): HostQuery, CompanyQuery and
//! PreferencesQuery answers from the first sendRequestXML; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(hcp) = fieldbridge::qbxml::parse_hcp(text) {
            let _ = fieldbridge::qbxml::pick_qbxml_version(&hcp.host);
        }
    }
});
