//! Findings: every check in the crate reports a [`diagnostic::Diagnostic`] of a [`rule::Rule`]
//! (a stable id), [`suggest`] finds the name a typo was meant to be, and [`summary`] keeps a
//! build's log short. The lowest layer: it
//! uses nothing else of the crate.

pub mod diagnostic;
pub mod rule;
pub mod suggest;
pub mod summary;
