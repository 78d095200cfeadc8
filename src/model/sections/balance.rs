//! Whether an authored block (the preamble or a section) can be moved without changing what is
//! code, HTML or comment, in it and around it.
//!
//! Merging moves the author's sections into the skeleton. That is safe only for a piece that is
//! closed in itself: one that leaves a fence, a comment or an HTML element open takes whatever
//! follows it in the output (template sections, other authored sections) into that construct,
//! and one that closes what an earlier block opened takes its own text out of it. Two things
//! can leave a piece open:
//!
//! - **Block structure.** A fenced code block or an HTML block that runs to its end marker
//!   (`<!--`, `<pre>`, `<script>`, ...) never contains a top-level heading, so it can stay open
//!   only in the last block, up to the chapter's end. That block is parsed with a probe heading
//!   after it: the block is closed when the probe is a heading.
//! - **HTML nesting.** pulldown-cmark ends most HTML blocks at a blank line, so `<details>`, a
//!   blank line, Markdown, and `</details>` are several blocks, but a browser nests everything
//!   between the tags inside the element. Every element counts, whatever its name (`<video>`,
//!   `<my-widget>`), except void ones. The tags of each section are recorded as a [`Trace`] in
//!   the pass that finds the headings ([`Recorder`]), then replayed on a model of the
//!   browser's stack of open elements ([`Stack`]).
//!
//! The piece that moves is a section **with the sub-sections its HTML needs**: a `<details>`
//! opened in a section's text and closed in one of its sub-sections balances over the two, and
//! they move as one (see [`units`]).

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::outline::{AuthoredSection, is_written, subtree_end};

