//! Expanding one chapter: directives in, Markdown out, everything else byte-for-byte.
//!
//! Pure, in two steps so that book-wide features can sit between them: [`analyse`] finds the
//! directives, checks them and works out the design doc (metadata, status, how the author's
//! sections merge); [`render`](super::expand::render) writes the chapter once the whole book is known. Text before a
//! template directive is copied untouched; the directive and everything after it become the
//! merged document.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::Options;

use crate::markdown::heading::atx;
use crate::model::approvals::{self, SignOff};
use crate::model::directive::{self, Directive, SyntaxErrorKind};
use crate::model::doc::{Approvals, DEFAULT_STATUS, DesignDoc, Field, Metadata};
use crate::model::sections::authored::{Authored, authored_from};
use crate::model::sections::balance::{Imbalance, Unbalanced};
use crate::model::sections::headings::Heading;
use crate::model::sections::merge::{
    KeyedHeading, Merge, MergeOptions, authored_parents, merge_keyed, shifted,
};
use crate::model::sections::outline::{heading_key, match_key};
use crate::model::settings::Settings;
use crate::model::template::{Template, TemplateSection, Templates};
use crate::model::unwritten::Unwritten;
use crate::render::index::{self, IndexOptions};
use crate::render::mode::RenderMode;
use crate::render::page::{Fill, heading_text};
use crate::report::diagnostic::{Diagnostic, LineIndex, Position, Rule, list};
use crate::report::suggest::{Profile, closest, edit_distance_within};

/// The name of the index directive.
pub const INDEX: &str = "index";

/// What stays the same for every chapter of a run.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The run's templates.
    pub templates: &'a Templates,
    /// The book's settings (statuses, required sign-offs, ...).
    pub settings: &'a Settings,
    /// HTML or plain text.
    pub mode: RenderMode,
    /// The Markdown options mdBook renders with.
    pub options: Options,
    /// Whether to make notes (see [`Severity::Note`](crate::report::rule::Severity::Note)):
    /// `check` lists them; a build never prints them, so it does not make them.
    pub notes: bool,
}

/// One chapter, as the expansion sees it.
#[derive(Debug, Clone, Copy)]
pub struct Chapter<'a> {
    /// The chapter's name in SUMMARY.md (the default title of a design doc).
    pub name: &'a str,
    /// The chapter's Markdown.
    pub content: &'a str,
    /// The file to name in diagnostics, relative to the book root (e.g. `src/a.md`).
    pub file: Option<&'a Path>,
    /// The chapter's rendered path relative to `src` (mdBook's `path`), for relative links.
    pub path: Option<&'a Path>,
}

/// How a design doc chapter will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Where the template directive starts: everything before it is kept as is (less the
    /// author's H1 right before it, when that is taken as the title).
    pub start: usize,
    /// The author's H1 right before the directive, equal to the doc's title: written as the
    /// title instead of the skeleton's.
    pub title_before: Option<Range<usize>>,
    /// The template's name.
    pub template: String,
    /// The directive's metadata.
    pub metadata: Metadata,
    /// The author's sections after the directive.
    pub authored: Authored,
    /// Where they go in the skeleton.
    pub merge: Merge,
}

/// What [`analyse`] found in one chapter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The design doc the chapter declares, if it has a valid template directive.
    pub doc: Option<DesignDoc>,
    /// How to write it.
    pub plan: Option<Plan>,
    /// The index directives: the byte range each replaces, and its options.
    pub indexes: Vec<(Range<usize>, IndexOptions)>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Step one: finds and checks the chapter's directives and plans its design doc.
