//! Design-document templates: the five built-ins, and the placeholder syntax they share.
//!
//! A template is Markdown with placeholders in double braces:
//!
//! | placeholder            | expands to                                                       |
//! |------------------------|------------------------------------------------------------------|
//! | `{{title}}`            | the field's value; when not given, the field's own default       |
//! | `{{author: Name}}`     | the value; when not given, the guidance `[Name]` for the author |
//! | `{{version = 1.0}}`    | the value; when not given, the literal default `1.0`             |
//! | `{{number?}}`          | the value; when not given, the whole line holding it is left out |
//! | `{{completeness}}`     | the doc's completeness, e.g. `7/19 sections written`             |
//! | `{{What to write}}`    | guidance for the author, shown as `[What to write]`             |
//!
//! A placeholder's key is a field key (see [`Field`]); anything else is guidance. Placeholders
//! are recognised only in Markdown text: code blocks, inline code and HTML (comments included)
//! are copied as written, so a `{{` in example code stays.
//!
//! An optional field (`{{number?}}`) drops its line, not just its value, so that a metadata
//! table row such as `| **Number** | {{number?}} |` is shown only for a doc that has a number,
//! never as a row asking for one. In a heading, which cannot be left out, it is just empty.
//!
//! The block (table or paragraph) of a section's body that holds the first `{{status}}` is the
//! doc's header (see [`Template::header`]): the page shows the status there, once, and writes
//! its other lines about the doc (sections left out, supersede links) right after it.
//!
//! Templates are parsed once per run into [`Segment`]s; expansion only fills them in.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use pulldown_cmark::{Event, Parser, Tag};

use crate::markdown::flavor::MarkdownFlavor;
use crate::markdown::quiet::quiet;
use crate::model::approvals;

use crate::model::directive;
use crate::model::doc::Field;
use crate::model::sections::headings::top_level_headings;
use crate::model::sections::outline::{heading_key, match_key};
use crate::report::diagnostic::{Diagnostic, Rule};
use crate::report::suggest::Profile;

/// The built-in templates: name, source text, and what each is for.
pub const BUILT_IN: [(&str, &str, &str); 5] = [
    (
        "trd",
        include_str!("../../templates/trd.md"),
        "compact technical requirements document",
    ),
    (
        "trd-numbered",
        include_str!("../../templates/trd-numbered.md"),
        "numbered TRD with a metadata table, requirement IDs, mermaid diagrams and approvals",
    ),
    (
        "design",
        include_str!("../../templates/design.md"),
        "technical design: problem, goals, component design, alternatives, rollout",
    ),
    (
        "product-tdd",
        include_str!("../../templates/product-tdd.md"),
        "technical design derived from a PRD: data model, key sequences, implementation guidance",
    ),
    (
        "tdd",
        include_str!("../../templates/tdd.md"),
        "technical design document with architecture, API, data model, operations and approvals",
    ),
];

/// Names that can never be template names: directive keywords and subcommands.
pub const RESERVED: [&str; 7] = [
    "index",
    "install",
    "new",
    "templates",
    "check",
    "supports",
    "help",
];

/// Guidance for the author, with its Markdown rendered once when the template is parsed (so a
/// thousand docs do not render the same hint a thousand times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The guidance as written in the template.
    pub text: String,
    /// How it is shown: `*[text]*`, escaped.
    pub markdown: String,
    /// How an HTML page shows it: the same, kept out of search indexes (see [`quiet`]).
    pub quiet: String,
}

impl Hint {
    /// A hint shown as a paragraph of its own after the block before it (a prompt that was a
    /// comment).
    pub fn after_block(text: &str) -> Hint {
        let mut hint = Hint::new(text);
        hint.markdown.insert_str(0, "\n\n");
        hint.quiet.insert_str(0, "\n\n");
        hint
    }