/// Elements with no content and no end tag.
const VOID: [&str; 19] = [
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content a browser reads as raw text up to the end tag, whatever Markdown
/// container they sit in (`noscript` too: mdBook's pages run with scripts).
const RAW_TEXT: [&str; 10] = [
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// Formatting elements: closing the element around one does not end it, since a browser opens
/// it again for the text that follows (an unclosed `<b>` makes the rest of the page bold).
const FORMATTING: [&str; 14] = [
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements that an end tag of an element around them cannot reach: what is inside a table,
/// a select, a template, ... stays there until it is closed itself.
const BOUNDARY: [&str; 10] = [
    "applet", "button", "caption", "marquee", "object", "select", "table", "td", "template", "th",
];

/// Elements whose start tag ends an open `<p>`, and that a paragraph's end does not close (the
/// element has already ended the paragraph).
const BLOCK: [&str; 37] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
];

/// A piece that does not balance, and the construct that makes it so.
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
    /// An HTML element that is not closed; its name.
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

/// What the HTML of a stretch of a chapter does, in order: the tags (outside code), and the
/// ends of the Markdown blocks that close elements opened inside them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace(Vec<Token>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A start tag (`<!--` for a comment that does not end where it starts): its lower-case
    /// name, its offset in the chapter, the depth of Markdown containers it is in, whether it
    /// is in a paragraph, whether it is written `<x/>`.
    Open {
        name: String,
        at: usize,
        depth: u32,
        para: bool,
        self_closing: bool,
    },
    /// An end tag (`-->` for a comment): its name and offset.
    Close { name: String, at: usize },
    /// A Markdown container ended, leaving `depth` containers open.
    End { depth: u32 },
    /// A paragraph ended.
    ParagraphEnd,
    /// A Markdown block started whose HTML start tag ends an open `<p>` (a paragraph, heading,
    /// list, quote, code block, table, rule, ...).
    BlockStart,
    /// A top-level heading ended.
    HeadingEnd,
}

/// Where a raw-text element or a comment that did not end where it started ends.
#[derive(Debug)]
struct RawEnd {
    /// What ends it (`</script`, `-->`, `>`); `None` for `<plaintext>`, which nothing ends.
    until: Option<String>,
    /// The element to close there (none for a bogus comment such as `<!DOCTYPE`).
    name: Option<String>,
}

/// Turns the events of one pulldown-cmark pass into a [`Trace`].
#[derive(Debug, Default)]
pub struct Recorder {
    tokens: Vec<Token>,
    /// Markdown containers open that close the HTML opened in them.
    depth: u32,
    /// Inside a paragraph; and whether a tag was opened in it.
    para: bool,
    para_opened: bool,
    /// The text of the HTML block being read, and where each of its pieces starts.
    html_block: Option<(String, Vec<(usize, usize)>)>,
    /// Inside a raw-text element or a comment, across events.
    raw: Option<RawEnd>,
}

impl Recorder {
    /// Reads one event of a parse of text that starts at byte `base` of the chapter.
    pub fn event(&mut self, event: &Event<'_>, range: Range<usize>, base: usize) {
        let at = base + range.start;
        match event {
            Event::Start(Tag::HtmlBlock) => self.html_block = Some((String::new(), Vec::new())),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((html, pieces)) = self.html_block.take() {
                    self.scan(&html, |i| piece_offset(&pieces, i));
                }
            }
            Event::Html(h) => match self.html_block.as_mut() {
                Some((html, pieces)) => {
                    pieces.push((html.len(), at));
                    html.push_str(h);
                }
                None => self.scan(h, |i| at + i),
            },
            Event::InlineHtml(h) => self.scan(h, |i| at + i),
            Event::Start(Tag::Paragraph) => {
                self.block_start();
                self.para = true;
                self.para_opened = false;
            }
            Event::Start(
                Tag::CodeBlock(_) | Tag::MetadataBlock(_) | Tag::FootnoteDefinition(_),
            )
            | Event::Rule => self.block_start(),
            Event::End(TagEnd::Paragraph) => {
                self.para = false;
                if std::mem::take(&mut self.para_opened) {
                    self.tokens.push(Token::ParagraphEnd);
                }
            }
            Event::Start(tag) if closes_html(tag.to_end()) => {
                self.block_start();
                self.depth += 1;
            }
            Event::End(end) if closes_html(*end) => {
                self.depth = self.depth.saturating_sub(1);
                // Only what was opened in this trace can be closed (a trace starts where no
                // Markdown container is open).
                if !self.tokens.is_empty() {
                    self.tokens.push(match end {
                        TagEnd::Heading(_) if self.depth == 0 => Token::HeadingEnd,
                        _ => Token::End { depth: self.depth },
                    });
                }
            }
            _ => {}
        }
    }

    fn block_start(&mut self) {
        if !self.tokens.is_empty() {
            self.tokens.push(Token::BlockStart);
        }
    }

    /// The trace recorded since the last call.
    pub fn take(&mut self) -> Trace {
        Trace(std::mem::take(&mut self.tokens))
    }

    fn open(&mut self, name: &str, at: usize, self_closing: bool) {
        self.para_opened |= self.para;
        self.tokens.push(Token::Open {
            name: name.to_owned(),
            at,
            depth: self.depth,
            para: self.para,
            self_closing,
        });
    }

    /// Reads the tags of `html` (one HTML block or one inline tag); `offset` maps a byte of
    /// `html` to the chapter.
    fn scan(&mut self, html: &str, offset: impl Fn(usize) -> usize) {
        let lower = html.to_ascii_lowercase();
        let mut i = 0;
        while i < lower.len() {
            if let Some(raw) = &self.raw {
                let Some(until) = raw.until.as_deref() else {
                    return;
                };
                let Some(found) = find_end(&lower[i..], until) else {
                    return;
                };
                let close = i + found;
                i = close + until.len();
                if until.starts_with("</") {
                    i = tag_end(&lower, i).unwrap_or(lower.len());
                }
                if let Some(name) = self.raw.take().and_then(|r| r.name) {
                    self.tokens.push(Token::Close {
                        name,
                        at: offset(close),
                    });
                }
                continue;
            }
            let Some(lt) = lower[i..].find('<') else {
                return;
            };
            i = self.tag(&lower, i + lt, &offset);
        }
    }

    /// Reads the tag starting at `lower[i]` (a `<`), as a browser's tokenizer does; returns
    /// where reading goes on.
    fn tag(&mut self, lower: &str, i: usize, offset: &impl Fn(usize) -> usize) -> usize {
        let rest = &lower[i + 1..];
        if let Some(comment) = rest.strip_prefix("!--") {
            // `<!-->` and `<!--->` are whole (empty) comments.
            if comment.starts_with('>') || comment.starts_with("->") {
                return i + 4;
            }
            self.open("!--", offset(i), false);
            self.raw = Some(RawEnd {
                until: Some("-->".to_owned()),
                name: Some("!--".to_owned()),
            });
            return i + 4;
        }
        let closing = rest.starts_with('/');
        let name_start = i + 1 + usize::from(closing);
        let first = lower.as_bytes().get(name_start).copied();
        if !first.is_some_and(|b| b.is_ascii_alphabetic()) {
            // `<!DOCTYPE`, `<![CDATA[`, `<?php` and `</ x` are bogus comments up to the next
            // `>`; `a < b` and `</>` are no tag at all.
            let bogus = rest.starts_with(['!', '?']) || closing && first != Some(b'>');
            if !bogus {
                return i + 1;
            }
            return match lower[i..].find('>') {
                Some(gt) => i + gt + 1,
                None => {
                    self.raw = Some(RawEnd {
                        until: Some(">".to_owned()),
                        name: None,
                    });
                    lower.len()
                }
            };
        }
        // A tag name runs to white space, `/` or `>` (`<https://x>` is an element `https:`).
        let name_len = lower[name_start..]
            .bytes()
            .take_while(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
            .count();
        let name = &lower[name_start..name_start + name_len];
        let end = tag_end(lower, name_start + name_len);
        if VOID.contains(&name) {
            return end.unwrap_or(lower.len());
        }
        let Some(end) = end else {
            // A tag that never ends takes in what follows as its attributes.
            self.open(name, offset(i), false);
            return lower.len();
        };
        if closing {
            self.tokens.push(Token::Close {
                name: name.to_owned(),
                at: offset(i),
            });
            return end;
        }
        let self_closing = lower.as_bytes()[..end].ends_with(b"/>");
        self.open(name, offset(i), self_closing);
        if RAW_TEXT.contains(&name) {
            self.raw = Some(RawEnd {
                until: (name != "plaintext").then(|| format!("</{name}")),
                name: Some(name.to_owned()),
            });
        }
        end
    }
}

/// Where `until` (`</name`, `-->`, `>`) first ends raw text in `lower`: an end tag only when
/// its name ends there.
fn find_end(lower: &str, until: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = lower[from..].find(until) {
        let at = from + found;
        let next = lower.as_bytes().get(at + until.len());
        if !until.starts_with("</")
            || next
                .is_none_or(|b| matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
        {
            return Some(at);
        }
        from = at + until.len();
    }
    None
}

/// The chapter offset of byte `i` of an HTML block's text, from where each piece starts.
fn piece_offset(pieces: &[(usize, usize)], i: usize) -> usize {
    let n = pieces.partition_point(|&(start, _)| start <= i);
    match n.checked_sub(1).and_then(|n| pieces.get(n)) {
        Some(&(start, at)) => at + (i - start),
        None => i,
    }
}

/// Markdown blocks whose HTML end tag makes a browser close the elements opened inside.
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

/// How an open element reacts to what closes elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Raw text or a comment: only its own end ends it.
    Raw,
    /// Reopened by a browser when closed from outside: only its own end tag ends it.
    Formatting,
    /// Out of reach of end tags of elements around it and of Markdown containers.
    Boundary,
    /// Ends an open paragraph: a Markdown container's end closes it, a paragraph's does not.
    Block,
    /// Anything else (`span`, `video`, custom elements, `svg`): closed by the end of the
    /// paragraph or Markdown container it is in.
    Phrasing,
}

fn kind(name: &str) -> Kind {
    if name == "!--" || RAW_TEXT.contains(&name) {
        Kind::Raw
    } else if FORMATTING.contains(&name) {
        Kind::Formatting
    } else if BOUNDARY.contains(&name) {
        Kind::Boundary
    } else if BLOCK.contains(&name) {
        Kind::Block
    } else {
        Kind::Phrasing
    }
}

#[derive(Debug)]
struct Entry {
    name: String,
    at: usize,
    depth: u32,
    para: bool,
    kind: Kind,
}

/// The elements open, as a browser would keep them.
#[derive(Debug, Default)]
struct Stack {
    open: Vec<Entry>,
}

impl Stack {
    /// Where the entries that closing from outside can reach start: above the last raw or
    /// boundary element.
    fn reach(&self) -> usize {
        self.open
            .iter()
            .rposition(|e| matches!(e.kind, Kind::Raw | Kind::Boundary))
            .map_or(0, |b| b + 1)
    }

    /// Closes `open[at]` and what is inside it, but for formatting elements, which a browser
    /// reopens.
    fn close_from(&mut self, at: usize) {
        let inside = self.open.split_off(at);
        self.open.extend(
            inside
                .into_iter()
                .skip(1)
                .filter(|e| e.kind == Kind::Formatting),
        );
    }

    /// The innermost open element named `name` that an end tag `</name>` reaches.
    fn find(&self, name: &str) -> Option<usize> {
        let table_part = matches!(name, "table" | "tbody" | "thead" | "tfoot" | "tr");
        for (i, e) in self.open.iter().enumerate().rev() {
            if e.name == name {
                return Some(i);
            }
            let cell = matches!(e.name.as_str(), "td" | "th" | "caption");
            if matches!(e.kind, Kind::Raw | Kind::Boundary) && !(table_part && cell) {
                return None;
            }
        }
        None
    }

    /// Applies one token; a stray end tag is an error.
    fn apply(&mut self, token: &Token) -> Result<(), (usize, Imbalance)> {
        match token {
            Token::Open {
                name,
                at,
                depth,
                para,
                self_closing,
            } => {
                let foreign = self
                    .open
                    .iter()
                    .any(|e| e.name == "svg" || e.name == "math");
                // `<x/>` closes itself only in SVG and MathML: `<div/>` opens a div.
                if *self_closing && (foreign || name == "svg" || name == "math") {
                    return Ok(());
                }
                let kind = kind(name);
                if matches!(kind, Kind::Block) || name == "table" {
                    self.close_p();
                }
                // An item ends the previous item, up to its list.
                let (item, list): (&[&str], &[&str]) = match name.as_str() {
                    "li" => (&["li"], &["ul", "ol", "menu"]),
                    "dd" | "dt" => (&["dd", "dt"], &["dl"]),
                    "option" => (&["option"], &["select", "datalist", "optgroup"]),
                    _ => (&[], &[]),
                };
                let reach = self.reach();
                let previous = self.open[reach..]
                    .iter()
                    .rposition(|e| {
                        item.contains(&e.name.as_str()) || list.contains(&e.name.as_str())
                    })
                    .map(|i| reach + i)
                    .filter(|&i| item.contains(&self.open[i].name.as_str()));
                if let Some(i) = previous {
                    self.close_from(i);
                }
                self.open.push(Entry {
                    name: name.clone(),
                    at: *at,
                    depth: *depth,
                    para: *para,
                    kind,
                });
            }
            Token::Close { name, at } => match self.find(name) {
                Some(i) if kind(name) == Kind::Formatting => {
                    self.open.remove(i);
                }
                Some(i) => self.close_from(i),
                // A lone `</p>` or `</br>` closes nothing a browser had open.
                None if name == "p" || name == "br" => {}
                None => return Err((*at, Imbalance::StrayClose(name.clone()))),
            },
            Token::End { depth } => self.end(*depth),
            Token::BlockStart => self.close_p(),
            Token::HeadingEnd => self.end(0),
            Token::ParagraphEnd => {
                let reach = self.reach();
                let mut i = 0;
                self.open.retain(|e| {
                    i += 1;
                    i <= reach || !(e.para && e.kind == Kind::Phrasing)
                });
            }
        }
        Ok(())
    }

    /// Ends an open `<p>` (and what is open inside it), as a block's start tag does.
    fn close_p(&mut self) {
        let reach = self.reach();
        if let Some(i) = self.open[reach..].iter().rposition(|e| e.name == "p") {
            self.close_from(reach + i);
        }
    }

    /// A Markdown container ended, leaving `depth` open: what was opened in it ends, but for
    /// raw, formatting and boundary elements.
    fn end(&mut self, depth: u32) {
        let reach = self.reach();
        let mut i = 0;
        self.open.retain(|e| {
            i += 1;
            i <= reach || !(e.depth > depth && matches!(e.kind, Kind::Block | Kind::Phrasing))
        });
    }

    /// The first element still open, as an imbalance.
    fn left_open(&self) -> Option<(usize, Imbalance)> {
        self.open.first().map(|e| {
            let kind = if e.name == "!--" {
                Imbalance::Comment
            } else {
                Imbalance::Open(e.name.clone())
            };
            (e.at, kind)
        })
    }

    /// Replays `trace`. With `root`, the first heading must leave nothing open: a section's
    /// heading is not always followed by its body (the title's metadata, or a skeleton's
    /// guidance when the body is empty, come between).
    fn replay(&mut self, trace: &Trace, mut root: bool) -> Result<(), (usize, Imbalance)> {
        for token in &trace.0 {
            self.apply(token)?;
            if root && *token == Token::HeadingEnd {
                root = false;
                if let Some(open) = self.left_open() {
                    return Err(open);
                }
            }
        }
        Ok(())
    }
}

/// The sections as pieces that balance, and the first that does not.
///
/// Each section with its [`Trace`], in order. A section whose HTML balances is a piece; one
/// that does not is joined by its sub-sections, one after another, until the HTML balances
/// (the sub-sections become part of its body). When it does not balance even with all of them,
/// that section and the rest are returned as they are, with what is wrong.
pub fn units(
    content: &str,
    sections: &[(AuthoredSection, &Trace)],
) -> (Vec<AuthoredSection>, Option<Unbalanced>) {
    let levels: Vec<u8> = sections.iter().map(|(s, _)| s.level).collect();
    let mut out: Vec<AuthoredSection> = Vec::with_capacity(sections.len());
    let mut root = 0;
    while let Some((first, trace)) = sections.get(root) {
        let mut stack = Stack::default();
        // What comes after a piece, in the chapter or in the merged doc, is a heading (or the
        // end), which ends an open `<p>`.
        let mut wrong = stack.replay(trace, true).err();
        stack.close_p();
        let end = subtree_end(&levels, root);
        let mut next = root + 1;
        while wrong.is_none() && !stack.open.is_empty() {
            match sections.get(next).filter(|_| next < end) {
                Some((_, trace)) => {
                    wrong = stack.replay(trace, false).err();
                    stack.close_p();
                    next += 1;
                }
                None => wrong = stack.left_open(),
            }
        }
        if let Some((offset, kind)) = wrong {
            // Kept in place: that section and all after it, as they were written.
            let at = out.len();
            out.extend(sections[root..].iter().map(|(s, _)| s.clone()));
            let unbalanced = Unbalanced {
                section: Some(at),
                offset,
                kind,
            };
            return (out, Some(unbalanced));
        }
        let mut piece = first.clone();
        if next > root + 1 {
            piece.body.end = sections[next - 1].0.body.end;
            piece.has_body = content.get(piece.body.clone()).is_some_and(is_written);
            piece.sub_headings = sections[root + 1..next]
                .iter()
                .map(|(s, _)| (s.level, s.heading.clone()))
                .collect();
        }
        out.push(piece);
        root = next;
    }
    (out, None)
}

/// The first authored block that does not balance: the preamble (parsed here), else the first
/// section found by [`units`] (`sections`), else the last block when it runs on. `blocks` are
/// the byte ranges of the preamble and then of each section, in order and back to back, the
/// last ending at the end of `content`.
pub fn first_unbalanced(
    content: &str,
    blocks: &[Range<usize>],
    sections: Option<&Unbalanced>,
    options: Options,
) -> Option<Unbalanced> {
    let last = blocks.len().checked_sub(1)?;
    let preamble =
        preamble_unbalanced(content, &blocks[0], options).map(|(offset, kind)| Unbalanced {
            section: None,
            offset,
            kind,
        });
    let nesting = preamble.or_else(|| sections.cloned());
    // Only the last block can run on into what follows it; an HTML imbalance in an earlier
    // block comes first.
    match nesting {
        Some(found) if found.section.map_or(0, |s| s + 1) < last => Some(found),
        other => runs_on(content, &blocks[last], options)
            .map(|(offset, kind)| Unbalanced {
                section: last.checked_sub(1),
                offset,
                kind,
            })
            .or(other),
    }
}

/// Whether a whole text (a template) closes everything it opens: its HTML balances and its
/// last block does not run on. The offset and what is wrong, for the first that does not.
pub fn text_unbalanced(text: &str, options: Options) -> Option<(usize, Imbalance)> {
    let all = 0..text.len();
    preamble_unbalanced(text, &all, options).or_else(|| runs_on(text, &all, options))
}

/// Whether the preamble's HTML balances.
fn preamble_unbalanced(
    content: &str,
    preamble: &Range<usize>,
    options: Options,
) -> Option<(usize, Imbalance)> {
    let text = content.get(preamble.clone())?;
    if !text.contains('<') {
        return None;
    }
    let mut recorder = Recorder::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        recorder.event(&event, range, preamble.start);
    }
    let mut stack = Stack::default();
    match stack.replay(&recorder.take(), false) {
        Err(wrong) => Some(wrong),
        Ok(()) => {
            // A heading follows the preamble, in the chapter and in the merged doc.
            stack.close_p();
            stack.left_open()
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        crate::markdown::flavor::MarkdownFlavor::default().options()
    }

    fn open(name: &str) -> Imbalance {
        Imbalance::Open(name.into())
    }

    /// The first piece of `text` (all of it authored) that does not balance: its section, the
    /// line of the construct, and what is wrong.
    fn check(text: &str) -> Option<(Option<usize>, String, Imbalance)> {
        let authored = crate::model::sections::authored::parse_authored(text, 0, options());
        authored.first_unbalanced(text, options()).map(|u| {
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

    #[test]
    fn any_element_counts_but_void_ones() {
        for open in [
            "<noscript>",
            "<video>",
            "<my-widget a=\"1\">",
            "<SVG>",
            "<div/>",
        ] {
            let name: String = open[1..]
                .chars()
                .take_while(|c| !matches!(c, ' ' | '>' | '/'))
                .collect();
            assert_eq!(
                check(&format!("# A\n\n{open}\n\n# B\n")),
                Some((Some(0), open.into(), self::open(&name.to_lowercase()))),
                "{open}"
            );
        }
        for closed in [
            "<br><img src=x><source><wbr><hr/>",
            "<svg><path d=\"M0\"/></svg>",
            "<svg/>",
            "<!DOCTYPE html><?x <div> ?><![CDATA[ x ]]>",
            "<my-widget><span>x</my-widget>",
            "<ul><li>a<li>b</ul>",
            "<dl><dt>a<dd>b</dl>",
            "<table><tr><td>a<td>b</table>",
            "</br></p>",
        ] {
            assert_eq!(
                check(&format!("# A\n\n{closed}\n\n# B\n")),
                None,
                "{closed}"
            );
        }
        assert_eq!(
            check("# A\n\n</my-widget>\n"),
            Some((
                Some(0),
                "</my-widget>".into(),
                Imbalance::StrayClose("my-widget".into())
            ))
        );
    }

    #[test]
    fn markdown_blocks_close_what_a_browser_closes() {
        // A paragraph closes the phrasing elements opened in it (`Vec<String>` in prose), a list
        // item or heading the blocks too.
        assert_eq!(
            check("# A <x-y>\n\nReturns Vec<String>.\n\n- <div>\n# B\n"),
            None
        );
        // Not what a browser reopens (formatting), nor what the end tag cannot reach (a table,
        // a select), nor what ends a paragraph.
        for (text, line, name) in [
            ("# A\n\n- <b>bold\n# B\n", "<b>bold", "b"),
            (
                "# A\n\n- <select><option>a\n# B\n",
                "<select><option>a",
                "select",
            ),
            ("# A\n\n> <div><table>\n# B\n", "<div><table>", "div"),
            ("# A\n\ntext <div> more\n# B\n", "text <div> more", "div"),
            ("# A\n\n<div><b>x</div>\n# B\n", "<div><b>x</div>", "b"),
            (
                "# A\n\ntext <x-y> <select>\n# B\n",
                "text <x-y> <select>",
                "x-y",
            ),
        ] {
            let (section, at, kind) = check(text).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!((section, kind), (Some(0), open(name)), "{text:?}");
            assert!(line.ends_with(&at) || at.starts_with('<'), "{text:?}: {at}");
        }
    }

    #[test]
    fn a_section_balances_with_its_sub_sections() {
        let text = "# A\n\n<details>\n\n## A1\n\n### A2\n\n</details>\n\n## A3\n\n# B\n";
        assert_eq!(check(text), None);
        let a = crate::model::sections::authored::parse_authored(text, 0, options());
        let keys: Vec<&str> = a.sections.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["a", "a3", "b"]);
        assert!(text[a.sections[0].body.clone()].ends_with("</details>\n\n"));
        // Not with a sibling: kept in place, all sections as written.
        let text = "intro\n# A\n\n<div>\n\n## A1\n\n# B\n\n</div>\n";
        assert_eq!(check(text), Some((Some(0), "<div>".into(), open("div"))));
        let a = crate::model::sections::authored::parse_authored(text, 0, options());
        assert_eq!(a.sections.len(), 3);
        // A heading's `<h2>` ends a `<p>` left open before it: what is opened after the heading
        // is not inside the `<p>`, and a later block tag does not close it.
        assert_eq!(
            check("# A\n\n<p/>\nx\n\n## B\n\n<a-a>\n<summary>s</summary>\n\n## C\n"),
            Some((Some(1), "<a-a>".into(), open("a-a")))
        );
        assert_eq!(
            check("# A\n\n<p align=\"center\">\n<img src=x>\n\n# B\n"),
            None
        );
        // A heading that leaves an element open for its body is not a piece: the title's
        // metadata, or a skeleton's guidance, can come between the two.
        assert_eq!(
            check("# A <b>x\n\nbold</b>\n"),
            Some((Some(0), "<b>x".into(), open("b")))
        );
    }
}
