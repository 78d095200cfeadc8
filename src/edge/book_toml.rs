//! The book's settings for this preprocessor (`[preprocessor.trd]` in `book.toml`) and the
//! Markdown flavour mdBook renders with.
//!
//! Both are read leniently from JSON values: the `[preprocessor.trd]` table also holds mdBook's
//! own keys (`command`, `before`, ...), and a newer mdBook may send settings we do not know.

use serde::Deserialize;
use serde_json::Value;

use crate::markdown::flavor::MarkdownFlavor;
use crate::model::settings::Settings;
use crate::model::status::{AliasClash, Color, Lifecycle, Status, custom_color, same};
use crate::model::unwritten::Unwritten;
use crate::report::diagnostic::{Diagnostic, Rule, list};
use crate::report::suggest::did_you_mean;

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
    "unwritten",
];

/// The environment variable that turns strict mode on (or off) for one run, e.g. in CI.
pub const STRICT_ENV: &str = "MDBOOK_TRD_STRICT";

/// A warning of `rule` about `book.toml`.
fn book_toml(rule: Rule, message: String) -> Diagnostic {
    Diagnostic::warning(rule, message).in_file(Some("book.toml".as_ref()))
}

/// The `[preprocessor.trd]` table of a `book.toml` (as JSON): the one named `trd`, else the
/// one whose `command` runs `mdbook-trd` (a book may register it under another name).
pub fn trd_table(config: &Value) -> Option<&Value> {
    trd_entry(config).map(|(_, table)| table)
}

