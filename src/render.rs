//! Turning a template and a doc's metadata into Markdown.
//!
//! Every value an author wrote in a directive is emitted through pulldown-cmark-to-cmark as a
//! Markdown text event, so `*`, `|`, `[`, backticks and `<tags>` in a value are escaped by the
//! library and show up as the characters typed, in tables and headings alike.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use std::borrow::Cow;
use std::ops::Range;

use crate::config::MarkdownFlavor;
use crate::sections::{self, Merge};
use crate::status::Color;

use crate::doc::{Field, Metadata};
use crate::template::{Fallback, Segment, Template};

/// How the output will be shown: decides between HTML and plain text for badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderMode {
    /// mdBook's `html` renderer.
    Html,
    /// Any other renderer (markdown, pdf, epub, ...): no HTML at all.
    Plain,
}

impl RenderMode {
    /// The mode for a renderer name as mdBook sends it.
    pub fn for_renderer(renderer: &str) -> RenderMode {
        if renderer == "html" {
            RenderMode::Html
        } else {
            RenderMode::Plain
        }
    }
}

/// Renders Markdown events to a string, escaping for every extension mdBook may turn on (so
/// `|` is escaped for tables). Writing to a `String` cannot fail, and the events come
/// from this module, so an error here would be a bug in pulldown-cmark-to-cmark: fall back to
/// the plain text rather than panic.
pub(crate) fn cmark<'a>(events: &[Event<'a>], plain: &str) -> String {
    let mut out = String::new();
    match pulldown_cmark_to_cmark::cmark(
        events.iter(),
        &mut out,
        MarkdownFlavor::default().options(),
    ) {
        Ok(_) => out,
        Err(_) => plain.to_owned(),
    }
}

/// `value` as inline Markdown text that renders as exactly the characters given.
///
/// Most values (names, dates, titles) hold no character Markdown gives a meaning to; those are
/// passed through as they are, which is what the library would write for them (a property test
/// checks it), without the cost of a render. Everything else goes through the library.
pub fn text(value: &str) -> String {
    if needs_no_escaping(value) {
        return value.to_owned();
    }
    escape_braces(cmark(&[Event::Text(CowStr::Borrowed(value))], value))
}

/// Escapes `{` and `}`, which the library leaves alone: mdBook turns on heading attributes, so
/// a value ending a heading line with `{onclick=...}` would otherwise become an attribute of
/// the `<h1>`. Every brace in the library's rendering of text is a literal one.
fn escape_braces(markdown: String) -> String {
    if !markdown.contains(['{', '}']) {
        return markdown;
    }
    let mut out = String::with_capacity(markdown.len() + 8);
    for c in markdown.chars() {
        if matches!(c, '{' | '}') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// True for a link target of path characters only (`%` escapes included).
fn is_plain_href(href: &str) -> bool {
    !href.is_empty()
        && href
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_' | '%' | '#'))
}

/// True for text that starts with a letter or digit (not a list number) and holds only letters, digits, single spaces and
/// punctuation that means nothing inline: no list, heading or quote marker can start it, and
/// no emphasis, link, code, HTML, escape, entity or table character is in it.
fn needs_no_escaping(value: &str) -> bool {
    // `1.` and `1)` start ordered lists.
    let after_digits = value.trim_start_matches(|c: char| c.is_ascii_digit());
    value.chars().next().is_some_and(char::is_alphanumeric)
        && !after_digits.starts_with(['.', ')'])
        && !value.ends_with(' ')
        && !value.contains("  ")
        && value.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | ','
                        | ';'
                        | ':'
                        | '/'
                        | '\''
                        | '"'
                        | '('
                        | ')'
                        | '?'
                        | '@'
                        | '='
                        | '%'
                        | '-'
                        | '.'
                        | '+'
                        | '—'
                        | '–'
                )
        })
}

/// Guidance for the author: `[What to write]`, in italics so it reads as a placeholder.
pub fn guidance(hint: &str) -> String {
    let bracketed = format!("[{hint}]");
    cmark(
        &[
            Event::Start(Tag::Emphasis),
            Event::Text(CowStr::Borrowed(&bracketed)),
            Event::End(TagEnd::Emphasis),
        ],
        &bracketed,
    )
}

/// A link when `value` is a web address or a relative path to a page, else plain text. Other
/// schemes (`javascript:`, `data:`, ...) are never made into links.
pub fn reference(value: &str) -> String {
    if !is_linkable(value) {
        return text(value);
    }
    escape_braces(cmark(
        &[
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(value),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            Event::Text(CowStr::Borrowed(value)),
            Event::End(TagEnd::Link),
        ],
        value,
    ))
}

