//! The preprocessor against the floor: `cargo bench --bench preprocessor` (add `-- --quick` for
//! a small book only).
//!
//! For books of 500, 5,000 and 20,000 chapters, of two kinds (`typical`, whose docs raise few
//! findings, and `warnings`, where most docs break the approval rules; see `support/synth.rs`),
//! it captures the JSON the real mdBook hands a preprocessor, then measures in one run, as whole processes (wall time, CPU time, peak
//! memory): floor A (parse and re-serialise the JSON), floor B (A plus one pulldown-cmark
//! offset pass over every chapter), floor C (B plus each template directive replaced by a plain
//! copy of its template: the least work that writes a book of the expanded size), and
//! mdbook-trd. It prints ratios. The same executable plays the floors and the capture step,
//! chosen by `TRD_BENCH_ROLE`.

#[path = "support/synth.rs"]
mod synth;
#[path = "support/tools.rs"]
mod tools;

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::Value;
use synth::Kind;
use tools::{mdbook, path_with, repo};

const ROLE: &str = "TRD_BENCH_ROLE";
const CAPTURE_TO: &str = "TRD_BENCH_CAPTURE";

const TEMPLATES: [(&str, &str); 5] = [
    ("trd", include_str!("../templates/trd.md")),
    ("trd-numbered", include_str!("../templates/trd-numbered.md")),
    ("design", include_str!("../templates/design.md")),
    ("product-tdd", include_str!("../templates/product-tdd.md")),
    ("tdd", include_str!("../templates/tdd.md")),
];

fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("capture") => capture(),
        Ok(floor @ ("floor-a" | "floor-b" | "floor-c")) => run_floor(floor),
        _ => bench(),
    }
}

/// Plays a preprocessor that saves its input and stops the build (no renderer needs to run).
fn capture() {
    if std::env::args().nth(1).as_deref() == Some("supports") {
        return;
    }
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).expect("stdin");
    let path = std::env::var(CAPTURE_TO).expect("capture path");
    std::fs::write(path, input).expect("write capture");
    std::process::exit(1);
}

fn chapters(items: &mut [Value], f: &mut impl FnMut(&mut String)) {
    for item in items {
        if let Some(chapter) = item.get_mut("Chapter") {
            if let Some(Value::String(content)) = chapter.get_mut("content") {
                f(content);
            }
            if let Some(Value::Array(subs)) = chapter.get_mut("sub_items") {
                chapters(subs, f);
            }
        }
    }
}

/// Floors A, B and C.
fn run_floor(floor: &str) {
    let mut input = Vec::new();
    std::io::stdin().read_to_end(&mut input).expect("stdin");
    let mut value: Value = serde_json::from_slice(&input).expect("json");
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    // What a bare skeleton's page holds: on HTML pages the template's text is kept out of
    // search (mdbook-trd's `quiet` form, as large as what it writes); worked out once per
    // template, so the floor's work per chapter stays a copy.
    let html = value[0]["renderer"] == "html";
    let templates: Vec<(&str, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| {
            let page = if html {
                mdbook_trd::markdown::quiet::quiet(text, options)
            } else {
                (*text).to_owned()
            };
            (*name, page)
        })
        .collect();
    let book = &mut value[1];
    if floor != "floor-a"
        && let Some(Value::Array(items)) = book.get_mut("items")
    {
        chapters(items, &mut |content| {
            let mut replace = Vec::new();
            for (event, range) in Parser::new_ext(content, options).into_offset_iter() {
                if let Event::Start(Tag::Paragraph) = event
                    && floor == "floor-c"
                    && content[range.clone()].starts_with("<<#trd ")
                {
                    let name = content[range.start + 7..]
                        .split_whitespace()
                        .next()
                        .unwrap_or_default();
                    if let Some((_, text)) = templates.iter().find(|(n, _)| *n == name) {
                        replace.push((range, text.as_str()));
                    }
                }
            }
            if !replace.is_empty() {
                let mut out = String::with_capacity(content.len() + 8192 * replace.len());
                let mut at = 0;
                for (range, text) in replace {
                    out.push_str(&content[at..range.start]);
                    out.push_str(text);
                    at = range.end;
                }
                out.push_str(&content[at..]);
                *content = out;
            }
        });
    }
    let out = std::io::stdout().lock();
    let mut out = std::io::BufWriter::new(out);
    serde_json::to_writer(&mut out, book).expect("write");
    out.flush().expect("flush");
}