    /// A hint and its renderings.
    pub fn new(text: impl Into<String>) -> Hint {
        let text = text.into();
        let markdown = crate::markdown::write::guidance(&text);
        let quiet = quiet(&markdown, MarkdownFlavor::default().options());
        Hint {
            text,
            markdown,
            quiet,
        }
    }
}

/// What to show for a field the author did not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fallback {
    /// The field's own default (e.g. `Draft` for status), else guidance naming the field.
    Default,
    /// Guidance for the author.
    Guidance(Hint),
    /// A literal default value.
    Literal(String),
    /// Nothing: the field is optional (`{{number?}}`). In a body, the line holding it is a
    /// [`Segment::Optional`], left out as a whole.
    Omit,
}

/// A piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Template text, copied as is (a range into the template's source).
    Text(Range<usize>),
    /// A metadata field.
    Field {
        /// Which field.
        field: Field,
        /// What to show when the author gave no value.
        fallback: Fallback,
    },
    /// Guidance for the author.
    Guidance(Hint),
    /// The doc's completeness (`{{completeness}}`): sections written out of the skeleton's.
    Completeness,
    /// A line of a body holding an optional field (`{{number?}}`), its line break included:
    /// written only when the doc gives that field.
    Optional {
        /// The optional field.
        field: Field,
        /// The line's segments.
        line: Vec<Segment>,
    },
}

impl Segment {
    /// True for a segment whose text differs per doc: a field, the completeness, or a line
    /// holding an optional field.
    pub fn is_per_doc(&self) -> bool {
        matches!(
            self,
            Segment::Field { .. } | Segment::Completeness | Segment::Optional { .. }
        )
    }
}

/// Where a template's header is: the block of a section's body holding the first `{{status}}`
/// field (the `| Field | Value |` table of every built-in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The section whose body holds it.
    pub section: usize,
    /// The index in that body of the first segment after the block: the page writes the lines
    /// about the doc (sections left out, supersede links) there.
    pub end: usize,
    /// Whether that body shows the completeness (`{{completeness}}`) too.
    pub completeness: bool,
}

/// One section of a template: a heading and the body up to the next heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSection {
    /// Heading level, 1 to 6.
    pub level: u8,
    /// The heading's key (see [`heading_key`]).
    pub key: String,
    /// What merging matches it by (see [`match_key`]), worked out once with the template.
    pub match_key: String,
    /// Whether it names an approval section (see [`approvals::is_approval_section`]).
    pub approval: bool,
    /// The characters in [`match_key`](TemplateSection::match_key), and their
    /// [`Profile`]: what the search for headings that nearly match a section compares first,
    /// the same in every doc.
    pub match_shape: (usize, Profile),
    /// The heading line.
    pub heading: Vec<Segment>,
    /// The guidance under the heading, up to the next heading of any level.
    pub body: Vec<Segment>,
    /// The body as an HTML page shows it when no author has written the section: its text
    /// kept out of search indexes (see [`quiet`]). Rendered once here, since it is the same in
    /// every doc; `None` when the body holds a field, whose value differs per doc.
    pub quiet_body: Option<String>,
}

impl TemplateSection {
    /// True when the body holds a metadata field (the `## Metadata` table of `trd-numbered`):
    /// the doc's own values, which a page always shows whatever its `unwritten` policy.
    pub fn holds_fields(&self) -> bool {
        self.body.iter().any(Segment::is_per_doc)
    }
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    name: String,
    summary: String,
    origin: Option<PathBuf>,
    source: String,
    intro: Vec<Segment>,
    sections: Vec<TemplateSection>,
    header: Option<Header>,
    approval_roles: Vec<String>,
}

