//! The binary as mdBook and people call it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> std::process::Output {
    let mut child = Command::new(common::trd())
        .args(args)
        .env_remove("MDBOOK_TRD_STRICT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit before reading everything (bad input): ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn supports_every_renderer() {
    for renderer in ["html", "markdown", "pdf", "epub", "linkcheck"] {
        let out = run_with_stdin(&["supports", renderer], b"");
        assert!(out.status.success(), "{renderer}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn malformed_json_is_a_one_line_error() {
    for input in [&b"not json"[..], b"", b"[1, 2]", b"[{}, {\"neither\": []}]"] {
        let out = run_with_stdin(&[], input);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: mdbook-trd: "), "{stderr}");
    }
}

fn request(version: &str, book: Value) -> Vec<u8> {
    serde_json::to_vec(&json!([
        {"root": "/book", "renderer": "markdown", "mdbook_version": version,
         "config": {"book": {"src": "src"}, "preprocessor": {"trd": {}}}},
        book
    ]))
    .unwrap()
}

fn chapter(content: &str) -> Value {
    json!({"Chapter": {"name": "Doc", "content": content, "number": null, "sub_items": [],
        "path": "doc.md", "source_path": "doc.md", "parent_names": [], "a_future_field": 1}})
}

#[test]
fn a_newer_host_gets_a_warning_and_a_book() {
    let out = run_with_stdin(
        &[],
        &request(
            "0.6.0",
            json!({"items": [chapter("<<#trd trd>>\n")], "extra": true}),
        ),
    );
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning: mdbook-trd supports mdBook >=0.4.21, <0.6.0"),
        "{stderr}"
    );
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        book["items"][0]["Chapter"]["content"]
            .as_str()
            .unwrap()
            .starts_with("# TRD: Doc\n")
    );
}

#[test]
fn the_04_shape_round_trips_quietly() {
    let out = run_with_stdin(
        &[],
        &request(
            "0.4.52",
            json!({"sections": [chapter("plain\n"), "Separator"], "__non_exhaustive": null}),
        ),
    );
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(book["sections"][0]["Chapter"]["content"], "plain\n");
    assert_eq!(book["sections"][1], "Separator");
    assert_eq!(book["__non_exhaustive"], Value::Null);
}

#[test]
fn help_has_an_example() {
    let out = run_with_stdin(&["--help"], b"");
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("[preprocessor.trd]"), "{help}");
    for command in ["supports", "check", "index", "install", "new", "templates"] {
        let out = run_with_stdin(&[command, "--help"], b"");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains("Example"),
            "{command} --help has no example:\n{help}"
        );
    }
}

#[test]
fn supports_is_kept_out_of_the_help_but_works() {
    let out = run_with_stdin(&["--help"], b"");
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(!help.contains("supports"), "{help}");
    for command in ["check", "index", "install", "new", "templates"] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
    let out = run_with_stdin(&["supports", "html"], b"");
    assert!(out.status.success());
    let out = run_with_stdin(&["supports", "--help"], b"");
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("Usage: mdbook-trd supports <RENDERER>"),
        "{help}"
    );
}

