//! Turning a template and a doc's metadata into Markdown.
//!
//! Every value an author wrote in a directive is emitted through pulldown-cmark-to-cmark as a
//! Markdown text event, so `*`, `|`, `[`, backticks and `<tags>` in a value are escaped by the
//! library and show up as the characters typed, in tables and headings alike.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::config::MarkdownFlavor;

use crate::doc::{Field, Metadata};
use crate::template::{Fallback, Segment, Template};

/// How the output will be shown: decides between HTML and plain text for the decorations that
/// need it (badges, in a later step).
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
fn cmark<'a>(events: &[Event<'a>], plain: &str) -> String {
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
pub fn text(value: &str) -> String {
    cmark(&[Event::Text(CowStr::Borrowed(value))], value)
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
    cmark(
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
    )
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

/// What a doc's skeleton is filled with: the metadata, and the title to use when the directive
/// gives none.
#[derive(Debug, Clone, Copy)]
pub struct Fill<'a> {
    /// The directive's metadata.
    pub metadata: &'a Metadata,
    /// The chapter's name, the default title.
    pub chapter_name: &'a str,
    /// HTML or plain text.
    pub mode: RenderMode,
}

impl Fill<'_> {
    /// The title shown for the doc.
    pub fn title(&self) -> &str {
        self.metadata.get(Field::Title).unwrap_or(self.chapter_name)
    }

    /// The Markdown for one field.
    fn field(&self, field: Field, fallback: &Fallback) -> String {
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
                None => guidance(g),
            },
            (None, Fallback::Default) => match self.metadata.derived(field) {
                Some(v) => text(v),
                None => guidance(field.key()),
            },
        }
    }
}

/// The template's skeleton with the metadata filled in.
pub fn skeleton(template: &Template, fill: &Fill<'_>) -> String {
    let mut out = String::with_capacity(template.source().len() + 256);
    for segment in template.segments() {
        match segment {
            Segment::Text(range) => out.push_str(template.text(range)),
            Segment::Field { field, fallback } => out.push_str(&fill.field(*field, fallback)),
            Segment::Guidance(hint) => out.push_str(&guidance(hint)),
        }
    }
    for (field, label) in [
        (Field::Supersedes, "Supersedes"),
        (Field::SupersededBy, "Superseded by"),
    ] {
        if let Some(v) = fill.metadata.get(field) {
            out.push_str(&format!("\n**{label}:** {}\n", text(v)));
        }
    }
    out
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
    fn fields_fall_back_as_declared() {
        let t = Template::parse(
            "t",
            "",
            "# {{title}}\n{{status}} {{author: Name}} {{version = 1.0}} {{number}} {{updated: Date}}\n",
        );
        let mut m = Metadata::default();
        let fill = Fill {
            metadata: &m,
            chapter_name: "Chapter *name*",
            mode: RenderMode::Html,
        };
        assert_eq!(
            skeleton(&t, &fill),
            "# Chapter \\*name\\*\nDraft *\\[Name\\]* 1.0 *\\[number\\]* *\\[Date\\]*\n"
        );
        m.set(Field::Title, "T");
        m.set(Field::Author, "Ada");
        m.set(Field::Date, "2026-01-01");
        m.set(Field::Supersedes, "TRD-1");
        let fill = Fill {
            metadata: &m,
            chapter_name: "ignored",
            mode: RenderMode::Plain,
        };
        assert_eq!(
            skeleton(&t, &fill),
            "# T\nDraft Ada 1.0 *\\[number\\]* 2026-01-01\n\n**Supersedes:** TRD-1\n"
        );
    }
}
