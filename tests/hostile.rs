//! The hostile-input corpus: inputs a handbook will one day hold, each with the exact outcome
//! it must have — the expansion, or an error naming the file and line — and never a panic, a
//! hang, or a half-written book. They run in process through the same `protocol::run` the
//! binary uses, so 10 MB chapters and 100,000 directives stay cheap; the injection cases are
//! checked on HTML built by the real mdBook at the end.

mod common;

use common::{Mdbook, build};
use mdbook_trd::edge::protocol::{self, RunError};
use mdbook_trd::render::page::PAGE_STYLE;
use serde_json::{Value, json};

/// What one run gave: the book (when it succeeded), every byte it wrote, and its messages.
struct Outcome {
    result: Result<Value, String>,
    stdout: Vec<u8>,
    messages: String,
}

fn run_bytes(input: &[u8]) -> Outcome {
    let mut stdout = Vec::new();
    let mut messages = Vec::new();
    let result = protocol::run(input, &mut stdout, &mut messages, None);
    let messages = String::from_utf8(messages).unwrap();
    let result = match result {
        Ok(()) => Ok(serde_json::from_slice(&stdout).expect("the answer is JSON")),
        Err(RunError::Input(e)) => Err(e),
        Err(RunError::Book(d)) => Err(d.iter().map(|d| format!("{d}\n")).collect()),
        Err(RunError::Output(e)) => Err(e.to_string()),
    };
    Outcome {
        result,
        stdout,
        messages,
    }
}

fn context(trd: Value) -> Value {
    json!({"root": "/nonexistent/hostile", "renderer": "html", "mdbook_version": "0.5.4",
           "config": {"book": {"src": "src"}, "preprocessor": {"trd": trd}}})
}

fn chapter(name: &str, content: &str, path: Option<&str>) -> Value {
    json!({"Chapter": {"name": name, "content": content, "number": null, "sub_items": [],
           "path": path, "source_path": path, "parent_names": []}})
}

fn run_items(trd: Value, items: Vec<Value>) -> Outcome {
    run_bytes(&serde_json::to_vec(&json!([context(trd), {"items": items}])).unwrap())
}

/// One chapter `src/doc.md` through the preprocessor.
fn run_one(content: &str) -> Outcome {
    run_items(json!({}), vec![chapter("Doc", content, Some("doc.md"))])
}

/// The chapter's content after a successful run, and the messages.
fn expand(content: &str) -> (String, String) {
    let out = run_one(content);
    let book = out.result.unwrap_or_else(|e| panic!("failed: {e}"));
    let content = book["items"][0]["Chapter"]["content"].as_str().unwrap();
    (content.to_owned(), out.messages)
}

/// The diagnostics of a failed run, after checking it wrote nothing at all.
fn fail(content: &str) -> String {
    let out = run_one(content);
    assert!(out.stdout.is_empty(), "a failed run wrote to stdout");
    out.result.expect_err("the run should fail")
}

const TDD_TITLE: &str = "# Technical Design Document (TDD): ";

#[test]
fn deeply_nested_quotes_and_lists_are_left_as_written() {
    let quotes = format!("{}<<#trd tdd>>\n", "> ".repeat(10_000));
    let list: String = (0..2_000)
        .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
        .collect();
    let content = format!("{quotes}\n{list}");
    let (out, messages) = expand(&content);
    assert_eq!(out, content);
    assert_eq!(
        messages,
        "src/doc.md:1:20001: warning[nested-directive]: a directive inside a list, block quote, table, definition \
         list or footnote is not expanded\n  help: move it to a paragraph of its own at the top \
         level of the chapter\n"
    );
    // The same nesting inside a design doc is copied into its section whole.
    let doc = format!(
        "<<#trd tdd>>\n\n## Goals\n\n{list}\n{}deep\n",
        "> ".repeat(10_000)
    );
    let (out, messages) = expand(&doc);
    assert_eq!(messages, "");
    assert!(out.starts_with(TDD_TITLE));
    assert!(out.contains(&format!(
        "## Goals\n\n{list}\n{}deep\n",
        "> ".repeat(10_000)
    )));
}

