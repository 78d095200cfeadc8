//! "Did you mean ...?": the known name a misspelt one was probably meant to be. One rule for
//! every name a finding suggests (templates, attributes, index options, statuses, settings
//! keys), so a typo is caught the same way wherever it is made.

/// The known name closest to `wrong`, when it is close enough to be a typo: at most two
/// edits, or a third of the known name's length in characters. Case is ignored, so `TDD`
/// finds `tdd` and `Titel` finds `title`. Of names equally close, the first in sort order.
pub fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong = wrong.to_lowercase();
    known
        .into_iter()
        .map(|k| (edit_distance(&wrong, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
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
