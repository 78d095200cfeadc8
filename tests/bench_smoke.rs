//! A quick run of the benchmark's book generator (small N), so the benchmark cannot rot: the
//! generated book reads, has the intended mix, and builds with the real mdBook.

#[path = "../benches/support/synth.rs"]
mod synth;

mod common;

use mdbook_trd::render::mode::RenderMode;

#[test]
fn the_generator_makes_a_book_the_preprocessor_accepts() {
    let dir = tempfile::tempdir().unwrap();
    synth::write_book(
        dir.path(),
        40,
        synth::Kind::Typical,
        "[book]\ntitle = \"Synthetic\"\n\n[preprocessor.trd]\n",
    )
    .unwrap();
    let analysed =
        mdbook_trd::commands::analysed::analyse(dir.path(), false, RenderMode::Plain).unwrap();
    // 70% design docs across all five templates, and an index page.
    assert_eq!(analysed.analysis.docs.len(), 28);
    let mut templates: Vec<&str> = analysed
        .analysis
        .docs
        .iter()
        .map(|d| d.template.as_str())
        .collect();
    templates.sort();
    templates.dedup();
    assert_eq!(templates.len(), 5);
    assert!(
        analysed
            .analysis
            .chapters
            .iter()
            .any(|c| !c.indexes.is_empty())
    );
    assert!(
        !analysed.analysis.has_errors(),
        "{:?}",
        analysed.analysis.diagnostics
    );

    let out = std::process::Command::new(common::Mdbook::V05.binary())
        .arg("build")
        .arg(dir.path())
        .env("PATH", common::path_with_trd())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(dir.path().join("book/index-page.html")).unwrap();
    assert!(index.contains("28 design docs"), "{index}");
}

#[test]
fn the_warnings_book_breaks_the_rules_it_is_meant_to() {
    let dir = tempfile::tempdir().unwrap();
    synth::write_book(
        dir.path(),
        200,
        synth::Kind::Warnings,
        "[book]\ntitle = \"Synthetic\"\n\n[preprocessor.trd]\n",
    )
    .unwrap();
    let analysed =
        mdbook_trd::commands::analysed::analyse(dir.path(), false, RenderMode::Plain).unwrap();
    let a = &analysed.analysis;
    // The names the benchmark prints and its folders use (`target/bench-books/warnings-5000`).
    assert_eq!(
        synth::Kind::ALL.map(synth::Kind::name),
        ["typical", "warnings"]
    );
    assert!(!a.has_errors(), "{:?}", a.diagnostics);
    // Most docs raise at least one warning, of every rule the book is written to break.
    assert!(
        a.diagnostics.len() > a.docs.len(),
        "{}",
        a.diagnostics.len()
    );
    let rules: Vec<String> = a.diagnostics.iter().map(|d| d.rule.to_string()).collect();
    for rule in [
        "approval-missing",
        "unwritten-approved",
        "unknown-status",
        "duplicate-number",
    ] {
        assert!(rules.iter().any(|r| r == rule), "{rule}");
    }
}
