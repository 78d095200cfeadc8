//! Sections of a design doc, and how the author's sections merge into the skeleton's.
//!
//! Both sides are flat lists of sections in document order, each with its heading level: the
//! tree is implied by the levels. Authored sections keep byte ranges into the chapter, so the
//! merged document copies the author's bytes rather than re-rendering them.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::approvals;

mod balance;

pub(crate) use balance::text_unbalanced;
pub use balance::{Imbalance, Unbalanced};

use balance::{Recorder, Trace};

/// The text used to match headings: placeholders and leading numbering (`3.1`, `2.`) removed,
/// lower-cased, white space collapsed, trailing `:` dropped.
pub fn heading_key(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        plain.push_str(&rest[..open]);
        match rest[open..].find("}}") {
            Some(close) => rest = &rest[open + close + 2..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    plain.push_str(rest);
    let trimmed = plain.trim_start();
    let numbering = trimmed
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(trimmed.len());
    let unnumbered =
        if numbering > 0 && trimmed[..numbering].starts_with(|c: char| c.is_ascii_digit()) {
            &trimmed[numbering..]
        } else {
            trimmed
        };
    unnumbered
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(':')
        .trim_end()
        .to_lowercase()
}

/// What two headings are matched by: the [`heading_key`] with `&` read as `and` and only
/// letters and digits kept, so `Non Goals`, `Non-Goals` and `non_goals`, or `Approvals &
/// Sign-off` and `Approvals and sign off`, are the same heading.
pub fn match_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c == '&' {
            out.push_str("and");
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
    /// True when the body holds more than white space.
    pub has_body: bool,
}

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
                has_body: !content[body.clone()].trim().is_empty(),
                heading,
                body,
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

/// A skeleton section as merging sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkeletonHeading<'a> {
    /// Heading level.
    pub level: u8,
    /// Match key.
    pub key: &'a str,
}

/// Where each authored section goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merge {
    /// For each skeleton section, the authored section that fills it. Never the title: see
    /// [`Merge::title`].
    pub filled_by: Vec<Option<usize>>,
    /// The authored H1 taken as the doc's title: its heading is shown instead of the
    /// skeleton's, and its body goes under the title block, after the preamble. The title's
    /// metadata always stays.
    pub title: Option<usize>,
    /// For each skeleton section, the unmatched authored sections written under the one
    /// placed there: right after that section's body, before its skeleton sub-sections.
    pub inner: Vec<Vec<usize>>,
    /// For each skeleton section, the unmatched authored sections placed right after its
    /// subtree, in the order written.
    pub followers: Vec<Vec<usize>>,
    /// The unmatched authored sections that come before any matched one.
    pub preamble_followers: Vec<usize>,
    /// The authored text kept in place, when a block does not balance.
    pub in_place: Option<InPlace>,
    /// Skeleton leaf sections (no sub-sections; the title excluded) with authored content.
    pub filled_leaves: usize,
    /// Skeleton leaf sections.
    pub leaves: usize,
}

/// What merging needs to know besides the two outlines.
#[derive(Debug, Clone, Copy, Default)]
pub struct MergeOptions<'a> {
    /// The match keys (see [`match_key`]) an H1 written first, with no text before it, can
    /// have to be taken as the doc's title: the title's, and the whole skeleton title's as
    /// shown. Empty when no H1 can be.
    pub title_keys: &'a [String],
    /// The authored text kept in place: the sections from its first on take no part.
    pub in_place: Option<InPlace>,
}

/// Where an authored section went, for placing the one written after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Under the title block, with the preamble.
    Preamble,
    /// In skeleton section `s`'s place (the title's, for the title).
    Filled(usize),
    /// In `s`'s inner followers.
    Inner(usize),
    /// In `s`'s followers.
    After(usize),
}

