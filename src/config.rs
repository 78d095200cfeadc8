//! The book's settings for this preprocessor (`[preprocessor.trd]` in `book.toml`) and the
//! Markdown flavour mdBook renders with.
//!
//! Both are read leniently from JSON values: the `[preprocessor.trd]` table also holds mdBook's
//! own keys (`command`, `before`, ...), and a newer mdBook may send settings we do not know.

use std::collections::BTreeMap;

use pulldown_cmark::Options;
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, list};
use crate::status::{Color, Lifecycle, Status, UNKNOWN_COLOR};

/// Keys of `[preprocessor.trd]` that belong to mdBook, not to us.
const MDBOOK_KEYS: &[&str] = &["command", "renderers", "before", "after", "optional"];
/// Keys of `[preprocessor.trd]` that belong to us.
const OUR_KEYS: &[&str] = &[
    "strict",
    "lifecycle",
    "statuses",
    "approvals",
    "min-completeness",
    "templates",
];

/// The environment variable that turns strict mode on (or off) for one run, e.g. in CI.
pub const STRICT_ENV: &str = "MDBOOK_TRD_STRICT";

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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            strict: false,
            lifecycle: Lifecycle::default(),
            approvals: BTreeMap::new(),
            min_completeness: DEFAULT_MIN_COMPLETENESS,
            templates: None,
        }
    }
}

/// The default `min-completeness`: a fifth of a template's sections written.
pub const DEFAULT_MIN_COMPLETENESS: f64 = 0.2;

impl Settings {
    /// The roles that must sign a doc of `template`, when the book sets them.
    pub fn required_roles(&self, template: &str) -> Option<&[String]> {
        self.approvals
            .get(template)
            .or_else(|| self.approvals.get("default"))
            .map(Vec::as_slice)
    }
}

fn book_toml(message: String) -> Diagnostic {
    Diagnostic::warning(message).in_file(Some("book.toml".as_ref()))
}

impl Settings {
    /// Reads the `[preprocessor.trd]` table (or nothing). Unknown keys and values of the wrong
    /// type give warnings, never a failure.
    pub fn from_table(table: Option<&Value>) -> (Settings, Vec<Diagnostic>) {
        let mut settings = Settings::default();
        let mut warnings = Vec::new();
        let Some(Value::Object(map)) = table else {
            return (settings, warnings);
        };
        let mut replace = false;
        for (key, value) in map {
            match key.as_str() {
                "strict" => match parse_bool(value) {
                    Some(b) => settings.strict = b,
                    None => warnings.push(book_toml(format!(
                        "`strict` in [preprocessor.trd] should be true or false, not {value}"
                    ))),
                },
                "lifecycle" => match value.as_str() {
                    Some("extend") => replace = false,
                    Some("replace") => replace = true,
                    _ => warnings.push(
                        book_toml(format!("`lifecycle` should be \"extend\" or \"replace\", not {value}"))
                            .with_help("\"extend\" (the default) adds to the built-in statuses; \"replace\" uses only yours"),
                    ),
                },
                "statuses" => {}
                "approvals" => match value {
                    Value::Object(by_template) => {
                        for (template, roles) in by_template {
                            match string_list(roles) {
                                Some(list) => {
                                    settings.approvals.insert(template.clone(), list);
                                }
                                None => warnings.push(book_toml(format!(
                                    "[preprocessor.trd.approvals] `{template}` should be a list of roles, not {roles}"
                                ))),
                            }
                        }
                    }
                    other => warnings.push(
                        book_toml(format!("[preprocessor.trd.approvals] should be a table, not {other}"))
                            .with_help("e.g. `default = [\"Tech Lead\", \"Architect\"]`, `tdd = [...]`"),
                    ),
                },
                "templates" => match value.as_str() {
                    Some(folder) if !folder.trim().is_empty() => {
                        settings.templates = Some(folder.trim().to_owned());
                    }
                    _ => warnings.push(book_toml(format!(
                        "`templates` should name a folder of the book, not {value}"
                    ))),
                },
                "min-completeness" => match value.as_f64() {
                    Some(f) if (0.0..=1.0).contains(&f) => settings.min_completeness = f,
                    _ => warnings.push(
                        book_toml(format!("`min-completeness` should be a number from 0 to 1, not {value}"))
                            .with_help("e.g. `min-completeness = 0.2` (a fifth of the sections written)"),
                    ),
                },
                k if MDBOOK_KEYS.contains(&k) => {}
                k => warnings.push(
                    book_toml(format!("unknown setting `{k}` in [preprocessor.trd]"))
                        .with_help(format!("known settings: {}", list(OUR_KEYS))),
                ),
            }
        }
        if replace {
            settings.lifecycle = Lifecycle::new(Vec::new());
        }
        match map.get("statuses") {
            None => {}
            Some(Value::Object(statuses)) => {
                for (name, definition) in statuses {
                    let status = status_from(&settings.lifecycle, name, definition, &mut warnings);
                    settings.lifecycle.upsert(status);
                }
            }
            Some(other) => warnings.push(book_toml(format!(
                "[preprocessor.trd.statuses] should be a table of statuses, not {other}"
            ))),
        }
        if settings.lifecycle.statuses().is_empty() {
            warnings.push(
                book_toml(
                    "`lifecycle = \"replace\"` with no statuses: using the built-in ones".into(),
                )
                .with_help("add [preprocessor.trd.statuses.NAME] tables"),
            );
            settings.lifecycle = Lifecycle::default();
        }
        (settings, warnings)
    }

