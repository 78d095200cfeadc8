//! mdbook-trd in a chain of preprocessors, with the real mdbook-mermaid 0.17.1 and mdBook 0.5
//! (mdbook-mermaid 0.17 reads only mdBook 0.5's JSON, so there is no 0.4 run): installed in
//! either order, mdbook-mermaid must run after mdbook-trd to draw the skeleton's diagrams.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Mdbook, read};

/// A copy of `tests/books/chain` (a `trd-numbered` doc, whose skeleton holds three mermaid
/// diagrams) at `DIR/book`, with nothing registered.
fn book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &common::repo().join("tests/books/chain"),
        &dir.path().join("book"),
    );
    dir
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "failed: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `$PATH` with mdbook-trd under test and the pinned mdbook-mermaid first.
fn path() -> std::ffi::OsString {
    let mermaid_dir = common::mermaid().parent().unwrap().to_path_buf();
    let rest = common::path_with_trd();
    std::env::join_paths(std::iter::once(mermaid_dir).chain(std::env::split_paths(&rest))).unwrap()
}

fn mermaid_install(dir: &Path) {
    ok(Command::new(common::mermaid())
        .args(["install", "book"])
        .current_dir(dir)
        .output()
        .unwrap());
}

fn trd_install(dir: &Path) -> String {
    stdout(&ok(common::run_trd(&["install", "book"], dir)))
}

/// `mdbook build` with mdBook 0.5; the page of the doc, and mdBook's stderr.
fn build(dir: &Path) -> (String, String) {
    let out: PathBuf = dir.join("out");
    let o = ok(Command::new(Mdbook::V05.binary())
        .arg("build")
        .arg(dir.join("book"))
        .arg("--dest-dir")
        .arg(&out)
        .env("PATH", path())
        .env_remove("MDBOOK_TRD_STRICT")
        .output()
        .unwrap());
    (read(&out.join("rate-limits.html")), stderr(&o))
}

/// The skeleton's three diagrams are drawn by mermaid.js (`<pre class="mermaid">`), none left
/// as a highlighted code block.
fn assert_drawn(page: &str) {
    assert_eq!(page.matches("<pre class=\"mermaid\">").count(), 3, "{page}");
    assert!(!page.contains("language-mermaid"), "{page}");
    assert!(page.contains("sequenceDiagram"), "{page}");
}

const WARNING: &str = "warning[preprocessor-order]: mdBook runs [preprocessor.mermaid] before \
     [preprocessor.trd], so it never sees what mdbook-trd writes: it draws ```mermaid code \
     blocks, which the trd-numbered and product-tdd skeletons hold\n  help: add before = \
     [\"mermaid\"] to [preprocessor.trd] in book.toml, or run mdbook-trd install again\n";

#[test]
fn mermaid_installed_first_then_trd_draws_the_diagrams() {
    let dir = book();
    mermaid_install(dir.path());
    let said = trd_install(dir.path());
    assert_eq!(
        said,
        "added [preprocessor.trd] to book/book.toml, with before = [\"mermaid\"] so that mdBook \
         runs mermaid after mdbook-trd\n"
    );
    let toml = read(&dir.path().join("book/book.toml"));
    assert!(
        toml.ends_with("\n[preprocessor.trd]\nafter = [\"links\"]\nbefore = [\"mermaid\"]\n"),
        "{toml}"
    );
    let (page, log) = build(dir.path());
    assert_drawn(&page);
    assert!(!log.contains("preprocessor-order"), "{log}");
    // mdBook warns about a `before` naming a preprocessor it does not have: none here.
    assert!(!log.contains("which was not found"), "{log}");
}

#[test]
fn trd_installed_first_warns_and_installing_again_fixes_it() {
    let dir = book();
    let said = trd_install(dir.path());
    assert_eq!(said, "added [preprocessor.trd] to book/book.toml\n");
    mermaid_install(dir.path());

    // mdBook runs mermaid first (the layer of index, links, mermaid; then trd): the
    // diagrams stay code blocks, and both the build and check say why and what to do.
    let (page, log) = build(dir.path());
    assert!(page.contains("language-mermaid"), "{page}");
    assert!(!page.contains("<pre class=\"mermaid\">"), "{page}");
    assert!(log.contains(&format!("book.toml: {WARNING}")), "{log}");
    let check = ok(common::run_trd(&["check", "book"], dir.path()));
    assert!(
        stdout(&check).contains(&format!("book/book.toml: {WARNING}")),
        "{}",
        stdout(&check)
    );
    let strict = common::run_trd(&["check", "book", "--strict"], dir.path());
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stdout(&strict).contains(
            "book/book.toml: error[preprocessor-order]: mdBook runs [preprocessor.mermaid]"
        ),
        "{}",
        stdout(&strict)
    );

    // install again: `before` is added to the table, everything else stays.
    let toml = dir.path().join("book/book.toml");
    let before_fix = read(&toml);
    let said = trd_install(dir.path());
    assert_eq!(
        said,
        "added \"mermaid\" to `before` in [preprocessor.trd] of book/book.toml, so that mdBook \
         runs mermaid after mdbook-trd\n"
    );
    assert_eq!(
        read(&toml),
        before_fix.replacen(
            "after = [\"links\"]\n",
            "after = [\"links\"]\nbefore = [\"mermaid\"]\n",
            1
        )
    );
    let (page, log) = build(dir.path());
    assert_drawn(&page);
    assert!(!log.contains("preprocessor-order"), "{log}");
    let check = ok(common::run_trd(&["check", "book"], dir.path()));
    assert!(
        !stdout(&check).contains("preprocessor-order"),
        "{}",
        stdout(&check)
    );

    // And a third time changes nothing.
    let said = trd_install(dir.path());
    assert!(
        said.contains("already registers mdbook-trd; nothing changed"),
        "{said}"
    );
}