#[test]
fn ten_megabyte_chapters() {
    let line = "Carrier scans arrive as nightly CSV drops, batched per depot and region.\n\n";
    let body = line.repeat(10 * 1024 * 1024 / line.len());
    assert!(body.len() > 10_000_000);
    // No directive: the chapter comes back byte for byte.
    let (out, _) = expand(&body);
    assert!(out == body, "a plain 10 MB chapter changed");
    // A design doc: every paragraph of the 10 MB section is in the expansion, once.
    let (out, messages) = expand(&format!("<<#trd tdd>>\n\n## Background\n\n{body}"));
    assert_eq!(messages, "");
    assert!(out.contains(&format!("## Background\n\n{}", body.trim_end())));
    assert_eq!(out.matches(line).count(), body.matches(line).count());
}

#[test]
fn a_hundred_thousand_directives() {
    // Indexes: every one becomes a table listing the chapter's doc.
    let indexes = "<<#trd index>>\n\n".repeat(100_000);
    let (out, messages) = expand(&format!("<<#trd tdd title=\"Only\">>\n\n{indexes}"));
    assert_eq!(messages, "");
    assert!(!out.contains("<<#trd"));
    assert_eq!(out.matches("|[Only](doc.md)|").count(), 100_000);

    // Template directives: the first is the doc, every other one is an error on its own line.
    let templates = "<<#trd tdd>>\n\n".repeat(100_000);
    let errors = fail(&templates);
    assert_eq!(
        errors
            .matches("error[second-template]: a second template directive")
            .count(),
        99_999
    );
    assert!(errors.starts_with(
        "src/doc.md:3:8: error[second-template]: a second template directive in one chapter; the first is on \
         line 1\n"
    ));
    assert!(
        errors.contains("src/doc.md:199999:8: error[second-template]: a second template directive")
    );

    // Malformed ones: one error each, with its own position.
    let broken = "<<#trd tdd title=\"open>>\n\n".repeat(100_000);
    let errors = fail(&broken);
    assert_eq!(
        errors
            .matches("error[directive-syntax]: unterminated")
            .count(),
        100_000
    );
    assert!(errors.contains("src/doc.md:199999:18: error[directive-syntax]: unterminated"));

    // Misplaced ones: a paragraph of 100,000 directive lines, and 100,000 underlined ones.
    let run_on = format!("Intro.\n{}", "<<#trd index>>\n".repeat(100_000));
    let (out, messages) = expand(&run_on);
    assert_eq!(out, run_on);
    // The build log summarises them: a count, the first few, and the pointer to `check`.
    assert!(messages.lines().count() <= 50, "{messages}");
    assert!(
        messages.starts_with("warning: mdbook-trd: 100000 warnings of 1 kind:\n"),
        "{messages}"
    );
    assert!(messages.contains("\n  misplaced-directive: 100000 ("));
    assert!(messages.contains("\n    src/doc.md:2:1: this directive continues"));
    assert!(messages.ends_with("run `mdbook-trd check` to see all 100000\n"));
    let underlined = "<<#trd index>>\n---\n\n".repeat(100_000);
    let errors = fail(&underlined);
    assert_eq!(errors.matches("makes it a heading").count(), 100_000);
    assert!(errors.contains("src/doc.md:299998:1: error[underlined-directive]: the `---`"));
}

