//! The design-document model: the metadata a directive declares.

use std::fmt;
use std::path::PathBuf;

use crate::markdown::link::Link;
use crate::model::date::{self, Date, DateError};
use crate::model::directive::Attribute;
use crate::report::diagnostic::{Diagnostic, Position, Rule, list};

/// A metadata field a directive can set and a template can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The doc's title; defaults to the chapter's name.
    Title,
    /// The doc's number (e.g. `42` in `TRD-42`).
    Number,
    /// The lifecycle status; defaults to `Draft`.
    Status,
    /// Who wrote it.
    Author,
    /// When it was created.
    Date,
    /// When it was last updated; defaults to `date`.
    Updated,
    /// The document's version.
    Version,
    /// The related product requirements document.
    Prd,
    /// The RFC it implements.
    Rfc,
    /// Related architecture decision records.
    Adr,
    /// The doc this one replaces.
    Supersedes,
    /// The doc that replaces this one.
    SupersededBy,
}

impl Field {
    /// Every field, in the order they are listed to people.
    pub const ALL: [Field; 12] = [
        Field::Title,
        Field::Number,
        Field::Status,
        Field::Author,
        Field::Date,
        Field::Updated,
        Field::Version,
        Field::Prd,
        Field::Rfc,
        Field::Adr,
        Field::Supersedes,
        Field::SupersededBy,
    ];

    /// The attribute key, as written in a directive and in a template placeholder.
    pub fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Number => "number",
            Field::Status => "status",
            Field::Author => "author",
            Field::Date => "date",
            Field::Updated => "updated",
            Field::Version => "version",
            Field::Prd => "prd",
            Field::Rfc => "rfc",
            Field::Adr => "adr",
            Field::Supersedes => "supersedes",
            Field::SupersededBy => "superseded-by",
        }
    }

    /// The field for an attribute key.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// True for fields whose value may be a link (a URL or a chapter path).
    pub fn is_reference(self) -> bool {
        matches!(self, Field::Prd | Field::Rfc | Field::Adr)
    }

    /// True for fields whose value must be a calendar date (`YYYY-MM-DD`).
    pub fn is_date(self) -> bool {
        matches!(self, Field::Date | Field::Updated)
    }

    /// The known keys, for "known: ..." hints.
    pub fn known_keys() -> String {
        list(Field::ALL.map(Field::key))
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An attribute that names no field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAttribute {
    /// The key as written.
    pub key: String,
    /// Its byte offset in the chapter.
    pub offset: usize,
}

/// The metadata of one design doc: the directive's attributes, whitespace-normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    values: [Option<String>; Field::ALL.len()],
    offsets: [Option<usize>; Field::ALL.len()],
}

impl Metadata {
    /// Reads a directive's attributes. Values are trimmed and runs of white space (a value may
    /// span lines) become one space; an empty value counts as not given.
    pub fn from_attributes(attributes: &[Attribute]) -> Result<Metadata, UnknownAttribute> {
        let mut meta = Metadata::default();
        for a in attributes {
            let field = Field::from_key(&a.key).ok_or_else(|| UnknownAttribute {
                key: a.key.clone(),
                offset: a.offset,
            })?;
            let mut value = String::with_capacity(a.value.len());
            for word in a.value.split_whitespace() {
                if !value.is_empty() {
                    value.push(' ');
                }
                value.push_str(word);
            }
            if !value.is_empty() {
                meta.values[field as usize] = Some(value);
                meta.offsets[field as usize] = Some(a.offset);
            }
        }
        Ok(meta)
    }

    /// The value the author gave, if any.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.values[field as usize].as_deref()
    }

    /// The byte offset in the chapter of the attribute that set `field`.
    pub fn offset(&self, field: Field) -> Option<usize> {
        self.offsets[field as usize]
    }

    /// Sets a value (used by tools that write directives, and by tests).
    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        self.values[field as usize] = Some(value.into());
    }

    /// A warning for each date field whose value is not a calendar date, with the byte offset
    /// of its attribute. Such a value is still shown as written; the index sorts it with the
    /// docs that have no date.
    pub fn date_problems(&self) -> Vec<(usize, Diagnostic)> {
        Field::ALL
            .into_iter()
            .filter(|f| f.is_date())
            .filter_map(|f| {
                let value = self.get(f)?;
                let error = Date::parse(value).err()?;
                let offset = self.offset(f).unwrap_or_default();
                Some((offset, date_warning(f, value, &error)))
            })
            .collect()
    }

    /// The value to show when the template asks for `field` and the author gave none, derived
    /// from other fields where that is what a reader expects.
    pub fn derived(&self, field: Field) -> Option<&str> {
        match field {
            Field::Updated => self.get(Field::Date),
            Field::Status => Some(DEFAULT_STATUS),
            _ => None,
        }
    }
}

