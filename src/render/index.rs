//! The approval-table index: `<<#trd index ...>>` becomes a table of every design doc in the
//! book, with a count per status above it.
//!
//! The table is written as pulldown-cmark events through pulldown-cmark-to-cmark, so `|`, `*`,
//! `[`, backticks and HTML in titles or names are escaped by the library and cannot break the
//! table or inject markup.

use std::cmp::Ordering;
use std::path::Path;

use crate::markdown::link::relative_href;
use crate::markdown::link::{Link, link};
use crate::markdown::write::text;
use crate::model::date::Date;
use crate::model::directive::Attribute;
use crate::model::doc::{Approvals, DesignDoc, Field};
use crate::model::status::Lifecycle;
use crate::model::template::Templates;
use crate::render::badge::{BADGE_LINE, badge};
use crate::render::mode::RenderMode;
use crate::report::diagnostic::list;
use crate::report::suggest::did_you_mean;

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
    /// Every column, in the order the "known: ..." hint lists them.
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

    /// The columns of an index that names none: the ones that fit mdBook's content column
    /// (750 px) beside each other. `template` and `author` are there to ask for.
    pub const DEFAULT: [Column; 6] = [
        Column::Number,
        Column::Title,
        Column::Status,
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

/// What the index is sorted by. Descending (`sort="-key"`) reverses the order of the docs
/// that have a value; docs without one (no number, no valid date, ...) come last either way,
/// and docs with equal values keep SUMMARY order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// SUMMARY order (the default).
    Summary,
    /// Doc number: by its first number (`TRD-007` is 7), then in natural order (`9` < `9a`);
    /// numbers without digits after the others.
    Number,
    /// Title, in natural order (`Phase 9` < `Phase 10`), case-insensitively.
    Title,
    /// Position in the lifecycle; unknown statuses last.
    Status,
    /// Last updated, else created, as a calendar date; docs whose date is not one last.
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
            columns: Column::DEFAULT.to_vec(),
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

/// What is wrong with an option's value, and what would be right.
type Wrong = (String, String);

/// Reads an index directive's attributes, checking every value.
pub fn parse_options(
    attributes: &[Attribute],
    lifecycle: &Lifecycle,
    templates: &Templates,
) -> Result<IndexOptions, OptionError> {
    let mut options = IndexOptions::default();
    for a in attributes {
        read_option(&mut options, a, lifecycle, templates).map_err(|(message, help)| {
            OptionError {
                offset: a.offset,
                message,
                help,
            }
        })?;
    }
    Ok(options)
}

/// Reads one attribute of an index directive into `options`.
fn read_option(
    options: &mut IndexOptions,
    a: &Attribute,
    lifecycle: &Lifecycle,
    templates: &Templates,
) -> Result<(), Wrong> {
    match a.key.as_str() {
        "status" => options.statuses = Some(statuses(&a.value, lifecycle)?),
        "template" => options.templates = Some(template_names(&a.value, templates)?),
        "sort" => (options.sort, options.descending) = sort(&a.value)?,
        "group-by" => options.group_by = Some(group_by(&a.value)?),
        "columns" => options.columns = columns(&a.value)?,
        other => {
            return Err((
                format!("unknown index option {other:?}"),
                format!(
                    "{}an index takes: {}",
                    did_you_mean(other, OPTIONS),
                    list(OPTIONS)
                ),
            ));
        }
    }
    Ok(())
}

/// `status="Approved, In Review"`: the statuses as the lifecycle names them.
fn statuses(value: &str, lifecycle: &Lifecycle) -> Result<Vec<String>, Wrong> {
    items(value)
        .map(|v| match lifecycle.resolve(v) {
            Some(s) => Ok(s.name.clone()),
            None => Err((
                format!("unknown status {v:?} in the index's `status`"),
                format!("{}known: {}", lifecycle.did_you_mean(v), lifecycle.names()),
            )),
        })
        .collect()
}

/// `template="tdd, design"`: template names the run knows.
fn template_names(value: &str, templates: &Templates) -> Result<Vec<String>, Wrong> {
    items(value)
        .map(|v| match templates.get(v) {
            Some(_) => Ok(v.to_owned()),
            None => Err((
                format!("unknown template {v:?} in the index's `template`"),
                format!(
                    "{}known: {}",
                    did_you_mean(v, templates.names()),
                    list(templates.names())
                ),
            )),
        })
        .collect()
}

/// `sort="-date"`: the key, and whether descending.
fn sort(value: &str) -> Result<(SortKey, bool), Wrong> {
    let value = value.trim();
    let (descending, key) = match value.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, value),
    };
    let key = match key {
        "number" => SortKey::Number,
        "title" => SortKey::Title,
        "status" => SortKey::Status,
        "date" => SortKey::Date,
        "summary" => SortKey::Summary,
        _ => {
            return Err((
                format!("unknown sort {value:?}"),
                format!(
                    "{}sort by number, title, status, date or summary (SUMMARY.md order: \
                     the book's own order, the default); put `-` first for descending, e.g. \
                     `sort=\"-date\"`",
                    did_you_mean(key, ["number", "title", "status", "date", "summary"])
                ),
            ));
        }
    };
    Ok((key, descending))
}

