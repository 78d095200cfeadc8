//! The approval index, built by the real mdBook: links that resolve from any depth, approvals
//! in both forms, filters, sorting, grouping, columns, hostile titles, and the strict checks.

mod common;

use std::path::{Component, Path, PathBuf};

use common::{Mdbook, build, trd};

/// The `href`s of every link in the HTML tables of a page.
fn table_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for table in html.split("<table>").skip(1) {
        let table = table.split("</table>").next().unwrap_or_default();
        for part in table.split("<a href=\"").skip(1) {
            links.push(part.split('"').next().unwrap_or_default().to_owned());
        }
    }
    links
}

/// `base` (a folder) joined with a relative link, `..` resolved.
fn resolve(base: &Path, href: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in base
        .join(href.split('#').next().unwrap_or_default())
        .components()
    {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The Markdown of the section under `heading` (up to the next `## `).
fn section<'a>(markdown: &'a str, heading: &str) -> &'a str {
    let start = markdown
        .find(heading)
        .unwrap_or_else(|| panic!("{heading} in:\n{markdown}"));
    let rest = &markdown[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

#[test]
fn every_title_link_resolves_from_any_depth() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/index", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        for page in ["index.html", "reports/deep/index-page.html"] {
            let html = built.html_page(page);
            let links = table_links(&html);
            assert!(links.len() >= 3, "{mdbook:?} {page}: {links:?}");
            let dir = built.html().join(page).parent().unwrap().to_path_buf();
            for href in links {
                let target = resolve(&dir, &href);
                assert!(
                    target.is_file(),
                    "{mdbook:?} {page}: {href} -> {} missing",
                    target.display()
                );
            }
        }
    }
}

#[test]
fn approvals_filters_sorting_grouping_and_columns() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/index", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        let md = built.markdown_page("reports/deep/index-page.md");

        let all = section(&md, "## All");
        assert!(
            all.contains("**3 design docs:** Draft 1 · In Review 1 · Approved 1"),
            "{all}"
        );
        // The default columns: the ones that fit mdBook's content column.
        assert!(
            all.contains("|No.|Title|Status|Updated|Approvals|Written|\n"),
            "{all}"
        );
        // Line form (Alpha) and table form (Beta): 2/3 with the missing role named.
        assert!(
            all.contains(
                "|3|[Alpha](../../a/alpha.md)|Approved|2026-03-01|2/3 — missing: Security Review|"
            ),
            "{all}"
        );
        assert!(
            all.contains(
                "|1|[Beta](../../a/b/beta.md)|In Review|2026-01-05|2/3 — missing: Product Owner|"
            ),
            "{all}"
        );
        // SUMMARY order by default.
        let (a, b, g) = (
            all.find("[Alpha]").unwrap(),
            all.find("[Beta]").unwrap(),
            all.find("[Gamma").unwrap(),
        );
        assert!(a < b && b < g, "{all}");

        let review = section(&md, "## In review");
        assert!(review.contains("|Title|Approvals|\n|-----|---------|\n|[Beta](../../a/b/beta.md)|2/3 — missing: Product Owner|\n"), "{review}");
        assert!(!review.contains("Alpha"));

        let by_number = section(&md, "## By number, descending");
        let (three, two, one) = (
            by_number.find("|3|").unwrap(),
            by_number.find("|2|").unwrap(),
            by_number.find("|1|").unwrap(),
        );
        assert!(three < two && two < one, "{by_number}");

        let grouped = section(&md, "## By template");
        let design = grouped.find("**design** (1)").unwrap();
        let tdd = grouped.find("**tdd** (1)").unwrap();
        let numbered = grouped.find("**trd-numbered** (1)").unwrap();
        assert!(design < tdd && tdd < numbered, "{grouped}");
        assert_eq!(grouped.matches("|Title|Status|").count(), 3, "{grouped}");

        // The index in the root chapter links down into the folders.
        let root = built.markdown_page("index.md");
        assert!(root.contains("|3|[Alpha](a/alpha.md)|"), "{root}");
    }
}

