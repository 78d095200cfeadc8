//! The command line: `mdbook-trd` runs the preprocessor protocol; subcommands serve mdBook
//! (`supports`) and people (`check`, `index`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{self, CommandError, check, export};
use crate::directive::Attribute;
use crate::index;
use crate::protocol;
use crate::render::RenderMode;
use crate::template::Templates;

/// mdBook preprocessor for technical design documents.
///
/// With no subcommand, reads the `[context, book]` JSON that mdBook sends on stdin and writes
/// the expanded book to stdout. Register it in `book.toml` with `[preprocessor.trd]`.
#[derive(Debug, Parser)]
#[command(
    name = "mdbook-trd",
    version,
    about,
    after_help = "Example (book.toml):\n  [preprocessor.trd]\n  after = [\"links\"]"
)]
pub struct Cli {
    /// What to do; nothing means: run as mdBook's preprocessor.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tell mdBook whether a renderer is supported (always yes: HTML gets HTML badges, every
    /// other renderer plain text).
    #[command(after_help = "Example:\n  mdbook-trd supports markdown && echo yes")]
    Supports {
        /// The renderer's name, e.g. `html` or `markdown`.
        renderer: String,
    },
    /// Lint a book without building it: every error and warning the preprocessor would give.
    ///
    /// Exits 1 when there are errors (or warnings, with --strict), 2 when the book cannot be
    /// read, 0 otherwise.
    #[command(
        after_help = "Examples:\n  mdbook-trd check\n  mdbook-trd check docs/handbook --strict --format github"
    )]
    Check {
        /// The book's folder (holding book.toml).
        book: Option<PathBuf>,
        /// How to print the findings.
        #[arg(long, value_enum, default_value = "text")]
        format: check::Format,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Export the index of design docs for dashboards.
    #[command(
        after_help = "Examples:\n  mdbook-trd index --format csv > designs.csv\n  mdbook-trd index docs --format json --status \"In Review\" --sort=-date"
    )]
    Index {
        /// The book's folder (holding book.toml).
        book: Option<PathBuf>,
        /// The output format.
        #[arg(long, value_enum, default_value = "json")]
        format: export::Format,
        /// Only these statuses (comma-separated), as in `<<#trd index status="...">>`.
        #[arg(long)]
        status: Option<String>,
        /// Only these templates (comma-separated).
        #[arg(long)]
        template: Option<String>,
        /// number, title, status, date or summary; `-` first for descending.
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
    },
}

/// Parses the arguments and runs. The exit code is what mdBook (or a shell) sees.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Supports { .. }) => Ok(ExitCode::SUCCESS),
        None => Ok(if protocol::run_stdio() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }),
        Some(Command::Check {
            book,
            format,
            strict,
        }) => run_check(book, format, strict),
        Some(Command::Index {
            book,
            format,
            status,
            template,
            sort,
        }) => run_index(
            book,
            format,
            [("status", status), ("template", template), ("sort", sort)],
        ),
    };
    result.unwrap_or_else(|CommandError(message)| {
        eprintln!("error: mdbook-trd: {message}");
        ExitCode::from(2)
    })
}

fn run_check(
    book: Option<PathBuf>,
    format: check::Format,
    strict: bool,
) -> Result<ExitCode, CommandError> {
    let root = commands::book_dir(book);
    let analysed = commands::analyse(&root, strict, RenderMode::Plain)?;
    let color =
        format == check::Format::Text && commands::use_color(commands::stdout_is_terminal());
    let (out, failed) = check::report(
        &analysed.analysis.diagnostics,
        analysed.analysis.docs.len(),
        format,
        analysed.settings.strict,
        color,
    );
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn run_index(
    book: Option<PathBuf>,
    format: export::Format,
    filters: [(&str, Option<String>); 3],
) -> Result<ExitCode, CommandError> {
    let root = commands::book_dir(book);
    let analysed = commands::analyse(&root, false, RenderMode::Plain)?;
    let attributes: Vec<Attribute> = filters
        .into_iter()
        .filter_map(|(key, value)| {
            value.map(|value| Attribute {
                key: key.into(),
                value,
                offset: 0,
            })
        })
        .collect();
    let options = index::parse_options(
        &attributes,
        &analysed.settings.lifecycle,
        &Templates::built_in(),
    )
    .map_err(|e| CommandError(format!("{}; {}", e.message, e.help)))?;
    let mut stderr = std::io::stderr().lock();
    for d in &analysed.analysis.diagnostics {
        writeln!(stderr, "{d}")?;
    }
    if analysed.analysis.has_errors() {
        return Ok(ExitCode::FAILURE);
    }
    let out = export::export(
        &analysed.analysis.docs,
        &options,
        &analysed.settings.lifecycle,
        format,
    )?;
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
