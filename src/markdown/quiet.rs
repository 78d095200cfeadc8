//! Markdown whose text readers see but search indexes do not: "quiet" text.
//!
//! mdBook's search indexes skip what is not text. 0.5 indexes the text nodes of each page's
//! HTML except inside `<script>` and `<style>`; 0.4 indexes the Markdown's text events and the
//! text of its HTML after ammonia strips every tag and attribute. Neither ever reads an
//! attribute's value. So [`quiet`] moves every piece of text of a Markdown fragment into a
//! [`QUIET_ATTR`] attribute of an empty element, keeping the fragment's structure (lists,
//! tables, emphasis, code blocks) as it was, and one CSS rule, [`QUIET_RULE`], shows each
//! value as the element's content. No asset is needed: the rule is a `<style>` element on the
//! page itself, which neither index reads.
//!
//! Used for what the template suggests and no author wrote (guidance and sample content of
//! unwritten sections), so that a search for "describe" does not return every skeleton.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

/// The attribute that holds quiet text.
pub const QUIET_ATTR: &str = "data-trd-text";

/// The one CSS rule that shows quiet text: the attribute's value as the element's content.
/// Newlines in a code block's value show as line breaks, since `<pre>` keeps white space. A
/// page carries it in a `<style>` element, which neither index reads.
pub const QUIET_RULE: &str = "[data-trd-text]::before{content:attr(data-trd-text)}";

/// `markdown` with every piece of text (and inline code, and code blocks other than `mermaid`
/// diagrams, which a diagram preprocessor must still read) moved into [`QUIET_ATTR`]
/// attributes. Everything else, HTML and comments included, stays byte for byte.
pub fn quiet(markdown: &str, options: Options) -> String {
    // Text next to a `*` or `_` decides whether it opens or closes emphasis, and an element's
    // `<`/`>` are not letters: in rare text (`*0**#`) a delimiter that was emphasis becomes a
    // literal character, which the next pass moves too, until nothing changes (the property
    // test below checks that no text is left; templates need one pass).
    let mut out = quiet_once(markdown, options);
    for _ in 0..3 {
        let again = quiet_once(&out, options);
        if again == out {
            break;
        }
        out = again;
    }
    out
}

/// One pass of [`quiet`].
fn quiet_once(markdown: &str, options: Options) -> String {
    let mut q = Quieter {
        source: markdown,
        out: String::with_capacity(markdown.len() * 2),
        at: 0,
        run: None,
    };
    let mut code: Option<(Range<usize>, String, String)> = None;
    let mut in_code = false;
    // Inside an autolink (`<https://...>`, whose text is its address) or an image (whose text
    // is its alt text): left as written, or the link or the alt text would break.
    let (mut images, mut autolink) = (0usize, false);
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Text(text) if in_code => {
                if let Some((_, _, body)) = code.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::Start(Tag::Image { .. }) => {
                q.flush();
                images += 1;
            }
            Event::End(TagEnd::Image) => images = images.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                q.flush();
                autolink = true;
            }
            Event::End(TagEnd::Link) if autolink => autolink = false,
            Event::Text(_) if images > 0 || autolink => {}
            Event::Text(text) => q.text(range, &text),
            Event::Code(text) => {
                q.flush();
                q.replace(range, &element("code", "", &text));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                q.flush();
                in_code = true;
                let (lang, start) = match kind {
                    CodeBlockKind::Fenced(info) => (
                        info.split([' ', ',']).next().unwrap_or("").to_owned(),
                        range.start,
                    ),
                    // Its range starts after the four spaces that make it code: the element
                    // goes where they start, or it would be indented code again.
                    CodeBlockKind::Indented => (String::new(), code_indent(markdown, range.start)),
                };
                if !is_read_by_a_preprocessor(&lang) {
                    code = Some((start..range.end, lang, String::new()));
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                if let Some((range, lang, body)) = code.take() {
                    q.code_block(range, &lang, &body);
                }
            }
            _ => q.flush(),
        }
    }
    q.flush();
    q.out.push_str(&markdown[q.at..]);
    q.out
}

/// True for the code blocks a preprocessor after mdbook-trd turns into something else
/// (diagrams, admonitions): they stay code, so that it still can. The languages of the
/// preprocessors `edge::chain` orders after mdbook-trd.
fn is_read_by_a_preprocessor(lang: &str) -> bool {
    matches!(
        lang,
        "mermaid" | "admonish" | "plantuml" | "dot" | "bob" | "svgbob" | "d2" | "pikchr"
    ) || lang.starts_with("kroki-")
}