fn is_linkable(value: &str) -> bool {
    if value.contains(char::is_whitespace) {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return true;
    }
    // A relative page: no scheme, and a page extension before any anchor.
    let page = lower.split('#').next().unwrap_or_default();
    !lower.contains(':') && (page.ends_with(".md") || page.ends_with(".html"))
}

/// A link to another design doc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The other doc's title.
    pub title: String,
    /// A relative link to its chapter.
    pub href: String,
}

/// How a doc relates to the others in the book.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relations {
    /// The docs this one replaces.
    pub supersedes: Vec<Link>,
    /// The docs that replace this one.
    pub superseded_by: Vec<Link>,
}

/// `[title](href)`, escaped by the library. An `href` made by
/// [`relative_href`](crate::book::relative_href) holds no character that needs it, so the
/// common case is written directly.
pub fn link(link: &Link) -> String {
    if needs_no_escaping(&link.title) && is_plain_href(&link.href) {
        return format!("[{}]({})", link.title, link.href);
    }
    escape_braces(cmark(
        &[
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(&link.href),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            Event::Text(CowStr::Borrowed(&link.title)),
            Event::End(TagEnd::Link),
        ],
        &link.title,
    ))
}

/// A status badge. HTML: a pill with inline style (no stylesheet needed), its own background
/// and a text colour chosen for contrast, so it reads the same in every theme; the status text
/// is Markdown-escaped, so it is shown as typed. A status of up to [`BADGE_LINE`] characters
/// stays on one line; a longer one may wrap between its words (see [`wrappable`]). Plain:
/// `**[Status]**`.
pub fn badge(status: &str, color: Color, mode: RenderMode) -> String {
    match mode {
        RenderMode::Html => {
            // A short status: the whole badge on one line, as it always was. A long one may
            // wrap, but only between its pieces of words.
            let (wrap, shown) = if status.chars().count() <= BADGE_LINE {
                ("nowrap", text(status))
            } else {
                let pieces = pieces(status.split_whitespace(), " ", BADGE_LINE);
                ("normal", wrappable(&pieces, " ", BADGE_LINE))
            };
            format!(
                "<span class=\"trd-badge\" style=\"display:inline-block;padding:0 0.6em;\
                 border-radius:0.8em;border:1px solid rgba(128,128,128,0.6);\
                 background-color:{color};color:{text};font-size:0.85em;font-weight:600;\
                 line-height:1.6;white-space:{wrap}\">{shown}</span>",
                text = color.text_color(),
            )
        }
        RenderMode::Plain => format!("**{}**", text(&format!("[{status}]"))),
    }
}

/// The most characters a badge keeps on one line: every built-in status (`In Progress`,
/// `Implemented`) and short custom ones (`Awaiting Review`) stay whole. A longer one such as
/// "Awaiting Security Architecture Review", kept whole, made the default index wider than
/// mdBook's 750 px content column (review N5).
pub const BADGE_LINE: usize = 16;

/// `tokens` greedily joined by `sep` into pieces of at most `limit` characters; a longer token
/// is a piece of its own. Whole values are `tokens` joined by `sep`.
pub fn pieces<'a>(
    tokens: impl IntoIterator<Item = &'a str>,
    sep: &str,
    limit: usize,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut piece = String::new();
    for token in tokens {
        if !piece.is_empty()
            && piece.chars().count() + sep.chars().count() + token.chars().count() > limit
        {
            out.push(std::mem::take(&mut piece));
        }
        if !piece.is_empty() {
            piece.push_str(sep);
        }
        piece.push_str(token);
    }
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}

