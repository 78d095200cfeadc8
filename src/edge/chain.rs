//! Where mdBook runs mdbook-trd among a book's other preprocessors, and the preprocessors that
//! must come after it.
//!
//! mdBook runs its preprocessors one after the other, each on the book the last one wrote. A
//! preprocessor that reads what a skeleton holds (```` ```mermaid ```` blocks, headings, ...)
//! only sees it when it runs after mdbook-trd; before, the skeleton is still a directive. And
//! mdBook's order is not the order of `book.toml`: [`mdbook_order`] computes it as mdBook does
//! (`determine_preprocessors` in mdBook 0.4's `book/mod.rs` and 0.5's `mdbook-driver`, the same
//! code in both):
//!
//! 1. the names: `links` and `index` unless `build.use-default-preprocessors = false`, and
//!    every `[preprocessor.NAME]`;
//! 2. the edges: `before = ["X"]` in `[preprocessor.A]` runs A before X, `after = ["X"]` runs
//!    X before A, each only when X is one of the names (else mdBook warns and ignores it);
//! 3. a topological sort in layers: every name nothing else must precede, sorted by name (byte
//!    order), then again without them, and so on. A cycle stops the build.
//!
//! So `[preprocessor.mermaid]` beside `[preprocessor.trd] after = ["links"]` runs first: the
//! first layer is `index`, `links`, `mermaid` (nothing precedes them), and `trd` is alone in
//! the second. Every name below "trd" wins such a tie, and most tools are named below it.
//!
//! Pure: JSON in (`book.toml` as mdBook sends it, or as `edge::loader` reads it), findings out.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::report::diagnostic::{Diagnostic, Rule};

use super::book_toml::trd_entry;

/// A preprocessor, by the `[preprocessor.NAME]` its documentation tells a book to add, and why
/// its place relative to mdbook-trd matters (or does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// The `NAME` of its `[preprocessor.NAME]` table.
    pub name: &'static str,
    /// What it reads (or does), and where mdbook-trd's output holds that.
    pub reason: &'static str,
}

/// The preprocessors that must run after mdbook-trd because they read what a skeleton holds,
/// or what a book's own template may (a template is any Markdown, so a book whose templates use
/// admonitions or math needs them after mdbook-trd like the built-in diagrams do).
pub const MUST_RUN_AFTER: &[Known] = &[
    Known {
        name: "mermaid",
        reason: "it draws ```mermaid code blocks, which the trd-numbered and product-tdd skeletons hold",
    },
    Known {
        name: "toc",
        reason: "it replaces <!-- toc --> with the chapter's headings, and the skeleton writes the headings",
    },
    Known {
        name: "admonish",
        reason: "it turns ```admonish code blocks into admonitions, which a book's own template may hold",
    },
    Known {
        name: "katex",
        reason: "it renders $ and $$ math, which a book's own template may hold",
    },
    Known {
        name: "plantuml",
        reason: "it draws ```plantuml code blocks, which a book's own template may hold",
    },
    Known {
        name: "puml",
        reason: "it draws ```plantuml code blocks, which a book's own template may hold",
    },
    Known {
        name: "kroki-preprocessor",
        reason: "it draws ```kroki-TYPE code blocks and <kroki> tags, which a book's own template may hold",
    },
    Known {
        name: "graphviz",
        reason: "it draws ```dot process code blocks, which a book's own template may hold",
    },
    Known {
        name: "svgbob",
        reason: "it draws ```bob code blocks, which a book's own template may hold",
    },
    Known {
        name: "svgbob2",
        reason: "it draws ```svgbob code blocks, which a book's own template may hold",
    },
    Known {
        name: "d2",
        reason: "it draws ```d2 code blocks, which a book's own template may hold",
    },
    Known {
        name: "pikchr",
        reason: "it draws ```pikchr code blocks, which a book's own template may hold",
    },
];

/// Preprocessors whose place relative to mdbook-trd does not matter: nothing is checked for
/// them. (The list says why, so that nobody adds them to [`MUST_RUN_AFTER`] by mistake.)
pub const ORDER_FREE: &[Known] = &[
    Known {
        name: "pagetoc",
        reason: "it changes the page's theme, and its script builds the page's table of contents in the browser from the rendered headings",
    },
    Known {
        name: "index",
        reason: "mdBook's own: it renames README.md chapters to index.md, whatever they hold",
    },
];

