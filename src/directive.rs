//! Finding `<<#trd NAME key="value" ...>>` directives in a chapter, and parsing them.
//!
//! A directive is a top-level paragraph whose whole text is the directive. Paragraphs are found
//! with pulldown-cmark's offset iterator, so fenced and indented code, inline code, HTML blocks
//! and text in the middle of a sentence are never mistaken for one. The parser only reads the
//! syntax; which names and attributes exist is decided by the caller.

use std::ops::Range;

use pulldown_cmark::Options;
use thiserror::Error;

use crate::sections::{Heading, top_level_blocks};

/// What every directive starts with.
pub const OPEN: &str = "<<#trd";
/// The byte order mark some editors put at the start of a file.
const BOM: char = '\u{feff}';
/// What every directive ends with.
pub const CLOSE: &str = ">>";

/// One parsed directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The byte range of the whole paragraph in the chapter, trailing newline included: the
    /// bytes an expansion replaces.
    pub span: Range<usize>,
    /// The name after `<<#trd`: a template name, or `index`.
    pub name: String,
    /// Byte offset of the name in the chapter.
    pub name_offset: usize,
    /// The attributes, in the order written.
    pub attributes: Vec<Attribute>,
}

/// One `key=value` pair of a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The key as written.
    pub key: String,
    /// The value with quotes removed and escapes resolved.
    pub value: String,
    /// Byte offset of the key in the chapter.
    pub offset: usize,
}

/// A directive that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind}")]
pub struct SyntaxError {
    /// Byte offset in the chapter where the problem is.
    pub offset: usize,
    /// What is wrong.
    pub kind: SyntaxErrorKind,
}

/// The ways a directive can be malformed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyntaxErrorKind {
    /// `<<#trd>>` or `<<#trd key="v">>`.
    #[error("the directive names no template")]
    MissingName,
    /// A name outside `[a-z0-9][a-z0-9_-]*`.
    #[error("invalid template name {0:?}")]
    InvalidName(String),
    /// A quoted value that never closes.
    #[error("unterminated {quote} quote in the value of `{key}`")]
    UnterminatedQuote {
        /// The attribute whose value is open.
        key: String,
        /// `"` or `'`.
        quote: char,
    },
    /// The paragraph ends before `>>`.
    #[error("missing `>>` at the end of the directive")]
    MissingClose,
    /// Something that is not `key=value`.
    #[error("expected an attribute `key=value`, found {0:?}")]
    ExpectedAttribute(String),
    /// `key=` with nothing after it, or `key` alone.
    #[error("attribute `{0}` has no value")]
    MissingValue(String),
    /// The same key twice.
    #[error("attribute `{key}` is given twice")]
    DuplicateAttribute {
        /// The repeated key.
        key: String,
    },
    /// Text in the same paragraph after `>>`.
    #[error("text after the directive's closing `>>`")]
    TrailingText,
}

impl SyntaxErrorKind {
    /// What would be right.
    pub fn help(&self) -> String {
        match self {
            SyntaxErrorKind::MissingName => {
                "write the template name first, e.g. `<<#trd tdd title=\"...\">>`".into()
            }
            SyntaxErrorKind::InvalidName(_) => {
                "template names are lowercase letters, digits, `-` and `_`, e.g. `trd-numbered`"
                    .into()
            }
            SyntaxErrorKind::UnterminatedQuote { quote, .. } => {
                format!("close the value with {quote}; write \\{quote} for a literal {quote}")
            }
            SyntaxErrorKind::MissingClose => {
                "end the directive with `>>` and leave a blank line after it".into()
            }
            SyntaxErrorKind::ExpectedAttribute(_) => {
                "attributes are `key=\"value\"`, `key='value'` or `key=word`".into()
            }
            SyntaxErrorKind::MissingValue(key) => format!("write `{key}=\"...\"`"),
            SyntaxErrorKind::DuplicateAttribute { key } => {
                format!("keep one `{key}=` and remove the other")
            }
            SyntaxErrorKind::TrailingText => {
                "a directive is a paragraph of its own: put a blank line after `>>`".into()
            }
        }
    }
}

/// Where a directive-looking paragraph sits inside a container, so it is left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nested {
    /// Byte offset of the `<<#trd` in the chapter.
    pub offset: usize,
}

