//! What the preprocessor costs a published site: `cargo bench --bench site` (add `-- --quick`
//! for a small book).
//!
//! Builds the benchmark's synthetic handbook (1,000 chapters, 70% design docs) with the real
//! mdBook 0.5.4 three ways, in one run: without the preprocessor (the directives stay one line
//! each), with it as installed (`unwritten = "show"`), and with `unwritten = "hide"`. For each
//! it measures the search index every reader downloads (the `searchindex*` files), the HTML
//! written, and the CPU time of the whole `mdbook build` (mdBook and every process it runs,
//! best of three), and prints them with their ratios to the build without the preprocessor.

// The site benchmark builds the typical handbook only; the generator's other kind is the
// preprocessor benchmark's.
#[allow(dead_code)]
#[path = "support/synth.rs"]
mod synth;
#[path = "support/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use tools::{mdbook, path_with, repo};

/// CPU time (user + system) of this process's children that have been waited for.
fn children_cpu() -> Duration {
    // SAFETY: `usage` is a valid, writable rusage; RUSAGE_CHILDREN is a valid target.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The total size of the files under `dir` whose names `keep` takes.
fn bytes(dir: &Path, keep: &dyn Fn(&str) -> bool) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            total += bytes(&path, keep);
        } else if keep(&entry.file_name().to_string_lossy()) {
            total += entry.metadata().map_or(0, |m| m.len());
        }
    }
    total
}

/// One configuration's figures.
struct Site {
    name: &'static str,
    cpu: Duration,
    index: u64,
    html: u64,
}

fn build(
    root: &Path,
    path: &std::ffi::OsStr,
    name: &'static str,
    trd_table: Option<&str>,
    chapters: usize,
) -> Site {
    let book = root.join(name);
    if !book.join("book.toml").is_file() {
        let mut toml = String::from("[book]\ntitle = \"Synthetic handbook\"\n");
        if let Some(table) = trd_table {
            toml.push_str(&format!("\n[preprocessor.trd]\n{table}\n"));
        }
        synth::write_book(&book, chapters, synth::Kind::Typical, &toml).expect("write book");
    }
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let before = children_cpu();
        let status = Command::new(mdbook())
            .arg("build")
            .arg(&book)
            .env("PATH", path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("mdbook");
        assert!(status.success(), "mdbook build of {name} failed");
        best = best.min(children_cpu() - before);
    }
    let out = book.join("book");
    Site {
        name,
        cpu: best,
        index: bytes(&out, &|f| f.starts_with("searchindex")),
        html: bytes(&out, &|f| f.ends_with(".html")),
    }
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let chapters = if quick { 100 } else { 1_000 };
    let root = repo().join(format!("target/bench-site/{chapters}"));
    // Cargo builds the binary for a benchmark and names it here.
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_mdbook-trd"));
    let path = path_with(bin.parent().expect("bin dir"));
    let without = build(&root, &path, "without", None, chapters);
    let sites = [
        build(&root, &path, "show", Some(""), chapters),
        build(&root, &path, "hide", Some("unwritten = \"hide\""), chapters),
    ];
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!("mdbook build of {chapters} chapters (mdBook 0.5.4, HTML with search), one run:");
    println!("| build | search index | / without | HTML | / without | build CPU | / without |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for s in std::iter::once(&without).chain(&sites) {
        println!(
            "| {} | {:.1} MiB | {:.2}x | {:.1} MiB | {:.2}x | {:.2} s | {:.2}x |",
            s.name,
            mib(s.index),
            s.index as f64 / without.index as f64,
            mib(s.html),
            s.html as f64 / without.html as f64,
            s.cpu.as_secs_f64(),
            s.cpu.as_secs_f64() / without.cpu.as_secs_f64(),
        );
    }
}
