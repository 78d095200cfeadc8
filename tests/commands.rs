//! The command line as a user and CI drive it: `check` and `index`.

mod common;

use std::path::{Path, PathBuf};
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
    assert!(text.starts_with("tests/books/failing/src/broken.md:5:8: error[unknown-template]: unknown template \"tddd\"; known: design, product-tdd, tdd, trd, trd-numbered\n  help: "), "{text}");
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
        "{}:{}:{}: {}[{}]: {}\n  help: {}",
        f["file"].as_str().unwrap(),
        f["line"],
        f["column"],
        f["severity"].as_str().unwrap(),
        f["rule"].as_str().unwrap(),
        f["message"].as_str().unwrap(),
        f["help"].as_str().unwrap()
    );
    assert!(text.starts_with(&rebuilt), "{rebuilt}\nvs\n{text}");

    let github = run(
        &["check", "tests/books/failing", "--format", "github"],
        &repo(),
    );
    assert!(stdout(&github).starts_with("::error file=tests/books/failing/src/broken.md,line=5,col=8,title=mdbook-trd (unknown-template)::unknown template"));
}

#[test]
fn check_strict_fails_on_warnings_and_run_from_inside_the_book() {
    let book = repo().join("tests/books/statuses");
    let out = run(&["check"], &book);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out)
            .contains("src/unknown.md:3:28: warning[unknown-status]: unknown status \"Sleeping\"")
    );
    let strict = run(&["check", "--strict"], &book);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stdout(&strict).contains("src/unknown.md:3:28: error[unknown-status]: unknown status"));
}

#[test]
fn check_reports_a_missing_book_on_stderr() {
    let out = run(&["check", "no/such/book"], &repo());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "error: mdbook-trd: no/such/book: no such folder; give the book's folder (the one \
         holding book.toml)\n"
    );
    // A folder that is there but holds no book says that instead.
    let out = run(&["check", "src"], &repo());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("error: mdbook-trd: src: no book.toml here"),
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
        "14,Partner API rate limiting,designs/rate-limiting.md,trd-numbered,In Review,true,Jonas Berg,2026-10-20,2026-10-20,2,3,Product Owner,4,28"
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

