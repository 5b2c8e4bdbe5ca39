//! The SOAP envelope reader (`qbwc::soap::parse`): any bytes a client can post must give a
//! request or a typed error, never a panic or a hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = fieldbridge::qbwc::soap::parse(data);
});
