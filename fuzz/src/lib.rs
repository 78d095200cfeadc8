//! What the fuzz targets share: running the preprocessor on bytes, and the invariants every
//! target checks on what it gives back.

use mdbook_trd::edge::protocol::{self, RunError};
use mdbook_trd::markdown::flavor::MarkdownFlavor;
use mdbook_trd::model::sections::headings::top_level_headings;

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
/// merging moves what the author wrote, it never drops it. A top-level heading's lines are the
/// exception: the page may show the heading at its template section's level (issue 16), which
/// changes its markers (and writes a setext heading as an ATX one when setext cannot), so what
/// must survive of it is its text, as the text of a heading of `out`.
pub fn assert_lines_survive(written: &str, out: &str) {
    let options = MarkdownFlavor::default().options();
    let headings = top_level_headings(written, options);
    let in_heading = |line: &str| {
        let start = line.as_ptr() as usize - written.as_ptr() as usize;
        headings
            .iter()
            .any(|h| h.range.start <= start && start < h.range.end)
    };
    let mut counts = std::collections::HashMap::<&str, isize>::new();
    for line in lines(written).into_iter().filter(|l| !in_heading(l)) {
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
    // Soft breaks are not in a heading's text, and a setext heading written as ATX has a
    // space there: compared without white space.
    let squeeze = |text: &str| text.split_whitespace().collect::<String>();
    let mut shown = std::collections::HashMap::<String, isize>::new();
    for h in top_level_headings(out, options) {
        *shown.entry(squeeze(&h.text)).or_default() += 1;
    }
    for h in &headings {
        let n = shown.entry(squeeze(&h.text)).or_default();
        *n -= 1;
        assert!(
            *n >= 0,
            "the author's heading {:?} lost\n--- written:\n{written}\n--- out:\n{out}",
            h.text
        );
    }
}