/// A book in a temporary folder, under `book/`: one design doc with a misspelt status.
fn small_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("book/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.path().join("book/book.toml"),
        "[book]\ntitle = \"T\"\n\n[preprocessor.trd]\n",
    )
    .unwrap();
    std::fs::write(src.join("SUMMARY.md"), "# Summary\n\n- [Pay](pay.md)\n").unwrap();
    std::fs::write(
        src.join("pay.md"),
        "<<#trd tdd title=\"Pay\" number=\"1\" status=\"Aprroved\">>\n",
    )
    .unwrap();
    dir
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `check`, `index` and `install` take the book as `BOOK` or `--book BOOK`, with one meaning.
#[test]
fn the_book_is_given_as_book_or_as_dash_dash_book() {
    let dir = small_book();
    let v = ["--mdbook-version", "0.5.4"];
    for form in [
        &["book"][..],
        &["--book", "book"],
        &["book", "--book", "book/"],
    ] {
        for command in [&["check"][..], &["index", "--format", "csv"]] {
            let args: Vec<&str> = [command, form, &v].concat();
            let out = common::run_trd(&args, dir.path());
            assert!(out.status.success(), "{args:?}: {}", stderr(&out));
            assert!(!out.stdout.is_empty(), "{args:?}");
        }
        let args: Vec<&str> = [&["install"][..], form].concat();
        let out = common::run_trd(&args, dir.path());
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("already registers mdbook-trd"),
            "{args:?}"
        );
    }
    // `new` and `templates` have other positionals: they take `--book`, as every command does.
    let out = common::run_trd(&["templates", "--book", "book"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let out = common::run_trd(&["new", "tdd", "Retries", "--book", "book"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("book/src/retries.md").is_file());
}

#[test]
fn two_different_books_are_an_error() {
    let dir = small_book();
    std::fs::create_dir(dir.path().join("other")).unwrap();
    for command in ["check", "index", "install"] {
        let out = common::run_trd(&[command, "book", "--book", "other"], dir.path());
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(out.stdout.is_empty());
        assert_eq!(
            stderr(&out),
            "error: mdbook-trd: the book's folder is given twice, as book and as --book other; \
             give it once: `BOOK` and `--book BOOK` mean the same\n",
            "{command}"
        );
    }
}

/// A mistyped folder is reported as missing, not as a folder without book.toml.
#[test]
fn a_missing_folder_is_said_to_be_missing_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let expected = "error: mdbook-trd: some/missing/folder: no such folder; give the book's \
                    folder (the one holding book.toml)\n";
    let cases: [&[&str]; 8] = [
        &["check", "some/missing/folder"],
        &["check", "--book", "some/missing/folder"],
        &["index", "some/missing/folder"],
        &["index", "--book", "some/missing/folder"],
        &["install", "some/missing/folder"],
        &["install", "--book", "some/missing/folder"],
        &["new", "tdd", "X", "--book", "some/missing/folder"],
        &["templates", "--book", "some/missing/folder"],
    ];
    for args in cases {
        let out = common::run_trd(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out), expected, "{args:?}");
    }
    // Giving book.toml itself names the folder to give instead.
    let dir = small_book();
    let out = common::run_trd(&["check", "book/book.toml"], dir.path());
    assert_eq!(
        stderr(&out),
        "error: mdbook-trd: book/book.toml: not a folder; give the book's folder (the one \
         holding book.toml), e.g. `book`\n"
    );
}

#[test]
fn misspelt_statuses_get_a_did_you_mean_everywhere() {
    let dir = small_book();
    let out = common::run_trd(&["check", "book", "--mdbook-version", "0.5"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "book/src/pay.md:1:35: warning[unknown-status]: unknown status \"Aprroved\"; known: \
             Draft, In Review, Approved,"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  help: did you mean `Approved`? use a known status, or add it (or an alias) under \
             [preprocessor.trd.statuses] in book.toml"
        ),
        "{text}"
    );
    let out = common::run_trd(&["index", "book", "--status", "Aprroved"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "error: mdbook-trd: unknown status \"Aprroved\" in the index's `status`; did you \
             mean `Approved`? known: Draft,"
        ),
        "{}",
        stderr(&out)
    );
    let out = common::run_trd(
        &["new", "tdd", "X", "--book", "book", "--status", "complted"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with(
            "error: mdbook-trd: unknown status \"complted\"; did you mean `Completed`? known:"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sort_summary_is_explained() {
    let out = run_with_stdin(&["index", "--help"], b"");
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("summary (SUMMARY.md order: the book's own order, the default)"),
        "{help}"
    );
    let dir = small_book();
    let out = common::run_trd(&["index", "book", "--sort", "size"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("or summary (SUMMARY.md order: the book's own order, the default)"),
        "{}",
        stderr(&out)
    );
}
