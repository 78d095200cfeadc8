//! Writing one chapter once the whole book is known: the design doc from its plan (see
//! [`chapter::analyse`](super::chapter::analyse)) and every index table, spliced in by byte range so the
//! rest of the chapter stays as written.

use std::ops::Range;

use crate::markdown::flavor::MarkdownFlavor;
use crate::model::doc::{DesignDoc, Relations};
use crate::model::settings::Settings;
use crate::model::template::Templates;
use crate::render::index;
use crate::render::mode::RenderMode;
use crate::render::page::{self, Fill};

use super::chapter::{Analysis, Chapter, Context, analyse};

/// Step two: writes a chapter once the whole book is known: index tables, and the design doc
/// from its plan. `None` when the chapter has nothing to change.
pub fn render(
    chapter: Chapter<'_>,
    analysis: &Analysis,
    relations: &Relations,
    docs: &[DesignDoc],
    cx: &Context<'_>,
) -> Option<String> {
    let mut out = String::new();
    let step = Step {
        analysis,
        doc: analysis.doc.as_ref(),
        relations,
        docs,
    };
    render_onto(chapter, step, cx, &mut out).then_some(out)
}

/// What [`render_onto`] writes a chapter from.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The chapter's analysis.
    pub analysis: &'a Analysis,
    /// Its design doc (the analysis's own, or where the book keeps it: see
    /// [`BookAnalysis::chapters`](super::book::BookAnalysis::chapters)).
    pub doc: Option<&'a DesignDoc>,
    /// How the doc links to others.
    pub relations: &'a Relations,
    /// Every doc of the book, for index tables.
    pub docs: &'a [DesignDoc],
}

/// [`render`] onto `out` (empty, and of any capacity: one string can serve chapter after
/// chapter): returns false, leaving `out` empty, when the chapter has nothing to change.
pub fn render_onto(
    chapter: Chapter<'_>,
    step: Step<'_>,
    cx: &Context<'_>,
    out: &mut String,
) -> bool {
    let Step {
        analysis,
        doc,
        relations,
        docs,
    } = step;
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
    let (Some(plan), Some(doc)) = (&analysis.plan, doc) else {
        if replacements.is_empty() {
            return false;
        }
        splice(chapter.content, &replacements, out);
        return true;
    };
    let Some(template) = cx.templates.get(&plan.template) else {
        return false;
    };
    let color = cx.settings.lifecycle.resolve(&doc.status).map(|s| s.color);
    let fill = Fill {
        metadata: &plan.metadata,
        chapter_name: chapter.name,
        mode: cx.mode,
        status: &doc.status,
        status_color: color,
        unwritten: cx.settings.unwritten_for(&doc.status),
        references: &relations.references,
        // Set from the merge by `design_doc`.
        completeness: None,
    };
    let authored = page::Authored {
        content: chapter.content,
        sections: &plan.authored,
        merge: &plan.merge,
        replacements: &replacements,
        title_before: plan.title_before.as_ref(),
    };
    let before = page::copy(chapter.content, &replacements, &(0..plan.start));
    out.reserve(
        page::expanded_size(template, chapter.content)
            // What index tables add before the doc.
            + before.len().saturating_sub(plan.start),
    );
    out.push_str(&before);
    page::design_doc_onto(template, &fill, &authored, relations, out);
    true
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
        options: MarkdownFlavor::default().options(),
        notes: true,
    };
    expand_chapter(chapter, &cx)
}

/// Writes `text` onto `out` with each range (sorted, not overlapping) replaced.
fn splice(text: &str, replacements: &[(Range<usize>, String)], out: &mut String) {
    let extra: usize = replacements.iter().map(|(_, r)| r.len()).sum();
    out.reserve(text.len() + extra);
    let mut at = 0;
    for (range, replacement) in replacements {
        out.push_str(&text[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::chapter::*;
    use crate::report::diagnostic::Diagnostic;
    use std::path::Path;

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
        assert!(out.contains("| **Author** | Ada |\n"), "{out}");
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
        let e = expand("<<#trd tdd>>\n\n### Goals\n\nWe want:\n<<#trd index>>\n\n# <<#trd trd>>\n");
        assert_eq!(
            messages(&e),
            [
                "src/pay.md:6:1: warning[misplaced-directive]: this directive continues the paragraph, quote or list item on the line above, so it is not expanded\n  help: leave a blank line before the directive; to show it as text, write `\\<<#trd`",
                "src/pay.md:8:3: warning[misplaced-directive]: a directive in a heading is not expanded\n  help: write the directive as a paragraph of its own, without `#`; to show it as text, write `\\<<#trd`",
                // The page has one title: that H1 is shown as an H2.
                "src/pay.md:8:1: note[moved-heading]: heading \"# <<#trd trd>>\" is shown as \"## <<#trd trd>>\": the page has one title\n  help: write it as \"## <<#trd trd>>\" to have the chapter read as the page does"
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
            "<<#trd tdd title=\"Retries\" number=4>>\n\n### Goals\n\n<<#trd index columns=\"number,title\">>\n\nafter\n",
        );
        assert!(e.diagnostics.is_empty(), "{:?}", messages(&e));
        let out = e.content.unwrap();
        assert!(
            out.contains("### Goals\n\n**1 design doc:** <span"),
            "{out}"
        );
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
                "src/pay.md:1:14: error[index-option]: unknown sort \"size\"\n  help: sort by number, title, status, date or summary (SUMMARY.md order: the book's own order, the default); put `-` first for descending, e.g. `sort=\"-date\"`"
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
        // An alias is as good as a name, so a misspelt alias finds it.
        assert_eq!(
            helps("<<#trd tdd status=\"Complted\">>\n")[0],
            "unknown-status: did you mean `Completed`? use a known status, or add it (or an \
             alias) under [preprocessor.trd.statuses] in book.toml"
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
                .contains("| **Status** | <span class=\"trd-badge\"")
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
            out.contains("| **Author** | \">\\<img src=x onerror=alert(1)> |\n"),
            "{out}"
        );
    }
}
