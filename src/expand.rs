//! Expanding one chapter: directives in, Markdown out, everything else byte-for-byte.
//!
//! Pure: a chapter's text and the run's templates go in, the new text, the design doc it
//! declares and the diagnostics come out. Replacements are gathered as `(byte range, text)`
//! pairs and spliced in one pass, so the bytes between directives are copied untouched.

use std::path::Path;

use pulldown_cmark::Options;

use crate::diagnostic::{Diagnostic, Position, list};
use crate::directive::{self, Directive};
use crate::doc::{DesignDoc, Field, Metadata};
use crate::render::{self, Fill, RenderMode};
use crate::template::Templates;

/// The name of the index directive.
pub const INDEX: &str = "index";

/// What stays the same for every chapter of a run.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The run's templates.
    pub templates: &'a Templates,
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
}

/// The result of expanding one chapter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The new content, or `None` when the chapter is unchanged (or has errors).
    pub content: Option<String>,
    /// The design doc the chapter declares, if it has a template directive.
    pub doc: Option<DesignDoc>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Expansion {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Expands every directive of one chapter.
pub fn expand_chapter(chapter: Chapter<'_>, cx: &Context<'_>) -> Expansion {
    let mut out = Expansion::default();
    let scan = directive::scan(chapter.content, cx.options);
    if scan.directives.is_empty() && scan.errors.is_empty() && scan.nested.is_empty() {
        return out;
    }
    let report = |d: Diagnostic, offset: usize| d.in_file(chapter.file).at(chapter.content, offset);

    for e in &scan.errors {
        out.diagnostics
            .push(report(Diagnostic::error(e.kind.to_string()), e.offset).with_help(e.kind.help()));
    }
    for n in &scan.nested {
        out.diagnostics.push(
            report(
                Diagnostic::warning(
                    "a directive inside a list, block quote or footnote is not expanded",
                ),
                n.offset,
            )
            .with_help("move it to a paragraph of its own at the top level of the chapter"),
        );
    }

    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut first_template: Option<&Directive> = None;
    for d in &scan.directives {
        if d.name == INDEX {
            out.diagnostics.push(
                report(
                    Diagnostic::warning(
                        "the approval index `<<#trd index>>` is not available in this version yet; \
                         it is left as written",
                    ),
                    d.name_offset,
                )
                .with_help("remove the directive, or keep it for a later version of mdbook-trd"),
            );
            continue;
        }
        let Some(template) = cx.templates.get(&d.name) else {
            out.diagnostics.push(
                report(
                    Diagnostic::error(format!(
                        "unknown template {:?}; known: {}",
                        d.name,
                        list(cx.templates.names())
                    )),
                    d.name_offset,
                )
                .with_help(format!(
                    "write one of the known names, e.g. `<<#trd {} ...>>`",
                    closest(&d.name, cx.templates.names()).unwrap_or("tdd")
                )),
            );
            continue;
        };
        if let Some(first) = first_template {
            let line = Position::of_offset(chapter.content, first.name_offset).line;
            out.diagnostics.push(
                report(
                    Diagnostic::error(format!(
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
                        Diagnostic::error(format!(
                            "unknown attribute {:?}; known: {}",
                            e.key,
                            Field::known_keys()
                        )),
                        e.offset,
                    )
                    .with_help(
                        match closest(&e.key, Field::ALL.map(Field::key)) {
                            Some(k) => format!("did you mean `{k}`?"),
                            None => "remove it, or use one of the known attributes".into(),
                        },
                    ),
                );
                continue;
            }
        };
        let fill = Fill {
            metadata: &metadata,
            chapter_name: chapter.name,
            mode: cx.mode,
        };
        let mut skeleton = render::skeleton(template, &fill);
        // A blank line after the skeleton, so that a table or list at its end never swallows
        // the author's next line.
        let trimmed = skeleton.trim_end().len();
        skeleton.truncate(trimmed);
        skeleton.push_str(if d.span.end < chapter.content.len() {
            "\n\n"
        } else {
            "\n"
        });
        out.doc = Some(DesignDoc {
            template: template.name().to_owned(),
            title: fill.title().to_owned(),
            metadata: metadata.clone(),
            source_path: None,
            line: Position::of_offset(chapter.content, d.span.start).line,
        });
        replacements.push((d.span.clone(), skeleton));
    }

    if !out.has_errors() && !replacements.is_empty() {
        out.content = Some(splice(chapter.content, &replacements));
    }
    out
}

/// Replaces each range (sorted, not overlapping) of `text` with its replacement.
fn splice(text: &str, replacements: &[(std::ops::Range<usize>, String)]) -> String {
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

/// The known name closest to `wrong`, when it is close enough to be a typo.
fn closest<'a>(wrong: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(wrong, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MarkdownFlavor;

    fn expand(content: &str) -> Expansion {
        let templates = Templates::built_in();
        let cx = Context {
            templates: &templates,
            mode: RenderMode::Html,
            options: MarkdownFlavor::default().options(),
        };
        expand_chapter(
            Chapter {
                name: "Payments",
                content,
                file: Some(Path::new("src/pay.md")),
            },
            &cx,
        )
    }

    fn messages(e: &Expansion) -> Vec<String> {
        e.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn plain_chapters_are_untouched() {
        let e = expand("# Plain\n\nText with `<<#trd tdd>>` in code.\n");
        assert_eq!(e, Expansion::default());
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
        assert!(out.ends_with(&format!("\n\n{after}")), "{out}");
        assert!(out.contains("**Author**: Ada\n"));
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
                "src/pay.md:3:8: error: unknown template \"tddd\"; known: design, product-tdd, tdd, trd, trd-numbered\n  help: write one of the known names, e.g. `<<#trd tdd ...>>`"
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
                "src/pay.md:1:12: error: unknown attribute \"titel\"; known: title, number, status, author, date, updated, version, prd, rfc, adr, supersedes, superseded-by\n  help: did you mean `title`?"
            ]
        );
    }

    #[test]
    fn second_template_directive_names_both_lines() {
        let e = expand("<<#trd tdd>>\n\ntext\n\n<<#trd trd>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:5:8: error: a second template directive in one chapter; the first is on line 1\n  help: a chapter holds one design doc: move this one to a chapter of its own"
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
                "src/pay.md:1:18: error: unterminated \" quote in the value of `title`\n  help: close the value with \"; write \\\" for a literal \""
            ]
        );
    }

    #[test]
    fn index_is_reserved_not_unknown() {
        let e = expand("<<#trd index>>\n");
        assert_eq!(e.content, None);
        assert_eq!(e.diagnostics.len(), 1);
        assert!(!e.has_errors());
        assert!(e.diagnostics[0].message.contains("not available"));
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
            out.contains("**Author**: \">\\<img src=x onerror=alert(1)>\n"),
            "{out}"
        );
    }

    #[test]
    fn typo_distance() {
        assert_eq!(closest("tddd", ["tdd", "trd", "design"]), Some("tdd"));
        assert_eq!(closest("zzzzzz", ["tdd", "trd"]), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
