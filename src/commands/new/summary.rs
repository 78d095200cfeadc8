//! Adding a chapter to `SUMMARY.md` from its Markdown structure, read the way mdBook reads it.
//!
//! mdBook's summary parser (the `mdbook-summary` crate) gives the chapters but not where they
//! are in the file, so the positions come from pulldown-cmark's offset iterator run with the
//! parser's own options (none). Only the lists mdBook reads count: top-level lists and the lists
//! nested in their items, never text in HTML comments, block quotes or code. The result is
//! parsed again with mdBook's parser and refused unless the new chapter is where it was meant
//! to go and everything else reads as before.

use std::path::{Path, PathBuf};

use mdbook_summary::{Summary, SummaryItem, parse_summary};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::number::increment;
use crate::markdown::write;

/// One list item of the summary.
#[derive(Debug, Default)]
struct Item {
    /// What precedes the marker on its line, as white space (`    ` for a nested item).
    lead: String,
    /// The marker as written: `-`, `*`, `+`, `3.` or `3)`.
    marker: String,
    /// The white space between the marker and the link.
    gap: String,
    /// The end of the item's last non-blank byte (its nested items included).
    end: usize,
    /// The line the item starts on, for messages.
    line: usize,
    /// The chapter's name: the text of the item's first link, as mdBook reads it.
    name: String,
    /// Whether the item's first link has been seen.
    named: bool,
    /// A loose item (its text is a paragraph): the list has blank lines between items.
    loose: bool,
    /// The list of sub-chapters, if any.
    children: Option<usize>,
}

/// One list: the top-level ones and those nested in an item.
#[derive(Debug, Default)]
struct List {
    items: Vec<Item>,
}

/// The lists of a summary, as mdBook reads them.
#[derive(Debug, Default)]
struct Outline {
    lists: Vec<List>,
    /// The top-level lists, in order.
    top: Vec<usize>,
    /// The names of links outside lists (prefix and suffix chapters, part titles' links).
    affix: Vec<String>,
}

/// Where an event sits while the outline is read.
#[derive(Debug, Clone, Copy)]
enum Frame {
    List(usize),
    Item(usize, usize),
    /// Anything else; lists inside it are not chapters (mdBook skips them).
    Other,
}

/// Whose name the text of the current link is.
#[derive(Debug, Clone, Copy)]
enum Naming {
    Item(usize, usize),
    Affix,
}

