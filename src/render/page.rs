//! Turning a template and a doc's metadata into Markdown.
//!
//! Every value an author wrote in a directive is emitted through pulldown-cmark-to-cmark as a
//! Markdown text event, so `*`, `|`, `[`, backticks and `<tags>` in a value are escaped by the
//! library and show up as the characters typed, in tables and headings alike.

use std::borrow::Cow;
use std::ops::Range;

use crate::markdown::flavor::MarkdownFlavor;
use crate::markdown::heading::at_level;
use crate::markdown::link::{Link, link};
use crate::markdown::quiet::quiet_text;
use crate::markdown::write::{guidance, push_text, reference, reference_parts, text};
use crate::model::doc::{Field, Metadata, Relations};
use crate::model::sections::authored::Authored as AuthoredSections;
use crate::model::sections::headings::first_heading_text;
use crate::model::sections::merge::{Merge, shifted};
use crate::model::sections::outline::{parent, subtree_end};
use crate::model::status::Color;
use crate::model::template::{Fallback, Header, Segment, Template, TemplateSection};
use crate::model::unwritten::Unwritten;

use super::badge::badge;
use super::mode::RenderMode;

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
    /// The status badge's colour; `None` for a status the lifecycle does not know.
    pub status_color: Option<Color>,
    /// What the page shows of unwritten sections.
    pub unwritten: Unwritten,
    /// The titles of the book's chapters that reference fields point to (see
    /// [`Relations::references`]): the link's text instead of the path.
    pub references: &'a [(String, String)],
    /// Sections written and sections in all, for `{{completeness}}`. [`design_doc`] sets it
    /// from the doc's merge; `None` where there is no merge yet (the heading texts merging
    /// matches against), shown as guidance.
    pub completeness: Option<(usize, usize)>,
}

