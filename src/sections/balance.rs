//! Whether an authored block (the preamble or a section) can be moved without changing what is
//! code, HTML or comment, in it and around it.
//!
//! Merging moves the author's sections into the skeleton. That is safe only for a block that is
//! closed in itself: one that leaves a fence, a comment or an HTML container open takes
//! whatever follows it in the output (template sections, other authored sections) into that
//! construct, and one that closes what an earlier block opened takes its own text out of it.
//! Two things can leave a block open:
//!
//! - **Block structure.** A fenced code block or an HTML block that runs to its end marker
//!   (`<!--`, `<pre>`, `<script>`, ...) never contains a top-level heading, so it can stay open
//!   only in the last block, up to the chapter's end. That block is parsed with a probe heading
//!   after it: the block is closed when the probe is a heading.
//! - **HTML nesting.** pulldown-cmark ends most HTML blocks at a blank line, so `<details>`, a
//!   blank line, Markdown, and `</details>` are several blocks, but a browser nests everything
//!   between the tags inside the element. The opening and closing tags of container elements
//!   are tracked across the HTML events of each block.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Elements that hold flow content and whose end tag a browser waits for: an unclosed one
/// takes in everything after it, across Markdown blocks. Elements with optional end tags
/// (`p`, `li`, `td`, ...) and phrasing elements are left out: a paragraph, list item or cell
/// ends them.
const CONTAINERS: [&str; 28] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
];

/// Elements whose content a browser reads as raw text up to the end tag, whatever Markdown
/// container they sit in.
const RAW_TEXT: [&str; 8] = [
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "script",
    "style",
    "textarea",
    "xmp",
];

/// A block that does not balance, and the construct that makes it so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unbalanced {
    /// The block: `None` for the preamble, else the index of the section.
    pub section: Option<usize>,
    /// Byte offset in the chapter of the construct left open (or of the stray end tag).
    pub offset: usize,
    /// What is wrong.
    pub kind: Imbalance,
}

/// What keeps a block from balancing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imbalance {
    /// A code fence that is never closed.
    Fence,
    /// An HTML comment with no `-->`.
    Comment,
    /// An HTML element (a container, or one read as raw text) that is not closed; its name.
    Open(String),
    /// An end tag for an element the block did not open; its name.
    StrayClose(String),
    /// An HTML block that runs past the block's end (e.g. `<pre>` or `<?` never closed).
    HtmlBlock,
}

impl std::fmt::Display for Imbalance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Imbalance::Fence => f.write_str("this code fence is never closed"),
            Imbalance::Comment => f.write_str("this HTML comment has no `-->`"),
            Imbalance::Open(name) => write!(f, "this `<{name}>` is left open"),
            Imbalance::StrayClose(name) => write!(
                f,
                "this `</{name}>` closes an element opened before its heading"
            ),
            Imbalance::HtmlBlock => f.write_str("this HTML block is never closed"),
        }
    }
}

/// The first authored block that does not balance. `blocks` are the byte ranges of the
/// preamble and then of each section, in order and back to back, the last ending at the end of
/// `content`.
pub fn first_unbalanced(
    content: &str,
    blocks: &[Range<usize>],
    options: Options,
) -> Option<Unbalanced> {
    let last = blocks.len().checked_sub(1)?;
    let html = blocks[0].start..content.len();
    let nesting = content
        .get(html.clone())
        .is_some_and(|t| t.contains('<'))
        .then(|| unbalanced_html(content, html.start, blocks, options))
        .flatten();
    // Only the last block can run on into what follows it; an HTML imbalance in an earlier
    // block comes first.
    let (block, offset, kind) = match nesting {
        Some(found) if found.0 < last => found,
        other => runs_on(content, &blocks[last], options)
            .map(|(offset, kind)| (last, offset, kind))
            .or(other)?,
    };
    Some(Unbalanced {
        section: block.checked_sub(1),
        offset,
        kind,
    })
}

/// When `block` leaves a code block or an HTML block open at its end: where that starts, and
/// what it is.
fn runs_on(content: &str, block: &Range<usize>, options: Options) -> Option<(usize, Imbalance)> {
    const PROBE: &str = "\n\n# probe\n";
    let text = content.get(block.clone())?;
    // Every fence is ``` or ~~~, and every HTML block starts with `<`: without those bytes,
    // nothing can run on (a 10 MB section of prose is not parsed twice).
    if !text.bytes().any(|b| matches!(b, b'`' | b'~' | b'<')) {
        return None;
    }
    let mut probed = String::with_capacity(text.len() + PROBE.len());
    probed.push_str(text);
    probed.push_str(PROBE);
    let probe = text.len() + 2;
    let mut open: Option<(usize, Imbalance)> = None;
    for (event, range) in Parser::new_ext(&probed, options).into_offset_iter() {
        if range.start >= probe {
            // The probe is a heading of its own: nothing ran on into it.
            return match event {
                Event::Start(Tag::Heading { .. }) => None,
                _ => Some(open.unwrap_or((block.start, Imbalance::HtmlBlock))),
            };
        }
        if range.end <= probe {
            continue;
        }
        // A block that starts in the text and reaches the probe holds it.
        let kind = match event {
            Event::Start(Tag::CodeBlock(_)) => Imbalance::Fence,
            Event::Start(Tag::HtmlBlock) if probed[range.clone()].starts_with("<!--") => {
                Imbalance::Comment
            }
            Event::Start(Tag::HtmlBlock) => Imbalance::HtmlBlock,
            _ => continue,
        };
        open = Some((block.start + range.start, kind));
    }
    Some(open.unwrap_or((block.start, Imbalance::HtmlBlock)))
}