impl Outline {
    fn read(text: &str) -> Outline {
        let mut o = Outline::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut naming: Option<Naming> = None;
        for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
            match event {
                Event::Start(Tag::List(_)) => {
                    let frame = o.open_list(stack.last().copied());
                    stack.push(frame);
                }
                Event::Start(Tag::Item) => {
                    let frame = match stack.last() {
                        Some(&Frame::List(l)) => {
                            o.lists[l].items.push(Item::at(text, range.start));
                            Frame::Item(l, o.lists[l].items.len() - 1)
                        }
                        _ => Frame::Other,
                    };
                    stack.push(frame);
                }
                Event::Start(tag) => {
                    if let Some(&Frame::Item(l, i)) = stack.last()
                        && tag == Tag::Paragraph
                    {
                        o.lists[l].items[i].loose = true;
                    }
                    if matches!(tag, Tag::Link { .. }) {
                        naming = o.start_naming(&stack);
                    }
                    stack.push(Frame::Other);
                }
                Event::End(end) => {
                    if let Some(Frame::Item(l, i)) = stack.pop() {
                        let body = text.get(range.clone()).unwrap_or_default();
                        o.lists[l].items[i].end = range.start + body.trim_end().len();
                    }
                    if end == TagEnd::Link {
                        naming = None;
                    }
                }
                Event::Text(t) | Event::Code(t) => o.name_more(naming, &t),
                Event::SoftBreak => o.name_more(naming, " "),
                _ => {}
            }
        }
        o
    }

    /// Records a list that starts under `parent`; only lists mdBook reads are kept.
    fn open_list(&mut self, parent: Option<Frame>) -> Frame {
        let id = self.lists.len();
        match parent {
            None => self.top.push(id),
            Some(Frame::Item(l, i)) => self.lists[l].items[i].children = Some(id),
            Some(_) => return Frame::Other,
        }
        self.lists.push(List::default());
        Frame::List(id)
    }

    /// The name a link that starts now gives: its item's, if the item has none yet, or an
    /// affix chapter's when it is outside every list.
    fn start_naming(&mut self, stack: &[Frame]) -> Option<Naming> {
        let owner = stack.iter().rev().find(|f| !matches!(f, Frame::Other));
        match owner {
            None => {
                self.affix.push(String::new());
                Some(Naming::Affix)
            }
            Some(&Frame::Item(l, i)) => {
                let item = &mut self.lists[l].items[i];
                if item.named || item.children.is_some() {
                    return None;
                }
                item.named = true;
                Some(Naming::Item(l, i))
            }
            Some(_) => None,
        }
    }

    fn name_more(&mut self, naming: Option<Naming>, text: &str) {
        match naming {
            Some(Naming::Item(l, i)) => self.lists[l].items[i].name.push_str(text),
            Some(Naming::Affix) => {
                if let Some(name) = self.affix.last_mut() {
                    name.push_str(text);
                }
            }
            None => {}
        }
    }

    /// The items at any depth, in document order of their lists.
    fn items(&self) -> impl Iterator<Item = &Item> {
        self.lists.iter().flat_map(|l| &l.items)
    }

    /// How far the book indents a sub-list beyond its parent's marker, if it has one.
    fn nesting_step(&self) -> Option<usize> {
        self.items().find_map(|parent| {
            let child = self.lists[parent.children?].items.first()?;
            width(&child.lead).checked_sub(width(&parent.lead))
        })
    }
}

impl Item {
    /// An item whose range starts at `start` (which may be before its indentation).
    fn at(text: &str, start: usize) -> Item {
        let rest = text.get(start..).unwrap_or_default();
        let marker_at = start + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        let line_start = text[..marker_at].rfind('\n').map_or(0, |i| i + 1);
        let lead = text[line_start..marker_at]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let after = &text[marker_at..];
        let marker_len = match after.chars().next() {
            Some('-' | '*' | '+') => 1,
            _ => {
                let digits =
                    after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                digits + usize::from(after[digits..].starts_with(['.', ')']))
            }
        };
        let marker = after[..marker_len].to_owned();
        let spaced = &after[marker_len..];
        let gap = &spaced[..spaced.len() - spaced.trim_start_matches([' ', '\t']).len()];
        Item {
            lead,
            marker,
            gap: if gap.is_empty() {
                " ".into()
            } else {
                gap.into()
            },
            line: line_of(text, marker_at),
            ..Item::default()
        }
    }

    /// The number and delimiter of an ordered item's marker.
    fn ordinal(&self) -> Option<(&str, &str)> {
        let digits = self.marker.trim_end_matches(['.', ')']);
        (!digits.is_empty() && digits.len() < self.marker.len())
            .then(|| (digits, &self.marker[digits.len()..]))
    }
}

/// The column width of leading white space (a tab reaches the next multiple of 4).
fn width(lead: &str) -> usize {
    lead.chars()
        .fold(0, |w, c| if c == '\t' { w + 4 - w % 4 } else { w + 1 })
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(0, |t| t.matches('\n').count()) + 1
}

/// Names compared the way a person means them: case and runs of white space do not matter.
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

/// What to insert, and where.
struct Insertion {
    /// Byte offset: always the start of a line, or the end of the file.
    at: usize,
    /// The entry's line without its line break: lead, marker, gap.
    prefix: String,
    /// A blank line before the entry (a loose list, or a list after other blocks).
    blank_before: bool,
}

