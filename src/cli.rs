//! The command line: `mdbook-trd` runs the preprocessor protocol; subcommands serve mdBook
//! (`supports`) and people (`check`, `index`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::analysed::{self, CommandError};
use crate::commands::new;
use crate::commands::{check, export, install, templates};
use crate::edge::loader;
use crate::edge::protocol;
use crate::model::directive::Attribute;
use crate::model::doc::Field;
use crate::model::settings::Settings;
use crate::render::index;
use crate::render::mode::RenderMode;
use crate::report::diagnostic::list;
use crate::report::suggest::did_you_mean;

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
    // Hidden from the top of `--help`: only mdBook calls it, and people looking for what to
    // run should not have to read past it. `supports --help` still works.
    #[command(
        hide = true,
        after_help = "Example:\n  mdbook-trd supports markdown && echo yes"
    )]
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
        #[command(flatten)]
        book: BookArgs,
        /// How to print the findings.
        #[arg(long, value_enum, default_value = "text")]
        format: check::Format,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// The mdBook that builds the book (e.g. 0.4 or 0.5.4): its Markdown decides what is a
        /// paragraph. Default: the `mdbook` on PATH, else 0.5.
        #[arg(long, value_name = "VERSION")]
        mdbook_version: Option<String>,
    },
    /// Register the preprocessor in a book's book.toml, ahead of preprocessors that read what it
    /// writes, such as mermaid (keeps its comments; safe to run twice).
    #[command(after_help = "Example:\n  mdbook init handbook && mdbook-trd install handbook")]
    Install {
        #[command(flatten)]
        book: BookArgs,
    },
    /// Write a new design doc chapter, with the next free number, and add it to SUMMARY.md.
    #[command(
        after_help = "Examples:\n  mdbook-trd new tdd \"Payment retries\" --author \"Ada Lovelace\"\n  mdbook-trd new trd-numbered \"Rate limits\" --book docs --dir designs --parent \"Design docs\""
    )]
    New(NewDoc),
    /// List the templates (built-in and the book's own), or print one.
    #[command(
        after_help = "Examples:\n  mdbook-trd templates\n  mdbook-trd templates tdd --book docs"
    )]
    Templates {
        /// The template to print.
        name: Option<String>,
        /// The book whose own templates to include (default: the current folder, if it is a
        /// book). Every subcommand takes `--book`.
        #[arg(long, value_name = "DIR")]
        book: Option<PathBuf>,
    },
    /// Export the index of design docs for dashboards.
    #[command(
        after_help = "Examples:\n  mdbook-trd index --format csv > designs.csv\n  mdbook-trd index docs --format json --status \"In Review\" --sort=-date"
    )]
    Index {
        #[command(flatten)]
        book: BookArgs,
        /// The output format.
        #[arg(long, value_enum, default_value = "json")]
        format: export::Format,
        /// Only these statuses (comma-separated names or aliases), as in
        /// `<<#trd index status="...">>`.
        #[arg(long)]
        status: Option<String>,
        /// Only these templates (comma-separated).
        #[arg(long)]
        template: Option<String>,
        /// number, title, status (lifecycle order), date (last updated, else created) or
        /// summary (SUMMARY.md order: the book's own order, the default); `-` first for
        /// descending, e.g. `--sort=-date`.
        #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
        sort: Option<String>,
        /// The mdBook that builds the book (e.g. 0.4 or 0.5.4). Default: the `mdbook` on
        /// PATH, else 0.5.
        #[arg(long, value_name = "VERSION")]
        mdbook_version: Option<String>,
    },
}

/// The book's folder, for the subcommands with no other positional argument: given as
/// `mdbook-trd check docs`, the way `mdbook build docs` takes it, or as `--book docs`, the
/// form every subcommand takes (`new` and `templates` have other positionals).
#[derive(Debug, clap::Args)]
pub struct BookArgs {
    /// The book's folder, holding book.toml (default: the current folder).
    #[arg(value_name = "BOOK")]
    book: Option<PathBuf>,
    /// The same as BOOK: the form every subcommand takes.
    #[arg(long = "book", value_name = "DIR")]
    book_flag: Option<PathBuf>,
}

impl BookArgs {
    /// The folder, checked: see [`analysed::book_dir`].
    fn dir(self) -> Result<PathBuf, CommandError> {
        analysed::book_dir(self.book, self.book_flag)
    }
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
            mdbook_version,
        }) => run_check(book, format, strict, mdbook_version),
        Some(Command::Index {
            book,
            format,
            status,
            template,
            sort,
            mdbook_version,
        }) => run_index(
            book,
            format,
            [("status", status), ("template", template), ("sort", sort)],
            mdbook_version,
        ),
        Some(Command::Install { book }) => run_install(book),
        Some(Command::New(args)) => run_new(args),
        Some(Command::Templates { name, book }) => run_templates(name, book),
    };
    result.unwrap_or_else(|CommandError(message)| {
        eprintln!("error: mdbook-trd: {message}");
        ExitCode::from(2)
    })
}

