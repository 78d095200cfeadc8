//! The Markdown extensions mdBook turns on, which decide what counts as a paragraph, a table or
//! a heading attribute: every parse in the crate uses the same options mdBook renders with.

use pulldown_cmark::Options;

/// The Markdown extensions mdBook turns on, which decide what counts as a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownFlavor {
    /// `output.html.definition-lists` (mdBook 0.5; on by default there).
    pub definition_lists: bool,
    /// `output.html.admonitions`, GitHub-style `> [!NOTE]` blocks (mdBook 0.5; on by default).
    pub admonitions: bool,
}

impl Default for MarkdownFlavor {
    /// mdBook 0.5's defaults.
    fn default() -> Self {
        MarkdownFlavor {
            definition_lists: true,
            admonitions: true,
        }
    }
}

impl MarkdownFlavor {
    /// The pulldown-cmark options mdBook parses with.
    pub fn options(self) -> Options {
        let mut opts = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_HEADING_ATTRIBUTES;
        if self.definition_lists {
            opts |= Options::ENABLE_DEFINITION_LIST;
        }
        if self.admonitions {
            opts |= Options::ENABLE_GFM;
        }
        opts
    }
}
