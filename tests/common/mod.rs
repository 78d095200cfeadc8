//! Helpers for the integration tests: the pinned mdBook binaries, and building a copy of a
//! book with them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// An mdBook version the tests run.
#[derive(Debug, Clone, Copy)]
pub enum Mdbook {
    /// The pinned 0.5 release.
    V05,
    /// The last 0.4 release.
    V04,
}

impl Mdbook {
    pub const ALL: [Mdbook; 2] = [Mdbook::V05, Mdbook::V04];

    /// The binary: `$MDBOOK_TRD_MDBOOK_05`/`_04` (set by `scripts/test`), else the project-local
    /// install that script makes.
    pub fn binary(self) -> PathBuf {
        let (var, version) = match self {
            Mdbook::V05 => ("MDBOOK_TRD_MDBOOK_05", "0.5.4"),
            Mdbook::V04 => ("MDBOOK_TRD_MDBOOK_04", "0.4.52"),
        };
        let path = std::env::var_os(var)
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join(format!(".tools/mdbook-{version}/bin/mdbook")));
        assert!(
            path.is_file(),
            "mdBook {version} not found at {}: run ./scripts/test, which installs it",
            path.display()
        );
        path
    }
}

/// The pinned mdbook-mermaid: `$MDBOOK_TRD_MERMAID` (set by `scripts/test`), else the
/// project-local install that script makes. It is built on mdbook-preprocessor 0.5 and reads
/// only mdBook 0.5's JSON, so the tests run it with mdBook 0.5 only.
pub fn mermaid() -> PathBuf {
    let version = "0.17.1";
    let path = std::env::var_os("MDBOOK_TRD_MERMAID")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            repo().join(format!(
                ".tools/mdbook-mermaid-{version}/bin/mdbook-mermaid"
            ))
        });
    assert!(
        path.is_file(),
        "mdbook-mermaid {version} not found at {}: run ./scripts/test, which installs it",
        path.display()
    );
    path
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The preprocessor binary under test.
pub fn trd() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mdbook-trd"))
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            if entry.file_name() == "book" {
                continue;
            }
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A built copy of a book.
pub struct Built {
    /// Keeps the temporary folder alive.
    pub dir: tempfile::TempDir,
    /// mdBook's exit status, stdout and stderr.
    pub output: Output,
}

impl Built {
    /// The book's root in the temporary folder.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("book-src")
    }

    /// The HTML renderer's output folder.
    pub fn html(&self) -> PathBuf {
        self.dir.path().join("out/html")
    }

    /// The markdown renderer's output folder.
    pub fn markdown(&self) -> PathBuf {
        self.dir.path().join("out/markdown")
    }

    /// A file of the HTML output.
    pub fn html_page(&self, path: &str) -> String {
        read(&self.html().join(path))
    }

    /// A file of the markdown output.
    pub fn markdown_page(&self, path: &str) -> String {
        read(&self.markdown().join(path))
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn succeeded(&self) -> bool {
        self.output.status.success()
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copies `book` (relative to the repository root) to a temporary folder, adds `settings` to
/// its `[preprocessor.trd]` table, and builds it with both the HTML and the markdown renderer.
pub fn build(book: &str, mdbook: Mdbook, settings: &str) -> Built {
    build_with_env(book, mdbook, settings, &[])
}

/// [`build`] with extra environment variables for mdBook (and so the preprocessor).
pub fn build_with_env(book: &str, mdbook: Mdbook, settings: &str, env: &[(&str, &str)]) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book-src");
    copy_tree(&repo().join(book), &root);
    let toml = root.join("book.toml");
    let mut config = read(&toml).replacen(
        "[preprocessor.trd]\n",
        &format!("[preprocessor.trd]\n{settings}\n"),
        1,
    );
    if !config.contains("[output.html]") {
        config.push_str("\n[output.html]\n");
    }
    config.push_str("\n[output.markdown]\n");
    std::fs::write(&toml, config).unwrap();
    let output = Command::new(mdbook.binary())
        .arg("build")
        .arg(&root)
        .arg("--dest-dir")
        .arg(dir.path().join("out"))
        .env("PATH", path_with_trd())
        .env_remove("MDBOOK_TRD_STRICT")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Built { dir, output }
}

/// `$PATH` with the folder of the binary under test first, so mdBook finds `mdbook-trd`.
pub fn path_with_trd() -> std::ffi::OsString {
    let bin_dir = trd().parent().unwrap().to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&rest))).unwrap()
}

/// Runs `mdbook-trd ARGS` in `cwd`, without colour and without a strict override.
pub fn run_trd(args: &[&str], cwd: &Path) -> Output {
    Command::new(trd())
        .args(args)
        .current_dir(cwd)
        .env_remove("MDBOOK_TRD_STRICT")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Runs `mdbook test` on a copy of `book` (relative to the repository root), with the
/// preprocessor under test on `$PATH`. Returns the temporary folder and mdBook's output.
pub fn mdbook_test(book: &str, mdbook: Mdbook) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book-src");
    copy_tree(&repo().join(book), &root);
    let output = Command::new(mdbook.binary())
        .arg("test")
        .arg(&root)
        .env("PATH", path_with_trd())
        .env_remove("MDBOOK_TRD_STRICT")
        .output()
        .unwrap();
    (dir, output)
}
