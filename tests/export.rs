//! `mdbook-trd index --format csv` against CSV (formula) injection: no cell a spreadsheet
//! would run as a formula, RFC 4180 quoting kept, and JSON unchanged.

mod common;

use mdbook_trd::commands::export::{FORMULA_STARTS, csv_field};
use proptest::prelude::*;

/// Reads RFC 4180 CSV into rows of cells.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

const HOSTILE: [&str; 6] = [
    "=HYPERLINK(\"http://x\",\"click\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-5",
    "=1+2\";=1+2",
    "Ada;=1+2",
];

/// A directive attribute value holding `v`.
fn quoted(v: &str) -> String {
    format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn hostile_titles_and_authors_are_text_in_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"T\"\n\n[preprocessor.trd]\n",
    )
    .unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (i, value) in HOSTILE.iter().enumerate() {
        summary.push_str(&format!("- [Doc {i}](doc-{i}.md)\n"));
        std::fs::write(
            root.join(format!("src/doc-{i}.md")),
            format!(
                "<<#trd design title={} author={} number={}>>\n",
                quoted(value),
                quoted(value),
                quoted(&format!("-{i}"))
            ),
        )
        .unwrap();
    }
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();

    let out = common::run_trd(&["index", "--format", "csv", "--sort", "title"], root);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), HOSTILE.len() + 1, "{csv}");
    let header = &rows[0];
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (number, title, author) = (column("number"), column("title"), column("author"));
    let mut titles = Vec::new();
    for row in &rows[1..] {
        assert_eq!(row.len(), header.len(), "{row:?}");
        for cell in row {
            assert!(!cell.starts_with(FORMULA_STARTS), "{cell:?} in {csv}");
        }
        let shown = row[title].strip_prefix('\'').unwrap_or(&row[title]);
        assert!(HOSTILE.contains(&shown), "{shown:?}");
        let expected = if shown.starts_with(FORMULA_STARTS) {
            format!("'{shown}")
        } else {
            shown.to_owned()
        };
        assert_eq!(row[title], expected);
        assert_eq!(row[author], expected);
        assert!(row[number].starts_with("'-"), "{row:?}");
        titles.push(shown.to_owned());
    }
    assert_eq!(titles.len(), HOSTILE.len());
    // The `;` inside a cell is quoted, so spreadsheets that split at `;` keep it one cell.
    assert!(csv.contains("\"Ada;=1+2\""), "{csv}");
    assert!(csv.contains("\"'=1+2\"\";=1+2\""), "{csv}");

    // JSON is for programs: values as written.
    let out = common::run_trd(&["index", "--format", "json"], root);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let titles: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, HOSTILE);
}

fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[=+@\t\r\0-]?[ -~\t\r\n]{0,12}",
        "\\PC{0,12}",
        Just(String::new()),
    ]
}

proptest! {
    /// Any cell reads back as written, or with one `'` before a formula's first character; no
    /// cell starts a formula, and a row always has as many cells as fields.
    #[test]
    fn cells_are_quoted_and_never_formulas(values in prop::collection::vec(cell_text(), 1..6)) {
        let line: Vec<String> = values.iter().map(|v| csv_field(v)).collect();
        let text = format!("{}\r\n", line.join(","));
        let rows = parse_csv(&text);
        prop_assert_eq!(rows.len(), 1);
        prop_assert_eq!(rows[0].len(), values.len());
        for (cell, value) in rows[0].iter().zip(&values) {
            prop_assert!(!cell.starts_with(FORMULA_STARTS));
            if value.starts_with(FORMULA_STARTS) {
                prop_assert_eq!(cell, &format!("'{value}"));
            } else {
                prop_assert_eq!(cell, value);
            }
            if value.contains(';') || value.contains('\t') {
                prop_assert!(line.iter().any(|f| f.starts_with('"')));
            }
        }
    }
}