/// Runs `mdbook-trd ARGS` in `cwd` with only the given `MDBOOK_*` variables and `PATH`.
fn run_env(
    args: &[&str],
    cwd: &Path,
    env: &[(&str, &str)],
    path: Option<&std::ffi::OsStr>,
) -> Output {
    let mut command = std::process::Command::new(common::trd());
    command.args(args).current_dir(cwd).env("NO_COLOR", "1");
    for (key, _) in std::env::vars() {
        if key.starts_with("MDBOOK_") {
            command.env_remove(key);
        }
    }
    if let Some(path) = path {
        command.env("PATH", path);
    }
    command.envs(env.iter().copied()).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The lines mdbook-trd wrote about the book (findings and their help), without mdBook's own
/// log lines and without the closing count.
fn finding_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| {
            // A finding without a file starts with its label, `warning[rule-id]:`; mdBook's
            // own `error: mdbook-trd found ...` line does not.
            ["book.toml:", "src/", "  help:", "warning[", "error["]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect()
}

/// A book, the settings added under its `[preprocessor.trd]`, and environment variables.
type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// `mdbook build` (with each mdBook) and `check` (told that mdBook's version) agree: the same
/// findings in the same words, and check exits 0 exactly when the build succeeds.
#[test]
fn check_and_mdbook_build_agree_on_settings_strict_mode_and_markdown() {
    let cases: &[Case<'_>] = &[
        ("tests/books/statuses", "", &[]),
        ("tests/books/statuses", "stirct = true", &[]),
        ("tests/books/statuses", "strict = true\nstirct = true", &[]),
        (
            "tests/books/statuses",
            "strict = true",
            &[("MDBOOK_TRD_STRICT", "")],
        ),
        (
            "tests/books/statuses",
            "strict = true",
            &[("MDBOOK_TRD_STRICT", "off")],
        ),
        (
            "tests/books/statuses",
            "",
            &[("MDBOOK_TRD_STRICT", "maybe")],
        ),
        (
            "tests/books/statuses",
            "",
            &[("MDBOOK_PREPROCESSOR__TRD__STRICT", "true")],
        ),
        (
            "tests/books/statuses",
            "lifecycle = \"replce\"\n[preprocessor.trd.statuses.Parked]\naliases = [\"Draft\", 5]\ncolour = \"#8250df\"\n[preprocessor.trd.statuses.\"in review\"]",
            &[],
        ),
        ("tests/books/statuses", "templates = \"nope\"", &[]),
        ("tests/books/flavor", "", &[]),
        (
            "tests/books/flavor",
            "",
            &[("MDBOOK_OUTPUT__HTML__DEFINITION_LISTS", "false")],
        ),
    ];
    for &(book, settings, env) in cases {
        for (mdbook, version) in [(Mdbook::V05, "0.5.4"), (Mdbook::V04, "0.4.52")] {
            let built = common::build_with_env(book, mdbook, settings, env);
            let check = run_env(
                &["check", "--mdbook-version", version],
                &built.root(),
                env,
                None,
            );
            let what = format!("{book} {settings:?} {env:?} with mdBook {version}");
            let (build_lines, check_out) = (built.stderr(), stdout(&check));
            let (build_lines, check_lines) =
                (finding_lines(&build_lines), finding_lines(&check_out));
            assert!(!check_lines.is_empty(), "{what}: {check_out}");
            // mdBook runs the preprocessor once per renderer (html, markdown) when it succeeds.
            let once = build_lines.len() == check_lines.len() && build_lines == check_lines;
            let twice = build_lines == [check_lines.clone(), check_lines.clone()].concat();
            assert!(
                once || twice,
                "{what}: the build said\n{}\nand check said\n{}",
                build_lines.join("\n"),
                check_lines.join("\n")
            );
            assert_eq!(
                built.succeeded(),
                check.status.code() == Some(0),
                "{what}: build {}, check exit {:?}\n{check_out}",
                built.succeeded(),
                check.status.code()
            );
        }
    }
}

#[test]
fn check_reads_the_mdbook_version_from_the_mdbook_on_path_or_is_told_it() {
    let book = repo().join("tests/books/flavor");
    let path_with = |mdbook: Mdbook| {
        let bin = mdbook.binary().parent().unwrap().to_path_buf();
        std::env::join_paths([bin, "/usr/bin".into(), "/bin".into()]).unwrap()
    };
    let nothing = std::env::join_paths(["/nonexistent"]).unwrap();
    let error =
        "src/definition.md:5:32: error[directive-syntax]: text after the directive's closing `>>`";
    let warning = "src/definition.md:5:1: warning[nested-directive]: a directive inside a list";
    for (args, path, expected, code) in [
        (&["check"][..], &path_with(Mdbook::V04), error, 1),
        (&["check"][..], &path_with(Mdbook::V05), warning, 0),
        (&["check"][..], &nothing, warning, 0),
        (
            &["check", "--mdbook-version", "0.4"][..],
            &path_with(Mdbook::V05),
            error,
            1,
        ),
        (
            &["check", "--mdbook-version", "v0.4.52"][..],
            &nothing,
            error,
            1,
        ),
        (
            &["check", "--mdbook-version", "0.5"][..],
            &path_with(Mdbook::V04),
            warning,
            0,
        ),
    ] {
        let out = run_env(args, &book, &[], Some(path));
        assert!(
            stdout(&out).starts_with(expected),
            "{args:?} {path:?}: {}",
            stdout(&out)
        );
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}");
    }
    let out = run_env(
        &["check", "--mdbook-version", "0.6"],
        &book,
        &[],
        Some(&nothing),
    );
    assert!(
        stderr(&out).starts_with("warning: mdbook-trd supports mdBook >=0.4.21, <0.6.0"),
        "{}",
        stderr(&out)
    );
    // Review: outside the range, the warning says where the version came from and which
    // rules are used instead.
    for (version, rules) in [
        ("0.3", "0.5's"),
        ("0.4.10", "0.4's (no definition lists or admonitions)"),
        ("0.6", "0.5's"),
    ] {
        let out = run_env(
            &["check", "--mdbook-version", version],
            &book,
            &[],
            Some(&nothing),
        );
        assert_eq!(
            stderr(&out),
            format!(
                "warning: mdbook-trd supports mdBook >=0.4.21, <0.6.0, but --mdbook-version is \
                 {version}; the book is read with mdBook {rules} Markdown rules, which may not \
                 be what that mdBook does\n"
            )
        );
    }
    let out = run_env(
        &["check", "--mdbook-version", "latest"],
        &book,
        &[],
        Some(&nothing),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: mdbook-trd: --mdbook-version \"latest\" is not a version"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_book_that_does_not_register_the_preprocessor_is_told_so() {
    let out = run(&["check", "tests/books/unregistered"], &repo());
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(
        stdout(&out),
        "tests/books/unregistered/book.toml: error[not-registered]: the preprocessor is not registered: book.toml \
         has no [preprocessor.trd], so mdbook build leaves every <<#trd ...>> directive as written\n  \
         help: run `mdbook-trd install tests/books/unregistered` to register it\n\
         mdbook-trd: 1 design doc checked, 1 error, 0 warnings\n"
    );
    let plain = repo().join("tests/books/unregistered-plain");
    let out = run(&["check"], &plain);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).starts_with("book.toml: warning[not-registered]: the preprocessor is not registered: book.toml has no [preprocessor.trd], so mdbook build does not run mdbook-trd\n  help: run `mdbook-trd install` to register it\n"),
        "{}",
        stdout(&out)
    );
    assert_eq!(run(&["check", "--strict"], &plain).status.code(), Some(1));

    // After `install`, the warning is gone.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&plain, dir.path());
    assert!(run(&["install"], dir.path()).status.success());
    let out = run(&["check"], dir.path());
    assert_eq!(
        stdout(&out),
        "mdbook-trd: 0 design docs checked, no problems\n"
    );

    // Registered under another name, by its command: found, and its settings read.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&repo().join("tests/books/unregistered"), dir.path());
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text + "\n[preprocessor.designs]\ncommand = \"mdbook-trd\"\nstirct = 1\n",
    )
    .unwrap();
    let out = run(&["check"], dir.path());
    assert!(
        stdout(&out)
            .starts_with("book.toml: warning[config-unknown-key]: unknown setting `stirct`"),
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn chapters_that_do_not_exist_yet_are_read_as_mdbook_creates_them() {
    let book = repo().join("tests/books/missing");
    let notes = "note: src/designs/later.md does not exist yet; mdbook build will create it with a \
                 heading, so it is checked as a chapter with no directive\n\
                 note: src/designs/sub.md does not exist yet; mdbook build will create it with a \
                 heading, so it is checked as a chapter with no directive\n";
    let out = run(&["check"], &book);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "mdbook-trd: 1 design doc checked, no problems\n"
    );
    assert_eq!(stderr(&out), notes);
    let out = run(&["index", "--format", "csv"], &book);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\n1,Payments,payments.md,tdd,"),
        "{}",
        stdout(&out)
    );
    assert!(
        !book.join("src/designs").exists(),
        "check or index wrote a file"
    );

    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&book, dir.path());
    let out = run(&["new", "tdd", "Refunds"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), notes);
    assert!(stdout(&out).contains("(tdd #2)"), "{}", stdout(&out));

    // mdBook builds the same book, creating the files.
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/missing", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        assert!(built.root().join("src/designs/sub.md").is_file());
    }

    // With `create-missing = false` mdBook fails, and so does check.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&book, dir.path());
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text + "\n[build]\ncreate-missing = false\n").unwrap();
    let out = run(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("src/designs/later.md: no such chapter file, and book.toml sets `create-missing = false`"),
        "{}",
        stderr(&out)
    );
}