pub fn analyse(chapter: Chapter<'_>, cx: &Context<'_>) -> Analysis {
    let mut out = Analysis::default();
    let scan = directive::scan(chapter.content, cx.options);
    if finds_nothing(&scan) {
        return out;
    }
    // Built on the first diagnostic only: chapters without problems never pay for it.
    let lines = std::cell::OnceCell::new();
    let position = |offset: usize| {
        lines
            .get_or_init(|| LineIndex::new(chapter.content))
            .position(offset)
    };
    let report =
        |d: Diagnostic, offset: usize| d.in_file(chapter.file).at_position(position(offset));

    out.diagnostics = scan_findings(&scan, cx.templates, &report);

    let mut first_template: Option<&Directive> = None;
    for d in &scan.directives {
        if d.name == INDEX {
            match index::parse_options(&d.attributes, &cx.settings.lifecycle, cx.templates) {
                Ok(options) => out.indexes.push((d.span.clone(), options)),
                Err(e) => out.diagnostics.push(
                    report(Diagnostic::error(Rule::IndexOption, e.message), e.offset)
                        .with_help(e.help),
                ),
            }
            continue;
        }
        let Some(template) = cx.templates.get(&d.name) else {
            out.diagnostics.push(report(
                unknown_template(&d.name, cx.templates),
                d.name_offset,
            ));
            continue;
        };
        if let Some(first) = first_template {
            let line = position(first.name_offset).line;
            out.diagnostics
                .push(report(second_template(line), d.name_offset));
            continue;
        }
        first_template = Some(d);
        let metadata = match Metadata::from_attributes(&d.attributes) {
            Ok(m) => m,
            Err(e) => {
                out.diagnostics
                    .push(report(unknown_attribute(&e.key), e.offset));
                continue;
            }
        };
        let written = Written {
            chapter,
            scan: &scan,
            directive: d,
            template,
        };
        let (doc, plan) = plan_doc(written, metadata, cx, &mut |d, offset| {
            out.diagnostics.push(report(d, offset));
        });
        out.doc = Some(doc);
        out.plan = Some(plan);
    }
    if out.has_errors() {
        out.doc = None;
        out.plan = None;
        out.indexes.clear();
    }
    out
}

/// True when the scan found no directive, well-formed or not: the chapter is left alone.
fn finds_nothing(scan: &directive::Scan) -> bool {
    scan.directives.is_empty()
        && scan.errors.is_empty()
        && scan.nested.is_empty()
        && scan.misplaced.is_empty()
}

/// A directive naming no template.
fn unknown_template(name: &str, templates: &Templates) -> Diagnostic {
    Diagnostic::error(
        Rule::UnknownTemplate,
        format!(
            "unknown template {name:?}; known: {}",
            list(templates.names())
        ),
    )
    .with_help(format!(
        "write one of the known names, e.g. `<<#trd {} ...>>`",
        closest(name, directive_names(templates)).unwrap_or("tdd")
    ))
}

/// A second template directive, the first being on `first_line`.
fn second_template(first_line: usize) -> Diagnostic {
    Diagnostic::error(
        Rule::SecondTemplate,
        format!("a second template directive in one chapter; the first is on line {first_line}"),
    )
    .with_help("a chapter holds one design doc: move this one to a chapter of its own")
}

/// An attribute `key` that no field has.
fn unknown_attribute(key: &str) -> Diagnostic {
    Diagnostic::error(
        Rule::UnknownAttribute,
        format!("unknown attribute {key:?}; known: {}", Field::known_keys()),
    )
    .with_help(attribute_help(key))
}

/// The chapter's template directive and what was found around it.
#[derive(Clone, Copy)]
struct Written<'a> {
    chapter: Chapter<'a>,
    scan: &'a directive::Scan,
    directive: &'a Directive,
    template: &'a Template,
}

/// The design doc of the chapter's template directive, and how to write it: its status, the
/// author's sections merged into the skeleton, the title, the sign-offs. Findings go to
/// `report`, in the order they are met.
fn plan_doc(
    w: Written<'_>,
    metadata: Metadata,
    cx: &Context<'_>,
    report: &mut dyn FnMut(Diagnostic, usize),
) -> (DesignDoc, Plan) {
    let (content, d, template) = (w.chapter.content, w.directive, w.template);
    let (status, status_known) = resolve_status(&metadata, d, cx, report);
    for (offset, problem) in metadata.date_problems() {
        report(problem, offset);
    }
    let authored = authored_from(content, d.span.end, &w.scan.headings);
    let title = metadata
        .get(Field::Title)
        .unwrap_or(w.chapter.name)
        .to_owned();
    let fill = Fill {
        metadata: &metadata,
        chapter_name: w.chapter.name,
        mode: RenderMode::Plain,
        status: &status,
        status_color: None,
        unwritten: Unwritten::Show,
        references: &[],
        completeness: None,
    };
    let merge = plan_merge(content, template, &fill, &authored, cx.options, report);
    if cx.notes {
        moved_headings(content, template, &fill, &authored, &merge, report);
    }
    let title_after = merge
        .title
        .and_then(|a| authored.sections.get(a))
        .and_then(|a| {
            w.scan
                .headings
                .iter()
                .find(|h| h.range.start == a.heading.start)
        })
        .map(|h| h.text.trim());
    let title_before = titles_before(
        content,
        &w.scan.headings,
        d.span.start,
        template,
        &fill,
        title_after,
        report,
    );
    let doc = DesignDoc {
        template: template.name().to_owned(),
        title,
        status,
        status_known,
        filled_sections: merge.filled_leaves,
        total_sections: merge.leaves,
        path: w.chapter.path.map(Path::to_path_buf),
        source_path: None,
        line: Position::of_offset(content, d.span.start).line,
        metadata: metadata.clone(),
        positions: field_positions(content.get(..d.span.end).unwrap_or(content), &metadata),
        approvals: approvals_of(content, template, &authored, cx),
    };
    let plan = Plan {
        start: title_before.as_ref().map_or(d.span.start, |h| h.start),
        title_before,
        template: template.name().to_owned(),
        metadata,
        authored,
        merge,
    };
    (doc, plan)
}