/// HTML for `pieces` that a narrow column may wrap between the pieces only, joined by `sep`
/// (a space, or `<wbr>` where the value has none): each piece stays on one line, except one
/// longer than `limit` (a word with no break point), which may break anywhere rather than
/// widen its column. Every piece is escaped by [`text`].
pub fn wrappable(pieces: &[String], sep: &str, limit: usize) -> String {
    pieces
        .iter()
        .map(|p| {
            let wrap = if p.chars().count() > limit {
                "overflow-wrap:anywhere"
            } else {
                "white-space:nowrap"
            };
            format!("<span style=\"{wrap}\">{}</span>", text(p))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// What a doc's skeleton is filled with.
#[derive(Debug, Clone, Copy)]
pub struct Fill<'a> {
    /// The directive's metadata.
    pub metadata: &'a Metadata,
    /// The chapter's name, the default title.
    pub chapter_name: &'a str,
    /// HTML or plain text.
    pub mode: RenderMode,
    /// The status shown (the lifecycle's name, or the value as written when unknown).
    pub status: &'a str,
    /// The status badge's colour.
    pub status_color: Color,
}

impl Fill<'_> {
    /// The title shown for the doc.
    pub fn title(&self) -> &str {
        self.metadata.get(Field::Title).unwrap_or(self.chapter_name)
    }

    /// The Markdown for one field.
    fn field(&self, field: Field, fallback: &Fallback) -> String {
        if field == Field::Status {
            return match self.mode {
                RenderMode::Html => badge(self.status, self.status_color, self.mode),
                RenderMode::Plain => text(self.status),
            };
        }
        let given = match field {
            Field::Title => Some(self.title()),
            _ => self.metadata.get(field),
        };
        match (given, fallback) {
            (Some(v), _) if field.is_reference() => reference(v),
            (Some(v), _) => text(v),
            // A literal default is the template's own Markdown, not an author's value.
            (None, Fallback::Literal(v)) => v.clone(),
            (None, Fallback::Guidance(g)) => match self.metadata.derived(field) {
                Some(v) => text(v),
                None => g.markdown.clone(),
            },
            (None, Fallback::Default) => match self.metadata.derived(field) {
                Some(v) => text(v),
                None => guidance(field.key()),
            },
        }
    }

    /// Writes the Markdown for a run of template segments onto `out`.
    fn write(&self, template: &Template, segments: &[Segment], out: &mut String) {
        for segment in segments {
            match segment {
                Segment::Text(range) => out.push_str(template.text(range)),
                Segment::Field { field, fallback } => out.push_str(&self.field(*field, fallback)),
                Segment::Guidance(hint) => out.push_str(&hint.markdown),
            }
        }
    }
}

/// What the author wrote, and where it goes.
#[derive(Debug, Clone, Copy)]
pub struct Authored<'a> {
    /// The chapter's text (the ranges point into it).
    pub content: &'a str,
    /// The author's sections.
    pub sections: &'a sections::Authored,
    /// Where each goes.
    pub merge: &'a Merge,
    /// Expansions of other directives (indexes) inside the author's text, by byte range.
    pub replacements: &'a [(Range<usize>, String)],
    /// The author's H1 right before the directive, taken as the title: written instead of
    /// the skeleton's title heading.
    pub title_before: Option<&'a Range<usize>>,
}

impl Authored<'_> {
    /// The author's text in `range`, with the replacements that fall inside it applied.
    pub fn copy(&self, range: &Range<usize>) -> Cow<'_, str> {
        copy(self.content, self.replacements, range)
    }
}

/// `text[range]` with the `replacements` (sorted, not overlapping) that lie inside it applied.
pub fn copy<'t>(
    text: &'t str,
    replacements: &[(Range<usize>, String)],
    range: &Range<usize>,
) -> Cow<'t, str> {
    let inside: Vec<&(Range<usize>, String)> = replacements
        .iter()
        .filter(|(r, _)| r.start >= range.start && r.end <= range.end)
        .collect();
    let whole = text.get(range.clone()).unwrap_or_default();
    if inside.is_empty() {
        return Cow::Borrowed(whole);
    }
    let mut out = String::with_capacity(whole.len());
    let mut at = range.start;
    for (r, replacement) in inside {
        out.push_str(text.get(at..r.start).unwrap_or_default());
        out.push_str(replacement);
        at = r.end;
    }
    out.push_str(text.get(at..range.end).unwrap_or_default());
    Cow::Owned(out)
}

/// Appends a block with exactly one blank line after it; blank lines around it are dropped, so
/// blocks from the template and the author never run into each other.
fn push_block(out: &mut String, block: &str) {
    let block = block.trim_start_matches(['\n', '\r']).trim_end();
    if !block.is_empty() {
        out.push_str(block);
        out.push_str("\n\n");
    }
}

/// [`push_block`] for the author's text that does not follow what it followed in the chapter
/// (a heading, a preamble, a moved section). Starting with indentation, it would be read as a
/// continuation of a list or footnote ending the block before it, which can take a fence or
/// indented code out of code; an empty comment first ends any such block, as the text before
/// it in the chapter did.
fn push_authored(out: &mut String, block: &str) {
    let block = block.trim_start_matches(['\n', '\r']);
    if block.starts_with([' ', '\t']) && !block.trim().is_empty() {
        out.push_str("<!-- -->\n\n");
    }
    push_block(out, block);
}

