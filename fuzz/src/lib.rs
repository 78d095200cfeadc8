//! What the fuzz targets share: running the preprocessor on bytes, and the invariants every
//! target checks on what it gives back.

use mdbook_trd::edge::protocol::{self, RunError};
use mdbook_trd::markdown::flavor::MarkdownFlavor;

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
/// merging moves what the author wrote, it never drops it. Headings are the exception: the
/// page may show one at its template section's level (issue 16), which changes only its
/// markers. So a line missing as written passes when `out` holds it with other opening `#`s;
/// when it is a setext underline (a `===` or `---` line under text), which may change or go;
/// or when it is one line of a setext heading written as an ATX one: an ATX line of `out`
/// holds it, or a heading of `out` holds its letters and digits (markup may pair up across
/// the joined lines). The chapter's own parse is not at hand here (`written` may be the body
/// less a directive), so these are read from the lines.
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
    // Blank lines kept (an underline follows text), `\r\n` read as one line ending.
    let unix = written.replace("\r\n", "\n");
    let written_lines: Vec<&str> = unix.split(['\n', '\r']).map(str::trim_end).collect();
    let missing: Vec<(usize, &str)> = written_lines
        .iter()
        .enumerate()
        .filter(|(_, l)| counts.get(*l).is_some_and(|&n| n > 0))
        .map(|(i, l)| (i, *l))
        .collect();
    if missing.is_empty() {
        return;
    }
    let out_lines = lines(out);
    let unmarked_out: Vec<&str> = out_lines.iter().copied().map(unmarked).collect();
    let shown = heading_letters(out);
    let accounted = |i: usize, line: &str| {
        let marker = unmarked(line) != line && unmarked_out.contains(&unmarked(line));
        let underline = !line.trim().is_empty()
            && line.trim().chars().all(|c| c == '=' || c == '-')
            && i > 0
            && !written_lines[i - 1].trim().is_empty();
        let words = letters(line);
        let in_heading = !words.is_empty() && shown.iter().any(|h| h.contains(&words));
        // A setext heading written as ATX holds each of its lines, joined by spaces (and a
        // lone `\r` in one stays in it, as the parser reads it as text).
        let joined = out
            .split('\n')
            .any(|o| o.trim_start().starts_with('#') && o.contains(line.trim()));
        marker || underline || in_heading || joined
    };
    // As many of a line's occurrences as are missing must be accounted for.
    for (line, n) in counts.iter().filter(|(_, n)| **n > 0) {
        let explained = missing
            .iter()
            .filter(|(i, l)| l == line && accounted(*i, l))
            .count();
        assert!(
            explained >= usize::try_from(*n).unwrap_or(0),
            "the author's {line:?} lost\n--- written:\n{written}\n--- out:\n{out}"
        );
    }
}

/// The letters and digits of `text`: what no Markdown markup adds or takes away (markup,
/// white space and line breaks differ between a setext heading's lines and the ATX heading
/// they are written as; a code span or an HTML tag may pair up across those lines).
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The letters and digits of each top-level heading of `text`, from all it holds: text, code
/// and HTML.
fn heading_letters(text: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<String> = None;
    for event in Parser::new_ext(text, MarkdownFlavor::default().options()) {
        match event {
            Event::Start(Tag::Heading { .. }) if depth == 0 => current = Some(String::new()),
            Event::End(TagEnd::Heading(_)) if depth == 0 => out.extend(current.take()),
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) | Event::Html(t) => {
                if let Some(h) = current.as_mut() {
                    h.push_str(&letters(&t));
                }
            }
            _ => {}
        }
    }
    out
}

/// An ATX heading line without its indentation and opening `#`s; any other line as it is.
fn unmarked(line: &str) -> &str {
    let rest = line.trim_start_matches(' ');
    let hashes = rest.bytes().take_while(|&b| b == b'#').count();
    let after = &rest[hashes..];
    match after
        .strip_prefix([' ', '\t'])
        .or(after.is_empty().then_some(""))
    {
        Some(words) if (1..=6).contains(&hashes) => words,
        _ => line,
    }
}