impl Template {
    /// Parses a template's source.
    pub fn parse(name: &str, summary: &str, source: &str) -> Template {
        let verbatim = verbatim_ranges(source);
        let headings = top_level_headings(source, MarkdownFlavor::default().options());
        let intro_end = headings.first().map_or(source.len(), |h| h.range.start);
        let sections = headings
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let body_end = headings.get(i + 1).map_or(source.len(), |n| n.range.start);
                let body = trimmed(source, segments(source, h.range.end..body_end, &verbatim));
                let mut body = optional_lines(source, body);
                shown_prompts(source, &mut body);
                let key = heading_key(&h.text);
                let matched = match_key(&key);
                TemplateSection {
                    level: h.level,
                    match_shape: (matched.chars().count(), Profile::of(&matched)),
                    match_key: matched,
                    approval: approvals::is_approval_section(&key),
                    key,
                    heading: trimmed(source, segments(source, h.range.clone(), &verbatim)),
                    quiet_body: quiet_body(source, &body),
                    body,
                }
            })
            .collect::<Vec<TemplateSection>>();
        let (sections, header) = find_header(source, sections);
        let approval_roles = headings
            .iter()
            .enumerate()
            .find(|(_, h)| approvals::is_approval_section(&heading_key(&h.text)))
            .map(|(i, h)| {
                let end = headings.get(i + 1).map_or(source.len(), |n| n.range.start);
                approvals::parse(
                    &source[h.range.end..end],
                    MarkdownFlavor::default().options(),
                )
                .into_iter()
                .map(|s| s.role)
                .collect()
            })
            .unwrap_or_default();
        Template {
            name: name.into(),
            summary: summary.into(),
            origin: None,
            source: source.into(),
            intro: optional_lines(
                source,
                trimmed(source, segments(source, 0..intro_end, &verbatim)),
            ),
            sections,
            header,
            approval_roles,
        }
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// One line on what the template is for.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// Where a book's own template comes from (relative to the book's root); `None` for a
    /// built-in.
    pub fn origin(&self) -> Option<&Path> {
        self.origin.as_deref()
    }

    /// The template's source, placeholders and all.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whatever comes before the first heading (usually nothing).
    pub fn intro(&self) -> &[Segment] {
        &self.intro
    }

    /// The sections, in order; the first is the title when it is a level-1 heading.
    pub fn sections(&self) -> &[TemplateSection] {
        &self.sections
    }

    /// Where the doc's header is: the block holding the first `{{status}}` of a section's
    /// body. `None` for a template without one (a book's own template may have none): the
    /// page then writes the status and completeness in a line under the title.
    pub fn header(&self) -> Option<Header> {
        self.header
    }

    /// The roles its Approval section lists (none when it has no such section).
    pub fn approval_roles(&self) -> &[String] {
        &self.approval_roles
    }

    /// Every segment, in order; a line holding an optional field is followed by its own
    /// segments.
    pub fn segments(&self) -> impl Iterator<Item = &Segment> {
        self.intro
            .iter()
            .chain(
                self.sections
                    .iter()
                    .flat_map(|s| s.heading.iter().chain(&s.body)),
            )
            .flat_map(|s| {
                let inner = match s {
                    Segment::Optional { line, .. } => line.as_slice(),
                    _ => &[],
                };
                std::iter::once(s).chain(inner)
            })
    }

    /// The text of a [`Segment::Text`].
    pub fn text(&self, range: &Range<usize>) -> &str {
        self.source.get(range.clone()).unwrap_or_default()
    }
}

/// Byte ranges of `source` where placeholders are not recognised: code and HTML.
/// For a body with no guidance but prompts in HTML comments (`trd-numbered` keeps its prompts
/// so, alone or above a table or diagram), each prompt shown as guidance right after its
/// comment, so that an unwritten section never reads as empty or as a bare table. The
/// comments stay, as the source has them. Only comments on lines of their own, outside code.
fn shown_prompts(source: &str, body: &mut Vec<Segment>) {
    let [Segment::Text(range)] = body.as_slice() else {
        return;
    };
    let range = range.clone();
    let mut pieces = Vec::new();
    let mut at = range.start;
    let mut in_fence = false;
    let mut line_start = range.start;
    for line in source[range.clone()].split_inclusive('\n') {
        let end = line_start + line.len();
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence && t.starts_with("<!--") && t.ends_with("-->") {
            let prompt = t[4..t.len() - 3].trim();
            // `LLM:` comments are instructions to writing tools, not prompts for readers.
            if !prompt.is_empty() && !prompt.starts_with("LLM:") {
                let cut = line_start + line.trim_end().len();
                pieces.push(Segment::Text(at..cut));
                pieces.push(Segment::Guidance(Hint::after_block(prompt)));
                at = cut;
            }
        }
        line_start = end;
    }
    if pieces.is_empty() {
        return;
    }
    if at < range.end {
        pieces.push(Segment::Text(at..range.end));
    }
    *body = pieces;
}