/// Lines under `[preprocessor.trd]`: one value per key (TOML forbids a key twice).
const STRICT_VALUES: [&str; 6] = ["true", "false", "\"yes\"", "\"maybe\"", "\"\"", "1"];
const KEY_LINES: [&str; 8] = [
    "stirct = true",
    "lifecycle = \"replce\"",
    "min-completeness = 3",
    "templates = \"nope\"",
    "after = [\"links\"]",
    "Templates = \"t\"",
    "approvals = { tddd = [\"Architect\"], default = [\"Tech Lead\"] }",
    "min-completeness = 0.9",
];
/// Tables after the keys.
const TABLES: [&str; 4] = [
    "[preprocessor.trd.statuses.Parked]\naliases = [\"Draft\", 5, \"On Hold\"]\ncolour = \"#8250df\"",
    "[preprocessor.trd.statuses.\"in review\"]\ncolor = \"#000\"\naliases = [\"Done\"]",
    "[preprocessor.trd.statuses.parked]\norder = 1\nsigned-off = true",
    "[preprocessor.trd.statuses.Waiting]\naliases = [\"on hold\"]",
];
/// Chapters, some of which read differently with 0.4's Markdown.
const CHAPTERS: [&str; 9] = [
    "<<#trd tdd>>\n",
    "<<#trd tdd status=Sleeping>>\n",
    "<<#trd tddd>>\n",
    "<<#trd tdd>>\n: defined\n",
    "<<#trd trd number=1 status=\"on hold\">>\n",
    "<<#trd index sort=title>>\n",
    "plain text\n",
    "<<#trd design status=Approved number=1>>\n",
    "> [!NOTE]\n> <<#trd tdd>>\n",
];
const STRICT_ENV: [Option<&str>; 5] = [None, Some(""), Some("1"), Some("0"), Some("maybe")];

