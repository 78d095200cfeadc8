//! The book as a whole, between mdBook's JSON and the pages written: each chapter analysed
//! (directives, the design doc, how the author's text merges), the checks across docs, then
//! each chapter written. Uses the core (`model`), the output (`render`) and the foundation.

pub mod book;
pub mod chapter;
pub mod expand;
pub mod supersede;
pub mod walk;
