//! The new chapter itself: its file name from the title, its number, its text from the
//! template, and the files written.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use super::number::{next_after, written_numbers};

use crate::commands::analysed::Analysed;
use crate::model::doc::Field;
use crate::model::template::{Segment, Template, TemplateSection};

/// The longest slug, in bytes. File systems allow 255 bytes for a name; a title can be longer
/// than that, and a short name is easier to type and link to.
pub const SLUG_MAX: usize = 64;

/// A file name from a title: lowercase letters and digits, words joined by `-`, at most
/// [`SLUG_MAX`] bytes (cut after a whole word).
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = shorten(out.trim_end_matches('-'));
    if out.is_empty() {
        "design-doc".into()
    } else {
        out.to_owned()
    }
}

/// `slug` cut to at most [`SLUG_MAX`] bytes: after the last whole word that fits, unless that
/// keeps less than half of it (one very long word), then at a character boundary.
fn shorten(slug: &str) -> &str {
    if slug.len() <= SLUG_MAX {
        return slug;
    }
    let mut fits = 0;
    for (i, c) in slug.char_indices() {
        if i + c.len_utf8() > SLUG_MAX {
            break;
        }
        fits = i + c.len_utf8();
    }
    let word_end = if slug[fits..].starts_with('-') {
        fits
    } else {
        slug[..fits].rfind('-').unwrap_or(0)
    };
    let cut = if word_end >= SLUG_MAX / 2 {
        word_end
    } else {
        fits
    };
    slug[..cut].trim_end_matches('-')
}