/// `group-by="status"` or `"template"`.
fn group_by(value: &str) -> Result<GroupBy, Wrong> {
    match value.trim() {
        "status" => Ok(GroupBy::Status),
        "template" => Ok(GroupBy::Template),
        other => Err((
            format!("unknown group-by {other:?}"),
            format!(
                "{}group by status or template",
                did_you_mean(other, ["status", "template"])
            ),
        )),
    }
}

/// `columns="number, title, status"`: at least one known column.
fn columns(value: &str) -> Result<Vec<Column>, Wrong> {
    let keys = || Column::ALL.map(Column::key);
    let columns = items(value)
        .map(|v| {
            Column::ALL
                .into_iter()
                .find(|c| c.key() == v)
                .ok_or_else(|| {
                    (
                        format!("unknown column {v:?}"),
                        format!("{}known: {}", did_you_mean(v, keys()), list(keys())),
                    )
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if columns.is_empty() {
        return Err((
            "`columns` names no column".into(),
            format!("known: {}", list(keys())),
        ));
    }
    Ok(columns)
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

/// Where a doc sorts under one key. Derived orders throughout, so every key is a total order
/// (the comparison a sort needs; defect 1 of issue 12 was a key that mixed numeric and text
/// comparison and so was not transitive).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    /// Position in SUMMARY.md.
    Summary(usize),
    /// A doc number.
    Number(NumberKey),
    /// A title, in natural order.
    Title(Natural),
    /// Lifecycle position, then the status's name (statuses may share a position).
    Status(i64, String),
    /// A calendar date.
    Date(Date),
}

/// A doc number's order: by the value of its first run of digits (`TRD-007` is 7, `9a` is 9),
/// numbers without digits after all others; then in natural order, so `9` < `9a` < `9b`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct NumberKey {
    no_digits: bool,
    first: Digits,
    natural: Natural,
}

/// A run of ASCII digits without its leading zeros, ordered by value: length first, so it
/// works for numbers of any size.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Digits {
    len: usize,
    digits: String,
}

impl Digits {
    fn of(run: &str) -> Digits {
        let digits = run.trim_start_matches('0');
        Digits {
            len: digits.len(),
            digits: digits.to_owned(),
        }
    }
}

/// One run of a text in natural order: digits by value, anything else case-insensitively.
/// Digits sort before text at the same place.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Run {
    Digits(Digits),
    Text(String),
}

/// A text in natural order: `Phase 9` < `Phase 10`, `a` = `A`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Natural(Vec<Run>);

impl Natural {
    fn of(text: &str) -> Natural {
        let mut runs = Vec::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let digit = c.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            runs.push(if digit {
                Run::Digits(Digits::of(run))
            } else {
                Run::Text(run.to_lowercase())
            });
            rest = tail;
        }
        Natural(runs)
    }

    fn first_digits(&self) -> Option<&Digits> {
        self.0.iter().find_map(|r| match r {
            Run::Digits(d) => Some(d),
            Run::Text(_) => None,
        })
    }
}

/// The sort value of `doc`, at `position` in SUMMARY order. `None` for a doc the key has
/// nothing to go on for: no number, an empty title, an unknown status, no date or one that
/// is not a calendar date. Those sort last, whichever the direction.
fn sort_value(
    doc: &DesignDoc,
    position: usize,
    key: SortKey,
    lifecycle: &Lifecycle,
) -> Option<SortValue> {
    match key {
        SortKey::Summary => Some(SortValue::Summary(position)),
        SortKey::Number => {
            let number = doc.metadata.get(Field::Number)?.trim();
            if number.is_empty() {
                return None;
            }
            let natural = Natural::of(number);
            let first = natural.first_digits().cloned();
            Some(SortValue::Number(NumberKey {
                no_digits: first.is_none(),
                first: first.unwrap_or_default(),
                natural,
            }))
        }
        SortKey::Title => {
            let title = doc.title.trim();
            (!title.is_empty()).then(|| SortValue::Title(Natural::of(title)))
        }
        SortKey::Status => lifecycle
            .resolve(&doc.status)
            .map(|s| SortValue::Status(s.order, s.name.clone())),
        SortKey::Date => doc.last_calendar_date().map(SortValue::Date),
    }
}

