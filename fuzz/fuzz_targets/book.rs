//! Whole books built from Markdown pieces that matter to mdbook-trd (directives with every
//! attribute, headings of the templates' sections, sign-off lines, fences, custom statuses in
//! book.toml), sent in both mdBook 0.4 and 0.5 shapes. Checks: never a panic; both shapes give
//! the same answer; a failed run writes nothing; a second run changes nothing.
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
        }
        out.push_str("\n\n");
    }
    if crlf { out.replace('\n', "\r\n") } else { out }
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
        items.push(json!({"Chapter": {
            "name": c.name,
            "content": content(&c.pieces, c.crlf),
            "number": [i + 1],
            "sub_items": [],
            "path": path,
            "source_path": path,
            "parent_names": [],
        }}));
    }
    items
}

fn context(book: &BookInput, version: &str) -> Value {
    let mut statuses = serde_json::Map::new();
    for (name, color, aliases) in &book.statuses {
        statuses.insert(name.clone(), json!({"color": color, "aliases": aliases}));
    }
    let mut trd = json!({"command": "mdbook-trd", "statuses": statuses});
    if let Some(roles) = &book.approvals {
        trd["approvals"] = json!({ "default": roles });
    }
    json!({
        "root": "/nonexistent/fuzz-book",
        "renderer": if book.html { "html" } else { "markdown" },
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
