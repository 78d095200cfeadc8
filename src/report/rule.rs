//! The rules a finding can break: a stable id for every kind of [`Diagnostic`], so tools can
//! filter, count or silence findings without matching on message text, which may change.
//!
//! Each rule is declared once, in the table below: its variant, its id (kebab-case, printed as
//! `warning[unknown-status]` and in `check --format json`), the severity it is reported with
//! and one line saying what it reports. [`Rule::markdown_table`] renders that table for the
//! README, so the documentation cannot drift from the code.
//!
//! [`Diagnostic`]: super::diagnostic::Diagnostic

use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something the tool did that the author may want to know of: listed by `check` only,
    /// never in the build's log, and never failing anything, strict mode included.
    Note,
    /// Reported, but the book still builds (unless strict mode is on).
    Warning,
    /// The build fails and no book is written.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Declares [`Rule`] from one line per rule: `Variant = "id", Severity, "what it reports";`.
macro_rules! rules {
    ($($variant:ident = $id:literal, $severity:ident, $what:literal;)+) => {
        /// A kind of finding, with a stable id (see the module's documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(
                #[doc = $what]
                $variant,
            )+
        }

        impl Rule {
            /// Every rule, in the order of the README's table.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),+];

            /// The stable id, e.g. `unknown-status`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Rule::$variant => $id,)+
                }
            }

            /// The severity a finding of this rule is reported with, before strict mode turns
            /// warnings into errors. (`not-registered` is the one rule whose findings may be
            /// either: see its description.)
            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$variant => Severity::$severity,)+
                }
            }

            /// One line saying what the rule reports.
            pub fn description(self) -> &'static str {
                match self {
                    $(Rule::$variant => $what,)+
                }
            }
        }
    };
}