    /// Applies `MDBOOK_TRD_STRICT` (`1`/`true`/`yes` or `0`/`false`/`no`) when it is set.
    pub fn with_env_override(mut self, value: Option<&str>) -> Self {
        if let Some(b) = value.and_then(|v| parse_bool(&Value::String(v.into()))) {
            self.strict = b;
        }
        self
    }
}

/// Reads one `[preprocessor.trd.statuses.NAME]` table; what is not given is kept from the
/// status of the same name, if the lifecycle has one.
fn status_from(
    lifecycle: &Lifecycle,
    name: &str,
    definition: &Value,
    warnings: &mut Vec<Diagnostic>,
) -> Status {
    let existing = lifecycle
        .statuses()
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(name.trim()));
    let mut status = Status {
        name: name.trim().to_owned(),
        aliases: existing.map(|s| s.aliases.clone()).unwrap_or_default(),
        color: existing.map_or(UNKNOWN_COLOR, |s| s.color),
        order: existing.map_or_else(|| lifecycle.next_order(), |s| s.order),
        signed_off: existing.is_some_and(|s| s.signed_off),
    };
    let Value::Object(fields) = definition else {
        warnings.push(book_toml(format!(
            "status `{name}` should be a table with `color`, `aliases` and `order`"
        )));
        return status;
    };
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("color", Value::String(c)) => match Color::parse(c) {
                Some(color) => status.color = color,
                None => warnings.push(
                    book_toml(format!("status `{name}`: colour {c:?} is not a hex colour"))
                        .with_help("write it as \"#rrggbb\", e.g. \"#1a7f37\""),
                ),
            },
            ("aliases", Value::Array(items)) => {
                status.aliases = items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect();
            }
            ("order", Value::Number(n)) if n.as_i64().is_some() => {
                status.order = n.as_i64().unwrap_or(status.order);
            }
            ("signed-off", Value::Bool(b)) => status.signed_off = *b,
            (key, value) => warnings.push(
                book_toml(format!("status `{name}`: unexpected `{key} = {value}`")).with_help(
                    "a status takes `color = \"#rrggbb\"`, `aliases = [\"...\"]`, `order = 25` and `signed-off = true`",
                ),
            ),
        }
    }
    status
}

/// A list of non-empty strings.
fn string_list(value: &Value) -> Option<Vec<String>> {
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(|s| s.trim().to_owned()))
        .filter(|s| s.as_ref().is_none_or(|s| !s.is_empty()))
        .collect()
}

/// Accepts `true`, `"true"`, `"yes"`, `"1"`, `1` (and their negatives): mdBook's
/// `MDBOOK_PREPROCESSOR__TRD__STRICT` environment override sends strings.
fn parse_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().filter(|n| *n <= 1).map(|n| n == 1),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Some(true),
            "false" | "no" | "off" | "0" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The Markdown extensions mdBook turns on, which decide what counts as a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownFlavor {
    /// `output.html.definition-lists` (mdBook 0.5; on by default there).
    pub definition_lists: bool,
    /// `output.html.admonitions`, GitHub-style `> [!NOTE]` blocks (mdBook 0.5; on by default).
    pub admonitions: bool,
}

