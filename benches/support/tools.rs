//! What both benchmarks run: the repository, the pinned mdBook, and `PATH` with a folder first.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The pinned mdBook: `$MDBOOK_TRD_MDBOOK_05`, else the project-local install.
pub fn mdbook() -> PathBuf {
    std::env::var_os("MDBOOK_TRD_MDBOOK_05")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".tools/mdbook-0.5.4/bin/mdbook"))
}

/// `$PATH` with `dir` first, so mdBook finds the `mdbook-trd` under test.
pub fn path_with(dir: &Path) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .expect("PATH")
}