/// The status as the lifecycle names it, and whether it knows it; an unknown one is kept as
/// written, with a warning.
fn resolve_status(
    metadata: &Metadata,
    d: &Directive,
    cx: &Context<'_>,
    report: &mut dyn FnMut(Diagnostic, usize),
) -> (String, bool) {
    let written = metadata.get(Field::Status).unwrap_or(DEFAULT_STATUS);
    let lifecycle = &cx.settings.lifecycle;
    if let Some(s) = lifecycle.resolve(written) {
        return (s.name.clone(), true);
    }
    report(
        Diagnostic::warning(
            Rule::UnknownStatus,
            format!("unknown status {written:?}; known: {}", lifecycle.names()),
        )
        .with_help(format!(
            "{}use a known status, or add it (or an alias) under \
             [preprocessor.trd.statuses] in book.toml",
            lifecycle.did_you_mean(written)
        )),
        metadata.offset(Field::Status).unwrap_or(d.name_offset),
    );
    (written.to_owned(), false)
}

/// Where each field given in the directive is written, for findings about it. `content` is
/// the chapter up to the directive's end: the fields are in the directive, and its lines are
/// counted once rather than from the chapter's start for each field.
fn field_positions(content: &str, metadata: &Metadata) -> Vec<(Field, Position)> {
    let lines = LineIndex::new(content);
    Field::ALL
        .into_iter()
        .filter_map(|f| {
            let offset = metadata.offset(f)?;
            Some((f, lines.position(offset)))
        })
        .collect()
}

/// The findings of the scan itself: malformed directives, and directives the Markdown around
/// them keeps from expanding.
fn scan_findings(
    scan: &directive::Scan,
    templates: &Templates,
    report: &impl Fn(Diagnostic, usize) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in &scan.errors {
        let help = match &e.kind {
            SyntaxErrorKind::InvalidName(name) => name_help(name, templates),
            kind => kind.help(),
        };
        out.push(
            report(
                Diagnostic::error(Rule::DirectiveSyntax, e.kind.to_string()),
                e.offset,
            )
            .with_help(help),
        );
    }
    for m in &scan.misplaced {
        let d = if m.kind.is_error() {
            Diagnostic::error(Rule::UnderlinedDirective, m.kind.message())
        } else {
            Diagnostic::warning(Rule::MisplacedDirective, m.kind.message())
        };
        out.push(report(d, m.offset).with_help(m.kind.help()));
    }
    for n in &scan.nested {
        out.push(
            report(
                Diagnostic::warning(
                    Rule::NestedDirective,
                    "a directive inside a list, block quote, table, definition list or footnote is not expanded",
                ),
                n.offset,
            )
            .with_help("move it to a paragraph of its own at the top level of the chapter"),
        );
    }
    out
}

