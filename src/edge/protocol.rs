//! The edge with mdBook: `[context, book]` JSON on stdin, the book on stdout.
//!
//! mdBook 0.4 and 0.5 send different shapes (`sections` + `__non_exhaustive` vs `items`), and
//! 0.4's context carries settings 0.5's strict types reject. So the input is read with our own
//! lenient types: the context as loose JSON, the book as the `mdbook-preprocessor` model under
//! whichever key it came, and the answer goes back under that same key.

use std::io::{self, Read, Write};
use std::path::PathBuf;

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use semver::{Version, VersionReq};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::render::mode::RenderMode;
use crate::report::diagnostic::Diagnostic;
use crate::report::summary::build_log;

use super::book_toml::{STRICT_ENV, is_mdbook_04, trd_entry, trd_table};
use super::loader::src_of;
use super::setup::{Overrides, Setup};

/// The mdBook versions this build runs with and says nothing about.
pub const SUPPORTED_MDBOOK: &str = ">=0.4.21, <0.6.0";

/// The context mdBook sends, read leniently: only what we use, every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct HostContext {
    /// The book's root folder.
    pub root: PathBuf,
    /// The renderer this run is for (`html`, `markdown`, ...).
    pub renderer: String,
    /// The version of the calling mdBook.
    pub mdbook_version: String,
    /// `book.toml`, as JSON.
    pub config: Value,
}

impl HostContext {
    /// The `[preprocessor.trd]` table, if any (see [`trd_table`]).
    pub fn trd_table(&self) -> Option<&Value> {
        trd_table(&self.config)
    }

    /// The book's `src` folder, relative to its root.
    pub fn src(&self) -> PathBuf {
        src_of(&self.config)
    }
}

/// The book under the key its mdBook version uses.
#[derive(Debug, Deserialize)]
struct HostBook {
    items: Option<Vec<BookItem>>,
    sections: Option<Vec<BookItem>>,
}

/// The answer, in the shape of the question. What [`write_answer`] writes; the tests check
/// that it writes what serializing this would.
#[derive(Serialize)]
#[serde(untagged)]
enum Answer<'a> {
    V05 {
        items: &'a [BookItem],
    },
    V04 {
        sections: &'a [BookItem],
        __non_exhaustive: (),
    },
}

/// What a chapter's content is written as: `expand` writes a chapter's new content onto the
/// string it is given and returns true, or returns false for a chapter kept as written. It is
/// called for every chapter but drafts, in SUMMARY order (see
/// [`for_each_chapter`](crate::analysis::walk::for_each_chapter)).
type Expand<'a> = &'a mut dyn FnMut(&Chapter, &mut String) -> bool;

/// Writes `answer` as JSON, the bytes `serde_json::to_writer` writes for it, but each
/// chapter's content through [`escape_to`]: the expanded chapters are most of the output,
/// and serde_json looks up every byte of a string in a table, where this checks eight at a
/// time. Everything else (names, numbers, paths, separators) goes through serde_json. Each
/// chapter's content is what `expand` makes of it, written out at once: the expanded book is
/// never held whole in memory.
fn write_answer(
    out: &mut impl Write,
    answer: &Answer<'_>,
    expand: Expand<'_>,
) -> serde_json::Result<()> {
    let mut writer = ItemWriter {
        scratch: vec![0; ESCAPE_BUFFER + ESCAPE_SLACK],
        content: String::new(),
        expand,
    };
    match answer {
        Answer::V05 { items } => {
            out.write_all(b"{\"items\":")
                .map_err(serde_json::Error::io)?;
            writer.items(out, items)?;
            out.write_all(b"}").map_err(serde_json::Error::io)
        }
        Answer::V04 { sections, .. } => {
            out.write_all(b"{\"sections\":")
                .map_err(serde_json::Error::io)?;
            writer.items(out, sections)?;
            out.write_all(b",\"__non_exhaustive\":null}")
                .map_err(serde_json::Error::io)
        }
    }
}

/// What [`write_answer`] writes the items with.
struct ItemWriter<'a> {
    /// Where [`escape_to`] gathers its output.
    scratch: Vec<u8>,
    /// The expanded content of the chapter being written, one string for every chapter.
    content: String,
    expand: Expand<'a>,
}

