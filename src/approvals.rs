//! Sign-offs, read from a design doc's Approval section.
//!
//! Two forms, as in the source templates: a table with `Role`, `Name` and `Date` columns
//! (`| Tech Lead | Ada | 2026-11-02 | AL |`), and lines with the role in bold
//! (`**Architect:** Grace Hopper - 2026-11-03`). A row counts as signed when it has a real name
//! and a real date: placeholders (`[Name]`, `{name}`, empty cells) do not count.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::sections::heading_key;

/// Heading keys that name an approval section.
pub const SECTION_KEYS: [&str; 6] = [
    "approval",
    "approvals",
    "sign-off",
    "sign-offs",
    "sign off",
    "approvals & sign-off",
];

/// True when `key` (a heading key) names an approval section.
pub fn is_approval_section(key: &str) -> bool {
    SECTION_KEYS.contains(&key)
}

/// One row of an Approval section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    /// The role, e.g. `Architect`.
    pub role: String,
    /// Who signed, when a real name is given.
    pub name: Option<String>,
    /// When, when a real date is given.
    pub date: Option<String>,
}

impl SignOff {
    /// Signed: a real name and a real date.
    pub fn is_signed(&self) -> bool {
        self.name.is_some() && self.date.is_some()
    }
}

/// A value that is really there: not empty and not a placeholder like `[Name]` or `{date}`.
fn real(value: &str) -> Option<String> {
    let v = value.trim().trim_matches('*').trim();
    let placeholder = v.is_empty()
        || (v.starts_with('[') && v.ends_with(']'))
        || (v.starts_with('{') && v.ends_with('}'))
        || v.chars().all(|c| c == '-' || c == '_' || c.is_whitespace());
    (!placeholder).then(|| v.to_owned())
}

/// Reads every sign-off in an Approval section's Markdown, tables first, then bold lines.
pub fn parse(markdown: &str, options: Options) -> Vec<SignOff> {
    let mut out = Vec::new();
    let mut table: Option<Table> = None;
    let mut cell: Option<String> = None;
    let mut row: Vec<String> = Vec::new();
    // Line form: the bold text and what follows it up to the end of the line.
    let mut strong: Option<String> = None;
    let mut line: Option<(String, String)> = None;

    let finish_line = |line: &mut Option<(String, String)>, out: &mut Vec<SignOff>| {
        if let Some((role, rest)) = line.take() {
            let role = role.trim().trim_end_matches(':').trim().to_owned();
            let rest = rest.trim().trim_start_matches(':').trim();
            let (name, date) = split_name_date(rest);
            if !role.is_empty() {
                out.push(SignOff {
                    role,
                    name: real(name),
                    date: date.and_then(real),
                });
            }
        }
    };

    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Table(_)) => table = Some(Table::default()),
            Event::End(TagEnd::Table) => table = None,
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.columns(&row);
                }
                row.clear();
            }
            Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableRow) => {
                if let Some(sign_off) = table.as_ref().and_then(|t| t.sign_off(&row)) {
                    out.push(sign_off);
                }
                row.clear();
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::Start(Tag::Strong) if table.is_none() && line.is_none() => {
                strong = Some(String::new())
            }
            Event::End(TagEnd::Strong) if strong.is_some() => {
                line = strong.take().map(|s| (s, String::new()));
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                finish_line(&mut line, &mut out);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                } else if let Some(s) = strong.as_mut() {
                    s.push_str(&t);
                } else if let Some((_, rest)) = line.as_mut() {
                    rest.push_str(&t);
                }
            }
            _ => {}
        }
    }
    finish_line(&mut line, &mut out);
    out
}

/// `Name - Date` (also with `–` or `—`); the date is what follows the last separator.
fn split_name_date(text: &str) -> (&str, Option<&str>) {
    [" - ", " – ", " — "]
        .iter()
        .filter_map(|sep| text.rfind(sep).map(|i| (i, sep.len())))
        .max()
        .map_or((text, None), |(i, len)| {
            (&text[..i], Some(&text[i + len..]))
        })
}

/// The columns of an approval table.
#[derive(Debug, Default)]
struct Table {
    role: Option<usize>,
    name: Option<usize>,
    date: Option<usize>,
}

impl Table {
    fn columns(&mut self, head: &[String]) {
        let find = |names: &[&str]| {
            head.iter()
                .position(|h| names.contains(&heading_key(h).as_str()))
        };
        self.role = find(&["role", "approver role", "reviewer role"]);
        self.name = find(&["name", "approver", "reviewer", "signed by"]);
        self.date = find(&["date", "signed", "signed on"]);
    }

    fn sign_off(&self, row: &[String]) -> Option<SignOff> {
        let role = row.get(self.role?)?.trim();
        if role.is_empty() {
            return None;
        }
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).and_then(|v| real(v));
        Some(SignOff {
            role: role.trim_matches('*').trim().to_owned(),
            name: cell(self.name),
            date: cell(self.date),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(markdown: &str) -> Vec<(String, bool)> {
        parse(markdown, crate::config::MarkdownFlavor::default().options())
            .into_iter()
            .map(|s| {
                let signed = s.is_signed();
                (s.role, signed)
            })
            .collect()
    }

    #[test]
    fn table_form() {
        let md = "| Role | Name | Date | Signature |\n|------|------|------|-----------|\n\
                  | Tech Lead | Jonas Berg | 2026-10-21 | JB |\n| Architect | Henrik | | |\n\
                  | Product Owner | | | |\n";
        assert_eq!(
            signed(md),
            [
                ("Tech Lead".into(), true),
                ("Architect".into(), false),
                ("Product Owner".into(), false)
            ]
        );
    }

    #[test]
    fn line_form() {
        let md = "**Engineering Lead:** Priya Raman - 2026-10-01\n**Architect:** Henrik Solberg – 2026-10-02\n\
                  **Security Review:** [Name] - [Date]\n";
        assert_eq!(
            signed(md),
            [
                ("Engineering Lead".into(), true),
                ("Architect".into(), true),
                ("Security Review".into(), false)
            ]
        );
    }

    #[test]
    fn placeholders_and_escaped_guidance_do_not_count() {
        let md = "**Architect:** *\\[Name\\]* - *\\[Date\\]*\n\n**QA:** {name} - {date}\n\n**Ops:** Ada\n";
        assert_eq!(
            signed(md),
            [
                ("Architect".into(), false),
                ("QA".into(), false),
                ("Ops".into(), false)
            ]
        );
    }

    #[test]
    fn section_keys() {
        assert!(is_approval_section("approval"));
        assert!(!is_approval_section("overview"));
    }
}
