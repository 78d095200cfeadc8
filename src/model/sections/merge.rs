//! Where each authored section goes in the skeleton: the section it fills, or the place it is
//! kept at when it matches none.

use crate::model::approvals;

use super::authored::InPlace;
use super::outline::{AuthoredSection, match_key, parent, subtree_end};

/// A skeleton section as merging sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkeletonHeading<'a> {
    /// Heading level.
    pub level: u8,
    /// Match key.
    pub key: &'a str,
}

/// A skeleton section with what merging compares worked out: its [`match_key`] and whether
/// it is an approval section. A template's are worked out once, when it is parsed (see
/// [`TemplateSection`](crate::model::template::TemplateSection)), not again for every doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyedHeading<'a> {
    /// Heading level.
    pub level: u8,
    /// The heading's [`match_key`].
    pub match_key: &'a str,
    /// Whether the heading names an approval section (see
    /// [`is_approval_section`](approvals::is_approval_section)).
    pub approval: bool,
    /// Whether the section's body shows the doc's own values (its metadata, as the `##
    /// Metadata` table of `trd-numbered`): not a section to write, so not counted in
    /// completeness.
    pub fields: bool,
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
    /// For each authored section merged (those kept in place excluded), the heading level the
    /// page shows it at, so that the page has one outline: a matched section takes its
    /// skeleton section's level (an author's `## Security Considerations` filling the
    /// skeleton's `### Security Considerations` would otherwise adopt the skeleton sections
    /// after it as its children), and an unmatched section keeps its depth under the section
    /// it was written under, moving by as many levels as that one did. One written under none
    /// keeps its level, but is never an H1 under a title (it would be a second title, with
    /// the skeleton's sections as its children). Placed after a skeleton subtree rather than
    /// with its parent, it is no deeper than that subtree's top. Deeper than 6 is shown as 6.
    pub shown: Vec<u8>,
    /// The authored text kept in place, when a block does not balance.
    pub in_place: Option<InPlace>,
    /// Skeleton leaf sections (no sub-sections; the title and sections showing the doc's
    /// metadata excluded: see [`KeyedHeading::fields`]) with authored content.
    pub filled_leaves: usize,
    /// Skeleton leaf sections, counted as for [`Merge::filled_leaves`].
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