/// The number for a new doc: one more than the highest written in any directive of the book,
/// with the prefix and padding that number is written with (see [`next_after`]).
pub fn next_number(analysed: &Analysed) -> String {
    let options = analysed.flavor.options();
    let written = written_numbers(&analysed.loaded.book.items, options);
    next_after(written.iter().map(String::as_str))
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A directive attribute value, double-quoted with `"` and `\` escaped.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The new chapter: the directive, then the template's section headings ready to fill
/// (headings that are themselves placeholders are left to the skeleton).
pub fn chapter_text(template: &Template, attributes: &[(Field, String)]) -> String {
    let mut out = format!("<<#trd {}", template.name());
    for (field, value) in attributes {
        out.push_str(&format!("\n    {}={}", field.key(), quoted(value)));
    }
    out.push_str(">>\n");
    let sections = template.sections();
    let skip_title = usize::from(sections.first().is_some_and(|s| s.level == 1));
    for section in &sections[skip_title..] {
        let mut heading = String::new();
        for segment in &section.heading {
            match segment {
                Segment::Text(range) => heading.push_str(template.text(range)),
                _ => {
                    heading.clear();
                    break;
                }
            }
        }
        let heading = heading.trim();
        if !heading.is_empty() {
            out.push('\n');
            out.push_str(heading);
            out.push('\n');
            if let Some(prompt) = prompt(section) {
                out.push_str(&format!("\n<!-- {prompt} -->\n"));
            }
        }
    }
    out
}

/// What the template asks of a section: its guidance, each text once, for a comment under the
/// heading that the author sees in their editor and readers do not (a section holding only it
/// is not written yet). `None` for a section with no guidance, or one that shows the doc's
/// metadata.
fn prompt(section: &TemplateSection) -> Option<String> {
    if section.holds_fields() {
        return None;
    }
    let mut texts: Vec<&str> = Vec::new();
    for segment in &section.body {
        if let Segment::Guidance(hint) = segment {
            let text = hint.text.trim();
            if !text.is_empty() && !texts.contains(&text) {
                texts.push(text);
            }
        }
    }
    // `-->` would end the comment early.
    (!texts.is_empty()).then(|| texts.join("; ").replace("-->", "- ->"))
}

/// A sub-folder of `src` given by the user: relative, without `..`, and without `.` (so
/// `a/./b` is `a/b`, and the path printed and written to SUMMARY.md is the plain one).
pub fn safe_dir(dir: &str) -> Result<PathBuf, String> {
    let path = Path::new(dir);
    if path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        Ok(path
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect())
    } else {
        Err(format!(
            "--dir {dir:?} must be a folder inside the book's src"
        ))
    }
}

/// An I/O error that names its file.
fn named(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

/// Writes the new chapter (never over an existing file), then the summary. Errors name the file.
pub fn write_files(
    chapter: &Path,
    text: &str,
    summary: &Path,
    new_summary: &str,
) -> Result<(), String> {
    if let Some(folder) = chapter.parent() {
        std::fs::create_dir_all(folder).map_err(named(folder))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(chapter)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} already exists; nothing was written (choose another title or --dir)",
                chapter.display()
            ),
            _ => named(chapter)(e),
        })?;
    file.write_all(text.as_bytes()).map_err(named(chapter))?;
    std::fs::write(summary, new_summary).map_err(named(summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::new::summary::add_to_summary;
    use crate::model::template::Templates;

    #[test]
    fn slugs() {
        assert_eq!(slug("Payment retries: v2!"), "payment-retries-v2");
        assert_eq!(slug("  Über Café  "), "über-café");
        assert_eq!(slug("???"), "design-doc");
    }

    #[test]
    fn long_titles_are_cut_after_a_word() {
        let title = "Payment retries with exponential backoff and jitter for every provider we use";
        let s = slug(title);
        assert_eq!(
            s,
            "payment-retries-with-exponential-backoff-and-jitter-for-every"
        );
        assert!(s.len() <= SLUG_MAX);
        let one_word = "x".repeat(300);
        assert_eq!(slug(&one_word), "x".repeat(SLUG_MAX));
        // Multi-byte letters are never split.
        let s = slug(&"é".repeat(100));
        assert!(s.len() <= SLUG_MAX && s.chars().all(|c| c == 'é'), "{s}");
    }

    #[test]
    fn dates_are_iso() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"), "{d}");
    }

    #[test]
    fn chapter_has_the_directive_and_fillable_headings() {
        let t = Templates::built_in();
        let text = chapter_text(
            t.get("product-tdd").unwrap(),
            &[
                (Field::Title, "Say \"hi\"".into()),
                (Field::Number, "3".into()),
            ],
        );
        assert!(text.starts_with("<<#trd product-tdd\n    title=\"Say \\\"hi\\\"\"\n    number=\"3\">>\n\n## 1. Overview\n\n### 1.1 Summary\n"), "{text}");
        assert!(!text.contains("{{"), "{text}");
        assert!(!text.contains("# {{title}}"));
    }

    #[test]
    fn every_heading_with_guidance_gets_its_prompt_and_the_doc_stays_unwritten() {
        let t = Templates::built_in();
        let design = t.get("design").unwrap();
        let text = chapter_text(design, &[(Field::Title, "Retries".into())]);
        assert!(
            text.contains("\n## Problem Statement\n\n<!-- Describe the problem from the user/business perspective."),
            "{text}"
        );
        assert!(
            text.contains("## Non-Goals\n\n<!-- Explicitly out of scope for this iteration; Will be addressed in future work -->\n"),
            "{text}"
        );
        // trd-numbered's prompts were comments: they are the prompts.
        let numbered = chapter_text(t.get("trd-numbered").unwrap(), &[]);
        assert!(
            numbered.contains(
                "### 1.1 Purpose\n\n<!-- What technical problem does this document address? -->\n"
            ),
            "{numbered}"
        );
        // Prompts are not writing: the new doc is 0% written.
        let (_, analysis) = crate::analysis::expand::expand_standalone(
            crate::analysis::chapter::Chapter {
                name: "Retries",
                content: &text,
                file: None,
                path: None,
            },
            crate::render::mode::RenderMode::Plain,
        );
        let doc = analysis.doc.expect("a doc");
        assert_eq!(doc.filled_sections, 0, "{text}");
    }

    #[test]
    fn summary_gets_one_line_and_keeps_the_rest() {
        let s = "# Summary\n\n[Intro](README.md)\n\n- [A](a.md)\n    - [B](b.md)\n- [C](c.md)\n\n[Suffix](s.md)\n";
        assert_eq!(
            add_to_summary(s, "New *doc*", "designs/new.md", None).unwrap(),
            "# Summary\n\n[Intro](README.md)\n\n- [A](a.md)\n    - [B](b.md)\n- [C](c.md)\n- [New \\*doc\\*](designs/new.md)\n\n[Suffix](s.md)\n"
        );
        assert_eq!(
            add_to_summary(s, "D", "d.md", Some("a")).unwrap(),
            "# Summary\n\n[Intro](README.md)\n\n- [A](a.md)\n    - [B](b.md)\n    - [D](d.md)\n- [C](c.md)\n\n[Suffix](s.md)\n"
        );
        assert_eq!(
            add_to_summary(s, "E", "e.md", Some("C")).unwrap(),
            "# Summary\n\n[Intro](README.md)\n\n- [A](a.md)\n    - [B](b.md)\n- [C](c.md)\n    - [E](e.md)\n\n[Suffix](s.md)\n"
        );
        assert!(add_to_summary(s, "X", "x.md", Some("Nope")).is_err());
        assert_eq!(
            add_to_summary("# Summary", "X", "x.md", None).unwrap(),
            "# Summary\n\n- [X](x.md)\n"
        );
        let crlf = "# Summary\r\n\r\n- [A](a.md)\r\n";
        assert_eq!(
            add_to_summary(crlf, "B", "b.md", None).unwrap(),
            "# Summary\r\n\r\n- [A](a.md)\r\n- [B](b.md)\r\n"
        );
    }

    #[test]
    fn dirs_stay_inside() {
        assert!(safe_dir("designs/payments").is_ok());
        for (dir, plain) in [
            ("a/./b", "a/b"),
            ("./a/.", "a"),
            (".", ""),
            ("a//b/", "a/b"),
        ] {
            assert_eq!(safe_dir(dir).unwrap(), Path::new(plain), "{dir}");
        }
        assert!(safe_dir("../x").is_err());
        assert!(safe_dir("/etc").is_err());
    }
}
