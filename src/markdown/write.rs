//! Writing Markdown that shows a value as typed: every value goes out through
//! pulldown-cmark-to-cmark as a text event, so `*`, `|`, `[`, backticks and `<tags>` are escaped
//! by the library and read as the characters written, in tables and headings alike.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::flavor::MarkdownFlavor;

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
    let markdown = cmark(&[Event::Text(CowStr::Borrowed(value))], value);
    // The library writes a `&` as the entity `&amp;`, which a reader of the Markdown itself
    // (a non-HTML renderer's output) sees as such; a backslash escape renders the same.
    let markdown = if markdown.contains("&amp;") {
        markdown.replace("&amp;", "\\&")
    } else {
        markdown
    };
    escape_braces(markdown)
}

/// [`text`] appended to `out`, with nothing allocated for the common value that needs no
/// escaping.
pub fn push_text(out: &mut String, value: &str) {
    if needs_no_escaping(value) {
        out.push_str(value);
    } else {
        out.push_str(&text(value));
    }
}

/// Escapes `{` and `}`, which the library leaves alone: mdBook turns on heading attributes, so
/// a value ending a heading line with `{onclick=...}` would otherwise become an attribute of
/// the `<h1>`. Every brace in the library's rendering of text is a literal one.
pub(crate) fn escape_braces(markdown: String) -> String {
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

/// True for text that starts with a letter or digit (not a list number) and holds only letters, digits, single spaces and
/// punctuation that means nothing inline: no list, heading or quote marker can start it, and
/// no emphasis, link, code, HTML, escape, entity or table character is in it.
pub(crate) fn needs_no_escaping(value: &str) -> bool {
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
    let dest = link_destination(value);
    escape_braces(cmark(
        &[
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(&dest),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            Event::Text(CowStr::Borrowed(value)),
            Event::End(TagEnd::Link),
        ],
        value,
    ))
}

/// A link's address as written into Markdown: a `|` percent-encoded, which reads the same to a
/// browser, since a table (the header is one) splits its cells at every `|`, even inside a
/// link's address.
pub(crate) fn link_destination(href: &str) -> std::borrow::Cow<'_, str> {
    if href.contains('|') {
        std::borrow::Cow::Owned(href.replace('|', "%7C"))
    } else {
        std::borrow::Cow::Borrowed(href)
    }
}

/// The links a reference value holds: several, separated by commas (`adr="adr/7.md,
/// adr/9.md"`), when every part is one [`reference`] links; else the value whole, so that
/// an address with a comma in it stays one link.
pub fn reference_parts(value: &str) -> Vec<&str> {
    let parts: Vec<&str> = value.split(',').map(str::trim).collect();
    if parts.len() > 1 && parts.iter().all(|p| is_linkable(p)) {
        parts
    } else {
        vec![value]
    }
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
        assert_eq!(text("Risks & Mitigations"), "Risks \\& Mitigations");
        assert_eq!(text("&copy; &amp;"), "\\&copy; \\&amp;");
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

    #[test]
    fn a_reference_holds_one_link_or_several() {
        assert_eq!(
            reference_parts("other.md#sec, https://x.example/q, ./other.html"),
            ["other.md#sec", "https://x.example/q", "./other.html"]
        );
        assert_eq!(reference_parts("a.md,b.md"), ["a.md", "b.md"]);
        // A comma inside one address, or a part that is no link: the value whole.
        assert_eq!(
            reference_parts("https://grafana.example/d?var=a,b"),
            ["https://grafana.example/d?var=a,b"]
        );
        assert_eq!(reference_parts("ADR-7, ADR-9"), ["ADR-7, ADR-9"]);
    }

    /// Review of issue 16: a `|` in a link's address ended the header table's cell.
    #[test]
    fn a_link_in_a_table_cell_keeps_its_address_and_its_text() {
        use pulldown_cmark::{Options, Parser};
        let value = "https://jira.example/browse?q=a|b";
        let row = format!(
            "| Field | Value |\n|---|---|\n| **Context** | {} |\n",
            reference(value)
        );
        let events: Vec<Event<'_>> = Parser::new_ext(&row, Options::ENABLE_TABLES).collect();
        let dest = events.iter().find_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        });
        assert_eq!(dest.as_deref(), Some("https://jira.example/browse?q=a%7Cb"));
        let cells = events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::TableCell)))
            .count();
        assert_eq!(cells, 4, "{row}");
        let text: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert!(text.contains(value), "{row}");
    }
}