impl Fill<'_> {
    /// The title shown for the doc.
    pub fn title(&self) -> &str {
        self.metadata.get(Field::Title).unwrap_or(self.chapter_name)
    }

    /// True when guidance and unwritten sections are kept out of search indexes: on HTML
    /// pages (other renderers have no search index to keep small, and show plain text).
    fn quiet(&self) -> bool {
        self.mode == RenderMode::Html
    }

    /// The value the doc gives `field`: the directive's (the chapter's name for the title).
    fn given(&self, field: Field) -> Option<&str> {
        match field {
            Field::Title => Some(self.title()),
            _ => self.metadata.get(field),
        }
    }

    /// `7/19 sections written`, for `{{completeness}}`.
    fn completeness(&self) -> String {
        match self.completeness {
            Some((written, all)) => format!("{written}/{all} sections written"),
            None if self.quiet() => format!("*{}*", quiet_text("[completeness]")),
            None => guidance("completeness"),
        }
    }

    /// The Markdown for one field. The status is its badge, in every renderer's form: the
    /// one place a page with a header shows it.
    fn field(&self, field: Field, fallback: &Fallback) -> String {
        if field == Field::Status {
            return badge(self.status, self.status_color, self.mode);
        }
        match (self.given(field), fallback) {
            (Some(v), _) if field.is_reference() => {
                let links: Vec<String> = reference_parts(v)
                    .into_iter()
                    .map(
                        |part| match self.references.iter().find(|(p, _)| p == part) {
                            Some((_, title)) => link(&Link {
                                title: title.clone(),
                                href: part.to_owned(),
                            }),
                            None => reference(part),
                        },
                    )
                    .collect();
                links.join(", ")
            }
            (Some(v), _) => text(v),
            // A literal default is the template's own Markdown, not an author's value.
            (None, Fallback::Literal(v)) => v.clone(),
            // An optional field's line is left out (see `write`); in a heading, nothing.
            (None, Fallback::Omit) => String::new(),
            (None, Fallback::Guidance(g)) => match self.metadata.derived(field) {
                Some(v) => text(v),
                None if self.quiet() => g.quiet.clone(),
                None => g.markdown.clone(),
            },
            (None, Fallback::Default) => match self.metadata.derived(field) {
                Some(v) => text(v),
                // Guidance is `*[...]*`: built directly, no Markdown to parse per doc.
                None if self.quiet() => format!("*{}*", quiet_text(&format!("[{}]", field.key()))),
                None => guidance(field.key()),
            },
        }
    }

    /// [`field`](Fill::field) appended to `out`: a value or a template's own text is copied
    /// straight on (a doc has a dozen fields, and every section heading may hold some).
    fn push_field(&self, field: Field, fallback: &Fallback, out: &mut String) {
        let given = match field {
            Field::Status => None,
            Field::Title => Some(self.title()),
            _ => self.metadata.get(field),
        };
        match (given, fallback) {
            (Some(v), _) if !field.is_reference() => push_text(out, v),
            (None, Fallback::Literal(v)) if field != Field::Status => out.push_str(v),
            _ => out.push_str(&self.field(field, fallback)),
        }
    }

    /// Writes the Markdown for a run of template segments onto `out`; with `quiet`, its
    /// guidance is kept out of search indexes on HTML pages (headings never are: mdBook
    /// makes their anchors and the sidebar from their text).
    fn write(&self, template: &Template, segments: &[Segment], quiet: bool, out: &mut String) {
        let quiet = quiet && self.quiet();
        for segment in segments {
            match segment {
                Segment::Text(range) => out.push_str(template.text(range)),
                Segment::Field { field, fallback } => self.push_field(*field, fallback, out),
                Segment::Guidance(hint) if quiet => out.push_str(&hint.quiet),
                Segment::Guidance(hint) => out.push_str(&hint.markdown),
                Segment::Completeness => out.push_str(&self.completeness()),
                // A line for an optional field: only for a doc that gives it.
                Segment::Optional { field, line } => {
                    if self.given(*field).is_some() {
                        self.write(template, line, quiet, out);
                    }
                }
            }
        }
    }

    /// Writes the body of a section no author wrote, as the page's policy says: with `show`,
    /// the template's whole body, marked as a template example (on HTML pages in a frame
    /// labelled by [`PAGE_STYLE`], its text kept out of search indexes; elsewhere under a line
    /// saying so); else nothing. A body holding fields shows the doc's values, so it is always
    /// written as it is, and only its guidance is kept out of search.
    fn unwritten_body(&self, template: &Template, section: &TemplateSection, out: &mut String) {
        let start = out.len();
        if section.holds_fields() {
            self.write(template, &section.body, true, out);
        } else if self.unwritten == Unwritten::Outline {
            // The heading stays, marked, so the outline shows what is left to write.
            if !section.body.is_empty() {
                out.push_str(if self.quiet() {
                    OUTLINE_MARK_HTML
                } else {
                    OUTLINE_MARK
                });
            }
        } else if self.unwritten == Unwritten::Show {
            let (open, close) = if self.quiet() {
                (EXAMPLE_OPEN, EXAMPLE_CLOSE)
            } else {
                (EXAMPLE_LINE, "")
            };
            out.push_str(open);
            let body = out.len();
            match &section.quiet_body {
                Some(quiet) if self.quiet() => out.push_str(quiet),
                _ => self.write(template, &section.body, false, out),
            }
            if out.len() == body {
                // Nothing to mark: a heading whose sub-sections hold the text.
                out.truncate(start);
                return;
            }
            out.push_str(close);
        }
        if out.len() > start {
            out.push_str("\n\n");
        }
    }
}

/// Opens the frame of an unwritten section's template example on an HTML page.
const EXAMPLE_OPEN: &str = "<div class='trd-example'>\n\n";

/// Closes it.
const EXAMPLE_CLOSE: &str = "\n\n</div>";

/// Marks an unwritten section under `outline`, on HTML pages (kept out of search).
const OUTLINE_MARK_HTML: &str = "*<span data-trd-text='Not written yet'></span>*";

/// The same for other renderers.
const OUTLINE_MARK: &str = "*Not written yet*";

/// Marks an unwritten section's template example for renderers other than HTML.
const EXAMPLE_LINE: &str = "*Not written yet · template example*\n\n";

/// The `<style>` element of every design doc's HTML page (no CSS file to install): text kept
/// out of search shows as its elements' content, and an unwritten section's template example
/// sits in a dashed frame labelled "Not written yet · template example", its content faded
/// (at 85% opacity: still above 4.5:1 in every theme), so that no sample value reads as a
/// decision;
/// guidance (`*[...]*`) is set smaller as well as in italics, in
/// the theme's own text colour, so its contrast is the theme's. Written sections have no frame.
pub const PAGE_STYLE: &str = concat!(
    "<style>",
    "[data-trd-text]::before{content:attr(data-trd-text)}",
    "em>[data-trd-text]{font-size:0.9em}",
    ".trd-example{border-left:3px dashed #6e7781;padding-left:0.9em}",
    ".trd-example>*{opacity:0.85}",
    ".trd-example::before{content:'Not written yet \\00b7  template example';display:block;",
    "font-size:0.8em;font-style:italic;font-weight:600;margin-bottom:0.4em}",
    // A long address in a table cell (the header's related documents) wraps rather than
    // pushing the table past a phone's width.
    "td a{overflow-wrap:anywhere}",
    "</style>"
);

