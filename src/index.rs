//! The approval-table index: `<<#trd index ...>>` becomes a table of every design doc in the
//! book, with a count per status above it.
//!
//! The table is written as pulldown-cmark events through pulldown-cmark-to-cmark, so `|`, `*`,
//! `[`, backticks and HTML in titles or names are escaped by the library and cannot break the
//! table or inject markup.

use std::cmp::Ordering;
use std::path::Path;

use crate::book::relative_href;
use crate::diagnostic::list;
use crate::directive::Attribute;
use crate::doc::{DesignDoc, Field};
use crate::render::{Link, RenderMode, badge, link, text};
use crate::status::{Lifecycle, UNKNOWN_COLOR};
use crate::template::Templates;

/// A column of the index table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The doc's number.
    Number,
    /// Its title, linked.
    Title,
    /// Its template.
    Template,
    /// Its status badge.
    Status,
    /// Its author.
    Author,
    /// Last updated, else created.
    Date,
    /// Signed / required, and who is missing.
    Approvals,
    /// Sections written / sections.
    Completeness,
}

impl Column {
    /// Every column, in the default order.
    pub const ALL: [Column; 8] = [
        Column::Number,
        Column::Title,
        Column::Template,
        Column::Status,
        Column::Author,
        Column::Date,
        Column::Approvals,
        Column::Completeness,
    ];

    /// The name used in `columns="..."`.
    pub fn key(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Title => "title",
            Column::Template => "template",
            Column::Status => "status",
            Column::Author => "author",
            Column::Date => "date",
            Column::Approvals => "approvals",
            Column::Completeness => "completeness",
        }
    }

    fn header(self) -> &'static str {
        match self {
            Column::Number => "No.",
            Column::Title => "Title",
            Column::Template => "Template",
            Column::Status => "Status",
            Column::Author => "Author",
            Column::Date => "Updated",
            Column::Approvals => "Approvals",
            Column::Completeness => "Written",
        }
    }
}

/// What the index is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// SUMMARY order (the default).
    Summary,
    /// Doc number, numerically when both are numbers.
    Number,
    /// Title, case-insensitively.
    Title,
    /// Position in the lifecycle.
    Status,
    /// Last updated, else created.
    Date,
}

/// What the index is grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// A sub-table per status, in lifecycle order.
    Status,
    /// A sub-table per template, by name.
    Template,
}

/// The options of one index directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Only docs with these statuses (lifecycle names), when given.
    pub statuses: Option<Vec<String>>,
    /// Only docs of these templates, when given.
    pub templates: Option<Vec<String>>,
    /// Sort key.
    pub sort: SortKey,
    /// Sort descending.
    pub descending: bool,
    /// Sub-tables.
    pub group_by: Option<GroupBy>,
    /// The columns, in order.
    pub columns: Vec<Column>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            statuses: None,
            templates: None,
            sort: SortKey::Summary,
            descending: false,
            group_by: None,
            columns: Column::ALL.to_vec(),
        }
    }
}

/// The attributes an index directive takes.
pub const OPTIONS: [&str; 5] = ["status", "template", "sort", "group-by", "columns"];

/// An index option that is wrong: where, what, and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    /// Byte offset of the attribute in the chapter.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
    /// What would be right.
    pub help: String,
}

fn items(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|v| !v.is_empty())
}