impl ItemWriter<'_> {
    /// A list of book items, as serde_json writes it (see [`write_answer`]).
    fn items(&mut self, out: &mut impl Write, items: &[BookItem]) -> serde_json::Result<()> {
        let io = serde_json::Error::io;
        out.write_all(b"[").map_err(io)?;
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.write_all(b",").map_err(io)?;
            }
            let BookItem::Chapter(c) = item else {
                serde_json::to_writer(&mut *out, item)?;
                continue;
            };
            // The fields in the order mdBook's `Chapter` declares (and serializes) them.
            out.write_all(b"{\"Chapter\":{\"name\":").map_err(io)?;
            serde_json::to_writer(&mut *out, &c.name)?;
            out.write_all(b",\"content\":").map_err(io)?;
            let expanded = !c.is_draft_chapter() && (self.expand)(c, &mut self.content);
            let content = if expanded { &self.content } else { &c.content };
            escape_to(out, content, &mut self.scratch).map_err(io)?;
            out.write_all(b",\"number\":").map_err(io)?;
            serde_json::to_writer(&mut *out, &c.number)?;
            out.write_all(b",\"sub_items\":").map_err(io)?;
            self.items(out, &c.sub_items)?;
            out.write_all(b",\"path\":").map_err(io)?;
            serde_json::to_writer(&mut *out, &c.path)?;
            out.write_all(b",\"source_path\":").map_err(io)?;
            serde_json::to_writer(&mut *out, &c.source_path)?;
            out.write_all(b",\"parent_names\":").map_err(io)?;
            serde_json::to_writer(&mut *out, &c.parent_names)?;
            out.write_all(b"}}").map_err(io)?;
        }
        out.write_all(b"]").map_err(io)
    }
}

/// How much escaped text [`escape_to`] gathers before writing it out.
const ESCAPE_BUFFER: usize = 1 << 16;

/// Room past [`ESCAPE_BUFFER`] for the last word gathered: eight bytes escaped (at most 48) and
/// the eight written ahead.
const ESCAPE_SLACK: usize = 64;

/// Writes `text` as a JSON string, quotes included, escaped exactly as serde_json escapes:
/// `"` and `\` with a backslash, `\b \t \n \f \r` by name, any other control character as
/// `\u00xx` (lower-case hex), and nothing else. `buf` (at least [`ESCAPE_BUFFER`] and
/// [`ESCAPE_SLACK`] long) gathers the output.
///
/// Eight bytes at a time: a word is stored whole, and where it holds bytes to escape (found
/// all at once, see [`escapes`]) the rest of the word is stored again after each escape. So a
/// run of plain text costs a few operations per word, and an escape (a chapter has one every
/// twenty bytes or so: every line break) a few more, with no call and no copy of a run.
fn escape_to(out: &mut impl Write, text: &str, buf: &mut [u8]) -> io::Result<()> {
    let bytes = text.as_bytes();
    buf[0] = b'"';
    let mut pos = 1;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let mut found = escapes(word);
        buf[pos..pos + 8].copy_from_slice(&word.to_le_bytes());
        let mut left = 8;
        while found != 0 {
            let at = (found.trailing_zeros() / 8) as usize;
            pos += at;
            pos += escape_byte(&mut buf[pos..], word.to_le_bytes()[at]);
            // What follows the escaped byte, now first in the word (shifting by all 64 bits
            // leaves nothing).
            let shift = 8 * (at as u32 + 1);
            word = word.checked_shr(shift).unwrap_or(0);
            found = found.checked_shr(shift).unwrap_or(0);
            left -= at + 1;
            buf[pos..pos + 8].copy_from_slice(&word.to_le_bytes());
        }
        pos += left;
        i += 8;
        if pos >= ESCAPE_BUFFER {
            out.write_all(&buf[..pos])?;
            pos = 0;
        }
    }
    for &b in &bytes[i..] {
        pos += escape_byte(&mut buf[pos..], b);
    }
    buf[pos] = b'"';
    out.write_all(&buf[..=pos])
}