#[test]
fn unterminated_quotes_and_fences() {
    assert_eq!(
        fail("Intro.\n\n<<#trd tdd title=\"Payments\n   status=Draft>>\n"),
        "src/doc.md:3:18: error[directive-syntax]: unterminated \" quote in the value of `title`\n  help: close \
         the value with \"; write \\\" for a literal \"\n"
    );
    assert_eq!(
        fail("<<#trd tdd author='O>>\n"),
        "src/doc.md:1:19: error[directive-syntax]: unterminated ' quote in the value of `author`\n  help: close \
         the value with '; write \\' for a literal '\n"
    );
    assert_eq!(
        fail("<<#trd tdd title=\"T\"\n\nNext paragraph.\n"),
        "src/doc.md:1:21: error[directive-syntax]: missing `>>` at the end of the directive\n  help: end the \
         directive with `>>` and leave a blank line after it\n"
    );
    // A fence that never closes runs to the end of the chapter: what it holds is code, and is
    // left alone.
    let fenced = "Intro.\n\n```text\n<<#trd tdd>>\n\n<<#trd index>>\n";
    assert_eq!(expand(fenced), (fenced.to_owned(), String::new()));
    // In a design doc it is kept in place, whole, after the template's sections, where it
    // can take nothing of the template in; a warning names its line.
    let (out, messages) = expand("<<#trd tdd>>\n\n## Goals\n\n~~~\n# not a heading\n");
    assert!(
        messages.starts_with(
            "src/doc.md:5:1: warning[unbalanced-section]: this code fence is never closed"
        ),
        "{messages}"
    );
    assert!(
        out.ends_with("\n\n## Goals\n\n~~~\n# not a heading\n"),
        "{out}"
    );
    assert_eq!(out.matches("## Goals").count(), 2, "{out}");
}

#[test]
fn invalid_json_is_one_line_and_writes_nothing() {
    let lone_surrogate = br#"[{"root":"/b","renderer":"html","mdbook_version":"0.5.4","config":{}},
        {"items":[{"Chapter":{"name":"D","content":"a\ud800b","number":null,"sub_items":[],
        "path":"d.md","source_path":"d.md","parent_names":[]}}]}]"#;
    let invalid_utf8 = [&br#"[{"root":"/b"},{"items":[{"Chapter":{"name":"D","content":""#[..],
        b"\xff\xfe",
        br#"","number":null,"sub_items":[],"path":"d.md","source_path":"d.md","parent_names":[]}}]}]"#]
        .concat();
    let truncated = &lone_surrogate[..lone_surrogate.len() / 2];
    for (input, says) in [
        (&lone_surrogate[..], "hex escape"),
        (&invalid_utf8[..], "invalid unicode code point"),
        (truncated, "EOF while parsing"),
        (b"", "EOF while parsing"),
        (b"[{}, {}]", "neither `items`"),
    ] {
        let out = run_bytes(input);
        let error = out.result.expect_err("invalid input is refused");
        assert!(out.stdout.is_empty());
        assert!(!error.contains('\n'), "{error}");
        assert!(error.contains(says), "{error:?} does not say {says:?}");
    }
}

#[test]
fn nul_bytes_survive() {
    let content = "Before\0after.\n\n<<#trd tdd title=\"A\0B\">>\n\n## Goals\n\nNUL \0 here.\n";
    let (out, messages) = expand(content);
    assert_eq!(messages, "");
    assert!(out.starts_with("Before\0after.\n\n# Technical Design Document (TDD): A\0B\n"));
    assert!(out.contains("## Goals\n\nNUL \0 here.\n"));
}

#[test]
fn crlf_and_mixed_line_endings() {
    let crlf =
        "Intro.\r\n\r\n<<#trd tdd\r\n  title=\"Windows\">>\r\n\r\n## Goals\r\n\r\nG1\r\nG2\r\n";
    let (out, messages) = expand(crlf);
    assert_eq!(messages, "");
    assert!(out.starts_with("Intro.\r\n\r\n# Technical Design Document (TDD): Windows\n"));
    // Inside a block its own endings stay; between blocks the expansion writes `\n`.
    assert!(out.contains("## Goals\n\nG1\r\nG2\n"));
    // A lone `\r` ends a line too.
    let mixed = "<<#trd tdd>>\r\n\n## Goals\r\rOld Mac line\n\n## Non-Goals\r\n\nN1\n";
    let (out, messages) = expand(mixed);
    assert_eq!(messages, "");
    assert!(out.contains("## Goals\r\rOld Mac line\n"));
    assert!(out.contains("## Non-Goals\n\nN1\n"));
    // Errors count lines the way editors do.
    assert!(
        fail("a\r\n\r\n<<#trd nope>>\r\n")
            .starts_with("src/doc.md:3:8: error[unknown-template]: unknown template")
    );
}

