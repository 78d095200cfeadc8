//! Sections of a design doc, and how the author's sections merge into the skeleton's.
//!
//! Both sides are flat lists of sections in document order, each with its heading level: the
//! tree is implied by the levels. Authored sections keep byte ranges into the chapter, so the
//! merged document copies the author's bytes rather than re-rendering them.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

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
    /// The sections, in document order.
    pub sections: Vec<AuthoredSection>,
}

/// Splits `content[start..]` into a preamble and sections at every top-level heading
/// (headings inside block quotes or lists belong to the body they are in).
pub fn parse_authored(content: &str, start: usize, options: Options) -> Authored {
    let text = content.get(start..).unwrap_or_default();
    let mut headings: Vec<(u8, Range<usize>, String)> = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(u8, Range<usize>, String)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 => {
                current = Some((
                    level as u8,
                    range.start + start..range.end + start,
                    String::new(),
                ));
                depth += 1;
            }
            Event::End(TagEnd::Heading(_)) if depth == 1 && current.is_some() => {
                headings.extend(current.take());
                depth -= 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, heading_text)) = current.as_mut() {
                    heading_text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    let end = content.len();
    let preamble_end = headings.first().map_or(end, |(_, r, _)| r.start);
    let mut sections = Vec::with_capacity(headings.len());
    for (i, (level, range, text)) in headings.iter().enumerate() {
        let body_end = headings.get(i + 1).map_or(end, |(_, r, _)| r.start);
        let body = range.end.min(body_end)..body_end;
        sections.push(AuthoredSection {
            level: *level,
            key: heading_key(text),
            has_body: !content[body.clone()].trim().is_empty(),
            heading: range.clone(),
            body,
        });
    }
    Authored {
        preamble: start.min(preamble_end)..preamble_end,
        sections,
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
    /// For each skeleton section, the authored section that fills it.
    pub filled_by: Vec<Option<usize>>,
    /// For each authored section, the unmatched authored sections that follow it, in order.
    pub followers: Vec<Vec<usize>>,
    /// The unmatched authored sections that come before any matched one.
    pub preamble_followers: Vec<usize>,
    /// Skeleton leaf sections (no sub-sections; the title excluded) with authored content.
    pub filled_leaves: usize,
    /// Skeleton leaf sections.
    pub leaves: usize,
}

/// The end (exclusive) of section `i`'s subtree: the next section at its level or above.
pub fn subtree_end(levels: &[u8], i: usize) -> usize {
    let level = levels[i];
    (i + 1..levels.len())
        .find(|&j| levels[j] <= level)
        .unwrap_or(levels.len())
}

/// Matches authored sections to skeleton sections.
///
/// An authored section fills the first unclaimed skeleton section with the same key, looked
/// for first inside the skeleton section its authored parent fills, then anywhere. Sections
/// that match nothing (or a key already taken) follow the authored section before them.
pub fn merge(skeleton: &[SkeletonHeading<'_>], authored: &[AuthoredSection]) -> Merge {
    let levels: Vec<u8> = skeleton.iter().map(|s| s.level).collect();
    let mut filled_by = vec![None; skeleton.len()];
    let mut matched: Vec<Option<usize>> = vec![None; authored.len()];
    // The authored ancestors of the current section: (level, skeleton section it fills).
    let mut stack: Vec<(u8, Option<usize>)> = Vec::new();
    for (a, section) in authored.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|(level, _)| *level >= section.level)
        {
            stack.pop();
        }
        let scope = stack.iter().rev().find_map(|(_, s)| *s);
        let free = |j: &usize| filled_by[*j].is_none() && skeleton[*j].key == section.key;
        let found = if section.key.is_empty() {
            None
        } else {
            scope
                .and_then(|p| (p + 1..subtree_end(&levels, p)).find(free))
                .or_else(|| (0..skeleton.len()).find(free))
        };
        if let Some(j) = found {
            filled_by[j] = Some(a);
            matched[a] = Some(j);
        }
        stack.push((section.level, found));
    }

    let mut followers = vec![Vec::new(); authored.len()];
    let mut preamble_followers = Vec::new();
    for a in (0..authored.len()).filter(|&a| matched[a].is_none()) {
        match a.checked_sub(1) {
            Some(prev) => followers[prev].push(a),
            None => preamble_followers.push(a),
        }
    }

    let title = usize::from(skeleton.first().is_some_and(|s| s.level == 1));
    let is_leaf = |i: usize| subtree_end(&levels, i) == i + 1;
    let leaves: Vec<usize> = (title..skeleton.len()).filter(|&i| is_leaf(i)).collect();
    let filled_leaves = leaves
        .iter()
        .filter(|&&i| filled_by[i].is_some_and(|a| authored[a].has_body))
        .count();
    Merge {
        filled_by,
        followers,
        preamble_followers,
        filled_leaves,
        leaves: leaves.len(),
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
        let a =
            authored("### Goals\n\nx\n\n## Team\n\ny\n\n#### Endpoints\n\nz\n\n## Goals\n\ndup\n");
        let m = merge(&s, &a.sections);
        assert_eq!(m.filled_by, [None, None, None, Some(0), None, Some(2)]);
        assert_eq!(m.followers[0], [1]); // Team follows Goals.
        assert_eq!(m.followers[2], [3]); // The second Goals follows Endpoints.
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
        let m = merge(&s, &a.sections);
        assert_eq!(m.filled_by, [None, None, Some(0), Some(1)]);
    }

    #[test]
    fn empty_bodies_do_not_count_as_filled() {
        let s = skel(&[(2, "goals")]);
        let a = authored("## Goals\n\n");
        let m = merge(&s, &a.sections);
        assert_eq!(m.filled_by, [Some(0)]);
        assert_eq!((m.filled_leaves, m.leaves), (0, 1));
    }

    #[test]
    fn unmatched_first_sections_follow_the_preamble() {
        let a = authored("## Background\n\ntext\n");
        let m = merge(&skel(&[(2, "goals")]), &a.sections);
        assert_eq!(m.preamble_followers, [0]);
    }
}
