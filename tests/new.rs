//! `mdbook-trd new`: where the entry goes in `SUMMARY.md` (checked by reading the result with
//! mdBook's own summary parser), which number the doc gets, and long titles.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use mdbook_summary::{Summary, SummaryItem, parse_summary};
use mdbook_trd::commands::new::chapter::SLUG_MAX;
use mdbook_trd::commands::new::number::next_after;
use mdbook_trd::commands::new::summary::add_to_summary;
use proptest::prelude::*;

const NEW: &str = "designs/new-doc.md";

/// Removes the chapter at `location` from `items`, at any depth: the name of its parent chapter
/// (`None` at the top) and whether no chapter follows it among its siblings.
fn take(
    items: &mut Vec<SummaryItem>,
    location: &Path,
    parent: Option<&str>,
) -> Option<(Option<String>, bool)> {
    for i in 0..items.len() {
        if let SummaryItem::Link(link) = &items[i]
            && link.location.as_deref() == Some(location)
        {
            let last = !items[i + 1..]
                .iter()
                .any(|s| matches!(s, SummaryItem::Link(_)));
            items.remove(i);
            return Some((parent.map(str::to_owned), last));
        }
        if let SummaryItem::Link(link) = &mut items[i] {
            let name = link.name.clone();
            if let Some(found) = take(&mut link.nested_items, location, Some(&name)) {
                return Some(found);
            }
        }
    }
    None
}

fn chapters(s: &Summary) -> [&Vec<SummaryItem>; 3] {
    [&s.prefix_chapters, &s.numbered_chapters, &s.suffix_chapters]
}

/// The text `after` adds to `before`, if `after` is `before` with one run of bytes inserted
/// that ends with `tail` (an insertion next to equal bytes can be cut in several places).
fn inserted<'a>(before: &str, after: &'a str, tail: &str) -> Option<&'a str> {
    let extra = after.len().checked_sub(before.len())?;
    let common = before
        .bytes()
        .zip(after.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    (0..=common)
        .rev()
        .filter(|&k| after.get(k + extra..) == before.get(k..))
        .filter_map(|k| after.get(k..k + extra))
        .find(|added| added.ends_with(tail))
}

/// Adds the new chapter and checks with mdBook's parser: it is the last chapter of the list (or
/// of `parent`'s sub-chapters), the rest reads as before, and only the entry's line (and a
/// blank line, for a loose list) was added. Returns the added text.
fn place(before: &str, parent: Option<&str>) -> String {
    let after = add_to_summary(before, "New doc", NEW, parent)
        .unwrap_or_else(|e| panic!("{e}\n--- summary:\n{before}"));
    let old = parse_summary(before).unwrap();
    let mut new = parse_summary(&after).unwrap_or_else(|e| panic!("{e:#}\n{after}"));
    let placed = take(&mut new.numbered_chapters, Path::new(NEW), None);
    let parent_name = parent.map(|p| {
        // The name as the SUMMARY writes it (the argument's case may differ).
        let mut found = None;
        find_name(&old.numbered_chapters, p, &mut found);
        found.unwrap_or_else(|| panic!("no {p:?} in the summary"))
    });
    assert_eq!(
        placed,
        Some((parent_name, true)),
        "misplaced:\n{after}\n--- was:\n{before}"
    );
    assert_eq!(chapters(&new), chapters(&old), "changed:\n{after}");
    assert_eq!(new.title, old.title);
    let newline = if before.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let entry = format!("[New doc]({NEW}){newline}");
    let added = inserted(before, &after, &entry).unwrap_or_else(|| panic!("rewrote:\n{after}"));
    assert_eq!(
        added.trim_start_matches(newline).matches('\n').count(),
        1,
        "{added:?}"
    );
    added.to_owned()
}

fn find_name(items: &[SummaryItem], name: &str, found: &mut Option<String>) {
    for item in items {
        if let SummaryItem::Link(link) = item {
            if link.name.eq_ignore_ascii_case(name) && found.is_none() {
                *found = Some(link.name.clone());
            }
            find_name(&link.nested_items, name, found);
        }
    }
}

