//! The whole preprocessor on any bytes as stdin: never a panic; a failed run writes nothing;
//! a successful one writes JSON, and feeding that book through again gives the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_trd_fuzz::run;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(out) = run(data) else {
        return;
    };
    let answer: Value = serde_json::from_slice(&out).expect("the answer is JSON");
    // Fields the preprocessor ignores are skipped unchecked (a lone surrogate escape there is
    // no error), so an accepted input need not be valid as a whole `Value`.
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let again = serde_json::to_vec(&Value::Array(vec![input[0].clone(), answer]))
        .expect("JSON values serialise");
    let Ok(second) = run(&again) else {
        panic!("the preprocessor's own output was refused");
    };
    assert!(second == out, "a second run changed the book");
});