/// `summary` with a chapter `title` → `link` added after the last chapter of the last list, or
/// as the last sub-chapter of the chapter named `parent` (case-insensitive). The entry copies
/// the list's marker (`-`, `*`, `+` or the next number) and indentation; every other byte of
/// `summary` stays as it was.
pub fn add_to_summary(
    summary: &str,
    title: &str,
    link: &str,
    parent: Option<&str>,
) -> Result<String, String> {
    let outline = Outline::read(summary);
    let (insertion, parent_name) = match parent {
        None => (after_last_list(summary, &outline), None),
        Some(name) => {
            let item = find_parent(&outline, name)?;
            (under(summary, &outline, item), Some(item.name.as_str()))
        }
    };
    let out = splice(summary, &insertion, title, link);
    check(summary, &out, link, parent_name)?;
    Ok(out)
}

/// After the last item of the last top-level list; a new list at the end when there is none.
fn after_last_list(summary: &str, outline: &Outline) -> Insertion {
    let last = outline.top.last().map(|&l| &outline.lists[l]);
    match last {
        Some(list) if !list.items.is_empty() => append(summary, list),
        _ => Insertion {
            at: summary.len(),
            prefix: "- ".into(),
            blank_before: !summary.trim().is_empty(),
        },
    }
}

/// After the last item of `list`, in its style.
fn append(summary: &str, list: &List) -> Insertion {
    let Some(last) = list.items.last() else {
        return Insertion {
            at: summary.len(),
            prefix: "- ".into(),
            blank_before: false,
        };
    };
    let marker = match last.ordinal() {
        None => last.marker.clone(),
        Some((digits, delimiter)) => {
            // `1.` on every item is a style of its own: keep it.
            let repeated =
                list.items.len() >= 2 && list.items[list.items.len() - 2].marker == last.marker;
            if repeated {
                last.marker.clone()
            } else {
                format!("{}{delimiter}", increment(digits))
            }
        }
    };
    Insertion {
        at: line_end(summary, last.end),
        prefix: format!("{}{marker}{}", last.lead, last.gap),
        blank_before: last.loose,
    }
}

/// As the last sub-chapter of `parent`: in its list of sub-chapters, or a new one.
fn under(summary: &str, outline: &Outline, parent: &Item) -> Insertion {
    if let Some(children) = parent.children {
        return append(summary, &outline.lists[children]);
    }
    let marker = match parent.ordinal() {
        Some((_, delimiter)) => format!("1{delimiter}"),
        None => parent.marker.clone(),
    };
    // A sub-list must start within the parent's text (past its marker, at most 3 further).
    let content = parent.marker.len() + width(&parent.gap);
    let step = outline
        .nesting_step()
        .unwrap_or(4)
        .clamp(content, content + 3);
    Insertion {
        at: line_end(summary, parent.end),
        prefix: format!("{}{}{marker}{}", parent.lead, " ".repeat(step), parent.gap),
        blank_before: false,
    }
}