#[test]
fn never_inside_an_html_comment() {
    let s = "# Summary\n\n- [A](a.md)\n- [B](b.md)\n<!-- - [Old](old.md) -->\n";
    assert_eq!(place(s, None), "- [New doc](designs/new-doc.md)\n");
    let s = "# Summary\n\n- [A](a.md)\n\n<!--\n- [Old](old.md)\n- [Older](older.md)\n-->\n";
    let after = add_to_summary(s, "New doc", NEW, None).unwrap();
    assert!(
        after.starts_with("# Summary\n\n- [A](a.md)\n- [New doc]"),
        "{after}"
    );
    place(s, None);
    // A comment inside the last item stays there, and closed.
    let s = "- [A](a.md)\n  <!-- - [Old](old.md) -->\n";
    place(s, None);
    // A comment left open runs to the end of its container: the entry goes before it, or
    // after the item holding it, and mdBook reads it.
    place("- [A](a.md)\n  <!-- - [Old](old.md)\n", None);
    place("- [A](a.md)\n<!--\n- [Old](old.md)\n", None);
}

#[test]
fn numbered_lists_are_lists() {
    // The bullet list of the first part must not get the entry: the numbered one is last.
    let s = "# Summary\n\n# Guides\n\n- [A](a.md)\n\n# Designs\n\n1. [B](b.md)\n2. [C](c.md)\n";
    assert_eq!(place(s, None), "3. [New doc](designs/new-doc.md)\n");
    let s = "1) [A](a.md)\n9) [B](b.md)\n";
    assert_eq!(place(s, None), "10) [New doc](designs/new-doc.md)\n");
    let s = "1. [A](a.md)\n1. [B](b.md)\n";
    assert_eq!(place(s, None), "1. [New doc](designs/new-doc.md)\n");
    let s = "- [A](a.md)\n   1. [B](b.md)\n   2. [C](c.md)\n";
    assert_eq!(place(s, Some("A")), "   3. [New doc](designs/new-doc.md)\n");
}

#[test]
fn nested_lists_and_parents() {
    let s = "- [A](a.md)\n  * [B](b.md)\n    + [C](c.md)\n- [D](d.md)\n";
    assert_eq!(place(s, None), "- [New doc](designs/new-doc.md)\n");
    assert_eq!(place(s, Some("a")), "  * [New doc](designs/new-doc.md)\n");
    assert_eq!(place(s, Some("B")), "    + [New doc](designs/new-doc.md)\n");
    // A new sub-list is indented the way the book indents its sub-lists.
    assert_eq!(place(s, Some("D")), "  - [New doc](designs/new-doc.md)\n");
    assert_eq!(
        place(s, Some("C")),
        "      + [New doc](designs/new-doc.md)\n"
    );
    // No sub-list anywhere: four spaces, mdBook's own style; far enough for `10.`.
    let s = "- [A](a.md)\n- [B](b.md)\n";
    assert_eq!(place(s, Some("A")), "    - [New doc](designs/new-doc.md)\n");
    let s = "9. [A](a.md)\n10. [B](b.md)\n";
    assert_eq!(
        place(s, Some("B")),
        "    1. [New doc](designs/new-doc.md)\n"
    );
    let s = "- [A](a.md)\n- [B](b.md)\n\n[Suffix](s.md)\n";
    let e = add_to_summary(s, "X", "x.md", Some("Suffix")).unwrap_err();
    assert!(e.contains("is a prefix or suffix chapter"), "{e}");
    let e = add_to_summary(s, "X", "x.md", Some("Nope")).unwrap_err();
    assert!(e.contains("no chapter named \"Nope\""), "{e}");
    assert!(e.contains("\"A\", \"B\""), "{e}");
    let s = "- [A](a.md)\n    - [Api](x/api.md)\n- [B](b.md)\n    - [API](y/api.md)\n";
    let e = add_to_summary(s, "X", "x.md", Some("api")).unwrap_err();
    assert!(
        e.contains("2 chapters are named \"api\" (lines 2, 4)"),
        "{e}"
    );
}

#[test]
fn parts_separators_and_suffix_chapters() {
    let s = "# Summary\n\n[Intro](intro.md)\n\n# Part one\n\n- [A](a.md)\n\n---\n\n# Part two\n\n- [B](b.md)\n    - [C](c.md)\n\n---\n\n[Appendix](appendix.md)\n[Glossary](glossary.md)\n";
    let after = add_to_summary(s, "New doc", NEW, None).unwrap();
    assert!(
        after.contains("- [B](b.md)\n    - [C](c.md)\n- [New doc](designs/new-doc.md)\n\n---\n"),
        "{after}"
    );
    place(s, None);
    place(s, Some("c"));
    place(s, Some("A"));
    // A part title with no chapters yet after the last list.
    place("- [A](a.md)\n\n# Later\n", None);
    // No list at all: a new one at the end.
    assert_eq!(
        place("# Summary\n\n[Intro](intro.md)\n", None),
        "\n- [New doc](designs/new-doc.md)\n"
    );
    place("", None);
}