/// Merges the author's sections into `template`'s skeleton, reporting through `report` a
/// block that does not balance (kept in place) and headings that nearly match a section left
/// unfilled.
fn plan_merge(
    content: &str,
    template: &Template,
    fill: &Fill<'_>,
    authored: &Authored,
    options: Options,
    report: &mut dyn FnMut(Diagnostic, usize),
) -> Merge {
    let skeleton: Vec<KeyedHeading<'_>> = template
        .sections()
        .iter()
        .map(|s| KeyedHeading {
            level: s.level,
            match_key: &s.match_key,
            approval: s.approval,
            fields: s.holds_fields(),
        })
        .collect();
    let unbalanced = authored.first_unbalanced(content, options);
    if let Some(u) = &unbalanced {
        report(unbalanced_warning(u), u.offset);
    }
    let preamble = content.get(authored.preamble.clone()).unwrap_or_default();
    let title_keys: Vec<String> = match template.sections().first() {
        Some(t) if t.level == 1 && preamble.trim().is_empty() => [
            fill.title().to_owned(),
            heading_text(template, &t.heading, fill),
        ]
        .iter()
        .map(|text| match_key(&heading_key(text)))
        .filter(|k| !k.is_empty())
        .collect(),
        _ => Vec::new(),
    };
    let merge = merge_keyed(
        &skeleton,
        &authored.sections,
        MergeOptions {
            title_keys: &title_keys,
            in_place: unbalanced.as_ref().map(|u| authored.in_place(u)),
        },
    );
    for (a, j) in near_misses(template.sections(), &skeleton, authored, &merge) {
        let section = &authored.sections[a];
        let written = content
            .get(section.heading.clone())
            .and_then(|h| h.lines().next())
            .unwrap_or_default()
            .trim();
        let closest = heading_text(template, &template.sections()[j].heading, fill);
        report(
            Diagnostic::warning(
                Rule::NearMissHeading,
                format!(
                    "heading {written:?} matches no section of template `{}`; the closest, \
                 {closest:?}, is left unfilled",
                    template.name()
                ),
            )
            .with_help(format!(
                "write the heading as {closest:?} to fill that section, or rename this one if it \
                 is a section of its own"
            )),
            section.heading.start,
        );
    }
    merge
}

/// A note at every heading the page shows at another level than written (see
/// [`Merge::shown`]), saying why and what to write instead; written so, the chapter reads as
/// the page does and `check` has nothing more to say.
fn moved_headings(
    content: &str,
    template: &Template,
    fill: &Fill<'_>,
    authored: &Authored,
    merge: &Merge,
    report: &mut dyn FnMut(Diagnostic, usize),
) {
    let sections = &authored.sections[..merge.shown.len()];
    let mut fills = vec![None; sections.len()];
    for (j, a) in merge.filled_by.iter().enumerate() {
        if let Some(a) = a.filter(|&a| a < fills.len()) {
            fills[a] = Some(j);
        }
    }
    let parents = authored_parents(sections);
    let source = |range: &Range<usize>| content.get(range.clone()).unwrap_or_default();
    let form = |range: &Range<usize>, level: u8| atx(source(range), level).trim().to_owned();
    for (a, section) in sections.iter().enumerate() {
        let level = merge.shown[a];
        if level == section.level {
            continue;
        }
        let why = match (fills[a], parents[a]) {
            (Some(j), _) => format!(
                "the level of the template's {:?}",
                heading_text(template, &template.sections()[j].heading, fill)
            ),
            (None, Some(p)) => format!(
                "to stay under {:?}",
                form(&sections[p].heading, merge.shown[p])
            ),
            (None, None) => match (0..a)
                .rev()
                .find(|&b| parents[b].is_none() && sections[b].level == section.level)
                .filter(|&b| merge.shown[b] == level)
            {
                Some(b) => format!(
                    "to stay beside {:?}",
                    form(&sections[b].heading, merge.shown[b])
                ),
                None if level > section.level => "the page has one title".to_owned(),
                None => "so that it does not take the template's sections around it as its own"
                    .to_owned(),
            },
        };
        report(
            moved_note(
                &form(&section.heading, section.level),
                &form(&section.heading, level),
                &why,
            ),
            section.heading.start,
        );
        // The headings inside a piece an HTML element holds together move with it.
        let by = i16::from(level) - i16::from(section.level);
        let parent = form(&section.heading, level);
        for (written, range) in &section.sub_headings {
            let shown = shifted(*written, by);
            if shown != *written {
                report(
                    moved_note(
                        &form(range, *written),
                        &form(range, shown),
                        &format!("to stay under {parent:?}"),
                    ),
                    range.start,
                );
            }
        }
    }
}

/// The note for one heading written as `written` and shown as `shown`, and why.
fn moved_note(written: &str, shown: &str, why: &str) -> Diagnostic {
    Diagnostic::note(
        Rule::MovedHeading,
        format!("heading {written:?} is shown as {shown:?}: {why}"),
    )
    .with_help(format!(
        "write it as {shown:?} to have the chapter read as the page does"
    ))
}

