//! Sign-offs, read from a design doc's Approval section.
//!
//! Two forms, as in the source templates: a table with role, name and date columns
//! (`| Tech Lead | Ada | 2026-11-02 | AL |`), and lines that open with the role in bold
//! (`**Architect:** Grace Hopper - 2026-11-03`), one per line (hard or soft line breaks,
//! paragraphs or list items).
//!
//! A row counts as signed when it has a real name and a real date. A name is real when it has
//! at least two letters and is not a placeholder (`[Name]`, `{name}`, `(pending)`) or a word
//! people write instead of a name (`TBD`, `Pending`, `n/a`, `None`, ...). A date is real when it
//! is a calendar date written `YYYY-MM-DD`, optionally followed by an ISO 8601 time
//! (`2026-10-21T10:00`, `2026-10-21 10:00:00Z`, `2026-10-21T10:00+02:00`). Other forms
//! (`21 Oct 2026`, `21/10/2026`) are not read: the project writes every date one way, and
//! `10/11/2026` means two different days depending on who reads it.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::model::date::Date;
use crate::model::sections::outline::heading_key;

/// True when `key` (a heading key, see [`heading_key`]) names an approval section: `Approval`,
/// `Approvals`, `Sign-off`, `Sign off`, `Signoff`, `Sign-offs`, `Signatures`, and combinations
/// such as `Approvals & Sign-off` or `Review and Approval`, with `Final`, `Stakeholder` or
/// `Document` in front, a letter or Roman numeral as outline marker, and emoji around.
/// Headings with any other word (`Approval Workflow`, `Design Review`) are not.
pub fn is_approval_section(key: &str) -> bool {
    // Every heading of a doc is asked, and few are about signing. Each word that makes one so
    // holds `sign` or `approv`, in ASCII whatever the case (the one other character that
    // lower-cases to one of those letters, `İ`, adds a mark after its `i` that splits the
    // word), so a heading with neither is answered without splitting it into words.
    let holds = |part: &[u8]| {
        key.as_bytes()
            .windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part))
    };
    if !holds(b"sign") && !holds(b"approv") {
        return false;
    }
    let lower = key.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let mut about_signing = false;
    let mut i = 0;
    while let Some(&word) = words.get(i) {
        let next = words.get(i + 1).copied();
        i += 1;
        match (word, next) {
            ("sign" | "signed", Some("off" | "offs")) => {
                i += 1;
                about_signing = true;
            }
            (
                "approval" | "approvals" | "approvers" | "signoff" | "signoffs" | "signature"
                | "signatures",
                _,
            ) => about_signing = true,
            ("and" | "review" | "reviews" | "final" | "stakeholder" | "stakeholders", _)
            | ("document" | "doc", _) => {}
            (marker, Some(_)) if i == 1 && is_outline_marker(marker) => {}
            _ => return false,
        }
    }
    about_signing
}

/// `a`, `b`, `iv`, `ix`: the marker of an appendix or an outline numbered in letters.
fn is_outline_marker(word: &str) -> bool {
    let ascii_letter = word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic());
    let roman = word.len() <= 5 && word.chars().all(|c| "ivxlcdm".contains(c));
    ascii_letter || roman
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

/// What people write where a name should be, compared after lower-casing and reducing
/// punctuation to single spaces (`N/A` is `n a`).
const NOT_NAMES: &[&str] = &[
    "tbd",
    "tba",
    "tbc",
    "tbs",
    "todo",
    "to do",
    "fixme",
    "pending",
    "n a",
    "na",
    "none",
    "nobody",
    "no one",
    "nil",
    "null",
    "unknown",
    "unsigned",
    "not signed",
    "not yet",
    "not yet signed",
    "awaiting",
    "awaiting signature",
    "awaiting approval",
    "waiting",
    "open",
    "name",
    "your name",
    "full name",
    "first last",
    "first name last name",
    "signature",
    "sign here",
    "required",
    "needed",
    "missing",
    "blank",
    "empty",
    "placeholder",
    "to be determined",
    "to be decided",
    "to be confirmed",
    "to be announced",
    "not applicable",
    "not required",
    "no",
    "yes",
    "ok",
    "approved",
    "signed",
    "rejected",
    "declined",
    "xx",
    "xxx",
    "wip",
    "in progress",
    "in review",
    "pending review",
    "pending approval",
    "vacant",
];

/// The text of a cell or line part without the emphasis marks around it, nor the backslash
/// of a hard break on a paragraph's last line (which Markdown shows as written).
fn bare(value: &str) -> &str {
    value
        .trim()
        .trim_end_matches('\\')
        .trim_matches(|c: char| matches!(c, '*' | '_' | '~' | '`'))
        .trim()
}

