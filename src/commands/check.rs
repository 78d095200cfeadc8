//! `mdbook-trd check`: lint a book without building it.

use std::fmt::Write as _;

use serde_json::json;

use crate::report::diagnostic::{Diagnostic, Severity};

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: `file:line:col: error[rule-id]: what`, then how to fix it.
    Text,
    /// For tools: one JSON object with every finding (see [`JSON_VERSION`]).
    Json,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
}

/// The version of the JSON report's shape: raised when a field changes meaning or goes away
/// (adding a field keeps it), so a tool can tell which shape it reads.
pub const JSON_VERSION: u32 = 1;

/// The printed report and whether the check failed.
pub fn report(
    diagnostics: &[Diagnostic],
    docs: usize,
    format: Format,
    strict: bool,
    color: bool,
) -> (String, bool) {
    let counts = Counts::of(diagnostics, docs);
    // Notes never fail a check: strict mode makes warnings errors, not notes.
    let failed = counts.errors > 0 || (strict && counts.warnings > 0);
    let out = match format {
        Format::Text => text(diagnostics, &counts, color),
        Format::Json => json(diagnostics, &counts),
        Format::Github => github(diagnostics, &counts),
    };
    (out, failed)
}

/// How many design docs were checked, and how many findings of each severity there are.
struct Counts {
    docs: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

impl Counts {
    fn of(diagnostics: &[Diagnostic], docs: usize) -> Counts {
        let count = |severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        Counts {
            docs,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            notes: count(Severity::Note),
        }
    }
}

/// `--format json`: one object, versioned by [`JSON_VERSION`].
fn json(diagnostics: &[Diagnostic], counts: &Counts) -> String {
    let findings: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "rule": d.rule.id(),
                "severity": d.severity.to_string(),
                "file": d.file.as_ref().map(|f| f.display().to_string()),
                "line": d.position.map(|p| p.line),
                "column": d.position.map(|p| p.column),
                "message": d.message,
                "help": d.help,
                "notes": d.notes.iter().map(|n| json!({
                    "file": n.file.as_ref().map(|f| f.display().to_string()),
                    "line": n.position.map(|p| p.line),
                    "column": n.position.map(|p| p.column),
                    "message": n.message,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = json!({
        "version": JSON_VERSION,
        "docs": counts.docs,
        "errors": counts.errors,
        "warnings": counts.warnings,
        "notes": counts.notes,
        "diagnostics": findings,
    });
    format!("{value:#}\n")
}

/// `--format github`: one workflow command per finding, then the summary line.
fn github(diagnostics: &[Diagnostic], counts: &Counts) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut props = Vec::new();
        if let Some(f) = &d.file {
            props.push(format!(
                "file={}",
                escape_property(&f.display().to_string())
            ));
        }
        if let Some(p) = d.position {
            props.push(format!("line={}", p.line));
            props.push(format!("col={}", p.column));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("mdbook-trd ({})", d.rule))
        ));
        let mut message = d.message.clone();
        for note in &d.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{kind} {}::{}",
            props.join(","),
            escape_data(&message)
        );
    }
    out.push_str(&summary(counts));
    out.push('\n');
    out
}

fn text(diagnostics: &[Diagnostic], counts: &Counts, color: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let line = d.to_string();
        if color {
            let paint = match d.severity {
                Severity::Error => "1;31",
                Severity::Warning => "1;33",
                Severity::Note => "1;36",
            };
            // Only the label is painted, found by its place rather than by searching the line,
            // which could find the same text in a file name first.
            let head = d.location();
            let label = format!("{}:", d.label());
            let rest = line.get(head.len() + label.len()..).unwrap_or_default();
            let _ = write!(out, "{head}\x1b[{paint}m{label}\x1b[0m{rest}");
        } else {
            out.push_str(&line);
        }
        out.push('\n');
    }
    out.push_str(&summary(counts));
    out.push('\n');
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(counts: &Counts) -> String {
    let docs = plural(counts.docs, "design doc", "design docs");
    let notes = match counts.notes {
        0 => String::new(),
        n => format!(", {}", plural(n, "note", "notes")),
    };
    if counts.errors == 0 && counts.warnings == 0 {
        format!("mdbook-trd: {docs} checked, no problems{notes}")
    } else {
        format!(
            "mdbook-trd: {docs} checked, {}, {}{notes}",
            plural(counts.errors, "error", "errors"),
            plural(counts.warnings, "warning", "warnings")
        )
    }
}