/// The findings of a build, run in process through the preprocessor's own entry point, and
/// whether it wrote a book.
fn build_in_process(root: &Path, version: &str, strict_env: Option<&str>) -> (bool, String) {
    use mdbook_trd::edge::protocol::{RunError, run};
    let loaded = mdbook_trd::edge::loader::load_with(root, []).unwrap();
    let items = serde_json::to_value(&loaded.book.items).unwrap();
    let book = if version.starts_with("0.4") {
        serde_json::json!({"sections": items, "__non_exhaustive": null})
    } else {
        serde_json::json!({"items": items})
    };
    let ctx = serde_json::json!({"root": root, "renderer": "html", "mdbook_version": version,
                                 "config": loaded.config});
    let input = serde_json::to_vec(&serde_json::json!([ctx, book])).unwrap();
    let (mut out, mut messages) = (Vec::new(), Vec::new());
    match run(&input[..], &mut out, &mut messages, strict_env) {
        Ok(()) => (true, String::from_utf8(messages).unwrap()),
        Err(RunError::Book(d)) => (false, d.iter().map(|d| format!("{d}\n")).collect()),
        Err(e) => panic!("{e:?}"),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
    /// The class of defect 8: for any settings, environment, mdBook version and chapters,
    /// `check` reports what the build reports, and fails exactly when the build fails.
    #[test]
    fn check_and_the_build_agree_on_any_book(
        strict in proptest::option::of(proptest::sample::select(&STRICT_VALUES[..])),
        keys in proptest::sample::subsequence(&KEY_LINES[..4], 0..=4),
        more_keys in proptest::sample::subsequence(&KEY_LINES[4..], 0..=2),
        tables in proptest::sample::subsequence(&TABLES[..], 0..=4),
        chapters in proptest::collection::vec(proptest::sample::select(&CHAPTERS[..]), 1..5),
        strict_env in proptest::sample::select(&STRICT_ENV[..]),
        version in proptest::sample::select(&["0.5.4", "0.4.52"][..]),
    ) {
        // Two `min-completeness` lines would not be TOML.
        let keys: Vec<&str> = keys.into_iter().chain(more_keys.into_iter().filter(|k| !k.starts_with("min-"))).collect();
        let dir = tempfile::tempdir().unwrap();
        let mut toml = String::from("[book]\ntitle = \"t\"\n\n[preprocessor.trd]\n");
        if let Some(s) = strict {
            toml.push_str(&format!("strict = {s}\n"));
        }
        for line in keys.iter().chain(&tables) {
            toml.push_str(line);
            toml.push('\n');
        }
        std::fs::write(dir.path().join("book.toml"), &toml).unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        let mut summary = String::from("# Summary\n\n");
        for (i, content) in chapters.iter().enumerate() {
            summary.push_str(&format!("- [Chapter {i}](c{i}.md)\n"));
            std::fs::write(dir.path().join(format!("src/c{i}.md")), content).unwrap();
        }
        std::fs::write(dir.path().join("src/SUMMARY.md"), summary).unwrap();

        let env: Vec<(String, String)> = strict_env
            .map(|v| vec![("MDBOOK_TRD_STRICT".to_owned(), v.to_owned())])
            .unwrap_or_default();
        let options = mdbook_trd::commands::analysed::CommandOptions {
            strict: false,
            mdbook_version: Some(version.to_owned()),
            env,
        };
        let analysed = mdbook_trd::commands::analysed::analyse_with(
            dir.path(),
            mdbook_trd::render::mode::RenderMode::Plain,
            &options,
        )
        .unwrap();
        let check_text: String = analysed
            .analysis
            .diagnostics
            .iter()
            .map(|d| {
                let mut d = d.clone();
                let relative = |f: PathBuf| f.strip_prefix(dir.path()).unwrap().to_path_buf();
                d.file = d.file.map(relative);
                for note in &mut d.notes {
                    note.file = note.file.take().map(relative);
                }
                format!("{d}\n")
            })
            .collect();
        let (_, check_failed) = mdbook_trd::commands::check::report(
            &analysed.analysis.diagnostics,
            analysed.analysis.docs.len(),
            mdbook_trd::commands::check::Format::Text,
            analysed.settings.strict,
            false,
        );
        let (built, build_text) = build_in_process(dir.path(), version, strict_env);
        proptest::prop_assert_eq!(&check_text, &build_text, "{}", toml);
        proptest::prop_assert_eq!(!check_failed, built, "{}\n{}", toml, check_text);
    }
}

#[test]
fn an_empty_mdbook_trd_strict_keeps_the_books_strict_mode() {
    for mdbook in Mdbook::ALL {
        let built = common::build_with_env(
            "tests/books/statuses",
            mdbook,
            "strict = true",
            &[("MDBOOK_TRD_STRICT", "")],
        );
        assert!(
            !built.succeeded(),
            "{mdbook:?}: an empty MDBOOK_TRD_STRICT turned strict off"
        );
        let check = run_env(
            &["check"],
            &built.root(),
            &[("MDBOOK_TRD_STRICT", "")],
            None,
        );
        assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
        assert!(
            stdout(&check).contains("src/unknown.md:3:28: error[unknown-status]: unknown status")
        );
    }
}

#[test]
fn check_says_which_chapters_include_files_the_build_expands_first() {
    let book = repo().join("tests/books/include");
    let out = run(&["check"], &book);
    assert_eq!(
        stdout(&out),
        "mdbook-trd: 0 design docs checked, no problems\n"
    );
    assert_eq!(
        stderr(&out),
        "note: src/main.md includes files; mdbook build expands {{#include}} before mdbook-trd \
         runs, check does not, so directives inside included files are checked by the build only\n"
    );
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/include", mdbook, "");
        assert!(
            built
                .stderr()
                .contains("warning[unknown-status]: unknown status \"Sleeping\""),
            "{mdbook:?}: {}",
            built.stderr()
        );
        // With trd before links, the build sees the include as written, as check does.
        let built = build("tests/books/include", mdbook, "before = [\"links\"]");
        assert!(
            !built.stderr().contains("warning["),
            "{mdbook:?}: {}",
            built.stderr()
        );
    }
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&book, dir.path());
    let toml = dir.path().join("book.toml");
    std::fs::write(
        &toml,
        std::fs::read_to_string(&toml).unwrap() + "before = [\"links\"]\n",
    )
    .unwrap();
    assert_eq!(stderr(&run(&["check"], dir.path())), "");
}