/// Reads and analyses the book at `root` as the mdBook that builds it would, printing on
/// stderr what is not a finding (a version we do not support, chapter files to be created).
fn analyse(
    root: &Path,
    strict: bool,
    mdbook_version: Option<String>,
) -> Result<analysed::Analysed, CommandError> {
    let given = mdbook_version.is_some();
    let version = match mdbook_version {
        Some(v) => Some(parse_mdbook_version(&v)?),
        None => analysed::mdbook_on_path(),
    };
    let mut stderr = std::io::stderr().lock();
    if let Some(warning) = version.as_deref().and_then(|v| version_warning(v, given)) {
        writeln!(stderr, "warning: {warning}")?;
    }
    let options = analysed::CommandOptions::with_process_env(strict, version);
    let analysed = analysed::analyse_with(root, RenderMode::Plain, &options)?;
    for note in analysed.notes() {
        writeln!(stderr, "{note}")?;
    }
    Ok(analysed)
}

/// `--mdbook-version`: `0.4`, `0.5.4`, `v0.4.52`, ... (the `v` dropped).
fn parse_mdbook_version(value: &str) -> Result<String, CommandError> {
    let v = value.trim().trim_start_matches('v');
    let mut parts = v.split('.');
    let numeric =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let major_minor = numeric(parts.next()) && numeric(parts.next()) && parts.next().is_none();
    if major_minor || semver::Version::parse(v).is_ok() {
        Ok(v.to_owned())
    } else {
        Err(CommandError(format!(
            "--mdbook-version {value:?} is not a version; give the version of the mdBook that \
             builds the book, e.g. `--mdbook-version 0.4` or `--mdbook-version 0.5.4`"
        )))
    }
}

/// The warning for a version outside the supported range, as the build gives it, but saying
/// where the version came from (`given`: `--mdbook-version`, else the `mdbook` on `PATH`) and
/// whose Markdown rules the book is read with instead. A bare `0.4` stands for the newest 0.4
/// release, so that a supported line gets no warning.
fn version_warning(version: &str, given: bool) -> Option<String> {
    let full = if semver::Version::parse(version).is_ok() {
        version.to_owned()
    } else {
        format!("{version}.9999")
    };
    protocol::check_version(&full)?;
    let source = if given {
        format!("--mdbook-version is {version}")
    } else {
        format!("the mdbook on PATH is {version}")
    };
    let rules = if crate::edge::book_toml::is_mdbook_04(version) {
        "0.4's (no definition lists or admonitions)"
    } else {
        "0.5's"
    };
    Some(format!(
        "mdbook-trd supports mdBook {}, but {source}; the book is read with mdBook {rules} \
         Markdown rules, which may not be what that mdBook does",
        protocol::SUPPORTED_MDBOOK
    ))
}