/// Words that, next to a name, say the person has not signed (yet): `Jane (pending)`,
/// `Jane [TBD]`, `Jane, not signed`. Compared like [`NOT_NAMES`].
const NOT_YET: &[&str] = &[
    "tbd",
    "tba",
    "tbc",
    "todo",
    "to do",
    "pending",
    "pending review",
    "pending approval",
    "pending signature",
    "not signed",
    "not signed yet",
    "not yet",
    "not yet signed",
    "unsigned",
    "awaiting",
    "awaiting signature",
    "awaiting approval",
    "waiting",
    "to be confirmed",
    "to be determined",
    "not approved",
    "declined",
    "rejected",
    "withdrawn",
    "revoked",
];

/// `text`'s words, lower-cased and joined by single spaces (`N/A` is `n a`).
fn words_of(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when a name carries a note that it is not signed: a part in brackets, or after a
/// comma, semicolon or dash, that is a [`NOT_YET`] word (`Jane (pending)`, `Jane, TBD`).
fn marked_not_signed(name: &str) -> bool {
    let mut notes: Vec<&str> = Vec::new();
    let mut rest = name;
    while let Some(open) = rest.find(['(', '[', '{']) {
        let inside = &rest[open + 1..];
        match inside.find([')', ']', '}']) {
            Some(close) => {
                notes.push(&inside[..close]);
                rest = &inside[close + 1..];
            }
            None => {
                notes.push(inside);
                break;
            }
        }
    }
    notes.extend(name.split([',', ';', '–', '—']).skip(1));
    notes.extend(name.split(" - ").skip(1));
    notes
        .iter()
        .any(|note| NOT_YET.contains(&words_of(note).as_str()))
}

/// A real name, or `None` for a placeholder, a mark or a "not yet" word, a struck-out name
/// (`~~Jane~~`: read as text where strikethrough is not parsed), or a name marked as not
/// signed (`Jane (pending)`).
fn real_name(value: &str) -> Option<String> {
    let raw = value.trim();
    if raw.len() > 1 && raw.starts_with('~') && raw.ends_with('~') {
        return None;
    }
    if marked_not_signed(raw) {
        return None;
    }
    let v = bare(value);
    let bracketed = [('[', ']'), ('{', '}'), ('<', '>'), ('(', ')')]
        .iter()
        .any(|&(open, close)| v.starts_with(open) && v.ends_with(close));
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    let words = words_of(v);
    (!bracketed && letters >= 2 && !NOT_NAMES.contains(&words.as_str())).then(|| v.to_owned())
}

/// A real date (see the module's documentation), or `None`.
fn real_date(value: &str) -> Option<String> {
    let v = bare(value);
    let (date, time) = match v.char_indices().nth(10) {
        Some((at, 'T' | ' ')) => (&v[..at], Some(&v[at + 1..])),
        Some(_) => return None,
        None => (v, None),
    };
    // The calendar is `date`'s own (one parser for every date of a doc); year 0000, which
    // `date` accepts as ISO 8601's year zero, is no day anyone signed on.
    let real = Date::parse(date).is_ok_and(|d| d.year() > 0);
    (real && time.is_none_or(is_time)).then(|| v.to_owned())
}

/// `HH:MM`, `HH:MM:SS`, either followed by `Z` or an offset `+HH:MM` / `-HH:MM`.
fn is_time(text: &str) -> bool {
    let (clock, zone) = match text.find(['Z', '+', '-']) {
        Some(at) => text.split_at(at),
        None => (text, ""),
    };
    let two_digits = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let clock_ok = matches!(parts.len(), 2 | 3)
        && two_digits(parts[0], 23)
        && two_digits(parts[1], 59)
        && parts.get(2).is_none_or(|s| two_digits(s, 60));
    let zone_ok = match zone.split_at_checked(1) {
        None => true,
        Some(("Z", rest)) => rest.is_empty(),
        Some((_, offset)) => offset
            .split_once(':')
            .is_some_and(|(h, m)| two_digits(h, 23) && two_digits(m, 59)),
    };
    clock_ok && zone_ok
}

/// Reads every sign-off in an Approval section's Markdown, in order.
pub fn parse(markdown: &str, options: Options) -> Vec<SignOff> {
    let mut reader = Reader::default();
    for event in Parser::new_ext(markdown, options) {
        reader.event(event);
    }
    reader.finish_line();
    reader.out
}

/// Whether an inline HTML tag opens (`Some(true)`) or closes (`Some(false)`) struck-out text:
/// `<s>`, `<del>` or `<strike>`, in any case and with any attributes.
fn strike_tag(html: &str) -> Option<bool> {
    let inner = html.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    ["s", "del", "strike"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
        .then_some(!closing)
}

/// The state of one pass over an Approval section.
#[derive(Debug, Default)]
struct Reader {
    out: Vec<SignOff>,
    table: Option<Table>,
    cell: Option<String>,
    row: Vec<String>,
    /// Nothing has been written yet on the current line of text.
    line_start: bool,
    /// The bold text that opens the current line, while it is read.
    strong: Option<String>,
    /// A line that opened with bold text: that text, and what follows it so far.
    line: Option<(String, String)>,
    /// How many strikethroughs the text is in: struck-out text is deleted, so `~~Jane~~` is
    /// no name and `~~2026-01-01~~ 2026-01-05` the later date.
    struck: usize,
}

impl Reader {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(Tag::Table(_)) => self.table = Some(Table::default()),
            Event::End(TagEnd::Table) => self.table = None,
            Event::End(TagEnd::TableHead) => {
                let head = std::mem::take(&mut self.row);
                if let Some(table) = self.table.as_mut() {
                    *table = Table::from_head(&head);
                }
            }
            Event::Start(Tag::TableRow) => self.row.clear(),
            Event::End(TagEnd::TableRow) => {
                let row = std::mem::take(&mut self.row);
                if let Some(sign_off) = self.table.as_ref().and_then(|t| t.sign_off(&row)) {
                    self.out.push(sign_off);
                }
            }
            Event::Start(Tag::TableCell) => self.cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => self.row.extend(self.cell.take()),
            Event::Start(Tag::Paragraph | Tag::Item) | Event::SoftBreak | Event::HardBreak => {
                self.finish_line();
                self.line_start = true;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                self.finish_line();
                self.line_start = false;
            }
            Event::Start(Tag::Strong)
                if self.table.is_none() && self.line_start && self.line.is_none() =>
            {
                self.strong = Some(String::new());
                self.line_start = false;
            }
            Event::End(TagEnd::Strong) if self.strong.is_some() => {
                self.line = self.strong.take().map(|s| (s, String::new()));
            }
            Event::Start(Tag::Strikethrough) => self.struck += 1,
            Event::End(TagEnd::Strikethrough) => self.struck = self.struck.saturating_sub(1),
            // `<s>`, `<del>` and `<strike>` strike text out on the page just as `~~` does.
            Event::InlineHtml(html) => match strike_tag(&html) {
                Some(true) => self.struck += 1,
                Some(false) => self.struck = self.struck.saturating_sub(1),
                None => {}
            },
            Event::Text(t) | Event::Code(t) => self.text(&t),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        // A struck-out role label is still the role (its line is read, and not signed).
        if self.struck > 0 && self.strong.is_none() {
            self.line_start = false;
            return;
        }
        if let Some(cell) = self.cell.as_mut() {
            cell.push_str(text);
        } else if let Some(strong) = self.strong.as_mut() {
            strong.push_str(text);
        } else {
            if let Some((_, rest)) = self.line.as_mut() {
                rest.push_str(text);
            }
            self.line_start = false;
        }
    }

    /// Ends the current line: a sign-off when it opened with `**Role:**` (or `**Role**:`).
    fn finish_line(&mut self) {
        self.strong = None;
        let Some((label, rest)) = self.line.take() else {
            return;
        };
        let label = label.trim();
        let (role, rest) = match label.strip_suffix(':') {
            Some(role) => (role, rest.as_str()),
            None => match rest.trim_start().strip_prefix(':') {
                Some(rest) => (label, rest),
                None => return,
            },
        };
        let role = role.trim();
        if role.is_empty() {
            return;
        }
        let (name, date) = split_name_date(rest.trim());
        self.out.push(SignOff {
            role: role.to_owned(),
            name: real_name(name),
            date: date.and_then(real_date),
        });
    }
}

/// `Name - Date` (also with `–` or `—`); the date is what follows the last separator. Without
/// a separator, a date may end the text: `Name 2026-10-02`, `Name, 2026-10-02`.
fn split_name_date(text: &str) -> (&str, Option<&str>) {
    let separated = [" - ", " – ", " — "]
        .iter()
        .filter_map(|sep| text.rfind(sep).map(|i| (i, sep.len())))
        .max();
    if let Some((i, len)) = separated {
        return (&text[..i], Some(&text[i + len..]));
    }
    match text.rsplit_once(char::is_whitespace) {
        Some((name, last)) if real_date(last).is_some() => {
            (name.trim_end().trim_end_matches(','), Some(last))
        }
        _ => (text, None),
    }
}

/// What a table column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Role,
    Name,
    /// `Approver`, `Reviewer`: the person when no column says `Name`, else the role.
    Approver,
    /// `Date`, `Date signed`, `Signed on`, `Approved on`, `When`.
    Date,
    /// `Signed`, `Approved`, `Sign-off` alone: a date when no column says so more plainly.
    MaybeDate,
    Signature,
    Other,
}