/// Everything [`scan`] found in a chapter, in source order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The well-formed directives.
    pub directives: Vec<Directive>,
    /// The malformed ones.
    pub errors: Vec<SyntaxError>,
    /// Directive-looking paragraphs inside lists, block quotes, footnotes and the like, which
    /// are not expanded (an expansion there would break the container).
    pub nested: Vec<Nested>,
    /// The chapter's top-level headings, found in the same pass (for section merging).
    pub headings: Vec<Heading>,
}

/// Finds every directive in `content`, parsed with the same Markdown `options` as the renderer.
///
/// A chapter that does not contain `<<#trd` at all is answered without running the Markdown
/// parser, so plain chapters cost one substring search.
pub fn scan(content: &str, options: Options) -> Scan {
    let mut found = Scan::default();
    if !content.contains(OPEN) {
        return found;
    }
    let mut directives = Vec::new();
    let mut errors = Vec::new();
    let mut nested = Vec::new();
    let headings = top_level_blocks(content, options, |range, top_level| {
        let raw = content.get(range.clone()).unwrap_or_default();
        // pulldown-cmark keeps a byte order mark as text of the first paragraph. mdBook strips
        // it when it reads a file; from anywhere else it is read past and, being in the
        // directive's paragraph, replaced with the expansion (a mark before a heading would
        // turn the heading into text).
        let unmarked = if range.start == 0 {
            raw.trim_start_matches(BOM)
        } else {
            raw
        };
        let lead = raw.len() - unmarked.trim_start().len();
        if !starts_directive(&raw[lead..]) {
            return;
        }
        let start = range.start + lead;
        if !top_level {
            nested.push(Nested { offset: start });
            return;
        }
        let end = range.end + closing_line(&content[range.end..]);
        match parse(content, start, end) {
            Ok(mut d) => {
                d.span = range.start..end;
                directives.push(d);
            }
            Err(e) => errors.push(e),
        }
    });
    found.directives = directives;
    found.errors = errors;
    found.nested = nested;
    found.headings = headings;
    found
}

/// The length of a line holding only `>>` at the start of `rest`, else 0.
///
/// A multi-line directive may close with `>>` on a line of its own, which CommonMark reads as an
/// (empty) block quote after the paragraph: that line belongs to the directive.
fn closing_line(rest: &str) -> usize {
    let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let line = &rest[..line_end];
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent <= 3 && line.trim() == CLOSE {
        line_end
    } else {
        0
    }
}

/// True when `text` begins with `<<#trd` as a word (not e.g. `<<#trdx`).
fn starts_directive(text: &str) -> bool {
    text.strip_prefix(OPEN).is_some_and(|rest| {
        rest.is_empty() || rest.starts_with(CLOSE) || rest.starts_with(char::is_whitespace)
    })
}

/// A cursor over `text[start..end]` that reports absolute offsets.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..self.end).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// Takes characters up to whitespace or `>>`.
    fn word(&mut self) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_whitespace() || self.rest().starts_with(CLOSE) {
                break;
            }
            self.bump();
        }
        &self.text[start..self.pos]
    }

    fn error(&self, offset: usize, kind: SyntaxErrorKind) -> SyntaxError {
        SyntaxError { offset, kind }
    }
}

/// Parses the directive that starts at byte `start` of `text` and must end by `end`.
fn parse(text: &str, start: usize, end: usize) -> Result<Directive, SyntaxError> {
    let mut c = Cursor {
        text,
        pos: start + OPEN.len(),
        end,
    };
    c.skip_whitespace();
    let name_offset = c.pos;
    let name = c.word();
    if name.is_empty() || name.contains('=') {
        return Err(c.error(name_offset, SyntaxErrorKind::MissingName));
    }
    if !is_valid_name(name) {
        return Err(c.error(name_offset, SyntaxErrorKind::InvalidName(name.into())));
    }
    let mut attributes: Vec<Attribute> = Vec::new();
    loop {
        c.skip_whitespace();
        if c.rest().starts_with(CLOSE) {
            c.pos += CLOSE.len();
            let after = c.pos;
            c.skip_whitespace();
            if c.pos < c.end {
                return Err(c.error(after, SyntaxErrorKind::TrailingText));
            }
            break;
        }
        if c.peek().is_none() {
            let at = text[start..end].trim_end().len() + start;
            return Err(c.error(at, SyntaxErrorKind::MissingClose));
        }
        let attribute = parse_attribute(&mut c)?;
        if attributes.iter().any(|a| a.key == attribute.key) {
            return Err(c.error(
                attribute.offset,
                SyntaxErrorKind::DuplicateAttribute { key: attribute.key },
            ));
        }
        attributes.push(attribute);
    }
    Ok(Directive {
        span: start..end,
        name: name.into(),
        name_offset,
        attributes,
    })
}

