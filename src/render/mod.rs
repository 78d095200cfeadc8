//! What writes output: a design doc's page from its template, the status badge and the index
//! table, in HTML or plain text. Uses the core (`model`), `markdown` and `report`.

pub mod badge;
pub mod index;
pub mod mode;
pub mod page;