/// Where the indentation that makes an indented code block's first line code starts: up to
/// four spaces (or a tab) back from `start`, on its line.
fn code_indent(markdown: &str, start: usize) -> usize {
    let line = markdown[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &markdown[line..start];
    let mut back = 0;
    for c in before.chars().rev() {
        match c {
            ' ' if back < 4 => back += 1,
            '\t' if back == 0 => return start - 1,
            _ => break,
        }
    }
    start - back
}

/// The state of one [`quiet`] pass: the output so far, where in the source it has got to, and
/// the run of adjacent text events not yet written (`\[` and `Describe` are two events).
struct Quieter<'a> {
    source: &'a str,
    out: String,
    at: usize,
    run: Option<(Range<usize>, String)>,
}

impl Quieter<'_> {
    fn text(&mut self, range: Range<usize>, text: &str) {
        // An escaped character (`\[`) is a text event of its own, whose range leaves out the
        // backslash: the run takes the backslash too, or it would stay behind and escape the
        // `<` of the element.
        let follows_run = self.run.as_ref().is_some_and(|(r, _)| r.end == range.start);
        let escaped = text.starts_with(|c: char| c.is_ascii_punctuation())
            && self.source[..range.start].ends_with('\\');
        let start = if escaped && !follows_run {
            range.start - 1
        } else {
            range.start
        };
        match &mut self.run {
            Some((run, value)) if run.end == start => {
                run.end = range.end;
                value.push_str(text);
            }
            _ => {
                self.flush();
                self.run = Some((start..range.end, text.to_owned()));
            }
        }
    }

    fn flush(&mut self) {
        if let Some((range, value)) = self.run.take() {
            self.replace(range, &element("span", "", &value));
        }
    }

    /// One line of HTML for a code block (a multi-line value would end the list item or quote
    /// the block is in), keeping the line ending the block had.
    fn code_block(&mut self, range: Range<usize>, lang: &str, body: &str) {
        let class = if lang.is_empty() {
            String::new()
        } else {
            format!(" class='language-{}'", attribute(lang))
        };
        let mut html = format!("<pre>{}</pre>", element("code", &class, body.trim_end()));
        if self.source[range.clone()].ends_with('\n') {
            html.push('\n');
        }
        self.replace(range, &html);
    }

    fn replace(&mut self, range: Range<usize>, with: &str) {
        if range.start < self.at {
            return;
        }
        self.out.push_str(&self.source[self.at..range.start]);
        self.out.push_str(with);
        self.at = range.end;
    }
}

/// `text` as one piece of quiet inline text, `<span data-trd-text='text'></span>`: what
/// [`quiet`] makes of a run of plain text, without parsing Markdown (for text that is not
/// Markdown, such as a field's name).
pub fn quiet_text(text: &str) -> String {
    element("span", "", text)
}

/// `<name attributes data-trd-text='value'></name>`. Single quotes: the page travels to
/// mdBook inside a JSON string, where each double quote costs an escape, and every piece of
/// quiet text has two.
fn element(name: &str, attributes: &str, value: &str) -> String {
    format!(
        "<{name}{attributes} {QUIET_ATTR}='{}'></{name}>",
        attribute(value)
    )
}