fn parse_attribute(c: &mut Cursor<'_>) -> Result<Attribute, SyntaxError> {
    let offset = c.pos;
    while c
        .peek()
        .is_some_and(|ch| ch.is_alphanumeric() || ch == '-' || ch == '_')
    {
        c.bump();
    }
    let key = c.text[offset..c.pos].to_owned();
    if key.is_empty() {
        let word = c.word();
        let shown = if word.is_empty() { c.rest() } else { word };
        return Err(c.error(
            offset,
            SyntaxErrorKind::ExpectedAttribute(shown.chars().take(40).collect()),
        ));
    }
    if c.peek() != Some('=') {
        if c.peek().is_none_or(char::is_whitespace) || c.rest().starts_with(CLOSE) {
            return Err(c.error(offset, SyntaxErrorKind::MissingValue(key)));
        }
        c.pos = offset;
        let word = c.word().to_owned();
        return Err(c.error(offset, SyntaxErrorKind::ExpectedAttribute(word)));
    }
    c.bump();
    let value = match c.peek() {
        Some(quote @ ('"' | '\'')) => {
            let open = c.pos;
            c.bump();
            let mut value = String::new();
            loop {
                match c.bump() {
                    None => {
                        return Err(
                            c.error(open, SyntaxErrorKind::UnterminatedQuote { key, quote })
                        );
                    }
                    Some('\\') => match c.peek() {
                        Some(next @ ('"' | '\'' | '\\')) => {
                            c.bump();
                            value.push(next);
                        }
                        // Other backslashes are kept, so Windows paths and regexes survive.
                        _ => value.push('\\'),
                    },
                    Some(ch) if ch == quote => break,
                    Some(ch) => value.push(ch),
                }
            }
            value
        }
        _ => {
            let word = c.word();
            if word.is_empty() {
                return Err(c.error(offset, SyntaxErrorKind::MissingValue(key)));
            }
            word.to_owned()
        }
    };
    Ok(Attribute { key, value, offset })
}