/// The end (exclusive) of section `i`'s subtree: the next section at its level or above.
pub fn subtree_end(levels: &[u8], i: usize) -> usize {
    let level = levels[i];
    (i + 1..levels.len())
        .find(|&j| levels[j] <= level)
        .unwrap_or(levels.len())
}

/// The section whose subtree holds section `i` directly.
fn parent(levels: &[u8], i: usize) -> Option<usize> {
    (0..i).rev().find(|&j| levels[j] < levels[i])
}

/// Matches authored sections to skeleton sections.
///
/// An authored section fills the first unclaimed skeleton section with the same
/// [`match_key`] (any two approval sections match), looked for first inside the skeleton
/// section its authored parent fills, then anywhere. The title is never filled; an H1 written
/// first and equal to the title is taken as it (see [`MergeOptions::title_keys`]). Sections
/// that match nothing (or a key already taken) are placed by [`place_unmatched`].
pub fn merge(
    skeleton: &[SkeletonHeading<'_>],
    authored: &[AuthoredSection],
    options: MergeOptions<'_>,
) -> Merge {
    let kept = options
        .in_place
        .map_or(authored.len(), |p| p.first.min(authored.len()));
    let merged = &authored[..kept];
    let has_title = skeleton.first().is_some_and(|s| s.level == 1);
    let (filled_by, matched, title) = match_sections(skeleton, merged, has_title, options);

    let levels: Vec<u8> = skeleton.iter().map(|s| s.level).collect();
    let mut inner = vec![Vec::new(); skeleton.len()];
    let mut followers = vec![Vec::new(); skeleton.len()];
    let mut preamble_followers = Vec::new();
    let mut before: Option<(Place, u8)> = None;
    for (a, section) in merged.iter().enumerate() {
        let place = match matched[a] {
            Some(j) => Place::Filled(j),
            None => place_unmatched(&levels, section.level, before),
        };
        match place {
            Place::Preamble => preamble_followers.push(a),
            Place::Inner(s) => inner[s].push(a),
            Place::After(s) => followers[s].push(a),
            Place::Filled(_) => {}
        }
        before = Some((place, section.level));
    }

    let first_leaf = usize::from(has_title);
    let is_leaf = |i: usize| subtree_end(&levels, i) == i + 1;
    let leaves: Vec<usize> = (first_leaf..skeleton.len())
        .filter(|&i| is_leaf(i))
        .collect();
    let filled_leaves = leaves
        .iter()
        .filter(|&&i| filled_by[i].is_some_and(|a| merged[a].has_body))
        .count();
    Merge {
        filled_by,
        title,
        inner,
        followers,
        preamble_followers,
        in_place: options.in_place,
        filled_leaves,
        leaves: leaves.len(),
    }
}

/// Skeleton section → authored section filling it; authored section → skeleton section it
/// fills (0 for the title); the authored section taken as the title.
type Matches = (Vec<Option<usize>>, Vec<Option<usize>>, Option<usize>);

fn match_sections(
    skeleton: &[SkeletonHeading<'_>],
    merged: &[AuthoredSection],
    has_title: bool,
    options: MergeOptions<'_>,
) -> Matches {
    let levels: Vec<u8> = skeleton.iter().map(|s| s.level).collect();
    let keys: Vec<String> = skeleton.iter().map(|s| match_key(s.key)).collect();
    let approval: Vec<bool> = skeleton
        .iter()
        .map(|s| approvals::is_approval_section(s.key))
        .collect();
    let first = usize::from(has_title);
    let mut filled_by = vec![None; skeleton.len()];
    let mut matched: Vec<Option<usize>> = vec![None; merged.len()];
    let mut title = None;
    // The authored ancestors of the current section: (level, skeleton section it fills).
    let mut stack: Vec<(u8, Option<usize>)> = Vec::new();
    for (a, section) in merged.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|(level, _)| *level >= section.level)
        {
            stack.pop();
        }
        let key = match_key(&section.key);
        let is_approval = approvals::is_approval_section(&section.key);
        let found =
            if a == 0 && has_title && section.level == 1 && options.title_keys.contains(&key) {
                title = Some(a);
                Some(0)
            } else if key.is_empty() {
                None
            } else {
                let free = |j: &usize| {
                    filled_by[*j].is_none() && (keys[*j] == key || approval[*j] && is_approval)
                };
                let scope = stack.iter().rev().find_map(|(_, s)| *s);
                scope
                    .and_then(|p| (p + 1..subtree_end(&levels, p)).find(free))
                    .or_else(|| (first..skeleton.len()).find(free))
            };
        if let Some(j) = found.filter(|_| title != Some(a)) {
            filled_by[j] = Some(a);
        }
        matched[a] = found;
        stack.push((section.level, found));
    }
    (filled_by, matched, title)
}

