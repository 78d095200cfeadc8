//! The core: pure functions from text to the design-doc model. Directives, the doc's metadata,
//! statuses, sign-offs, sections and how they merge, templates, the settings they obey, and
//! what a page shows of unwritten sections.
//! Uses `markdown` and `report` only; no I/O.

pub mod approvals;
pub mod date;
pub mod directive;
pub mod doc;
pub mod sections;
pub mod settings;
pub mod status;
pub mod template;
pub mod unwritten;