fn run_check(
    book: BookArgs,
    format: check::Format,
    strict: bool,
    mdbook_version: Option<String>,
) -> Result<ExitCode, CommandError> {
    let root = book.dir()?;
    let analysed = analyse(&root, strict, mdbook_version)?;
    // Notes are not findings: on stderr, so the report (JSON included) stays as it was.
    for note in analysed.templates.skipped() {
        let _ = writeln!(std::io::stderr(), "{}", note.from_here(&root));
    }
    let color =
        format == check::Format::Text && analysed::use_color(analysed::stdout_is_terminal());
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
    book: BookArgs,
    format: export::Format,
    filters: [(&str, Option<String>); 3],
    mdbook_version: Option<String>,
) -> Result<ExitCode, CommandError> {
    let root = book.dir()?;
    let analysed = analyse(&root, false, mdbook_version)?;
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
        &analysed.templates,
    )
    .map_err(|e| CommandError(format!("{}; {}", e.message, e.help)))?;
    let mut stderr = std::io::stderr().lock();
    // Notes are for `check`; the export is not about the pages.
    for d in analysed
        .analysis
        .diagnostics
        .iter()
        .filter(|d| !d.is_note())
    {
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

fn run_install(book: BookArgs) -> Result<ExitCode, CommandError> {
    let root = book.dir()?;
    let path = root.join("book.toml");
    let quoted = |names: &[String]| {
        let names: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
        names.join(", ")
    };
    match install::install(&root)? {
        install::Outcome::Added { before } if before.is_empty() => {
            println!("added [preprocessor.trd] to {}", path.display())
        }
        install::Outcome::Added { before } => println!(
            "added [preprocessor.trd] to {}, with before = [{}] so that mdBook runs {} after \
             mdbook-trd",
            path.display(),
            quoted(&before),
            before.join(" and ")
        ),
        install::Outcome::Ordered { table, added } => println!(
            "added {} to `before` in [preprocessor.{table}] of {}, so that mdBook runs {} after \
             mdbook-trd",
            quoted(&added),
            path.display(),
            added.join(" and ")
        ),
        install::Outcome::AlreadyThere => {
            println!(
                "{} already registers mdbook-trd; nothing changed",
                path.display()
            )
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The arguments of `new`.
#[derive(Debug, clap::Args)]
pub struct NewDoc {
    /// The template, e.g. `tdd` (see `mdbook-trd templates`).
    template: String,
    /// The doc's title.
    title: String,
    /// The book's folder, holding book.toml (default: the current folder). Every subcommand
    /// takes `--book`.
    #[arg(long, value_name = "DIR")]
    book: Option<PathBuf>,
    /// The author.
    #[arg(long)]
    author: Option<String>,
    /// The status (default: Draft).
    #[arg(long)]
    status: Option<String>,
    /// The folder under the book's src to write the chapter in.
    #[arg(long)]
    dir: Option<String>,
    /// The SUMMARY.md chapter to nest the new one under (default: the end of the list).
    #[arg(long)]
    parent: Option<String>,
}

fn run_new(args: NewDoc) -> Result<ExitCode, CommandError> {
    let root = analysed::book_dir(None, args.book)?;
    let analysed = analyse(&root, false, None)?;
    let template = analysed
        .templates
        .get(&args.template)
        .ok_or_else(|| CommandError(unknown_template(&args.template, &analysed.templates)))?;
    let status = match &args.status {
        None => crate::model::doc::DEFAULT_STATUS.to_owned(),
        Some(s) => analysed
            .settings
            .lifecycle
            .resolve(s)
            .map(|s| s.name.clone())
            .ok_or_else(|| {
                let lifecycle = &analysed.settings.lifecycle;
                CommandError(format!(
                    "unknown status {s:?}; {}known: {}",
                    lifecycle.did_you_mean(s),
                    lifecycle.names()
                ))
            })?,
    };
    let title = args.title.trim();
    if title.is_empty() {
        return Err(CommandError("the title is empty".into()));
    }
    let number = new::chapter::next_number(&analysed);
    let dir = match &args.dir {
        Some(d) => new::chapter::safe_dir(d).map_err(CommandError)?,
        None => PathBuf::new(),
    };
    let relative = dir.join(format!("{}.md", new::chapter::slug(title)));
    let src = root.join(&analysed.loaded.src);
    let file = src.join(&relative);
    if file.exists() {
        return Err(CommandError(format!(
            "{} already exists; nothing was written (choose another title or --dir)",
            file.display()
        )));
    }
    let mut attributes = vec![
        (Field::Title, title.to_owned()),
        (Field::Number, number.clone()),
        (Field::Status, status),
    ];
    if let Some(author) = args
        .author
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        attributes.push((Field::Author, author.to_owned()));
    }
    attributes.push((Field::Date, new::chapter::today()));
    let summary_path = src.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .map_err(|e| CommandError(format!("{}: {e}", summary_path.display())))?;
    let link = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().replace(' ', "%20"))
        .collect::<Vec<_>>()
        .join("/");
    let summary = new::summary::add_to_summary(&summary, title, &link, args.parent.as_deref())
        .map_err(|e| CommandError(format!("{}: {e}", summary_path.display())))?;
    let text = new::chapter::chapter_text(template, &attributes);
    new::chapter::write_files(&file, &text, &summary_path, &summary).map_err(CommandError)?;
    let in_src = |path: &Path| analysed::from_here_path(&root, &analysed.loaded.src.join(path));
    println!(
        "created {} ({} #{number}) and added it to {}",
        in_src(&relative).display(),
        template.name(),
        in_src(Path::new("SUMMARY.md")).display()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_templates(name: Option<String>, book: Option<PathBuf>) -> Result<ExitCode, CommandError> {
    let root = analysed::book_dir(None, book.clone())?;
    let (templates, errors) = if book.is_some() || root.join("book.toml").is_file() {
        let config = loader::read_config(&root)?;
        let (settings, _) = Settings::from_table(crate::edge::book_toml::trd_table(&config));
        crate::edge::template_folder::load(&root, settings.templates.as_deref())
    } else {
        (crate::model::template::Templates::built_in(), Vec::new())
    };
    let mut stderr = std::io::stderr().lock();
    for note in templates.skipped() {
        writeln!(stderr, "{}", note.from_here(&root))?;
    }
    for e in &errors {
        writeln!(stderr, "{}", analysed::from_here(&root, e.clone()))?;
    }
    let mut stdout = std::io::stdout().lock();
    match name {
        None => stdout.write_all(templates::list(&templates).as_bytes())?,
        Some(name) => {
            let template = templates
                .get(&name)
                .ok_or_else(|| CommandError(unknown_template(&name, &templates)))?;
            stdout.write_all(template.source().as_bytes())?;
        }
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The message for a template name no template has, with the name it was probably meant to
/// be (`TDD` → `tdd`).
fn unknown_template(name: &str, templates: &crate::model::template::Templates) -> String {
    format!(
        "unknown template {name:?}; {}known: {}",
        did_you_mean(name, templates.names()),
        list(templates.names())
    )
}