/// [`trd_table`] with the name it is registered under (`trd`, or another `NAME` of
/// `[preprocessor.NAME]`): mdBook orders preprocessors by that name.
pub fn trd_entry(config: &Value) -> Option<(&str, &Value)> {
    let tables = config.pointer("/preprocessor")?.as_object()?;
    tables
        .get_key_value("trd")
        .or_else(|| {
            tables.iter().find(|(_, table)| {
                let program = table
                    .get("command")
                    .and_then(Value::as_str)
                    .and_then(|c| c.split_whitespace().next());
                program.is_some_and(|p| {
                    std::path::Path::new(p)
                        .file_stem()
                        .is_some_and(|stem| stem == "mdbook-trd")
                })
            })
        })
        .map(|(name, table)| (name.as_str(), table))
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
            settings.read_key(key, value, &mut replace, &mut warnings);
        }
        if replace {
            settings.lifecycle = Lifecycle::new(Vec::new());
        }
        read_statuses(&mut settings.lifecycle, map.get("statuses"), &mut warnings);
        if settings.lifecycle.statuses().is_empty() {
            warnings.push(
                book_toml(
                    Rule::EmptyLifecycle,
                    "`lifecycle = \"replace\"` with no statuses: using the built-in ones".into(),
                )
                .with_help("add [preprocessor.trd.statuses.NAME] tables"),
            );
            settings.lifecycle = Lifecycle::default();
        }
        for clash in settings.lifecycle.remove_clashing_aliases() {
            warnings.push(alias_clash(&clash));
        }
        (settings, warnings)
    }

    /// Reads one key of `[preprocessor.trd]` other than `statuses` (read once the lifecycle
    /// is known).
    fn read_key(
        &mut self,
        key: &str,
        value: &Value,
        replace: &mut bool,
        warnings: &mut Vec<Diagnostic>,
    ) {
        match key {
            "strict" => match parse_bool(value) {
                Some(b) => self.strict = b,
                None => warnings.push(book_toml(Rule::ConfigInvalidValue, format!(
                    "`strict` in [preprocessor.trd] should be true or false, not {value}"
                ))),
            },
            "lifecycle" => match value.as_str() {
                Some("extend") => *replace = false,
                Some("replace") => *replace = true,
                other => warnings.push(
                    book_toml(Rule::ConfigInvalidValue, format!("`lifecycle` should be \"extend\" or \"replace\", not {value}"))
                        .with_help(format!(
                            "{}\"extend\" (the default) adds to the built-in statuses; \"replace\" uses only yours",
                            did_you_mean(other.unwrap_or_default(), ["extend", "replace"])
                        )),
                ),
            },
            "statuses" => {}
            "approvals" => self.read_approvals(value, warnings),
            "templates" => match value.as_str() {
                Some(folder) if !folder.trim().is_empty() => {
                    self.templates = Some(folder.trim().to_owned());
                }
                _ => warnings.push(book_toml(Rule::ConfigInvalidValue, format!(
                    "`templates` should name a folder of the book, not {value}"
                ))),
            },
            "unwritten" => {
                if let Some(policy) = parse_unwritten(value, "", warnings) {
                    self.unwritten = policy;
                }
            }
            "min-completeness" => match value.as_f64() {
                Some(f) if (0.0..=1.0).contains(&f) => self.min_completeness = f,
                _ => warnings.push(
                    book_toml(Rule::ConfigInvalidValue, format!("`min-completeness` should be a number from 0 to 1, not {value}"))
                        .with_help("e.g. `min-completeness = 0.2` (a fifth of the sections written)"),
                ),
            },
            k if MDBOOK_KEYS.contains(&k) => {}
            k => warnings.push(
                book_toml(Rule::ConfigUnknownKey, format!("unknown setting `{k}` in [preprocessor.trd]")).with_help(
                    format!(
                        "{}known settings: {}",
                        did_you_mean(k, OUR_KEYS.iter().chain(MDBOOK_KEYS).copied()),
                        list(OUR_KEYS)
                    ),
                ),
            ),
        }
    }

    fn read_approvals(&mut self, value: &Value, warnings: &mut Vec<Diagnostic>) {
        let Value::Object(by_template) = value else {
            warnings.push(
                book_toml(
                    Rule::ConfigInvalidValue,
                    format!("[preprocessor.trd.approvals] should be a table, not {value}"),
                )
                .with_help("e.g. `default = [\"Tech Lead\", \"Architect\"]`, `tdd = [...]`"),
            );
            return;
        };
        for (template, roles) in by_template {
            match string_list(roles) {
                Some(list) => {
                    self.approvals.insert(template.clone(), list);
                }
                None => warnings.push(book_toml(Rule::ConfigInvalidValue, format!(
                    "[preprocessor.trd.approvals] `{template}` should be a list of roles, not {roles}"
                ))),
            }
        }
    }

    /// Warnings for `[preprocessor.trd.approvals]` keys that name no template (and are not
    /// `default`): their roles would never be asked for.
    pub fn check_approval_templates(&self, templates: &[&str]) -> Vec<Diagnostic> {
        self.approvals
            .keys()
            .filter(|k| *k != "default" && !templates.contains(&k.as_str()))
            .map(|k| {
                let known = templates.iter().copied().chain(["default"]);
                book_toml(Rule::ApprovalsUnknownTemplate, format!(
                    "[preprocessor.trd.approvals] `{k}` names no template, so its roles are never required"
                ))
                .with_help(format!(
                    "{}name a template (known: {}) or `default`",
                    did_you_mean(k, known),
                    list(templates)
                ))
            })
            .collect()
    }

    /// Applies `MDBOOK_TRD_STRICT`, the value of the environment variable if it is set.
    ///
    /// Unset or empty (after trimming) leaves `strict` as the book has it, like an unset
    /// variable: CI systems give an empty string for a variable they do not define. `1`,
    /// `true`, `yes`, `on` turn strict on and `0`, `false`, `no`, `off` turn it off (any case).
    /// Anything else turns it on, fail-safe for CI, and gives a warning, which strict mode
    /// makes an error: a value that cannot be read is never silently taken as "off".
    pub fn apply_strict_env(&mut self, value: Option<&str>) -> Option<Diagnostic> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        match parse_bool(&Value::String(value.into())) {
            Some(b) => {
                self.strict = b;
                None
            }
            None => {
                self.strict = true;
                Some(
                    Diagnostic::warning(Rule::StrictEnv, format!(
                        "{STRICT_ENV}={value:?} is neither yes nor no; taking it as yes (strict)"
                    ))
                    .with_help(format!(
                        "set {STRICT_ENV} to 1, true, yes or on for strict mode, to 0, false, no \
                         or off to turn it off, or leave it empty to keep `strict` from book.toml"
                    )),
                )
            }
        }
    }
}

