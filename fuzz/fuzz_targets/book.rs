//! Whole books built from Markdown pieces that matter to mdbook-trd (directives with every
//! attribute, headings of the templates' sections, sign-off lines, fences, custom statuses in
//! book.toml), sent in both mdBook 0.4 and 0.5 shapes. Checks: never a panic; both shapes give
//! the same answer; a failed run writes nothing; a second run changes nothing.
//!
//! Books can also be large: a few bytes per doc give dozens to hundreds of design docs with
//! numbers like `9a`, `TRD-007` or `12.5`, dates real and not, known and unknown statuses, and
//! an index chapter sorting by every key both ways. Issue 12's panic (a number order that was
//! not total, found by a review, not by fuzzing) needs about twenty such docs in one index.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mdbook_trd_fuzz::{TEMPLATES, run};
use serde_json::{Value, json};

const KEYS: [&str; 18] = [
    "title",
    "author",
    "status",
    "number",
    "date",
    "updated",
    "version",
    "prd",
    "rfc",
    "adr",
    "supersedes",
    "superseded-by",
    "template",
    "sort",
    "group-by",
    "columns",
    "bogus",
    "Title",
];

const SECTIONS: [&str; 12] = [
    "Overview",
    "Goals",
    "Non-Goals",
    "Problem Statement",
    "API Design",
    "Approval",
    "Approvals",
    "Sign-off",
    "Rollback Plan",
    "3.1 Functional Requirements",
    "Open Questions",
    "Appendix",
];

#[derive(Arbitrary, Debug)]
enum Piece {
    Text(String),
    Heading {
        level: u8,
        section: u8,
    },
    FreeHeading {
        level: u8,
        text: String,
    },
    Template {
        name: u8,
        attributes: Vec<(u8, u8, String)>,
    },
    Index {
        attributes: Vec<(u8, u8, String)>,
    },
    Fence,
    SignOff {
        role: String,
        name: String,
        date: String,
    },
    Table {
        cells: Vec<String>,
    },
    Item(String),
    /// An index with a valid sort, grouping and columns.
    Sorted {
        key: u8,
        descending: bool,
        group: u8,
    },
}

/// Sort keys, as `sort="..."` takes them.
const SORTS: [&str; 5] = ["summary", "number", "title", "status", "date"];

/// The parts of a doc number: a prefix, zero padding, a value and a suffix.
const PREFIXES: [&str; 6] = ["", "", "TRD-", "trd-", "RFC ", "#"];
const SUFFIXES: [&str; 8] = ["", "", "a", "b", "A", ".5", "-1", "ä"];

/// Statuses: built-in, an alias, other case, the example's custom one, unknown.
const STATUSES: [&str; 8] = [
    "Draft",
    "in review",
    "Approved",
    "Implemented",
    "Superseded",
    "Parked",
    "Reviewing",
    "",
];

/// One doc of a large book, in six bytes.
#[derive(Arbitrary, Debug)]
struct BulkDoc {
    number: u8,
    shape: u8,
    date: u16,
    status: u8,
    title: u8,
}

/// A large book: its docs (repeated with other numbers to reach dozens from a short input)
/// and an index chapter that sorts them by every key, ascending and descending.
#[derive(Arbitrary, Debug)]
struct Bulk {
    docs: Vec<BulkDoc>,
    repeat: u8,
    html: bool,
}

#[derive(Arbitrary, Debug)]
struct ChapterInput {
    name: String,
    pieces: Vec<Piece>,
    draft: bool,
    nested: bool,
    crlf: bool,
}

#[derive(Arbitrary, Debug)]
struct BookInput {
    chapters: Vec<ChapterInput>,
    statuses: Vec<(String, String, Vec<String>)>,
    approvals: Option<Vec<String>>,
    html: bool,
    separator_every: u8,
    bulk: Option<Bulk>,
}

fn attributes(out: &mut String, attributes: &[(u8, u8, String)]) {
    for (key, quoting, value) in attributes {
        let key = KEYS[usize::from(*key) % KEYS.len()];
        match quoting % 3 {
            0 => {
                let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
                out.push_str(&format!(" {key}=\"{escaped}\""));
            }
            1 => out.push_str(&format!(" {key}='{value}'")),
            _ => out.push_str(&format!(" {key}={value}")),
        }
    }
}

