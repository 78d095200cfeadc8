//! Both outlines as merging sees them: flat lists of sections in document order, each with its
//! heading level, the tree implied by the levels; and the keys two headings are matched by.

use std::ops::Range;

/// The text used to match headings: placeholders and leading numbering (`3.1`, `2.`) removed,
/// lower-cased, white space collapsed, trailing `:` dropped.
pub fn heading_key(text: &str) -> String {
    let mut plain = String::new();
    // Most headings hold no placeholder: they are read as they are, without a copy.
    let mut rest = text;
    while let Some(open) = rest
        .as_bytes()
        .contains(&b'{')
        .then(|| rest.find("{{"))
        .flatten()
    {
        plain.push_str(&rest[..open]);
        match rest[open..].find("}}") {
            Some(close) => rest = &rest[open + close + 2..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    let trimmed = if plain.is_empty() {
        rest
    } else {
        plain.push_str(rest);
        &plain
    }
    .trim_start();
    let numbering = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let unnumbered =
        if numbering > 0 && trimmed[..numbering].starts_with(|c: char| c.is_ascii_digit()) {
            &trimmed[numbering..]
        } else {
            trimmed
        };
    // The words, one space between each, in one string.
    let mut key = String::with_capacity(unnumbered.len());
    for word in unnumbered.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(word);
    }
    let end = key.trim_end_matches(':').trim_end().len();
    key.truncate(end);
    if key.is_ascii() {
        key.make_ascii_lowercase();
        key
    } else {
        key.to_lowercase()
    }
}

/// What two headings are matched by: the [`heading_key`] with `&` read as `and` and only
/// letters and digits kept, so `Non Goals`, `Non-Goals` and `non_goals`, or `Approvals &
/// Sign-off` and `Approvals and sign off`, are the same heading.
pub fn match_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c == '&' {
            out.push_str("and");
        } else if c.is_ascii() {
            // The common case, without the Unicode tables.
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// One section the author wrote after the directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthoredSection {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// The heading's match key (see [`heading_key`]).
    pub key: String,
    /// The heading line(s), as a byte range of the chapter.
    pub heading: Range<usize>,
    /// The body up to the next heading of any level, as a byte range of the chapter.
    pub body: Range<usize>,
    /// True when the body holds something written: more than white space and HTML comments
    /// (see [`is_written`]).
    pub has_body: bool,
    /// The headings inside the body, with their levels: those of the sections that are one
    /// piece with this one, as an HTML element holds them all (see
    /// [`balance::units`](super::balance::units)). Empty for most sections.
    pub sub_headings: Vec<(u8, Range<usize>)>,
}

/// The end (exclusive) of section `i`'s subtree: the next section at its level or above.
pub fn subtree_end(levels: &[u8], i: usize) -> usize {
    let level = levels[i];
    (i + 1..levels.len())
        .find(|&j| levels[j] <= level)
        .unwrap_or(levels.len())
}

/// The section whose subtree holds section `i` directly.
pub fn parent(levels: &[u8], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| levels[j] < levels[i])
}

/// True when `body` holds more than white space and complete HTML comments: what counts as
/// written. `mdbook-trd new` puts each section's prompt in a comment under its heading, for the
/// author's editor; a section holding only that is not written yet.
pub fn is_written(body: &str) -> bool {
    let mut rest = body.trim_start();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return true,
        }
    }
    !rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_numbering_placeholders_case_and_colons() {
        assert_eq!(
            heading_key("3.1 Functional Requirements"),
            "functional requirements"
        );
        assert_eq!(heading_key("1. Overview"), "overview");
        assert_eq!(heading_key("  Problem   Statement: "), "problem statement");
        assert_eq!(heading_key("TRD-{{number: N}}: {{title}}"), "trd-");
        assert_eq!(heading_key("{{Component 1: API Layer}}"), "");
        assert_eq!(heading_key("5.1 {{Primary flow}}"), "");
        assert_eq!(heading_key("2024 plan"), "plan");
        assert_eq!(heading_key("v2 API"), "v2 api");
    }

    #[test]
    fn match_keys_ignore_punctuation_and_read_ampersands_as_and() {
        assert_eq!(match_key("non goals"), match_key("non-goals"));
        assert_eq!(match_key("non_goals"), "nongoals");
        assert_eq!(
            match_key(&heading_key("9. Approvals & Sign-off")),
            match_key("approvals and sign off")
        );
        assert_eq!(match_key("libraries/packages"), "librariespackages");
        assert_eq!(match_key("---"), "");
    }

    #[test]
    fn comments_alone_are_not_written() {
        assert!(!is_written(""));
        assert!(!is_written(
            "  \n<!-- Describe the problem -->\n\n<!-- and why -->\n"
        ));
        assert!(is_written("<!-- prompt -->\n\nThe answer.\n"));
        assert!(is_written("Text <!-- aside -->"));
        // An open comment is left to the balance checks: it is text.
        assert!(is_written("<!-- never closed\n"));
    }
}