#[test]
fn loose_lists_and_crlf_files() {
    let s = "* [A](a.md)\n\n* [B](b.md)\n\n[Suffix](s.md)\n";
    assert_eq!(place(s, None), "\n* [New doc](designs/new-doc.md)\n");
    let s = "# Summary\r\n\r\n- [A](a.md)\r\n    - [B](b.md)\r\n<!-- - [C](c.md) -->\r\n\r\n[S](s.md)\r\n";
    assert_eq!(place(s, None), "- [New doc](designs/new-doc.md)\r\n");
    assert_eq!(
        place(s, Some("A")),
        "    - [New doc](designs/new-doc.md)\r\n"
    );
    // The last line without a line break.
    let s = "- [A](a.md)\r\n- [B](b.md)";
    assert_eq!(place(s, None), "\r\n- [New doc](designs/new-doc.md)\r\n");
}

#[test]
fn titles_are_escaped_and_odd_links_refused() {
    let s = "- [A](a.md)\n";
    let after = add_to_summary(s, "Retry [v2] *now*", "r.md", None).unwrap();
    let parsed = parse_summary(&after).unwrap();
    let SummaryItem::Link(link) = &parsed.numbered_chapters[1] else {
        panic!("{after}");
    };
    assert_eq!(link.name, "Retry [v2] *now*");
    // A link mdBook would read otherwise is refused, and nothing is returned to write.
    let e = add_to_summary(s, "X", "odd)name.md", None).unwrap_err();
    assert!(e.contains("nothing was written"), "{e}");
}

// ---- The class: generated summaries of every shape mdBook reads. ----

#[derive(Debug, Clone)]
enum Marker {
    Bullet(char),
    Ordered { delimiter: char, repeat: bool },
}

#[derive(Debug, Clone)]
struct Node {
    children: Vec<Node>,
    /// An indented HTML comment right after the item's line (inside the item).
    comment_inside: bool,
}

#[derive(Debug, Clone)]
struct ListModel {
    marker: Marker,
    loose: bool,
    items: Vec<Node>,
    /// 0: none, 1: a comment line right after the list, 2: after a blank line, 3: multi-line.
    comment_after: u8,
}

#[derive(Debug, Clone)]
struct Part {
    title: bool,
    lists: Vec<ListModel>,
}

#[derive(Debug, Clone)]
struct Model {
    title: bool,
    prefix: usize,
    parts: Vec<Part>,
    trailing_rule: bool,
    suffix: usize,
    /// Extra indentation of sub-lists past the parent's text: 0 to 2 spaces.
    extra: usize,
    crlf: bool,
}

fn node(depth: u32) -> BoxedStrategy<Node> {
    let leaf = any::<bool>().prop_map(|c| Node {
        children: Vec::new(),
        comment_inside: c,
    });
    if depth == 0 {
        return leaf.boxed();
    }
    (prop::collection::vec(node(depth - 1), 0..3), any::<bool>())
        .prop_map(|(children, c)| Node {
            children,
            comment_inside: c,
        })
        .boxed()
}

fn marker() -> impl Strategy<Value = Marker> {
    prop_oneof![
        prop_oneof![Just('-'), Just('*'), Just('+')].prop_map(Marker::Bullet),
        (prop_oneof![Just('.'), Just(')')], any::<bool>())
            .prop_map(|(delimiter, repeat)| Marker::Ordered { delimiter, repeat }),
    ]
}

fn model() -> impl Strategy<Value = Model> {
    let list = (
        marker(),
        any::<bool>(),
        prop::collection::vec(node(2), 1..4),
        0u8..4,
    )
        .prop_map(|(marker, loose, items, comment_after)| ListModel {
            marker,
            loose,
            items,
            comment_after,
        });
    let part = (any::<bool>(), prop::collection::vec(list, 1..3))
        .prop_map(|(title, lists)| Part { title, lists });
    (
        any::<bool>(),
        0usize..3,
        prop::collection::vec(part, 1..3),
        any::<bool>(),
        0usize..3,
        0usize..3,
        any::<bool>(),
    )
        .prop_map(
            |(title, prefix, parts, trailing_rule, suffix, extra, crlf)| Model {
                title,
                prefix,
                parts,
                trailing_rule,
                suffix,
                extra,
                crlf,
            },
        )
}