/// GitHub's escaping for a workflow command's message.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping for a workflow command's property.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::diagnostic::Rule;
    use std::path::Path;

    fn findings() -> Vec<Diagnostic> {
        vec![
            Diagnostic::error(Rule::UnknownTemplate, "unknown template \"x\"")
                .in_file(Some(Path::new("src/a,b.md")))
                .at("one\ntwo", 4)
                .with_help("known: tdd"),
            Diagnostic::warning(Rule::UnknownStatus, "unknown status")
                .in_file(Some(Path::new("src/c.md"))),
        ]
    }

    #[test]
    fn text_lists_then_sums_up() {
        let (out, failed) = report(&findings(), 3, Format::Text, false, false);
        assert!(failed);
        assert_eq!(
            out,
            "src/a,b.md:2:1: error[unknown-template]: unknown template \"x\"\n  help: known: tdd\nsrc/c.md: warning[unknown-status]: unknown status\n\
             mdbook-trd: 3 design docs checked, 1 error, 1 warning\n"
        );
        let (colored, _) = report(&findings(), 3, Format::Text, false, true);
        assert!(colored.starts_with(
            "src/a,b.md:2:1: \x1b[1;31merror[unknown-template]:\x1b[0m unknown template \"x\"\n"
        ));
        assert!(
            colored
                .contains("src/c.md: \x1b[1;33mwarning[unknown-status]:\x1b[0m unknown status\n")
        );
        // A file name holding the label's text is left as it is: only the label is painted.
        let d = Diagnostic::warning(Rule::UnknownStatus, "x")
            .in_file(Some(Path::new("warning[unknown-status]:.md")));
        let (colored, _) = report(&[d], 1, Format::Text, false, true);
        assert!(
            colored.starts_with(
                "warning[unknown-status]:.md: \x1b[1;33mwarning[unknown-status]:\x1b[0m x\n"
            ),
            "{colored:?}"
        );
    }

    #[test]
    fn clean_books_pass_and_strict_fails_on_warnings() {
        let (out, failed) = report(&[], 1, Format::Text, true, false);
        assert_eq!(
            (out.as_str(), failed),
            ("mdbook-trd: 1 design doc checked, no problems\n", false)
        );
        let warning = &findings()[1..];
        assert!(!report(warning, 1, Format::Text, false, false).1);
        assert!(report(warning, 1, Format::Text, true, false).1);
    }

    #[test]
    fn notes_are_listed_and_counted_but_never_fail() {
        let note = Diagnostic::note(Rule::MovedHeading, "shown as `###`")
            .in_file(Some(Path::new("src/a.md")));
        let (out, failed) = report(std::slice::from_ref(&note), 1, Format::Text, true, false);
        assert_eq!(
            (out.as_str(), failed),
            (
                "src/a.md: note[moved-heading]: shown as `###`\n\
                 mdbook-trd: 1 design doc checked, no problems, 1 note\n",
                false
            )
        );
        let (json, _) = report(std::slice::from_ref(&note), 1, Format::Json, true, false);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (v["notes"].as_u64(), v["warnings"].as_u64()),
            (Some(1), Some(0))
        );
        assert_eq!(v["diagnostics"][0]["severity"], "note");
        let (github, _) = report(&[note], 1, Format::Github, false, false);
        assert!(github.starts_with("::notice file=src/a.md,"), "{github}");
    }

    #[test]
    fn github_annotations_are_escaped() {
        let (out, _) = report(&findings(), 3, Format::Github, false, false);
        assert!(out.starts_with(
            "::error file=src/a%2Cb.md,line=2,col=1,title=mdbook-trd (unknown-template)::unknown template \"x\"%0Ahelp: known: tdd\n"
        ), "{out}");
        assert!(out.contains(
            "::warning file=src/c.md,title=mdbook-trd (unknown-status)::unknown status\n"
        ));
    }

    #[test]
    fn github_escapes_data_and_properties_by_the_workflow_command_rules() {
        let d = Diagnostic::warning(Rule::InvalidDate, "100% sure: a, b\r\nc")
            .in_file(Some(Path::new("C:\\docs/a,b%c.md")))
            .at("x\ny", 2)
            .with_help("x::y");
        let (out, _) = report(&[d], 1, Format::Github, false, false);
        assert_eq!(
            out.lines().next().unwrap(),
            "::warning file=C%3A\\docs/a%2Cb%25c.md,line=2,col=1,title=mdbook-trd (invalid-date)::100%25 sure: a, b%0D%0Ac%0Ahelp: x::y"
        );
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("a:b,c%\r\n"), "a%3Ab%2Cc%25%0D%0A");
    }

    /// The runner's unescaping (actions/runner `ActionCommand`): `%25` last, so that an
    /// escaped `%` is never read as the start of another escape.
    fn unescape(s: &str, property: bool) -> String {
        let mut s = s.replace("%0D", "\r").replace("%0A", "\n");
        if property {
            s = s.replace("%3A", ":").replace("%2C", ",");
        }
        s.replace("%25", "%")
    }

    /// Splits an annotation as the runner does: the command, then properties up to the first
    /// `::`, each `key=value` split at the first `=` and separated by `,`.
    fn parse_annotation(line: &str) -> (String, Vec<(String, String)>, String) {
        let rest = line.strip_prefix("::").unwrap();
        let (head, data) = rest.split_once("::").unwrap();
        let (command, props) = head.split_once(' ').unwrap_or((head, ""));
        let props = props
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_owned(), unescape(v, true))
            })
            .collect();
        (command.to_owned(), props, unescape(data, false))
    }

    proptest::proptest! {
        #[test]
        fn github_annotations_round_trip_through_the_runner(
            message in "[a-dAC-D0-5%:,=\r\n ]{0,16}",
            help in proptest::option::of("[a-dAC-D0-5%:,=\r\n ]{0,8}"),
            file in proptest::option::of("[a-dAC-D0-5%:,=\r\n /.]{1,12}"),
            error in proptest::bool::ANY,
        ) {
            let d = if error {
                Diagnostic::error(Rule::DirectiveSyntax, &message)
            } else {
                Diagnostic::warning(Rule::ConfigUnknownKey, &message)
            };
            let mut d = d.in_file(file.as_deref().map(Path::new)).at("a\nb", 2);
            d.help = help.clone();
            let (out, _) = report(std::slice::from_ref(&d), 1, Format::Github, false, false);
            let lines: Vec<&str> = out.lines().collect();
            proptest::prop_assert_eq!(lines.len(), 2, "{:?}", out);
            let (command, props, data) = parse_annotation(lines[0]);
            proptest::prop_assert_eq!(command, if error { "error" } else { "warning" });
            let expected = match &help {
                Some(h) => format!("{message}\nhelp: {h}"),
                None => message.clone(),
            };
            proptest::prop_assert_eq!(data, expected);
            let file_prop = props.iter().find(|(k, _)| k == "file").map(|(_, v)| v.clone());
            proptest::prop_assert_eq!(file_prop, file);
            proptest::prop_assert!(props.contains(&("line".into(), "2".into())));
            let title = if error { "mdbook-trd (directive-syntax)" } else { "mdbook-trd (config-unknown-key)" };
            proptest::prop_assert!(props.contains(&("title".into(), title.into())));
        }
    }

    #[test]
    fn json_carries_the_same_findings() {
        let (out, _) = report(&findings(), 3, Format::Json, false, false);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["errors"], 1);
        assert_eq!(v["diagnostics"][0]["rule"], "unknown-template");
        assert_eq!(v["diagnostics"][1]["rule"], "unknown-status");
        assert_eq!(v["diagnostics"][0]["line"], 2);
        assert_eq!(v["diagnostics"][1]["line"], serde_json::Value::Null);
        assert_eq!(v["diagnostics"][0]["help"], "known: tdd");
    }
}
