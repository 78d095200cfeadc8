//! The binary as mdBook and people call it.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn run_with_stdin(args: &[&str], stdin: &[u8]) -> std::process::Output {
    let mut child = Command::new(common::trd())
        .args(args)
        .env_remove("MDBOOK_TRD_STRICT")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit before reading everything (bad input): ignore a broken pipe.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

#[test]
fn supports_every_renderer() {
    for renderer in ["html", "markdown", "pdf", "epub", "linkcheck"] {
        let out = run_with_stdin(&["supports", renderer], b"");
        assert!(out.status.success(), "{renderer}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn malformed_json_is_a_one_line_error() {
    for input in [&b"not json"[..], b"", b"[1, 2]", b"[{}, {\"neither\": []}]"] {
        let out = run_with_stdin(&[], input);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("error: mdbook-trd: "), "{stderr}");
    }
}

fn request(version: &str, book: Value) -> Vec<u8> {
    serde_json::to_vec(&json!([
        {"root": "/book", "renderer": "markdown", "mdbook_version": version,
         "config": {"book": {"src": "src"}, "preprocessor": {"trd": {}}}},
        book
    ]))
    .unwrap()
}

fn chapter(content: &str) -> Value {
    json!({"Chapter": {"name": "Doc", "content": content, "number": null, "sub_items": [],
        "path": "doc.md", "source_path": "doc.md", "parent_names": [], "a_future_field": 1}})
}

#[test]
fn a_newer_host_gets_a_warning_and_a_book() {
    let out = run_with_stdin(
        &[],
        &request(
            "0.6.0",
            json!({"items": [chapter("<<#trd trd>>\n")], "extra": true}),
        ),
    );
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("warning: mdbook-trd supports mdBook >=0.4.21, <0.6.0"),
        "{stderr}"
    );
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        book["items"][0]["Chapter"]["content"]
            .as_str()
            .unwrap()
            .starts_with("# TRD: Doc\n")
    );
}

#[test]
fn the_04_shape_round_trips_quietly() {
    let out = run_with_stdin(
        &[],
        &request(
            "0.4.52",
            json!({"sections": [chapter("plain\n"), "Separator"], "__non_exhaustive": null}),
        ),
    );
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(book["sections"][0]["Chapter"]["content"], "plain\n");
    assert_eq!(book["sections"][1], "Separator");
    assert_eq!(book["__non_exhaustive"], Value::Null);
}

#[test]
fn help_has_an_example() {
    let out = run_with_stdin(&["--help"], b"");
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("[preprocessor.trd]"), "{help}");
    for command in ["supports", "check", "index", "install", "new", "templates"] {
        let out = run_with_stdin(&[command, "--help"], b"");
        let help = String::from_utf8(out.stdout).unwrap();
        assert!(
            help.contains("Example"),
            "{command} --help has no example:\n{help}"
        );
    }
}