/// True for names of the form `[a-z0-9][a-z0-9_-]*`: template names, and so file stems of a
/// book's own templates.
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    fn opts() -> Options {
        crate::config::MarkdownFlavor::default().options()
    }

    fn one(text: &str) -> Directive {
        let s = scan(text, opts());
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.directives.len(), 1, "{s:?}");
        s.directives.into_iter().next().unwrap()
    }

    fn error(text: &str) -> (SyntaxErrorKind, Position) {
        let s = scan(text, opts());
        assert!(s.directives.is_empty(), "{s:?}");
        let e = s.errors.into_iter().next().expect("an error");
        (e.kind, Position::of_offset(text, e.offset))
    }

    fn pos(line: usize, column: usize) -> Position {
        Position { line, column }
    }

    fn attrs(d: &Directive) -> Vec<(&str, &str)> {
        d.attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()))
            .collect()
    }

    #[test]
    fn finds_a_simple_directive_and_its_span() {
        let text = "# Doc\n\n<<#trd tdd title=\"Payment retries\" number=42>>\n\nafter\n";
        let d = one(text);
        assert_eq!(d.name, "tdd");
        assert_eq!(
            &text[d.span.clone()],
            "<<#trd tdd title=\"Payment retries\" number=42>>\n"
        );
        assert_eq!(attrs(&d), [("title", "Payment retries"), ("number", "42")]);
        assert_eq!(Position::of_offset(text, d.name_offset), pos(3, 8));
    }

    #[test]
    fn a_byte_order_mark_is_read_past() {
        let d = one("\u{feff}<<#trd tdd>>\n\nText.\n");
        assert_eq!(d.name, "tdd");
        // The mark goes with the directive: a mark left before the expansion's `# Title` would
        // make the title a paragraph.
        assert_eq!(d.span, 0..16);
        // Only at the very start of a chapter.
        assert!(
            scan("a\n\n\u{feff}<<#trd tdd>>\n", opts())
                .directives
                .is_empty()
        );
    }

    #[test]
    fn quotes_escapes_and_bare_words() {
        let d = one(r#"<<#trd tdd a="say \"hi\" \\ \n" b='it\'s' c=bare-word d="C:\path">>"#);
        assert_eq!(
            attrs(&d),
            [
                ("a", r#"say "hi" \ \n"#),
                ("b", "it's"),
                ("c", "bare-word"),
                ("d", r"C:\path")
            ]
        );
    }

    #[test]
    fn close_inside_quotes_is_part_of_the_value() {
        let d = one("<<#trd tdd title=\"a >> b\" author='x>>y'>>");
        assert_eq!(attrs(&d), [("title", "a >> b"), ("author", "x>>y")]);
    }

    #[test]
    fn spans_several_lines() {
        let text = "<<#trd trd-numbered\n   title=\"Long\"\n   author=\"Ada\"\n>>\n";
        let d = one(text);
        assert_eq!(d.name, "trd-numbered");
        assert_eq!(attrs(&d), [("title", "Long"), ("author", "Ada")]);
        assert_eq!(d.span, 0..text.len());
    }

    #[test]
    fn bare_word_stops_at_close() {
        let d = one("<<#trd tdd status=Draft>>");
        assert_eq!(attrs(&d), [("status", "Draft")]);
        let d = one("<<#trd index>>");
        assert!(d.attributes.is_empty());
    }

    #[test]
    fn look_alikes_are_not_directives() {
        for text in [
            "```\n<<#trd tdd>>\n```\n",
            "~~~md\n<<#trd tdd>>\n~~~\n",
            "    <<#trd tdd>>\n",
            "Use `<<#trd tdd>>` inline.\n",
            "<div>\n<<#trd tdd>>\n</div>\n",
            "We write <<#trd tdd>> mid-sentence.\n",
            "\\<<#trd tdd>>\n",
            "<<#trdx tdd>>\n",
            "<!-- <<#trd tdd>> -->\n",
        ] {
            let s = scan(text, opts());
            assert_eq!(s, Scan::default(), "{text:?}");
        }
    }

    #[test]
    fn nested_paragraphs_are_reported_not_expanded() {
        let s = scan("> <<#trd tdd>>\n\n- a\n\n  <<#trd tdd>>\n", opts());
        assert!(s.directives.is_empty());
        assert_eq!(s.nested.len(), 2);
        // Tight list items, table cells and definition terms hold text without a paragraph.
        let text = "- <<#trd tdd>>\n- b\n\n| <<#trd index>> |\n|---|\n\n<<#trd trd>>\n: term\n";
        let s = scan(text, opts());
        assert!(s.directives.is_empty() && s.errors.is_empty());
        let at: Vec<usize> = s.nested.iter().map(|n| n.offset).collect();
        assert_eq!(at, [2, 22, 46]);
        assert!(at.iter().all(|&o| text[o..].starts_with(OPEN)));
    }

    #[test]
    fn no_marker_means_no_parse() {
        assert_eq!(scan("# Just a chapter\n", opts()), Scan::default());
    }

    #[test]
    fn every_error_has_its_line_and_column() {
        use SyntaxErrorKind::*;
        assert_eq!(error("text\n\n<<#trd>>\n"), (MissingName, pos(3, 7)));
        assert_eq!(error("<<#trd title=\"x\">>"), (MissingName, pos(1, 8)));
        assert_eq!(
            error("<<#trd TDD>>"),
            (InvalidName("TDD".into()), pos(1, 8))
        );
        assert_eq!(
            error("<<#trd tdd\n  title=\"open>>\n"),
            (
                UnterminatedQuote {
                    key: "title".into(),
                    quote: '"'
                },
                pos(2, 9)
            )
        );
        assert_eq!(error("<<#trd tdd title=x\n"), (MissingClose, pos(1, 19)));
        assert_eq!(
            error("<<#trd tdd = x>>"),
            (ExpectedAttribute("=".into()), pos(1, 12))
        );
        assert_eq!(
            error("<<#trd tdd title>>"),
            (MissingValue("title".into()), pos(1, 12))
        );
        assert_eq!(
            error("<<#trd tdd title=>>"),
            (MissingValue("title".into()), pos(1, 12))
        );
        assert_eq!(
            error("<<#trd tdd a=1 b=2 a=3>>"),
            (DuplicateAttribute { key: "a".into() }, pos(1, 20))
        );
        assert_eq!(
            error("<<#trd tdd>>\nIntro without a blank line.\n"),
            (TrailingText, pos(1, 13))
        );
    }

    #[test]
    fn names() {
        assert!(is_valid_name("trd-numbered"));
        assert!(is_valid_name("a_1"));
        assert!(!is_valid_name("-x"));
        assert!(!is_valid_name("../x"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("Tdd"));
    }
}