/// mdBook's default preprocessors, on unless `build.use-default-preprocessors = false`.
const DEFAULTS: [&str; 2] = ["links", "index"];

/// The order mdBook runs the preprocessors of `config` (`book.toml` as JSON) in, by name:
/// `links` and `index` included when they run. `None` when mdBook cannot order them: a cycle
/// of `before`/`after`, or a table mdBook refuses to read (a `[preprocessor.NAME]` that is not
/// a table, a `before` or `after` that is not a list of names,
/// `use-default-preprocessors` that is not true or false); mdBook then fails the build itself.
pub fn mdbook_order(config: &Value) -> Option<Vec<String>> {
    let defaults = match config.pointer("/build/use-default-preprocessors") {
        None => true,
        Some(v) => v.as_bool()?,
    };
    let none = serde_json::Map::new();
    let tables = match config.get("preprocessor") {
        None => &none,
        Some(v) => v.as_object()?,
    };
    let exists = |name: &str| (defaults && DEFAULTS.contains(&name)) || tables.contains_key(name);
    let mut names: BTreeSet<&str> = tables.keys().map(String::as_str).collect();
    if defaults {
        names.extend(DEFAULTS);
    }
    // A set: mdBook's sort counts an edge given twice once.
    let mut edges: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (name, table) in tables {
        let table = table.as_object()?;
        for (key, this_first) in [("before", true), ("after", false)] {
            let Some(list) = table.get(key) else { continue };
            for other in list.as_array()? {
                let other = other.as_str()?;
                if exists(other) {
                    edges.insert(if this_first {
                        (name.as_str(), other)
                    } else {
                        (other, name.as_str())
                    });
                }
            }
        }
    }
    layered_sort(names, &edges)
}

/// Kahn's sort in layers, each sorted by name (a `BTreeSet` iterates in byte order, as
/// mdBook's `names.sort()` does); `None` on a cycle.
fn layered_sort(mut left: BTreeSet<&str>, edges: &BTreeSet<(&str, &str)>) -> Option<Vec<String>> {
    let mut preceded: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, after) in edges {
        *preceded.entry(after).or_default() += 1;
    }
    let mut order = Vec::new();
    while !left.is_empty() {
        let layer: Vec<&str> = left
            .iter()
            .copied()
            .filter(|n| preceded.get(n).is_none_or(|&count| count == 0))
            .collect();
        if layer.is_empty() {
            return None;
        }
        for name in &layer {
            left.remove(name);
            for (_, after) in edges.range((*name, "")..).take_while(|(b, _)| b == name) {
                if let Some(count) = preceded.get_mut(after) {
                    *count -= 1;
                }
            }
        }
        order.extend(layer.into_iter().map(str::to_owned));
    }
    Some(order)
}

/// The preprocessors of [`MUST_RUN_AFTER`] that `config` has and that mdBook runs before
/// mdbook-trd, in the table's order. Empty when mdbook-trd is not registered or mdBook cannot
/// order the preprocessors (it says so itself then).
pub fn running_too_early(config: &Value) -> Vec<&'static Known> {
    let Some((trd, _)) = trd_entry(config) else {
        return Vec::new();
    };
    let Some(order) = mdbook_order(config) else {
        return Vec::new();
    };
    let place = |name: &str| order.iter().position(|n| n == name);
    let Some(trd_at) = place(trd) else {
        return Vec::new();
    };
    MUST_RUN_AFTER
        .iter()
        .filter(|known| place(known.name).is_some_and(|at| at < trd_at))
        .collect()
}

/// `config` with `names` added to the `before` list of mdbook-trd's table (the list made when
/// there is none). Unchanged when mdbook-trd is not registered.
pub fn with_before(config: &Value, names: &[&str]) -> Value {
    let mut config = config.clone();
    let Some((trd, _)) = trd_entry(&config) else {
        return config;
    };
    let trd = trd.to_owned();
    if let Some(table) = config
        .pointer_mut(&format!(
            "/preprocessor/{}",
            trd.replace('~', "~0").replace('/', "~1")
        ))
        .and_then(Value::as_object_mut)
    {
        let before = table
            .entry("before")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = before {
            list.extend(names.iter().map(|n| Value::from(*n)));
        }
    }
    config
}