/// `segments` with each line that holds an optional field (`{{number?}}`) made a
/// [`Segment::Optional`]. A line takes its own line break with it, or, the last line, the one
/// before it, so that leaving it out leaves no blank line behind.
fn optional_lines(source: &str, segments: Vec<Segment>) -> Vec<Segment> {
    let omitted = |s: &Segment| match s {
        Segment::Field {
            field,
            fallback: Fallback::Omit,
        } => Some(*field),
        _ => None,
    };
    if !segments.iter().any(|s| omitted(s).is_some()) {
        return segments;
    }
    // Lines, each ending with its line break but the last.
    let mut lines: Vec<Vec<Segment>> = Vec::new();
    let mut current: Vec<Segment> = Vec::new();
    for segment in segments {
        let Segment::Text(range) = segment else {
            current.push(segment);
            continue;
        };
        let mut at = range.start;
        for piece in source[range].split_inclusive('\n') {
            let end = at + piece.len();
            current.push(Segment::Text(at..end));
            if piece.ends_with('\n') {
                lines.push(std::mem::take(&mut current));
            }
            at = end;
        }
    }
    lines.push(current);
    let last = lines.len() - 1;
    let mut out: Vec<Segment> = Vec::new();
    for (i, mut line) in lines.into_iter().enumerate() {
        let Some(field) = line.iter().find_map(omitted) else {
            out.extend(line);
            continue;
        };
        if i == last
            && let Some(Segment::Text(before)) = out.last_mut()
        {
            let text = &source[before.clone()];
            let cut = before.start + text.trim_end_matches(['\n', '\r']).len();
            line.insert(0, Segment::Text(cut..before.end));
            before.end = cut;
        }
        let line = merged(line);
        out.push(Segment::Optional { field, line });
    }
    merged(out)
}

/// Adjacent text segments joined into one.
fn merged(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for segment in segments {
        match (out.last_mut(), segment) {
            (_, Segment::Text(r)) if r.is_empty() => {}
            (Some(Segment::Text(before)), Segment::Text(r)) if before.end == r.start => {
                before.end = r.end;
            }
            (_, segment) => out.push(segment),
        }
    }
    out
}

/// Finds the header (see [`Header`]), splitting the text after its block at the blank line
/// that ends it, so the page can write its own lines there.
fn find_header(
    source: &str,
    mut sections: Vec<TemplateSection>,
) -> (Vec<TemplateSection>, Option<Header>) {
    let is_status = |s: &Segment| {
        matches!(
            s,
            Segment::Field {
                field: Field::Status,
                ..
            }
        )
    };
    let Some((i, at)) = sections
        .iter()
        .enumerate()
        .find_map(|(i, s)| s.body.iter().position(is_status).map(|at| (i, at)))
    else {
        return (sections, None);
    };
    let body = &mut sections[i].body;
    let mut end = body.len();
    for k in at + 1..body.len() {
        let Segment::Text(range) = &body[k] else {
            continue;
        };
        let text = &source[range.clone()];
        let blank = text.find("\n\n").or_else(|| text.find("\n\r\n"));
        if let Some(blank) = blank {
            // Each part trimmed as a block is (see `trimmed`): blocks are joined when written.
            let split = range.start + blank;
            let rest = text[blank..].trim_start_matches(['\n', '\r']);
            let (first, rest) = (range.start..split, range.end - rest.len()..range.end);
            body.splice(k..=k, [Segment::Text(first), Segment::Text(rest)]);
            end = k + 1;
            break;
        }
    }
    let completeness = body.iter().any(|s| matches!(s, Segment::Completeness));
    (
        sections,
        Some(Header {
            section: i,
            end,
            completeness,
        }),
    )
}