/// The high bit of each byte of `word` that JSON escapes (below 0x20, `"`, `\`), and no other
/// bit.
fn escapes(word: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const ONES: u64 = 0x0101_0101_0101_0101;
    // A byte of `x` is zero when its high bit is clear in `(x & LOW7) + LOW7 | x` (adding 0x7f
    // to its low seven bits carries into the high bit unless they are all zero, and never
    // into the next byte); the three tests share the rest.
    let nonzero = |x: u64| ((x & LOW7) + LOW7) | x;
    !(nonzero(word & 0xe0e0_e0e0_e0e0_e0e0)
        & nonzero(word ^ (ONES * u64::from(b'"')))
        & nonzero(word ^ (ONES * u64::from(b'\\')))
        | LOW7)
}

/// For each byte, the letter that follows the backslash of its escape in JSON, or 0 for a
/// byte written as is: as serde_json escapes (see [`escape_to`]).
const SHORT_ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[b'\t' as usize] = b't';
    table[b'\n' as usize] = b'n';
    table[0x0c] = b'f';
    table[b'\r' as usize] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// One byte of a JSON string, escaped as serde_json escapes it or as is, at the start of `to`
/// (at least six bytes long): how many bytes it took.
#[inline]
fn escape_byte(to: &mut [u8], b: u8) -> usize {
    match SHORT_ESCAPE[usize::from(b)] {
        0 => {
            to[0] = b;
            1
        }
        b'u' => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let (high, low) = (HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]);
            to[..6].copy_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
            6
        }
        short => {
            to[..2].copy_from_slice(&[b'\\', short]);
            2
        }
    }
}

/// Why a run failed. The message is for people and already formatted.
#[derive(Debug)]
pub enum RunError {
    /// stdin was not what mdBook sends.
    Input(String),
    /// The book has errors; each is a line (or two) for stderr.
    Book(Vec<Diagnostic>),
    /// Writing the answer failed.
    Output(io::Error),
}

/// A warning about the host's version, or `None` when it is one we support.
pub fn check_version(host: &str) -> Option<String> {
    let supported = VersionReq::parse(SUPPORTED_MDBOOK).ok()?;
    match Version::parse(host.trim()) {
        Ok(v) if supported.matches(&v) => None,
        Ok(v) => Some(format!(
            "mdbook-trd supports mdBook {SUPPORTED_MDBOOK} (built with {}), but is being run by \
             mdBook {v}; it will try anyway",
            mdbook_preprocessor::MDBOOK_VERSION
        )),
        Err(_) => Some(format!(
            "mdbook-trd could not read the calling mdBook's version {host:?}; it will try anyway"
        )),
    }
}

/// The renderer whose run prints the book's warnings, or `None` when every run should.
///
/// mdBook runs the preprocessors once per renderer (`[output.html]`, `[output.markdown]`,
/// ...), each time on the same book, so each run finds the same warnings: printed by every run,
/// a book with two renderers showed each warning twice. One run speaks for the build: `html`
/// when mdBook runs trd for it (it is the renderer `mdbook serve` and `watch` use), else the
/// first by name. The renderers are the `[output]` tables (`html` when there is none), less
/// those `renderers = [...]` in trd's own table leaves out. Errors are always printed: they
/// stop the build in whichever run finds them.
pub fn reporting_renderer(config: &Value) -> Option<String> {
    let mut renderers: Vec<&str> = match config.get("output").and_then(Value::as_object) {
        Some(outputs) if !outputs.is_empty() => outputs.keys().map(String::as_str).collect(),
        _ => vec!["html"],
    };
    let only = trd_entry(config)
        .and_then(|(_, table)| table.get("renderers"))
        .and_then(Value::as_array);
    if let Some(only) = only {
        renderers.retain(|r| only.iter().any(|o| o.as_str() == Some(r)));
    }
    if renderers.contains(&"html") {
        return Some("html".into());
    }
    renderers.sort_unstable();
    renderers.first().map(|r| (*r).to_owned())
}

