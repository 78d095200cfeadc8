//! Sections of a design doc, and how the author's sections merge into the skeleton's.
//!
//! Both sides are flat lists of sections in document order, each with its heading level: the
//! tree is implied by the levels. Authored sections keep byte ranges into the chapter, so the
//! merged document copies the author's bytes rather than re-rendering them. Of the crate it
//! uses `model::approvals` only (any two approval sections match).

pub mod authored;
pub mod balance;
pub mod headings;
pub mod merge;
pub mod outline;
