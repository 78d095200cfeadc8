//! Expanding one chapter: directives in, Markdown out, everything else byte-for-byte.
//!
//! Pure, in two steps so that book-wide features can sit between them: [`analyse`] finds the
//! directives, checks them and works out the design doc (metadata, status, how the author's
//! sections merge); [`render`] writes the chapter once the whole book is known. Text before a
//! template directive is copied untouched; the directive and everything after it become the
//! merged document.

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::Options;

use crate::approvals::{self, SignOff};
use crate::config::Settings;
use crate::diagnostic::{Diagnostic, LineIndex, Position, Rule, list};
use crate::directive::{self, Directive, SyntaxErrorKind};
use crate::doc::{Approvals, DEFAULT_STATUS, DesignDoc, Field, Metadata};
use crate::index::{self, IndexOptions};
use crate::render::{self, Fill, Relations, RenderMode};
use crate::sections::{
    self, Authored, Imbalance, Merge, MergeOptions, SkeletonHeading, Unbalanced,
};
use crate::status::UNKNOWN_COLOR;
use crate::suggest::{closest, did_you_mean, edit_distance};
use crate::template::{Template, Templates};

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
    if scan.directives.is_empty()
        && scan.errors.is_empty()
        && scan.nested.is_empty()
        && scan.misplaced.is_empty()
    {
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
            out.diagnostics.push(
                report(
                    Diagnostic::error(
                        Rule::UnknownTemplate,
                        format!(
                            "unknown template {:?}; known: {}",
                            d.name,
                            list(cx.templates.names())
                        ),
                    ),
                    d.name_offset,
                )
                .with_help(format!(
                    "write one of the known names, e.g. `<<#trd {} ...>>`",
                    closest(&d.name, directive_names(cx.templates)).unwrap_or("tdd")
                )),
            );
            continue;
        };
        if let Some(first) = first_template {
            let line = position(first.name_offset).line;
            out.diagnostics.push(
                report(
                    Diagnostic::error(Rule::SecondTemplate, format!(
                        "a second template directive in one chapter; the first is on line {line}"
                    )),
                    d.name_offset,
                )
                .with_help("a chapter holds one design doc: move this one to a chapter of its own"),
            );
            continue;
        }
        first_template = Some(d);
        let metadata = match Metadata::from_attributes(&d.attributes) {
            Ok(m) => m,
            Err(e) => {
                out.diagnostics.push(
                    report(
                        Diagnostic::error(
                            Rule::UnknownAttribute,
                            format!(
                                "unknown attribute {:?}; known: {}",
                                e.key,
                                Field::known_keys()
                            ),
                        ),
                        e.offset,
                    )
                    .with_help(attribute_help(&e.key)),
                );
                continue;
            }
        };
        let written = metadata.get(Field::Status).unwrap_or(DEFAULT_STATUS);
        let (status, status_known) = match cx.settings.lifecycle.resolve(written) {
            Some(s) => (s.name.clone(), true),
            None => {
                out.diagnostics.push(
                    report(
                        Diagnostic::warning(
                            Rule::UnknownStatus,
                            format!(
                                "unknown status {written:?}; known: {}",
                                cx.settings.lifecycle.names()
                            ),
                        ),
                        metadata.offset(Field::Status).unwrap_or(d.name_offset),
                    )
                    .with_help(format!(
                        "{}use a known status, or add it (or an alias) under \
                         [preprocessor.trd.statuses] in book.toml",
                        did_you_mean(
                            written,
                            cx.settings
                                .lifecycle
                                .statuses()
                                .iter()
                                .map(|s| s.name.as_str())
                        )
                    )),
                );
                (written.to_owned(), false)
            }
        };
        out.diagnostics.extend(
            metadata
                .date_problems()
                .into_iter()
                .map(|(offset, d)| report(d, offset)),
        );
        let authored = sections::authored_from(chapter.content, d.span.end, &scan.headings);
        let title = metadata
            .get(Field::Title)
            .unwrap_or(chapter.name)
            .to_owned();
        let fill = Fill {
            metadata: &metadata,
            chapter_name: chapter.name,
            mode: RenderMode::Plain,
            status: &status,
            status_color: UNKNOWN_COLOR,
        };
        let merge = plan_merge(
            chapter.content,
            template,
            &fill,
            &authored,
            cx.options,
            &mut |d, offset| out.diagnostics.push(report(d, offset)),
        );
        let title_before = titles_before(
            chapter.content,
            &scan.headings,
            d.span.start,
            template,
            &fill,
            merge
                .title
                .and_then(|a| authored.sections.get(a))
                .and_then(|a| {
                    scan.headings
                        .iter()
                        .find(|h| h.range.start == a.heading.start)
                })
                .map(|h| h.text.trim()),
            &mut |d, offset| out.diagnostics.push(report(d, offset)),
        );
        let positions = Field::ALL
            .into_iter()
            .filter_map(|f| {
                let offset = metadata.offset(f)?;
                Some((f, Position::of_offset(chapter.content, offset)))
            })
            .collect();
        let approvals = approvals_of(chapter.content, template, &authored, cx);
        out.doc = Some(DesignDoc {
            template: template.name().to_owned(),
            title,
            status,
            status_known,
            filled_sections: merge.filled_leaves,
            total_sections: merge.leaves,
            path: chapter.path.map(Path::to_path_buf),
            source_path: None,
            line: Position::of_offset(chapter.content, d.span.start).line,
            metadata: metadata.clone(),
            positions,
            approvals,
        });
        out.plan = Some(Plan {
            start: title_before.as_ref().map_or(d.span.start, |h| h.start),
            title_before,
            template: template.name().to_owned(),
            metadata,
            authored,
            merge,
        });
    }
    if out.has_errors() {
        out.doc = None;
        out.plan = None;
        out.indexes.clear();
    }
    out
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
    let skeleton: Vec<SkeletonHeading<'_>> = template
        .sections()
        .iter()
        .map(|s| SkeletonHeading {
            level: s.level,
            key: &s.key,
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
            render::heading_text(template, &t.heading, fill),
        ]
        .iter()
        .map(|text| sections::match_key(&sections::heading_key(text)))
        .filter(|k| !k.is_empty())
        .collect(),
        _ => Vec::new(),
    };
    let merge = sections::merge(
        &skeleton,
        &authored.sections,
        MergeOptions {
            title_keys: &title_keys,
            in_place: unbalanced.as_ref().map(|u| authored.in_place(u)),
        },
    );
    for (a, j) in near_misses(&skeleton, authored, &merge) {
        let section = &authored.sections[a];
        let written = content
            .get(section.heading.clone())
            .and_then(|h| h.lines().next())
            .unwrap_or_default()
            .trim();
        let closest = render::heading_text(template, &template.sections()[j].heading, fill);
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

/// The H1s the author wrote before the directive of a template that writes its own title.
/// One right before the directive (nothing but blank lines between) whose text is the doc's
/// title, as the title heading reads or as `title=` says, is taken as the title, as an H1
/// right after the directive is: its range is returned. Not when an H1 after the directive
/// (`title_after`, its text) is taken already: no authored heading is ever dropped. Every
/// other H1 before the directive gives the page a second title: a warning at it, saying how
/// to fix it.
fn titles_before(
    content: &str,
    headings: &[sections::Heading],
    directive: usize,
    template: &Template,
    fill: &Fill<'_>,
    title_after: Option<&str>,
    report: &mut dyn FnMut(Diagnostic, usize),
) -> Option<Range<usize>> {
    let title = template.sections().first().filter(|t| t.level == 1)?;
    let skeleton = render::heading_text(template, &title.heading, fill);
    let keys: Vec<String> = [fill.title(), skeleton.as_str()]
        .iter()
        .map(|text| sections::match_key(&sections::heading_key(text)))
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
    let before = headings
        .iter()
        .filter(|h| h.level == 1 && h.range.end <= directive);
    for h in before {
        let key = sections::match_key(&sections::heading_key(&h.text));
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
/// (written twice) are not near misses.
fn near_misses(
    skeleton: &[SkeletonHeading<'_>],
    authored: &Authored,
    merge: &Merge,
) -> Vec<(usize, usize)> {
    let first = usize::from(skeleton.first().is_some_and(|s| s.level == 1));
    let keys: Vec<String> = skeleton
        .iter()
        .map(|s| sections::match_key(s.key))
        .collect();
    let placed = merge.in_place.map_or(authored.sections.len(), |p| p.first);
    let mut found = Vec::new();
    for (a, section) in authored.sections.iter().enumerate().take(placed) {
        let key = sections::match_key(&section.key);
        let matched = merge.title == Some(a) || merge.filled_by.contains(&Some(a));
        if matched || key.chars().count() < 4 || keys.contains(&key) {
            continue;
        }
        let closest = (first..skeleton.len())
            .filter(|&j| merge.filled_by[j].is_none() && keys[j].chars().count() >= 4)
            .map(|j| (edit_distance(&key, &keys[j]), j))
            .min();
        if let Some((d, j)) = closest {
            let longer = key.chars().count().max(keys[j].chars().count());
            if d <= 1 + longer / 10 {
                found.push((a, j));
            }
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

/// Step two: writes a chapter once the whole book is known: index tables, and the design doc
/// from its plan. `None` when the chapter has nothing to change.
pub fn render(
    chapter: Chapter<'_>,
    analysis: &Analysis,
    relations: &Relations,
    docs: &[DesignDoc],
    cx: &Context<'_>,
) -> Option<String> {
    let book = index::Book {
        docs,
        lifecycle: &cx.settings.lifecycle,
        mode: cx.mode,
    };
    let replacements: Vec<(Range<usize>, String)> = analysis
        .indexes
        .iter()
        .map(|(span, options)| {
            let mut table = index::render(&book, options, chapter.path);
            // A table runs on into the next line unless a blank line follows it.
            let rest = chapter.content.get(span.end..).unwrap_or_default();
            if !rest.is_empty() && !rest.starts_with(['\n', '\r']) {
                table.push('\n');
            }
            (span.clone(), table)
        })
        .collect();
    let (Some(plan), Some(doc)) = (&analysis.plan, &analysis.doc) else {
        return (!replacements.is_empty()).then(|| splice(chapter.content, &replacements));
    };
    let template = cx.templates.get(&plan.template)?;
    let color = cx
        .settings
        .lifecycle
        .resolve(&doc.status)
        .map_or(UNKNOWN_COLOR, |s| s.color);
    let fill = Fill {
        metadata: &plan.metadata,
        chapter_name: chapter.name,
        mode: cx.mode,
        status: &doc.status,
        status_color: color,
    };
    let authored = render::Authored {
        content: chapter.content,
        sections: &plan.authored,
        merge: &plan.merge,
        replacements: &replacements,
        title_before: plan.title_before.as_ref(),
    };
    let mut out = render::copy(chapter.content, &replacements, &(0..plan.start)).into_owned();
    out.push_str(&render::design_doc(template, &fill, &authored, relations));
    Some(out)
}

/// Both steps for a chapter on its own (no other docs to link to; an index lists this
/// chapter's doc only).
pub fn expand_chapter(chapter: Chapter<'_>, cx: &Context<'_>) -> (Option<String>, Analysis) {
    let analysis = analyse(chapter, cx);
    let docs: Vec<DesignDoc> = analysis.doc.iter().cloned().collect();
    let content = render(chapter, &analysis, &Relations::default(), &docs, cx);
    (content, analysis)
}

/// Both steps for a chapter on its own, with the built-in templates and statuses and mdBook
/// 0.5's Markdown flavour: for tools that preview one chapter, and for tests.
pub fn expand_standalone(chapter: Chapter<'_>, mode: RenderMode) -> (Option<String>, Analysis) {
    let templates = Templates::built_in();
    let settings = Settings::default();
    let cx = Context {
        templates: &templates,
        settings: &settings,
        mode,
        options: crate::config::MarkdownFlavor::default().options(),
    };
    expand_chapter(chapter, &cx)
}

/// Replaces each range (sorted, not overlapping) of `text` with its replacement.
fn splice(text: &str, replacements: &[(Range<usize>, String)]) -> String {
    let extra: usize = replacements.iter().map(|(_, r)| r.len()).sum();
    let mut out = String::with_capacity(text.len() + extra);
    let mut at = 0;
    for (range, replacement) in replacements {
        out.push_str(&text[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Out {
        content: Option<String>,
        doc: Option<DesignDoc>,
        diagnostics: Vec<Diagnostic>,
    }

    fn expand(content: &str) -> Out {
        let (content, analysis) = expand_standalone(
            Chapter {
                name: "Payments",
                content,
                file: Some(Path::new("src/pay.md")),
                path: Some(Path::new("pay.md")),
            },
            RenderMode::Html,
        );
        Out {
            content,
            doc: analysis.doc,
            diagnostics: analysis.diagnostics,
        }
    }

    fn messages(e: &Out) -> Vec<String> {
        e.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn plain_chapters_are_untouched() {
        let e = expand("# Plain\n\nText with `<<#trd tdd>>` in code.\n");
        assert_eq!((e.content, e.doc, e.diagnostics), (None, None, vec![]));
    }

    #[test]
    fn expands_in_place_keeping_the_rest() {
        let before = "Intro line.\r\n\r\n";
        let after = "\n## Notes\n\nMine *exactly*.  \n";
        let content = format!("{before}<<#trd trd title=\"Retries\" author=Ada>>\n{after}");
        let e = expand(&content);
        assert!(e.diagnostics.is_empty(), "{:?}", messages(&e));
        let out = e.content.unwrap();
        assert!(
            out.starts_with(&format!("{before}# TRD: Retries\n")),
            "{out}"
        );
        // An unmatched section right after the directive stays under the title.
        assert!(
            out.contains("\n\n## Notes\n\nMine *exactly*.\n\n## 1. Overview\n"),
            "{out}"
        );
        assert!(out.contains("**Author**: Ada\\\n"));
        let doc = e.doc.unwrap();
        assert_eq!(
            (doc.template.as_str(), doc.title.as_str(), doc.line),
            ("trd", "Retries", 3)
        );
    }

    #[test]
    fn unknown_template_names_the_known_ones() {
        let e = expand("# X\n\n<<#trd tddd>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:3:8: error[unknown-template]: unknown template \"tddd\"; known: design, product-tdd, tdd, trd, trd-numbered\n  help: write one of the known names, e.g. `<<#trd tdd ...>>`"
            ]
        );
        assert_eq!(e.content, None);
    }

    #[test]
    fn unknown_attribute_suggests_the_right_one() {
        let e = expand("<<#trd tdd titel=\"x\">>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:1:12: error[unknown-attribute]: unknown attribute \"titel\"; known: title, number, status, author, date, updated, version, prd, rfc, adr, supersedes, superseded-by\n  help: did you mean `title`?"
            ]
        );
    }

    #[test]
    fn wrong_case_names_the_lowercase_spelling() {
        let e = expand("<<#trd TDD>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:1:8: error[directive-syntax]: invalid template name \"TDD\"\n  help: template names are lowercase: write `<<#trd tdd ...>>`"
            ]
        );
        let e = expand("<<#trd Index>>\n");
        assert!(
            messages(&e)[0].ends_with("write `<<#trd index ...>>`"),
            "{:?}",
            messages(&e)
        );
        let e = expand("<<#trd TDDD>>\n");
        assert!(messages(&e)[0].ends_with("help: did you mean `tdd`? template names are lowercase letters, digits, `-` and `_`"), "{:?}", messages(&e));
        let e = expand("<<#trd Ünknown>>\n");
        assert!(messages(&e)[0].ends_with("help: template names are lowercase letters, digits, `-` and `_`, e.g. `trd-numbered`"), "{:?}", messages(&e));
        let e = expand("<<#trd tdd Title=\"x\">>\n");
        assert!(
            messages(&e)[0].ends_with("help: attribute names are lowercase: write `title=`"),
            "{:?}",
            messages(&e)
        );
        let e = expand("<<#trd tdd Titel=\"x\">>\n");
        assert!(messages(&e)[0].ends_with("help: did you mean `title`?"));
        let e = expand("<<#trd idnex>>\n");
        assert!(
            messages(&e)[0].ends_with("e.g. `<<#trd index ...>>`"),
            "{:?}",
            messages(&e)
        );
    }

    #[test]
    fn misplaced_directives_are_reported_with_their_fix() {
        let e = expand("<<#trd tdd>>\n---\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:1:1: error[underlined-directive]: the `---` or `===` line under this directive makes it a heading, so it is not expanded\n  help: leave a blank line between the directive and the line under it"
            ]
        );
        assert_eq!(e.content, None);
        let e = expand("<<#trd tdd>>\n\n## Goals\n\nWe want:\n<<#trd index>>\n\n# <<#trd trd>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:6:1: warning[misplaced-directive]: this directive continues the paragraph, quote or list item on the line above, so it is not expanded\n  help: leave a blank line before the directive; to show it as text, write `\\<<#trd`",
                "src/pay.md:8:3: warning[misplaced-directive]: a directive in a heading is not expanded\n  help: write the directive as a paragraph of its own, without `#`; to show it as text, write `\\<<#trd`"
            ]
        );
        assert!(e.content.unwrap().contains("We want:\n<<#trd index>>\n"));
    }

    #[test]
    fn second_template_directive_names_both_lines() {
        let e = expand("<<#trd tdd>>\n\ntext\n\n<<#trd trd>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:5:8: error[second-template]: a second template directive in one chapter; the first is on line 1\n  help: a chapter holds one design doc: move this one to a chapter of its own"
            ]
        );
        assert_eq!(e.content, None);
    }

    #[test]
    fn syntax_errors_carry_help() {
        let e = expand("<<#trd tdd title=\"x>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:1:18: error[directive-syntax]: unterminated \" quote in the value of `title`\n  help: close the value with \"; write \\\" for a literal \""
            ]
        );
    }

    #[test]
    fn index_expands_in_place_even_inside_a_design_doc() {
        let e = expand(
            "<<#trd tdd title=\"Retries\" number=4>>\n\n## Goals\n\n<<#trd index columns=\"number,title\">>\n\nafter\n",
        );
        assert!(e.diagnostics.is_empty(), "{:?}", messages(&e));
        let out = e.content.unwrap();
        assert!(out.contains("## Goals\n\n**1 design doc:** <span"), "{out}");
        assert!(
            out.contains("|No.|Title|\n|---|-----|\n|4|[Retries](pay.md)|\n\nafter\n"),
            "{out}"
        );
    }

    #[test]
    fn bad_index_options_are_errors_at_the_option() {
        let e = expand("<<#trd index sort=size>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:1:14: error[index-option]: unknown sort \"size\"\n  help: sort by number, title, status, date or summary; put `-` first for descending, e.g. `sort=\"-date\"`"
            ]
        );
        assert_eq!(e.content, None);
    }

    #[test]
    fn typos_get_the_one_did_you_mean_whatever_they_name() {
        let helps = |content: &str| -> Vec<String> {
            expand(content)
                .diagnostics
                .into_iter()
                .map(|d| format!("{}: {}", d.rule, d.help.unwrap_or_default()))
                .collect()
        };
        assert_eq!(
            helps("<<#trd tdd status=Aproved>>\n")[0],
            "unknown-status: did you mean `Approved`? use a known status, or add it (or an alias) \
             under [preprocessor.trd.statuses] in book.toml"
        );
        assert_eq!(
            helps("<<#trd index sotr=title>>\n"),
            [
                "index-option: did you mean `sort`? an index takes: status, template, sort, group-by, columns"
            ]
        );
        // Case is ignored: `TDD` is `tdd` written in capitals.
        assert!(
            helps("<<#trd index template=TDD>>\n")[0]
                .starts_with("index-option: did you mean `tdd`? known: design,"),
            "{:?}",
            helps("<<#trd index template=TDD>>\n")
        );
        assert!(
            helps("<<#trd index status=\"in reveiw\">>\n")[0]
                .starts_with("index-option: did you mean `In Review`? known: Draft")
        );
        assert!(
            helps("<<#trd index sort=-titel>>\n")[0]
                .starts_with("index-option: did you mean `title`? sort by")
        );
        assert!(
            helps("<<#trd index group-by=Statu>>\n")[0]
                .starts_with("index-option: did you mean `status`? group by")
        );
        assert!(
            helps("<<#trd index columns=\"title,auther\">>\n")[0]
                .starts_with("index-option: did you mean `author`? known: number")
        );
        // Too far from every name: no guess.
        assert_eq!(
            helps("<<#trd index colour=red>>\n"),
            ["index-option: an index takes: status, template, sort, group-by, columns"]
        );
    }

    #[test]
    fn unknown_status_warns_with_the_known_ones() {
        let e = expand("<<#trd tdd status=Reviewing>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:1:12: warning[unknown-status]: unknown status \"Reviewing\"; known: Draft, In Review, Approved, In Progress, Implemented, Complete, Superseded, Deprecated, Rejected\n  help: use a known status, or add it (or an alias) under [preprocessor.trd.statuses] in book.toml"
            ]
        );
        let doc = e.doc.unwrap();
        assert_eq!(
            (doc.status.as_str(), doc.status_known),
            ("Reviewing", false)
        );
        assert!(e.content.unwrap().contains(">Reviewing</span>"));
    }

    #[test]
    fn aliases_show_the_lifecycle_name() {
        let e = expand("<<#trd design status=\"under review\">>\n");
        assert_eq!(e.doc.unwrap().status, "In Review");
        assert!(
            e.content
                .unwrap()
                .contains("**Status:** <span class=\"trd-badge\"")
        );
    }

    #[test]
    fn values_cannot_inject_markup() {
        let e = expand(
            "<<#trd trd title=\"<script>alert(1)</script>\" author='\"><img src=x onerror=alert(1)>'>>\n",
        );
        let out = e.content.unwrap();
        assert!(
            out.contains("# TRD: \\<script>alert(1)\\</script>\n"),
            "{out}"
        );
        assert!(
            out.contains("**Author**: \">\\<img src=x onerror=alert(1)>\\\n"),
            "{out}"
        );
    }
}