#[test]
fn a_byte_order_mark_is_read_past() {
    let (out, messages) = expand("\u{feff}<<#trd tdd title=\"Marked\">>\n\nIntro.\n");
    assert_eq!(messages, "");
    assert!(out.starts_with("# Technical Design Document (TDD): Marked\n"));
    // Without a directive the chapter is not touched.
    assert_eq!(expand("\u{feff}# Notes\n").0, "\u{feff}# Notes\n");
}

#[test]
fn right_to_left_and_combining_titles() {
    let arabic = "نظام تتبع الشحنات";
    let combining = "Cafe\u{301} routing (A\u{30a})";
    let (out, _) = expand(&format!(
        "<<#trd tdd title=\"{arabic}\">>\n\n<<#trd index>>\n"
    ));
    assert!(out.starts_with(&format!("{TDD_TITLE}{arabic}\n")));
    assert!(out.contains(&format!("|[{arabic}](doc.md)|")));
    let (out, _) = expand(&format!("<<#trd tdd title=\"{combining}\">>\n"));
    assert!(out.starts_with(&format!("{TDD_TITLE}{combining}\n")));
    // Columns count characters, not bytes.
    assert!(
        fail(&format!("<<#trd tdd title=\"{arabic}\" colour=red>>\n"))
            .starts_with("src/doc.md:1:38: error[unknown-attribute]: unknown attribute \"colour\"")
    );
}

#[test]
fn very_long_attribute_values() {
    let title = "Ingestion ".repeat(100_000);
    let title = title.trim_end();
    let (out, messages) = expand(&format!("<<#trd tdd title=\"{title}\">>\n"));
    assert_eq!(messages, "");
    assert!(out.starts_with(&format!("{TDD_TITLE}{title}\n")));
}

#[test]
fn duplicate_attributes_are_errors() {
    assert_eq!(
        fail("<<#trd tdd title=\"A\"\n  status=Draft title=\"B\">>\n"),
        "src/doc.md:2:16: error[directive-syntax]: attribute `title` is given twice\n  help: keep one `title=` \
         and remove the other\n"
    );
}

#[test]
fn closing_marks_inside_quoted_values() {
    let (out, messages) = expand("<<#trd tdd title=\"a >> b\" author='x>>y'>>\n");
    assert_eq!(messages, "");
    assert!(out.starts_with(&format!("{TDD_TITLE}a >> b\n")), "{out}");
    assert!(out.contains("| **Author** | x>>y |\n"), "{out}");
}

#[test]
fn directives_in_tables_and_list_items_are_reported_not_expanded() {
    let content =
        "| a | b |\n|---|---|\n| <<#trd tdd>> | x |\n\n- <<#trd index>>\n\n> <<#trd trd>>\n";
    let (out, messages) = expand(content);
    assert_eq!(out, content);
    let lines: Vec<&str> = messages
        .lines()
        .filter(|l| !l.starts_with("  help"))
        .collect();
    let warning = "warning[nested-directive]: a directive inside a list, block quote, table, definition list or \
                   footnote is not expanded";
    assert_eq!(
        lines,
        [
            format!("src/doc.md:3:3: {warning}"),
            format!("src/doc.md:5:3: {warning}"),
            format!("src/doc.md:7:3: {warning}"),
        ]
    );
}

#[test]
fn a_rule_right_under_a_directive_fails_the_book() {
    // Markdown reads `---` under a line as that line's underline: a heading, not a directive.
    assert_eq!(
        fail("<<#trd tdd title=\"Retries\">>\n---\n\nText.\n"),
        "src/doc.md:1:1: error[underlined-directive]: the `---` or `===` line under this directive makes it a \
         heading, so it is not expanded\n  help: leave a blank line between the directive and \
         the line under it\n"
    );
    // With CRLF line ends and `===` too.
    assert!(
        fail("Intro.\r\n\r\n<<#trd tdd>>\r\n===\r\n")
            .starts_with("src/doc.md:3:1: error[underlined-directive]: ")
    );
    // A blank line makes it a directive and a rule.
    let (out, messages) = expand("<<#trd tdd title=\"Retries\">>\n\n---\n");
    assert_eq!(messages, "");
    assert!(out.starts_with(&format!("{TDD_TITLE}Retries\n")), "{out}");
}