/// Writes the model as a SUMMARY.md; returns it and the names of its list chapters.
fn render(m: &Model) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut names = Vec::new();
    if m.title {
        out.push_str("# Summary\n\n");
    }
    for i in 0..m.prefix {
        out.push_str(&format!("[Prefix {i}](prefix-{i}.md)\n\n"));
    }
    let mut ghosts = 0;
    for (p, part) in m.parts.iter().enumerate() {
        if part.title {
            out.push_str(&format!("# Part {p}\n\n"));
        }
        for (l, list) in part.lists.iter().enumerate() {
            if l > 0 {
                out.push_str("---\n\n");
            }
            render_list(&mut out, &mut names, &mut ghosts, list, "", m.extra);
            match list.comment_after {
                1 => out.push_str(&format!("<!-- - [Ghost {ghosts}](ghost-{ghosts}.md) -->\n")),
                2 => out.push_str(&format!(
                    "\n<!-- - [Ghost {ghosts}](ghost-{ghosts}.md) -->\n"
                )),
                3 => out.push_str(&format!(
                    "<!--\n- [Ghost {ghosts}](ghost-{ghosts}.md)\n-->\n"
                )),
                _ => {}
            }
            ghosts += 1;
            out.push('\n');
        }
    }
    if m.trailing_rule {
        out.push_str("---\n\n");
    }
    for i in 0..m.suffix {
        out.push_str(&format!("[Suffix {i}](suffix-{i}.md)\n\n"));
    }
    if m.crlf {
        out = out.replace('\n', "\r\n");
    }
    (out, names)
}

