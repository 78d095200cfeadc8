//! The index's sort, as a property: large random books (hundreds of docs with numbers like
//! `9a`, `TRD-007` or 30 digits, titles, dates and statuses that may be empty, invalid or
//! odd) sorted by every key, ascending and descending. The result is a permutation of the
//! selected docs, in an order every pair agrees with, docs without a value last, ties in
//! SUMMARY order, and each key means what the README says. Issue 12's defect 1 (a number
//! comparison that was not a total order, which made the sort panic) is one case of this.

use proptest::prelude::*;

use mdbook_trd::model::date::Date;
use mdbook_trd::model::doc::{Approvals, DesignDoc, Field, Metadata};
use mdbook_trd::model::status::Lifecycle;
use mdbook_trd::render::index::{self, Book, IndexOptions, SortKey};
use mdbook_trd::render::mode::RenderMode;

const KEYS: [SortKey; 5] = [
    SortKey::Summary,
    SortKey::Number,
    SortKey::Title,
    SortKey::Status,
    SortKey::Date,
];

/// One random doc's values; `None` is a value not given.
#[derive(Debug, Clone)]
struct Values {
    number: Option<String>,
    title: String,
    status: String,
    date: Option<String>,
    updated: Option<String>,
}

fn number() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        "[0-9]{1,3}".prop_map(Some),
        "[0-9]{1,2}[a-cA]".prop_map(Some),
        "(TRD|RFC|trd)-0{0,2}[0-9]{1,2}".prop_map(Some),
        "[0-9]{20,30}".prop_map(Some),
        "0{1,3}[0-9]?".prop_map(Some),
        "-?[0-9]\\.[0-9]{1,2}".prop_map(Some),
        "[a-z]{1,4}".prop_map(Some),
        "\\PC{1,6}".prop_map(Some),
    ]
}

fn date() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        (2020u16..2030, 1u8..=12, 1u8..=31)
            .prop_map(|(y, m, d)| Some(format!("{y:04}-{m:02}-{d:02}"))),
        "20[0-9]{2}-[0-9]{1,2}-[0-9]{1,2}".prop_map(Some),
        Just(Some("2026-13-45".to_owned())),
        Just(Some("2024-02-29".to_owned())),
        "\\PC{1,10}".prop_map(Some),
    ]
}

fn status() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Draft",
            "In Review",
            "Approved",
            "In Progress",
            "Implemented",
            "Complete",
            "Superseded",
            "Deprecated",
            "Rejected",
        ])
        .prop_map(str::to_owned),
        "\\PC{0,8}",
    ]
}

fn values() -> impl Strategy<Value = Values> {
    (
        number(),
        prop_oneof!["[a-zA-Z ]{0,12}", "Phase [0-9]{1,2}[ab]?", "\\PC{0,10}"],
        status(),
        date(),
        date(),
    )
        .prop_map(|(number, title, status, date, updated)| Values {
            number,
            title,
            status,
            date,
            updated,
        })
}

/// The docs of a book, `line` holding each one's SUMMARY position so the test can tell them
/// apart.
fn book(values: &[Values]) -> Vec<DesignDoc> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut metadata = Metadata::default();
            for (field, value) in [
                (Field::Number, &v.number),
                (Field::Date, &v.date),
                (Field::Updated, &v.updated),
            ] {
                if let Some(value) = value {
                    metadata.set(field, value.clone());
                }
            }
            DesignDoc {
                template: if i % 3 == 0 { "tdd" } else { "trd" }.into(),
                metadata,
                title: v.title.clone(),
                status: v.status.clone(),
                status_known: true,
                filled_sections: i % 7,
                total_sections: 7,
                path: None,
                source_path: None,
                line: i,
                positions: vec![],
                approvals: Approvals::default(),
            }
        })
        .collect()
}

/// Whether the key has a value for `doc`, worked out here from the README's words rather
/// than from the index's code: a number or title that is not blank, a status of the
/// lifecycle, a date (last updated, else created) that is a calendar date.
fn has_value(doc: &DesignDoc, key: SortKey, lifecycle: &Lifecycle) -> bool {
    match key {
        SortKey::Summary => true,
        SortKey::Number => doc
            .metadata
            .get(Field::Number)
            .is_some_and(|n| !n.trim().is_empty()),
        SortKey::Title => !doc.title.trim().is_empty(),
        SortKey::Status => lifecycle.resolve(&doc.status).is_some(),
        SortKey::Date => doc.last_date().is_some_and(|d| Date::parse(d).is_ok()),
    }
}

/// For docs of one kind the order is known without the index's rules: plain digits by value,
/// calendar dates as text, titles of letters and spaces case-insensitively, statuses by their
/// lifecycle position. `None` when `a` and `b` are not both of such a kind.
fn expected(
    a: &DesignDoc,
    b: &DesignDoc,
    key: SortKey,
    lifecycle: &Lifecycle,
) -> Option<std::cmp::Ordering> {
    match key {
        SortKey::Summary => Some(a.line.cmp(&b.line)),
        SortKey::Number => {
            let value = |d: &DesignDoc| {
                let n = d.metadata.get(Field::Number)?;
                let digits = n.trim_start_matches('0');
                (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| (digits.len(), digits.to_owned()))
            };
            Some(value(a)?.cmp(&value(b)?))
        }
        SortKey::Title => {
            let plain = |d: &DesignDoc| {
                let t = d.title.trim();
                (!t.is_empty() && t.chars().all(|c| c.is_ascii_alphabetic() || c == ' '))
                    .then(|| t.to_lowercase())
            };
            Some(plain(a)?.cmp(&plain(b)?))
        }
        SortKey::Status => {
            let order = |d: &DesignDoc| lifecycle.resolve(&d.status).map(|s| s.order);
            Some(order(a)?.cmp(&order(b)?)).filter(|o| o.is_ne())
        }
        SortKey::Date => {
            let date = |d: &DesignDoc| {
                let text = d.last_date()?;
                Date::parse(text).ok().map(|_| text.to_owned())
            };
            Some(date(a)?.cmp(&date(b)?))
        }
    }
}