/// [`TemplateSection::quiet_body`] for `body`: `None` when it holds a field.
fn quiet_body(source: &str, body: &[Segment]) -> Option<String> {
    let mut markdown = String::new();
    for segment in body {
        match segment {
            Segment::Text(range) => markdown.push_str(source.get(range.clone())?),
            Segment::Guidance(hint) => markdown.push_str(&hint.markdown),
            Segment::Field { .. } | Segment::Completeness | Segment::Optional { .. } => {
                return None;
            }
        }
    }
    Some(quiet(&markdown, MarkdownFlavor::default().options()))
}

fn verbatim_ranges(source: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut skip_until = 0;
    for (event, range) in
        Parser::new_ext(source, MarkdownFlavor::default().options()).into_offset_iter()
    {
        if range.start < skip_until {
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_) => {
                skip_until = range.end;
                ranges.push(range);
            }
            _ => {}
        }
    }
    ranges
}

/// Splits `source[range]` into text and placeholders.
fn segments(source: &str, range: Range<usize>, verbatim: &[Range<usize>]) -> Vec<Segment> {
    let in_verbatim = |at: usize| verbatim.iter().any(|r| r.contains(&at));
    let end = range.end;
    let mut out = Vec::new();
    let mut text_start = range.start;
    let mut search = range.start;
    let within = &source[..end];
    while let Some(open) = directive::find(within, "{{", search) {
        let Some(len) = directive::find(within, "}}", open + 2).map(|close| close - open - 2)
        else {
            break;
        };
        let inner = &source[open + 2..open + 2 + len];
        let close = open + 2 + len + 2;
        if inner.contains('\n') || inner.trim().is_empty() || in_verbatim(open) {
            search = open + 2;
            continue;
        }
        if text_start < open {
            out.push(Segment::Text(text_start..open));
        }
        out.push(placeholder(inner.trim()));
        text_start = close;
        search = close;
    }
    if text_start < end {
        out.push(Segment::Text(text_start..end));
    }
    out
}

/// A block's segments without the blank lines before it and the white space after it, so that
/// writing a doc only copies them (blocks are joined with one blank line).
fn trimmed(source: &str, mut segments: Vec<Segment>) -> Vec<Segment> {
    if let Some(Segment::Text(r)) = segments.first_mut() {
        let text = &source[r.clone()];
        r.start += text.len() - text.trim_start_matches(['\n', '\r']).len();
    }
    if let Some(Segment::Text(r)) = segments.last_mut() {
        r.end = r.start + source[r.clone()].trim_end().len();
    }
    segments.retain(|s| !matches!(s, Segment::Text(r) if r.is_empty()));
    segments
}

/// Reads the inside of one `{{...}}`.
fn placeholder(inner: &str) -> Segment {
    if inner == "completeness" {
        return Segment::Completeness;
    }
    if let Some(field) = inner
        .strip_suffix('?')
        .and_then(|k| Field::from_key(k.trim()))
    {
        return Segment::Field {
            field,
            fallback: Fallback::Omit,
        };
    }
    let split = inner.find([':', '=']).map(|i| (i, &inner[..i]));
    if let Some((at, key)) = split
        && let Some(field) = Field::from_key(key.trim())
    {
        let rest = inner[at + 1..].trim().to_owned();
        let fallback = if inner[at..].starts_with('=') {
            Fallback::Literal(rest)
        } else {
            Fallback::Guidance(Hint::new(rest))
        };
        return Segment::Field { field, fallback };
    }
    match Field::from_key(inner) {
        Some(field) => Segment::Field {
            field,
            fallback: Fallback::Default,
        },
        None => Segment::Guidance(Hint::new(inner)),
    }
}