#[test]
fn directives_in_headings_and_run_on_lines_are_warned_about() {
    let content = "# <<#trd tdd>>\n\nSee:\n<<#trd index>>\n\n> Quote\n<<#trd trd>>\n";
    let (out, messages) = expand(content);
    assert_eq!(out, content);
    let lines: Vec<&str> = messages
        .lines()
        .filter(|l| !l.starts_with("  help"))
        .collect();
    let continues = "warning[misplaced-directive]: this directive continues the paragraph, quote or list item on the \
                     line above, so it is not expanded";
    assert_eq!(
        lines,
        [
            "src/doc.md:1:3: warning[misplaced-directive]: a directive in a heading is not expanded".to_owned(),
            format!("src/doc.md:4:1: {continues}"),
            format!("src/doc.md:7:1: {continues}"),
        ]
    );
}

#[test]
fn typographic_quotes_and_spaces_around_equals_are_read() {
    let (out, messages) =
        expand("<<#trd tdd title = “Payment retries” author= ‘Ada’ status =Draft>>\n");
    assert_eq!(messages, "");
    assert!(
        out.starts_with(&format!("{TDD_TITLE}Payment retries\n")),
        "{out}"
    );
    assert!(out.contains("| **Author** | Ada |\n"), "{out}");
    assert_eq!(
        fail("<<#trd tdd title=\"Payment retries” number=1>>\n"),
        "src/doc.md:1:34: error[directive-syntax]: the value of `title` opens with \" but closes with ”\n  help: \
         use the same kind of quote on both sides, e.g. straight quotes: `title=\"...\"`\n"
    );
}

#[test]
fn wrong_case_names_get_the_right_spelling() {
    assert_eq!(
        fail("<<#trd TDD title=\"x\">>\n"),
        "src/doc.md:1:8: error[directive-syntax]: invalid template name \"TDD\"\n  help: template names are \
         lowercase: write `<<#trd tdd ...>>`\n"
    );
    assert!(
        fail("<<#trd tdd Title=\"x\">>\n")
            .ends_with("help: attribute names are lowercase: write `title=`\n")
    );
}

#[test]
fn a_ring_of_five_thousand_superseding_docs_is_one_warning() {
    let n = 5_000;
    let items = (0..n)
        .map(|i| {
            let content = format!(
                "<<#trd design title=\"Doc {i}\" number={i} supersedes=\"{}\">>\n",
                (i + 1) % n
            );
            chapter(&format!("Doc {i}"), &content, Some(&format!("d{i}.md")))
        })
        .collect();
    let out = run_items(json!({}), items);
    assert!(out.result.is_ok());
    let cycles: Vec<&str> = out
        .messages
        .lines()
        .filter(|l| l.contains("supersede cycle"))
        .collect();
    assert_eq!(cycles.len(), 1, "{}", out.messages);
    assert_eq!(
        cycles[0],
        "    src/d0.md:1:38: supersede cycle: \"Doc 0\" supersedes \"Doc 1\", which \
         supersedes \"Doc 2\", which supersedes \"Doc 3\", which supersedes \"Doc 4\", which \
         supersedes \"Doc 5\", ... (4994 more docs), which supersedes \"Doc 0\""
    );
    // Its 4,999 notes (one per doc of the ring) would bury the build log: the build shows the
    // finding's first line, and `check` lists it in full.
    assert!(
        out.messages.contains("\n  supersede-cycle: 1 ("),
        "{}",
        out.messages
    );
    assert!(out.messages.lines().count() <= 50, "{}", out.messages);
}