rules! {
    // Directives in chapters.
    DirectiveSyntax = "directive-syntax", Error,
        "a malformed directive: no or an invalid template name, an open quote, a missing `>>`, an attribute that is not `key=value`, an attribute given twice";
    UnknownTemplate = "unknown-template", Error,
        "a directive names a template that does not exist";
    SecondTemplate = "second-template", Error,
        "a second template directive in one chapter (a chapter holds one design doc)";
    UnknownAttribute = "unknown-attribute", Error,
        "a template directive has an attribute no field takes";
    UnknownStatus = "unknown-status", Warning,
        "a status that is neither a name nor an alias in the lifecycle";
    InvalidDate = "invalid-date", Warning,
        "`date` or `updated` is not a calendar date written `YYYY-MM-DD`";
    IndexOption = "index-option", Error,
        "an index directive has an unknown option or an option value it cannot use";
    UnderlinedDirective = "underlined-directive", Error,
        "a `---` or `===` line under a directive makes it a heading, so it is not expanded";
    MisplacedDirective = "misplaced-directive", Warning,
        "a directive in a heading, or continuing the paragraph, quote or list item above, is not expanded";
    NestedDirective = "nested-directive", Warning,
        "a directive inside a list, block quote, table, definition list or footnote is not expanded";
    // Merging the author's sections into the template.
    UnbalancedSection = "unbalanced-section", Warning,
        "a section leaves a code fence, comment or HTML block open (or closes one it did not open), so it is kept in place, not merged";
    NearMissHeading = "near-miss-heading", Warning,
        "a heading that nearly matches a template section left unfilled";
    TwoTitles = "two-titles", Warning,
        "an H1 before the directive that is not the doc's title, so the page has two titles";
    MovedHeading = "moved-heading", Note,
        "a heading the page shows at another level than written, so the doc has one outline: the level of the template section it fills, and its sub-sections move with it (only the `#` markers change)";
    // Book-wide checks.
    ApprovalMissing = "approval-missing", Warning,
        "a doc approved or later lacks sign-offs from required roles";
    UnwrittenApproved = "unwritten-approved", Warning,
        "a doc approved or later has fewer sections written than `min-completeness`";
    DuplicateNumber = "duplicate-number", Warning,
        "two design docs have the same number";
    SupersedeUnknown = "supersede-unknown", Warning,
        "`supersedes` or `superseded-by` names no design doc of the book";
    SupersedeSelf = "supersede-self", Warning,
        "a doc supersedes, or is superseded by, itself";
    SupersedeBothWays = "supersede-both-ways", Warning,
        "a doc both supersedes and is superseded by the same doc";
    SupersedeCycle = "supersede-cycle", Warning,
        "a ring of docs each superseding the next, back to the first";
    SupersededInForce = "superseded-in-force", Warning,
        "a doc approved or later that a newer doc supersedes, whose status is not `Superseded`";
    // book.toml and the environment.
    NotRegistered = "not-registered", Error,
        "`book.toml` has no `[preprocessor.trd]`, so mdBook never runs mdbook-trd (a warning when the book has no directives)";
    ConfigUnknownKey = "config-unknown-key", Warning,
        "a key of `[preprocessor.trd]` or of a status table that is not a setting";
    ConfigInvalidValue = "config-invalid-value", Warning,
        "a setting in `[preprocessor.trd]` or one of its tables with a value of the wrong type or out of range (it is ignored)";
    EmptyLifecycle = "empty-lifecycle", Warning,
        "`lifecycle = \"replace\"` with no statuses, so the built-in ones are used";
    DuplicateStatus = "duplicate-status", Warning,
        "`[preprocessor.trd.statuses]` has two tables for one status (names match case-insensitively)";
    UnnamedStatus = "unnamed-status", Warning,
        "a status in `[preprocessor.trd.statuses]` has an empty name";
    StatusAliasClash = "status-alias-clash", Warning,
        "a status alias that is already another status's name or alias";
    ApprovalsUnknownTemplate = "approvals-unknown-template", Warning,
        "a key of `[preprocessor.trd.approvals]` names no template, so its roles are never required";
    StrictEnv = "strict-env", Warning,
        "`MDBOOK_TRD_STRICT` is neither yes nor no (it is taken as yes)";
    PreprocessorOrder = "preprocessor-order", Warning,
        "mdBook runs a preprocessor that reads what mdbook-trd writes (`mermaid`, `toc`, `admonish`, ...) before mdbook-trd, so it never sees the skeletons";
    // The book's own templates.
    TemplatesFolder = "templates-folder", Error,
        "the `templates` folder is outside the book or does not exist";
    TemplateUnreadable = "template-unreadable", Error,
        "a template file leads outside the templates folder or cannot be read";
    TemplateDirective = "template-directive", Error,
        "a template holds a directive (it could expand itself without end)";
    TemplateUnbalanced = "template-unbalanced", Error,
        "a template leaves a code fence, comment or HTML element open (or closes one it did not open), so authored text merged after it would change what is code";
}

impl Rule {
    /// The rule whose id is `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// The README's table of every rule: `| rule | severity | what it reports |`, one row per
    /// rule in [`Rule::ALL`] order, ending with a newline.
    pub fn markdown_table() -> String {
        let mut out = String::from(
            "| rule | severity | what it reports |\n|------|----------|-----------------|\n",
        );
        for rule in Rule::ALL {
            // A `|` would end the cell early; no description has one, and a test keeps it so.
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                rule.id(),
                rule.severity(),
                rule.description()
            ));
        }
        out
    }
}

impl fmt::Display for Rule {
    /// The id, e.g. `unknown-status`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for &rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(rule));
            assert_eq!(rule.to_string(), rule.id());
        }
        assert_eq!(Rule::from_id("no-such-rule"), None);
    }

    #[test]
    fn the_table_has_a_row_per_rule() {
        let table = Rule::markdown_table();
        assert_eq!(table.lines().count(), Rule::ALL.len() + 2);
        assert!(table.contains("| `unknown-status` | warning | a status that is neither"));
    }
}