/// Where an unmatched section of level `level` goes, from where the section written before it
/// went and that section's level.
///
/// It stays with the text it was written under. Deeper than the section before it, and than
/// the skeleton section that one is in, it follows it right there (an unmatched `### Why a
/// queue` written under *Proposed Solution* comes right after that section's body, before
/// its skeleton sub-sections). Otherwise it is lifted out of the skeleton sections as deep as
/// or deeper than itself and placed after that subtree, so that the outline stays sound: a
/// `## Team` written after `### Goals` lands after all of *Overview*, not inside it.
fn place_unmatched(levels: &[u8], level: u8, before: Option<(Place, u8)>) -> Place {
    let Some((place, before_level)) = before else {
        return Place::Preamble;
    };
    let deeper = level > before_level;
    match place {
        Place::Preamble => Place::Preamble,
        Place::Filled(s) if deeper && level > levels[s] => Place::Inner(s),
        Place::Inner(s) if level > levels[s] => Place::Inner(s),
        Place::After(s) if deeper => Place::After(s),
        Place::Filled(s) | Place::Inner(s) | Place::After(s) => {
            let mut at = s;
            while let Some(up) = parent(levels, at).filter(|&up| levels[up] >= level) {
                at = up;
            }
            Place::After(at)
        }
    }
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

    fn authored(text: &str) -> Authored {
        parse_authored(text, 0, crate::config::MarkdownFlavor::default().options())
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

    fn skel<'a>(items: &[(u8, &'a str)]) -> Vec<SkeletonHeading<'a>> {
        items
            .iter()
            .map(|&(level, key)| SkeletonHeading { level, key })
            .collect()
    }

    #[test]
    fn fills_nested_sections_and_keeps_unmatched_after_their_predecessor() {
        let s = skel(&[
            (1, "title"),
            (2, "overview"),
            (3, "problem statement"),
            (3, "goals"),
            (2, "api"),
            (3, "endpoints"),
        ]);
        let a = authored(
            "### Goals\n\nx\n\n## Team\n\ny\n\n#### Notes\n\nn\n\n#### Endpoints\n\nz\n\n### Goals\n\ndup\n",
        );
        let m = merge(&s, &a.sections, MergeOptions::default());
        assert_eq!(m.filled_by, [None, None, None, Some(0), None, Some(3)]);
        // Team (level 2), written after Goals, goes after all of Overview; Notes stays with it.
        assert_eq!(m.followers[1], [1, 2]);
        // The second Goals (level 3) follows Endpoints.
        assert_eq!(m.followers[5], [4]);
        assert_eq!((m.filled_leaves, m.leaves), (2, 3));
    }

    #[test]
    fn a_parent_scopes_its_children() {
        let s = skel(&[
            (2, "deployment"),
            (3, "rollback plan"),
            (2, "migration"),
            (3, "rollback plan"),
        ]);
        let a = authored("## Migration\n\n### Rollback plan\n\nundo\n");
        let m = merge(&s, &a.sections, MergeOptions::default());
        assert_eq!(m.filled_by, [None, None, Some(0), Some(1)]);
    }

    #[test]
    fn empty_bodies_do_not_count_as_filled() {
        let s = skel(&[(2, "goals")]);
        let a = authored("## Goals\n\n");
        let m = merge(&s, &a.sections, MergeOptions::default());
        assert_eq!(m.filled_by, [Some(0)]);
        assert_eq!((m.filled_leaves, m.leaves), (0, 1));
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
    fn unmatched_sub_sections_stay_under_the_section_they_were_written_under() {
        let s = skel(&[
            (1, "title"),
            (2, "proposed solution"),
            (3, "architecture overview"),
            (3, "out of scope"),
            (2, "open questions"),
        ]);
        let a = authored(
            "## Proposed Solution\n\nq\n\n### Why a queue\n\nw\n\n#### Numbers\n\nn\n\n### Why not Kafka\n\nk\n\n## Team\n\nt\n",
        );
        let m = merge(&s, &a.sections, MergeOptions::default());
        assert_eq!(m.filled_by[1], Some(0));
        // Right after Proposed Solution's body, before its skeleton sub-sections.
        assert_eq!(m.inner[1], [1, 2, 3]);
        // A sibling of Proposed Solution goes after its whole subtree.
        assert_eq!(m.followers[1], [4]);
    }

    #[test]
    fn the_title_is_never_filled_but_an_h1_equal_to_it_is_taken_as_it() {
        let s = skel(&[(1, "technical design"), (2, "goals")]);
        let a = authored("# Technical Design\n\nx\n\n## Goals\n\ng\n");
        let m = merge(&s, &a.sections, MergeOptions::default());
        assert_eq!((m.title, m.filled_by.clone()), (None, vec![None, Some(1)]));
        assert_eq!(m.preamble_followers, [0]);
        let keys = ["payments".to_owned()];
        let a = authored("# Payments\n\nx\n\n## Background\n\nb\n\n## Goals\n\ng\n");
        let options = MergeOptions {
            title_keys: &keys,
            in_place: None,
        };
        let m = merge(&s, &a.sections, options);
        assert_eq!(
            (m.title, m.filled_by.clone()),
            (Some(0), vec![None, Some(2)])
        );
        // Written under the title's H1: right under the title block.
        assert_eq!(m.inner[0], [1]);
        // Only the first section can be the title.
        let a = authored("## Goals\n\ng\n\n# Payments\n\nx\n");
        assert_eq!(merge(&s, &a.sections, options).title, None);
    }

    #[test]
    fn any_two_approval_sections_match() {
        let s = skel(&[(2, "goals"), (2, "approval")]);
        let a = authored("## Sign-off\n\n| Role | Name | Date |\n");
        assert_eq!(
            merge(&s, &a.sections, MergeOptions::default()).filled_by,
            [None, Some(0)]
        );
    }

    #[test]
    fn sections_kept_in_place_take_no_part() {
        let s = skel(&[(2, "goals"), (2, "approval")]);
        let a = authored("## Goals\n\ng\n\n## Approval\n\n```\n");
        let u = a
            .first_unbalanced("## Goals\n\ng\n\n## Approval\n\n```\n", Options::empty())
            .unwrap();
        assert_eq!((u.section, u.kind.clone()), (Some(1), Imbalance::Fence));
        let options = MergeOptions {
            title_keys: &[],
            in_place: Some(a.in_place(&u)),
        };
        let m = merge(&s, &a.sections, options);
        assert_eq!(m.filled_by, [Some(0), None]);
        assert_eq!(
            m.in_place.map(|p| (p.start, p.first, p.preamble)),
            Some((13, 1, false))
        );
    }

    #[test]
    fn unmatched_first_sections_follow_the_preamble() {
        let a = authored("## Background\n\ntext\n");
        let m = merge(&skel(&[(2, "goals")]), &a.sections, MergeOptions::default());
        assert_eq!(m.preamble_followers, [0]);
    }
}
