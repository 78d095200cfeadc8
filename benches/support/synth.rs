//! Synthetic books for the benchmark: about 70% design docs across the five templates with
//! some authored sections, 30% plain chapters with code blocks and tables, one index page.
//! Deterministic: the same size and kind give the same book.
//!
//! Two kinds: [`Kind::Typical`], whose docs are mostly drafts and reviews and raise few findings,
//! and [`Kind::Warnings`], the handbook that breaks the rules: most docs are approved or later
//! without their sign-offs and with few sections written, a third misspell their status, and
//! numbers are used twice, so the build's warnings (and their summary) are part of the cost.

use std::fmt::Write as _;
use std::path::Path;

const TEMPLATES: [&str; 5] = ["trd", "trd-numbered", "design", "product-tdd", "tdd"];
const STATUSES: [&str; 5] = ["Draft", "In Review", "In Review", "Draft", "Implemented"];
/// The warnings book's statuses: approved or later (sign-offs and completeness are checked),
/// and a misspelt one (an unknown status, with a "did you mean").
const WARNING_STATUSES: [&str; 6] = [
    "Approved",
    "Approved",
    "Implemented",
    "Aproved",
    "In Progress",
    "Complete",
];

/// Which synthetic book to write.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Mostly drafts and reviews: few findings.
    Typical,
    /// Most docs raise warnings: approval-missing, unwritten-approved, unknown-status,
    /// duplicate-number.
    Warnings,
}

impl Kind {
    /// Both kinds, in the order the benchmark reports them.
    pub const ALL: [Kind; 2] = [Kind::Typical, Kind::Warnings];

    /// The name the benchmark prints and its folders use.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Typical => "typical",
            Kind::Warnings => "warnings",
        }
    }
}
const SECTIONS: [&str; 8] = [
    "## Goals",
    "### Problem Statement",
    "## Non-Goals",
    "## Overview",
    "### Data Flow",
    "## Rollback Plan",
    "## Background",
    "## Security Considerations",
];

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn paragraph(rng: &mut Rng, out: &mut String) {
    const WORDS: [&str; 12] = [
        "the",
        "ingest",
        "gateway",
        "retries",
        "carrier",
        "events",
        "latency",
        "partition",
        "replay",
        "schema",
        "budget",
        "queue",
    ];
    let n = 25 + rng.below(40);
    for i in 0..n {
        if i > 0 {
            out.push(if i % 12 == 0 { '\n' } else { ' ' });
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out.push_str(".\n\n");
}

/// A design doc chapter.
fn design_doc(i: usize, rng: &mut Rng, kind: Kind) -> String {
    let template = TEMPLATES[i % TEMPLATES.len()];
    let (status, number) = match kind {
        Kind::Typical => (STATUSES[rng.below(STATUSES.len())], i),
        // Two docs in a row share a number: every second doc is a duplicate.
        Kind::Warnings => (WARNING_STATUSES[rng.below(WARNING_STATUSES.len())], i / 2),
    };
    let mut out = format!(
        "<<#trd {template} title=\"Design {i}\" number=\"{number}\" status=\"{status}\" author=\"Author {}\" date=\"2026-{:02}-{:02}\">>\n\n",
        rng.below(40),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    paragraph(rng, &mut out);
    for _ in 0..2 + rng.below(4) {
        out.push_str(SECTIONS[rng.below(SECTIONS.len())]);
        out.push_str("\n\n");
        paragraph(rng, &mut out);
        if rng.below(3) == 0 {
            out.push_str("```rust\n# not a heading\nfn main() {}\n```\n\n");
        }
    }
    match kind {
        Kind::Typical if rng.below(2) == 0 => out.push_str(
            "## Approval\n\n**Engineering Lead:** Ada - 2026-01-02\n**Architect:** Grace - 2026-01-03\n",
        ),
        // One role of several signs: the others are still missing.
        Kind::Warnings if rng.below(3) == 0 => {
            out.push_str("## Approval\n\n**Engineering Lead:** Ada - 2026-01-02\n")
        }
        _ => {}
    }
    out
}

/// A plain chapter: prose, a code block, a table.
fn plain(i: usize, rng: &mut Rng) -> String {
    let mut out = format!("# Notes {i}\n\n");
    paragraph(rng, &mut out);
    out.push_str(
        "```toml\n[preprocessor.trd]\nstrict = true\n```\n\n| Key | Value |\n|-----|-------|\n",
    );
    for r in 0..4 + rng.below(6) {
        let _ = writeln!(out, "| k{r} | v{} |", rng.below(1000));
    }
    out.push('\n');
    paragraph(rng, &mut out);
    out
}

/// Writes a book of `kind` with `chapters` chapters (plus its index page) under `dir`, with
/// `book_toml` as its `book.toml`.
pub fn write_book(dir: &Path, chapters: usize, kind: Kind, book_toml: &str) -> std::io::Result<()> {
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("docs"))?;
    std::fs::write(dir.join("book.toml"), book_toml)?;
    let mut rng = Rng(chapters as u64);
    let mut summary = String::from("# Summary\n\n[Index](index-page.md)\n\n");
    std::fs::write(src.join("index-page.md"), "# Index\n\n<<#trd index>>\n")?;
    for i in 0..chapters {
        if i % 500 == 0 {
            let _ = writeln!(summary, "\n# Part {}\n", i / 500 + 1);
        }
        let (name, text) = if i % 10 < 7 {
            (format!("Design {i}"), design_doc(i, &mut rng, kind))
        } else {
            (format!("Notes {i}"), plain(i, &mut rng))
        };
        let file = format!("docs/c{i}.md");
        std::fs::write(src.join(&file), text)?;
        // Every fifth chapter nests under the one before it.
        let indent = if i % 5 == 4 { "    " } else { "" };
        let _ = writeln!(summary, "{indent}- [{name}]({file})");
    }
    std::fs::write(src.join("SUMMARY.md"), summary)
}