/// Every property of one sorted index.
fn check_sorted(
    docs: &[DesignDoc],
    lifecycle: &Lifecycle,
    key: SortKey,
    descending: bool,
    pairs: &[(usize, usize, usize)],
) -> Result<(), TestCaseError> {
    let book = Book {
        docs,
        lifecycle,
        mode: RenderMode::Html,
    };
    let options = IndexOptions {
        sort: key,
        descending,
        ..IndexOptions::default()
    };
    let order: Vec<usize> = index::select(&book, &options)
        .iter()
        .map(|d| d.line)
        .collect();
    let what = format!("{key:?}, descending {descending}");

    // A permutation of the docs.
    let mut seen = order.clone();
    seen.sort_unstable();
    prop_assert_eq!(seen, (0..docs.len()).collect::<Vec<_>>(), "{}", what);

    // Neighbours in order; equal ones in SUMMARY order.
    for w in order.windows(2) {
        let o = index::compare(&book, w[0], w[1], key, descending);
        prop_assert!(
            o.is_le(),
            "{}: {:?} before {:?}",
            what,
            docs[w[0]],
            docs[w[1]]
        );
        if o.is_eq() {
            prop_assert!(w[0] < w[1], "{}: a tie out of SUMMARY order", what);
        }
    }

    // Any two in order, and the comparison a total order: antisymmetric and transitive.
    let at: Vec<usize> = {
        let mut at = vec![0; docs.len()];
        for (place, &doc) in order.iter().enumerate() {
            at[doc] = place;
        }
        at
    };
    for &(a, b, c) in pairs {
        let (a, b, c) = (a % docs.len(), b % docs.len(), c % docs.len());
        let ab = index::compare(&book, a, b, key, descending);
        prop_assert_eq!(ab, index::compare(&book, b, a, key, descending).reverse());
        if ab.is_lt() {
            prop_assert!(at[a] < at[b], "{}: {} sorted after {}", what, a, b);
        }
        let bc = index::compare(&book, b, c, key, descending);
        if ab.is_le() && bc.is_le() {
            let ac = index::compare(&book, a, c, key, descending);
            prop_assert!(
                ac.is_le(),
                "{}: not transitive: {:?}",
                what,
                (&docs[a], &docs[b], &docs[c])
            );
        }
        // What each key means, where the order is known without the index's rules.
        if let Some(o) = expected(&docs[a], &docs[b], key, lifecycle) {
            let o = if descending { o.reverse() } else { o };
            if o.is_ne() {
                prop_assert_eq!(ab, o, "{}: {:?} and {:?}", what, docs[a], docs[b]);
            }
        }
    }

    // Docs without a value after every doc with one, whichever the direction.
    let first_empty = order
        .iter()
        .position(|&d| !has_value(&docs[d], key, lifecycle))
        .unwrap_or(order.len());
    prop_assert!(
        order[first_empty..]
            .iter()
            .all(|&d| !has_value(&docs[d], key, lifecycle)),
        "{}: a doc with a value after one without",
        what
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_key_sorts_large_books_in_a_total_order(
        values in prop::collection::vec(values(), 100..400),
        pairs in prop::collection::vec((any::<usize>(), any::<usize>(), any::<usize>()), 300),
    ) {
        let docs = book(&values);
        let lifecycle = Lifecycle::default();
        for key in KEYS {
            for descending in [false, true] {
                check_sorted(&docs, &lifecycle, key, descending, &pairs)?;
            }
        }
        // The whole table renders for every key too (grouped, HTML), without a panic.
        let book = Book { docs: &docs, lifecycle: &lifecycle, mode: RenderMode::Html };
        for key in KEYS {
            let options = IndexOptions {
                sort: key,
                descending: true,
                group_by: Some(index::GroupBy::Status),
                ..IndexOptions::default()
            };
            let out = index::render(&book, &options, None);
            let head = format!("**{} design docs:**", docs.len());
            prop_assert!(out.starts_with(&head), "{}", out);
        }
    }
}

/// Issue 12's repro: the 21 numbers that made the sort panic, in the issue's order.
#[test]
fn the_issue_numbers_sort() {
    let values: Vec<Values> =
        "17 9a 22a 9 2 35a 34 30 25 32a 28a 12a 20 15 2a 10 17a 38a 29a 36a 1"
            .split(' ')
            .map(|n| Values {
                number: Some(n.into()),
                title: n.into(),
                status: "Draft".into(),
                date: None,
                updated: None,
            })
            .collect();
    let docs = book(&values);
    let lifecycle = Lifecycle::default();
    for descending in [false, true] {
        let pairs: Vec<(usize, usize, usize)> = (0..21)
            .flat_map(|a| (0..21).flat_map(move |b| (0..21).map(move |c| (a, b, c))))
            .collect();
        check_sorted(&docs, &lifecycle, SortKey::Number, descending, &pairs)
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
