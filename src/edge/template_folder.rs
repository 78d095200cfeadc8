//! The book's own templates, read from the folder `templates` names in `[preprocessor.trd]`,
//! never from outside it.

use std::path::{Component, Path, PathBuf};

use crate::model::directive::is_valid_name;
use crate::model::template::{RESERVED, Skipped, Template, Templates};
use crate::report::diagnostic::{Diagnostic, Rule, list};

/// The built-ins plus the book's own templates from `folder` (relative to `root`), which
/// override built-ins of the same name. Nothing outside the folder is read: the folder must
/// lie inside the book, and a file that is a link to somewhere else is refused. Problems are
/// errors naming the file; the templates that could be read are still returned.
///
/// A template is a file `NAME.md` whose `NAME` is a template name. Hidden files, files not
/// ending in `.md` and folders are passed over silently; other Markdown files (a README, a
/// name with capitals or spaces, a reserved name) are passed over with a note, see
/// [`Templates::skipped`].
pub fn load(root: &Path, folder: Option<&str>) -> (Templates, Vec<Diagnostic>) {
    let mut templates = Templates::built_in();
    let mut errors = Vec::new();
    let Some(folder) = folder else {
        return (templates, errors);
    };
    let relative = Path::new(folder);
    let (canonical, files) = match folder_files(root, relative, folder) {
        Ok(found) => found,
        Err(e) => {
            errors.push(*e);
            return (templates, errors);
        }
    };
    for path in files {
        let shown = relative.join(path.file_name().unwrap_or_default());
        match entry(&path) {
            Entry::Ignored => {}
            Entry::NotATemplate(reason) => templates.skip(Skipped {
                file: shown,
                reason,
            }),
            Entry::Template(name) => match read_template(&path, &canonical, &shown, &name) {
                Ok(template) => templates.add(template),
                Err(e) => errors.push(*e),
            },
        }
    }
    (templates, errors)
}

/// What an entry of the templates folder is.
enum Entry {
    /// Hidden, not `.md`, or a folder: never a template, passed over without a word.
    Ignored,
    /// A Markdown file that cannot be a template: passed over with a note.
    NotATemplate(String),
    /// A template, by its name.
    Template(String),
}

/// Sorts out an entry of the templates folder by its name alone (nothing is read yet).
fn entry(path: &Path) -> Entry {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if file_name.starts_with('.') || path.extension().is_none_or(|e| e != "md") || path.is_dir() {
        return Entry::Ignored;
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.eq_ignore_ascii_case("readme") {
        return Entry::NotATemplate("a README describes the folder".into());
    }
    if RESERVED.contains(&name.as_str()) {
        return Entry::NotATemplate(format!(
            "{name:?} is reserved (reserved: {}); rename the file to use it as a template",
            list(RESERVED)
        ));
    }
    if !is_valid_name(&name) {
        let lower = name.to_lowercase().replace(' ', "-");
        let example = if is_valid_name(&lower) {
            lower
        } else {
            "rfc-lite".into()
        };
        return Entry::NotATemplate(format!(
            "{name:?} is not a template name (lowercase letters, digits, `-` and `_`); \
             to use it as a template, rename it, e.g. `{example}.md`"
        ));
    }
    Entry::Template(name)
}

/// An error about the templates setting itself, reported against `book.toml`.
fn setting_error(message: String, help: &str) -> Diagnostic {
    Diagnostic::error(Rule::TemplatesFolder, message)
        .in_file(Some(Path::new("book.toml")))
        .with_help(help)
}

/// The templates folder's canonical path and its entries, sorted; or why it cannot be read.
fn folder_files(
    root: &Path,
    relative: &Path,
    folder: &str,
) -> Result<(PathBuf, Vec<PathBuf>), Box<Diagnostic>> {
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(Box::new(setting_error(
            format!("the templates folder {folder:?} is outside the book"),
            "name a folder inside the book, e.g. `templates = \"trd-templates\"`",
        )));
    }
    let dir = root.join(relative);
    let (Ok(canonical), Ok(entries)) = (dir.canonicalize(), std::fs::read_dir(&dir)) else {
        return Err(Box::new(setting_error(
            format!("the templates folder {folder:?} does not exist"),
            "create it, or remove `templates` from [preprocessor.trd]",
        )));
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    Ok((canonical, files))
}

/// Reads and parses the book's template `name` from `path` (shown as `shown`), refusing a file
/// that leads outside the folder and a template that holds a directive.
fn read_template(
    path: &Path,
    canonical: &Path,
    shown: &Path,
    name: &str,
) -> Result<Template, Box<Diagnostic>> {
    let error = |message: String, help: &str| {
        Box::new(
            Diagnostic::error(Rule::TemplateUnreadable, message)
                .in_file(Some(shown))
                .with_help(help),
        )
    };
    let inside = path
        .canonicalize()
        .is_ok_and(|real| real.starts_with(canonical));
    if !inside || !path.is_file() {
        return Err(error(
            // The file is the finding's own: naming it again in the text would show it on a
            // second base once the finding is rebased.
            "refused to read this file: it leads outside the templates folder".into(),
            "copy the template into the folder instead of linking to it",
        ));
    }
    let source = std::fs::read_to_string(path)
        .map_err(|e| error(format!("cannot read the template: {e}"), "check the file"))?;
    Template::from_book_file(name, &source, shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_in_a_templates_folder_is_a_template() {
        let kind = |name: &str| match entry(Path::new("no-such-folder").join(name).as_path()) {
            Entry::Ignored => "ignored".to_owned(),
            Entry::NotATemplate(reason) => format!("note: {reason}"),
            Entry::Template(name) => format!("template {name}"),
        };
        for readme in ["README.md", "readme.md", "Readme.md"] {
            assert_eq!(kind(readme), "note: a README describes the folder");
        }
        for ignored in [
            ".hidden.md",
            ".md",
            "notes.txt",
            "README",
            "tdd.md~",
            "x.MD",
            "a.md.swp",
        ] {
            assert_eq!(kind(ignored), "ignored", "{ignored}");
        }
        assert_eq!(kind("rfc-lite.md"), "template rfc-lite");
        assert_eq!(kind("2026_q1.md"), "template 2026_q1");
        assert!(kind("My Template.md").ends_with("rename it, e.g. `my-template.md`"));
        assert!(kind("Ünïcode.md").ends_with("rename it, e.g. `rfc-lite.md`"));
        assert!(kind("help.md").starts_with("note: \"help\" is reserved"));
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("nested.md");
        std::fs::create_dir(&folder).unwrap();
        assert!(matches!(entry(&folder), Entry::Ignored));
    }
}