/// What the author wrote, and where it goes.
#[derive(Debug, Clone, Copy)]
pub struct Authored<'a> {
    /// The chapter's text (the ranges point into it).
    pub content: &'a str,
    /// The author's sections.
    pub sections: &'a AuthoredSections,
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

    /// Authored section `a`'s heading at the level the page shows it at (see
    /// [`Merge::shown`]): only its `#` markers or underline change.
    fn heading(&self, a: usize) -> Cow<'_, str> {
        let heading = self.copy(&self.sections.sections[a].heading);
        match self.moved(a) {
            Some(level) => Cow::Owned(at_level(&heading, level).into_owned()),
            None => heading,
        }
    }

    /// Authored section `a`'s body, its sub-headings (see
    /// [`AuthoredSection::sub_headings`](crate::model::sections::outline::AuthoredSection::sub_headings))
    /// moved by as many levels as its heading.
    fn body(&self, a: usize) -> Cow<'_, str> {
        let section = &self.sections.sections[a];
        let Some(level) = self.moved(a).filter(|_| !section.sub_headings.is_empty()) else {
            return self.copy(&section.body);
        };
        let by = i16::from(level) - i16::from(section.level);
        let mut out = String::with_capacity(section.body.len() + 8);
        let mut at = section.body.start;
        for (written, range) in &section.sub_headings {
            out.push_str(&self.copy(&(at..range.start)));
            out.push_str(&at_level(&self.copy(range), shifted(*written, by)));
            at = range.end;
        }
        out.push_str(&self.copy(&(at..section.body.end)));
        Cow::Owned(out)
    }

    /// The level authored section `a` is shown at, when it is not the level written.
    fn moved(&self, a: usize) -> Option<u8> {
        let written = self.sections.sections.get(a)?.level;
        self.merge.shown.get(a).copied().filter(|&l| l != written)
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
    fill.write(template, heading, false, &mut markdown);
    first_heading_text(&markdown, MarkdownFlavor::default().options())
}

/// Builds one design doc: the template's skeleton with the metadata filled in and the author's
/// sections merged in (see [`merge`](crate::model::sections::merge::merge)), the status badge
/// and completeness once (in the template's header, else in a line under the title), and links
/// to the docs it supersedes or is superseded by.
pub fn design_doc(
    template: &Template,
    fill: &Fill<'_>,
    authored: &Authored<'_>,
    relations: &Relations,
) -> String {
    let mut out = String::with_capacity(expanded_size(template, authored.content));
    design_doc_onto(template, fill, authored, relations, &mut out);
    out
}

/// [`design_doc`] appended to `out` (the chapter's text before the directive, say): the page
/// is written once, into the string mdBook gets, rather than built apart and copied over.
pub fn design_doc_onto(
    template: &Template,
    fill: &Fill<'_>,
    authored: &Authored<'_>,
    relations: &Relations,
    out: &mut String,
) {
    let merge = authored.merge;
    let fill = &Fill {
        completeness: Some((merge.filled_leaves, merge.leaves)),
        ..*fill
    };
    let start = out.len();
    let mut doc = DocWriter {
        out: std::mem::take(out),
        template,
        fill,
        authored,
        relations,
        levels: template.sections().iter().map(|s| s.level).collect(),
        kept: Vec::new(),
        // A page always shows the header: it holds the doc's values, which the page keeps
        // whatever the author wrote in its section (see `DocWriter::section`).
        header: template.header(),
    };
    doc.kept = kept_sections(template, &doc.levels, authored.merge, fill.unwritten);
    doc.write();
    let trimmed = start + doc.out[start..].trim_end().len();
    doc.out.truncate(trimmed);
    doc.out.push('\n');
    *out = doc.out;
}

