//! What the fuzz targets share: running the preprocessor on bytes, and the invariants every
//! target checks on what it gives back.

use mdbook_trd::edge::protocol::{self, RunError};

/// The built-in templates, for targets that pick one with a byte.
pub const TEMPLATES: [&str; 5] = ["trd", "trd-numbered", "design", "product-tdd", "tdd"];

/// Runs the preprocessor on `input` as mdBook would. On success, the book it wrote; on
/// failure, the error, after checking that nothing at all was written (all-or-nothing).
pub fn run(input: &[u8]) -> Result<Vec<u8>, RunError> {
    let mut out = Vec::new();
    let mut messages = Vec::new();
    match protocol::run(input, &mut out, &mut messages, None) {
        Ok(()) => Ok(out),
        Err(e) => {
            assert!(out.is_empty(), "a failed run wrote {} bytes", out.len());
            Err(e)
        }
    }
}

/// The non-blank lines of `text`, split at every line ending CommonMark knows (`\n`, `\r\n`
/// and a lone `\r`), without trailing whitespace.
pub fn lines(text: &str) -> Vec<&str> {
    text.split(['\n', '\r'])
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Asserts that every line of `written` is in `out` at least as many times as it is written:
/// merging moves what the author wrote, it never drops it.
pub fn assert_lines_survive(written: &str, out: &str) {
    let mut counts = std::collections::HashMap::<&str, isize>::new();
    for line in lines(written) {
        *counts.entry(line).or_default() += 1;
    }
    for line in lines(out) {
        if let Some(n) = counts.get_mut(line) {
            *n -= 1;
        }
    }
    for (line, missing) in counts {
        assert!(
            missing <= 0,
            "{missing} of the author's {line:?} lost\n--- written:\n{written}\n--- out:\n{out}"
        );
    }
}