/// The plain text of a template section's heading as the doc shows it (fields filled in), for
/// matching the author's headings against it.
pub fn heading_text(template: &Template, heading: &[Segment], fill: &Fill<'_>) -> String {
    let mut markdown = String::new();
    fill.write(template, heading, &mut markdown);
    sections::top_level_headings(&markdown, MarkdownFlavor::default().options())
        .into_iter()
        .next()
        .map(|h| h.text)
        .unwrap_or_default()
}

/// Builds one design doc: the template's skeleton with the metadata filled in and the author's
/// sections merged in (see [`sections::merge`]), a status line under the title, and links to
/// the docs it supersedes or is superseded by.
pub fn design_doc(
    template: &Template,
    fill: &Fill<'_>,
    authored: &Authored<'_>,
    relations: &Relations,
) -> String {
    let mut doc = DocWriter {
        out: String::with_capacity(template.source().len() + authored.content.len() + 512),
        template,
        fill,
        authored,
        relations,
        levels: template.sections().iter().map(|s| s.level).collect(),
    };
    doc.write();
    let trimmed = doc.out.trim_end().len();
    doc.out.truncate(trimmed);
    doc.out.push('\n');
    doc.out
}

struct DocWriter<'a> {
    out: String,
    template: &'a Template,
    fill: &'a Fill<'a>,
    authored: &'a Authored<'a>,
    relations: &'a Relations,
    levels: Vec<u8>,
}