impl Default for MarkdownFlavor {
    /// mdBook 0.5's defaults.
    fn default() -> Self {
        MarkdownFlavor {
            definition_lists: true,
            admonitions: true,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
struct HtmlFlags {
    definition_lists: Option<bool>,
    admonitions: Option<bool>,
}

impl MarkdownFlavor {
    /// The flavour of the mdBook that sent `config`: 0.4 has neither extension, 0.5 has both
    /// unless `[output.html]` turns them off.
    pub fn from_config(config: &Value, is_mdbook_04: bool) -> Self {
        if is_mdbook_04 {
            return MarkdownFlavor {
                definition_lists: false,
                admonitions: false,
            };
        }
        let flags = config
            .pointer("/output/html")
            .and_then(|v| HtmlFlags::deserialize(v).ok())
            .unwrap_or_default();
        let d = MarkdownFlavor::default();
        MarkdownFlavor {
            definition_lists: flags.definition_lists.unwrap_or(d.definition_lists),
            admonitions: flags.admonitions.unwrap_or(d.admonitions),
        }
    }

    /// The pulldown-cmark options mdBook parses with.
    pub fn options(self) -> Options {
        let mut opts = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES;
        if self.definition_lists {
            opts |= Options::ENABLE_DEFINITION_LIST;
        }
        if self.admonitions {
            opts |= Options::ENABLE_GFM;
        }
        opts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_strict_leniently_and_ignores_mdbook_keys() {
        let t = json!({"strict": "true", "command": "x", "after": ["links"]});
        let (s, w) = Settings::from_table(Some(&t));
        assert!(s.strict);
        assert!(w.is_empty());
    }

    #[test]
    fn unknown_keys_and_bad_values_warn() {
        let t = json!({"strict": "maybe", "stirct": true});
        let (s, w) = Settings::from_table(Some(&t));
        assert!(!s.strict);
        assert_eq!(w.len(), 2);
        assert!(
            w.iter()
                .all(|d| d.file.as_deref() == Some("book.toml".as_ref()))
        );
        let unknown = w.iter().find(|d| d.message.contains("`stirct`")).unwrap();
        assert_eq!(
            unknown.help.as_deref(),
            Some(
                "known settings: strict, lifecycle, statuses, approvals, min-completeness, templates"
            )
        );
        assert!(w.iter().any(|d| d.message.contains("\"maybe\"")));
    }

    #[test]
    fn statuses_extend_or_replace_the_lifecycle() {
        let t = json!({"statuses": {
            "In Review": {"aliases": ["Reviewing"]},
            "Parked": {"color": "#8250df", "order": 25},
            "Bad": {"color": "red;}", "shape": 1}
        }});
        let (s, w) = Settings::from_table(Some(&t));
        let l = &s.lifecycle;
        assert_eq!(l.resolve("reviewing").unwrap().name, "In Review");
        assert_eq!(
            l.resolve("in review").unwrap().color,
            Color([0x9a, 0x67, 0x00])
        );
        assert_eq!(l.statuses()[2].name, "Parked");
        assert_eq!(l.resolve("bad").unwrap().color, UNKNOWN_COLOR);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(l.statuses().len(), 11);

        let t = json!({"lifecycle": "replace", "statuses": {"Open": {"order": 1}, "Closed": {"order": 2}}});
        let (s, w) = Settings::from_table(Some(&t));
        assert!(w.is_empty());
        assert_eq!(s.lifecycle.names(), "Open, Closed");
        assert!(s.lifecycle.resolve("Draft").is_none());
    }

    #[test]
    fn approvals_and_completeness() {
        let t = json!({"approvals": {"default": ["Tech Lead"], "tdd": ["Architect", "Security"]},
                       "min-completeness": 0.5});
        let (s, w) = Settings::from_table(Some(&t));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.required_roles("tdd").unwrap(), ["Architect", "Security"]);
        assert_eq!(s.required_roles("design").unwrap(), ["Tech Lead"]);
        assert_eq!(s.min_completeness, 0.5);
        let (s, w) =
            Settings::from_table(Some(&json!({"min-completeness": 3, "approvals": {"x": 1}})));
        assert_eq!(w.len(), 2);
        assert_eq!(s.min_completeness, DEFAULT_MIN_COMPLETENESS);
        assert!(s.required_roles("x").is_none());
    }

    #[test]
    fn env_override_wins() {
        let s = Settings::default().with_env_override(Some("1"));
        assert!(s.strict);
        let s = s.with_env_override(Some("false"));
        assert!(!s.strict);
        let s = s.with_env_override(Some("garbage"));
        assert!(!s.strict);
    }

    #[test]
    fn flavor_follows_version_and_html_settings() {
        let cfg = json!({"output": {"html": {"definition-lists": false}}});
        let f = MarkdownFlavor::from_config(&cfg, false);
        assert!(!f.definition_lists && f.admonitions);
        assert!(!f.options().contains(Options::ENABLE_DEFINITION_LIST));
        let f = MarkdownFlavor::from_config(&json!({}), true);
        assert!(!f.admonitions);
    }
}