#[test]
fn empty_books_and_books_of_drafts_and_separators() {
    let out = run_items(json!({}), vec![]);
    assert_eq!(out.result.unwrap(), json!({"items": []}));
    assert_eq!(out.messages, "");
    let items = vec![
        json!({"PartTitle": "Drafts"}),
        chapter("Draft", "", None),
        json!("Separator"),
        chapter("Another draft", "<<#trd tdd>>\n", None),
        json!("Separator"),
    ];
    let out = run_items(json!({}), items.clone());
    let book = out.result.unwrap();
    assert_eq!(book["items"][0], items[0]);
    assert_eq!(book["items"][1], items[1]);
    assert_eq!(book["items"][2], items[2]);
    // A draft has no file and no page: mdBook sends it empty, and it is passed through.
    assert_eq!(book["items"][3], items[3]);
    assert_eq!(book["items"][4], items[4]);
}

#[test]
fn a_bad_chapter_fails_the_book_and_writes_nothing() {
    let items = vec![
        chapter("Good", "<<#trd tdd>>\n", Some("good.md")),
        chapter(
            "Bad",
            "Fine.\n\n<<#trd tdd status=Draft status=Done>>\n",
            Some("designs/bad.md"),
        ),
        chapter("Also good", "<<#trd index>>\n", Some("index.md")),
    ];
    let out = run_items(json!({}), items);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.result.unwrap_err(),
        "src/designs/bad.md:3:25: error[directive-syntax]: attribute `status` is given twice\n  help: keep one \
         `status=` and remove the other\n"
    );
}

#[test]
fn warnings_never_change_the_book() {
    let items = vec![
        chapter(
            "Doc",
            "<<#trd tdd status=Sleeping>>\n\n<<#trd index>>\n",
            Some("doc.md"),
        ),
        chapter("List", "- <<#trd tdd>>\n", Some("list.md")),
    ];
    let first = run_items(json!({"bogus-key": 1}), items.clone());
    let second = run_items(json!({"bogus-key": 1}), items.clone());
    let quiet = run_items(json!({}), items.clone());
    assert!(first.result.is_ok());
    assert_eq!(
        first.messages.matches("warning[").count(),
        3,
        "{}",
        first.messages
    );
    assert!(first.stdout == second.stdout);
    // The unknown book.toml key only warns: the book is the same as without it.
    assert!(first.stdout == quiet.stdout);
    // Strict mode turns the same warnings into a failure that writes nothing.
    let strict = run_items(json!({"strict": true}), items);
    assert!(strict.stdout.is_empty());
    assert!(strict.result.is_err());
}

/// The tags in `html`: each name, with its attributes' names and values.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        rest = &rest[name.len()..];
        let mut attributes = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() || rest.starts_with('>') {
                break;
            }
            let key_len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>')
                .unwrap_or(rest.len());
            let key = rest[..key_len].to_ascii_lowercase();
            rest = &rest[key_len..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                let quote = after.chars().next().filter(|c| matches!(c, '"' | '\''));
                let (v, tail) = match quote {
                    Some(q) => after[1..].split_once(q).unwrap_or((&after[1..], "")),
                    None => after
                        .split_once(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or((after, "")),
                };
                value = v.to_owned();
                rest = tail;
            }
            attributes.push((key, value));
        }
        found.push((name.to_ascii_lowercase(), attributes));
    }
    found
}

/// The inline style of every badge: fixed properties, and colours that can only be hex.
fn is_badge_style(style: &str) -> bool {
    let hex = |v: &str| {
        v.len() == 7 && v.starts_with('#') && v[1..].chars().all(|c| c.is_ascii_hexdigit())
    };
    let mut background = false;
    let declarations_ok = style
        .split(';')
        .all(|declaration| match declaration.split_once(':') {
            Some(("background-color", v)) => {
                background = true;
                hex(v)
            }
            Some(("color", v)) => hex(v),
            Some((property, _)) => [
                "display",
                "padding",
                "border-radius",
                "border",
                "font-size",
                "font-weight",
                "line-height",
                "white-space",
                "font-style",
                "print-color-adjust",
                "-webkit-print-color-adjust",
            ]
            .contains(&property),
            None => false,
        });
    declarations_ok && background && !style.contains(['<', '>', '{', '}'])
}