/// Whether the run for `renderer` prints warnings (see [`reporting_renderer`]): the chosen
/// one, and any renderer outside the book's list, such as `mdbook test`'s, which is the only
/// run of its command.
fn prints_warnings(config: &Value, renderer: &str) -> bool {
    match reporting_renderer(config) {
        Some(chosen) if chosen == renderer => true,
        Some(_) => {
            let listed = match config.get("output").and_then(Value::as_object) {
                Some(outputs) if !outputs.is_empty() => outputs.contains_key(renderer),
                _ => renderer == "html",
            };
            !listed
        }
        None => true,
    }
}

/// Runs the preprocessor: reads `input`, writes the book to `output`, and warnings to
/// `messages`. `strict_env` is the value of `MDBOOK_TRD_STRICT`, if set.
pub fn run(
    input: impl Read,
    output: impl Write,
    messages: &mut impl Write,
    strict_env: Option<&str>,
) -> Result<(), RunError> {
    run_to(input, output, messages, strict_env, false)
}

/// Reads what mdBook sends: the context, the book's items, and whether they came in 0.4's
/// shape (`sections`).
fn read_input(input: impl Read) -> Result<(HostContext, Vec<BookItem>, bool), RunError> {
    let mut bytes = Vec::new();
    let mut input = input;
    input
        .read_to_end(&mut bytes)
        .map_err(|e| RunError::Input(format!("cannot read stdin: {e}")))?;
    let (ctx, host_book): (HostContext, HostBook) =
        serde_json::from_slice(&bytes).map_err(|e| {
            RunError::Input(format!(
                "stdin is not the [context, book] JSON mdBook sends: {e}"
            ))
        })?;
    match (host_book.items, host_book.sections) {
        (Some(items), _) => Ok((ctx, items, false)),
        (None, Some(sections)) => Ok((ctx, sections, true)),
        (None, None) => Err(RunError::Input(
            "the book has neither `items` (mdBook 0.5) nor `sections` (mdBook 0.4)".into(),
        )),
    }
}

/// [`run`]; with `exiting`, for a process that ends once the book is written, the book and
/// its analysis are left to the end of the process, which hands their memory back whole,
/// instead of being freed piece by piece (hundreds of thousands of small blocks, a few
/// percent of a run).
fn run_to(
    input: impl Read,
    output: impl Write,
    messages: &mut impl Write,
    strict_env: Option<&str>,
    exiting: bool,
) -> Result<(), RunError> {
    let (ctx, items, v04) = read_input(input)?;
    let speaks = prints_warnings(&ctx.config, &ctx.renderer);
    if let Some(warning) = check_version(&ctx.mdbook_version).filter(|_| speaks) {
        // Messages are best effort: a closed stderr must not fail the build.
        let _ = writeln!(messages, "warning: {warning}");
    }
    // The shape is the surer sign: 0.4's `sections` with any version string is 0.4.
    let version = if v04 && !is_mdbook_04(&ctx.mdbook_version) {
        "0.4"
    } else {
        ctx.mdbook_version.as_str()
    };
    let setup = Setup::new(
        &ctx.root,
        &ctx.config,
        Overrides {
            mdbook_version: version,
            strict_env,
            strict_flag: false,
        },
    );
    for note in setup.templates.skipped().iter().filter(|_| speaks) {
        let _ = writeln!(messages, "{note}");
    }
    let book = Book::new_with_items(items);
    let mode = RenderMode::for_renderer(&ctx.renderer);
    let (mut expansion, warnings) = setup
        .prepare(&book, mode, &ctx.src())
        .map_err(RunError::Book)?;
    if speaks {
        let _ = write!(messages, "{}", build_log(&warnings));
    }

    let answer = if v04 {
        Answer::V04 {
            sections: &book.items,
            __non_exhaustive: (),
        }
    } else {
        Answer::V05 { items: &book.items }
    };
    let mut output = io::BufWriter::new(output);
    write_answer(&mut output, &answer, &mut |chapter, content| {
        expansion.next(chapter, content)
    })
    .map_err(|e| RunError::Output(e.into()))?;
    if exiting {
        std::mem::forget(expansion);
        std::mem::forget(book);
    }
    output.flush().map_err(RunError::Output)
}

