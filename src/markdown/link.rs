//! Links between the book's pages: the relative address of one page from another, and the
//! Markdown link to it.

use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::write::{cmark, escape_braces, link_destination, needs_no_escaping};

/// A link to a page of the book, e.g. another design doc.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The text shown: the other page's title.
    pub title: String,
    /// A relative link to its page (see [`relative_href`]).
    pub href: String,
}

/// `[title](href)`, escaped by the library. An `href` made by
/// [`relative_href`] holds no character that needs it, so the
/// common case is written directly.
pub fn link(link: &Link) -> String {
    if needs_no_escaping(&link.title) && is_plain_href(&link.href) {
        return format!("[{}]({})", link.title, link.href);
    }
    let dest = link_destination(&link.href);
    escape_braces(cmark(
        &[
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(&dest),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            }),
            Event::Text(CowStr::Borrowed(&link.title)),
            Event::End(TagEnd::Link),
        ],
        &link.title,
    ))
}

/// True for a link target of path characters only (`%` escapes included).
fn is_plain_href(href: &str) -> bool {
    !href.is_empty()
        && href
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_' | '%' | '#'))
}

/// A link from the page at `from` to the page at `to`, both relative to `src`, with `/`
/// separators; bytes other than letters, digits and `-._~` are percent-encoded, so a file name
/// with spaces or parentheses cannot end the link.
pub fn relative_href(from: &Path, to: &Path) -> String {
    let dir: Vec<Component<'_>> = from
        .parent()
        .map_or(Vec::new(), |p| p.components().collect());
    let target: Vec<Component<'_>> = to.components().collect();
    let common = dir.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".into(); dir.len() - common];
    parts.extend(
        target[common..]
            .iter()
            .map(|c| percent_encode(&c.as_os_str().to_string_lossy())),
    );
    parts.join("/")
}

fn percent_encode(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for b in part.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page a relative link written on the page at `from` (both relative to `src`) leads to,
/// `.`/`..` resolved and any `#fragment` or `?query` dropped; `None` for a web address, an
/// absolute path, a bare fragment, or a path that climbs out of `src`. A link to `x.html` is
/// given as `x.md`, the chapter mdBook renders there.
pub fn resolve(from: &Path, href: &str) -> Option<PathBuf> {
    let path = href.split(['#', '?']).next().unwrap_or_default();
    if path.is_empty() || path.starts_with('/') || href.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = from.parent().map_or(Vec::new(), |p| {
        p.components()
            .filter_map(|c| c.as_os_str().to_str())
            .collect()
    });
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut resolved: PathBuf = parts.iter().collect();
    if resolved.extension().is_some_and(|e| e == "html") {
        resolved.set_extension("md");
    }
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_links_are_written_as_the_library_writes_them(
            title in "[A-Za-z][A-Za-z0-9 ,:-]{0,20}",
            href in "[a-z0-9_.-]{1,8}(/[a-z0-9_.%-]{1,8}){0,3}(#[a-z-]{1,5})?",
        ) {
            let l = Link { title: title.clone(), href: href.clone() };
            proptest::prop_assume!(needs_no_escaping(&title));
            let library = cmark(
                &[
                    Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url: CowStr::Borrowed(&href),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }),
                    Event::Text(CowStr::Borrowed(&title)),
                    Event::End(TagEnd::Link),
                ],
                "",
            );
            proptest::prop_assert_eq!(link(&l), library);
        }
    }

    #[test]
    fn relative_hrefs() {
        let h = |a: &str, b: &str| relative_href(Path::new(a), Path::new(b));
        assert_eq!(h("a.md", "b.md"), "b.md");
        assert_eq!(h("x/a.md", "b.md"), "../b.md");
        assert_eq!(h("x/y/a.md", "x/z/b.md"), "../z/b.md");
        assert_eq!(h("a.md", "x/b c.md"), "x/b%20c.md");
        assert_eq!(h("a.md", "x/(é).md"), "x/%28%C3%A9%29.md");
    }

    #[test]
    fn relative_links_resolve_to_pages_of_the_book() {
        let r = |from: &str, href: &str| resolve(Path::new(from), href);
        assert_eq!(
            r("designs/eta.md", "../product/eta-prd.md"),
            Some(PathBuf::from("product/eta-prd.md"))
        );
        assert_eq!(
            r("designs/eta.md", "./other.html#goals"),
            Some(PathBuf::from("designs/other.md"))
        );
        assert_eq!(r("a.md", "b/c.md?x=1"), Some(PathBuf::from("b/c.md")));
        for outside in [
            "../../x.md",
            "https://x.io/a.md",
            "/abs.md",
            "#top",
            "mailto:a@b",
        ] {
            assert_eq!(r("designs/eta.md", outside), None, "{outside}");
        }
    }
}
