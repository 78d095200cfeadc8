//! The book's settings for this preprocessor, as the analysis uses them. Reading them from
//! `[preprocessor.trd]` in `book.toml`, leniently and with warnings, is the edge's job
//! (`edge::book_toml`).

use std::collections::BTreeMap;

use super::status::Lifecycle;
use super::unwritten::Unwritten;

/// Settings from `[preprocessor.trd]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Turn every warning into an error.
    pub strict: bool,
    /// The statuses a doc can have.
    pub lifecycle: Lifecycle,
    /// Required sign-off roles: per template name, and `default` for every other template.
    /// Templates with neither require the roles their own Approval section lists.
    pub approvals: BTreeMap<String, Vec<String>>,
    /// The least completeness (0 to 1) of a doc that is approved or later.
    pub min_completeness: f64,
    /// The folder of the book's own templates, relative to the book's root.
    pub templates: Option<String>,
    /// What readers see of a doc's unwritten sections, unless its status says otherwise.
    pub unwritten: Unwritten,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            strict: false,
            lifecycle: Lifecycle::default(),
            approvals: BTreeMap::new(),
            min_completeness: DEFAULT_MIN_COMPLETENESS,
            templates: None,
            unwritten: Unwritten::Show,
        }
    }
}

/// The default `min-completeness`: a fifth of a template's sections written.
pub const DEFAULT_MIN_COMPLETENESS: f64 = 0.2;

impl Settings {
    /// What a doc in `status` shows of its unwritten sections: its status's own policy, else
    /// the book's.
    pub fn unwritten_for(&self, status: &str) -> Unwritten {
        self.lifecycle
            .resolve(status)
            .and_then(|s| s.unwritten)
            .unwrap_or(self.unwritten)
    }

    /// The roles that must sign a doc of `template`, when the book sets them.
    pub fn required_roles(&self, template: &str) -> Option<&[String]> {
        self.approvals
            .get(template)
            .or_else(|| self.approvals.get("default"))
            .map(Vec::as_slice)
    }
}