/// The first block whose HTML containers do not balance: its index in `blocks`, where, and
/// why. `text_start` is where the parse starts (the first block's start).
fn unbalanced_html(
    content: &str,
    text_start: usize,
    blocks: &[Range<usize>],
    options: Options,
) -> Option<(usize, usize, Imbalance)> {
    let text = content.get(text_start..)?;
    let mut block = 0usize;
    let mut tags = TagStack::default();
    // Markdown containers (lists, quotes, tables, headings) close the HTML opened in them.
    let mut depth = 0usize;
    // The text of the HTML block being read, and where each of its pieces starts.
    let mut html_block: Option<(String, Vec<(usize, usize)>)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let at = text_start + range.start;
        while block + 1 < blocks.len() && blocks[block + 1].start <= at {
            if let Some(wrong) = tags.unbalanced() {
                return Some((block, wrong.0, wrong.1));
            }
            block += 1;
            tags = TagStack::default();
        }
        match event {
            Event::Start(Tag::HtmlBlock) => html_block = Some((String::new(), Vec::new())),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((html, pieces)) = html_block.take() {
                    tags.scan(&html, depth == 0, |i| piece_offset(&pieces, i));
                }
            }
            Event::Html(h) => match html_block.as_mut() {
                Some((html, pieces)) => {
                    pieces.push((html.len(), at));
                    html.push_str(&h);
                }
                None => tags.scan(&h, depth == 0, |i| at + i),
            },
            Event::InlineHtml(h) => tags.scan(&h, depth == 0, |i| at + i),
            Event::Start(tag) if closes_html(tag.to_end()) => depth += 1,
            Event::End(end) if closes_html(end) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if tags.stray.is_some() {
            break;
        }
    }
    tags.unbalanced()
        .map(|(offset, kind)| (block, offset, kind))
}

/// The chapter offset of byte `i` of an HTML block's text, from where each piece starts.
fn piece_offset(pieces: &[(usize, usize)], i: usize) -> usize {
    let n = pieces.partition_point(|&(start, _)| start <= i);
    match n.checked_sub(1).and_then(|n| pieces.get(n)) {
        Some(&(start, at)) => at + (i - start),
        None => i,
    }
}

/// Markdown blocks whose HTML end tag makes a browser close every element opened inside.
fn closes_html(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::BlockQuote(_)
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Heading(_)
    )
}

/// The elements open in one block, as a browser would keep them.
#[derive(Debug, Default)]
struct TagStack {
    /// Open elements: name and offset of the start tag (`<!--` for a comment).
    open: Vec<(String, usize)>,
    /// Inside a comment or a raw-text element: what ends it.
    raw: Option<String>,
    /// The first end tag that closed nothing: name and offset.
    stray: Option<(String, usize)>,
}

impl TagStack {
    /// What is left unbalanced: a stray end tag, else the first element still open.
    fn unbalanced(&self) -> Option<(usize, Imbalance)> {
        if let Some((name, offset)) = &self.stray {
            return Some((*offset, Imbalance::StrayClose(name.clone())));
        }
        self.open.first().map(|(name, offset)| {
            let kind = if name == "!--" {
                Imbalance::Comment
            } else {
                Imbalance::Open(name.clone())
            };
            (*offset, kind)
        })
    }

    /// Reads the tags of `html` (one HTML block or one inline tag). `containers`: whether
    /// container elements count here (not inside a Markdown container); `offset` maps a byte
    /// of `html` to the chapter.
    fn scan(&mut self, html: &str, containers: bool, offset: impl Fn(usize) -> usize) {
        let lower = html.to_ascii_lowercase();
        let mut i = 0;
        while i < lower.len() {
            if let Some(end) = self.raw.clone() {
                match lower[i..].find(&end) {
                    Some(found) => {
                        i += found + end.len();
                        self.raw = None;
                        self.open.pop();
                    }
                    None => return,
                }
                continue;
            }
            let Some(lt) = lower[i..].find('<') else {
                return;
            };
            i += lt;
            i = self.tag(&lower, i, containers, &offset);
        }
    }