impl Column {
    fn of(header: &str) -> Column {
        let key = heading_key(header);
        let words: Vec<&str> = key
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
        let signing = has(&["signed", "approved", "sign", "signoff", "reviewed"]);
        if has(&["date", "dated", "when"]) || (signing && has(&["on", "at"])) {
            Column::Date
        } else if matches!(
            words[..],
            ["signed" | "approved" | "signoff"] | ["signed" | "sign", "off"]
        ) {
            Column::MaybeDate
        } else if has(&["signature", "signatures", "initials", "sig", "sign"]) {
            Column::Signature
        } else if has(&["role", "title", "position", "function", "capacity"]) {
            Column::Role
        } else if has(&["name", "signatory", "signer", "person", "who", "by"]) {
            Column::Name
        } else if has(&[
            "approver",
            "approvers",
            "reviewer",
            "reviewers",
            "stakeholder",
        ]) {
            Column::Approver
        } else {
            Column::Other
        }
    }
}

/// The columns of an approval table.
#[derive(Debug, Default)]
struct Table {
    role: Option<usize>,
    name: Option<usize>,
    date: Option<usize>,
}

impl Table {
    /// Picks the columns from the header row. Without a `Role` column, the role is the first
    /// column that holds neither the name, the date nor a signature.
    fn from_head(head: &[String]) -> Table {
        let kinds: Vec<Column> = head.iter().map(|h| Column::of(h)).collect();
        let first = |kind: Column| kinds.iter().position(|&k| k == kind);
        let date = first(Column::Date).or_else(|| first(Column::MaybeDate));
        let name = first(Column::Name).or_else(|| first(Column::Approver));
        let role = first(Column::Role).or_else(|| {
            (0..kinds.len())
                .find(|&i| Some(i) != name && matches!(kinds[i], Column::Approver | Column::Other))
        });
        if name.is_none() && date.is_none() {
            // Not a sign-off table: nothing in it says who or when.
            return Table::default();
        }
        Table { role, name, date }
    }

