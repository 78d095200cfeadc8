//! The architecture of `src/`, as the README's Architecture section describes it, kept by tests
//! rather than by review, so that it survives the next refactor:
//!
//! 1. no import cycle between files, directly or through others;
//! 2. the layers of [`LAYERS`]: a file uses files of its own layer or of a lower one only;
//! 3. at most [`MAX_TOP_ENTRIES`] entries at the top of `src/`, so `ls src` shows the layers;
//! 4. every folder has a `mod.rs` that says (in `//!`) what lives there and holds nothing but
//!    `mod` lines, so a child never needs to reach back up into its parent;
//! 5. no function longer than [`MAX_FN_LINES`] lines outside test code.
//!
//! The checker reads the source text with a small lexer (std only): comments, string and char
//! literals and test code (`#[cfg(test)]` items, which may reach anywhere) are left out, then
//! `use` trees and inline paths (`crate::…`, `super::…`, `self::…`, a declared child module,
//! and `mdbook_trd::…` in `main.rs`) are resolved to the file of the longest module prefix.
//! It is not a compiler: macros are not expanded and names brought in by a glob are not followed
//! further than the module the glob names.
//!
//! The source folder is `$TRD_ARCH_SRC` when set, else the crate's `src/` (or `src` relative to
//! the current folder when built without cargo:
//! `rustc --edition 2024 --test tests/architecture.rs -o /tmp/arch && /tmp/arch`).
//! The tests named `checker_*` prove on small trees that each check can fail.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

/// Lowest first. A file may use files of its own layer or of a lower one.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundation", &["report", "markdown"]),
    ("core", &["model"]),
    ("output", &["render"]),
    ("analysis", &["analysis"]),
    ("edges", &["edge"]),
    ("commands", &["commands", "cli"]),
    ("binary", &["main"]),
];

/// At most this many entries (files and folders, hidden ones ignored) at the top of `src/`.
const MAX_TOP_ENTRIES: usize = 12;

/// No function outside test code is longer than this, from `fn` to its closing brace.
const MAX_FN_LINES: usize = 80;

/// A table of layers like [`LAYERS`]: a name and the top-level modules in it, lowest first.
type Layers<'a> = &'a [(&'a str, &'a [&'a str])];

// ---------------------------------------------------------------------------------------------
// The checks on the real tree

#[test]
fn no_import_cycles_between_files() {
    let graph = graph_of(&real_tree());
    fail_on("import cycles between files", &cycle_problems(&graph));
}

#[test]
fn every_file_uses_its_own_layer_or_lower_ones() {
    let graph = graph_of(&real_tree());
    fail_on("layers broken", &layer_problems(&graph, LAYERS));
}

#[test]
fn at_most_twelve_entries_at_the_top_of_src() {
    fail_on(
        "too many entries at the top",
        &top_entry_problems(&real_tree(), MAX_TOP_ENTRIES),
    );
}

#[test]
fn every_folder_has_a_documented_mod_rs_with_only_mod_lines() {
    fail_on("folders and their mod.rs", &mod_rs_problems(&real_tree()));
}

#[test]
fn no_function_longer_than_eighty_lines() {
    let graph = graph_of(&real_tree());
    fail_on(
        "functions too long",
        &function_problems(&graph, MAX_FN_LINES),
    );
}

#[test]
fn this_file_keeps_the_function_rule_it_checks() {
    let tree = Tree::from_memory(&[("architecture.rs", include_str!("architecture.rs"))]);
    let problems = function_problems(&graph_of(&tree), MAX_FN_LINES);
    assert!(problems.is_empty(), "tests/architecture.rs: {problems:#?}");
}

/// The folder checked: `$TRD_ARCH_SRC`, else the crate's `src/`.
fn src_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TRD_ARCH_SRC") {
        return PathBuf::from(dir);
    }
    match option_env!("CARGO_MANIFEST_DIR") {
        Some(dir) => Path::new(dir).join("src"),
        None => PathBuf::from("src"),
    }
}

fn real_tree() -> Tree {
    Tree::load(&src_dir())
}

/// Fails with every problem on a line of its own, naming the folder checked.
fn fail_on(what: &str, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    panic!(
        "{what}: {} problem(s) in {} (see the README's Architecture section):\n  {}\n",
        problems.len(),
        src_dir().display(),
        problems.join("\n  ")
    );
}

/// How a file is named in messages: `src/model/doc.rs`.
fn shown(rel: &str) -> String {
    format!("src/{rel}")
}

// ---------------------------------------------------------------------------------------------
// The source tree

/// One `.rs` file, by its path relative to `src/` (`model/doc.rs`).
struct SourceFile {
    rel: String,
    text: String,
}

/// What the checks look at: the `.rs` files, every folder, and the entries at the top.
struct Tree {
    files: Vec<SourceFile>,
    /// Every folder under `src/`, relative to it (`model`, `model/sections`).
    dirs: Vec<String>,
    /// The entries at the top of `src/`, a folder with a trailing `/`.
    top: Vec<String>,
}

impl Tree {
    fn load(root: &Path) -> Tree {
        let top = visible_entries(root)
            .into_iter()
            .map(|(name, is_dir)| if is_dir { format!("{name}/") } else { name })
            .collect();
        let mut tree = Tree {
            files: Vec::new(),
            dirs: Vec::new(),
            top,
        };
        tree.walk(root, "");
        tree.files.sort_by(|a, b| a.rel.cmp(&b.rel));
        tree.dirs.sort();
        tree
    }

    fn walk(&mut self, dir: &Path, rel: &str) {
        for (name, is_dir) in visible_entries(dir) {
            let child = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            let path = dir.join(&name);
            if is_dir {
                self.dirs.push(child.clone());
                self.walk(&path, &child);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                self.files.push(SourceFile { rel: child, text });
            }
        }
    }

    /// A tree of `(path relative to src/, text)`, its folders and top entries implied.
    fn from_memory(files: &[(&str, &str)]) -> Tree {
        let mut dirs = BTreeSet::new();
        let mut top = BTreeSet::new();
        for (rel, _) in files {
            let parts: Vec<&str> = rel.split('/').collect();
            for k in 1..parts.len() {
                dirs.insert(parts[..k].join("/"));
            }
            top.insert(match parts.len() {
                1 => parts[0].to_string(),
                _ => format!("{}/", parts[0]),
            });
        }
        let mut files: Vec<SourceFile> = files
            .iter()
            .map(|(rel, text)| SourceFile {
                rel: rel.to_string(),
                text: text.to_string(),
            })
            .collect();
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        Tree {
            files,
            dirs: dirs.into_iter().collect(),
            top: top.into_iter().collect(),
        }
    }
}

/// The entries of a folder as `(name, is a folder)`, sorted, hidden ones left out.
fn visible_entries(dir: &Path) -> Vec<(String, bool)> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "cannot read the source folder {}: {e} (set TRD_ARCH_SRC, or run from the crate root)",
            dir.display()
        )
    });
    let mut out: Vec<(String, bool)> = entries
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, entry.path().is_dir())
        })
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// The lexer: identifiers, `::` and punctuation, each with its line; comments, literals,
// numbers and lifetimes leave nothing.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    line: usize,
}

