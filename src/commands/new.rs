//! `mdbook-trd new`: write a new design doc chapter and add it to `SUMMARY.md`.

use std::path::{Component, Path, PathBuf};

use crate::doc::{DesignDoc, Field};
use crate::render;
use crate::template::{Segment, Template};

/// A file name from a title: lowercase letters and digits, words joined by `-`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "design-doc".into()
    } else {
        out
    }
}

/// One more than the highest numeric doc number in the book (1 for the first).
pub fn next_number(docs: &[DesignDoc]) -> u64 {
    docs.iter()
        .filter_map(|d| d.metadata.get(Field::Number)?.trim().parse::<u64>().ok())
        .max()
        .map_or(1, |n| n + 1)
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
        }
    }
    out
}

/// True for a `SUMMARY.md` line that is a list item, with its indent and bullet.
fn list_item(line: &str) -> Option<(usize, char)> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start();
    let bullet = rest.chars().next()?;
    (matches!(bullet, '-' | '*' | '+') && rest[1..].starts_with(' ')).then_some((indent, bullet))
}

/// The link text of a list item line, `[Text](...)`.
fn link_text(line: &str) -> Option<&str> {
    let start = line.find('[')? + 1;
    let end = start + line[start..].find("](")?;
    Some(&line[start..end])
}

/// `summary` with a list item for `title` → `link` added: at the end of the chapter list, or as
/// the last child of the chapter named `parent`. Every other byte stays as it was.
pub fn add_to_summary(
    summary: &str,
    title: &str,
    link: &str,
    parent: Option<&str>,
) -> Result<String, String> {
    let newline = if summary.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = summary.split_inclusive('\n').collect();
    let entry = |indent: usize, bullet: char| {
        format!(
            "{}{bullet} [{}]({link}){newline}",
            " ".repeat(indent),
            render::text(title)
        )
    };
    let (at, line) = match parent {
        Some(parent) => {
            let p = lines
                .iter()
                .position(|l| {
                    list_item(l).is_some()
                        && link_text(l).is_some_and(|t| t.eq_ignore_ascii_case(parent.trim()))
                })
                .ok_or_else(|| format!("no chapter named {parent:?} in SUMMARY.md"))?;
            let (indent, bullet) = list_item(lines[p]).unwrap_or((0, '-'));
            let mut last = p;
            let mut child_indent = indent + 4;
            for (i, l) in lines.iter().enumerate().skip(p + 1) {
                if l.trim().is_empty() {
                    continue;
                }
                match list_item(l) {
                    Some((n, _)) if n > indent => {
                        if last == p {
                            child_indent = n;
                        }
                        last = i;
                    }
                    _ => break,
                }
            }
            (last + 1, entry(child_indent, bullet))
        }
        None => match lines.iter().rposition(|l| list_item(l).is_some()) {
            Some(last) => {
                let (indent, bullet) = lines.iter().find_map(|l| list_item(l)).unwrap_or((0, '-'));
                (last + 1, entry(indent, bullet))
            }
            None => (lines.len(), entry(0, '-')),
        },
    };
    let mut out = String::with_capacity(summary.len() + line.len() + 1);
    for l in &lines[..at] {
        out.push_str(l);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(newline);
    }
    out.push_str(&line);
    for l in &lines[at..] {
        out.push_str(l);
    }
    Ok(out)
}

/// A sub-folder of `src` given by the user: relative, without `..`.
pub fn safe_dir(dir: &str) -> Result<PathBuf, String> {
    let path = Path::new(dir);
    if path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        Ok(path.to_path_buf())
    } else {
        Err(format!(
            "--dir {dir:?} must be a folder inside the book's src"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Templates;

    #[test]
    fn slugs() {
        assert_eq!(slug("Payment retries: v2!"), "payment-retries-v2");
        assert_eq!(slug("  Über Café  "), "über-café");
        assert_eq!(slug("???"), "design-doc");
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
            "# Summary\n- [X](x.md)\n"
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
        assert!(safe_dir("../x").is_err());
        assert!(safe_dir("/etc").is_err());
    }
}