/// A `preprocessor-order` warning for each preprocessor of [`MUST_RUN_AFTER`] that mdBook
/// runs before mdbook-trd, with the one line of `book.toml` that fixes it. Nothing when
/// mdbook-trd is not registered (`not-registered` says so).
pub fn order_warnings(config: &Value) -> Vec<Diagnostic> {
    let Some((trd, table)) = trd_entry(config) else {
        return Vec::new();
    };
    let has_before = table.get("before").is_some();
    running_too_early(config)
        .into_iter()
        .map(|known| {
            let name = known.name;
            let add = if has_before {
                format!("add \"{name}\" to `before` in [preprocessor.{trd}] in book.toml")
            } else {
                format!("add before = [\"{name}\"] to [preprocessor.{trd}] in book.toml")
            };
            // When something else already forces it ahead of trd, `before` makes a cycle.
            let fixed = running_too_early(&with_before(config, &[name]))
                .iter()
                .all(|k| k.name != name)
                && mdbook_order(&with_before(config, &[name])).is_some();
            let help = if fixed {
                format!("{add}, or run mdbook-trd install again")
            } else {
                format!(
                    "remove the `before`/`after` entries that put [preprocessor.{name}] ahead \
                     of [preprocessor.{trd}], then {add}"
                )
            };
            Diagnostic::warning(
                Rule::PreprocessorOrder,
                format!(
                    "mdBook runs [preprocessor.{name}] before [preprocessor.{trd}], so it never \
                     sees what mdbook-trd writes: {}",
                    known.reason
                ),
            )
            .in_file(Some("book.toml".as_ref()))
            .with_help(help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn order(config: Value) -> Option<Vec<String>> {
        mdbook_order(&config)
    }

    #[test]
    fn the_defaults_and_every_table_in_name_order() {
        assert_eq!(order(json!({})).unwrap(), ["index", "links"]);
        let c = json!({"preprocessor": {"trd": {"after": ["links"]}, "mermaid": {}}});
        assert_eq!(order(c).unwrap(), ["index", "links", "mermaid", "trd"]);
        let c = json!({"preprocessor": {"trd": {}, "mermaid": {}, "Zeta": {}, "alpha": {}}});
        // Byte order: capitals first.
        assert_eq!(
            order(c).unwrap(),
            ["Zeta", "alpha", "index", "links", "mermaid", "trd"]
        );
    }

    #[test]
    fn before_and_after_are_edges_and_layers_are_sorted() {
        let c = json!({"preprocessor": {
            "trd": {"after": ["links"], "before": ["mermaid"]},
            "mermaid": {},
            "katex": {"after": ["links"]},
        }});
        assert_eq!(
            order(c).unwrap(),
            ["index", "links", "katex", "trd", "mermaid"]
        );
        let c = json!({"preprocessor": {"b": {"after": ["c"]}, "c": {"after": ["d"]}, "d": {}, "a": {}}});
        assert_eq!(order(c).unwrap(), ["a", "d", "index", "links", "c", "b"]);
    }

    #[test]
    fn absent_names_are_ignored_and_the_defaults_can_be_off() {
        let c = json!({"preprocessor": {"trd": {"before": ["nothing"], "after": ["links"]}}});
        assert_eq!(order(c).unwrap(), ["index", "links", "trd"]);
        // `links` is no name with the defaults off: `after = ["links"]` is ignored.
        let c = json!({"build": {"use-default-preprocessors": false},
                       "preprocessor": {"trd": {"after": ["links"]}, "mermaid": {"after": ["index"]}}});
        assert_eq!(order(c).unwrap(), ["mermaid", "trd"]);
        // ... unless the book names it itself.
        let c = json!({"build": {"use-default-preprocessors": false},
                       "preprocessor": {"trd": {"before": ["links"]}, "links": {}}});
        assert_eq!(order(c).unwrap(), ["trd", "links"]);
    }

    #[test]
    fn cycles_and_what_mdbook_refuses_have_no_order() {
        let c = json!({"preprocessor": {"trd": {"before": ["mermaid"]}, "mermaid": {"before": ["trd"]}}});
        assert_eq!(order(c), None);
        assert_eq!(
            order(json!({"preprocessor": {"trd": {"before": ["trd"]}}})),
            None
        );
        assert_eq!(
            order(json!({"preprocessor": {"trd": {"before": "mermaid"}}})),
            None
        );
        assert_eq!(
            order(json!({"preprocessor": {"trd": {"after": [1]}}})),
            None
        );
        assert_eq!(order(json!({"preprocessor": {"trd": 1}})), None);
        assert_eq!(order(json!({"preprocessor": 1})), None);
        assert_eq!(
            order(json!({"build": {"use-default-preprocessors": "no"}})),
            None
        );
        // An edge given twice counts once (else `b` would wait for ever).
        let c = json!({"preprocessor": {"a": {"before": ["b"]}, "b": {"after": ["a"]}}});
        assert_eq!(order(c).unwrap(), ["a", "index", "links", "b"]);
    }

    fn text(w: &[Diagnostic]) -> Vec<String> {
        w.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_preprocessor_that_runs_too_early_gets_a_warning_with_its_fix() {
        let c = json!({"preprocessor": {"trd": {"after": ["links"]}, "mermaid": {"command": "mdbook-mermaid"}}});
        assert_eq!(
            text(&order_warnings(&c)),
            [
                "book.toml: warning[preprocessor-order]: mdBook runs [preprocessor.mermaid] before \
              [preprocessor.trd], so it never sees what mdbook-trd writes: it draws ```mermaid \
              code blocks, which the trd-numbered and product-tdd skeletons hold\n  help: add \
              before = [\"mermaid\"] to [preprocessor.trd] in book.toml, or run mdbook-trd \
              install again"
            ]
        );
        let fixed = with_before(&c, &["mermaid"]);
        assert_eq!(fixed["preprocessor"]["trd"]["before"], json!(["mermaid"]));
        assert!(order_warnings(&fixed).is_empty());
    }

    #[test]
    fn the_help_fits_the_table_as_it_is() {
        // A `before` already there, and trd registered under another name.
        let c = json!({"preprocessor": {
            "design": {"command": "mdbook-trd", "before": ["links"]},
            "toc": {}, "admonish": {}, "pagetoc": {}, "mermaid": {"before": ["design"]},
        }});
        let w = text(&order_warnings(&c));
        assert_eq!(w.len(), 3, "{w:#?}");
        assert!(
            w[1].ends_with("help: add \"toc\" to `before` in [preprocessor.design] in book.toml, or run mdbook-trd install again"),
            "{w:#?}"
        );
        assert!(w[2].contains("[preprocessor.admonish] before [preprocessor.design]"));
        // mermaid says itself it runs first: `before` alone would make a cycle.
        assert!(
            w[0].ends_with(
                "help: remove the `before`/`after` entries that put [preprocessor.mermaid] ahead \
                 of [preprocessor.design], then add \"mermaid\" to `before` in \
                 [preprocessor.design] in book.toml"
            ),
            "{w:#?}"
        );
    }

    #[test]
    fn nothing_without_trd_a_cycle_or_a_late_enough_preprocessor() {
        assert!(order_warnings(&json!({"preprocessor": {"mermaid": {}}})).is_empty());
        let cycle = json!({"preprocessor": {"trd": {"before": ["mermaid"]}, "mermaid": {"before": ["trd"]}}});
        assert!(order_warnings(&cycle).is_empty());
        let after =
            json!({"preprocessor": {"trd": {}, "mermaid": {"after": ["trd"]}, "pagetoc": {}}});
        assert!(order_warnings(&after).is_empty());
    }

    #[test]
    fn the_tables_are_apart_and_name_real_tables() {
        for known in MUST_RUN_AFTER.iter().chain(ORDER_FREE) {
            let n = known.name;
            assert!(!n.is_empty() && !n.contains(['.', ' ', '"']), "{n}");
            assert!(known.reason.starts_with("it ") || known.reason.starts_with("mdBook"));
        }
        for free in ORDER_FREE {
            assert!(MUST_RUN_AFTER.iter().all(|k| k.name != free.name));
        }
    }
}
