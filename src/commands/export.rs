//! `mdbook-trd index`: the index for dashboards, as JSON, CSV or Markdown.
//!
//! The rows and fields are the built index's, from the same analysis.

use std::path::Path;

use serde::Serialize;

use crate::model::doc::{DesignDoc, Field};
use crate::model::status::Lifecycle;
use crate::render::index::{self, IndexOptions};
use crate::render::mode::RenderMode;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An array of objects with the fields documented in the README.
    Json,
    /// A header row, then a row per doc (RFC 4180 quoting; cells that would start a formula
    /// begin with `'`).
    Csv,
    /// The index table as Markdown, links relative to the book's `src` folder.
    Markdown,
}

/// One exported row. The field names are stable: dashboards depend on them.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    /// The doc's number, if any.
    pub number: Option<&'a str>,
    /// The title shown.
    pub title: &'a str,
    /// The chapter's source file, relative to `src`.
    pub path: Option<String>,
    /// The template's name.
    pub template: &'a str,
    /// The status shown (the lifecycle's name, or as written when unknown).
    pub status: &'a str,
    /// Whether the status is in the lifecycle.
    pub status_known: bool,
    /// The author, if given.
    pub author: Option<&'a str>,
    /// The created date, if given.
    pub date: Option<&'a str>,
    /// Last updated, else created.
    pub updated: Option<&'a str>,
    /// Required roles that signed.
    pub approvals_signed: usize,
    /// Required roles.
    pub approvals_required: usize,
    /// Required roles still to sign.
    pub approvals_missing: Vec<&'a str>,
    /// Skeleton sections written.
    pub sections_written: usize,
    /// Skeleton sections.
    pub sections_total: usize,
}

impl<'a> Row<'a> {
    /// The row for one doc.
    pub fn of(doc: &'a DesignDoc) -> Self {
        Row {
            number: doc.metadata.get(Field::Number),
            title: &doc.title,
            path: doc
                .source_path
                .as_ref()
                .map(|p| p.to_string_lossy().replace('\\', "/")),
            template: &doc.template,
            status: &doc.status,
            status_known: doc.status_known,
            author: doc.metadata.get(Field::Author),
            date: doc.metadata.get(Field::Date),
            updated: doc.last_date(),
            approvals_signed: doc.approvals.signed.len(),
            approvals_required: doc.approvals.required.len(),
            approvals_missing: doc.approvals.missing.iter().map(String::as_str).collect(),
            sections_written: doc.filled_sections,
            sections_total: doc.total_sections,
        }
    }
}

/// The CSV header, in field order.
pub const CSV_HEADER: &str = "number,title,path,template,status,status_known,author,date,updated,approvals_signed,approvals_required,approvals_missing,sections_written,sections_total";

/// The first characters that make a spreadsheet read a cell as a formula: OWASP's list
/// (`=`, `+`, `-`, `@`, tab, carriage return) and the NUL that OWASP ASVS 1.2.10 adds.
pub const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// One CSV field. A value that starts like a formula gets a leading `'`, which spreadsheets
/// take as "this is text" (OWASP's advice against CSV injection), even a number like `-5`: the
/// CSV is meant for people's spreadsheets, and JSON carries every value unchanged. Then RFC 4180
/// quoting, also around a `;` or a tab, which some spreadsheets split cells at.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r', ';', '\t']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The export of `docs` (already filtered and sorted) in `format`.
pub fn export(
    docs: &[DesignDoc],
    options: &IndexOptions,
    lifecycle: &Lifecycle,
    format: Format,
) -> Result<String, serde_json::Error> {
    let book = index::Book {
        docs,
        lifecycle,
        mode: RenderMode::Plain,
    };
    let selected = index::select(&book, options);
    Ok(match format {
        Format::Json => {
            let rows: Vec<Row<'_>> = selected.iter().map(|d| Row::of(d)).collect();
            let mut out = serde_json::to_string_pretty(&rows)?;
            out.push('\n');
            out
        }
        Format::Csv => {
            let mut out = String::from(CSV_HEADER);
            out.push_str("\r\n");
            for doc in selected {
                let r = Row::of(doc);
                let fields = [
                    r.number.unwrap_or_default().to_owned(),
                    r.title.to_owned(),
                    r.path.unwrap_or_default(),
                    r.template.to_owned(),
                    r.status.to_owned(),
                    r.status_known.to_string(),
                    r.author.unwrap_or_default().to_owned(),
                    r.date.unwrap_or_default().to_owned(),
                    r.updated.unwrap_or_default().to_owned(),
                    r.approvals_signed.to_string(),
                    r.approvals_required.to_string(),
                    r.approvals_missing.join("; "),
                    r.sections_written.to_string(),
                    r.sections_total.to_string(),
                ];
                let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                out.push_str(&line.join(","));
                out.push_str("\r\n");
            }
            out
        }
        Format::Markdown => index::render(&book, options, Some(Path::new("index.md"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn csv_neutralises_formulas() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_field("+cmd|x"), "'+cmd|x");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("-5"), "'-5");
        assert_eq!(csv_field("\t=1"), "\"'\t=1\"");
        assert_eq!(csv_field("a;=1+2"), "\"a;=1+2\"");
        assert_eq!(csv_field("Ada = Lovelace"), "Ada = Lovelace");
        assert_eq!(csv_field(""), "");
    }
}
