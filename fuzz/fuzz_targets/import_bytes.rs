//! The import parser (`import::import_bytes`) on a fresh in-memory store: any file the office
//! manager picks (JSON or CSV, by the first byte of the input) gives a summary or a list of
//! problems, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the file name (and so the format the importer tries first).
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("records.json", rest),
        Some((_, rest)) => ("records.csv", rest),
        None => ("records.json", data),
    };
    let store = fieldbridge::store::Store::open_in_memory().expect("an in-memory store");
    let _ = fieldbridge::import::import_bytes(&store, name, bytes);
});