/// Values in `descending` or ascending order, `None` last either way.
fn order(a: Option<&SortValue>, b: Option<&SortValue>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if descending => y.cmp(x),
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Compares the docs at positions `a` and `b` of `book` as an index sorted by `key` does:
/// `Less` when `a` comes first. A total order on the docs' keys; `Equal` docs keep SUMMARY
/// order. Positions outside the book compare as docs without a value.
pub fn compare(book: &Book<'_>, a: usize, b: usize, key: SortKey, descending: bool) -> Ordering {
    let value = |i: usize| {
        let doc = book.docs.get(i)?;
        sort_value(doc, i, key, book.lifecycle)
    };
    order(value(a).as_ref(), value(b).as_ref(), descending)
}

/// The docs an index shows, filtered and sorted (stable, so ties keep SUMMARY order).
pub fn select<'a>(book: &Book<'a>, options: &IndexOptions) -> Vec<&'a DesignDoc> {
    let mut docs: Vec<(Option<SortValue>, &DesignDoc)> = book
        .docs
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            options
                .statuses
                .as_ref()
                .is_none_or(|s| s.contains(&d.status))
        })
        .filter(|(_, d)| {
            options
                .templates
                .as_ref()
                .is_none_or(|t| t.contains(&d.template))
        })
        // Each key once, not once per comparison.
        .map(|(i, d)| (sort_value(d, i, options.sort, book.lifecycle), d))
        .collect();
    docs.sort_by(|(a, _), (b, _)| order(a.as_ref(), b.as_ref(), options.descending));
    docs.into_iter().map(|(_, d)| d).collect()
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
            let color = book.lifecycle.resolve(s).map(|s| s.color);
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
        Column::Number => match (doc.metadata.get(Field::Number), book.mode) {
            (Some(number), RenderMode::Html) => number_html(number),
            (number, _) => or_dash(number),
        },
        Column::Title => {
            let title = match (&doc.path, from) {
                (Some(to), Some(from)) => link(&Link {
                    title: doc.title.clone(),
                    href: relative_href(from, to),
                }),
                _ => text(&doc.title),
            };
            long_words(&doc.title, title, book.mode)
        }
        Column::Template => text(&doc.template),
        Column::Status => match book.mode {
            RenderMode::Html => {
                let color = book.lifecycle.resolve(&doc.status).map(|s| s.color);
                badge(&doc.status, color, book.mode)
            }
            RenderMode::Plain => text(&doc.status),
        },
        Column::Author => {
            let author = doc.metadata.get(Field::Author);
            long_words(author.unwrap_or(""), or_dash(author), book.mode)
        }
        Column::Date => match (doc.last_date(), book.mode) {
            (Some(date), RenderMode::Html) => no_wrap(date),
            (date, _) => or_dash(date),
        },
        Column::Approvals => approvals(&doc.approvals, book.mode),
        Column::Completeness => text(&doc.completeness()),
    }
}

/// A value on one line in HTML: a date breaks at its hyphens in a narrow column otherwise.
/// A fixed inline style (no stylesheet to install); the value is escaped by [`text`]. Plain
/// Markdown would need non-breaking hyphens, which search and copy do not treat as `-`.
fn no_wrap(value: &str) -> String {
    format!("<span style=\"white-space:nowrap\">{}</span>", text(value))
}

/// The longest number left to the browser's own line breaking (`TRD-2026-117`, `RFC-0042`).
const NUMBER_LINE: usize = 12;

/// A number in HTML. One longer than [`NUMBER_LINE`] (`PLATFORM-INFRA-2026-0042`) may also
/// break inside a part when a part does not fit the column: its widest part (`PLATFORM-`)
/// otherwise kept the default index wider than mdBook's content column (review N5). The
/// browser still breaks it after a `-` first. Shorter numbers are as written, so they wrap
/// only where they always did.
fn number_html(number: &str) -> String {
    let cell = text(number);
    if number.chars().count() <= NUMBER_LINE {
        cell
    } else {
        break_anywhere(&cell)
    }
}