/// What is wrong with a date and how to write it: a date derived from what was written when
/// there is one to derive (`2026-2-3` padded, the month and day of `2026-13-05` swapped, the
/// first or last day of the month written), else the format alone. A fixed example date
/// would read as a suggestion to use that day.
fn date_warning(field: Field, value: &str, error: &DateError) -> Diagnostic {
    let help = match error {
        DateError::Format {
            suggestion: Some(s),
        } => format!("write it as {}: `{field}=\"{s}\"`", date::FORMAT),
        DateError::Format { suggestion: None } => format!(
            "write it as {}: a four-digit year, then the month (01 to 12) and the day, each of \
             two digits",
            date::FORMAT
        ),
        DateError::Month(month) => match swapped(value) {
            Some(s) => {
                format!("the month is 01 to 12; if {month} is the day, write `{field}=\"{s}\"`")
            }
            None => format!(
                "the month is 01 to 12 (and the day 01 to 31): write a real day as {}",
                date::FORMAT
            ),
        },
        DateError::Day { day, days, .. } => {
            let month_of = value.get(..8).unwrap_or_default();
            if *day == 0 {
                format!("days start at 01: `{field}=\"{month_of}01\"` is the first of the month")
            } else {
                format!("the last day of that month is `{field}=\"{month_of}{days:02}\"`")
            }
        }
    };
    Diagnostic::warning(
        Rule::InvalidDate,
        format!(
            "`{field}` {value:?} is not a calendar date ({}): {error}",
            date::FORMAT
        ),
    )
    .with_help(help)
}

/// `2026-05-13` for `2026-13-05`: month and day swapped, when that is a real date.
fn swapped(value: &str) -> Option<String> {
    let mut parts = value.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    Date::parse(&format!("{year}-{day}-{month}"))
        .ok()
        .map(|d| d.to_string())
}

/// The status of a doc whose directive gives none.
pub const DEFAULT_STATUS: &str = "Draft";

/// One design doc found in the book: a chapter with a template directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesignDoc {
    /// The template it uses.
    pub template: String,
    /// Its metadata.
    pub metadata: Metadata,
    /// The title shown (the `title` attribute or the chapter's name).
    pub title: String,
    /// The status shown: the lifecycle's name for it, or the value as written when unknown.
    pub status: String,
    /// Whether the status is in the lifecycle.
    pub status_known: bool,
    /// Skeleton leaf sections with authored content.
    pub filled_sections: usize,
    /// Skeleton leaf sections.
    pub total_sections: usize,
    /// The chapter's rendered path relative to `src` (mdBook's `path`), for links.
    pub path: Option<PathBuf>,
    /// The chapter's source file relative to `src`, for messages.
    pub source_path: Option<PathBuf>,
    /// The 1-based line of the directive in the chapter.
    pub line: usize,
    /// Where each attribute the directive gives is, for messages about it.
    pub positions: Vec<(Field, Position)>,
    /// Its sign-offs.
    pub approvals: Approvals,
}

/// A doc's sign-offs against the roles that must sign it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Approvals {
    /// The roles that must sign, in order.
    pub required: Vec<String>,
    /// The required roles that have signed (a name and a date).
    pub signed: Vec<String>,
    /// The required roles still to sign.
    pub missing: Vec<String>,
}

impl Approvals {
    /// `2/3`, or `—` when no role is required.
    pub fn summary(&self) -> String {
        if self.required.is_empty() {
            "—".into()
        } else {
            format!("{}/{}", self.signed.len(), self.required.len())
        }
    }
}

impl DesignDoc {
    /// Where the attribute that set `field` is, or the directive's line.
    pub fn position(&self, field: Field) -> Position {
        self.positions.iter().find(|(f, _)| *f == field).map_or(
            Position {
                line: self.line,
                column: 1,
            },
            |(_, p)| *p,
        )
    }

    /// The date shown in the index: last updated, else created.
    pub fn last_date(&self) -> Option<&str> {
        self.metadata
            .get(Field::Updated)
            .or_else(|| self.metadata.get(Field::Date))
    }

    /// [`last_date`](Self::last_date) as a calendar date; `None` when it is missing or not a
    /// real date (such docs sort with the undated ones).
    pub fn last_calendar_date(&self) -> Option<Date> {
        Date::parse(self.last_date()?).ok()
    }