/// Reads an index directive's attributes, checking every value.
pub fn parse_options(
    attributes: &[Attribute],
    lifecycle: &Lifecycle,
    templates: &Templates,
) -> Result<IndexOptions, OptionError> {
    let mut options = IndexOptions::default();
    for a in attributes {
        let error = |message: String, help: String| OptionError {
            offset: a.offset,
            message,
            help,
        };
        match a.key.as_str() {
            "status" => {
                let mut names = Vec::new();
                for v in items(&a.value) {
                    match lifecycle.resolve(v) {
                        Some(s) => names.push(s.name.clone()),
                        None => {
                            return Err(error(
                                format!("unknown status {v:?} in the index's `status`"),
                                format!("known: {}", lifecycle.names()),
                            ));
                        }
                    }
                }
                options.statuses = Some(names);
            }
            "template" => {
                let mut names = Vec::new();
                for v in items(&a.value) {
                    if templates.get(v).is_none() {
                        return Err(error(
                            format!("unknown template {v:?} in the index's `template`"),
                            format!("known: {}", list(templates.names())),
                        ));
                    }
                    names.push(v.to_owned());
                }
                options.templates = Some(names);
            }
            "sort" => {
                let value = a.value.trim();
                let (descending, key) = match value.strip_prefix('-') {
                    Some(k) => (true, k),
                    None => (false, value),
                };
                options.descending = descending;
                options.sort = match key {
                    "number" => SortKey::Number,
                    "title" => SortKey::Title,
                    "status" => SortKey::Status,
                    "date" => SortKey::Date,
                    "summary" => SortKey::Summary,
                    _ => {
                        return Err(error(
                            format!("unknown sort {value:?}"),
                            "sort by number, title, status, date or summary; \
                             put `-` first for descending, e.g. `sort=\"-date\"`"
                                .into(),
                        ));
                    }
                };
            }
            "group-by" => {
                options.group_by = match a.value.trim() {
                    "status" => Some(GroupBy::Status),
                    "template" => Some(GroupBy::Template),
                    other => {
                        return Err(error(
                            format!("unknown group-by {other:?}"),
                            "group by status or template".into(),
                        ));
                    }
                };
            }
            "columns" => {
                let mut columns = Vec::new();
                for v in items(&a.value) {
                    match Column::ALL.into_iter().find(|c| c.key() == v) {
                        Some(c) => columns.push(c),
                        None => {
                            return Err(error(
                                format!("unknown column {v:?}"),
                                format!("known: {}", list(Column::ALL.map(Column::key))),
                            ));
                        }
                    }
                }
                if columns.is_empty() {
                    return Err(error(
                        "`columns` names no column".into(),
                        format!("known: {}", list(Column::ALL.map(Column::key))),
                    ));
                }
                options.columns = columns;
            }
            other => {
                return Err(error(
                    format!("unknown index option {other:?}"),
                    format!("an index takes: {}", list(OPTIONS)),
                ));
            }
        }
    }
    Ok(options)
}

/// Everything an index needs to know about the book.
#[derive(Debug, Clone, Copy)]
pub struct Book<'a> {
    /// Every design doc, in SUMMARY order.
    pub docs: &'a [DesignDoc],
    /// The book's statuses.
    pub lifecycle: &'a Lifecycle,
    /// HTML or plain text.
    pub mode: RenderMode,
}

fn status_rank(lifecycle: &Lifecycle, doc: &DesignDoc) -> i64 {
    lifecycle.resolve(&doc.status).map_or(i64::MAX, |s| s.order)
}

