//! The status badge on every design doc and in the index, and the pieces a long one wraps in.

use crate::markdown::write::text;
use crate::model::status::Color;

use super::mode::RenderMode;

/// A status badge. HTML: a pill with inline style (no stylesheet needed), its own background
/// and a text colour chosen for contrast, so it reads the same in every theme; a light rim
/// keeps it visible on the dark themes' backgrounds, and `print-color-adjust: exact` keeps its
/// colour on paper. A status the lifecycle does not know (`color` is `None`) looks unknown: a
/// pale pill with a dashed border and slanted text, never a status colour. The status text is
/// Markdown-escaped, so it is shown as typed. A status of up to [`BADGE_LINE`] characters stays
/// on one line; a longer one may wrap between its words (see [`wrappable`]). Plain:
/// `**[Status]**`, and `**[Status?]**` when it is unknown.
pub fn badge(status: &str, color: Option<Color>, mode: RenderMode) -> String {
    match mode {
        RenderMode::Html => {
            // A short status: the whole badge on one line, as it always was. A long one may
            // wrap, but only between its pieces of words.
            let (wrap, shown) = if status.chars().count() <= BADGE_LINE {
                ("nowrap", text(status))
            } else {
                let pieces = pieces(status.split_whitespace(), " ", BADGE_LINE);
                ("normal", wrappable(&pieces, " ", BADGE_LINE))
            };
            // Built with pushes, not `format!`: two badges per doc, and one per index row.
            let mut out = String::with_capacity(360 + shown.len());
            out.push_str(
                "<span class=\"trd-badge\" style=\"display:inline-block;padding:0 0.6em;\
                 border-radius:0.8em;",
            );
            match color {
                Some(color) => {
                    out.push_str("border:1px solid rgba(255,255,255,0.7);background-color:");
                    color.push_hex(&mut out);
                    out.push_str(";color:");
                    color.text_color().push_hex(&mut out);
                }
                None => {
                    out.push_str("border:1px dashed ");
                    UNKNOWN_BORDER.push_hex(&mut out);
                    out.push_str(";background-color:");
                    UNKNOWN_BACKGROUND.push_hex(&mut out);
                    out.push_str(";color:#000000;font-style:italic");
                }
            }
            out.push_str(
                ";font-size:0.85em;font-weight:600;line-height:1.6;print-color-adjust:exact;\
                 -webkit-print-color-adjust:exact;white-space:",
            );
            out.push_str(wrap);
            out.push('"');
            if color.is_none() {
                out.push_str(" title=\"unknown status: not in the lifecycle of this book\"");
            }
            out.push('>');
            out.push_str(&shown);
            out.push_str("</span>");
            out
        }
        RenderMode::Plain => {
            let mark = if color.is_none() { "?" } else { "" };
            format!("**{}**", text(&format!("[{status}{mark}]")))
        }
    }
}

/// The pale background of an unknown status's badge: light on every theme, so it never looks
/// like a status colour, and black text reads on it (19:1).
pub const UNKNOWN_BACKGROUND: Color = Color([0xff, 0xf8, 0xc5]);

/// The dashed border of an unknown status's badge: dark amber, visible on the light themes'
/// pages (4.9:1 on white) and against the pale background.
pub const UNKNOWN_BORDER: Color = Color([0x9a, 0x67, 0x00]);

/// The most characters a badge keeps on one line: every built-in status (`In Progress`,
/// `Implemented`) and short custom ones (`Awaiting Review`) stay whole. A longer one such as
/// "Awaiting Security Architecture Review", kept whole, made the default index wider than
/// mdBook's 750 px content column (review N5).
pub const BADGE_LINE: usize = 16;

/// `tokens` greedily joined by `sep` into pieces of at most `limit` characters; a longer token
/// is a piece of its own. Whole values are `tokens` joined by `sep`.
pub fn pieces<'a>(
    tokens: impl IntoIterator<Item = &'a str>,
    sep: &str,
    limit: usize,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut piece = String::new();
    for token in tokens {
        if !piece.is_empty()
            && piece.chars().count() + sep.chars().count() + token.chars().count() > limit
        {
            out.push(std::mem::take(&mut piece));
        }
        if !piece.is_empty() {
            piece.push_str(sep);
        }
        piece.push_str(token);
    }
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}

/// HTML for `pieces` that a narrow column may wrap between the pieces only, joined by `sep`
/// (a space, or `<wbr>` where the value has none): each piece stays on one line, except one
/// longer than `limit` (a word with no break point), which may break anywhere rather than
/// widen its column. Every piece is escaped by [`text`].
pub fn wrappable(pieces: &[String], sep: &str, limit: usize) -> String {
    pieces
        .iter()
        .map(|p| {
            let wrap = if p.chars().count() > limit {
                "overflow-wrap:anywhere"
            } else {
                "white-space:nowrap"
            };
            format!("<span style=\"{wrap}\">{}</span>", text(p))
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_badges_escape_the_status_and_plain_ones_have_no_html() {
        let b = badge(
            "<b>Evil</b> *x*",
            Some(Color([0x1a, 0x7f, 0x37])),
            RenderMode::Html,
        );
        assert!(b.starts_with("<span class=\"trd-badge\" style=\""), "{b}");
        assert!(b.contains("background-color:#1a7f37;color:#ffffff;"), "{b}");
        assert!(b.contains(";print-color-adjust:exact;"), "{b}");
        assert!(b.ends_with(">\\<b>Evil\\</b> \\*x\\*</span>"), "{b}");
        let p = badge("In Review", Some(Color([0, 0, 0])), RenderMode::Plain);
        assert_eq!(p, "**\\[In Review\\]**");
    }

    #[test]
    fn an_unknown_status_looks_unknown() {
        let b = badge("Sleeping", None, RenderMode::Html);
        assert!(
            b.contains("border:1px dashed #9a6700;background-color:#fff8c5;color:#000000;font-style:italic;"),
            "{b}"
        );
        assert!(b.contains(
            " title=\"unknown status: not in the lifecycle of this book\">Sleeping</span>"
        ));
        assert_eq!(
            badge("Sleeping", None, RenderMode::Plain),
            "**\\[Sleeping?\\]**"
        );
    }

    #[test]
    fn a_long_status_badge_wraps_between_words_and_a_short_one_never() {
        let short = badge("In Progress", Some(Color([0, 0, 0])), RenderMode::Html);
        assert!(
            short.contains("white-space:nowrap\">In Progress</span>"),
            "{short}"
        );
        let long = badge(
            "Awaiting Security Architecture Review",
            Some(Color([0, 0, 0])),
            RenderMode::Html,
        );
        assert!(long.contains("white-space:normal\">"), "{long}");
        let nowrap = "<span style=\"white-space:nowrap\">";
        assert!(
            long.ends_with(&format!(
                "{nowrap}Awaiting</span> {nowrap}Security</span> {nowrap}Architecture</span> \
                 {nowrap}Review</span></span>"
            )),
            "{long}"
        );
        assert_eq!(
            pieces("Needs a second look from QA".split(' '), " ", BADGE_LINE),
            ["Needs a second", "look from QA"]
        );
        // A word longer than a line may break anywhere; every piece is escaped.
        let word = badge(
            "<b>AwaitingSecurityReview</b>",
            Some(Color([0, 0, 0])),
            RenderMode::Html,
        );
        assert!(
            word.contains(
                "<span style=\"overflow-wrap:anywhere\">\\<b>AwaitingSecurityReview\\</b></span>"
            ),
            "{word}"
        );
    }
}