    /// `filled/total`, e.g. `4/21`.
    pub fn completeness(&self) -> String {
        format!("{}/{}", self.filled_sections, self.total_sections)
    }
}

/// How a doc relates to the others in the book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    /// The docs this one replaces.
    pub supersedes: Vec<Link>,
    /// The docs that replace this one.
    pub superseded_by: Vec<Link>,
    /// For each link a reference field (`prd`, `rfc`, `adr`) holds (see
    /// [`reference_parts`](crate::markdown::write::reference_parts)) that points to a chapter
    /// of the book: the link as written and that chapter's title, shown as the link's text
    /// instead of the path.
    pub references: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(key: &str, value: &str) -> Attribute {
        Attribute {
            key: key.into(),
            value: value.into(),
            offset: 7,
        }
    }

    #[test]
    fn keys_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_key(f.key()), Some(f));
        }
        assert_eq!(Field::from_key("superseded_by"), None);
    }

    #[test]
    fn values_are_normalised_and_unknown_keys_refused() {
        let m =
            Metadata::from_attributes(&[attr("title", "  Payment\n   retries "), attr("date", "")])
                .unwrap();
        assert_eq!(m.get(Field::Title), Some("Payment retries"));
        assert_eq!(m.get(Field::Date), None);
        let e = Metadata::from_attributes(&[attr("titel", "x")]).unwrap_err();
        assert_eq!(e.key, "titel");
        assert_eq!(e.offset, 7);
    }

    #[test]
    fn dates_that_are_not_calendar_dates_warn_at_their_attribute() {
        let m = Metadata::from_attributes(&[
            attr("date", "2026-13-45"),
            attr("updated", "2026-2-3"),
            attr("version", "2026-99-99"),
        ])
        .unwrap();
        let problems: Vec<(usize, String)> = m
            .date_problems()
            .into_iter()
            .map(|(o, d)| (o, d.to_string()))
            .collect();
        assert_eq!(
            problems,
            [
                (
                    7,
                    "warning[invalid-date]: `date` \"2026-13-45\" is not a calendar date (YYYY-MM-DD): there is no month 13\n  help: the month is 01 to 12 (and the day 01 to 31): write a real day as YYYY-MM-DD".to_owned()
                ),
                (
                    7,
                    "warning[invalid-date]: `updated` \"2026-2-3\" is not a calendar date (YYYY-MM-DD): it is not written as YYYY-MM-DD\n  help: write it as YYYY-MM-DD: `updated=\"2026-02-03\"`".to_owned()
                ),
            ]
        );
        let good = Metadata::from_attributes(&[attr("date", "2024-02-29")]).unwrap();
        assert!(good.date_problems().is_empty());
    }

    /// Review: the help always suggested 2026-03-01, whatever was written.
    #[test]
    fn the_date_help_is_derived_from_what_was_written() {
        let help = |value: &str| {
            let m = Metadata::from_attributes(&[attr("date", value)]).unwrap();
            let problems = m.date_problems();
            assert_eq!(problems.len(), 1, "{value}");
            let shown = problems[0].1.to_string();
            let (_, help) = shown.split_once("help: ").unwrap();
            help.to_owned()
        };
        assert_eq!(
            help("2026-13-05"),
            "the month is 01 to 12; if 13 is the day, write `date=\"2026-05-13\"`"
        );
        assert_eq!(
            help("2026-02-30"),
            "the last day of that month is `date=\"2026-02-28\"`"
        );
        assert_eq!(
            help("2028-02-30"),
            "the last day of that month is `date=\"2028-02-29\"`"
        );
        assert_eq!(
            help("2026-04-00"),
            "days start at 01: `date=\"2026-04-01\"` is the first of the month"
        );
        for value in ["March 1st", "2026/03/01", "26-03-01", "10000-01-01"] {
            assert_eq!(
                help(value),
                "write it as YYYY-MM-DD: a four-digit year, then the month (01 to 12) and the \
                 day, each of two digits",
                "{value}"
            );
        }
        for value in ["2026-13-45", "2026-1-2", "2026-00-13"] {
            assert!(!help(value).contains("2026-03-01"), "{value}");
        }
    }

    #[test]
    fn derived_values() {
        let mut m = Metadata::default();
        assert_eq!(m.derived(Field::Status), Some("Draft"));
        assert_eq!(m.derived(Field::Updated), None);
        m.set(Field::Date, "2026-01-02");
        assert_eq!(m.derived(Field::Updated), Some("2026-01-02"));
    }
}