/// Every template of a run, by name. Templates are shared, not copied: the built-ins are parsed
/// once per process (parsing renders every guidance hint, about a millisecond in all).
#[derive(Debug, Clone)]
pub struct Templates {
    by_name: BTreeMap<String, Arc<Template>>,
    skipped: Vec<Skipped>,
}

/// A Markdown file in the book's templates folder that is not a template, and why. It is
/// passed over with a note, never an error, so a README in the folder cannot fail a build
/// (in strict mode neither).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, relative to the book's root (e.g. `trd-templates/README.md`).
    pub file: PathBuf,
    /// Why it is not a template, and how to make it one when it was meant to be.
    pub reason: String,
}

impl Skipped {
    /// The same note with its file named from the current folder, for a book at `root`.
    pub fn from_here(&self, root: &Path) -> Skipped {
        let file = if root == Path::new(".") {
            self.file.clone()
        } else {
            root.join(&self.file)
        };
        Skipped {
            file,
            reason: self.reason.clone(),
        }
    }
}

impl std::fmt::Display for Skipped {
    /// `trd-templates/README.md: note: not a template, skipped: ...`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: note: not a template, skipped: {}",
            self.file.display(),
            self.reason
        )
    }
}

/// The built-ins, parsed on first use.
static BUILT_IN_PARSED: LazyLock<BTreeMap<String, Arc<Template>>> = LazyLock::new(|| {
    BUILT_IN
        .iter()
        .map(|(name, source, summary)| {
            (
                name.to_string(),
                Arc::new(Template::parse(name, summary, source)),
            )
        })
        .collect()
});

impl Templates {
    /// The five built-in templates, parsed.
    pub fn built_in() -> Templates {
        Templates {
            by_name: BUILT_IN_PARSED.clone(),
            skipped: Vec::new(),
        }
    }

    /// Adds a book's own template, which overrides a built-in one of the same name.
    pub fn add(&mut self, template: Template) {
        self.by_name
            .insert(template.name().to_owned(), Arc::new(template));
    }

    /// Records a file of the templates folder passed over, with why.
    pub fn skip(&mut self, skipped: Skipped) {
        self.skipped.push(skipped);
    }

    /// The Markdown files of the book's templates folder that are not templates, in name order.
    /// The build prints them as notes; they never fail it, strict or not.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The template called `name`.
    pub fn get(&self, name: &str) -> Option<&Template> {
        self.by_name.get(name).map(Arc::as_ref)
    }

    /// The names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The templates, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &Template> {
        self.by_name.values().map(Arc::as_ref)
    }
}