fn alias_clash(clash: &AliasClash) -> Diagnostic {
    let AliasClash {
        alias,
        status,
        taken_by,
        is_name,
    } = clash;
    let what = if *is_name {
        format!("the name of the status `{taken_by}`")
    } else {
        format!("already an alias of `{taken_by}`, which comes first in the lifecycle")
    };
    book_toml(
        Rule::StatusAliasClash,
        format!("status `{status}`: the alias {alias:?} is {what}, so it still means `{taken_by}`"),
    )
    .with_help(format!(
        "keep {alias:?} as the name or alias of one status only"
    ))
}

/// Reads `[preprocessor.trd.statuses]` into the lifecycle.
fn read_statuses(lifecycle: &mut Lifecycle, value: Option<&Value>, warnings: &mut Vec<Diagnostic>) {
    let statuses = match value {
        None => return,
        Some(Value::Object(statuses)) => statuses,
        Some(other) => {
            warnings.push(book_toml(
                Rule::ConfigInvalidValue,
                format!("[preprocessor.trd.statuses] should be a table of statuses, not {other}"),
            ));
            return;
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for (name, definition) in statuses {
        if let Some(first) = seen.iter().find(|s| same(s, name)) {
            warnings.push(
                book_toml(
                    Rule::DuplicateStatus,
                    format!(
                        "[preprocessor.trd.statuses] has both `{first}` and `{name}`: one status, \
                     so `{name}` changes what `{first}` set"
                    ),
                )
                .with_help("status names match case-insensitively: keep one table per status"),
            );
        }
        seen.push(name);
        if name.trim().is_empty() {
            warnings.push(
                book_toml(
                    Rule::UnnamedStatus,
                    "a status in [preprocessor.trd.statuses] has an empty name".into(),
                )
                .with_help("name it, e.g. [preprocessor.trd.statuses.Parked]"),
            );
            continue;
        }
        let status = status_from(lifecycle, name, definition, warnings);
        lifecycle.upsert(status);
    }
}

/// The keys a status table takes.
const STATUS_KEYS: [&str; 5] = ["color", "aliases", "order", "signed-off", "unwritten"];

/// Reads one `[preprocessor.trd.statuses.NAME]` table. What is not given is kept from the
/// status of the same name, if the lifecycle has one, and so is its name as the lifecycle
/// spells it: `statuses."in review"` changes In Review, and its badge still says "In Review".
fn status_from(
    lifecycle: &Lifecycle,
    name: &str,
    definition: &Value,
    warnings: &mut Vec<Diagnostic>,
) -> Status {
    let existing = lifecycle.by_name(name);
    let mut status = Status {
        name: existing.map_or_else(|| name.trim().to_owned(), |s| s.name.clone()),
        aliases: existing.map(|s| s.aliases.clone()).unwrap_or_default(),
        color: existing.map_or_else(|| custom_color(name), |s| s.color),
        order: existing.map_or_else(|| lifecycle.next_order(), |s| s.order),
        signed_off: existing.is_some_and(|s| s.signed_off),
        unwritten: existing.and_then(|s| s.unwritten),
    };
    let Value::Object(fields) = definition else {
        warnings.push(book_toml(
            Rule::ConfigInvalidValue,
            format!("status `{name}` should be a table with `color`, `aliases` and `order`"),
        ));
        return status;
    };
    for (key, value) in fields {
        if let Err(message) = status_field(&mut status, key, value, warnings) {
            let rule = if STATUS_KEYS.contains(&key.as_str()) {
                Rule::ConfigInvalidValue
            } else {
                Rule::ConfigUnknownKey
            };
            warnings.push(book_toml(rule, format!("status `{name}`: {message}")).with_help(
                format!(
                    "{}a status takes `color = \"#rrggbb\"`, `aliases = [\"...\"]`, `order = 25`, `signed-off = true` and `unwritten = \"hide\"`",
                    did_you_mean(key, STATUS_KEYS)
                ),
            ));
        }
    }
    status
}

/// Sets one field of a status; `Err` says what is wrong with it.
fn status_field(
    status: &mut Status,
    key: &str,
    value: &Value,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), String> {
    match (key, value) {
        ("color", Value::String(c)) => match Color::parse(c) {
            Some(color) => status.color = color,
            None => warnings.push(
                book_toml(
                    Rule::ConfigInvalidValue,
                    format!("status `{}`: colour {c:?} is not a hex colour", status.name),
                )
                .with_help("write it as \"#rrggbb\", e.g. \"#1a7f37\""),
            ),
        },
        ("aliases", Value::Array(items)) => {
            status.aliases = Vec::new();
            for item in items {
                match item.as_str().map(str::trim) {
                    Some(alias) if !alias.is_empty() => status.aliases.push(alias.to_owned()),
                    _ => warnings.push(
                        book_toml(
                            Rule::ConfigInvalidValue,
                            format!(
                                "status `{}`: the alias {item} is not a name, so it is ignored",
                                status.name
                            ),
                        )
                        .with_help(
                            "write each alias as text in quotes, e.g. `aliases = [\"Reviewing\"]`",
                        ),
                    ),
                }
            }
        }
        ("order", Value::Number(n)) if n.as_i64().is_some() => {
            status.order = n.as_i64().unwrap_or(status.order);
        }
        ("signed-off", Value::Bool(b)) => status.signed_off = *b,
        ("unwritten", value) => {
            let context = format!("status `{}`: ", status.name);
            if let Some(policy) = parse_unwritten(value, &context, warnings) {
                status.unwritten = Some(policy);
            }
        }
        (key, value) if STATUS_KEYS.contains(&key) => {
            return Err(format!("`{key}` cannot be {value}"));
        }
        (key, value) => return Err(format!("unknown key `{key} = {value}`")),
    }
    Ok(())
}

/// An `unwritten` value; for one that is none of the three policies, `None` and a warning
/// whose message starts with `context`.
fn parse_unwritten(
    value: &Value,
    context: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Option<Unwritten> {
    let name = value.as_str().unwrap_or_default();
    let policy = Unwritten::parse(name);
    if policy.is_none() {
        let names = Unwritten::ALL.map(Unwritten::name);
        warnings.push(
            book_toml(
                Rule::ConfigInvalidValue,
                format!(
                    "{context}`unwritten` should be \"show\", \"outline\" or \"hide\", not {value}"
                ),
            )
            .with_help(format!(
                "{}\"show\" (the default) shows the whole skeleton, \"outline\" its headings, \
                 \"hide\" one line naming the unwritten sections",
                did_you_mean(name, names)
            )),
        );
    }
    policy
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

/// Accepts `true`, `"true"`, `"yes"`, `"on"`, `"1"`, `1` (and their negatives), in any case:
/// mdBook's `MDBOOK_PREPROCESSOR__TRD__STRICT` environment override sends strings. An empty
/// string is neither.
fn parse_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().filter(|n| *n <= 1).map(|n| n == 1),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Some(true),
            "false" | "no" | "off" | "0" => Some(false),
            _ => None,
        },
        _ => None,
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

    /// The flavour an mdBook of this version parses with, given its `book.toml`.
    pub fn for_version(config: &Value, version: &str) -> Self {
        MarkdownFlavor::from_config(config, is_mdbook_04(version))
    }
}

/// Whether `version` (`0.4.52`, `v0.4`, ...) is of mdBook's 0.4 line, whose Markdown has
/// neither definition lists nor admonitions. Any other version is taken to parse like 0.5.
pub fn is_mdbook_04(version: &str) -> bool {
    let mut parts = version.trim().trim_start_matches('v').split('.');
    let major = parts.next();
    // `4`, `4-beta`, ...: the digits only.
    let minor = parts
        .next()
        .and_then(|m| m.split(|c: char| !c.is_ascii_digit()).next());
    major == Some("0") && minor == Some("4")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::settings::DEFAULT_MIN_COMPLETENESS;
    use pulldown_cmark::Options;
    use serde_json::json;

    #[test]
    fn reads_strict_leniently_and_ignores_mdbook_keys() {
        let t = json!({"strict": "true", "command": "x", "after": ["links"]});
        let (s, w) = Settings::from_table(Some(&t));
        assert!(s.strict);
        assert!(w.is_empty());
    }

    #[test]
    fn unwritten_is_read_for_the_book_and_per_status() {
        let t = json!({
            "unwritten": "Outline",
            "statuses": {"implemented": {"unwritten": "hide"}, "Parked": {"unwritten": "show"}}
        });
        let (s, w) = Settings::from_table(Some(&t));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(s.unwritten, Unwritten::Outline);
        assert_eq!(s.unwritten_for("Implemented"), Unwritten::Hide);
        assert_eq!(s.unwritten_for("parked"), Unwritten::Show);
        // The built-in colour and sign-off rule of Implemented are kept.
        let implemented = s.lifecycle.resolve("Implemented").unwrap();
        assert!(implemented.signed_off);
        // Statuses without one, and unknown statuses, follow the book.
        assert_eq!(s.unwritten_for("Draft"), Unwritten::Outline);
        assert_eq!(s.unwritten_for("Sleeping"), Unwritten::Outline);
        assert_eq!(Settings::default().unwritten_for("Draft"), Unwritten::Show);
    }

    #[test]
    fn a_wrong_unwritten_value_warns_with_the_three_policies() {
        let t = json!({"unwritten": "hidden", "statuses": {"Draft": {"unwritten": 1}}});
        let (s, w) = Settings::from_table(Some(&t));
        assert_eq!(s.unwritten, Unwritten::Show);
        assert_eq!(s.unwritten_for("Draft"), Unwritten::Show);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(
            w[0].to_string(),
            "book.toml: warning[config-invalid-value]: `unwritten` should be \"show\", \"outline\" \
             or \"hide\", not \"hidden\"\n  help: did you mean `hide`? \"show\" (the default) shows \
             the whole skeleton, \"outline\" its headings, \"hide\" one line naming the unwritten \
             sections"
        );
        assert!(
            w[1].message
                .starts_with("status `Draft`: `unwritten` should be \"show\""),
            "{}",
            w[1]
        );
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
                "did you mean `strict`? known settings: strict, lifecycle, statuses, approvals, min-completeness, templates, unwritten"
            )
        );
        assert!(w.iter().any(|d| d.message.contains("\"maybe\"")));
    }

    fn helps(w: &[Diagnostic]) -> Vec<String> {
        w.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn misspelt_keys_and_values_get_a_did_you_mean() {
        let t = json!({
            "Templates": "t", "befor": ["links"], "min_completeness": 0.5, "lifecycle": "replce",
            "statuses": {"Parked": {"colour": "#8250df", "Order": 25, "signed_off": true}},
            "zzzzzzzz": 1
        });
        let (_, w) = Settings::from_table(Some(&t));
        let text = helps(&w).join("\n");
        for (wrong, right) in [
            ("Templates", "templates"),
            ("befor", "before"),
            ("min_completeness", "min-completeness"),
            ("colour", "color"),
            ("Order", "order"),
            ("signed_off", "signed-off"),
        ] {
            let d = w
                .iter()
                .find(|d| d.message.contains(&format!("`{wrong}")))
                .unwrap_or_else(|| panic!("{wrong}: {text}"));
            assert!(
                d.help
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with(&format!("did you mean `{right}`? ")),
                "{wrong}: {d}"
            );
        }
        assert!(
            text.contains("help: did you mean `replace`? \"extend\""),
            "{text}"
        );
        let far = w.iter().find(|d| d.message.contains("zzzzzzzz")).unwrap();
        assert!(
            far.help.as_deref().unwrap().starts_with("known settings: "),
            "{far}"
        );
        assert_eq!(w.len(), 8, "{text}");
    }

    #[test]
    fn a_status_table_keeps_the_lifecycle_spelling_of_its_name() {
        let t = json!({"statuses": {"in review": {"color": "#000000"}, "DRAFT": {"order": 5}}});
        let (s, w) = Settings::from_table(Some(&t));
        assert!(w.is_empty(), "{w:?}");
        let names: Vec<_> = s
            .lifecycle
            .statuses()
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(&names[..2], ["Draft", "In Review"]);
        let review = s.lifecycle.resolve("In Review").unwrap();
        assert_eq!(review.color, Color([0, 0, 0]));
        assert_eq!(review.aliases, ["Under Review"]);
        assert_eq!(s.lifecycle.statuses().len(), 9);
    }

    #[test]
    fn aliases_that_are_not_names_or_that_another_status_claims_warn() {
        let t = json!({"statuses": {
            "Parked": {"aliases": ["Draft", 5, "", "On Hold", "Done"], "order": 25},
            "Waiting": {"aliases": ["on hold"], "order": 26}
        }});
        let (s, w) = Settings::from_table(Some(&t));
        let not_a_name = |a: &str| {
            format!(
                "book.toml: warning[config-invalid-value]: status `Parked`: the alias {a} is not a name, so it is ignored\n  \
             help: write each alias as text in quotes, e.g. `aliases = [\"Reviewing\"]`"
            )
        };
        let clash = |status: &str, alias: &str, what: &str, owner: &str| {
            format!(
                "book.toml: warning[status-alias-clash]: status `{status}`: the alias \"{alias}\" is {what}, so it still \
             means `{owner}`\n  help: keep \"{alias}\" as the name or alias of one status only"
            )
        };
        let later = "already an alias of `Parked`, which comes first in the lifecycle";
        assert_eq!(
            helps(&w),
            [
                not_a_name("5"),
                not_a_name("\"\""),
                clash("Parked", "Draft", "the name of the status `Draft`", "Draft"),
                clash("Waiting", "on hold", later, "Parked"),
                clash("Complete", "Done", later, "Parked"),
            ]
        );
        let l = &s.lifecycle;
        assert_eq!(l.resolve("draft").unwrap().name, "Draft");
        assert_eq!(l.resolve("ON HOLD").unwrap().name, "Parked");
        assert_eq!(l.resolve("done").unwrap().name, "Parked");
        assert_eq!(l.by_name("Parked").unwrap().aliases, ["On Hold", "Done"]);
        assert!(l.by_name("Waiting").unwrap().aliases.is_empty());
    }

    /// Words for random statuses: built-in names and aliases in any case, and new ones.
    const WORDS: [&str; 10] = [
        "Draft",
        "in review",
        "UNDER REVIEW",
        "Done",
        "Parked",
        "parked",
        "On Hold",
        "Waiting",
        "Rejected",
        "Blocked",
    ];

    fn alias_item() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        prop_oneof![
            4 => proptest::sample::select(&WORDS[..]).prop_map(|w| json!(w)),
            1 => Just(json!(5)),
            1 => Just(json!("  ")),
            1 => Just(json!(true)),
        ]
    }

    proptest::proptest! {
        /// Whatever the statuses table, every word it gives means what it says or a warning
        /// says why not: a status is found by its own name with the lifecycle's spelling, and
        /// every alias written is either found as its status or named in a warning.
        #[test]
        fn every_status_word_means_its_status_or_warns(
            table in proptest::collection::btree_map(
                proptest::sample::select(&WORDS[..]),
                (proptest::collection::vec(alias_item(), 0..4), proptest::option::of(0i64..120)),
                0..5,
            ),
            replace in proptest::bool::ANY,
        ) {
            let statuses: serde_json::Map<String, Value> = table
                .iter()
                .map(|(name, (aliases, order))| {
                    let mut t = json!({"aliases": aliases});
                    if let Some(o) = order {
                        t["order"] = json!(o);
                    }
                    ((*name).to_owned(), t)
                })
                .collect();
            let lifecycle = if replace { "replace" } else { "extend" };
            let config = json!({"lifecycle": lifecycle, "statuses": statuses});
            let (s, w) = Settings::from_table(Some(&config));
            let l = &s.lifecycle;
            let text = helps(&w).join("\n");
            for status in l.statuses() {
                proptest::prop_assert_eq!(&l.resolve(&status.name).unwrap().name, &status.name);
                for alias in &status.aliases {
                    proptest::prop_assert_eq!(&l.resolve(alias).unwrap().name, &status.name);
                }
            }
            for (name, (aliases, _)) in &table {
                let status = l.resolve(name).unwrap();
                if table.keys().filter(|k| same(k, name)).count() > 1 {
                    proptest::prop_assert!(text.contains("one status, so"), "{}", text);
                    continue;
                }
                if let Some(builtin) = Lifecycle::default().by_name(name).filter(|_| !replace) {
                    proptest::prop_assert_eq!(&status.name, &builtin.name);
                }
                for alias in aliases {
                    match alias.as_str().map(str::trim) {
                        Some(a) if !a.is_empty() => {
                            let found = l.resolve(a).map(|x| x.name.as_str());
                            let mine = l.by_name(name).map(|x| x.name.as_str());
                            proptest::prop_assert!(
                                found == mine || text.contains(&format!("alias {a:?}")),
                                "alias {:?} of {:?} means {:?}, and no warning says so:\n{}", a, name, found, text
                            );
                        }
                        _ => proptest::prop_assert!(
                            text.contains(&format!("the alias {alias} is not a name")),
                            "{}", text
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn strict_env_empty_keeps_the_book_setting_and_unreadable_values_are_strict() {
        let strict_book = || Settings {
            strict: true,
            ..Settings::default()
        };
        for unset in [None, Some(""), Some("  ")] {
            let mut s = strict_book();
            assert_eq!(s.apply_strict_env(unset), None);
            assert!(s.strict, "{unset:?}");
            let mut s = Settings::default();
            assert_eq!(s.apply_strict_env(unset), None);
            assert!(!s.strict, "{unset:?}");
        }
        for (value, on) in [
            ("1", true),
            ("TRUE", true),
            ("yes", true),
            ("On", true),
            ("0", false),
            ("false", false),
            ("NO", false),
            (" off ", false),
        ] {
            let mut s = Settings {
                strict: !on,
                ..Settings::default()
            };
            assert_eq!(s.apply_strict_env(Some(value)), None, "{value}");
            assert_eq!(s.strict, on, "{value}");
        }
        for garbage in ["maybe", "2", "enabled"] {
            let mut s = Settings::default();
            let w = s.apply_strict_env(Some(garbage)).unwrap();
            assert!(s.strict);
            assert!(
                w.message
                    .starts_with(&format!("MDBOOK_TRD_STRICT={garbage:?} is neither")),
                "{w}"
            );
        }
        let (s, w) = Settings::from_table(Some(&json!({"strict": ""})));
        assert!(!s.strict);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn approvals_for_no_template_warn() {
        let t = json!({"approvals": {"default": ["A"], "tdd": ["B"], "tddd": ["C"], "xyzzy-plugh": ["D"]}});
        let (s, w) = Settings::from_table(Some(&t));
        assert!(w.is_empty());
        let w = s.check_approval_templates(&["tdd", "trd"]);
        assert_eq!(
            helps(&w),
            [
                "book.toml: warning[approvals-unknown-template]: [preprocessor.trd.approvals] `tddd` names no template, so its roles are never required\n  help: did you mean `tdd`? name a template (known: tdd, trd) or `default`",
                "book.toml: warning[approvals-unknown-template]: [preprocessor.trd.approvals] `xyzzy-plugh` names no template, so its roles are never required\n  help: name a template (known: tdd, trd) or `default`",
            ]
        );
    }

    #[test]
    fn the_04_line_is_read_from_versions() {
        for v in ["0.4.52", "0.4", "v0.4.21", " 0.4.0-beta.1"] {
            assert!(is_mdbook_04(v), "{v}");
        }
        for v in ["0.5.4", "0.5", "0.40.1", "4.0", "", "banana", "1.4.0"] {
            assert!(!is_mdbook_04(v), "{v}");
        }
    }

    #[test]
    fn trd_table_is_found_under_another_name_by_its_command() {
        let c = json!({"preprocessor": {"design": {"command": "/opt/bin/mdbook-trd --x", "strict": true}}});
        assert_eq!(trd_table(&c).unwrap()["strict"], true);
        let c = json!({"preprocessor": {"trd": {}, "design": {"command": "mdbook-trd"}}});
        assert_eq!(trd_table(&c), Some(&json!({})));
        assert_eq!(trd_table(&json!({"preprocessor": {"links": {}}})), None);
        assert_eq!(trd_table(&json!({})), None);
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
        assert_eq!(l.resolve("bad").unwrap().color, custom_color("Bad"));
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
    fn flavor_follows_version_and_html_settings() {
        let cfg = json!({"output": {"html": {"definition-lists": false}}});
        let f = MarkdownFlavor::from_config(&cfg, false);
        assert!(!f.definition_lists && f.admonitions);
        assert!(!f.options().contains(Options::ENABLE_DEFINITION_LIST));
        let f = MarkdownFlavor::from_config(&json!({}), true);
        assert!(!f.admonitions);
    }
}
