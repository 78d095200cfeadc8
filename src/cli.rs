//! The command line: `mdbook-trd` runs the preprocessor protocol; subcommands serve mdBook
//! (`supports`) and people.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::protocol;

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
}

/// Parses the arguments and runs. The exit code is what mdBook (or a shell) sees.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Supports { .. }) => ExitCode::SUCCESS,
        None => {
            if protocol::run_stdio() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