impl Token {
    fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Ident(name) => Some(name),
            _ => None,
        }
    }

    fn is_ident(&self, word: &str) -> bool {
        self.ident() == Some(word)
    }

    fn is(&self, c: char) -> bool {
        self.tok == Tok::Punct(c)
    }

    fn is_path_sep(&self) -> bool {
        self.tok == Tok::PathSep
    }

    /// Whether the token is written `text` (`"cfg"`, `"#"`, `"::"`).
    fn matches(&self, text: &str) -> bool {
        match &self.tok {
            Tok::Ident(name) => name == text,
            Tok::PathSep => text == "::",
            Tok::Punct(c) => text.chars().eq(std::iter::once(*c)),
        }
    }
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
    line: usize,
    out: Vec<Token>,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        pos: 0,
        line: 1,
        out: Vec::new(),
    };
    while lexer.pos < lexer.chars.len() {
        lexer.step();
    }
    lexer.out
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl Lexer {
    fn peek(&self, ahead: usize) -> char {
        self.chars.get(self.pos + ahead).copied().unwrap_or('\0')
    }

    fn bump(&mut self) {
        if self.peek(0) == '\n' {
            self.line += 1;
        }
        self.pos += 1;
    }

    fn push(&mut self, tok: Tok) {
        self.out.push(Token {
            tok,
            line: self.line,
        });
    }

    fn done(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn step(&mut self) {
        match self.peek(0) {
            '/' if self.peek(1) == '/' => self.line_comment(),
            '/' if self.peek(1) == '*' => self.block_comment(),
            '"' => {
                self.bump();
                self.quoted('"');
            }
            '\'' => self.quote_or_lifetime(),
            ':' if self.peek(1) == ':' => {
                self.push(Tok::PathSep);
                self.pos += 2;
            }
            c if c.is_ascii_digit() => self.skip_while(is_ident_char),
            c if is_ident_char(c) => self.word(),
            c if c.is_whitespace() => self.bump(),
            c => {
                self.push(Tok::Punct(c));
                self.bump();
            }
        }
    }

    fn skip_while(&mut self, keep: fn(char) -> bool) {
        while !self.done() && keep(self.peek(0)) {
            self.bump();
        }
    }

    fn line_comment(&mut self) {
        self.skip_while(|c| c != '\n');
    }

    fn block_comment(&mut self) {
        self.pos += 2;
        let mut depth = 1;
        while depth > 0 && !self.done() {
            if self.peek(0) == '/' && self.peek(1) == '*' {
                depth += 1;
                self.pos += 2;
            } else if self.peek(0) == '*' && self.peek(1) == '/' {
                depth -= 1;
                self.pos += 2;
            } else {
                self.bump();
            }
        }
    }

    /// Skips to just after the unescaped `close`, the opening quote already skipped.
    fn quoted(&mut self, close: char) {
        while !self.done() {
            let c = self.peek(0);
            self.bump();
            if c == '\\' {
                self.bump();
            } else if c == close {
                return;
            }
        }
    }

    /// `'x'` and `'\n'` are char literals; `'a` (a lifetime or a label) leaves nothing.
    fn quote_or_lifetime(&mut self) {
        let is_char = self.peek(1) == '\\' || self.peek(2) == '\'';
        self.bump();
        if is_char {
            self.quoted('\'');
        } else {
            self.skip_while(is_ident_char);
        }
    }

    /// An identifier, or a literal with a prefix: `r"…"`, `r#"…"#`, `b"…"`, `br"…"`, `b'x'`.
    fn word(&mut self) {
        if let Some((prefix, hashes)) = self.raw_string_start() {
            self.pos += prefix;
            return self.raw_string(hashes);
        }
        let byte_or_c = matches!(self.peek(0), 'b' | 'c');
        if byte_or_c && self.peek(1) == '"' {
            self.pos += 2;
            return self.quoted('"');
        }
        if self.peek(0) == 'b' && self.peek(1) == '\'' {
            self.pos += 2;
            return self.quoted('\'');
        }
        if self.peek(0) == 'r' && self.peek(1) == '#' && is_ident_char(self.peek(2)) {
            self.pos += 2;
        }
        let start = self.pos;
        self.skip_while(is_ident_char);
        let name: String = self.chars[start..self.pos].iter().collect();
        self.out.push(Token {
            tok: Tok::Ident(name),
            line: self.line,
        });
    }

    /// The length up to the opening `"` of a raw string starting here, and its `#`s.
    fn raw_string_start(&self) -> Option<(usize, usize)> {
        let mut k = usize::from(matches!(self.peek(0), 'b' | 'c'));
        if self.peek(k) != 'r' {
            return None;
        }
        k += 1;
        let mut hashes = 0;
        while self.peek(k + hashes) == '#' {
            hashes += 1;
        }
        (self.peek(k + hashes) == '"').then_some((k + hashes + 1, hashes))
    }

    fn raw_string(&mut self, hashes: usize) {
        while !self.done() {
            let closes = self.peek(0) == '"' && (1..=hashes).all(|k| self.peek(k) == '#');
            if closes {
                self.pos += 1 + hashes;
                return;
            }
            self.bump();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Test code: `#[cfg(test)]` items are cut out of the tokens

/// A file's tokens without its test code.
struct Stripped {
    code: Vec<Token>,
    /// The names of the file modules declared as test code (`#[cfg(test)] mod tests;`).
    test_mods: Vec<String>,
    /// The whole file is test code (`#![cfg(test)]`).
    all_test: bool,
}

const CFG_TEST: &[&str] = &["#", "[", "cfg", "(", "test", ")", "]"];
const INNER_CFG_TEST: &[&str] = &["#", "!", "[", "cfg", "(", "test", ")", "]"];

fn sequence_at(tokens: &[Token], at: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, word)| tokens.get(at + k).is_some_and(|t| t.matches(word)))
}

fn strip_test_code(tokens: &[Token]) -> Stripped {
    let mut out = Stripped {
        code: Vec::new(),
        test_mods: Vec::new(),
        all_test: has_inner_cfg_test(tokens),
    };
    if out.all_test {
        return out;
    }
    let mut i = 0;
    while i < tokens.len() {
        if sequence_at(tokens, i, CFG_TEST) {
            let item = skip_attributes(tokens, i);
            if let Some(name) = file_module_at(tokens, item) {
                out.test_mods.push(name.to_string());
            }
            i = item_end(tokens, item);
        } else {
            out.code.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

/// Whether one of the inner attributes opening the file is `#![cfg(test)]`.
fn has_inner_cfg_test(tokens: &[Token]) -> bool {
    let mut i = 0;
    while sequence_at(tokens, i, &["#", "!", "["]) {
        if sequence_at(tokens, i, INNER_CFG_TEST) {
            return true;
        }
        i = closing(tokens, i + 2, '[', ']') + 1;
    }
    false
}

/// The index of the token closing the `open` at `at` (the last token when none does).
fn closing(tokens: &[Token], at: usize, open: char, close: char) -> usize {
    let mut depth = 0usize;
    for (k, token) in tokens.iter().enumerate().skip(at) {
        if token.is(open) {
            depth += 1;
        } else if token.is(close) {
            depth -= 1;
            if depth == 0 {
                return k;
            }
        }
    }
    tokens.len().saturating_sub(1)
}

fn skip_attributes(tokens: &[Token], mut i: usize) -> usize {
    while sequence_at(tokens, i, &["#", "["]) {
        i = closing(tokens, i + 1, '[', ']') + 1;
    }
    i
}

fn skip_visibility(tokens: &[Token], mut i: usize) -> usize {
    if tokens.get(i).is_some_and(|t| t.is_ident("pub")) {
        i += 1;
        if tokens.get(i).is_some_and(|t| t.is('(')) {
            i = closing(tokens, i, '(', ')') + 1;
        }
    }
    i
}

/// The name of a `[pub] mod NAME;` starting at `at`.
fn file_module_at(tokens: &[Token], at: usize) -> Option<&str> {
    let i = skip_visibility(tokens, at);
    let name = tokens.get(i + 1)?.ident()?;
    let declares = tokens[i].is_ident("mod") && tokens.get(i + 2)?.is(';');
    declares.then_some(name)
}

/// Just after the item (or statement, field, arm) starting at `at`: its `;`, its `{ … }`
/// block, or its `,`; or at the `}` closing what holds it.
fn item_end(tokens: &[Token], at: usize) -> usize {
    let mut depth = 0usize;
    for (k, token) in tokens.iter().enumerate().skip(at) {
        match token.tok {
            Tok::Punct('(' | '[') => depth += 1,
            Tok::Punct(')' | ']') => depth = depth.saturating_sub(1),
            Tok::Punct('{') if depth == 0 => return closing(tokens, k, '{', '}') + 1,
            Tok::Punct(';' | ',') if depth == 0 => return k + 1,
            Tok::Punct('}') if depth == 0 => return k,
            _ => {}
        }
    }
    tokens.len()
}

// ---------------------------------------------------------------------------------------------
// Paths as written: `use` trees and inline paths

/// A path as written (`["super", "x", "Y"]`), its line and the token it starts at.
struct Written {
    path: Vec<String>,
    line: usize,
    at: usize,
}

fn written_paths(code: &[Token]) -> Vec<Written> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if is_use_declaration(code, i) {
            i = use_declaration(code, i, &mut out);
        } else if let Some((written, next)) = inline_path(code, i) {
            out.push(written);
            i = next;
        } else {
            i += 1;
        }
    }
    out
}

/// `use` opening a declaration (not `use<'a>` in a bound).
fn is_use_declaration(code: &[Token], i: usize) -> bool {
    code[i].is_ident("use") && !code.get(i + 1).is_some_and(|t| t.is('<'))
}

/// Every leaf of the `use` tree at `at`, as a path; returns the index after its `;`.
fn use_declaration(code: &[Token], at: usize, out: &mut Vec<Written>) -> usize {
    let mut leaves = Vec::new();
    let mut i = use_tree(code, at + 1, &[], &mut leaves);
    out.extend(
        leaves
            .into_iter()
            .map(|(path, line)| Written { path, line, at }),
    );
    while i < code.len() && !code[i].is(';') {
        i += 1;
    }
    i + 1
}

type Leaves = Vec<(Vec<String>, usize)>;

/// One use tree (`a::b`, `a::{…}`, `a::*`, `a as b`) under `prefix`; returns the index after.
fn use_tree(code: &[Token], mut i: usize, prefix: &[String], out: &mut Leaves) -> usize {
    let mut path = prefix.to_vec();
    let mut line = code.get(i).map_or(0, |t| t.line);
    while let Some(token) = code.get(i) {
        match &token.tok {
            Tok::PathSep => i += 1,
            Tok::Ident(name) => {
                path.push(name.clone());
                line = token.line;
                i += 1;
                if !code.get(i).is_some_and(Token::is_path_sep) {
                    push_leaf(out, path, line);
                    return skip_alias(code, i);
                }
            }
            Tok::Punct('{') => return use_group(code, i + 1, &path, out),
            Tok::Punct('*') => {
                push_leaf(out, path, line);
                return i + 1;
            }
            Tok::Punct(_) => return i,
        }
    }
    i
}

/// The trees of a `{ … }` group, from just after its `{`; returns the index after its `}`.
fn use_group(code: &[Token], mut i: usize, prefix: &[String], out: &mut Leaves) -> usize {
    while let Some(token) = code.get(i) {
        if token.is('}') {
            return i + 1;
        }
        if token.is(',') {
            i += 1;
            continue;
        }
        i = use_tree(code, i, prefix, out).max(i + 1);
    }
    i
}

/// `a::{self}` names `a`.
fn push_leaf(out: &mut Leaves, mut path: Vec<String>, line: usize) {
    if path.len() > 1 && path.last().is_some_and(|last| last == "self") {
        path.pop();
    }
    out.push((path, line));
}

fn skip_alias(code: &[Token], i: usize) -> usize {
    match code.get(i) {
        Some(token) if token.is_ident("as") => i + 2,
        _ => i,
    }
}

/// A path `a::b::c` starting at `i` (not in the middle of one, nor `pub(in crate::x)`), and
/// the index after it.
fn inline_path(code: &[Token], i: usize) -> Option<(Written, usize)> {
    let first = code[i].ident()?;
    if !code.get(i + 1)?.is_path_sep() {
        return None;
    }
    let inside = i > 0 && code[i - 1].is_path_sep() && first != "mdbook_trd";
    if inside || in_restricted_visibility(code, i) {
        return None;
    }
    let mut path = vec![first.to_string()];
    let mut j = i + 1;
    while code.get(j).is_some_and(Token::is_path_sep) {
        let Some(name) = code.get(j + 1).and_then(Token::ident) else {
            break;
        };
        path.push(name.to_string());
        j += 2;
    }
    let line = code[i].line;
    Some((Written { path, line, at: i }, j))
}

fn in_restricted_visibility(code: &[Token], i: usize) -> bool {
    i >= 3 && code[i - 1].is_ident("in") && code[i - 2].is('(') && code[i - 3].is_ident("pub")
}

// ---------------------------------------------------------------------------------------------
// Modules: which file is which module, inline modules, declared children

/// A file's module path (`model/sections/mod.rs` is `model::sections`, `lib.rs` the crate
/// root), and whether it is `main.rs`, the binary, a node `main` of its own.
fn module_of(rel: &str) -> (Vec<String>, bool) {
    if rel == "main.rs" {
        return (vec!["main".to_string()], true);
    }
    if rel == "lib.rs" {
        return (Vec::new(), false);
    }
    let stem = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut module: Vec<String> = stem.split('/').map(String::from).collect();
    if module.last().is_some_and(|last| last == "mod") {
        module.pop();
    }
    (module, false)
}

fn child_of(module: &[String], name: &str) -> Vec<String> {
    let mut child = module.to_vec();
    child.push(name.to_string());
    child
}

/// The inline modules of a file (`mod x { … }`) and every module it declares.
struct Scopes {
    /// For each token, the inline module it is in, as an index into `paths`.
    of_token: Vec<usize>,
    /// The inline modules relative to the file's module; `[]`, the file itself, first.
    paths: Vec<Vec<String>>,
    /// Every module declared (`mod x;` or `mod x { … }`), relative to the file's module.
    declared: BTreeSet<Vec<String>>,
}

impl Scopes {
    fn of(code: &[Token]) -> Scopes {
        let mut scopes = Scopes {
            of_token: Vec::with_capacity(code.len()),
            paths: vec![Vec::new()],
            declared: BTreeSet::new(),
        };
        let mut open: Vec<(usize, usize)> = Vec::new(); // (scope, brace depth inside it)
        let (mut depth, mut pending) = (0usize, None);
        for (i, token) in code.iter().enumerate() {
            let current = open.last().map_or(0, |&(scope, _)| scope);
            scopes.of_token.push(current);
            if token.is('{') {
                depth += 1;
                if let Some(scope) = pending.take() {
                    open.push((scope, depth));
                }
            } else if token.is('}') {
                if open.last().is_some_and(|&(_, inside)| inside == depth) {
                    open.pop();
                }
                depth = depth.saturating_sub(1);
            } else if let Some((name, inline)) = module_declaration(code, i) {
                let path = child_of(&scopes.paths[current], name);
                scopes.declared.insert(path.clone());
                if inline {
                    scopes.paths.push(path);
                    pending = Some(scopes.paths.len() - 1);
                }
            }
        }
        scopes
    }
}

/// `mod NAME;` (false) or `mod NAME {` (true) at `i`.
fn module_declaration(code: &[Token], i: usize) -> Option<(&str, bool)> {
    if !code[i].is_ident("mod") {
        return None;
    }
    let name = code.get(i + 1)?.ident()?;
    let next = code.get(i + 2)?;
    (next.is('{') || next.is(';')).then_some((name, next.is('{')))
}

// ---------------------------------------------------------------------------------------------
// The graph: one node per file, an edge where a file refers to an item of another

/// A file read as the checks need it.
struct Parsed {
    rel: String,
    module: Vec<String>,
    is_main: bool,
    /// Its tokens, without comments, literals and test code.
    code: Vec<Token>,
    /// The file modules it declares as test code, by module path.
    test_mods: Vec<Vec<String>>,
    all_test: bool,
}

/// Where a file refers to another: the first line and the path as written.
struct Evidence {
    line: usize,
    path: String,
}

struct Graph {
    files: Vec<Parsed>,
    /// Files that are test code: `#![cfg(test)]`, or declared `#[cfg(test)] mod x;`.
    test_only: Vec<bool>,
    edges: BTreeMap<(usize, usize), Evidence>,
}

fn parse(file: &SourceFile) -> Parsed {
    let (module, is_main) = module_of(&file.rel);
    let stripped = strip_test_code(&tokenize(&file.text));
    let test_mods = stripped
        .test_mods
        .iter()
        .map(|name| child_of(&module, name))
        .collect();
    Parsed {
        rel: file.rel.clone(),
        module,
        is_main,
        code: stripped.code,
        test_mods,
        all_test: stripped.all_test,
    }
}

fn is_test_only(files: &[Parsed], file: &Parsed) -> bool {
    let declared_test = |other: &Parsed| {
        let prefix = |m: &Vec<String>| file.module.starts_with(m);
        other.test_mods.iter().any(prefix)
    };
    file.all_test || (!file.is_main && files.iter().any(declared_test))
}

fn graph_of(tree: &Tree) -> Graph {
    let files: Vec<Parsed> = tree.files.iter().map(parse).collect();
    let test_only: Vec<bool> = files.iter().map(|f| is_test_only(&files, f)).collect();
    let modules: BTreeMap<Vec<String>, usize> = (0..files.len())
        .filter(|&k| !files[k].is_main && !test_only[k])
        .map(|k| (files[k].module.clone(), k))
        .collect();
    let mut edges = BTreeMap::new();
    for (from, file) in files.iter().enumerate() {
        if test_only[from] {
            continue;
        }
        for (to, evidence) in file_references(file, &modules) {
            if to != from {
                edges.entry((from, to)).or_insert(evidence);
            }
        }
    }
    Graph {
        files,
        test_only,
        edges,
    }
}

/// The files a file refers to, each with where.
fn file_references(
    file: &Parsed,
    modules: &BTreeMap<Vec<String>, usize>,
) -> Vec<(usize, Evidence)> {
    let scopes = Scopes::of(&file.code);
    let resolve = |written: Written| {
        let absolute = absolute_path(file, &scopes, written.at, &written.path)?;
        let target = longest_module(&absolute, modules)?;
        let evidence = Evidence {
            line: written.line,
            path: written.path.join("::"),
        };
        Some((target, evidence))
    };
    written_paths(&file.code)
        .into_iter()
        .filter_map(resolve)
        .collect()
}

/// The path from the crate root, when it is one of the crate's (`crate::`, `super::`,
/// `self::`, a declared child, or `mdbook_trd::` in `main.rs`).
fn absolute_path(
    file: &Parsed,
    scopes: &Scopes,
    at: usize,
    path: &[String],
) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let inline = &scopes.paths[scopes.of_token[at]];
    let here: Vec<String> = file.module.iter().chain(inline).cloned().collect();
    let base = match first.as_str() {
        "mdbook_trd" if file.is_main => Vec::new(),
        _ if file.is_main => return None,
        "crate" => Vec::new(),
        "self" => here,
        "super" => return above(&here, path),
        name if scopes.declared.contains(&child_of(inline, name)) => {
            return Some(here.into_iter().chain(path.iter().cloned()).collect());
        }
        _ => return None,
    };
    Some(base.into_iter().chain(rest.iter().cloned()).collect())
}

/// `super::super::x` from `here`.
fn above(here: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut base = here.to_vec();
    let mut segments = path.iter().peekable();
    while segments.next_if(|s| *s == "super").is_some() {
        base.pop()?;
    }
    base.extend(segments.cloned());
    Some(base)
}

/// The file of the longest prefix of `path` that is a file's module.
fn longest_module(path: &[String], modules: &BTreeMap<Vec<String>, usize>) -> Option<usize> {
    (0..=path.len())
        .rev()
        .find_map(|k| modules.get(&path[..k]).copied())
}

// ---------------------------------------------------------------------------------------------
// Check 1: cycles

fn successors(graph: &Graph) -> Vec<Vec<usize>> {
    let mut adjacency = vec![Vec::new(); graph.files.len()];
    for &(from, to) in graph.edges.keys() {
        adjacency[from].push(to);
    }
    adjacency
}

/// Tarjan's strongly connected components.
struct Tarjan<'a> {
    adjacency: &'a [Vec<usize>],
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    components: Vec<Vec<usize>>,
}

impl Tarjan<'_> {
    fn components(adjacency: &[Vec<usize>]) -> Vec<Vec<usize>> {
        let n = adjacency.len();
        let mut tarjan = Tarjan {
            adjacency,
            index: vec![None; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            next: 0,
            components: Vec::new(),
        };
        for v in 0..n {
            if tarjan.index[v].is_none() {
                tarjan.visit(v);
            }
        }
        tarjan.components
    }

    fn visit(&mut self, v: usize) {
        self.index[v] = Some(self.next);
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        let adjacency = self.adjacency;
        for &w in &adjacency[v] {
            match self.index[w] {
                None => {
                    self.visit(w);
                    self.low[v] = self.low[v].min(self.low[w]);
                }
                Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(self.low[v]) == self.index[v] {
            self.pop_component(v);
        }
    }

    fn pop_component(&mut self, root: usize) {
        let mut component = Vec::new();
        loop {
            let w = self.stack.pop().expect("the root is still on the stack");
            self.on_stack[w] = false;
            component.push(w);
            if w == root {
                break;
            }
        }
        component.sort_unstable();
        self.components.push(component);
    }
}

/// A shortest cycle `start → … → start` inside `members` (breadth first).
fn shortest_cycle(adjacency: &[Vec<usize>], members: &BTreeSet<usize>, start: usize) -> Vec<usize> {
    let mut previous: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        for &w in adjacency[u].iter().filter(|w| members.contains(w)) {
            if w == start {
                let mut cycle = vec![u];
                while let Some(&p) = previous.get(cycle.last().expect("never empty")) {
                    cycle.push(p);
                }
                cycle.reverse();
                cycle.push(start);
                return cycle;
            }
            if w != start && !previous.contains_key(&w) {
                previous.insert(w, u);
                queue.push_back(w);
            }
        }
    }
    vec![start]
}

/// Every strongly connected component, as cycles covering all its files.
fn cycle_problems(graph: &Graph) -> Vec<String> {
    let adjacency = successors(graph);
    let mut problems = Vec::new();
    for component in Tarjan::components(&adjacency) {
        if component.len() < 2 {
            continue;
        }
        let members: BTreeSet<usize> = component.iter().copied().collect();
        let mut covered = BTreeSet::new();
        for &start in &component {
            if covered.insert(start) {
                let cycle = from_first_file(shortest_cycle(&adjacency, &members, start));
                covered.extend(cycle.iter().copied());
                problems.push(describe_cycle(graph, &cycle));
            }
        }
    }
    problems
}

/// The same cycle, starting (and ending) at its first file in path order.
fn from_first_file(mut cycle: Vec<usize>) -> Vec<usize> {
    cycle.pop();
    let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
    cycle.rotate_left(first);
    cycle.extend(cycle.first().copied());
    cycle
}

/// `cycle: src/a.rs → src/b.rs → src/a.rs`, then where each file uses the next.
fn describe_cycle(graph: &Graph, cycle: &[usize]) -> String {
    let names: Vec<String> = cycle.iter().map(|&n| names_of(graph, n)).collect();
    let hops: Vec<String> = cycle
        .windows(2)
        .map(|pair| {
            let evidence = &graph.edges[&(pair[0], pair[1])];
            let (from, line, path) = (&names_of(graph, pair[0]), evidence.line, &evidence.path);
            format!("{from}:{line} uses `{path}`")
        })
        .collect();
    format!(
        "cycle: {}\n      {}",
        names.join(" → "),
        hops.join("\n      ")
    )
}

fn names_of(graph: &Graph, node: usize) -> String {
    shown(&graph.files[node].rel)
}

// ---------------------------------------------------------------------------------------------
// Check 2: layers

/// The index and name of the layer of a file's top-level module; `None` for the crate root.
fn layer_of<'a>(file: &Parsed, layers: Layers<'a>) -> Option<(usize, &'a str)> {
    let top = file.module.first()?;
    let k = layers
        .iter()
        .position(|(_, modules)| modules.contains(&top.as_str()))?;
    Some((k, layers[k].0))
}

fn layer_problems(graph: &Graph, layers: Layers) -> Vec<String> {
    let mut problems = unplaced_modules(graph, layers);
    for (&(from, to), evidence) in &graph.edges {
        let lower = layer_of(&graph.files[from], layers);
        let higher = layer_of(&graph.files[to], layers);
        let (Some((low, low_name)), Some((high, high_name))) = (lower, higher) else {
            continue;
        };
        if high > low {
            problems.push(format!(
                "{} ({low_name}) uses {} ({high_name}), a higher layer, at line {}: `{}`; \
                 move what both need down, or the user up",
                names_of(graph, from),
                names_of(graph, to),
                evidence.line,
                evidence.path
            ));
        }
    }
    problems
}

/// Every top-level module in no layer, named by its folder or file.
fn unplaced_modules(graph: &Graph, layers: Layers) -> Vec<String> {
    let mut unplaced: BTreeMap<&str, String> = BTreeMap::new();
    for (file, &test) in graph.files.iter().zip(&graph.test_only) {
        let Some(top) = file.module.first() else {
            continue;
        };
        if !test && layer_of(file, layers).is_none() {
            let place = match file.rel.split_once('/') {
                Some((folder, _)) => shown(&format!("{folder}/")),
                None => shown(&file.rel),
            };
            unplaced.entry(top).or_insert(place);
        }
    }
    unplaced
        .into_iter()
        .map(|(top, place)| {
            format!(
                "{place} (module `{top}`) is in no layer: add `{top}` to a layer of LAYERS \
                 at the top of tests/architecture.rs"
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Check 3: entries at the top

fn top_entry_problems(tree: &Tree, max: usize) -> Vec<String> {
    if tree.top.len() <= max {
        return Vec::new();
    }
    vec![format!(
        "src/ has {} entries, at most {max}: {}; move files into the folder of their layer",
        tree.top.len(),
        tree.top.join(", ")
    )]
}

// ---------------------------------------------------------------------------------------------
// Check 4: every folder's mod.rs

fn mod_rs_problems(tree: &Tree) -> Vec<String> {
    let mut problems = Vec::new();
    for dir in &tree.dirs {
        let rel = format!("{dir}/mod.rs");
        match tree.files.iter().find(|f| f.rel == rel) {
            None => problems.push(format!(
                "{} has no mod.rs: add one whose `//!` doc says what lives there",
                shown(&format!("{dir}/"))
            )),
            Some(file) => problems.extend(mod_rs_problem(&file.rel, &file.text)),
        }
    }
    problems
}

/// Why a mod.rs is refused, naming its first offending line.
fn mod_rs_problem(rel: &str, text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(first) = lines.iter().position(|l| !l.trim().is_empty()) else {
        return Some(format!(
            "{}: is empty: start it with a `//!` doc saying what lives in the folder",
            shown(rel)
        ));
    };
    let doc = lines[first..]
        .iter()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("//!"));
    if !doc
        .clone()
        .any(|l| !l.trim_start_matches("//!").trim().is_empty())
    {
        return Some(format!(
            "{}:{}: a mod.rs starts with a `//!` doc comment saying what lives in the folder; \
             found `{}`",
            shown(rel),
            first + 1,
            lines[first].trim()
        ));
    }
    let (n, line) = lines
        .iter()
        .enumerate()
        .skip(first)
        .find(|(_, line)| !mod_rs_line_allowed(line))?;
    Some(format!(
        "{}:{}: a mod.rs holds only its `//!` doc and `mod` lines, so its children never reach \
         back up into it; move `{}` into a file of its own",
        shown(rel),
        n + 1,
        line.trim()
    ))
}

/// Blank, a comment, an attribute, or `[pub] mod NAME;`.
fn mod_rs_line_allowed(line: &str) -> bool {
    let line = line.trim();
    line.is_empty()
        || line.starts_with("//")
        || (line.starts_with('#') && line.ends_with(']'))
        || is_mod_declaration(line)
}

fn is_mod_declaration(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or(line).trim();
    let Some(name) = strip_visibility(code)
        .strip_prefix("mod ")
        .and_then(|rest| rest.strip_suffix(';'))
    else {
        return false;
    };
    let name = name.trim();
    let name = name.strip_prefix("r#").unwrap_or(name);
    !name.is_empty() && name.chars().all(is_ident_char)
}

fn strip_visibility(code: &str) -> &str {
    if let Some(rest) = code.strip_prefix("pub(") {
        return rest
            .split_once(')')
            .map_or(code, |(_, after)| after.trim_start());
    }
    code.strip_prefix("pub ").map_or(code, str::trim_start)
}

// ---------------------------------------------------------------------------------------------
// Check 5: long functions

/// `(line of fn, name, lines)` of every function longer than `max` lines.
fn long_functions(code: &[Token], max: usize) -> Vec<(usize, String, usize)> {
    let mut out = Vec::new();
    for (i, token) in code.iter().enumerate() {
        if !token.is_ident("fn") {
            continue;
        }
        let Some(name) = code.get(i + 1).and_then(Token::ident) else {
            continue;
        };
        let Some(open) = body_start(code, i + 2) else {
            continue;
        };
        let lines = code[closing(code, open, '{', '}')].line - token.line + 1;
        if lines > max {
            out.push((token.line, name.to_string(), lines));
        }
    }
    out
}

/// The `{` opening a function's body, or `None` for a declaration ending in `;`.
fn body_start(code: &[Token], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, token) in code.iter().enumerate().skip(from) {
        match token.tok {
            Tok::Punct('(' | '[') => depth += 1,
            Tok::Punct(')' | ']') => depth = depth.saturating_sub(1),
            Tok::Punct('{') if depth == 0 => return Some(k),
            Tok::Punct(';') if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

fn function_problems(graph: &Graph, max: usize) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, &test) in graph.files.iter().zip(&graph.test_only) {
        if test {
            continue;
        }
        for (line, name, lines) in long_functions(&file.code, max) {
            problems.push(format!(
                "{}:{line} {name} ({lines} lines, at most {max}): split it into named steps",
                shown(&file.rel)
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// The checker's own tests: each check can fail

fn edges_of(files: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    let graph = graph_of(&Tree::from_memory(files));
    graph
        .edges
        .keys()
        .map(|&(a, b)| (graph.files[a].rel.clone(), graph.files[b].rel.clone()))
        .collect()
}

fn edge(from: &str, to: &str) -> (String, String) {
    (from.to_string(), to.to_string())
}

fn set<const N: usize>(edges: [(String, String); N]) -> BTreeSet<(String, String)> {
    edges.into_iter().collect()
}

#[test]
fn checker_finds_a_two_file_cycle() {
    let tree = Tree::from_memory(&[
        ("lib.rs", "pub mod a;\npub mod b;\n"),
        ("a.rs", "use crate::b::B;\npub struct A;\n"),
        (
            "b.rs",
            "pub struct B;\n\npub fn f() -> crate::a::A {\n    crate::a::A\n}\n",
        ),
    ]);
    let problems = cycle_problems(&graph_of(&tree));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let expected = "cycle: src/a.rs → src/b.rs → src/a.rs\n      \
                    src/a.rs:1 uses `crate::b::B`\n      src/b.rs:3 uses `crate::a::A`";
    assert_eq!(problems[0], expected);
}

#[test]
fn checker_finds_a_parent_and_child_cycle_through_super() {
    let tree = Tree::from_memory(&[
        ("lib.rs", "pub mod a;\n"),
        (
            "a/mod.rs",
            "//! A.\npub mod b;\npub use b::B;\npub fn helper() {}\n",
        ),
        (
            "a/b.rs",
            "pub struct B;\nfn f() {\n    super::helper();\n}\n",
        ),
    ]);
    let problems = cycle_problems(&graph_of(&tree));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("cycle: src/a/b.rs → src/a/mod.rs → src/a/b.rs"),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("src/a/b.rs:3 uses `super::helper`"));
}

#[test]
fn checker_finds_every_cycle_of_a_component() {
    let tree = Tree::from_memory(&[
        ("a.rs", "use crate::b::X;\nuse crate::c::Y;\n"),
        ("b.rs", "use crate::a::Z;\n"),
        ("c.rs", "use crate::a::Z;\n"),
    ]);
    let problems = cycle_problems(&graph_of(&tree));
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("cycle: src/a.rs → src/b.rs → src/a.rs"));
    assert!(problems[1].starts_with("cycle: src/a.rs → src/c.rs → src/a.rs"));
}

#[test]
fn checker_follows_a_nested_multi_line_use_tree() {
    let files = [
        ("lib.rs", "pub mod a;\npub mod d;\npub mod e;\n"),
        ("a/mod.rs", "//! A.\npub mod b;\npub mod c;\n"),
        ("a/b.rs", ""),
        ("a/c.rs", ""),
        ("d.rs", ""),
        ("e.rs", ""),
        (
            "user.rs",
            "use crate::{\n    a::{b, c as see},\n    d,\n};\n",
        ),
        (
            "other.rs",
            "pub(crate) use crate::{a::{b::{self, Thing}}, e::F, self};\n",
        ),
    ];
    let expected = set([
        edge("other.rs", "a/b.rs"),
        edge("other.rs", "e.rs"),
        edge("other.rs", "lib.rs"),
        edge("user.rs", "a/b.rs"),
        edge("user.rs", "a/c.rs"),
        edge("user.rs", "d.rs"),
    ]);
    assert_eq!(edges_of(&files), expected);
}

#[test]
fn checker_resolves_the_longest_module_prefix() {
    let user = "use crate::model::sections::merge::Merge;\nfn f() { crate::model::sections::X; }\n";
    let mut files = vec![
        ("lib.rs", "pub mod model;\n"),
        ("model/mod.rs", "//! M.\npub mod sections;\n"),
        ("model/sections/mod.rs", "//! S.\npub mod merge;\n"),
        ("user.rs", user),
    ];
    let without = set([edge("user.rs", "model/sections/mod.rs")]);
    assert_eq!(edges_of(&files), without);
    files.push(("model/sections/merge.rs", "pub struct Merge;\n"));
    let with = set([
        edge("user.rs", "model/sections/merge.rs"),
        edge("user.rs", "model/sections/mod.rs"),
    ]);
    assert_eq!(edges_of(&files), with);
}

#[test]
fn checker_reads_super_self_and_child_modules() {
    let files = [
        (
            "a/mod.rs",
            "//! A.\nuse super::x::X;\nuse self::own::Thing;\n",
        ),
        ("a/b.rs", "use super::c::C;\nuse self::Own;\n"),
        ("a/c.rs", ""),
        (
            "x.rs",
            "mod child;\npub fn f() {\n    child::g();\n    other::g();\n}\n",
        ),
        ("x/child.rs", "pub fn g() {}\n"),
        ("other.rs", ""),
    ];
    let expected = set([
        edge("a/b.rs", "a/c.rs"),
        edge("a/mod.rs", "x.rs"),
        edge("x.rs", "x/child.rs"),
    ]);
    assert_eq!(edges_of(&files), expected);
}

#[test]
fn checker_reads_main_rs_paths_to_the_library_like_crate_paths() {
    let files = [
        ("lib.rs", "pub mod cli;\npub mod report;\n"),
        ("cli.rs", "pub fn main() {}\n"),
        ("report.rs", ""),
        (
            "main.rs",
            "use mdbook_trd::report;\nfn main() {\n    mdbook_trd::cli::main();\n}\n",
        ),
    ];
    let expected = set([edge("main.rs", "cli.rs"), edge("main.rs", "report.rs")]);
    assert_eq!(edges_of(&files), expected);
}

const IGNORED: &str = r##"// use crate::y::A;
/// crate::y::f()
/* crate::y::B /* nested */ crate::y::C */
const S: &str = "crate::y::f() \" crate::y::g";
const R: &str = r#"crate::y::h " crate::y::i"#;
const Q: char = '"';
fn f<'a>(s: &'a str) -> &'a str {
    s
}
#[cfg(test)]
mod tests {
    use crate::y::Y;
    fn g() {
        crate::y::f();
    }
}
#[cfg(test)]
use crate::y::Z;
pub fn later() -> usize {
    crate::z::N
}
"##;

#[test]
fn checker_ignores_comments_strings_and_test_code() {
    let files = [("x.rs", IGNORED), ("y.rs", ""), ("z.rs", "")];
    assert_eq!(edges_of(&files), set([edge("x.rs", "z.rs")]));
    let doc = [("x.rs", "//! crate::y::A\nfn f() {}\n"), ("y.rs", "")];
    assert_eq!(edges_of(&doc), set([]));
}

#[test]
fn checker_leaves_out_test_files() {
    let files = [
        ("a.rs", "#[cfg(test)]\nmod tests;\n"),
        ("a/tests.rs", "use crate::b::B;\n"),
        ("b.rs", "#![cfg(test)]\nuse crate::a::A;\n"),
    ];
    assert_eq!(edges_of(&files), set([]));
}

#[test]
fn checker_reports_a_lower_layer_using_a_higher_one() {
    let tree = Tree::from_memory(&[
        (
            "lib.rs",
            "pub mod model;\npub mod render;\npub mod report;\n",
        ),
        ("model/doc.rs", "use crate::report::rule::Rule;\n"),
        ("render/badge.rs", "use crate::model::doc::Doc;\n"),
        (
            "report/rule.rs",
            "pub fn f() {\n    crate::render::badge::draw();\n}\n",
        ),
    ]);
    let problems = layer_problems(&graph_of(&tree), LAYERS);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with(
            "src/report/rule.rs (foundation) uses src/render/badge.rs (output), a higher layer, \
             at line 2: `crate::render::badge::draw`"
        ),
        "{}",
        problems[0]
    );
}

#[test]
fn checker_reports_a_module_in_no_layer() {
    let tree = Tree::from_memory(&[
        ("lib.rs", "pub mod extra;\npub mod git;\npub mod model;\n"),
        ("extra.rs", ""),
        ("git/mod.rs", "//! Git.\n"),
        ("model/mod.rs", "//! Model.\n"),
    ]);
    let problems = layer_problems(&graph_of(&tree), LAYERS);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("src/extra.rs (module `extra`) is in no layer"));
    assert!(problems[1].starts_with("src/git/ (module `git`) is in no layer"));
}

#[test]
fn checker_refuses_a_mod_rs_with_an_item() {
    let text = "//! What lives in a.\n\npub mod b;\npub fn helper() {}\n";
    let problem = mod_rs_problem("a/mod.rs", text).expect("a fn is refused");
    assert!(problem.starts_with("src/a/mod.rs:4: "), "{problem}");
    assert!(problem.contains("`pub fn helper() {}`"), "{problem}");
    let reexport = mod_rs_problem("a/mod.rs", "//! A.\nmod b;\npub use b::B;\n");
    assert!(reexport.is_some_and(|p| p.starts_with("src/a/mod.rs:3: ")));
}

#[test]
fn checker_refuses_a_mod_rs_without_a_doc_and_a_folder_without_mod_rs() {
    let undocumented = mod_rs_problem("a/mod.rs", "\npub mod b;\n");
    assert!(undocumented.is_some_and(|p| p.starts_with("src/a/mod.rs:2: ")));
    let empty_doc = mod_rs_problem("a/mod.rs", "//!\n//!\npub mod b;\n");
    assert!(empty_doc.is_some_and(|p| p.starts_with("src/a/mod.rs:1: ")));
    assert!(mod_rs_problem("a/mod.rs", "").is_some());
    let tree = Tree::from_memory(&[("a/b.rs", "")]);
    assert_eq!(
        mod_rs_problems(&tree),
        ["src/a/ has no mod.rs: add one whose `//!` doc says what lives there"]
    );
}

#[test]
fn checker_accepts_a_mod_rs_of_doc_and_mod_lines() {
    let text = "\n//! What lives here.\n//!\n//! More.\n\n/// On b.\n#[cfg(test)]\n\
                pub(crate) mod b;\nmod c; // why\npub mod r#type;\n";
    assert_eq!(mod_rs_problem("a/mod.rs", text), None);
}

/// A function `NAME` of `lines` lines, with a doc comment and an attribute above it.
fn function_of(name: &str, lines: usize) -> String {
    let body = "    let _ = 1;\n".repeat(lines - 2);
    format!("/// Doc.\n#[inline]\npub(crate) const fn {name}() {{\n{body}}}\n")
}

#[test]
fn checker_reports_an_81_line_function_and_not_an_80_line_one() {
    let text = format!(
        "{}{}trait T {{\n    fn declared();\n}}\n#[cfg(test)]\nmod tests {{\n{}}}\n",
        function_of("long", 81),
        function_of("fits", 80),
        function_of("in_test", 200)
    );
    let graph = graph_of(&Tree::from_memory(&[("f.rs", &text)]));
    let problems = function_problems(&graph, MAX_FN_LINES);
    assert_eq!(
        problems,
        ["src/f.rs:3 long (81 lines, at most 80): split it into named steps"]
    );
}

#[test]
fn checker_counts_top_entries_on_disk() {
    let root = std::env::temp_dir().join(format!("trd-arch-top-{}", std::process::id()));
    fs::create_dir_all(root.join("folder")).expect("a temporary folder can be made");
    fs::write(root.join(".hidden"), "").expect("a temporary file can be written");
    for k in 0..11 {
        fs::write(root.join(format!("f{k:02}.rs")), "").expect("a file can be written");
    }
    let twelve = top_entry_problems(&Tree::load(&root), MAX_TOP_ENTRIES);
    fs::write(root.join("f11.rs"), "").expect("a file can be written");
    let thirteen = top_entry_problems(&Tree::load(&root), MAX_TOP_ENTRIES);
    fs::remove_dir_all(&root).expect("the temporary folder can be removed");
    assert_eq!(twelve, Vec::<String>::new());
    assert_eq!(thirteen.len(), 1, "{thirteen:#?}");
    assert!(thirteen[0].starts_with("src/ has 13 entries, at most 12: f00.rs, "));
    assert!(thirteen[0].contains("f11.rs, folder/;"), "{}", thirteen[0]);
}

#[test]
fn checker_passes_a_clean_layered_tree() {
    let tree = Tree::from_memory(&[
        ("lib.rs", "//! Root.\npub mod model;\npub mod report;\n"),
        ("main.rs", "fn main() {\n    mdbook_trd::model::run();\n}\n"),
        ("model/mod.rs", "//! The core.\n\npub mod doc;\n"),
        (
            "model/doc.rs",
            "use crate::report::rule::Rule;\npub fn run() {}\n",
        ),
        ("report/mod.rs", "//! Findings.\npub mod rule;\n"),
        ("report/rule.rs", "pub struct Rule;\n"),
    ]);
    let graph = graph_of(&tree);
    assert_eq!(cycle_problems(&graph), Vec::<String>::new());
    assert_eq!(layer_problems(&graph, LAYERS), Vec::<String>::new());
    assert_eq!(
        top_entry_problems(&tree, MAX_TOP_ENTRIES),
        Vec::<String>::new()
    );
    assert_eq!(mod_rs_problems(&tree), Vec::<String>::new());
    assert_eq!(
        function_problems(&graph, MAX_FN_LINES),
        Vec::<String>::new()
    );
}
