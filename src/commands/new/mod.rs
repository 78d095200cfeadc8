//! `mdbook-trd new`: write a new design doc chapter and add it to `SUMMARY.md`. Uses the
//! book as `commands::analysed` reads it, and every layer below.

pub mod chapter;
pub mod number;
pub mod summary;