fn compare(a: &DesignDoc, b: &DesignDoc, key: SortKey, lifecycle: &Lifecycle) -> Ordering {
    match key {
        SortKey::Summary => Ordering::Equal,
        SortKey::Number => {
            let (x, y) = (a.metadata.get(Field::Number), b.metadata.get(Field::Number));
            match (x, y) {
                (Some(x), Some(y)) => match (x.parse::<f64>(), y.parse::<f64>()) {
                    (Ok(x), Ok(y)) => x.total_cmp(&y),
                    _ => x.cmp(y),
                },
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        SortKey::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        SortKey::Status => status_rank(lifecycle, a).cmp(&status_rank(lifecycle, b)),
        SortKey::Date => match (a.last_date(), b.last_date()) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}

/// The docs an index shows, filtered and sorted (stable, so ties keep SUMMARY order).
pub fn select<'a>(book: &Book<'a>, options: &IndexOptions) -> Vec<&'a DesignDoc> {
    let mut docs: Vec<&DesignDoc> = book
        .docs
        .iter()
        .filter(|d| {
            options
                .statuses
                .as_ref()
                .is_none_or(|s| s.contains(&d.status))
        })
        .filter(|d| {
            options
                .templates
                .as_ref()
                .is_none_or(|t| t.contains(&d.template))
        })
        .collect();
    docs.sort_by(|a, b| {
        let o = compare(a, b, options.sort, book.lifecycle);
        if options.descending { o.reverse() } else { o }
    });
    docs
}

/// The Markdown that replaces an index directive in the chapter at `from` (its `path`).
pub fn render(book: &Book<'_>, options: &IndexOptions, from: Option<&Path>) -> String {
    let docs = select(book, options);
    let mut out = counts(book, &docs);
    if docs.is_empty() {
        out.push_str("*No design doc matches this index.*\n");
        return out;
    }
    match options.group_by {
        None => out.push_str(&table(book, &docs, &options.columns, from)),
        Some(group_by) => {
            for (group, members) in groups(book, &docs, group_by) {
                out.push_str(&format!("**{}** ({})\n\n", text(&group), members.len()));
                out.push_str(&table(book, &members, &options.columns, from));
                out.push('\n');
            }
        }
    }
    out
}

/// The docs split by status (lifecycle order, unknown statuses last) or template (by name).
fn groups<'a>(
    book: &Book<'_>,
    docs: &[&'a DesignDoc],
    group_by: GroupBy,
) -> Vec<(String, Vec<&'a DesignDoc>)> {
    let key = |d: &DesignDoc| match group_by {
        GroupBy::Status => d.status.clone(),
        GroupBy::Template => d.template.clone(),
    };
    let mut names: Vec<String> = Vec::new();
    for d in docs {
        let k = key(d);
        if !names.contains(&k) {
            names.push(k);
        }
    }
    match group_by {
        GroupBy::Status => {
            names.sort_by_key(|n| book.lifecycle.resolve(n).map_or(i64::MAX, |s| s.order))
        }
        GroupBy::Template => names.sort(),
    }
    names
        .into_iter()
        .map(|n| {
            let members = docs.iter().copied().filter(|d| key(d) == n).collect();
            (n, members)
        })
        .collect()
}

/// `**3 design docs:** Approved 1 · In Review 2`, badges in HTML.
fn counts(book: &Book<'_>, docs: &[&DesignDoc]) -> String {
    let mut statuses: Vec<(&str, usize)> = Vec::new();
    for d in docs {
        match statuses.iter_mut().find(|(s, _)| *s == d.status) {
            Some((_, n)) => *n += 1,
            None => statuses.push((&d.status, 1)),
        }
    }
    statuses.sort_by_key(|(s, _)| book.lifecycle.resolve(s).map_or(i64::MAX, |s| s.order));
    let parts: Vec<String> = statuses
        .iter()
        .map(|(s, n)| {
            let color = book.lifecycle.resolve(s).map_or(UNKNOWN_COLOR, |s| s.color);
            match book.mode {
                RenderMode::Html => format!("{} {n}", badge(s, color, book.mode)),
                RenderMode::Plain => format!("{} {n}", text(s)),
            }
        })
        .collect();
    let noun = if docs.len() == 1 {
        "design doc"
    } else {
        "design docs"
    };
    if parts.is_empty() {
        format!("**0 {noun}**\n\n")
    } else {
        format!("**{} {noun}:** {}\n\n", docs.len(), parts.join(" · "))
    }
}

/// One table. Every cell is written by [`text`] (the library's escaping, which turns `|` into
/// `\|`), links by [`link`], so no value can end a cell or a row.
fn table(book: &Book<'_>, docs: &[&DesignDoc], columns: &[Column], from: Option<&Path>) -> String {
    let mut out = String::with_capacity(128 * (docs.len() + 2));
    out.push('|');
    for c in columns {
        out.push_str(c.header());
        out.push('|');
    }
    out.push_str("\n|");
    for c in columns {
        out.push_str(&"-".repeat(c.header().chars().count().max(3)));
        out.push('|');
    }
    out.push('\n');
    for doc in docs {
        out.push('|');
        for c in columns {
            out.push_str(&cell(book, doc, *c, from));
            out.push('|');
        }
        out.push('\n');
    }
    out
}

fn cell(book: &Book<'_>, doc: &DesignDoc, column: Column, from: Option<&Path>) -> String {
    let or_dash = |v: Option<&str>| text(v.unwrap_or("—"));
    match column {
        Column::Number => or_dash(doc.metadata.get(Field::Number)),
        Column::Title => match (&doc.path, from) {
            (Some(to), Some(from)) => link(&Link {
                title: doc.title.clone(),
                href: relative_href(from, to),
            }),
            _ => text(&doc.title),
        },
        Column::Template => text(&doc.template),
        Column::Status => match book.mode {
            RenderMode::Html => {
                let color = book
                    .lifecycle
                    .resolve(&doc.status)
                    .map_or(UNKNOWN_COLOR, |s| s.color);
                badge(&doc.status, color, book.mode)
            }
            RenderMode::Plain => text(&doc.status),
        },
        Column::Author => or_dash(doc.metadata.get(Field::Author)),
        Column::Date => or_dash(doc.last_date()),
        Column::Approvals => {
            let a = &doc.approvals;
            if a.missing.is_empty() {
                text(&a.summary())
            } else {
                text(&format!(
                    "{} — missing: {}",
                    a.summary(),
                    a.missing.join(", ")
                ))
            }
        }
        Column::Completeness => text(&doc.completeness()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Approvals, Metadata};
    use std::path::PathBuf;

    fn doc(title: &str, number: &str, status: &str, path: &str, date: &str) -> DesignDoc {
        let mut metadata = Metadata::default();
        metadata.set(Field::Number, number);
        metadata.set(Field::Date, date);
        metadata.set(Field::Author, "Ada | *Lovelace*");
        DesignDoc {
            template: if number == "2" { "trd" } else { "tdd" }.into(),
            metadata,
            title: title.into(),
            status: status.into(),
            status_known: true,
            filled_sections: 1,
            total_sections: 4,
            path: Some(PathBuf::from(path)),
            source_path: Some(PathBuf::from(path)),
            line: 1,
            positions: vec![],
            approvals: Approvals {
                required: vec!["Architect".into(), "Product Owner".into()],
                signed: vec!["Architect".into()],
                missing: vec!["Product Owner".into()],
            },
        }
    }

    fn docs() -> Vec<DesignDoc> {
        vec![
            doc(
                "Zeta | <b>x</b>",
                "10",
                "Approved",
                "designs/deep/zeta.md",
                "2026-01-03",
            ),
            doc("alpha", "2", "Draft", "alpha.md", "2026-02-01"),
            doc(
                "Mid [link](x)",
                "9",
                "In Review",
                "designs/mid.md",
                "2025-12-31",
            ),
        ]
    }

    fn attrs(pairs: &[(&str, &str)]) -> Vec<Attribute> {
        pairs
            .iter()
            .map(|(k, v)| Attribute {
                key: (*k).into(),
                value: (*v).into(),
                offset: 3,
            })
            .collect()
    }

    fn options(pairs: &[(&str, &str)]) -> Result<IndexOptions, OptionError> {
        parse_options(&attrs(pairs), &Lifecycle::default(), &Templates::built_in())
    }

    fn titles(pairs: &[(&str, &str)]) -> Vec<String> {
        let docs = docs();
        let lifecycle = Lifecycle::default();
        let book = Book {
            docs: &docs,
            lifecycle: &lifecycle,
            mode: RenderMode::Plain,
        };
        select(&book, &options(pairs).unwrap())
            .into_iter()
            .map(|d| d.title.clone())
            .collect()
    }

    #[test]
    fn filters_and_sorts() {
        assert_eq!(titles(&[]), ["Zeta | <b>x</b>", "alpha", "Mid [link](x)"]);
        assert_eq!(
            titles(&[("sort", "number")]),
            ["alpha", "Mid [link](x)", "Zeta | <b>x</b>"]
        );
        assert_eq!(
            titles(&[("sort", "-number")]),
            ["Zeta | <b>x</b>", "Mid [link](x)", "alpha"]
        );
        assert_eq!(
            titles(&[("sort", "title")]),
            ["alpha", "Mid [link](x)", "Zeta | <b>x</b>"]
        );
        assert_eq!(
            titles(&[("sort", "status")]),
            ["alpha", "Mid [link](x)", "Zeta | <b>x</b>"]
        );
        assert_eq!(
            titles(&[("sort", "-date")]),
            ["alpha", "Zeta | <b>x</b>", "Mid [link](x)"]
        );
        assert_eq!(
            titles(&[("status", "approved, in review")]),
            ["Zeta | <b>x</b>", "Mid [link](x)"]
        );
        assert_eq!(titles(&[("template", "trd")]), ["alpha"]);
    }

    #[test]
    fn bad_options_say_what_is_valid() {
        let e = options(&[("sort", "size")]).unwrap_err();
        assert_eq!(e.message, "unknown sort \"size\"");
        assert_eq!(e.offset, 3);
        let e = options(&[("status", "Reviewing")]).unwrap_err();
        assert!(e.help.starts_with("known: Draft, In Review"), "{e:?}");
        let e = options(&[("columns", "title,owner")]).unwrap_err();
        assert_eq!(
            e.help,
            "known: number, title, template, status, author, date, approvals, completeness"
        );
        let e = options(&[("colour", "x")]).unwrap_err();
        assert_eq!(
            e.help,
            "an index takes: status, template, sort, group-by, columns"
        );
        assert!(options(&[("template", "tddd")]).is_err());
        assert!(options(&[("group-by", "author")]).is_err());
    }

    #[test]
    fn table_escapes_values_and_links_relatively() {
        let docs = docs();
        let lifecycle = Lifecycle::default();
        let book = Book {
            docs: &docs,
            lifecycle: &lifecycle,
            mode: RenderMode::Plain,
        };
        let out = render(
            &book,
            &options(&[("columns", "title,author,approvals")]).unwrap(),
            Some(Path::new("designs/index.md")),
        );
        assert_eq!(
            out,
            "**3 design docs:** Draft 1 · In Review 1 · Approved 1\n\n\
             |Title|Author|Approvals|\n|-----|------|---------|\n\
             |[Zeta \\| \\<b>x\\</b>](deep/zeta.md)|Ada \\| \\*Lovelace\\*|1/2 — missing: Product Owner|\n\
             |[alpha](../alpha.md)|Ada \\| \\*Lovelace\\*|1/2 — missing: Product Owner|\n\
             |[Mid \\[link\\](x)](mid.md)|Ada \\| \\*Lovelace\\*|1/2 — missing: Product Owner|\n"
        );
    }

    #[test]
    fn groups_have_their_own_tables() {
        let docs = docs();
        let lifecycle = Lifecycle::default();
        let book = Book {
            docs: &docs,
            lifecycle: &lifecycle,
            mode: RenderMode::Html,
        };
        let out = render(
            &book,
            &options(&[("group-by", "template"), ("columns", "title")]).unwrap(),
            None,
        );
        let tdd = out.find("**tdd** (2)").unwrap();
        let trd = out.find("**trd** (1)").unwrap();
        assert!(tdd < trd);
        assert!(out.contains("class=\"trd-badge\""));
        let empty = render(&book, &options(&[("status", "Rejected")]).unwrap(), None);
        assert_eq!(
            empty,
            "**0 design docs**\n\n*No design doc matches this index.*\n"
        );
    }
}