/// The H1s the author wrote before the directive of a template that writes its own title.
/// One right before the directive (nothing but blank lines between) whose text is the doc's
/// title, as the title heading reads or as `title=` says, is taken as the title, as an H1
/// right after the directive is: its range is returned. Not when an H1 after the directive
/// (`title_after`, its text) is taken already: no authored heading is ever dropped. Every
/// other H1 before the directive gives the page a second title: a warning at it, saying how
/// to fix it.
fn titles_before(
    content: &str,
    headings: &[Heading],
    directive: usize,
    template: &Template,
    fill: &Fill<'_>,
    title_after: Option<&str>,
    report: &mut dyn FnMut(Diagnostic, usize),
) -> Option<Range<usize>> {
    let title = template.sections().first().filter(|t| t.level == 1)?;
    let before = headings
        .iter()
        .filter(|h| h.level == 1 && h.range.end <= directive);
    // Most docs have no H1 before the directive: nothing to compare, so no title to work out.
    before.clone().next()?;
    let skeleton = heading_text(template, &title.heading, fill);
    let keys: Vec<String> = [fill.title(), skeleton.as_str()]
        .iter()
        .map(|text| match_key(&heading_key(text)))
        .filter(|k| !k.is_empty())
        .collect();
    let shown = match title_after {
        Some(after) => format!("the title {after:?} after the directive"),
        None => format!(
            "the title {skeleton:?} that template `{}` writes",
            template.name()
        ),
    };
    let mut taken = None;
    for h in before {
        let key = match_key(&heading_key(&h.text));
        let is_title = keys.contains(&key);
        let adjacent = content
            .get(h.range.end..directive)
            .is_some_and(|between| between.trim().is_empty());
        if is_title && adjacent && title_after.is_none() {
            taken = Some(h.range.clone());
            continue;
        }
        let written = h.text.trim();
        let help = match (is_title, title_after) {
            (true, Some(_)) => "remove one of the two headings".to_owned(),
            (true, None) => "remove this heading, or move what stands between it and the \
                             directive to after the directive, so the heading is taken as \
                             the title"
                .to_owned(),
            (false, _) => format!(
                "remove this heading, or, to make it the doc's title, write `title={written:?}` \
                 in the directive and remove the heading"
            ),
        };
        report(
            Diagnostic::warning(
                Rule::TwoTitles,
                format!(
                    "the page has two titles: this heading {written:?} before the directive, and \
                 {shown}"
                ),
            )
            .with_help(help),
            h.range.start,
        );
    }
    taken
}

/// The warning for a block kept in place, with what would balance it.
fn unbalanced_warning(u: &Unbalanced) -> Diagnostic {
    let block = match u.section {
        Some(_) => "its section",
        None => "the text before the first heading",
    };
    let help = match &u.kind {
        Imbalance::Fence => "close the fence with ``` (or ~~~) on a line of its own".to_owned(),
        Imbalance::Comment => "end the comment with `-->` before the next heading".to_owned(),
        Imbalance::Open(name) => {
            format!(
                "close it with `</{name}>` before the next heading, or move the heading out of it"
            )
        }
        Imbalance::StrayClose(name) => {
            format!("open and close `<{name}>` between the same two headings")
        }
        Imbalance::HtmlBlock => "close the HTML block before the next heading".to_owned(),
    };
    Diagnostic::warning(
        Rule::UnbalancedSection,
        format!(
            "{}: {block} and everything after it are not merged into the template, but kept as \
         written after its sections, so that what is code, HTML or comment stays so",
            u.kind
        ),
    )
    .with_help(help)
}