impl DocWriter<'_> {
    /// [`push_block`] for template segments, written straight onto the output (no temporary
    /// string per section: this runs for every section of every doc). The segments are trimmed
    /// when the template is parsed.
    fn template_block(&mut self, segments: &[Segment]) {
        let start = self.out.len();
        self.fill.write(self.template, segments, &mut self.out);
        if self.out.len() > start {
            self.out.push_str("\n\n");
        }
    }

    fn write(&mut self) {
        self.template_block(self.template.intro());
        let has_title = self.levels.first() == Some(&1);
        if !has_title {
            self.status_line();
            self.preamble();
        }
        let mut i = 0;
        while i < self.levels.len() {
            self.section(i, has_title && i == 0);
            i = sections::subtree_end(&self.levels, i);
        }
        let authored = self.authored;
        if let Some(kept) = authored.merge.in_place {
            let end = authored.content.len();
            push_authored(&mut self.out, &authored.copy(&(kept.start..end)));
        }
    }

    fn section(&mut self, i: usize, is_title: bool) {
        let section = &self.template.sections()[i];
        let authored = self.authored;
        if is_title {
            self.title(i);
        } else {
            let written = authored.merge.filled_by[i].map(|a| &authored.sections.sections[a]);
            match written {
                Some(a) => push_authored(&mut self.out, &authored.copy(&a.heading)),
                None => self.template_block(&section.heading),
            }
            match written {
                Some(a) if a.has_body => push_block(&mut self.out, &authored.copy(&a.body)),
                _ => self.template_block(&section.body),
            }
        }
        self.followers(&authored.merge.inner[i]);
        let end = sections::subtree_end(&self.levels, i);
        let mut child = i + 1;
        while child < end {
            self.section(child, false);
            child = sections::subtree_end(&self.levels, child);
        }
        self.followers(&authored.merge.followers[i]);
    }

    /// The title block: the author's H1 when it is taken as the title (after the directive,
    /// or right before it), else the skeleton's;
    /// the status line; the skeleton's metadata (always kept); the preamble; then the body of
    /// the author's H1.
    fn title(&mut self, i: usize) {
        let authored = self.authored;
        let taken = authored.merge.title.map(|a| &authored.sections.sections[a]);
        match (taken, authored.title_before) {
            (Some(a), _) => push_authored(&mut self.out, &authored.copy(&a.heading)),
            (None, Some(before)) => push_authored(&mut self.out, &authored.copy(before)),
            (None, None) => self.template_block(&self.template.sections()[i].heading),
        }
        self.status_line();
        self.template_block(&self.template.sections()[i].body);
        self.preamble();
        if let Some(a) = taken {
            push_authored(&mut self.out, &authored.copy(&a.body));
        }
    }

    /// Unmatched authored sections, each copied whole (heading and body).
    fn followers(&mut self, followers: &[usize]) {
        let authored = self.authored;
        for &f in followers {
            let s = &authored.sections.sections[f];
            push_authored(
                &mut self.out,
                &authored.copy(&(s.heading.start..s.body.end)),
            );
        }
    }

    /// The preamble and the unmatched sections before any matched one, unless they are kept
    /// in place.
    fn preamble(&mut self) {
        let authored = self.authored;
        if authored.merge.in_place.is_some_and(|p| p.preamble) {
            return;
        }
        push_authored(&mut self.out, &authored.copy(&authored.sections.preamble));
        self.followers(&authored.merge.preamble_followers);
    }

    /// The badge and completeness under the title, then the supersede links.
    fn status_line(&mut self) {
        let merge = self.authored.merge;
        let line = format!(
            "{} · {}/{} sections written",
            badge(self.fill.status, self.fill.status_color, self.fill.mode),
            merge.filled_leaves,
            merge.leaves
        );
        push_block(&mut self.out, &line);
        for (label, links) in [
            ("Supersedes", &self.relations.supersedes),
            ("Superseded by", &self.relations.superseded_by),
        ] {
            if !links.is_empty() {
                let links: Vec<String> = links.iter().map(link).collect();
                push_block(&mut self.out, &format!("**{label}:** {}", links.join(", ")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_by_the_library() {
        assert_eq!(text("a *b* | c"), "a \\*b\\* \\| c");
        assert_eq!(text("<script>x</script>"), "\\<script>x\\</script>");
        assert_eq!(text("# not a heading"), "\\# not a heading");
        assert_eq!(text("Payment retries"), "Payment retries");
        // Heading attributes: a trailing `{...}` must not reach the `<h1>`.
        assert_eq!(text("x {onclick=a}"), "x \\{onclick=a\\}");
        assert_eq!(text("\\{"), "\\\\\\{");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn the_fast_path_writes_what_the_library_writes(value in "[A-Za-z0-9é][A-Za-z0-9é ,;:/'\"()?@=%.+—–-]{0,30}") {
            proptest::prop_assume!(needs_no_escaping(&value));
            let library = cmark(&[Event::Text(CowStr::Borrowed(&value))], &value);
            proptest::prop_assert_eq!(text(&value), library);
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_links_are_written_as_the_library_writes_them(
            title in "[A-Za-z][A-Za-z0-9 ,:-]{0,20}",
            href in "[a-z0-9_.-]{1,8}(/[a-z0-9_.%-]{1,8}){0,3}(#[a-z-]{1,5})?",
        ) {
            let l = Link { title: title.clone(), href: href.clone() };
            proptest::prop_assume!(needs_no_escaping(&title));
            let library = cmark(
                &[
                    Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url: CowStr::Borrowed(&href),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }),
                    Event::Text(CowStr::Borrowed(&title)),
                    Event::End(TagEnd::Link),
                ],
                "",
            );
            proptest::prop_assert_eq!(link(&l), library);
        }
    }

    #[test]
    fn fast_path_is_only_for_plain_values() {
        assert!(needs_no_escaping("Ada Lovelace"));
        assert!(needs_no_escaping("In Review"));
        assert!(needs_no_escaping("2026-11-02"));
        for v in [
            "1.0", "12) x", "- x", "a *b*", "a_b", "x <y>", "a|b", "a  b", "#1", "a\\b",
        ] {
            assert!(!needs_no_escaping(v), "{v}");
        }
    }

    #[test]
    fn guidance_is_bracketed_and_emphasised() {
        assert_eq!(guidance("Name"), "*\\[Name\\]*");
    }

    #[test]
    fn only_web_and_page_references_become_links() {
        assert_eq!(
            reference("https://example.com/prd"),
            "[https://example.com/prd](https://example.com/prd)"
        );
        assert_eq!(
            reference("../prd/checkout.md"),
            "[../prd/checkout.md](../prd/checkout.md)"
        );
        assert_eq!(reference("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(reference("PRD-12"), "PRD-12");
    }

    fn doc(template: &str, authored: &str, metadata: &Metadata, mode: RenderMode) -> String {
        let t = Template::parse("t", "", template);
        let fill = Fill {
            metadata,
            chapter_name: "Chapter *name*",
            mode,
            status: metadata.get(Field::Status).unwrap_or("Draft"),
            status_color: Color([0x1a, 0x7f, 0x37]),
        };
        let parsed = sections::parse_authored(authored, 0, MarkdownFlavor::default().options());
        let headings: Vec<_> = t
            .sections()
            .iter()
            .map(|s| sections::SkeletonHeading {
                level: s.level,
                key: &s.key,
            })
            .collect();
        let merge = sections::merge(
            &headings,
            &parsed.sections,
            sections::MergeOptions::default(),
        );
        let a = Authored {
            content: authored,
            sections: &parsed,
            merge: &merge,
            replacements: &[],
            title_before: None,
        };
        design_doc(&t, &fill, &a, &Relations::default())
    }

    #[test]
    fn fields_fall_back_as_declared() {
        let t = "# {{title}}\n{{status}} {{author: Name}} {{version = 1.0}} {{number}} {{updated: Date}}\n";
        let mut m = Metadata::default();
        assert_eq!(
            doc(t, "", &m, RenderMode::Plain),
            "# Chapter \\*name\\*\n\n**\\[Draft\\]** · 0/0 sections written\n\nDraft *\\[Name\\]* 1.0 *\\[number\\]* *\\[Date\\]*\n"
        );
        m.set(Field::Title, "T");
        m.set(Field::Author, "Ada");
        m.set(Field::Date, "2026-01-01");
        assert!(
            doc(t, "", &m, RenderMode::Plain)
                .ends_with("Draft Ada 1.0 *\\[number\\]* 2026-01-01\n")
        );
    }

    #[test]
    fn html_badges_escape_the_status_and_plain_ones_have_no_html() {
        let b = badge(
            "<b>Evil</b> *x*",
            Color([0x1a, 0x7f, 0x37]),
            RenderMode::Html,
        );
        assert!(b.starts_with("<span class=\"trd-badge\" style=\""), "{b}");
        assert!(b.contains("background-color:#1a7f37;color:#ffffff;"), "{b}");
        assert!(b.ends_with(">\\<b>Evil\\</b> \\*x\\*</span>"), "{b}");
        let p = badge("In Review", Color([0, 0, 0]), RenderMode::Plain);
        assert_eq!(p, "**\\[In Review\\]**");
    }

    #[test]
    fn a_long_status_badge_wraps_between_words_and_a_short_one_never() {
        let short = badge("In Progress", Color([0, 0, 0]), RenderMode::Html);
        assert!(
            short.contains("white-space:nowrap\">In Progress</span>"),
            "{short}"
        );
        let long = badge(
            "Awaiting Security Architecture Review",
            Color([0, 0, 0]),
            RenderMode::Html,
        );
        assert!(long.contains("white-space:normal\">"), "{long}");
        let nowrap = "<span style=\"white-space:nowrap\">";
        assert!(
            long.ends_with(&format!(
                "{nowrap}Awaiting</span> {nowrap}Security</span> {nowrap}Architecture</span> \
                 {nowrap}Review</span></span>"
            )),
            "{long}"
        );
        assert_eq!(
            pieces("Needs a second look from QA".split(' '), " ", BADGE_LINE),
            ["Needs a second", "look from QA"]
        );
        // A word longer than a line may break anywhere; every piece is escaped.
        let word = badge(
            "<b>AwaitingSecurityReview</b>",
            Color([0, 0, 0]),
            RenderMode::Html,
        );
        assert!(
            word.contains(
                "<span style=\"overflow-wrap:anywhere\">\\<b>AwaitingSecurityReview\\</b></span>"
            ),
            "{word}"
        );
    }

    #[test]
    fn merges_sections_with_preamble_under_the_title() {
        let t = "# {{title}}\n\n**Status:** {{status}}\n\n## Overview\n\n### Problem\n\n{{Say why}}\n\n### Goals\n\n{{List goals}}\n\n## API\n\n{{Endpoints}}\n";
        let authored = "Why this doc.\n\n### Goals\n\n- fast\n\n## Extra\n\nkept\n";
        let mut m = Metadata::default();
        m.set(Field::Status, "Approved");
        let out = doc(t, authored, &m, RenderMode::Plain);
        assert_eq!(
            out,
            "# Chapter \\*name\\*\n\n**\\[Approved\\]** · 1/3 sections written\n\n**Status:** Approved\n\nWhy this doc.\n\n## Overview\n\n### Problem\n\n*\\[Say why\\]*\n\n### Goals\n\n- fast\n\n## Extra\n\nkept\n\n## API\n\n*\\[Endpoints\\]*\n"
        );
    }
}