/// `value` escaped for a single-quoted attribute on one line of Markdown: `|` too, which
/// would end a table cell, and line breaks as character references.
fn attribute(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("&#124;"),
            '\n' => out.push_str("&#10;"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::flavor::MarkdownFlavor;

    fn q(markdown: &str) -> String {
        quiet(markdown, MarkdownFlavor::default().options())
    }

    /// The text a search index would read: the Markdown's text events (0.4's indexer).
    fn indexed(markdown: &str) -> String {
        Parser::new_ext(markdown, MarkdownFlavor::default().options())
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.into_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn text_moves_into_attributes_and_structure_stays() {
        assert_eq!(
            q("*\\[Describe the problem\\]*\n"),
            "*<span data-trd-text='[Describe the problem]'></span>*\n"
        );
        assert_eq!(
            q("- Goal 1: *\\[Outcome\\]*\n- `POST /x` - done\n"),
            "- <span data-trd-text='Goal 1: '></span>*<span data-trd-text='[Outcome]'></span>*\n\
             - <code data-trd-text='POST /x'></code><span data-trd-text=' - done'></span>\n"
        );
        assert_eq!(
            q("| Metric | Target |\n|---|---|\n| a \\| b | <5 & \"x\" |\n"),
            "| <span data-trd-text='Metric'></span> | <span data-trd-text='Target'></span> |\n\
             |---|---|\n| <span data-trd-text='a &#124; b'></span> | \
             <span data-trd-text='&lt;5 &amp; \"x\"'></span> |\n"
        );
    }

    #[test]
    fn quiet_text_is_what_quiet_makes_of_plain_text() {
        for text in ["[number]", "Not written yet: Goals, API.", "a | b & 'c'"] {
            let markdown = crate::markdown::write::text(text);
            assert_eq!(q(&markdown), quiet_text(text), "{text}");
        }
    }

    #[test]
    fn code_blocks_become_one_line_and_mermaid_stays() {
        assert_eq!(
            q("```json\n{\"a\": 1}\n<b>\n```\n\nAfter.\n"),
            "<pre><code class='language-json' data-trd-text='{\"a\": 1}&#10;&lt;b&gt;'></code></pre>\n\n\
             <span data-trd-text='After.'></span>\n"
        );
        let mermaid = "```mermaid\ngraph TD\n  A --> B\n```\n";
        assert_eq!(q(mermaid), mermaid);
        // Inside a list item the block stays in the item.
        let listed = q("- item\n\n  ```sql\n  SELECT 1;\n  ```\n- next\n");
        assert_eq!(
            listed,
            "- <span data-trd-text='item'></span>\n\n  <pre><code class='language-sql' \
             data-trd-text='SELECT 1;'></code></pre>\n- <span data-trd-text='next'></span>\n"
        );
    }

    #[test]
    fn indented_code_autolinks_images_and_diagrams_stay_what_they_are() {
        // Found by review: indented code was wrapped again on every pass.
        assert_eq!(
            q("Text.\n\n    indented code line\n\nAfter.\n"),
            "<span data-trd-text='Text.'></span>\n\n<pre><code data-trd-text='indented code line'></code></pre>\n\n<span data-trd-text='After.'></span>\n"
        );
        assert_eq!(
            q("- item\n\n      code in an item\n"),
            "- <span data-trd-text='item'></span>\n\n  <pre><code data-trd-text='code in an item'></code></pre>\n"
        );
        let kept = "<https://example.com/docs> and ![arch diagram](arch.png)\n";
        assert_eq!(
            q(kept),
            "<https://example.com/docs><span data-trd-text=' and '></span>![arch diagram](arch.png)\n"
        );
        for lang in ["admonish warning", "plantuml", "kroki-d2", "dot process"] {
            let block = format!("```{lang}\nA -> B\n```\n");
            assert_eq!(q(&block), block, "{lang}");
        }
    }

    #[test]
    fn nothing_is_left_to_index_and_html_stays() {
        for markdown in [
            "*\\[Describe the problem from the user perspective\\]*\n\nExample:\n```text\nClient → API\n```\n",
            "1. First **bold** and [a link](x.md)\n2. ~~old~~ new\n\n> quoted\n",
            "- [ ] task one\n- [x] task two\n\n<!-- a comment -->\n\n<div>html</div>\n",
            "Footnote[^1].\n\n[^1]: The note.\n",
            "Text.\n\n    indented code\n    two\n\n- item\n\n      code in an item\n",
        ] {
            let quieted = q(markdown);
            assert_eq!(indexed(&quieted).trim(), "", "{markdown:?} -> {quieted:?}");
            // Idempotent: quiet text has nothing left to move.
            assert_eq!(q(&quieted), quieted);
        }
        assert!(q("<!-- a comment -->\n").contains("<!-- a comment -->"));
    }

    proptest::proptest! {
        /// On any Markdown: no panic, and nothing a search index reads as text is left but
        /// white space, inside HTML the template wrote, diagram code, an autolink's address or
        /// an image's alt text (kept so that they still work).
        #[test]
        fn any_markdown_is_left_with_no_indexed_text(
            markdown in "([-*_`#>|\\\\\\[\\]()!<>a-z0-9 .:]{0,12}\n?){0,12}"
        ) {
            let quieted = q(&markdown);
            let mut in_html_or_diagram = 0usize;
            let mut autolink = false;
            for event in Parser::new_ext(&quieted, MarkdownFlavor::default().options()) {
                match event {
                    Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                        if info.starts_with("mermaid") => in_html_or_diagram += 1,
                    Event::Start(Tag::HtmlBlock) | Event::Start(Tag::Image { .. }) => {
                        in_html_or_diagram += 1;
                    }
                    Event::Start(Tag::Link {
                        link_type: LinkType::Autolink | LinkType::Email,
                        ..
                    }) => autolink = true,
                    Event::End(TagEnd::Link) => autolink = false,
                    Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::Image) => {
                        in_html_or_diagram = in_html_or_diagram.saturating_sub(1);
                    }
                    Event::Text(_) if autolink => {}
                    Event::Text(t) | Event::Code(t) if in_html_or_diagram == 0 => {
                        proptest::prop_assert!(
                            t.trim().is_empty(),
                            "{:?} -> {:?} leaves {:?}", markdown, quieted, t
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}