#[test]
fn a_hostile_title_cannot_break_the_table() {
    let built = build("tests/books/index", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    let html = built.html_page("reports/deep/index-page.html");
    let all = html
        .split("<table>")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    // Every row has exactly the six default cells: the `|` in the title did not split one.
    for row in all.split("<tr>").skip(2) {
        assert_eq!(row.matches("<td>").count(), 6, "{row}");
    }
    // In HTML the date stays on one line and the missing roles go on a smaller one.
    assert!(
        all.contains("<td><span style=\"white-space:nowrap\">2026-03-01</span></td><td>2/3<br><small>missing: Security Review</small></td>"),
        "{all}"
    );
    assert!(
        all.contains("Gamma | &lt;b&gt;bold&lt;/b&gt; [x](y) *star* `tick`</a>"),
        "{all}"
    );
    assert!(
        !all.contains("<b>bold</b>")
            && !all.contains("<em>star</em>")
            && !all.contains("<code>tick")
    );
}

#[test]
fn approved_docs_missing_sign_offs_warn_and_fail_in_strict_mode() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/index", mdbook, "");
        assert!(built.succeeded());
        assert!(
            built.stderr().contains("src/a/alpha.md:1:37: warning[approval-missing]: \"Alpha\" is Approved but lacks sign-offs (2/3) from: Security Review"),
            "{mdbook:?}: {}",
            built.stderr()
        );
        let strict = build("tests/books/index", mdbook, "strict = true");
        assert!(
            !strict.succeeded(),
            "{mdbook:?}: strict mode built an approved doc with a missing sign-off"
        );
        assert!(
            strict
                .stderr()
                .contains("src/a/alpha.md:1:37: error[approval-missing]: \"Alpha\" is Approved but lacks sign-offs")
        );
    }
}

/// A book in a temporary folder: `book.toml` registering the preprocessor, and `files` under
/// `src` (SUMMARY.md included).
fn write_book(files: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"Generated\"\n\n[preprocessor.trd]\nmin-completeness = 0\n",
    )
    .unwrap();
    for (path, content) in files {
        std::fs::write(src.join(path), content).unwrap();
    }
    dir
}

/// Issue 12, defect 1: 21 docs numbered like these made `sort="number"` panic in the build
/// and in `mdbook-trd index --sort number` (exit 101).
const ISSUE_NUMBERS: [&str; 21] = [
    "17", "9a", "22a", "9", "2", "35a", "34", "30", "25", "32a", "28a", "12a", "20", "15", "2a",
    "10", "17a", "38a", "29a", "36a", "1",
];

/// The numbers in the first column of each table of a Markdown page, per `## ` section.
fn numbers_in(section: &str) -> Vec<&str> {
    section
        .lines()
        .filter_map(|l| l.strip_prefix('|')?.split('|').next())
        .filter(|n| !matches!(*n, "No." | "---" | ""))
        .collect()
}

