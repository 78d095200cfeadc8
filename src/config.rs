//! The book's settings for this preprocessor (`[preprocessor.trd]` in `book.toml`) and the
//! Markdown flavour mdBook renders with.
//!
//! Both are read leniently from JSON values: the `[preprocessor.trd]` table also holds mdBook's
//! own keys (`command`, `before`, ...), and a newer mdBook may send settings we do not know.

use pulldown_cmark::Options;
use serde::Deserialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, list};

/// Keys of `[preprocessor.trd]` that belong to mdBook, not to us.
const MDBOOK_KEYS: &[&str] = &["command", "renderers", "before", "after", "optional"];
/// Keys of `[preprocessor.trd]` that belong to us.
const OUR_KEYS: &[&str] = &["strict"];

/// The environment variable that turns strict mode on (or off) for one run, e.g. in CI.
pub const STRICT_ENV: &str = "MDBOOK_TRD_STRICT";

/// Settings from `[preprocessor.trd]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Turn every warning into an error.
    pub strict: bool,
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
        for (key, value) in map {
            match key.as_str() {
                "strict" => match parse_bool(value) {
                    Some(b) => settings.strict = b,
                    None => warnings.push(
                        Diagnostic::warning(format!(
                            "`strict` in [preprocessor.trd] should be true or false, not {value}"
                        ))
                        .in_file(Some("book.toml".as_ref())),
                    ),
                },
                k if MDBOOK_KEYS.contains(&k) => {}
                k => warnings.push(
                    Diagnostic::warning(format!("unknown setting `{k}` in [preprocessor.trd]"))
                        .in_file(Some("book.toml".as_ref()))
                        .with_help(format!("known settings: {}", list(OUR_KEYS))),
                ),
            }
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
        let unknown = w.iter().find(|d| d.message.contains("`stirct`")).unwrap();
        assert_eq!(unknown.help.as_deref(), Some("known settings: strict"));
        assert!(w.iter().any(|d| d.message.contains("\"maybe\"")));
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