/// The list item named `name`; an error when none or several are.
fn find_parent<'a>(outline: &'a Outline, name: &str) -> Result<&'a Item, String> {
    let found: Vec<&Item> = outline
        .items()
        .filter(|i| same_name(&i.name, name))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] if outline.affix.iter().any(|a| same_name(a, name)) => Err(format!(
            "{name:?} is a prefix or suffix chapter (outside the list); mdBook nests \
             sub-chapters only under chapters of the list"
        )),
        [] => {
            let names: Vec<&str> = outline.items().map(|i| i.name.trim()).take(12).collect();
            Err(format!(
                "no chapter named {name:?} in the list; --parent takes a chapter's name as \
                 written in its link, e.g. {}",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        several => Err(format!(
            "{} chapters are named {name:?} (lines {}); rename one, or add the entry by hand",
            several.len(),
            several
                .iter()
                .map(|i| i.line.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The start of the line after the one holding byte `offset`, or the end of the text.
fn line_end(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|rest| rest.find('\n'))
        .map_or(text.len(), |i| offset + i + 1)
}

/// The summary with the entry written in at `insertion`, in the file's line endings.
fn splice(summary: &str, insertion: &Insertion, title: &str, link: &str) -> String {
    let at = insertion.at;
    let before = &summary[..at];
    let crlf = if before.ends_with('\n') {
        before.ends_with("\r\n")
    } else {
        summary.contains("\r\n")
    };
    let newline = if crlf { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(summary.len() + title.len() + link.len() + 16);
    out.push_str(before);
    if !before.is_empty() && !before.ends_with('\n') {
        out.push_str(newline);
    }
    let blank = before.ends_with("\n\n") || before.ends_with("\n\r\n");
    if insertion.blank_before && !blank {
        out.push_str(newline);
    }
    out.push_str(&format!(
        "{}[{}]({link}){newline}",
        insertion.prefix,
        write::text(title)
    ));
    out.push_str(&summary[at..]);
    out
}

/// Reads `after` with mdBook's parser: the chapter at `link` must be the last chapter of the
/// list (under `parent`, if given), and without it the summary must read as `before` did.
fn check(before: &str, after: &str, link: &str, parent: Option<&str>) -> Result<(), String> {
    let refuse = |why: String| {
        format!(
            "{why}; nothing was written (add `- [...]({link})` to SUMMARY.md by hand where it \
             belongs)"
        )
    };
    let old = parse_summary(before).map_err(|e| refuse(format!("{e:#}")))?;
    let mut new = parse_summary(after).map_err(|e| refuse(format!("{e:#}")))?;
    let location = PathBuf::from(link.replace("%20", " "));
    let placed = take(&mut new.numbered_chapters, &location, None);
    match placed {
        Some((found_parent, true)) if found_parent.as_deref() == parent && same(&old, &new) => {
            Ok(())
        }
        _ => Err(refuse(
            "mdBook would not read the new entry where it was meant to go".into(),
        )),
    }
}

/// The summaries' chapters are the same.
fn same(a: &Summary, b: &Summary) -> bool {
    a.title == b.title
        && a.prefix_chapters == b.prefix_chapters
        && a.numbered_chapters == b.numbered_chapters
        && a.suffix_chapters == b.suffix_chapters
}

/// Removes the chapter at `location` from `items` (at any depth). Returns the name of its parent
/// chapter and whether it was the last chapter among its siblings.
fn take(
    items: &mut Vec<SummaryItem>,
    location: &Path,
    parent: Option<&str>,
) -> Option<(Option<String>, bool)> {
    for i in 0..items.len() {
        let SummaryItem::Link(link) = &mut items[i] else {
            continue;
        };
        if link.location.as_deref() == Some(location) {
            let last = !items[i + 1..]
                .iter()
                .any(|s| matches!(s, SummaryItem::Link(_)));
            items.remove(i);
            return Some((parent.map(str::to_owned), last));
        }
        let name = link.name.clone();
        if let Some(found) = take(&mut link.nested_items, location, Some(&name)) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_markers_and_leads() {
        let o = Outline::read("- [A](a.md)\n    * [B](b.md)\n10) [C](c.md)\n");
        let a = &o.lists[0].items[0];
        assert_eq!(
            (a.lead.as_str(), a.marker.as_str(), a.name.as_str()),
            ("", "-", "A")
        );
        let b = &o.lists[a.children.unwrap()].items[0];
        assert_eq!(
            (b.lead.as_str(), b.marker.as_str(), b.name.as_str()),
            ("    ", "*", "B")
        );
        assert_eq!(o.nesting_step(), Some(4));
        let c = &o.lists[o.top[1]].items[0];
        assert_eq!((c.marker.as_str(), c.ordinal()), ("10)", Some(("10", ")"))));
    }
}
