//! A heading's level changed by its markers alone, never its words: for headings the page
//! shows at another level than they were written at.

use std::borrow::Cow;

/// `heading` (one heading's source: an ATX line, or a setext heading's text lines and
/// underline) written at `level` (1 to 6; clamped). Only the markers change: an ATX heading's
/// opening `#`s (and a closing sequence that mirrors them); a setext heading's underline, `=`
/// for 1 and `-` for 2. A setext heading shown at level 3 or deeper, which setext cannot
/// write, becomes an ATX heading of the same text: its lines joined by spaces, as Markdown
/// reads a soft break. Borrowed when the level is already `level`.
pub fn at_level(heading: &str, level: u8) -> Cow<'_, str> {
    let level = usize::from(level.clamp(1, 6));
    let indent = heading.len() - heading.trim_start_matches([' ', '\t']).len();
    let rest = &heading[indent..];
    let hashes = atx_hashes(heading);
    if hashes == 0 {
        return setext_at_level(heading, level);
    }
    if hashes == level {
        return Cow::Borrowed(heading);
    }
    Cow::Owned(format!(
        "{}{}{}",
        &heading[..indent],
        "#".repeat(level),
        closing_at_level(&rest[hashes..], hashes, level)
    ))
}

/// `heading` as an ATX heading at `level`, whatever its form, without its line ending: what
/// `check` shows and suggests writing.
pub fn atx(heading: &str, level: u8) -> String {
    let level = level.clamp(1, 6);
    if atx_hashes(heading) > 0 {
        return at_level(heading, level).trim_end().to_owned();
    }
    let body = heading.trim_end_matches(['\n', '\r']);
    let text = body.rsplit_once(['\n', '\r']).map_or("", |(text, _)| text);
    atx_from_lines(text, usize::from(level), "")
}

/// The number of opening `#`s of `heading` when it is an ATX heading, else 0: one to six
/// `#`s after the indentation, then white space or the end. A setext heading's text cannot
/// start so (that line would be an ATX heading of its own); and the line breaks inside a
/// heading's range do not tell the two apart (the parser may read a lone `\r` as text).
fn atx_hashes(heading: &str) -> usize {
    let line = heading.trim_start_matches([' ', '\t']);
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let opens = line[hashes..]
        .bytes()
        .next()
        .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c));
    if (1..=6).contains(&hashes) && opens {
        hashes
    } else {
        0
    }
}

/// What follows an ATX heading's opening `#`s (`hashes` of them), with a closing sequence of
/// as many `#`s, which mirrors them, changed to `level` of them.
fn closing_at_level(after: &str, hashes: usize, level: usize) -> Cow<'_, str> {
    let body = after.trim_end();
    let words = body.trim_end_matches('#');
    if body.len() - words.len() != hashes || !words.ends_with([' ', '\t']) {
        return Cow::Borrowed(after);
    }
    Cow::Owned(format!(
        "{words}{}{}",
        "#".repeat(level),
        &after[body.len()..]
    ))
}

fn setext_at_level(heading: &str, level: usize) -> Cow<'_, str> {
    let body = heading.trim_end_matches(['\n', '\r']);
    let ending = &heading[body.len()..];
    let (text, underline) = body
        .rsplit_once(['\n', '\r'])
        .map_or(("", body), |(text, underline)| (text, underline));
    let marker = underline.trim_start().chars().next();
    let current = if marker == Some('=') { 1 } else { 2 };
    if current == level {
        return Cow::Borrowed(heading);
    }
    if level <= 2 {
        let (from, to) = if level == 1 { ('-', '=') } else { ('=', '-') };
        let underline = underline.replace(from, &to.to_string());
        return Cow::Owned(format!("{text}\n{underline}{ending}"));
    }
    Cow::Owned(atx_from_lines(text, level, ending))
}