/// Room for a design doc of `template` over a chapter of `content`: the author's text, and
/// up to three times the template's (an HTML page shows an unwritten section's text in a
/// frame, kept out of search, which is about two and a half times its Markdown), so that the
/// page is seldom moved while it is written.
pub fn expanded_size(template: &Template, content: &str) -> usize {
    content.len() + 3 * template.source().len() + 512
}

struct DocWriter<'a> {
    out: String,
    template: &'a Template,
    fill: &'a Fill<'a>,
    authored: &'a Authored<'a>,
    relations: &'a Relations,
    levels: Vec<u8>,
    /// Per skeleton section, whether the page shows it (see [`kept_sections`]).
    kept: Vec<bool>,
    /// The template's header, when it has one.
    header: Option<Header>,
}

impl DocWriter<'_> {
    /// [`push_block`] for template segments, written straight onto the output (no temporary
    /// string per section: this runs for every section of every doc). The segments are trimmed
    /// when the template is parsed.
    fn template_block(&mut self, segments: &[Segment], quiet: bool) {
        let start = self.out.len();
        self.fill
            .write(self.template, segments, quiet, &mut self.out);
        if self.out.len() > start {
            self.out.push_str("\n\n");
        }
    }

    fn write(&mut self) {
        self.template_block(self.template.intro(), true);
        let has_title = self.levels.first() == Some(&1);
        if !has_title {
            self.status_line();
            if self.header.is_none() {
                self.after_header();
            }
            self.preamble();
        }
        let mut i = 0;
        while i < self.levels.len() {
            self.section(i, has_title && i == 0);
            i = subtree_end(&self.levels, i);
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
        } else if !self.kept[i] {
            // Hidden with the rest of its unwritten subtree; what authors placed after it
            // stays.
            self.dropped_followers(i);
            return;
        } else {
            let filled = authored.merge.filled_by[i];
            match filled {
                Some(a) => push_authored(&mut self.out, &authored.heading(a)),
                None => self.template_block(&section.heading, false),
            }
            match filled {
                Some(a) if authored.sections.sections[a].has_body => {
                    if section.holds_fields() {
                        // The doc's own values stay (the header among them), and the
                        // author's text follows them.
                        self.fill
                            .unwritten_body(self.template, section, &mut self.out);
                    }
                    push_block(&mut self.out, &authored.body(a));
                }
                Some(a) => {
                    // Only comments (the prompts `new` writes): kept, and the section is
                    // still shown as unwritten.
                    push_block(&mut self.out, &authored.body(a));
                    self.fill
                        .unwritten_body(self.template, section, &mut self.out);
                }
                None => self
                    .fill
                    .unwritten_body(self.template, section, &mut self.out),
            }
            if self.header.is_some_and(|h| h.section == i) {
                self.after_header();
            }
        }
        self.followers(&authored.merge.inner[i]);
        let end = subtree_end(&self.levels, i);
        let mut child = i + 1;
        while child < end {
            self.section(child, false);
            child = subtree_end(&self.levels, child);
        }
        self.followers(&authored.merge.followers[i]);
    }

    /// The followers of a hidden section and of every section under it, in order.
    fn dropped_followers(&mut self, i: usize) {
        let authored = self.authored;
        for j in i..subtree_end(&self.levels, i) {
            self.followers(&authored.merge.followers[j]);
        }
    }

    /// The title block: the author's H1 when it is taken as the title (after the directive,
    /// or right before it), else the skeleton's;
    /// the status line (what the header does not show); the skeleton's metadata (always
    /// kept), with the lines about the doc after its header; the preamble; then the body of
    /// the author's H1.
    fn title(&mut self, i: usize) {
        let authored = self.authored;
        let taken = authored.merge.title.map(|a| &authored.sections.sections[a]);
        let template = self.template;
        match (taken, authored.title_before) {
            (Some(a), _) => push_authored(&mut self.out, &authored.copy(&a.heading)),
            (None, Some(before)) => push_authored(&mut self.out, &authored.copy(before)),
            (None, None) => self.template_block(&template.sections()[i].heading, false),
        }
        self.status_line();
        let body = &template.sections()[i].body;
        match self.header {
            Some(h) if h.section == i => {
                let end = h.end.min(body.len());
                self.template_block(&body[..end], true);
                self.after_header();
                self.template_block(&body[end..], true);
            }
            header => {
                if header.is_none() {
                    self.after_header();
                }
                self.template_block(body, true);
            }
        }
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
            if authored.moved(f).is_some() {
                // The body follows its heading right away, as written.
                let section = authored.heading(f).into_owned() + &authored.body(f);
                push_authored(&mut self.out, &section);
            } else {
                push_authored(
                    &mut self.out,
                    &authored.copy(&(s.heading.start..s.body.end)),
                );
            }
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

    /// Under the title, for a template without a header (a book's own may have none), what a
    /// header shows, in its order: the number (unless the template shows it), the badge, the
    /// completeness. Nothing for the built-ins.
    fn status_line(&mut self) {
        let fill = self.fill;
        if self.header.is_some() {
            return;
        }
        let mut parts = Vec::new();
        let shows_number = (self.template.segments()).any(|s| {
            matches!(
                s,
                Segment::Field {
                    field: Field::Number,
                    ..
                }
            )
        });
        if let Some(number) = fill.metadata.get(Field::Number).filter(|_| !shows_number) {
            parts.push(format!("No. {}", text(number)));
        }
        parts.push(badge(fill.status, fill.status_color, fill.mode));
        parts.push(fill.completeness());
        push_block(&mut self.out, &parts.join(" · "));
    }

    /// The lines about the doc, right after its header (or the status line): the
    /// completeness when the header does not show it (a book's own template), the sections
    /// `hide` left out, the page's style, then the supersede links.
    fn after_header(&mut self) {
        if self.header.is_some_and(|h| !h.completeness) {
            push_block(&mut self.out, &self.fill.completeness());
        }
        if self.fill.unwritten == Unwritten::Hide {
            self.hidden_line();
        }
        if self.fill.quiet() {
            push_block(&mut self.out, PAGE_STYLE);
        }
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

impl DocWriter<'_> {
    /// Under `hide`, the line naming the sections that left the page: each hidden subtree by
    /// its top heading, as the page would have shown it.
    fn hidden_line(&mut self) {
        let sections = self.template.sections();
        let names: Vec<String> = (0..sections.len())
            .filter(|&i| !self.kept[i] && parent(&self.levels, i).is_none_or(|p| self.kept[p]))
            .map(|i| heading_text(self.template, &sections[i].heading, self.fill))
            .collect();
        if names.is_empty() {
            return;
        }
        let line = format!("Not written yet: {}.", names.join(", "));
        let line = if self.fill.quiet() {
            format!("*{}*", quiet_text(&line))
        } else {
            format!("*{}*", text(&line))
        };
        push_block(&mut self.out, &line);
    }
}

/// Which skeleton sections a page keeps: all of them, except under `hide`, where a section
/// goes when no author wrote it, nor any section under it, nor placed a section inside it.
/// The title and sections holding fields (the doc's metadata) are always kept.
fn kept_sections(
    template: &Template,
    levels: &[u8],
    merge: &Merge,
    unwritten: Unwritten,
) -> Vec<bool> {
    if unwritten != Unwritten::Hide {
        return vec![true; levels.len()];
    }
    let sections = template.sections();
    (0..levels.len())
        .map(|i| {
            (levels[i] == 1 && i == 0)
                || (i..subtree_end(levels, i)).any(|j| {
                    sections[j].holds_fields()
                        || merge.filled_by[j].is_some()
                        || !merge.inner[j].is_empty()
                        || (j > i && !merge.followers[j].is_empty())
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sections::{authored, merge};

    fn doc(template: &str, authored: &str, metadata: &Metadata, mode: RenderMode) -> String {
        doc_with(template, authored, metadata, mode, Unwritten::Show)
    }

    fn doc_with(
        template: &str,
        authored: &str,
        metadata: &Metadata,
        mode: RenderMode,
        unwritten: Unwritten,
    ) -> String {
        doc_related(
            template,
            authored,
            metadata,
            (mode, unwritten),
            &Relations::default(),
        )
    }

    fn doc_related(
        template: &str,
        authored: &str,
        metadata: &Metadata,
        (mode, unwritten): (RenderMode, Unwritten),
        relations: &Relations,
    ) -> String {
        let t = Template::parse("t", "", template);
        let fill = Fill {
            metadata,
            chapter_name: "Chapter *name*",
            mode,
            status: metadata.get(Field::Status).unwrap_or("Draft"),
            status_color: Some(Color([0x1a, 0x7f, 0x37])),
            unwritten,
            references: &[],
            completeness: None,
        };
        let parsed = authored::parse_authored(authored, 0, MarkdownFlavor::default().options());
        // As the chapter's analysis builds it.
        let headings: Vec<_> = t
            .sections()
            .iter()
            .map(|s| merge::KeyedHeading {
                level: s.level,
                match_key: &s.match_key,
                approval: s.approval,
                fields: s.holds_fields(),
            })
            .collect();
        let merge = merge::merge_keyed(&headings, &parsed.sections, merge::MergeOptions::default());
        let a = Authored {
            content: authored,
            sections: &parsed,
            merge: &merge,
            replacements: &[],
            title_before: None,
        };
        design_doc(&t, &fill, &a, relations)
    }

    /// A header like the built-ins': a table under the title, a rule, then sections.
    const HEADED: &str = "# {{title}}\n\n| Field | Value |\n|---|---|\n| **Number** | {{number?}} |\n\
        | **Status** | {{status}} |\n| **Completeness** | {{completeness}} |\n\
        | **Author** | {{author: Name}} |\n\n---\n\n## Goals\n\n{{List goals}}\n\n## API\n\n{{Endpoints}}\n";

    fn superseded() -> Relations {
        Relations {
            supersedes: vec![Link {
                title: "Old".into(),
                href: "old.md".into(),
            }],
            superseded_by: vec![Link {
                title: "New".into(),
                href: "new.md".into(),
            }],
            references: Vec::new(),
        }
    }

    #[test]
    fn the_header_shows_status_and_completeness_once_and_the_doc_lines_right_after_it() {
        let mut m = Metadata::default();
        m.set(Field::Status, "Approved");
        let out = doc_related(
            HEADED,
            "## Goals\n\n- fast\n",
            &m,
            (RenderMode::Plain, Unwritten::Hide),
            &superseded(),
        );
        assert_eq!(
            out,
            "# Chapter \\*name\\*\n\n| Field | Value |\n|---|---|\n\
             | **Status** | **\\[Approved\\]** |\n| **Completeness** | 1/2 sections written |\n\
             | **Author** | *\\[Name\\]* |\n\n*Not written yet: API.*\n\n\
             **Supersedes:** [Old](old.md)\n\n**Superseded by:** [New](new.md)\n\n---\n\n\
             ## Goals\n\n- fast\n"
        );
        for mode in [RenderMode::Plain, RenderMode::Html] {
            let out = doc(HEADED, "", &m, mode);
            let badge = badge("Approved", Some(Color([0x1a, 0x7f, 0x37])), mode);
            assert_eq!(out.matches(&badge).count(), 1, "{mode:?}: {out}");
            assert_eq!(out.matches("Approved").count(), 1, "{mode:?}: {out}");
            assert_eq!(
                out.matches("sections written").count(),
                1,
                "{mode:?}: {out}"
            );
            assert!(
                out.contains(&format!(
                    "| **Status** | {badge} |\n| **Completeness** | 0/2 sections written |\n"
                )),
                "{mode:?}: {out}"
            );
        }
    }

    #[test]
    fn an_optional_row_is_shown_only_when_the_directive_gives_its_field() {
        let bare = doc(HEADED, "", &Metadata::default(), RenderMode::Html);
        assert!(!bare.contains("Number"), "{bare}");
        assert!(bare.contains("|---|---|\n| **Status** |"), "{bare}");
        let mut m = Metadata::default();
        m.set(Field::Number, "<b>42</b>");
        let numbered = doc(HEADED, "", &m, RenderMode::Html);
        // The value is escaped like every other.
        assert!(
            numbered.contains("|---|---|\n| **Number** | \\<b>42\\</b> |\n| **Status** |"),
            "{numbered}"
        );
        // The last line of a body goes with the line break before it.
        let last = "# {{title}}\n\n| Field | Value |\n|---|---|\n| **Status** | {{status}} |\n| **Number** | {{number?}} |\n\n## A\n";
        assert!(
            doc(last, "", &Metadata::default(), RenderMode::Plain)
                .contains("| **Status** | **\\[Draft\\]** |\n\n0/1 sections written\n\n## A\n")
        );
    }

    #[test]
    fn a_template_without_a_status_field_keeps_the_status_line_under_the_title() {
        let out = doc_related(
            TEMPLATE,
            "### Goals\n\n- fast\n",
            &Metadata::default(),
            (RenderMode::Html, Unwritten::Show),
            &superseded(),
        );
        let badge = badge("Draft", Some(Color([0x1a, 0x7f, 0x37])), RenderMode::Html);
        assert!(
            out.starts_with(&format!(
                "# Chapter \\*name\\*\n\n{badge} · 1/3 sections written\n\n{PAGE_STYLE}\n\n\
                 **Supersedes:** [Old](old.md)\n\n**Superseded by:** [New](new.md)\n\n**Author:**"
            )),
            "{out}"
        );
        assert_eq!(out.matches("trd-badge").count(), 1, "{out}");
        // The number, which this template does not show, comes first, as in a header.
        let mut m = Metadata::default();
        m.set(Field::Number, "5");
        let numbered = doc(TEMPLATE, "", &m, RenderMode::Plain);
        assert!(
            numbered.starts_with(
                "# Chapter \\*name\\*\n\nNo. 5 · **\\[Draft\\]** · 0/3 sections written\n"
            ),
            "{numbered}"
        );
    }

    /// Review of issue 16: an author's own `## Metadata` used to replace the header, and the
    /// directive's values with it.
    #[test]
    fn an_authors_text_in_the_header_section_follows_the_header() {
        let t = "# {{title}}\n\n## Metadata\n\n| Field | Value |\n|---|---|\n| **Status** | {{status}} |\n\
                 | **Completeness** | {{completeness}} |\n\n## API\n\n{{Endpoints}}\n";
        let template = doc(t, "", &Metadata::default(), RenderMode::Plain);
        assert!(
            template.starts_with("# Chapter \\*name\\*\n\n## Metadata\n\n| Field | Value |\n"),
            "{template}"
        );
        let mine = doc(
            t,
            "## Metadata\n\nOurs.\n",
            &Metadata::default(),
            RenderMode::Plain,
        );
        // The header section shows the doc's values, so it is not one to write: 0 of 1.
        assert_eq!(
            mine,
            "# Chapter \\*name\\*\n\n## Metadata\n\n| Field | Value |\n|---|---|\n\
             | **Status** | **\\[Draft\\]** |\n| **Completeness** | 0/1 sections written |\n\n\
             Ours.\n\n## API\n\n*Not written yet · template example*\n\n*\\[Endpoints\\]*\n"
        );
    }

    #[test]
    fn fields_fall_back_as_declared() {
        let t = "# {{title}}\n{{status}} {{author: Name}} {{version = 1.0}} {{number}} {{updated: Date}}\n";
        let mut m = Metadata::default();
        assert_eq!(
            doc(t, "", &m, RenderMode::Plain),
            // The header shows the status, then the completeness it lacks.
            "# Chapter \\*name\\*\n\n**\\[Draft\\]** *\\[Name\\]* 1.0 *\\[number\\]* *\\[Date\\]*\n\n0/0 sections written\n"
        );
        m.set(Field::Title, "T");
        m.set(Field::Author, "Ada");
        m.set(Field::Date, "2026-01-01");
        assert!(doc(t, "", &m, RenderMode::Plain).ends_with(
            "**\\[Draft\\]** Ada 1.0 *\\[number\\]* 2026-01-01\n\n0/0 sections written\n"
        ));
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
            "# Chapter \\*name\\*\n\n**Status:** **\\[Approved\\]**\n\n1/3 sections written\n\nWhy this doc.\n\n## Overview\n\n### Problem\n\n*Not written yet · template example*\n\n*\\[Say why\\]*\n\n### Goals\n\n- fast\n\n## Extra\n\nkept\n\n## API\n\n*Not written yet · template example*\n\n*\\[Endpoints\\]*\n"
        );
    }

    const TEMPLATE: &str = "# {{title}}\n\n**Author:** {{author}}\n\n## Overview\n\n### Problem\n\n{{Say why}}\n\n### Goals\n\n- Goal 1: {{Outcome}}\n\n## Metadata\n\n| Field | Value |\n|---|---|\n| Version | {{version = 1.0}} |\n\n## API\n\n```json\n{\"a\": 1}\n```\n";

    #[test]
    fn outline_keeps_every_heading_and_drops_unwritten_bodies() {
        let authored = "### Goals\n\n- fast\n";
        let out = doc_with(
            TEMPLATE,
            authored,
            &Metadata::default(),
            RenderMode::Plain,
            Unwritten::Outline,
        );
        assert_eq!(
            out,
            "# Chapter \\*name\\*\n\n**\\[Draft\\]** · 1/3 sections written\n\n**Author:** *\\[author\\]*\n\n\
             ## Overview\n\n### Problem\n\n*Not written yet*\n\n### Goals\n\n- fast\n\n## Metadata\n\n| Field | Value |\n|---|---|\n\
             | Version | 1.0 |\n\n## API\n\n*Not written yet*\n"
        );
    }

    #[test]
    fn hide_names_the_hidden_subtrees_and_keeps_everything_authors_wrote() {
        // An unmatched section written after a hidden one stays, and so do the metadata.
        let authored = "### Goals\n\n- fast\n\n## Notes\n\nmine\n";
        let out = doc_with(
            TEMPLATE,
            authored,
            &Metadata::default(),
            RenderMode::Plain,
            Unwritten::Hide,
        );
        assert_eq!(
            out,
            "# Chapter \\*name\\*\n\n**\\[Draft\\]** · 1/3 sections written\n\n\
             *Not written yet: Problem, API.*\n\n**Author:** *\\[author\\]*\n\n\
             ## Overview\n\n### Goals\n\n- fast\n\n## Notes\n\nmine\n\n## Metadata\n\n\
             | Field | Value |\n|---|---|\n| Version | 1.0 |\n"
        );
        // Nothing written: every section but the metadata goes, named by its top heading.
        let bare = doc_with(
            TEMPLATE,
            "",
            &Metadata::default(),
            RenderMode::Plain,
            Unwritten::Hide,
        );
        assert!(bare.contains("*Not written yet: Overview, API.*"), "{bare}");
        assert!(!bare.contains("## Overview"), "{bare}");
    }

    #[test]
    fn the_page_style_shows_quiet_text() {
        assert!(PAGE_STYLE.contains(crate::markdown::quiet::QUIET_RULE));
    }

    #[test]
    fn unwritten_sections_are_marked_as_template_examples_and_written_ones_not() {
        let authored = "### Goals\n\n- fast\n";
        let html = doc(TEMPLATE, authored, &Metadata::default(), RenderMode::Html);
        assert!(
            html.contains("### Problem\n\n<div class='trd-example'>\n\n*<span data-trd-text='[Say why]'></span>*\n\n</div>\n\n### Goals\n\n- fast\n"),
            "{html}"
        );
        // A heading with no text of its own has nothing to mark; nor has the metadata.
        assert!(html.contains("## Overview\n\n### Problem"), "{html}");
        assert!(!html.contains("## Metadata\n\n<div"), "{html}");
        let plain = doc(TEMPLATE, authored, &Metadata::default(), RenderMode::Plain);
        assert!(
            plain.contains("### Problem\n\n*Not written yet · template example*\n\n*\\[Say why\\]*\n\n### Goals\n\n- fast\n"),
            "{plain}"
        );
    }

    #[test]
    fn html_pages_keep_unwritten_text_out_of_search_and_written_text_in() {
        let authored = "### Goals\n\n- fast\n";
        let out = doc(TEMPLATE, authored, &Metadata::default(), RenderMode::Html);
        assert!(out.contains(PAGE_STYLE), "{out}");
        assert!(
            out.contains("### Problem\n\n<div class='trd-example'>\n\n*<span data-trd-text='[Say why]'></span>*\n"),
            "{out}"
        );
        assert!(out.contains("### Goals\n\n- fast\n"), "{out}");
        assert!(
            out.contains(
                "<pre><code class='language-json' data-trd-text='{\"a\": 1}'></code></pre>"
            ),
            "{out}"
        );
        // A missing field's guidance is quiet; a given value is text.
        assert!(
            out.contains("**Author:** *<span data-trd-text='[author]'></span>*"),
            "{out}"
        );
        let mut m = Metadata::default();
        m.set(Field::Author, "Ada");
        assert!(doc(TEMPLATE, "", &m, RenderMode::Html).contains("**Author:** Ada\n"));
        // Other renderers get plain text and no style.
        let plain = doc(TEMPLATE, authored, &Metadata::default(), RenderMode::Plain);
        assert!(
            !plain.contains("data-trd-text") && !plain.contains("<style>"),
            "{plain}"
        );
    }
}