    /// Reads the tag starting at `lower[i]` (a `<`); returns where reading goes on.
    fn tag(
        &mut self,
        lower: &str,
        i: usize,
        containers: bool,
        offset: &impl Fn(usize) -> usize,
    ) -> usize {
        let rest = &lower[i + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            // `<!-->` and `<!--->` are whole (empty) comments.
            if comment.starts_with('>') || comment.starts_with("->") {
                return i + 4;
            }
            self.open.push(("!--".to_owned(), offset(i)));
            self.raw = Some("-->".to_owned());
            return i + 4;
        }
        let (closing, name_start) = match rest.strip_prefix('/') {
            Some(_) => (true, i + 2),
            None => (false, i + 1),
        };
        let name_len = lower[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
            .count();
        let name = &lower[name_start..name_start + name_len];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            // `<!DOCTYPE`, `<?php`, `a < b`: no element.
            return i + 1;
        }
        let Some(end) = tag_end(lower, name_start + name_len) else {
            return lower.len();
        };
        let raw = RAW_TEXT.contains(&name);
        if !(raw || containers && CONTAINERS.contains(&name)) {
            return end;
        }
        if closing {
            match self.open.iter().rposition(|(open, _)| open == name) {
                // Closing an outer element closes the ones inside it, as a browser does.
                Some(at) => self.open.truncate(at),
                None => {
                    if self.stray.is_none() {
                        self.stray = Some((name.to_owned(), offset(i)));
                    }
                }
            }
        } else {
            self.open.push((name.to_owned(), offset(i)));
            if raw {
                self.raw = Some(format!("</{name}"));
            }
        }
        end
    }
}

/// Where the tag whose attributes start at `lower[i]` ends (after its `>`), quotes respected.
fn tag_end(lower: &str, mut i: usize) -> Option<usize> {
    let bytes = lower.as_bytes();
    let mut quote: Option<u8> = None;
    while let Some(&b) = bytes.get(i) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(i + 1),
            (None, _) => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        crate::config::MarkdownFlavor::default().options()
    }

    /// The blocks of `text`: the preamble, then one per top-level heading.
    fn check(text: &str) -> Option<(Option<usize>, String, Imbalance)> {
        let mut starts = vec![0];
        starts.extend(
            crate::sections::top_level_headings(text, options())
                .iter()
                .map(|h| h.range.start),
        );
        let blocks: Vec<Range<usize>> = starts
            .iter()
            .enumerate()
            .map(|(i, &s)| s..starts.get(i + 1).copied().unwrap_or(text.len()))
            .collect();
        first_unbalanced(text, &blocks, options()).map(|u| {
            let line = text[u.offset..]
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned();
            (u.section, line, u.kind)
        })
    }

    #[test]
    fn closed_blocks_balance() {
        assert_eq!(
            check("intro\n# A\n\n```\nx\n```\n# B\n\n<details>\n\nx\n\n</details>\n"),
            None
        );
        assert_eq!(check("# A\n\n<!-- a\n\nb -->\n\n<div/>x</div>\n"), None);
        assert_eq!(check("# A\n\n<script>if (a<b) {}</script>\n"), None);
        // Markdown containers close the HTML opened inside them.
        assert_eq!(check("# A\n\n- <details>\n\n> <div>\n# B\n"), None);
    }

    #[test]
    fn an_open_container_or_stray_end_tag_is_reported_where_it_is() {
        assert_eq!(
            check("intro\n# A\n\n<details>\n<summary>s</summary>\n\n# B\n\n</details>\n"),
            Some((
                Some(0),
                "<details>".into(),
                Imbalance::Open("details".into())
            ))
        );
        assert_eq!(
            check("<DIV class=\"a>b\">\n\n# A\n\n</div>\n"),
            Some((
                None,
                "<DIV class=\"a>b\">".into(),
                Imbalance::Open("div".into())
            ))
        );
        assert_eq!(
            check("# A\n\nx\n# B\n\ntext </section>\n"),
            Some((
                Some(1),
                "</section>".into(),
                Imbalance::StrayClose("section".into())
            ))
        );
        // A comment holds what looks like a heading: one section, balanced.
        assert_eq!(
            check("# A\n\n<div>\n\n<!-- a\n\n# B\n\n-->\n</div>\n"),
            None
        );
        // A comment opened inside an HTML block runs on in the browser until a `-->`.
        assert_eq!(
            check("# A\n\n<div><!-- a\n\n# B\n\n--></div>\n"),
            Some((Some(0), "<div><!-- a".into(), Imbalance::Open("div".into())))
        );
    }

    #[test]
    fn the_last_block_must_not_run_on() {
        assert_eq!(
            check("# A\n\n```\n\n<<#trd tdd>>\n\n```\n# B\n\n   ~~~~ rust\n"),
            Some((Some(1), "~~~~ rust".into(), Imbalance::Fence))
        );
        assert_eq!(
            check("# A\n\n<!-- open\n"),
            Some((Some(0), "<!-- open".into(), Imbalance::Comment))
        );
        assert_eq!(
            check("just text <pre>\n"),
            Some((None, "<pre>".into(), Imbalance::Open("pre".into())))
        );
        assert_eq!(
            check("# A\n\n<pre>\nx\n"),
            Some((Some(0), "<pre>".into(), Imbalance::HtmlBlock))
        );
        // Indented code at the end cannot take in a heading.
        assert_eq!(check("# A\n\n    code\n"), None);
    }
}
