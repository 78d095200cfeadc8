//! The build log: what a build prints about its warnings, in a bounded number of lines.
//!
//! A build runs on every save and in every CI job, and mdBook's own messages share its stderr.
//! So a build with many warnings prints a count per rule and the first few of each (one line
//! apiece, `file:line:column` first), then points to `mdbook-trd check`, which lists them all.
//! A build with few warnings prints each one in full, notes and help included. Errors are never
//! summarised: they fail the build, and each one must be fixed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::diagnostic::Diagnostic;
use super::rule::Rule;

/// The most lines a build prints about its warnings, whatever the book's size.
pub const BUILD_LOG_LINES: usize = 50;

/// The most examples shown of one rule in a summary.
const EXAMPLES_PER_RULE: usize = 3;

/// What a build prints about `warnings`: each in full when that fits in [`BUILD_LOG_LINES`]
/// lines, else a summary of at most that many lines. Empty for no warnings; otherwise every line
/// ends with a newline. Notes are left to `check` (see
/// [`Severity::Note`](crate::report::diagnostic::Severity::Note)): a build that merely did
/// what it was asked prints nothing about it.
pub fn build_log(findings: &[Diagnostic]) -> String {
    let warnings: Vec<&Diagnostic> = findings.iter().filter(|d| !d.is_note()).collect();
    // Counted, not formatted, and only until the budget is passed: a book with thousands of
    // warnings formats only the few lines of its summary.
    let mut lines = 0;
    let fits = warnings.iter().all(|w| {
        lines += w.printed_lines();
        lines <= BUILD_LOG_LINES
    });
    if !fits {
        return summary(&warnings);
    }
    let mut full = String::new();
    for w in warnings {
        let _ = writeln!(full, "{w}");
    }
    full
}

/// The summary of a long list: a header, then per rule (in the rules' table order) a count line
/// and its first findings' first lines, then the pointer to `check`.
fn summary(warnings: &[&Diagnostic]) -> String {
    let mut by_rule: BTreeMap<Rule, Vec<&Diagnostic>> = BTreeMap::new();
    for &w in warnings {
        by_rule.entry(w.rule).or_default().push(w);
    }
    let total = warnings.len();
    // Header, pointer and one count line per rule are always printed; examples share the rest.
    let budget = BUILD_LOG_LINES.saturating_sub(2 + by_rule.len());
    let per_rule = (budget / by_rule.len().max(1)).min(EXAMPLES_PER_RULE);

    let mut out = String::new();
    let _ = writeln!(
        out,
        "warning: mdbook-trd: {total} warnings of {} kind{}:",
        by_rule.len(),
        if by_rule.len() == 1 { "" } else { "s" }
    );
    for (rule, found) in &by_rule {
        let _ = writeln!(out, "  {rule}: {} ({})", found.len(), rule.description());
        for w in found.iter().take(per_rule) {
            let _ = writeln!(out, "    {}{}", w.location(), w.message);
        }
    }
    let _ = writeln!(out, "run `mdbook-trd check` to see all {total}");
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::report::diagnostic::Position;

    fn warning(rule: Rule, file: &str, line: usize) -> Diagnostic {
        Diagnostic::warning(rule, format!("finding on line {line}"))
            .in_file(Some(Path::new(file)))
            .at_position(Position { line, column: 1 })
            .with_help("fix it")
    }

    #[test]
    fn few_warnings_are_printed_in_full() {
        let warnings = vec![
            warning(Rule::UnknownStatus, "src/a.md", 3),
            warning(Rule::InvalidDate, "src/b.md", 4),
        ];
        let log = build_log(&warnings);
        assert_eq!(
            log,
            "src/a.md:3:1: warning[unknown-status]: finding on line 3\n  help: fix it\n\
             src/b.md:4:1: warning[invalid-date]: finding on line 4\n  help: fix it\n"
        );
        assert_eq!(build_log(&[]), "");
    }

    #[test]
    fn many_warnings_fit_in_the_budget_with_counts_examples_and_the_pointer() {
        let mut warnings = Vec::new();
        for i in 0..5000 {
            warnings.push(warning(Rule::ApprovalMissing, &format!("src/d{i}.md"), 2));
        }
        for i in 0..926 {
            warnings.push(warning(Rule::UnwrittenApproved, &format!("src/u{i}.md"), 7));
        }
        let log = build_log(&warnings);
        assert!(log.lines().count() <= BUILD_LOG_LINES, "{log}");
        assert!(
            log.starts_with("warning: mdbook-trd: 5926 warnings of 2 kinds"),
            "{log}"
        );
        assert!(
            log.contains("\n  approval-missing: 5000 (a doc approved"),
            "{log}"
        );
        assert!(log.contains("\n  unwritten-approved: 926 ("), "{log}");
        assert!(
            log.contains("\n    src/d0.md:2:1: finding on line 2\n"),
            "{log}"
        );
        assert!(log.contains("\n    src/d2.md:2:1: "), "{log}");
        assert!(!log.contains("src/d3.md"), "{log}");
        assert!(log.contains("\n    src/u0.md:7:1: "), "{log}");
        assert!(
            log.ends_with("run `mdbook-trd check` to see all 5926\n"),
            "{log}"
        );
    }

    #[test]
    fn printed_lines_are_counted_as_printed() {
        let many = warning(Rule::DuplicateNumber, "src/odd\nname.md", 1)
            .with_note(Some(Path::new("src/a\n.md")), None, "two\nlines\n")
            .with_note(None, None, "");
        let cases = [
            warning(Rule::UnknownStatus, "src/a.md", 3),
            Diagnostic::warning(Rule::UnknownStatus, ""),
            Diagnostic::warning(Rule::UnknownStatus, "a\r\nb\n").with_help("\n"),
            many,
        ];
        for d in cases {
            assert_eq!(d.printed_lines(), format!("{d}\n").lines().count(), "{d}");
        }
    }

    #[test]
    fn fifty_lines_are_printed_in_full_and_fifty_one_summarised() {
        // Two lines each (the finding and its help).
        let warnings: Vec<_> = (0..26)
            .map(|i| warning(Rule::UnknownStatus, "src/a.md", i + 1))
            .collect();
        assert!(!build_log(&warnings[..25]).starts_with("warning: mdbook-trd:"));
        assert_eq!(build_log(&warnings[..25]).lines().count(), 50);
        assert!(build_log(&warnings).starts_with("warning: mdbook-trd: 26 warnings"));
    }

    #[test]
    fn every_rule_at_once_still_fits() {
        let warnings: Vec<_> = Rule::ALL
            .iter()
            .flat_map(|&rule| (0..10).map(move |i| warning(rule, "src/x.md", i + 1)))
            .collect();
        let log = build_log(&warnings);
        assert!(log.lines().count() <= BUILD_LOG_LINES, "{log}");
        for rule in Rule::ALL {
            assert!(log.contains(&format!("\n  {rule}: 10 (")), "{rule}: {log}");
        }
    }
}