/// A setext heading's text lines as one ATX heading at `level`, ending with `ending`.
fn atx_from_lines(text: &str, level: usize, ending: &str) -> String {
    let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
    let words: Vec<&str> = text
        .lines()
        // A hard break (a trailing backslash) in a setext heading reads as a space in ATX.
        .map(|line| line.trim().trim_end_matches('\\').trim_end())
        .filter(|line| !line.is_empty())
        .collect();
    let words = words.join(" ");
    // Trailing `#`s after a space would be read as an ATX closing sequence: an explicit one
    // keeps them as text.
    let closing = if words.ends_with('#') { " #" } else { "" };
    format!(
        "{}{} {words}{closing}{ending}",
        &text[..indent],
        "#".repeat(level)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::flavor::MarkdownFlavor;
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};

    /// The level and plain text of the first heading pulldown-cmark reads in `text`.
    fn read(text: &str) -> (u8, String) {
        let mut level = 0;
        let mut words = String::new();
        let mut inside = false;
        for event in Parser::new_ext(text, MarkdownFlavor::default().options()) {
            match event {
                Event::Start(Tag::Heading { level: l, .. }) if level == 0 => {
                    level = l as u8;
                    inside = true;
                }
                Event::End(TagEnd::Heading(_)) => inside = false,
                Event::Text(t) | Event::Code(t) if inside => words.push_str(&t),
                Event::SoftBreak | Event::HardBreak if inside => words.push(' '),
                _ => {}
            }
        }
        (level, words)
    }

    #[test]
    fn only_the_markers_change() {
        assert_eq!(at_level("## Security\n", 3), "### Security\n");
        assert_eq!(at_level("  #### Goals ##\n", 2), "  ## Goals ##\n");
        assert_eq!(at_level("Goals\n=====\n", 2), "Goals\n-----\n");
        assert_eq!(at_level("Goals\n---", 1), "Goals\n===");
        assert_eq!(at_level("Why a\nqueue\n---\n", 4), "#### Why a queue\n");
        assert!(matches!(at_level("## Same\n", 2), Cow::Borrowed(_)));
        assert!(matches!(at_level("Same\n===\n", 1), Cow::Borrowed(_)));
        assert_eq!(at_level("# Deep\n", 9), "###### Deep\n");
        // A closing sequence that mirrors the opening one keeps mirroring it.
        assert_eq!(at_level("##### Perf #####\n", 3), "### Perf ###\n");
        assert_eq!(at_level("## Perf #\n", 3), "### Perf #\n");
        assert_eq!(at_level("## C##\n", 3), "### C##\n");
    }

    #[test]
    fn the_atx_form_of_any_heading() {
        assert_eq!(atx("Goals\n=====\n", 1), "# Goals");
        assert_eq!(atx("Goals\n=====\n", 2), "## Goals");
        assert_eq!(atx("Two\nlines\n---\n", 2), "## Two lines");
        assert_eq!(atx("## Goals ##\n", 3), "### Goals ###");
        assert_eq!(atx("  Indented\n  ---\n", 4), "  #### Indented");
    }

    #[test]
    fn the_heading_reads_the_same_at_every_level() {
        let headings = [
            "## Security Considerations\n",
            "# Title #\n",
            "   ### Indented `code` heading\n",
            "##\n",
            "Setext *one*\n===\n",
            "Two lines\nof setext\n---\n",
            "Ends in C#\n---\n",
            "Issue #\n---\n",
            "Hard\\\nbreak\n===\n",
            "#hashtag\n---\n",
            "  Indented setext\n  ---\n",
            "With attrs {#sec .x}\n---\n",
            "CRLF\r\n---\r\n",
            "## Closed ##\n",
            "### Open # not closing ###\n",
            "##\u{c}Form feed\n",
            "## Lone CR\r~\n",
            "CR only\r---\r",
        ];
        for heading in headings {
            let (_, words) = read(heading);
            for level in 1..=6 {
                let moved = at_level(heading, level);
                assert_eq!(
                    read(&moved),
                    (level, words.clone()),
                    "{heading:?} at {level}: {moved:?}"
                );
            }
        }
    }
}