#[test]
fn sorting_by_number_builds_and_exports_without_a_panic() {
    let mut files = vec![(
        "index.md".to_owned(),
        "# Index\n\n## Up\n\n<<#trd index sort=\"number\" columns=\"number,title\">>\n\n\
         ## Down\n\n<<#trd index sort=\"-number\" columns=\"number\">>\n\n\
         ## Reversed\n\n<<#trd index sort=\"-summary\" columns=\"number\">>\n\n\
         ## Latest\n\n<<#trd index sort=\"-date\" columns=\"number\">>\n"
            .to_owned(),
    )];
    let mut summary = "# Summary\n\n- [Index](index.md)\n".to_owned();
    for (i, n) in ISSUE_NUMBERS.iter().enumerate() {
        // Every third doc undated: those come last even when the newest come first.
        let date = if i % 3 == 0 {
            String::new()
        } else {
            format!(" date=\"2026-{:02}-01\"", i % 12 + 1)
        };
        files.push((
            format!("d{i}.md"),
            format!("<<#trd tdd title=\"Doc {n}\" number=\"{n}\"{date}>>\n"),
        ));
        summary.push_str(&format!("- [Doc {n}](d{i}.md)\n"));
    }
    files.push(("SUMMARY.md".to_owned(), summary));
    let book = write_book(&files);
    let sorted = "1 2 2a 9 9a 10 12a 15 17 17a 20 22a 25 28a 29a 30 32a 34 35a 36a 38a";
    for mdbook in Mdbook::ALL {
        let built = build(book.path().to_str().unwrap(), mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        let md = built.markdown_page("index.md");
        assert_eq!(numbers_in(section(&md, "## Up")).join(" "), sorted, "{md}");
        let mut down: Vec<&str> = sorted.split(' ').collect();
        down.reverse();
        assert_eq!(numbers_in(section(&md, "## Down")), down, "{md}");
        let mut reversed = ISSUE_NUMBERS.to_vec();
        reversed.reverse();
        assert_eq!(numbers_in(section(&md, "## Reversed")), reversed, "{md}");
        let latest = numbers_in(section(&md, "## Latest"));
        let undated: Vec<&str> = ISSUE_NUMBERS.iter().copied().step_by(3).collect();
        assert_eq!(latest[latest.len() - undated.len()..], undated, "{md}");
    }
    for sort in ["number", "-number", "date", "-summary"] {
        let out = std::process::Command::new(trd())
            .args(["index", "--format", "csv", "--sort", sort])
            .arg(book.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "--sort {sort}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 22);
    }
}

#[test]
fn dates_that_are_not_calendar_dates_warn_and_fail_in_strict_mode() {
    let book = write_book(&[
        (
            "SUMMARY.md".to_owned(),
            "# Summary\n\n- [Bad](bad.md)\n- [Good](good.md)\n".to_owned(),
        ),
        (
            "bad.md".to_owned(),
            "# Notes\n\n<<#trd tdd title=\"Bad\" number=\"1\"\n   date=\"2026-13-45\" updated=\"2026-2-3\">>\n\n\
             <<#trd index sort=\"date\" columns=\"number,date\">>\n"
                .to_owned(),
        ),
        (
            "good.md".to_owned(),
            "<<#trd tdd title=\"Good\" number=\"2\" date=\"2024-02-29\">>\n".to_owned(),
        ),
    ]);
    let root = book.path().to_str().unwrap();
    for mdbook in Mdbook::ALL {
        let built = build(root, mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        let stderr = built.stderr();
        for expected in [
            "src/bad.md:4:4: warning[invalid-date]: `date` \"2026-13-45\" is not a calendar date (YYYY-MM-DD): there is no month 13",
            "src/bad.md:4:22: warning[invalid-date]: `updated` \"2026-2-3\" is not a calendar date (YYYY-MM-DD): it is not written as YYYY-MM-DD\n  help: write it as YYYY-MM-DD: `updated=\"2026-02-03\"`",
        ] {
            assert!(stderr.contains(expected), "{mdbook:?}: {stderr}");
        }
        assert!(!stderr.contains("good.md"), "{stderr}");
        // Shown as written; sorted after the doc with a real date.
        let md = built.markdown_page("bad.md");
        assert!(md.contains("|2|2024-02-29|\n|1|2026-2-3|\n"), "{md}");
        let strict = build(root, mdbook, "strict = true");
        assert!(
            !strict.succeeded(),
            "{mdbook:?}: strict built a doc dated 2026-13-45"
        );
        assert!(
            strict.stderr().contains(
                "src/bad.md:4:4: error[invalid-date]: `date` \"2026-13-45\" is not a calendar date"
            ),
            "{}",
            strict.stderr()
        );
    }
}
