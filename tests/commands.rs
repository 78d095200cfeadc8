//! The command line as a user and CI drive it: `check` and `index`.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Mdbook, build, repo};

fn run(args: &[&str], cwd: &Path) -> Output {
    common::run_trd(args, cwd)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn check_passes_a_clean_book() {
    let out = run(&["check", "example-book"], &repo());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "mdbook-trd: 6 design docs checked, no problems\n"
    );
}

#[test]
fn check_fails_a_broken_book_with_the_same_findings_in_every_format() {
    let text = run(&["check", "tests/books/failing"], &repo());
    assert_eq!(text.status.code(), Some(1));
    let text = stdout(&text);
    assert!(text.starts_with("tests/books/failing/src/broken.md:5:8: error: unknown template \"tddd\"; known: design, product-tdd, tdd, trd, trd-numbered\n  help: "), "{text}");
    assert!(
        text.ends_with("mdbook-trd: 1 design doc checked, 1 error, 0 warnings\n"),
        "{text}"
    );

    let json = run(
        &["check", "tests/books/failing", "--format", "json"],
        &repo(),
    );
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let findings = v["diagnostics"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    let rebuilt = format!(
        "{}:{}:{}: {}: {}\n  help: {}",
        f["file"].as_str().unwrap(),
        f["line"],
        f["column"],
        f["severity"].as_str().unwrap(),
        f["message"].as_str().unwrap(),
        f["help"].as_str().unwrap()
    );
    assert!(text.starts_with(&rebuilt), "{rebuilt}\nvs\n{text}");

    let github = run(
        &["check", "tests/books/failing", "--format", "github"],
        &repo(),
    );
    assert!(stdout(&github).starts_with("::error file=tests/books/failing/src/broken.md,line=5,col=8,title=mdbook-trd::unknown template"));
}

#[test]
fn check_strict_fails_on_warnings_and_run_from_inside_the_book() {
    let book = repo().join("tests/books/statuses");
    let out = run(&["check"], &book);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("src/unknown.md:3:28: warning: unknown status \"Sleeping\""));
    let strict = run(&["check", "--strict"], &book);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("src/unknown.md:3:28: error: unknown status"));
}

#[test]
fn check_reports_a_missing_book_on_stderr() {
    let out = run(&["check", "no/such/book"], &repo());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: mdbook-trd: no/such/book: no book.toml here"),
        "{stderr}"
    );
}

#[test]
fn index_exports_agree_with_the_built_index() {
    let built = build("example-book", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    let page = built.markdown_page("design-index.md");

    let markdown = run(&["index", "example-book", "--format", "markdown"], &repo());
    assert_eq!(markdown.status.code(), Some(0));
    let markdown = stdout(&markdown);
    assert!(
        page.contains(&markdown),
        "the export:\n{markdown}\nis not in the built page:\n{page}"
    );

    let json = run(&["index", "example-book", "--format", "json"], &repo());
    let rows: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1]["title"], "Partner API rate limiting");
    assert_eq!(
        rows[1]["approvals_missing"],
        serde_json::json!(["Product Owner"])
    );
    assert_eq!(rows[1]["approvals_signed"], 2);
    assert_eq!(rows[0]["sections_written"], 10);
    for row in rows {
        let line = format!("|[{}](", row["title"].as_str().unwrap());
        assert!(page.contains(&line), "{line} not in the built index");
    }

    let csv = stdout(&run(
        &[
            "index",
            "example-book",
            "--format",
            "csv",
            "--status",
            "In Review",
            "--sort=-number",
        ],
        &repo(),
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "number,title,path,template,status,status_known,author,date,updated,approvals_signed,approvals_required,approvals_missing,sections_written,sections_total"
    );
    assert_eq!(
        lines[1],
        "21,Unified search service,designs/unified-search.md,design,In Review,true,Oskar Lind,2026-11-04,2026-11-04,0,0,,5,25"
    );
    assert_eq!(
        lines[2],
        "14,Partner API rate limiting,designs/rate-limiting.md,trd-numbered,In Review,true,Jonas Berg,2026-10-20,2026-10-20,2,3,Product Owner,4,29"
    );
    assert_eq!(lines.len(), 3);

    let bad = run(&["index", "example-book", "--sort", "size"], &repo());
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("unknown sort \"size\"")
    );
}
