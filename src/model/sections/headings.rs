//! The headings at the top level of a chapter, found in the one pass that also finds its
//! paragraphs (for the directive scanner) and records each section's HTML (for balancing).

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::balance::{Recorder, Trace};

/// A top-level heading: its level, its byte range, and its plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// The heading line(s), as a byte range of the text given.
    pub range: Range<usize>,
    /// The heading's text without markup.
    pub text: String,
    /// What the HTML of the section it starts (the heading, then the body up to the next
    /// top-level heading) does, for judging whether the section balances.
    pub(crate) html: Trace,
}

/// The headings of `text` at the top level (not inside block quotes, lists or code), in order.
pub fn top_level_headings(text: &str, options: Options) -> Vec<Heading> {
    top_level_blocks(text, options, |_, _| {})
}

/// The text of the first of [`top_level_headings`], or nothing when `text` has no heading:
/// the same pass, but with nothing recorded for the sections, and stopped at that heading's
/// end (a template's title heading is looked up this way for every doc).
pub fn first_heading_text(text: &str, options: Options) -> String {
    let mut depth = 0usize;
    let mut found = None;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::Heading { .. }) if depth == 0 => {
                depth += 1;
                found = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) if depth == 1 && found.is_some() => break,
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = found.as_mut() {
                    h.push_str(&t);
                }
            }
            _ => {}
        }
    }
    found.unwrap_or_default()
}

/// One pass over `text`: returns the top-level headings, and calls `paragraph` with the range
/// of every block of text (paragraph, table cell, definition term, tight list item's text) and
/// whether it is a paragraph at the top level (not in a list, quote, table, definition list or
/// footnote).
/// The directive scanner and the section splitter share it, so a chapter is parsed once; the
/// HTML of each heading's section is recorded in the same pass (see [`Heading`]).
pub fn top_level_blocks(
    text: &str,
    options: Options,
    mut paragraph: impl FnMut(Range<usize>, bool),
) -> Vec<Heading> {
    let mut found: Vec<Heading> = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Heading> = None;
    // A tight list item holds its text without a paragraph: the item's end, until its first
    // event shows whether text comes first.
    let mut item_end: Option<usize> = None;
    let mut html = Recorder::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        if depth == 0 && matches!(event, Event::Start(Tag::Heading { .. })) {
            // What was recorded since the last heading is that heading's section.
            let before = html.take();
            if let Some(h) = found.last_mut() {
                h.html = before;
            }
        }
        html.event(&event, range.clone(), 0);
        if let Some(end) = item_end.take()
            && matches!(
                event,
                Event::Text(_) | Event::Code(_) | Event::InlineHtml(_)
            )
        {
            paragraph(range.start..end, false);
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 => {
                depth += 1;
                current = Some(Heading {
                    level: level as u8,
                    range: whole_lines(text, range),
                    text: String::new(),
                    html: Trace::default(),
                });
            }
            Event::End(TagEnd::Heading(_)) if depth == 1 => {
                depth -= 1;
                found.extend(current.take());
            }
            Event::Start(tag) => {
                // Table cells and definition terms hold text the way a paragraph does; a
                // directive written there is reported as nested rather than passed over.
                match tag {
                    Tag::Paragraph => paragraph(range, depth == 0),
                    Tag::TableCell | Tag::DefinitionListTitle => paragraph(range, false),
                    Tag::Item => item_end = Some(range.end),
                    _ => {}
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = current.as_mut() {
                    h.text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    if let Some(h) = found.last_mut() {
        h.html = html.take();
    }
    found
}

/// `range` widened back to the start of its line when only indentation comes before it
/// (pulldown-cmark starts a setext heading at its first character), so the indentation moves
/// with the heading instead of being left behind as a blank body.
fn whole_lines(text: &str, mut range: Range<usize>) -> Range<usize> {
    let before = &text.as_bytes()[..range.start];
    let indent = before
        .iter()
        .rev()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    if indent == before.len() || matches!(before[before.len() - indent - 1], b'\n' | b'\r') {
        range.start -= indent;
    }
    range
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_of_all(text: &str, options: Options) -> String {
        top_level_headings(text, options)
            .into_iter()
            .next()
            .map(|h| h.text)
            .unwrap_or_default()
    }

    #[test]
    fn the_first_heading_text_is_the_first_top_level_heading_s() {
        let options = Options::all();
        for text in [
            "",
            "no heading\n",
            "> # quoted\n\n# Real *one* `code`\n\n## next\n",
            "- # in a list\n\nTitle\n=====\n",
            "# [link](x) and <b>html</b> \\*\n",
            "```\n# code\n```\n### Third {#id}\n",
        ] {
            assert_eq!(
                first_heading_text(text, options),
                first_of_all(text, options),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn the_first_heading_text_matches_on_any_text(text in "[#>\\- *`=\\[\\]()a\n]{0,40}") {
            let options = Options::all();
            proptest::prop_assert_eq!(first_heading_text(&text, options), first_of_all(&text, options));
        }
    }
}