/// Review N6: `install` rewrote a CRLF `book.toml` with LF line endings. Every byte stays;
/// the table is added in CRLF, and the book then builds with the preprocessor.
#[test]
fn install_keeps_a_crlf_book_toml_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let before = "# Handbook\r\n[book]\r\ntitle = \"Handbook\" # shown in the sidebar\r\n\r\n[output.html]\r\n";
    std::fs::write(dir.path().join("book.toml"), before).unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/SUMMARY.md"), "# Summary\r\n").unwrap();
    let out = run(&["install"], dir.path());
    assert!(out.status.success(), "{}", stdout(&out));
    let after = std::fs::read(dir.path().join("book.toml")).unwrap();
    let expected = format!("{before}\r\n[preprocessor.trd]\r\nafter = [\"links\"]\r\n");
    assert_eq!(String::from_utf8(after).unwrap(), expected);
    let out = run(&["check"], dir.path());
    assert_eq!(
        stdout(&out),
        "mdbook-trd: 0 design docs checked, no problems\n"
    );
}

/// Issue 16, one outline: headings written at other levels than the template's are shown at
/// the template's, in the built HTML too; `check` notes each move and passes even in strict
/// mode, and the build's log says nothing of them.
#[test]
fn moved_headings_are_noted_by_check_and_shown_at_the_template_level() {
    let out = run(&["check", "--strict", "tests/books/outline"], &repo());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let notes: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("note[moved-heading]"))
        .collect();
    assert_eq!(notes.len(), 3, "{text}");
    assert!(notes[0].starts_with(
        "tests/books/outline/src/payments.md:3:1: note[moved-heading]: heading \"## Problem Statement\" is shown as \"### Problem Statement\""
    ), "{text}");
    assert!(
        notes[1].ends_with(
            "\"### Why now\" is shown as \"#### Why now\": to stay under \"### Problem Statement\""
        ),
        "{text}"
    );
    assert!(
        notes[2].starts_with("tests/books/outline/src/payments.md:11:1:"),
        "{text}"
    );
    assert!(
        text.ends_with("mdbook-trd: 1 design doc checked, no problems, 3 notes\n"),
        "{text}"
    );

    let built = build("tests/books/outline", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    assert!(
        !built.stderr().contains("moved-heading"),
        "{}",
        built.stderr()
    );
    let page = built.html_page("payments.html");
    for heading in [
        "<h2 id=\"overview\"",
        "<h3 id=\"problem-statement\"",
        "<h4 id=\"why-now\"",
        "<h3 id=\"goals\"",
        // The template's own level already: left as written.
        "<h2 id=\"security-considerations\"",
    ] {
        assert!(page.contains(heading), "{heading} in:\n{page}");
    }
    // The underlined heading keeps its words; setext has no H3, so it is written `###`.
    let markdown = built.markdown_page("payments.md");
    assert!(
        markdown.contains("\n### Goals\n\n- No silent failure.\n"),
        "{markdown}"
    );
}