/// `cell`, the cell written for `value`, allowed to break inside a word in HTML when `value`
/// has a word longer than a badge keeps on one line ([`BADGE_LINE`]):
/// `Zahlungswiederholungsmechanismusarchitektur`, a role such as
/// `Informationssicherheitsbeauftragter`. The browser cannot break such a word, so it kept
/// the default index wider than mdBook's content column (review 2). Other values are as
/// written.
fn long_words(value: &str, cell: String, mode: RenderMode) -> String {
    let long = value
        .split_whitespace()
        .any(|w| w.chars().count() > BADGE_LINE);
    if mode == RenderMode::Html && long {
        break_anywhere(&cell)
    } else {
        cell
    }
}

/// Escaped cell text that may break anywhere when nothing else fits: a fixed inline style, no
/// stylesheet to install.
fn break_anywhere(cell: &str) -> String {
    format!("<span style=\"overflow-wrap:anywhere\">{cell}</span>")
}

/// `2/3`, and who is missing: on a smaller line of its own in HTML, so the column stays as
/// narrow as its heading; after a dash in plain text.
fn approvals(a: &Approvals, mode: RenderMode) -> String {
    if a.missing.is_empty() {
        return text(&a.summary());
    }
    let missing = format!("missing: {}", a.missing.join(", "));
    match mode {
        RenderMode::Html => format!(
            "{}<br><small>{}</small>",
            text(&a.summary()),
            long_words(&missing, text(&missing), mode)
        ),
        RenderMode::Plain => text(&format!("{} — {missing}", a.summary())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::doc::Metadata;
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

    /// Docs numbered as given (`""`: no number), dated as given, in that SUMMARY order.
    fn numbered(numbers: &[&str], dates: &[&str]) -> Vec<DesignDoc> {
        numbers
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut d = doc(&format!("doc {i}"), n, "Draft", "d.md", "");
                d.metadata = Metadata::default();
                if !n.is_empty() {
                    d.metadata.set(Field::Number, *n);
                }
                if let Some(date) = dates.get(i).filter(|d| !d.is_empty()) {
                    d.metadata.set(Field::Updated, *date);
                }
                d
            })
            .collect()
    }

    /// The numbers of the docs an index sorted by `sort` shows, in order (`-` for none).
    fn sorted_numbers(docs: &[DesignDoc], sort: &str) -> Vec<String> {
        let lifecycle = Lifecycle::default();
        let book = Book {
            docs,
            lifecycle: &lifecycle,
            mode: RenderMode::Plain,
        };
        select(&book, &options(&[("sort", sort)]).unwrap())
            .into_iter()
            .map(|d| d.metadata.get(Field::Number).unwrap_or("-").to_owned())
            .collect()
    }

    /// Issue 12, defect 1: these 21 numbers made the sort panic ("user-provided comparison
    /// function does not correctly implement a total order").
    const ISSUE_NUMBERS: &str =
        "17 9a 22a 9 2 35a 34 30 25 32a 28a 12a 20 15 2a 10 17a 38a 29a 36a 1";

    #[test]
    fn the_issue_numbers_sort_by_value_then_suffix() {
        let numbers: Vec<&str> = ISSUE_NUMBERS.split(' ').collect();
        let docs = numbered(&numbers, &[]);
        let expected = "1 2 2a 9 9a 10 12a 15 17 17a 20 22a 25 28a 29a 30 32a 34 35a 36a 38a";
        assert_eq!(sorted_numbers(&docs, "number").join(" "), expected);
        let mut reversed: Vec<&str> = expected.split(' ').collect();
        reversed.reverse();
        assert_eq!(sorted_numbers(&docs, "-number"), reversed);
        // The same through the directive's whole path, as a build runs it.
        let lifecycle = Lifecycle::default();
        let book = Book {
            docs: &docs,
            lifecycle: &lifecycle,
            mode: RenderMode::Html,
        };
        let out = render(&book, &options(&[("sort", "number")]).unwrap(), None);
        assert!(out.contains("|1|doc 20|"), "{out}");
    }

    #[test]
    fn numbers_order_by_their_first_number_then_naturally() {
        let docs = numbered(
            &[
                "TRD-012",
                "",
                "9a",
                "draft",
                "TRD-007",
                "0009",
                "12a",
                "b",
                "100",
                "9",
                "1.10",
                "1.5",
                "99999999999999999999999999",
                "A",
            ],
            &[],
        );
        assert_eq!(
            sorted_numbers(&docs, "number"),
            [
                "1.5",
                "1.10",
                "TRD-007",
                "0009",
                "9",
                "9a",
                // Same first number: digits before text at the start.
                "12a",
                "TRD-012",
                "100",
                "99999999999999999999999999",
                "A",
                "b",
                "draft",
                "-",
            ]
        );
        // Descending: the numbers reversed, the doc without one still last.
        let down = sorted_numbers(&docs, "-number");
        assert_eq!(down.first().map(String::as_str), Some("draft"));
        assert_eq!(down.last().map(String::as_str), Some("-"));
    }

    #[test]
    fn summary_descending_reverses_the_book() {
        let docs = numbered(&["3", "1", "2"], &[]);
        assert_eq!(sorted_numbers(&docs, "summary"), ["3", "1", "2"]);
        assert_eq!(sorted_numbers(&docs, "-summary"), ["2", "1", "3"]);
    }

    #[test]
    fn docs_without_a_value_come_last_both_ways_and_keep_summary_order() {
        let docs = numbered(
            &["1", "2", "3", "4", "5", "6"],
            &[
                "2026-01-02",
                "",
                "2026-13-45",
                "2025-12-31",
                "2026-1-2",
                "2026-01-02",
            ],
        );
        // Dates compare as dates; missing and non-calendar dates last, in SUMMARY order.
        assert_eq!(
            sorted_numbers(&docs, "date"),
            ["4", "1", "6", "2", "3", "5"]
        );
        assert_eq!(
            sorted_numbers(&docs, "-date"),
            ["1", "6", "4", "2", "3", "5"]
        );
        let docs = numbered(&["", "2", "", "1"], &[]);
        assert_eq!(sorted_numbers(&docs, "number"), ["1", "2", "-", "-"]);
        assert_eq!(sorted_numbers(&docs, "-number"), ["2", "1", "-", "-"]);
    }

    #[test]
    fn titles_sort_naturally_and_unknown_statuses_last() {
        let mut docs = numbered(&["1", "2", "3", "4"], &[]);
        for (d, (title, status)) in docs.iter_mut().zip([
            ("Phase 10", "Approved"),
            ("phase 9", "Parked"),
            ("Alpha", "Draft"),
            ("  ", "Rejected"),
        ]) {
            d.title = title.into();
            d.status = status.into();
        }
        assert_eq!(sorted_numbers(&docs, "title"), ["3", "2", "1", "4"]);
        assert_eq!(sorted_numbers(&docs, "-title"), ["1", "2", "3", "4"]);
        assert_eq!(sorted_numbers(&docs, "status"), ["3", "1", "4", "2"]);
        assert_eq!(sorted_numbers(&docs, "-status"), ["4", "1", "3", "2"]);
    }

    #[test]
    fn the_default_columns_fit_and_html_cells_stay_narrow() {
        let docs = docs();
        let lifecycle = Lifecycle::default();
        let book = Book {
            docs: &docs,
            lifecycle: &lifecycle,
            mode: RenderMode::Html,
        };
        let out = render(&book, &IndexOptions::default(), None);
        assert!(
            out.contains("|No.|Title|Status|Updated|Approvals|Written|\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "|<span style=\"white-space:nowrap\">2026-02-01</span>|\
                 1/2<br><small>missing: Product Owner</small>|1/4|"
            ),
            "{out}"
        );
        // Values in the HTML cells are escaped like every other.
        let mut hostile = docs.clone();
        hostile[0]
            .metadata
            .set(Field::Updated, "<img src=x onerror=alert(1)>");
        hostile[0].approvals.missing = vec!["<b>Boss</b> | x".into()];
        let book = Book {
            docs: &hostile,
            lifecycle: &lifecycle,
            mode: RenderMode::Html,
        };
        let out = render(&book, &IndexOptions::default(), None);
        assert!(
            out.contains("nowrap\">\\<img src=x onerror=alert(1)></span>|"),
            "{out}"
        );
        assert!(
            out.contains("<small>missing: \\<b>Boss\\</b> \\| x</small>|"),
            "{out}"
        );
        // A long number may break anywhere (review N5); a short one is as written.
        hostile[0]
            .metadata
            .set(Field::Number, "PLATFORM-INFRA-2026-<b>0042</b>");
        hostile[1].metadata.set(Field::Number, "TRD-2026-117");
        let book = Book {
            docs: &hostile,
            lifecycle: &lifecycle,
            mode: RenderMode::Html,
        };
        let out = render(&book, &IndexOptions::default(), None);
        assert!(
            out.contains(
                "|<span style=\"overflow-wrap:anywhere\">PLATFORM-INFRA-2026-\\<b>0042\\</b></span>|"
            ),
            "{out}"
        );
        assert!(out.contains("|TRD-2026-117|"), "{out}");
    }
}
