//! The qbXML response parser (`qbxml::parse_response`): whatever the Web Connector passes
//! back in receiveResponseXML gives typed responses or a ParseError, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = fieldbridge::qbxml::parse_response(text);
    }
});
