//! The two kinds of output: HTML for mdBook's `html` renderer, plain text for every other.

/// How the output will be shown: decides between HTML and plain text for badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderMode {
    /// mdBook's `html` renderer.
    Html,
    /// Any other renderer (markdown, pdf, epub, ...): no HTML at all.
    Plain,
}

impl RenderMode {
    /// The mode for a renderer name as mdBook sends it.
    pub fn for_renderer(renderer: &str) -> RenderMode {
        if renderer == "html" {
            RenderMode::Html
        } else {
            RenderMode::Plain
        }
    }
}