#[test]
fn injected_values_reach_the_built_html_only_as_text() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/hostile", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        // Colours that are not hex are refused with a warning naming the status.
        let stderr = built.stderr();
        for status in ["<b>Bold</b>", "Blocked;}main{display:none}"] {
            assert!(
                stderr.contains(&format!(
                    "book.toml: warning[config-invalid-value]: status `{status}`: colour"
                )),
                "{mdbook:?}: {stderr}"
            );
        }
        let mut main_text = String::new();
        for page in ["hostile.html", "second.html", "third.html", "index.html"] {
            let html = built.html_page(page);
            let start = html.find("<main>").expect("a <main>");
            let end = html.find("</main>").expect("a </main>");
            // The one `<style>` a page may hold is ours, exactly: it shows the text kept out
            // of search (in `data-trd-text`, which only ever holds template text).
            let main = html[start..end].replace(PAGE_STYLE, "");
            let main = main.as_str();
            main_text.push_str(main);
            for (tag, attributes) in tags(main) {
                assert!(
                    !["script", "img", "iframe", "object", "embed", "style"]
                        .contains(&tag.as_str()),
                    "{mdbook:?} {page}: a value became a <{tag}>"
                );
                for (key, value) in attributes {
                    assert!(
                        [
                            "id",
                            "class",
                            "href",
                            "style",
                            "type",
                            "disabled",
                            "checked",
                            "start",
                            "data-trd-text",
                            "title"
                        ]
                        .contains(&key.as_str()),
                        "{mdbook:?} {page}: <{tag} {key}={value:?}> is no attribute mdBook writes"
                    );
                    let lower = value.trim().to_ascii_lowercase();
                    assert!(
                        !(key == "href"
                            && (lower.starts_with("javascript:") || lower.starts_with("data:"))),
                        "{mdbook:?} {page}: a value became the link {value:?}"
                    );
                    // The one title is the unknown status badge's own words.
                    assert!(
                        key != "title"
                            || value == "unknown status: not in the lifecycle of this book",
                        "{mdbook:?} {page}: title {value:?}"
                    );
                    if key == "style" {
                        // A badge's, or the fixed ones that keep a date or a piece of a long
                        // status on one line, or let a long number or word break anywhere.
                        assert!(
                            is_badge_style(&value)
                                || value == "white-space:nowrap"
                                || value == "overflow-wrap:anywhere",
                            "{mdbook:?} {page}: style {value:?}"
                        );
                    }
                }
            }
        }
        // Each value is on the page, escaped, as typed (mdBook curls straight quotes), once the
        // spans that let a long status or number wrap are taken out.
        let shown = main_text
            .replace(['“', '”'], "\"")
            .replace(['‘', '’'], "'")
            .replace("<span style=\"white-space:nowrap\">", "")
            .replace("<span style=\"overflow-wrap:anywhere\">", "")
            .replace("</span>", "");
        for escaped in [
            "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
            "\"&gt;&lt;img src=x onerror=window.__pwned=20&gt;",
            "&lt;script&gt;window.__pwned=21&lt;/script&gt;",
            "javascript:window.__pwned=22",
            "\";}&lt;/style&gt;&lt;script&gt;window.__pwned=23&lt;/script&gt;",
            "&lt;iframe src=javascript:window.__pwned=24&gt;&lt;/iframe&gt;",
            "';window.__pwned=25;//",
            "javascript:window.__pwned=26",
            "data:text/html,&lt;script&gt;window.__pwned=27&lt;/script&gt;",
            "Blocked;}main{display:none} {onclick=window.__pwned=30 .x}",
            "3 {onclick=window.__pwned=31}",
            "\"&gt;&lt;img src=x onerror=window.__pwned=10&gt;",
            "&lt;script&gt;window.__pwned=14&lt;/script&gt;",
        ] {
            assert!(
                shown.contains(escaped),
                "{mdbook:?}: {escaped:?} is not shown as text"
            );
        }
    }
}