fn content(pieces: &[Piece], crlf: bool) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Heading { level, section } => out.push_str(&format!(
                "{} {}",
                "#".repeat(usize::from(level % 6) + 1),
                SECTIONS[usize::from(*section) % SECTIONS.len()]
            )),
            Piece::FreeHeading { level, text } => out.push_str(&format!(
                "{} {text}",
                "#".repeat(usize::from(level % 7) + 1)
            )),
            Piece::Template {
                name,
                attributes: a,
            } => {
                out.push_str("<<#trd ");
                out.push_str(TEMPLATES[usize::from(*name) % TEMPLATES.len()]);
                attributes(&mut out, a);
                out.push_str(">>");
            }
            Piece::Index { attributes: a } => {
                out.push_str("<<#trd index");
                attributes(&mut out, a);
                out.push_str(">>");
            }
            Piece::Fence => out.push_str("```"),
            Piece::SignOff { role, name, date } => {
                out.push_str(&format!("- {role}: {name} ({date})"))
            }
            Piece::Table { cells } => {
                out.push_str("| Role | Name | Date |\n|---|---|---|\n|");
                for c in cells {
                    out.push_str(&format!(" {c} |"));
                }
            }
            Piece::Item(t) => out.push_str(&format!("- {t}")),
            Piece::Sorted {
                key,
                descending,
                group,
            } => out.push_str(&sorted_index(*key, *descending, *group)),
        }
        out.push_str("\n\n");
    }
    if crlf { out.replace('\n', "\r\n") } else { out }
}

/// `<<#trd index sort="-number" ...>>` with a valid sort and some grouping and columns.
fn sorted_index(key: u8, descending: bool, group: u8) -> String {
    let sign = if descending { "-" } else { "" };
    let sort = SORTS[usize::from(key) % SORTS.len()];
    let extra = match group % 4 {
        0 => "",
        1 => " group-by=\"status\"",
        2 => " group-by=\"template\" columns=\"number,title,date\"",
        _ => " columns=\"number,title,template,status,author,date,approvals,completeness\"",
    };
    format!("<<#trd index sort=\"{sign}{sort}\"{extra}>>")
}

/// A doc number: `9a`, `TRD-007`, `12.5`, ...; `None` for some, so some docs have none.
fn bulk_number(doc: &BulkDoc, round: usize) -> Option<String> {
    if doc.shape % 11 == 10 {
        return None;
    }
    let prefix = PREFIXES[usize::from(doc.shape) % PREFIXES.len()];
    let suffix = SUFFIXES[usize::from(doc.shape >> 3) % SUFFIXES.len()];
    let value = usize::from(doc.number % 40) + round * 7;
    let width = usize::from(doc.shape >> 6);
    Some(format!("{prefix}{value:0width$}{suffix}"))
}

/// A date: mostly real ones, some that are no calendar day or not in the format.
fn bulk_date(seed: u16) -> Option<String> {
    let (month, day) = (seed % 12 + 1, (seed / 12) % 28 + 1);
    match seed % 9 {
        0 => None,
        1 => Some("2026-13-45".into()),
        2 => Some(format!("2026-{month}-{day}")),
        3 => Some("2024-02-29".into()),
        4 => Some("2023-02-29".into()),
        _ => Some(format!("20{:02}-{month:02}-{day:02}", seed % 30)),
    }
}