/// The process's stdout without the standard library's line buffering, which looks for the
/// last newline in every write so as to flush up to it: a scan of the whole answer (tens of
/// megabytes for a large book) for nothing, as the answer goes out through a `BufWriter`.
fn unbuffered_stdout() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(io::stdout().lock())
}

/// Runs the protocol on the process's stdin and stdout, reporting to stderr. Returns whether it
/// succeeded.
pub fn run_stdio() -> bool {
    let stderr = io::stderr();
    let mut messages = stderr.lock();
    let strict = std::env::var(STRICT_ENV).ok();
    match run_to(
        io::stdin().lock(),
        unbuffered_stdout(),
        &mut messages,
        strict.as_deref(),
        true,
    ) {
        Ok(()) => true,
        Err(RunError::Input(e)) => {
            let _ = writeln!(messages, "error: mdbook-trd: {e}");
            false
        }
        Err(RunError::Book(diagnostics)) => {
            // Every error is listed (each must be fixed); the warnings beside them are
            // summarised as in a build that succeeds.
            let (errors, warnings): (Vec<_>, Vec<_>) =
                diagnostics.into_iter().partition(Diagnostic::is_error);
            for d in &errors {
                let _ = writeln!(messages, "{d}");
            }
            let _ = write!(messages, "{}", build_log(&warnings));
            let errors = errors.len();
            let _ = writeln!(
                messages,
                "error: mdbook-trd found {errors} error{} in the book; nothing was written",
                if errors == 1 { "" } else { "s" }
            );
            false
        }
        Err(RunError::Output(e)) => {
            let _ = writeln!(
                messages,
                "error: mdbook-trd: cannot write the book to stdout: {e}"
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_run_per_build_prints_the_warnings() {
        let both = json!({"output": {"markdown": {}, "html": {}}});
        assert_eq!(reporting_renderer(&both).as_deref(), Some("html"));
        assert!(prints_warnings(&both, "html"));
        assert!(!prints_warnings(&both, "markdown"));
        // `mdbook test` runs for a renderer of its own, and is the only run.
        assert!(prints_warnings(&both, "test"));
        // No [output]: html.
        assert!(prints_warnings(&json!({}), "html"));
        // Without html, the first by name.
        let other = json!({"output": {"markdown": {}, "epub": {}}});
        assert_eq!(reporting_renderer(&other).as_deref(), Some("epub"));
        assert!(!prints_warnings(&other, "markdown"));
        // trd's own `renderers` leaves html out: mdBook runs it for markdown only.
        let only = json!({
            "output": {"markdown": {}, "html": {}},
            "preprocessor": {"trd": {"renderers": ["markdown"]}}
        });
        assert!(prints_warnings(&only, "markdown"));
        assert!(!prints_warnings(&only, "html"));
    }

    fn chapter(content: &str) -> Value {
        json!({"Chapter": {"name": "Doc", "content": content, "number": [1],
            "sub_items": [], "path": "doc.md", "source_path": "doc.md", "parent_names": []}})
    }

    fn ctx(version: &str) -> Value {
        json!({"root": "/b", "renderer": "html", "mdbook_version": version,
            "config": {"book": {"src": "src", "multilingual": false},
                       "preprocessor": {"trd": {"command": "mdbook-trd"}}},
            "some_future_field": 1})
    }

    fn call(input: &Value) -> (Result<Value, String>, String) {
        let bytes = serde_json::to_vec(input).unwrap();
        let mut out = Vec::new();
        let mut msgs = Vec::new();
        let r = run(&bytes[..], &mut out, &mut msgs, None);
        let msgs = String::from_utf8(msgs).unwrap();
        match r {
            Ok(()) => (Ok(serde_json::from_slice(&out).unwrap()), msgs),
            Err(e) => (Err(format!("{e:?}")), msgs),
        }
    }

    #[test]
    fn answers_in_the_05_shape() {
        let input = json!([ctx("0.5.4"), {"items": [chapter("<<#trd tdd>>\n"), "Separator"]}]);
        let (out, msgs) = call(&input);
        let out = out.unwrap();
        assert_eq!(msgs, "");
        assert!(out.get("sections").is_none());
        let content = out["items"][0]["Chapter"]["content"].as_str().unwrap();
        assert!(content.starts_with("# Technical Design Document (TDD): Doc\n"));
        assert_eq!(out["items"][1], "Separator");
    }

    #[test]
    fn answers_in_the_04_shape() {
        let input = json!([ctx("0.4.52"), {"sections": [chapter("<<#trd trd>>\n")], "__non_exhaustive": null}]);
        let (out, msgs) = call(&input);
        let out = out.unwrap();
        assert_eq!(msgs, "");
        assert!(out.get("items").is_none());
        assert_eq!(out["__non_exhaustive"], Value::Null);
        let content = out["sections"][0]["Chapter"]["content"].as_str().unwrap();
        assert!(content.starts_with("# TRD: Doc\n"));
    }

    #[test]
    fn version_mismatch_warns_but_works() {
        let input = json!([ctx("0.7.0"), {"items": [chapter("plain\n")]}]);
        let (out, msgs) = call(&input);
        assert!(out.is_ok());
        assert!(
            msgs.starts_with("warning: mdbook-trd supports mdBook"),
            "{msgs}"
        );
        assert_eq!(check_version("0.5.9"), None);
        assert_eq!(check_version("0.4.52"), None);
        assert!(check_version("banana").is_some());
    }

    #[test]
    fn malformed_input_is_one_line() {
        for bad in [&b"{not json"[..], b"", b"[{}, {}]"] {
            let mut out = Vec::new();
            let mut msgs = Vec::new();
            let e = run(bad, &mut out, &mut msgs, None).unwrap_err();
            let RunError::Input(message) = e else {
                panic!("{e:?}")
            };
            assert!(!message.contains('\n'), "{message}");
            assert!(out.is_empty());
        }
    }

    #[test]
    fn book_errors_write_nothing() {
        let input = json!([ctx("0.5.4"), {"items": [chapter("<<#trd nope>>\n")]}]);
        let (out, _) = call(&input);
        assert!(out.unwrap_err().contains("unknown template"));
    }

    fn with_settings(settings: Value, content: &str) -> Vec<u8> {
        let mut c = ctx("0.5.4");
        c["config"]["preprocessor"]["trd"] = settings;
        serde_json::to_vec(&json!([c, {"items": [chapter(content)]}])).unwrap()
    }

    /// Whether the run wrote a book, and its findings as printed.
    fn outcome(bytes: &[u8], strict_env: Option<&str>) -> (bool, String) {
        let (mut out, mut msgs) = (Vec::new(), Vec::new());
        match run(bytes, &mut out, &mut msgs, strict_env) {
            Ok(()) => (true, String::from_utf8(msgs).unwrap()),
            Err(RunError::Book(d)) => (false, d.iter().map(|d| format!("{d}\n")).collect()),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn strict_makes_settings_warnings_errors_too() {
        let bytes = with_settings(json!({"strict": true, "stirct": 1}), "<<#trd tdd>>\n");
        let (ok, text) = outcome(&bytes, None);
        assert!(!ok, "{text}");
        assert!(
            text.starts_with("book.toml: error[config-unknown-key]: unknown setting `stirct` in [preprocessor.trd]\n  help: did you mean `strict`?"),
            "{text}"
        );
        let bytes = with_settings(json!({"stirct": 1}), "<<#trd tdd>>\n");
        assert!(outcome(&bytes, None).0);
        assert!(!outcome(&bytes, Some("yes")).0);
    }

    #[test]
    fn an_empty_strict_env_keeps_the_book_strict() {
        let bytes = with_settings(json!({"strict": true}), "<<#trd tdd status=Sleeping>>\n");
        for unset in [None, Some(""), Some(" ")] {
            assert!(!outcome(&bytes, unset).0, "{unset:?}");
        }
        assert!(outcome(&bytes, Some("0")).0);
        let (ok, text) = outcome(&bytes, Some("maybe"));
        assert!(!ok);
        assert!(
            text.starts_with(
                "error[strict-env]: MDBOOK_TRD_STRICT=\"maybe\" is neither yes nor no"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_04_shape_parses_like_04_whatever_the_version_says() {
        // `: x` after a directive is a definition list for 0.5 and plain text for 0.4.
        let content = "<<#trd tdd>>\n: x\n";
        let input = |version: &str, shape: &str| {
            let book = if shape == "sections" {
                json!({"sections": [chapter(content)], "__non_exhaustive": null})
            } else {
                json!({"items": [chapter(content)]})
            };
            serde_json::to_vec(&json!([ctx(version), book])).unwrap()
        };
        assert!(outcome(&input("0.5.4", "items"), None).0);
        assert!(!outcome(&input("0.4.52", "sections"), None).0);
        assert!(!outcome(&input("0.5.4", "sections"), None).0);
        assert!(!outcome(&input("0.4.52", "items"), None).0);
    }

    /// What serde_json writes for `answer`, and what [`write_answer`] writes.
    fn both_ways(answer: &Answer<'_>) -> (String, String) {
        let mut ours = Vec::new();
        write_answer(&mut ours, answer, &mut |_, _| false).unwrap();
        let theirs = serde_json::to_string(answer).unwrap();
        (String::from_utf8(ours).unwrap(), theirs)
    }

    #[test]
    fn the_answer_is_written_as_serde_json_writes_it() {
        let every_byte: String = (0u8..=0x7f).map(char::from).collect();
        let mut nested = mdbook_preprocessor::book::Chapter::new(
            "Sub \"quoted\" \\ name",
            format!("{every_byte} é 😀 \u{2028} end\\"),
            "a/b c.md",
            vec!["Top".into(), "Mid\n".into()],
        );
        nested.number = Some(mdbook_preprocessor::book::SectionNumber::new(vec![
            1, 2, 30,
        ]));
        let mut top = mdbook_preprocessor::book::Chapter::new(
            "Top",
            "\"\\\u{0}\u{1f}\u{7f}".into(),
            "top.md",
            vec![],
        );
        top.sub_items = vec![BookItem::Chapter(nested), BookItem::Separator];
        let items = vec![
            BookItem::PartTitle("Part \"1\"\t".into()),
            BookItem::Chapter(top),
            BookItem::Chapter(mdbook_preprocessor::book::Chapter::new_draft(
                "Draft",
                vec![],
            )),
            BookItem::Chapter(mdbook_preprocessor::book::Chapter::new(
                "",
                String::new(),
                "",
                vec![],
            )),
            // Longer than what the escaping gathers before writing it out.
            BookItem::Chapter(mdbook_preprocessor::book::Chapter::new(
                "Long",
                format!("{every_byte}é\n").repeat(3 * ESCAPE_BUFFER / 100),
                "long.md",
                vec![],
            )),
        ];
        for answer in [
            Answer::V05 { items: &items },
            Answer::V04 {
                sections: &items,
                __non_exhaustive: (),
            },
            Answer::V05 { items: &[] },
        ] {
            let (ours, theirs) = both_ways(&answer);
            assert_eq!(ours, theirs);
        }
    }

    proptest::proptest! {
        #[test]
        fn content_is_escaped_as_serde_json_escapes(content in "(?s).{0,64}", bytes in proptest::collection::vec(0u8..0x80, 0..64)) {
            let ascii = String::from_utf8(bytes).unwrap();
            for text in [content, ascii] {
                let mut ours = Vec::new();
                escape_to(&mut ours, &text, &mut [0; ESCAPE_BUFFER + ESCAPE_SLACK]).unwrap();
                proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string(&text).unwrap());
            }
        }
    }

    #[test]
    fn strict_env_fails_on_warnings() {
        let input = json!([ctx("0.5.4"), {"items": [chapter("<<#trd tdd status=Sleeping>>\n")]}]);
        let bytes = serde_json::to_vec(&input).unwrap();
        let (mut out, mut msgs) = (Vec::new(), Vec::new());
        assert!(run(&bytes[..], &mut out, &mut msgs, None).is_ok());
        let (mut out, mut msgs) = (Vec::new(), Vec::new());
        assert!(run(&bytes[..], &mut out, &mut msgs, Some("true")).is_err());
        assert!(out.is_empty());
    }
}