/// Unmatched authored sections whose heading is a near miss of a skeleton section left
/// unfilled: (authored section, skeleton section). Headings equal to a filled section's
/// (written twice) are not near misses. `sections` are the template's, `skeleton` their
/// headings.
fn near_misses(
    sections: &[TemplateSection],
    skeleton: &[KeyedHeading<'_>],
    authored: &Authored,
    merge: &Merge,
) -> Vec<(usize, usize)> {
    let placed = merge.in_place.map_or(authored.sections.len(), |p| p.first);
    let unmatched: Vec<(usize, String)> = (0..placed)
        .filter(|&a| merge.title != Some(a) && !merge.filled_by.contains(&Some(a)))
        .map(|a| (a, match_key(&authored.sections[a].key)))
        .filter(|(_, key)| key.chars().count() >= 4 && skeleton.iter().all(|s| s.match_key != key))
        .collect();
    if unmatched.is_empty() {
        return Vec::new();
    }
    let first = usize::from(skeleton.first().is_some_and(|s| s.level == 1));
    let lengths = |j: usize| sections[j].match_shape.0;
    // The unfilled sections a heading may be a near miss of.
    let open: Vec<usize> = (first..skeleton.len())
        .filter(|&j| merge.filled_by[j].is_none() && lengths(j) >= 4)
        .collect();
    let longest = open.iter().map(|&j| lengths(j)).max().unwrap_or(0);
    let mut found = Vec::new();
    for (a, key) in unmatched {
        let length = key.chars().count();
        // The closest section (least distance, then first), as long as it can be close
        // enough: a distance past the loosest threshold any section allows is never reported,
        // so it need not be computed exactly, and neither need one no less than the best yet.
        // Lengths, then character counts, rule most sections out before any distance.
        let loosest = 1 + length.max(longest) / 10;
        let profile = Profile::of(&key);
        let mut closest: Option<(usize, usize)> = None;
        for &j in &open {
            let bound = closest.map_or(loosest, |(d, _)| d.saturating_sub(1));
            let other = skeleton[j].match_key;
            if length.abs_diff(lengths(j)) > bound
                || profile.lower_bound(&sections[j].match_shape.1) > bound
            {
                continue;
            }
            if let Some(d) = edit_distance_within(&key, other, bound) {
                closest = Some((d, j));
            }
        }
        if let Some((d, j)) = closest
            && d <= 1 + length.max(lengths(j)) / 10
        {
            found.push((a, j));
        }
    }
    found
}

/// A doc's sign-offs: read from the author's Approval section, against the roles the book
/// requires for its template, else the roles its template lists, else the roles written.
fn approvals_of(
    content: &str,
    template: &Template,
    authored: &Authored,
    cx: &Context<'_>,
) -> Approvals {
    let written: Vec<SignOff> = authored
        .sections
        .iter()
        .filter(|s| approvals::is_approval_section(&s.key))
        .flat_map(|s| approvals::parse(content.get(s.body.clone()).unwrap_or_default(), cx.options))
        .collect();
    let required: Vec<String> = match cx.settings.required_roles(template.name()) {
        Some(roles) => roles.to_vec(),
        None if !template.approval_roles().is_empty() => template.approval_roles().to_vec(),
        None => {
            let mut roles: Vec<String> = Vec::new();
            for s in &written {
                if !roles.iter().any(|r| r.eq_ignore_ascii_case(&s.role)) {
                    roles.push(s.role.clone());
                }
            }
            roles
        }
    };
    let (signed, missing) = required.iter().cloned().partition(|role| {
        written
            .iter()
            .any(|s| s.is_signed() && s.role.eq_ignore_ascii_case(role))
    });
    Approvals {
        required,
        signed,
        missing,
    }
}

/// Every name a directive can have: the templates, and `index`.
fn directive_names(templates: &Templates) -> impl Iterator<Item = &str> {
    templates.names().chain(std::iter::once(INDEX))
}

/// The help for a name that is not `[a-z0-9][a-z0-9_-]*`: names are lowercase, so `TDD` is
/// answered with `tdd` rather than accepted, and a book keeps one spelling of each.
fn name_help(written: &str, templates: &Templates) -> String {
    let lower = written.to_lowercase();
    match closest(&lower, directive_names(templates)) {
        Some(name) if name == lower => {
            format!("template names are lowercase: write `<<#trd {name} ...>>`")
        }
        Some(name) => format!(
            "did you mean `{name}`? template names are lowercase letters, digits, `-` and `_`"
        ),
        None => SyntaxErrorKind::InvalidName(written.to_owned()).help(),
    }
}

/// The help for an attribute no field has: the key it was probably meant to be.
fn attribute_help(written: &str) -> String {
    let lower = written.to_lowercase();
    match closest(&lower, Field::ALL.map(Field::key)) {
        Some(k) if k == lower => format!("attribute names are lowercase: write `{k}=`"),
        Some(k) => format!("did you mean `{k}`?"),
        None => "remove it, or use one of the known attributes".into(),
    }
}
