//! What the author wrote after a directive: a preamble, then sections, each a byte range of the
//! chapter, so the merged document copies the author's bytes rather than re-rendering them.

use std::ops::Range;

use pulldown_cmark::Options;

use super::balance::{self, Trace, Unbalanced};
use super::headings::{Heading, top_level_headings};
use super::outline::{AuthoredSection, heading_key, is_written};

/// What the author wrote after the directive.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Authored {
    /// The text between the directive and the first heading.
    pub preamble: Range<usize>,
    /// The sections, in document order. A section whose HTML closes only in its sub-sections
    /// is one section with them (see [`balance::units`]).
    pub sections: Vec<AuthoredSection>,
    /// The first section that does not balance, even with its sub-sections.
    unbalanced: Option<Unbalanced>,
}

impl Authored {
    /// The preamble and each section (heading and body), as byte ranges of the chapter.
    pub fn blocks(&self) -> Vec<Range<usize>> {
        std::iter::once(self.preamble.clone())
            .chain(self.sections.iter().map(|s| s.heading.start..s.body.end))
            .collect()
    }

    /// The first block (the preamble or a section) that leaves a fence, a comment or an HTML
    /// container open, or closes one it did not open: see [`InPlace`].
    pub fn first_unbalanced(&self, content: &str, options: Options) -> Option<Unbalanced> {
        balance::first_unbalanced(content, &self.blocks(), self.unbalanced.as_ref(), options)
    }

    /// What stays in place from the block `u` names on.
    pub fn in_place(&self, u: &Unbalanced) -> InPlace {
        match u.section.and_then(|i| self.sections.get(i).map(|s| (i, s))) {
            Some((i, s)) => InPlace {
                start: s.heading.start,
                first: i,
                preamble: false,
            },
            None => InPlace {
                start: self.preamble.start,
                first: 0,
                preamble: true,
            },
        }
    }
}

/// The authored text that is not merged: from a block that does not balance (see
/// [`Authored::first_unbalanced`]) to the end of the chapter. Moving such a block would
/// change what is code, HTML or comment in it or around it, so it and everything written
/// after it are copied as written after the template's sections, where the directive's
/// expansion ends, in the order written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InPlace {
    /// Where the text kept in place starts.
    pub start: usize,
    /// The first section kept in place (all those after it are too).
    pub first: usize,
    /// Whether the preamble is kept in place too.
    pub preamble: bool,
}

/// Splits `content[start..]` into a preamble and sections at every top-level heading
/// (headings inside block quotes or lists belong to the body they are in).
pub fn parse_authored(content: &str, start: usize, options: Options) -> Authored {
    authored_from(content, start, &top_level_headings(content, options))
}

/// [`parse_authored`] from the chapter's top-level headings, already found.
pub fn authored_from(content: &str, start: usize, all: &[Heading]) -> Authored {
    let first = all.partition_point(|h| h.range.start < start);
    let headings = &all[first..];
    let end = content.len();
    let preamble_end = headings.first().map_or(end, |h| h.range.start);
    let slices: Vec<(AuthoredSection, &Trace)> = headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let heading = h.range.clone();
            let body_end = headings.get(i + 1).map_or(end, |n| n.range.start);
            let body = heading.end.min(body_end)..body_end;
            let section = AuthoredSection {
                level: h.level,
                key: heading_key(&h.text),
                has_body: is_written(&content[body.clone()]),
                heading,
                body,
                sub_headings: Vec::new(),
            };
            (section, &h.html)
        })
        .collect();
    let (sections, unbalanced) = balance::units(content, &slices);
    Authored {
        preamble: start.min(preamble_end)..preamble_end,
        sections,
        unbalanced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authored(text: &str) -> Authored {
        parse_authored(
            text,
            0,
            crate::markdown::flavor::MarkdownFlavor::default().options(),
        )
    }

    #[test]
    fn splits_at_top_level_headings_only() {
        let text =
            "Intro.\n\n## Goals\n\n- a\n\n```\n# not a heading\n```\n\n> ## quoted\n\n### Sub\n";
        let a = authored(text);
        assert_eq!(&text[a.preamble.clone()], "Intro.\n\n");
        let keys: Vec<_> = a
            .sections
            .iter()
            .map(|s| (s.level, s.key.as_str()))
            .collect();
        assert_eq!(keys, [(2, "goals"), (3, "sub")]);
        assert!(text[a.sections[0].body.clone()].contains("# not a heading"));
        assert!(text[a.sections[0].body.clone()].contains("> ## quoted"));
        assert!(!a.sections[1].has_body);
    }

    #[test]
    fn a_heading_owns_its_indentation() {
        // A setext heading starts, for pulldown-cmark, after its indentation.
        let text = "## Goals\n indented\n-\n\n  ## Two\n";
        let a = authored(text);
        assert_eq!(&text[a.sections[1].heading.clone()], " indented\n-\n");
        assert!(!a.sections[0].has_body);
        assert_eq!(&text[a.sections[0].body.clone()], "");
        assert!(text[a.sections[2].heading.clone()].starts_with("  ## Two"));
    }
}
