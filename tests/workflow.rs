//! A new user's path with the built binary and the real mdBook: `mdbook init`, `install`
//! twice, `new` three docs, `templates`, `check`, a build, and a book's own templates.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Mdbook, read};

fn run(args: &[&str], cwd: &Path) -> Output {
    common::run_trd(args, cwd)
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn mdbook(args: &[&str], cwd: &Path) -> Output {
    Command::new(Mdbook::V05.binary())
        .args(args)
        .current_dir(cwd)
        .env("PATH", common::path_with_trd())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_new_user_sets_up_a_handbook() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("handbook");
    let init = mdbook(
        &[
            "init",
            root.to_str().unwrap(),
            "--title",
            "Handbook",
            "--ignore",
            "none",
        ],
        dir.path(),
    );
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let toml = root.join("book.toml");
    let original = format!("# Our architecture handbook\n{}", read(&toml));
    std::fs::write(&toml, &original).unwrap();

    // install, twice: one table, comments kept, the second run changes nothing.
    let first = ok(&run(&["install", "handbook"], dir.path()));
    assert!(
        first.starts_with("added [preprocessor.trd] to handbook/book.toml"),
        "{first}"
    );
    let installed = read(&toml);
    assert!(installed.starts_with(&original), "{installed}");
    assert_eq!(installed.matches("[preprocessor.trd]").count(), 1);
    let second = ok(&run(&["install"], &root));
    assert!(
        second.contains("already registers mdbook-trd; nothing changed"),
        "{second}"
    );
    assert_eq!(read(&toml), installed);

    // new, three times: numbers 1, 2, 3; SUMMARY keeps what it had.
    let summary_before = read(&root.join("src/SUMMARY.md"));
    ok(&run(
        &[
            "new",
            "tdd",
            "Payment retries",
            "--book",
            "handbook",
            "--author",
            "Ada Lovelace",
        ],
        dir.path(),
    ));
    ok(&run(
        &[
            "new",
            "trd-numbered",
            "Search index",
            "--dir",
            "designs",
            "--status",
            "in review",
        ],
        &root,
    ));
    ok(&run(
        &["new", "design", "Webhooks", "--parent", "Payment retries"],
        &root,
    ));
    let summary = read(&root.join("src/SUMMARY.md"));
    assert_eq!(
        summary,
        format!(
            "{summary_before}- [Payment retries](payment-retries.md)\n    - [Webhooks](webhooks.md)\n- [Search index](designs/search-index.md)\n"
        )
    );
    let first_doc = read(&root.join("src/payment-retries.md"));
    assert!(first_doc.starts_with("<<#trd tdd\n    title=\"Payment retries\"\n    number=\"1\"\n    status=\"Draft\"\n    author=\"Ada Lovelace\"\n    date=\"20"), "{first_doc}");
    assert!(
        first_doc.contains("\n## Overview\n\n### Problem Statement\n"),
        "{first_doc}"
    );
    assert!(
        read(&root.join("src/designs/search-index.md"))
            .contains("number=\"2\"\n    status=\"In Review\"")
    );
    assert!(read(&root.join("src/webhooks.md")).contains("number=\"3\""));
    // Never overwrites.
    let again = run(&["new", "tdd", "Payment retries"], &root);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists; nothing was written"));

    // templates, check, and a real build.
    let listing = ok(&run(&["templates"], &root));
    assert!(listing.contains("tdd           built-in: "), "{listing}");
    assert_eq!(listing.lines().count(), 5);
    assert!(ok(&run(&["templates", "trd"], &root)).starts_with("# TRD: {{title}}\n"));
    assert_eq!(
        ok(&run(&["check"], &root)),
        "mdbook-trd: 3 design docs checked, no problems\n"
    );
    let build = mdbook(&["build"], &root);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let html = read(&root.join("book/payment-retries.html"));
    assert!(html.contains("Technical Design Document (TDD): Payment retries"));
    assert!(html.contains("class=\"trd-badge\""));
}

#[test]
fn a_book_can_bring_and_override_templates_but_not_reach_outside() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("trd-templates")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Own\"\n\n[preprocessor.trd]\ntemplates = \"trd-templates\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("trd-templates/tdd.md"),
        "# House TDD: {{title}}\n\n**Owner:** {{author: Who owns it}}\n\n## Context\n\n{{Why now}}\n\n## Decision\n\n{{What we do}}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("trd-templates/rfc-lite.md"),
        "# RFC: {{title}}\n\n## Motivation\n\n{{Why}}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Intro](intro.md)\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/intro.md"),
        "<<#trd tdd title=\"Ours\">>\n\n## Decision\n\nWe do it.\n",
    )
    .unwrap();

    let listing = ok(&run(&["templates"], root));
    assert!(
        listing.contains("rfc-lite      trd-templates/rfc-lite.md\n"),
        "{listing}"
    );
    assert!(
        listing.contains("tdd           trd-templates/tdd.md (overrides the built-in)\n"),
        "{listing}"
    );
    ok(&run(&["new", "rfc-lite", "Idea"], root));
    assert!(read(&root.join("src/idea.md")).contains("\n## Motivation\n"));

    let build = mdbook(&["build"], root);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let html = read(&root.join("book/intro.html"));
    assert!(
        html.contains("House TDD: Ours")
            && html.contains("We do it.")
            && html.contains("Who owns it"),
        "{html}"
    );
    assert!(read(&root.join("book/idea.html")).contains("RFC: Idea"));

    // A template that holds a directive, a link out of the folder, and a folder outside the book.
    std::fs::write(
        root.join("trd-templates/loop.md"),
        "# Loop\n\n<<#trd loop>>\n",
    )
    .unwrap();
    let check = run(&["check"], root);
    assert_eq!(check.status.code(), Some(1));
    let out = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(
        out.contains("trd-templates/loop.md:3:1: error[template-directive]: template \"loop\" holds a directive"),
        "{out}"
    );
    std::fs::remove_file(root.join("trd-templates/loop.md")).unwrap();

    // Review 2: a template that leaves a fence open would take the author's text merged after
    // it (and a directive in the author's code block) out of code.
    std::fs::write(
        root.join("trd-templates/open.md"),
        "# Open: {{title}}\n\n## A\n\n{{guidance a}}\n\n## B\n\n```\nopen fence\n",
    )
    .unwrap();
    let check = run(&["check"], root);
    assert_eq!(check.status.code(), Some(1));
    let out = String::from_utf8_lossy(&check.stdout).into_owned();
    assert!(
        out.contains(
            "trd-templates/open.md:9:1: error[template-unbalanced]: template \"open\": this code \
             fence is never closed"
        ),
        "{out}"
    );
    std::fs::remove_file(root.join("trd-templates/open.md")).unwrap();

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("book.toml"), root.join("trd-templates/evil.md"))
            .unwrap();
        let out = String::from_utf8_lossy(&run(&["check"], root).stdout).into_owned();
        assert!(out.contains("trd-templates/evil.md: error[template-unreadable]: refused to read this file: it leads outside the templates folder"), "{out}");
        std::fs::remove_file(root.join("trd-templates/evil.md")).unwrap();
    }

    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Own\"\n\n[preprocessor.trd]\ntemplates = \"../x\"\n",
    )
    .unwrap();
    let out = String::from_utf8_lossy(&run(&["check"], root).stdout).into_owned();
    assert!(
        out.contains(
            "book.toml: error[templates-folder]: the templates folder \"../x\" is outside the book"
        ),
        "{out}"
    );
    let build = mdbook(&["build"], root);
    assert!(!build.status.success());
    assert!(
        String::from_utf8_lossy(&build.stderr)
            .contains("the templates folder \"../x\" is outside the book")
    );

    // A directive naming `../x` is refused as a template name.
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Own\"\n").unwrap();
    std::fs::write(root.join("src/intro.md"), "<<#trd ../x>>\n").unwrap();
    let out = String::from_utf8_lossy(&run(&["check"], root).stdout).into_owned();
    assert!(
        out.contains("src/intro.md:1:8: error[directive-syntax]: invalid template name \"../x\""),
        "{out}"
    );
}

