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
/// changes its markers (and writes a setext heading as an ATX one when setext cannot), so a
/// heading line that is not in `out` as written must be in it as the text of a heading.
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
    let missing: Vec<&str> = lines(written)
        .into_iter()
        .filter(|l| counts.get(l).is_some_and(|&n| n > 0))
        .collect();
    if missing.is_empty() {
        return;
    }
    let options = MarkdownFlavor::default().options();
    // `written` read on its own: a heading there may be text in the chapter (after a
    // definition term, say), where it is copied as written, and then it is not missing.
    let headings = top_level_headings(written, options);
    let heading_of = |line: &str| {
        let start = line.as_ptr() as usize - written.as_ptr() as usize;
        headings
            .iter()
            .find(|h| h.range.start <= start && start < h.range.end)
    };
    // Soft breaks are not in a heading's text, and a setext heading written as ATX has a
    // space there: compared without white space.
    let squeeze = |text: &str| text.split_whitespace().collect::<String>();
    let shown: Vec<String> = top_level_headings(out, options)
        .iter()
        .map(|h| squeeze(&h.text))
        .collect();
    for line in missing {
        let heading = heading_of(line);
        assert!(
            heading.is_some_and(|h| shown.contains(&squeeze(&h.text))),
            "the author's {line:?} lost\n--- written:\n{written}\n--- out:\n{out}"
        );
    }
}
