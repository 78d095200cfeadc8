//! Markdown, knowing nothing of design docs: the extensions mdBook parses with, values written
//! so they read as typed, links between the book's pages, and text kept out of search indexes. The lowest layer with `report`:
//! it uses nothing else of the crate.

pub mod flavor;
pub mod heading;
pub mod link;
pub mod quiet;
pub mod write;