    fn sign_off(&self, row: &[String]) -> Option<SignOff> {
        let role = bare(row.get(self.role?)?).trim_end_matches(':').trim();
        if role.is_empty() {
            return None;
        }
        let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).map_or("", String::as_str);
        Some(SignOff {
            role: role.to_owned(),
            name: real_name(cell(self.name)),
            date: real_date(cell(self.date)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(markdown: &str) -> Vec<(String, bool)> {
        parse(
            markdown,
            crate::markdown::flavor::MarkdownFlavor::default().options(),
        )
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
    fn calendar_dates_and_times() {
        // Sign-off dates are read by the one date parser, so they follow the rule of `date`
        // (but for year 0000).
        let is_calendar_date = |text: &str| real_date(text).is_some();
        for good in [
            "2026-10-21",
            "2028-02-29",
            "2000-02-29",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert!(is_calendar_date(good), "{good}");
        }
        for bad in [
            "2026-02-29",
            "1900-02-29",
            "2026-13-01",
            "2026-00-01",
            "2026-01-00",
            "2026-04-31",
            "0000-01-01",
            "2026-1-01",
            "2026/01/01",
            "+202-01-01",
            "2026-01-01x",
            "２０２６-01-01",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
        for good in [
            "10:00",
            "23:59:60",
            "00:00Z",
            "10:00:00+02:00",
            "10:00-05:30",
        ] {
            assert!(is_time(good), "{good}");
        }
        for bad in [
            "24:00",
            "10:60",
            "10",
            "10:00:00:00",
            "10:00Zx",
            "10:00+2",
            "1:00",
            "",
        ] {
            assert!(!is_time(bad), "{bad}");
        }
        assert_eq!(
            real_date("*2026-10-21T10:00*").as_deref(),
            Some("2026-10-21T10:00")
        );
        assert_eq!(real_date("2026-10-21T"), None);
        assert_eq!(real_date("2026-10-21 and more"), None);
    }

    #[test]
    fn section_keys() {
        assert!(is_approval_section("approval"));
        assert!(!is_approval_section("overview"));
    }
}