/// One whole-process measurement.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
}

/// Runs `command` with `input` on stdin, output discarded, and measures it with `wait4`.
#[allow(
    clippy::zombie_processes,
    reason = "the child is reaped by wait4, which also reports its resource usage"
)]
fn measure(command: &mut Command, input: &Path) -> Sample {
    let start = Instant::now();
    let child = command
        .stdin(File::open(input).expect("input"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` is a valid, writable rusage.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert!(
        pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{command:?} failed"
    );
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Sample {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak_kib: usage.ru_maxrss as u64,
    }
}

/// The best of `runs` (least wall and CPU; peak memory of the same runs' least).
fn best(runs: usize, mut f: impl FnMut() -> Sample) -> Sample {
    let mut samples: Vec<Sample> = (0..runs).map(|_| f()).collect();
    samples.sort_by_key(|s| s.cpu);
    let wall = samples.iter().map(|s| s.wall).min().unwrap_or_default();
    let peak_kib = samples.iter().map(|s| s.peak_kib).min().unwrap_or_default();
    Sample {
        wall,
        cpu: samples[0].cpu,
        peak_kib,
    }
}

/// The folder of a book of `kind` and `size` under `work`: the typical book keeps the plain
/// size as its name (`target/bench-books/5000/input.json`), the other kinds add theirs.
fn book_dir(work: &Path, kind: Kind, size: usize) -> PathBuf {
    match kind {
        Kind::Typical => work.join(size.to_string()),
        _ => work.join(format!("{}-{size}", kind.name())),
    }
}

/// Writes the synthetic book and captures the JSON mdBook gives a preprocessor for it.
fn prepare(dir: &Path, size: usize, kind: Kind) -> PathBuf {
    let input = dir.join("input.json");
    if input.is_file() {
        return input;
    }
    let exe = std::env::current_exe().expect("current exe");
    let toml = format!(
        "[book]\ntitle = \"Synthetic {size}\"\n\n[preprocessor.capture]\ncommand = {:?}\n",
        exe.display().to_string()
    );
    synth::write_book(&dir.join("capture"), size, kind, &toml).expect("write book");
    let status = Command::new(mdbook())
        .arg("build")
        .arg(dir.join("capture"))
        .env(ROLE, "capture")
        .env(CAPTURE_TO, &input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("mdbook");
    // The capture step stops the build on purpose.
    assert!(
        !status.success() && input.is_file(),
        "no capture for {size}"
    );
    input
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Measures the floors and mdbook-trd on the book of `kind` and `size`, prints a table row per
/// program, and returns mdbook-trd's sample.
fn measure_book(work: &Path, kind: Kind, size: usize, exe: &Path, trd: &Path) -> Sample {
    let dir = book_dir(work, kind, size);
    let input = prepare(&dir, size, kind);
    let mib = std::fs::metadata(&input).map_or(0.0, |m| m.len() as f64 / 1_048_576.0);
    let runs = match size {
        0..=1_000 => 7,
        1_001..=10_000 => 5,
        _ => 3,
    };
    let floor = |role: &str| best(runs, || measure(Command::new(exe).env(ROLE, role), &input));
    let a = floor("floor-a");
    let b = floor("floor-b");
    let c = floor("floor-c");
    let t = best(runs, || {
        measure(Command::new(trd).env_remove("MDBOOK_TRD_STRICT"), &input)
    });
    for (name, s) in [
        ("floor A", a),
        ("floor B", b),
        ("floor C", c),
        ("mdbook-trd", t),
    ] {
        println!(
            "| {} | {size} | {mib:.1} | {name} | {:.3} | {:.3} | {:.1} | {:.2}x | {:.2}x |",
            kind.name(),
            secs(s.wall),
            secs(s.cpu),
            s.peak_kib as f64 / 1024.0,
            secs(s.cpu) / secs(c.cpu),
            s.peak_kib as f64 / c.peak_kib as f64
        );
    }
    t
}

fn bench() {
    let quick = std::env::args().any(|a| a == "--quick");
    // `--size=N` (repeatable) measures those sizes only, for quicker runs while working.
    let chosen: Vec<usize> = std::env::args()
        .filter_map(|a| a.strip_prefix("--size=").and_then(|n| n.parse().ok()))
        .collect();
    let sizes: &[usize] = if !chosen.is_empty() {
        &chosen
    } else if quick {
        &[200]
    } else {
        &[500, 5_000, 20_000]
    };
    let trd = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-trd"));
    let exe = std::env::current_exe().expect("current exe");
    let work = repo().join("target/bench-books");
    println!(
        "machine: {} cores; mdbook-trd {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        env!("CARGO_PKG_VERSION")
    );
    println!();
    println!(
        "| book | chapters | JSON MiB | program | wall s | CPU s | peak MiB | CPU / floor C | memory / floor C |"
    );
    println!(
        "|------|---------:|---------:|---------|-------:|------:|---------:|--------------:|-----------------:|"
    );
    let mut trd_cpu = Vec::new();
    for &size in sizes {
        for kind in Kind::ALL {
            let t = measure_book(&work, kind, size, &exe, &trd);
            trd_cpu.push((kind, size, t));
        }
    }
    println!();
    for kind in Kind::ALL {
        let at = |n: usize| {
            trd_cpu
                .iter()
                .find(|(k, size, _)| *k == kind && *size == n)
                .map(|(_, _, t)| *t)
        };
        if let (Some(five), Some(twenty)) = (at(5_000), at(20_000)) {
            println!(
                "{} book, 5,000 → 20,000 chapters: {:.2}x the CPU time, {:.2}x the wall time (4x is linear)",
                kind.name(),
                secs(twenty.cpu) / secs(five.cpu),
                secs(twenty.wall) / secs(five.wall)
            );
        }
    }

    // What a user feels: mdbook build with and without the preprocessor.
    let size = if quick { 200 } else { 5_000 };
    let dir = work.join(format!("build-{size}"));
    let build = |with: bool| {
        let book = dir.join(if with { "with" } else { "without" });
        if !book.join("book.toml").is_file() {
            let toml = if with {
                "[book]\ntitle = \"Synthetic\"\n\n[preprocessor.trd]\n"
            } else {
                "[book]\ntitle = \"Synthetic\"\n"
            };
            synth::write_book(&book, size, Kind::Typical, toml).expect("write book");
        }
        let start = Instant::now();
        let status = Command::new(mdbook())
            .arg("build")
            .arg(&book)
            .env("PATH", path_with(trd.parent().expect("bin dir")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("mdbook");
        assert!(status.success(), "mdbook build failed");
        start.elapsed()
    };
    let without = build(false);
    let with = build(true);
    println!();
    println!(
        "mdbook build, {size} chapters (HTML): {:.2} s without the preprocessor, {:.2} s with it ({:.2}x)",
        secs(without),
        secs(with),
        secs(with) / secs(without)
    );
    let start = Instant::now();
    let status = Command::new(mdbook())
        .arg("build")
        .arg(repo().join("example-book"))
        .arg("--dest-dir")
        .arg(work.join("example-book"))
        .env("PATH", path_with(trd.parent().expect("bin dir")))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("mdbook");
    assert!(status.success());
    println!(
        "mdbook build of example-book/: {:.2} s",
        secs(start.elapsed())
    );
}
