//! `mdbook-trd new`: write a new design doc chapter and add it to `SUMMARY.md`.

pub mod chapter;
pub mod number;
pub mod summary;