#[test]
fn a_readme_and_other_non_templates_in_the_templates_folder_are_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let folder = root.join("trd-templates");
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(folder.join("drafts")).unwrap();
    // Strict: a note must not become an error.
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Own\"\n\n[preprocessor.trd]\ntemplates = \"trd-templates\"\nstrict = true\n",
    )
    .unwrap();
    std::fs::write(
        folder.join("rfc-lite.md"),
        "# RFC: {{title}}\n\n## Motivation\n\n{{Why}}\n",
    )
    .unwrap();
    // A README that shows a directive: read as a template, it would fail the build.
    std::fs::write(
        folder.join("README.md"),
        "# Our templates\n\nStart a doc with:\n\n<<#trd rfc-lite title=\"...\">>\n",
    )
    .unwrap();
    std::fs::write(folder.join("TDD.md"), "# House TDD: {{title}}\n").unwrap();
    std::fs::write(folder.join("index.md"), "# Index: {{title}}\n").unwrap();
    std::fs::write(folder.join("notes.txt"), "not markdown").unwrap();
    std::fs::write(folder.join(".draft.md"), "<<#trd loop>>\n").unwrap();
    std::fs::write(folder.join("drafts/wip.md"), "<<#trd loop>>\n").unwrap();
    std::fs::write(
        root.join("src/SUMMARY.md"),
        "# Summary\n\n- [Idea](idea.md)\n",
    )
    .unwrap();
    std::fs::write(
        root.join("src/idea.md"),
        "<<#trd rfc-lite title=\"Idea\">>\n\n## Motivation\n\nBecause.\n",
    )
    .unwrap();

    let notes = [
        "trd-templates/README.md: note: not a template, skipped: a README describes the folder",
        "trd-templates/TDD.md: note: not a template, skipped: \"TDD\" is not a template name (lowercase letters, digits, `-` and `_`); to use it as a template, rename it, e.g. `tdd.md`",
        "trd-templates/index.md: note: not a template, skipped: \"index\" is reserved",
    ];
    let assert_notes = |stderr: &str, what: &str| {
        for note in notes {
            assert!(stderr.contains(note), "{what}: no {note:?} in:\n{stderr}");
        }
        assert_eq!(stderr.matches(": note: ").count(), 3, "{what}: {stderr}");
        for quiet in ["notes.txt", ".draft.md", "drafts"] {
            assert!(
                !stderr.contains(quiet),
                "{what}: {quiet} mentioned:\n{stderr}"
            );
        }
    };
    for version in common::Mdbook::ALL {
        let build = Command::new(version.binary())
            .arg("build")
            .current_dir(root)
            .env("PATH", common::path_with_trd())
            .env_remove("MDBOOK_TRD_STRICT")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert!(build.status.success(), "{version:?}: {stderr}");
        assert_notes(&stderr, &format!("{version:?} build"));
        let html = read(&root.join("book/idea.html"));
        assert!(
            html.contains("RFC: Idea") && html.contains("Because."),
            "{html}"
        );
    }

    let check = run(&["check", "--strict"], root);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "mdbook-trd: 1 design doc checked, no problems\n"
    );
    assert_notes(&String::from_utf8_lossy(&check.stderr), "check");
    let json = run(&["check", "--format", "json"], root);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));

    let listing = run(&["templates"], root);
    let out = ok(&listing);
    assert!(
        out.contains("rfc-lite      trd-templates/rfc-lite.md\n"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 6, "{out}");
    assert_notes(&String::from_utf8_lossy(&listing.stderr), "templates");
}