/// The chapters of a large book: the docs, then the index chapter.
fn bulk_chapters(bulk: &Bulk) -> Vec<(String, String)> {
    let mut chapters = Vec::new();
    let rounds = 1 + usize::from(bulk.repeat % 8);
    for round in 0..rounds {
        for (i, doc) in bulk.docs.iter().enumerate().take(64) {
            let mut directive = format!("<<#trd {}", TEMPLATES[i % TEMPLATES.len()]);
            if let Some(n) = bulk_number(doc, round) {
                directive.push_str(&format!(" number=\"{n}\""));
            }
            let status = STATUSES[usize::from(doc.status) % STATUSES.len()];
            let title = format!("Doc {} {}", doc.title % 16, round);
            directive.push_str(&format!(" status=\"{status}\" title=\"{title}\""));
            for (key, value) in [
                ("date", bulk_date(doc.date)),
                ("updated", bulk_date(doc.date >> 4)),
            ] {
                if let Some(v) = value {
                    directive.push_str(&format!(" {key}=\"{v}\""));
                }
            }
            directive.push_str(">>\n");
            chapters.push((format!("Doc {}", chapters.len()), directive));
        }
    }
    let mut index = String::from("# Index\n\n");
    for (k, _) in SORTS.iter().enumerate() {
        for descending in [false, true] {
            // `k` is below 5, so the cast keeps it.
            index.push_str(&sorted_index(
                k as u8,
                descending,
                (k + usize::from(descending)) as u8,
            ));
            index.push_str("\n\n");
        }
    }
    chapters.push(("Index".into(), index));
    chapters
}

fn chapter_item(name: &str, content: String, i: usize, path: Value) -> Value {
    json!({"Chapter": {
        "name": name,
        "content": content,
        "number": [i + 1],
        "sub_items": [],
        "path": path,
        "source_path": path,
        "parent_names": [],
    }})
}

fn items(book: &BookInput) -> Vec<Value> {
    let mut items = Vec::new();
    for (i, c) in book.chapters.iter().enumerate() {
        if book.separator_every > 0 && i % usize::from(book.separator_every) == 0 {
            items.push(json!("Separator"));
        }
        let path = match (c.draft, c.nested) {
            (true, _) => Value::Null,
            (false, false) => json!(format!("ch{i}.md")),
            (false, true) => json!(format!("part/deeper/ch{i}.md")),
        };
        items.push(chapter_item(&c.name, content(&c.pieces, c.crlf), i, path));
    }
    if let Some(bulk) = &book.bulk {
        let first = items.len();
        for (i, (name, content)) in bulk_chapters(bulk).into_iter().enumerate() {
            let path = json!(format!("bulk/b{i}.md"));
            items.push(chapter_item(&name, content, first + i, path));
        }
    }
    items
}

fn context(book: &BookInput, version: &str) -> Value {
    let mut statuses = serde_json::Map::new();
    for (name, color, aliases) in &book.statuses {
        statuses.insert(name.clone(), json!({"color": color, "aliases": aliases}));
    }
    if book.bulk.is_some() {
        statuses.insert("Parked".into(), json!({"color": "#8250df", "order": 25}));
    }
    let mut trd = json!({"command": "mdbook-trd", "statuses": statuses});
    if let Some(roles) = &book.approvals {
        trd["approvals"] = json!({ "default": roles });
    }
    json!({
        "root": "/nonexistent/fuzz-book",
        "renderer": if book.html || book.bulk.as_ref().is_some_and(|b| b.html) { "html" } else { "markdown" },
        "mdbook_version": version,
        // 0.4 has neither extension; turning them off for 0.5 leaves the shape as the only
        // difference between the two runs.
        "config": {
            "book": {"src": "src"},
            "preprocessor": {"trd": trd},
            "output": {"html": {"definition-lists": false, "admonitions": false}},
        },
    })
}

fuzz_target!(|book: BookInput| {
    let items = items(&book);
    let v05 = json!([context(&book, "0.5.4"), {"items": items}]);
    let v04 = json!([context(&book, "0.4.52"), {"sections": items, "__non_exhaustive": null}]);
    let out05 = run(&serde_json::to_vec(&v05).expect("serialises"));
    let out04 = run(&serde_json::to_vec(&v04).expect("serialises"));
    let (out05, out04) = match (out05, out04) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(_), Err(_)) => return,
        (a, b) => panic!(
            "the shapes disagree: 0.5 {:?}, 0.4 {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    };
    let answer05: Value = serde_json::from_slice(&out05).expect("JSON");
    let answer04: Value = serde_json::from_slice(&out04).expect("JSON");
    assert_eq!(
        answer05["items"], answer04["sections"],
        "the shapes expand differently"
    );

    let again = json!([context(&book, "0.5.4"), answer05]);
    let second = run(&serde_json::to_vec(&again).expect("serialises"))
        .unwrap_or_else(|e| panic!("the preprocessor's own output was refused: {e:?}"));
    assert!(second == out05, "a second run changed the book");
});