fn render_list(
    out: &mut String,
    names: &mut Vec<String>,
    ghosts: &mut usize,
    list: &ListModel,
    lead: &str,
    extra: usize,
) {
    for (n, item) in list.items.iter().enumerate() {
        let marker = match list.marker {
            Marker::Bullet(c) => c.to_string(),
            Marker::Ordered { delimiter, repeat } => {
                format!("{}{delimiter}", if repeat { 1 } else { n + 1 })
            }
        };
        if list.loose && n > 0 {
            out.push('\n');
        }
        let id = names.len();
        names.push(format!("Chapter {id}"));
        out.push_str(&format!("{lead}{marker} [Chapter {id}](chapter-{id}.md)\n"));
        let inner = format!("{lead}{}", " ".repeat(marker.len() + 1));
        if item.comment_inside {
            out.push_str(&format!(
                "{inner}<!-- - [Ghost {ghosts}](ghost-{ghosts}.md) -->\n"
            ));
            *ghosts += 1;
        }
        if !item.children.is_empty() {
            let child = ListModel {
                marker: list.marker.clone(),
                loose: false,
                items: item.children.clone(),
                comment_after: 0,
            };
            let child_lead = format!("{inner}{}", " ".repeat(extra));
            render_list(out, names, ghosts, &child, &child_lead, extra);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever the summary's shape, the entry lands last in the last list (or last under the
    /// parent), mdBook reads everything else as before, and no other byte changes.
    #[test]
    fn the_entry_lands_where_meant(m in model(), pick in any::<prop::sample::Index>(), nest in any::<bool>()) {
        let (summary, names) = render(&m);
        prop_assert!(parse_summary(&summary).is_ok(), "{}", summary);
        let parent = nest.then(|| names[pick.index(names.len())].clone());
        place(&summary, parent.as_deref());
    }

    /// The next number is above every number given, in the style of the highest, and never one
    /// already used; lengths past any machine integer included.
    #[test]
    fn next_number_is_above_all(
        values in prop::collection::vec(
            (prop_oneof![Just(""), Just("TRD-"), Just("ADR "), Just("2024-")], "[0-9]{1,38}", prop_oneof![Just(""), Just("a")]),
            0..8,
        )
    ) {
        let written: Vec<String> = values.iter().map(|(p, d, s)| format!("{p}{d}{s}")).collect();
        let next = next_after(written.iter().map(String::as_str));
        prop_assert!(!written.contains(&next));
        let Some(highest) = values.iter().map(|(_, d, _)| d.parse::<u128>().unwrap()).max() else {
            prop_assert_eq!(next, "1");
            return Ok(());
        };
        // The style of the last of the highest ones.
        let (prefix, digits, _) = values
            .iter()
            .rev()
            .find(|(_, d, _)| d.parse::<u128>().unwrap() == highest)
            .unwrap();
        let number = next.strip_prefix(prefix).unwrap_or_else(|| panic!("{next} lost {prefix}"));
        prop_assert_eq!(number.parse::<u128>().ok(), highest.checked_add(1));
        let plain = (highest + 1).to_string();
        prop_assert_eq!(number.len(), digits.len().max(plain.len()));
    }
}

#[test]
fn a_26_digit_number_counts() {
    assert_eq!(
        next_after(["TRD-99999999999999999999999999", "TRD-5"]),
        "TRD-100000000000000000000000000"
    );
}

// ---- The command. ----

fn book(chapters: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"T\"\n\n[preprocessor.trd]\n",
    )
    .unwrap();
    let mut summary = String::from("# Summary\n\n");
    for (i, (file, text)) in chapters.iter().enumerate() {
        summary.push_str(&format!("- [Chapter {i}]({file})\n"));
        std::fs::write(root.join("src").join(file), text).unwrap();
    }
    std::fs::write(root.join("src/SUMMARY.md"), summary).unwrap();
    dir
}

fn new(root: &Path, title: &str, more: &[&str]) -> Output {
    let book = root.to_str().unwrap();
    let mut args = vec!["new", "trd-numbered", title, "--book", book];
    args.extend(more);
    common::run_trd(&args, root)
}

fn number_of(root: &Path, file: &str) -> String {
    let text = common::read(&root.join("src").join(file));
    let start = text.find("number=\"").unwrap() + "number=\"".len();
    text[start..start + text[start..].find('"').unwrap()].to_owned()
}

#[test]
fn numbers_keep_the_books_style_and_count_broken_directives() {
    let dir = book(&[
        (
            "a.md",
            "<<#trd trd-numbered title=\"A\" number=\"TRD-012\">>\n",
        ),
        // Errors: an unknown status, a misspelt template, a broken directive.
        (
            "b.md",
            "<<#trd trd-numbered title=\"B\" number=\"TRD-014\" status=\"Bogus\">>\n",
        ),
        ("c.md", "<<#trd tddd title=\"C\" number=\"TRD-015\">>\n"),
        (
            "d.md",
            "<<#trd trd-numbered title=\"D\" number=\"TRD-016\" number=\"x\">>\n",
        ),
        (
            "e.md",
            "<<#trd trd-numbered number=\"TRD-017\" title=\"E>>\n\ntext\n",
        ),
    ]);
    let out = new(dir.path(), "Next", &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(number_of(dir.path(), "next.md"), "TRD-018");

    let dir = book(&[
        ("a.md", "<<#trd design title=\"A\" number=\"007\">>\n"),
        ("b.md", "<<#trd design title=\"B\" number=\"3\">>\n"),
    ]);
    assert!(new(dir.path(), "Next", &[]).status.success());
    assert_eq!(number_of(dir.path(), "next.md"), "008");

    let big = "12345678901234567890123456";
    let dir = book(&[(
        "a.md",
        &format!("<<#trd design title=\"A\" number=\"{big}\">>\n"),
    )]);
    assert!(new(dir.path(), "Next", &[]).status.success());
    assert_eq!(
        number_of(dir.path(), "next.md"),
        "12345678901234567890123457"
    );
}

#[test]
fn a_long_title_gets_a_short_file_name_and_errors_name_the_path() {
    let dir = book(&[("a.md", "# A\n")]);
    let title = "Retry ".repeat(50);
    let title = title.trim();
    let out = new(dir.path(), title, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let slug = "retry-".repeat(SLUG_MAX / 6);
    let file = format!("{}.md", slug.trim_end_matches('-'));
    assert!(file.len() <= SLUG_MAX + 3);
    let text = common::read(&dir.path().join("src").join(&file));
    assert!(text.contains(&format!("title=\"{title}\"")));
    let summary = common::read(&dir.path().join("src/SUMMARY.md"));
    assert!(
        summary.ends_with(&format!("- [{title}]({file})\n")),
        "{summary}"
    );

    // A folder name the file system refuses: the message says which path.
    let long_dir = "d".repeat(300);
    let out = new(dir.path(), "Other", &["--dir", &long_dir]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected: PathBuf = dir.path().join("src").join(&long_dir);
    assert!(
        stderr.contains(&format!("{}: ", expected.display())),
        "{stderr}"
    );
    assert_eq!(common::read(&dir.path().join("src/SUMMARY.md")), summary);
}

/// Review: `new --dir a/./b` printed `./src/a/./b/z.md`. The folder is read without its `.`
/// parts, in the message, on disk and in SUMMARY.md.
#[test]
fn a_dir_with_dot_parts_is_written_and_shown_plain() {
    let dir = book(&[("a.md", "# A\n")]);
    let out = common::run_trd(&["new", "tdd", "Z", "--dir", "./a/./b/."], dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "created src/a/b/z.md (tdd #1) and added it to src/SUMMARY.md\n"
    );
    assert!(dir.path().join("src/a/b/z.md").is_file());
    let summary = common::read(&dir.path().join("src/SUMMARY.md"));
    assert!(summary.ends_with("- [Z](a/b/z.md)\n"), "{summary}");
}
