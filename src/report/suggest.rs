//! "Did you mean ...?": the known name a misspelt one was probably meant to be. One rule for
//! every name a finding suggests (templates, attributes, index options, statuses, settings
//! keys), so a typo is caught the same way wherever it is made.

/// The known name closest to `wrong`, when it is close enough to be a typo: at most two
/// edits, or a third of the known name's length in characters. Case is ignored, so `TDD`
/// finds `tdd` and `Titel` finds `title`. Of names equally close, the first in sort order.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong = wrong.to_lowercase();
    // One lowercased copy for every ASCII name, and each distance only as far as its bound:
    // an unknown status in every doc of a book looks through every status and alias.
    let mut lower = String::new();
    known
        .into_iter()
        .filter_map(|k| {
            let bound = 2.max(k.chars().count() / 3);
            let d = if k.is_ascii() {
                lower.clear();
                lower.extend(k.chars().map(|c| c.to_ascii_lowercase()));
                edit_distance_within(&wrong, &lower, bound)
            } else {
                edit_distance_within(&wrong, &k.to_lowercase(), bound)
            };
            d.map(|d| (d, k))
        })
        .min()
        .map(|(_, k)| k)
}

/// ``did you mean `x`? `` (with a trailing space, to start a help text) when `wrong` is a
/// likely typo of one of `known`, else nothing.
pub fn did_you_mean<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(wrong, known).map_or_else(String::new, |k| format!("did you mean `{k}`? "))
}

/// Levenshtein distance over characters (not bytes, so `é` is one edit).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

/// [`edit_distance`] when it is at most `bound`, else `None`, found in time that grows with
/// the bound rather than only with the lengths: a search for the closest of many names rules
/// most of them out after a row or two.
pub fn edit_distance_within(a: &str, b: &str, bound: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        return within(a.as_bytes(), b.as_bytes(), bound);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within(&a, &b, bound)
}

/// How many of each kind of character a name has: a cheap lower bound on the edit distance
/// between two names (see [`Profile::lower_bound`]), to rule most names out of a search
/// before computing any distance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile([u16; 32]);

impl Profile {
    /// The profile of `name`. Letters have a count each (case folded); digits share a few,
    /// and every other character shares the last.
    pub fn of(name: &str) -> Profile {
        let mut counts = [0u16; 32];
        for c in name.chars() {
            let kind = match c.to_ascii_lowercase() {
                c @ 'a'..='z' => c as usize - 'a' as usize,
                c @ '0'..='9' => 26 + (c as usize - '0' as usize) % 5,
                _ => 31,
            };
            counts[kind] = counts[kind].saturating_add(1);
        }
        Profile(counts)
    }

    /// At most the edit distance between the two names: an edit adds or removes at most one
    /// character of each side's surplus, so the distance is at least either surplus.
    pub fn lower_bound(&self, other: &Profile) -> usize {
        // Without a branch per count, so the loop runs on whole vectors of counts.
        let (mut more, mut fewer) = (0u32, 0u32);
        for (&a, &b) in self.0.iter().zip(&other.0) {
            more += u32::from(a.saturating_sub(b));
            fewer += u32::from(b.saturating_sub(a));
        }
        more.max(fewer) as usize
    }
}

fn within<T: PartialEq>(a: &[T], b: &[T], bound: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    // Each character one has and the other lacks is an edit.
    if n.abs_diff(m) > bound {
        return None;
    }
    if n == 0 || m == 0 {
        return Some(n.max(m));
    }
    // One row of the distance table, every value capped at `cap` (more than `bound`: all such
    // values are alike here). A cell more than `bound` off the diagonal is at least that far,
    // so only the band around it is computed; the row lives on the stack for short names.
    let cap = bound + 1;
    let mut stack = [0usize; 64];
    let mut heap = Vec::new();
    let row: &mut [usize] = if m < stack.len() {
        &mut stack[..=m]
    } else {
        heap.resize(m + 1, 0);
        &mut heap
    };
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j.min(cap);
    }
    for (i, ca) in (1usize..).zip(a) {
        let lo = i.saturating_sub(bound).max(1);
        let hi = (i + bound).min(m);
        let mut diag = row[lo - 1];
        let mut left = if lo == 1 { i.min(cap) } else { cap };
        if lo == 1 {
            row[0] = left;
        }
        let mut least = left;
        for j in lo..=hi {
            let up = row[j];
            let here = if *ca == b[j - 1] {
                diag
            } else {
                1 + diag.min(up).min(left)
            }
            .min(cap);
            row[j] = here;
            diag = up;
            left = here;
            least = least.min(here);
        }
        // The distance is at least the least of any row: no alignment gets cheaper later.
        if least > bound {
            return None;
        }
    }
    Some(row[m]).filter(|&d| d <= bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_the_known_name() {
        assert_eq!(closest("tddd", ["tdd", "trd", "design"]), Some("tdd"));
        assert_eq!(closest("stirct", ["strict", "lifecycle"]), Some("strict"));
        assert_eq!(closest("Aproved", ["Draft", "Approved"]), Some("Approved"));
    }

    #[test]
    fn case_is_ignored() {
        assert_eq!(closest("TDD", ["design", "tdd"]), Some("tdd"));
        assert_eq!(closest("Titel", ["title", "date"]), Some("title"));
        assert_eq!(
            closest("in review", ["Draft", "In Review"]),
            Some("In Review")
        );
    }

    #[test]
    fn nothing_is_suggested_when_too_far() {
        assert_eq!(closest("zzzzzz", ["tdd", "trd"]), None);
        assert_eq!(closest("colour", ["status", "template", "sort"]), None);
        assert_eq!(closest("x", Vec::<&str>::new()), None);
        assert_eq!(did_you_mean("zzzzzz", ["tdd"]), "");
    }

    #[test]
    fn did_you_mean_starts_a_help() {
        assert_eq!(did_you_mean("TDD", ["tdd"]), "did you mean `tdd`? ");
    }

    /// Words the distance tests compare pairwise: empty, short, accented, near misses.
    const WORDS: [&str; 15] = [
        "",
        "a",
        "ab",
        "abc",
        "kitten",
        "sitting",
        "non goals",
        "nongoals",
        "é",
        "e",
        "ée",
        "security considerations",
        "securityconsideration",
        "rollbackplan",
        "background",
    ];

    #[test]
    fn a_bounded_distance_is_the_distance_or_nothing() {
        for a in WORDS {
            for b in WORDS {
                let d = edit_distance(a, b);
                for bound in 0..8 {
                    let expected = (d <= bound).then_some(d);
                    assert_eq!(
                        edit_distance_within(a, b, bound),
                        expected,
                        "{a:?} {b:?} {bound}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_profile_never_overstates_the_distance() {
        let more = ["A1", "a6", "x99", "ÉÉ"];
        let words: Vec<&str> = WORDS.iter().chain(&more).copied().collect();
        for &a in &words {
            for &b in &words {
                let bound = Profile::of(a).lower_bound(&Profile::of(b));
                assert!(bound <= edit_distance(a, b), "{a:?} {b:?}");
            }
        }
        assert_eq!(
            Profile::of("background").lower_bound(&Profile::of("background")),
            0
        );
        assert_eq!(Profile::of("abc").lower_bound(&Profile::of("xyz")), 3);
    }

    #[test]
    fn distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
        // A long name allows more edits: a third of its length.
        assert_eq!(
            closest("superseded-bye-x", ["superseded-by"]),
            Some("superseded-by")
        );
    }
}