/// Matches authored sections to skeleton sections.
///
/// An authored section fills the first unclaimed skeleton section with the same
/// [`match_key`] (any two approval sections match), looked for first inside the skeleton
/// section its authored parent fills, then anywhere. The title is never filled; an H1 written
/// first and equal to the title is taken as it (see [`MergeOptions::title_keys`]). Sections
/// that match nothing (or a key already taken) stay under the section they were written
/// under (`place_under`), or, written under none, after the text they follow
/// (`place_unmatched`); every section's level is worked out as it is placed
/// ([`Merge::shown`]).
pub fn merge(
    skeleton: &[SkeletonHeading<'_>],
    authored: &[AuthoredSection],
    options: MergeOptions<'_>,
) -> Merge {
    let keys: Vec<String> = skeleton.iter().map(|s| match_key(s.key)).collect();
    let keyed: Vec<KeyedHeading<'_>> = skeleton
        .iter()
        .zip(&keys)
        .map(|(s, key)| KeyedHeading {
            level: s.level,
            match_key: key,
            approval: approvals::is_approval_section(s.key),
            fields: false,
        })
        .collect();
    merge_keyed(&keyed, authored, options)
}

/// [`merge`] against a skeleton whose keys are worked out already.
pub fn merge_keyed(
    skeleton: &[KeyedHeading<'_>],
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
    // Under a title, no other heading is shown as an H1: the page has one title.
    let floor: u8 = if has_title { 2 } else { 1 };
    let (shown, places) = place_sections(&levels, merged, &matched, floor);
    let mut inner = vec![Vec::new(); skeleton.len()];
    let mut followers = vec![Vec::new(); skeleton.len()];
    let mut preamble_followers = Vec::new();
    for (a, place) in places.into_iter().enumerate() {
        match place {
            Place::Preamble => preamble_followers.push(a),
            Place::Inner(s) => inner[s].push(a),
            Place::After(s) => followers[s].push(a),
            Place::Filled(_) => {}
        }
    }

    let first_leaf = usize::from(has_title);
    let is_leaf = |i: usize| subtree_end(&levels, i) == i + 1 && !skeleton[i].fields;
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
        shown,
        in_place: options.in_place,
        filled_leaves,
        leaves: leaves.len(),
    }
}

/// Skeleton section → authored section filling it; authored section → skeleton section it
/// fills (0 for the title); the authored section taken as the title.
type Matches = (Vec<Option<usize>>, Vec<Option<usize>>, Option<usize>);

fn match_sections(
    skeleton: &[KeyedHeading<'_>],
    merged: &[AuthoredSection],
    has_title: bool,
    options: MergeOptions<'_>,
) -> Matches {
    let levels: Vec<u8> = skeleton.iter().map(|s| s.level).collect();
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
                    let s = &skeleton[*j];
                    filled_by[*j].is_none() && (s.match_key == key || s.approval && is_approval)
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

/// The level each authored section is shown at (see [`Merge::shown`]) and where it goes, in
/// the order written. A section written under no other keeps its level (never above
/// `floor`), unless that would skip a level inside the skeleton section it lands in (a
/// second `#### Goals` right under a `#### Goals` shown as an H2): then it moves as the last
/// one written at its level did, so that siblings stay siblings.
fn place_sections(
    levels: &[u8],
    merged: &[AuthoredSection],
    matched: &[Option<usize>],
    floor: u8,
) -> (Vec<u8>, Vec<Place>) {
    let parents = authored_parents(merged);
    let mut shown: Vec<u8> = Vec::with_capacity(merged.len());
    let mut places: Vec<Place> = Vec::with_capacity(merged.len());
    // For sections written under no other: how far the last one at each level moved.
    let mut root_by: [Option<i16>; 7] = [None; 7];
    let mut before: Option<(Place, u8)> = None;
    for (a, section) in merged.iter().enumerate() {
        let written = i16::from(section.level);
        let (mut level, place) = match (matched[a], parents[a]) {
            (Some(j), _) => (levels[j], Place::Filled(j)),
            (None, Some(p)) => {
                let level = shifted(
                    section.level,
                    i16::from(shown[p]) - i16::from(merged[p].level),
                );
                (level, place_under(levels, level, places[p], before))
            }
            (None, None) => {
                let at_least = |by: i16| shifted(section.level, by.max(i16::from(floor) - written));
                let level = at_least(0);
                let place = place_unmatched(levels, level, before);
                match (place, root_by[usize::from(section.level)]) {
                    (Place::Inner(s), Some(by)) if level > levels[s] + 1 => {
                        let level = at_least(by);
                        (level, place_unmatched(levels, level, before))
                    }
                    _ => (level, place),
                }
            }
        };
        if let Place::After(at) = place
            && parents[a].is_none_or(|p| places[p] != place)
        {
            // Placed after a skeleton subtree rather than with its parent: no deeper than
            // that subtree's top, which would otherwise take it as its child.
            level = level.min(levels[at]);
        }
        if parents[a].is_none() {
            root_by[usize::from(section.level)] = Some(i16::from(level) - written);
        }
        shown.push(level);
        places.push(place);
        before = Some((place, level));
    }
    (shown, places)
}

/// For each authored section, the one it was written under: the nearest before it with a
/// lower level.
pub fn authored_parents(authored: &[AuthoredSection]) -> Vec<Option<usize>> {
    let mut ancestors: Vec<usize> = Vec::new();
    authored
        .iter()
        .enumerate()
        .map(|(a, section)| {
            while ancestors
                .last()
                .is_some_and(|&p| authored[p].level >= section.level)
            {
                ancestors.pop();
            }
            let parent = ancestors.last().copied();
            ancestors.push(a);
            parent
        })
        .collect()
}

/// A heading written at `level` moved `by` levels: never above an H1, and deeper than 6 is
/// shown as an H6, which Markdown cannot go past.
pub fn shifted(level: u8, by: i16) -> u8 {
    // Within 1..=6, so the conversion cannot fail.
    u8::try_from((i16::from(level) + by).clamp(1, 6)).unwrap_or(6)
}

/// Where an unmatched section shown at `level` goes, written under an authored section that
/// went to `parent`, and right after a section that went to `before`: it stays with its
/// parent. After an unmatched parent, in the same place (it follows it there, in the order
/// written). Under a parent that fills skeleton section `s`: inside `s`'s subtree, after the
/// section written before it when that one is in there too (lifted out of the skeleton
/// sections deeper than itself, never out of `s`), else right after `s`'s body. A sibling
/// that filled a section elsewhere in the skeleton does not take it along.
fn place_under(
    levels: &[u8],
    level: u8,
    parent_place: Place,
    before: Option<(Place, u8)>,
) -> Place {
    let Place::Filled(s) = parent_place else {
        return parent_place;
    };
    let end = subtree_end(levels, s);
    let inside = |j: usize| s < j && j < end;
    match before.map(|(place, _)| place) {
        Some(Place::Filled(j) | Place::Inner(j) | Place::After(j)) if inside(j) => {
            let mut at = j;
            while let Some(up) = parent(levels, at).filter(|&up| up != s && levels[up] >= level) {
                at = up;
            }
            Place::After(at)
        }
        _ => Place::Inner(s),
    }
}

/// Where an unmatched section of level `level`, written under no other section, goes, from
/// where the section written before it went and that section's level.
///
/// It stays with the text it was written after. Deeper than the section before it, and than
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
    use crate::model::sections::balance::Imbalance;
    use pulldown_cmark::Options;

    fn authored(text: &str) -> crate::model::sections::authored::Authored {
        crate::model::sections::authored::parse_authored(
            text,
            0,
            crate::markdown::flavor::MarkdownFlavor::default().options(),
        )
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
        // Team (level 2), written after Goals, goes after all of Overview; Notes stays with
        // it, and so does the second Goals, written under Team too (Endpoints, which fills a
        // section of its own, does not take it along).
        assert_eq!(m.followers[1], [1, 2, 4]);
        assert!(m.followers[5].is_empty());
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