impl Template {
    /// A book's own template `name` from the text of its file (shown in findings as `shown`),
    /// refusing one that holds a directive (it could expand itself without end) or leaves a
    /// fence, comment or element open (the author's text merged after it would be read inside).
    pub fn from_book_file(
        name: &str,
        source: &str,
        shown: &Path,
    ) -> Result<Template, Box<Diagnostic>> {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let found = directive::scan(source, MarkdownFlavor::default().options());
        if let Some(offset) = found
            .directives
            .first()
            .map(|d| d.span.start)
            .or_else(|| found.errors.first().map(|e| e.offset))
        {
            return Err(Box::new(
                Diagnostic::error(Rule::TemplateDirective, format!(
                    "template {name:?} holds a directive; a template that expands directives \
                     could expand itself without end"
                ))
                .in_file(Some(shown))
                .at(source, offset)
                .with_help(
                    "write the directive in the chapter, not in the template (or escape it as `\\<<#trd`)",
                ),
            ));
        }
        if let Some((offset, kind)) = crate::model::sections::balance::text_unbalanced(
            source,
            MarkdownFlavor::default().options(),
        ) {
            return Err(Box::new(
                Diagnostic::error(
                    Rule::TemplateUnbalanced,
                    format!(
                        "template {name:?}: {kind}, so the author's text merged after it would be \
                         read inside it"
                    ),
                )
                .in_file(Some(shown))
                .at(source, offset)
                .with_help("close it in the template, in the section that opens it"),
            ));
        }
        let summary = format!("the book's own template ({})", shown.display());
        let mut template = Template::parse(name, &summary, source);
        template.origin = Some(shown.to_path_buf());
        Ok(template)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::directive::is_valid_name;

    /// What a book's own template must do holds for the built-in ones too: each closes
    /// everything it opens, so nothing authored after it is read inside a fence or element.
    #[test]
    fn built_in_templates_close_what_they_open() {
        for (name, source, _) in BUILT_IN {
            assert_eq!(
                crate::model::sections::balance::text_unbalanced(
                    source,
                    MarkdownFlavor::default().options()
                ),
                None,
                "{name}"
            );
        }
    }

    fn parse(s: &str) -> Vec<Segment> {
        Template::parse("t", "", s).segments().cloned().collect()
    }

    #[test]
    fn placeholder_kinds() {
        use Segment::*;
        assert_eq!(
            parse("# {{title}}\n{{author: Your Name}} {{version = 1.0}} {{What to do}}"),
            vec![
                Text(0..2),
                Field {
                    field: crate::model::doc::Field::Title,
                    fallback: Fallback::Default
                },
                // The heading's line break is trimmed: blocks are joined when a doc is written.
                Field {
                    field: crate::model::doc::Field::Author,
                    fallback: Fallback::Guidance(Hint::new("Your Name"))
                },
                Text(33..34),
                Field {
                    field: crate::model::doc::Field::Version,
                    fallback: Fallback::Literal("1.0".into())
                },
                Text(51..52),
                Guidance(Hint::new("What to do")),
            ]
        );
    }

    #[test]
    fn an_optional_field_takes_its_line_and_completeness_is_a_placeholder() {
        use Segment::*;
        let number = |fallback| Field {
            field: crate::model::doc::Field::Number,
            fallback,
        };
        let source = "# T\n\n| a | b |\n| N | {{number?}} |\n| C | {{completeness}} |\n| M | {{number?}} |\n";
        let t = Template::parse("t", "", source);
        let body = &t.sections()[0].body;
        assert_eq!(
            body,
            &vec![
                Text(5..15),
                Optional {
                    field: crate::model::doc::Field::Number,
                    line: vec![Text(15..21), number(Fallback::Omit), Text(32..35)],
                },
                Text(35..41),
                Completeness,
                // The last line takes the line break before it (the body is trimmed).
                Text(57..59),
                Optional {
                    field: crate::model::doc::Field::Number,
                    line: vec![Text(59..66), number(Fallback::Omit), Text(77..79)],
                },
            ]
        );
        assert_eq!(source.get(59..66), Some("\n| M | "));
        assert!(t.sections()[0].holds_fields());
        // In a heading, the field is just empty.
        assert_eq!(
            parse("# {{number?}}"),
            vec![Text(0..2), number(Fallback::Omit)]
        );
    }

    /// Every built-in has one header: the `| Field | Value |` table holding the status, with
    /// its rows in one order (issue 16): the number when given, the status, the completeness,
    /// the template's other fields, then the related documents.
    #[test]
    fn every_built_in_header_is_one_table_in_one_row_order() {
        for template in Templates::built_in().iter() {
            let name = template.name();
            let header = template.header().expect(name);
            let body = &template.sections()[header.section].body;
            fn shown(template: &Template, segments: &[Segment], out: &mut String) {
                for s in segments {
                    match s {
                        Segment::Text(r) => out.push_str(template.text(r)),
                        Segment::Optional { line, .. } => shown(template, line, out),
                        _ => out.push_str("{}"),
                    }
                }
            }
            let mut block = String::new();
            shown(template, &body[..header.end], &mut block);
            let table = block
                .trim_start()
                .lines()
                .skip_while(|l| l.starts_with("<!--"));
            let table: Vec<&str> = table.filter(|l| !l.trim().is_empty()).collect();
            assert_eq!(
                table[..2],
                ["| Field | Value |", "|-------|-------|"],
                "{name}"
            );
            assert!(
                table[2..].iter().all(|l| l.starts_with("| **")),
                "{name}: {table:?}"
            );
            // Each row's kind, in order.
            let rank = |s: &Segment| match s {
                Segment::Optional { field, .. } if *field == Field::Number => Some(0),
                Segment::Field {
                    field: Field::Status,
                    ..
                } => Some(1),
                Segment::Completeness => Some(2),
                Segment::Field { field, .. } if field.is_reference() => Some(4),
                Segment::Field { field, .. } => {
                    assert_ne!(
                        *field,
                        Field::Number,
                        "{name}: a number row that is not optional"
                    );
                    Some(3)
                }
                _ => None,
            };
            let ranks: Vec<u8> = body[..header.end].iter().filter_map(rank).collect();
            let expected_start: &[u8] = if name == "trd-numbered" {
                &[1, 2]
            } else {
                &[0, 1, 2]
            };
            assert_eq!(
                &ranks[..expected_start.len()],
                expected_start,
                "{name}: {ranks:?}"
            );
            assert!(ranks.is_sorted(), "{name}: {ranks:?}");
            assert!(
                ranks.contains(&3) && ranks.contains(&4),
                "{name}: {ranks:?}"
            );
            assert_eq!(table.len() - 2, ranks.len(), "{name}: one field a row");
            assert!(header.completeness, "{name}");
            // `trd-numbered` shows its number in its title instead.
            let titled = template.sections()[0].heading.iter().any(|s| {
                matches!(
                    s,
                    Segment::Field {
                        field: Field::Number,
                        ..
                    }
                )
            });
            assert_eq!(titled, name == "trd-numbered", "{name}");
            // Nothing else of the template shows the status or the completeness.
            let shown = template.segments().filter(|s| {
                matches!(
                    s,
                    Segment::Completeness
                        | Segment::Field {
                            field: Field::Status,
                            ..
                        }
                )
            });
            assert_eq!(shown.count(), 2, "{name}");
        }
    }

    #[test]
    fn colon_in_guidance_is_not_a_field() {
        assert_eq!(
            parse("{{Component 1: API Layer}}"),
            vec![Segment::Guidance(Hint::new("Component 1: API Layer"))]
        );
    }

    #[test]
    fn code_and_html_are_verbatim() {
        for s in [
            "```\n{{title}}\n```\n",
            "    {{title}}\n",
            "Use `{{title}}` here\n",
            "<!-- {{title}} -->\n",
            "<div>{{title}}</div>\n",
            "{{ }} and {{ unclosed\n",
        ] {
            assert_eq!(
                parse(s),
                vec![Segment::Text(0..s.trim_end().len())],
                "{s:?}"
            );
        }
    }

    #[test]
    fn approval_roles_come_from_both_forms() {
        let t = Templates::built_in();
        let roles = |n: &str| t.get(n).unwrap().approval_roles().to_vec();
        assert_eq!(
            roles("trd-numbered"),
            ["Tech Lead", "Architect", "Product Owner"]
        );
        assert_eq!(
            roles("tdd"),
            ["Engineering Lead", "Architect", "Security Review"]
        );
        assert!(roles("design").is_empty());
    }

    #[test]
    fn built_ins_parse_and_are_not_reserved() {
        let t = Templates::built_in();
        assert_eq!(
            t.names().collect::<Vec<_>>(),
            ["design", "product-tdd", "tdd", "trd", "trd-numbered"]
        );
        for template in t.iter() {
            assert!(!RESERVED.contains(&template.name()));
            assert!(is_valid_name(template.name()));
            // Every built-in fills its title and status from the directive.
            for field in [Field::Title, Field::Status] {
                assert!(
                    template
                        .segments()
                        .any(|s| matches!(s, Segment::Field { field: f, .. } if *f == field)),
                    "{} lacks {field}",
                    template.name()
                );
            }
        }
    }
}
