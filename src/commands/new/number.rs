//! The next doc number: one more than the highest number written in any directive of the book,
//! in the style the book writes it (its prefix and zero padding).
//!
//! Numbers are compared as digit strings, never converted to a machine integer, so no number is
//! too long to count.

use std::cmp::Ordering;

use mdbook_preprocessor::book::BookItem;
use pulldown_cmark::Options;

use crate::analysis::walk::for_each_chapter;
use crate::model::directive::{self, OPEN};
use crate::model::doc::Field;

/// A doc number as written: the text before its last run of ASCII digits, and that run.
/// Anything after the digits (`12a`) is not part of the sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written<'a> {
    /// What comes before the digits, e.g. `TRD-`.
    pub prefix: &'a str,
    /// The digits, zero padding included, e.g. `012`.
    pub digits: &'a str,
}

impl<'a> Written<'a> {
    /// Splits `value` (trimmed) at its last run of ASCII digits; `None` when it holds no digit.
    ///
    /// The last run rather than the first, so that `TRD-2024-007` counts as 7 in the 2024 series.
    pub fn parse(value: &'a str) -> Option<Self> {
        let value = value.trim();
        let end = value.rfind(|c: char| c.is_ascii_digit())? + 1;
        let start = value[..end]
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .len();
        Some(Written {
            prefix: &value[..start],
            digits: &value[start..end],
        })
    }

    /// The digits without leading zeros: equal values have equal magnitudes.
    fn magnitude(&self) -> &'a str {
        self.digits.trim_start_matches('0')
    }
}

/// Orders two runs of digits by value, whatever their length.
pub fn compare_digits(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// `digits` plus one, keeping its width: `007` → `008`, `099` → `100`, `999` → `1000`.
pub fn increment(digits: &str) -> String {
    let mut out: Vec<u8> = digits.bytes().collect();
    let mut carry = true;
    for d in out.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            carry = false;
            break;
        }
    }
    if carry {
        out.insert(0, b'1');
    }
    out.into_iter().map(char::from).collect()
}

/// The number after every one of `values`: the highest plus one, with that number's prefix and
/// padding. On a tie (`TRD-012` and `12`) the one given last sets the style. `1` when no value
/// holds a digit.
pub fn next_after<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut highest: Option<Written<'a>> = None;
    for w in values.into_iter().filter_map(Written::parse) {
        if highest.is_none_or(|h| compare_digits(w.magnitude(), h.magnitude()).is_ge()) {
            highest = Some(w);
        }
    }
    highest.map_or_else(
        || "1".to_owned(),
        |h| format!("{}{}", h.prefix, increment(h.digits)),
    )
}

/// Every `number` value written in a directive of the book, in book order: from well-formed
/// directives as parsed, and from malformed ones and ones nested in containers as far as they
/// can be read (a doc with an error still holds its number, and a fixed one gets it back).
pub fn written_numbers(items: &[BookItem], options: Options) -> Vec<String> {
    let mut out = Vec::new();
    for_each_chapter(items, &mut |chapter| {
        let content = chapter.content.as_str();
        let scan = directive::scan(content, options);
        let mut found: Vec<(usize, String)> = Vec::new();
        for d in &scan.directives {
            found.extend(
                d.attributes
                    .iter()
                    .filter(|a| a.key.eq_ignore_ascii_case(Field::Number.key()))
                    .map(|a| (a.offset, a.value.clone())),
            );
        }
        let broken = scan.errors.iter().map(|e| e.offset);
        for offset in broken.chain(scan.nested.iter().map(|n| n.offset)) {
            if let Some(start) = directive_start(content, offset) {
                found.extend(lenient_numbers(content, start));
            }
        }
        found.sort_by_key(|(offset, _)| *offset);
        found.dedup();
        out.extend(found.into_iter().map(|(_, value)| value));
    });
    out
}

/// The offset of the `<<#trd` that a problem at `offset` belongs to.
fn directive_start(content: &str, offset: usize) -> Option<usize> {
    if content.get(offset..)?.starts_with(OPEN) {
        return Some(offset);
    }
    content.get(..offset)?.rfind(OPEN)
}

/// The `number=` values of the directive text at `start`, read without failing: up to its
/// `>>` or the first blank line, skipping whatever is not `key=value`.
fn lenient_numbers(content: &str, start: usize) -> Vec<(usize, String)> {
    let text = paragraph_from(content, start);
    let mut out = Vec::new();
    let mut pos = OPEN.len();
    while pos < text.len() {
        let rest = &text[pos..];
        if rest.starts_with(">>") {
            break;
        }
        let key_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let Some(after) = rest[key_len..].strip_prefix('=') else {
            pos += rest.chars().next().map_or(1, char::len_utf8).max(key_len);
            continue;
        };
        let (value, used) = lenient_value(after);
        if rest[..key_len].eq_ignore_ascii_case(Field::Number.key()) {
            out.push((start + pos, value.to_owned()));
        }
        pos += key_len + 1 + used;
    }
    out
}

/// A value at the start of `text`: quoted (to the closing quote or the end) or a bare word.
/// Returns the value and the bytes it took.
fn lenient_value(text: &str) -> (&str, usize) {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let body = &text[1..];
            let end = body.find(quote).unwrap_or(body.len());
            (&body[..end], 1 + (end + 1).min(body.len()))
        }
        _ => {
            let end = text
                .find(|c: char| c.is_whitespace() || c == '>')
                .unwrap_or(text.len());
            (&text[..end], end)
        }
    }
}

/// `content` from `start` to the first blank line (or the end).
fn paragraph_from(content: &str, start: usize) -> &str {
    let text = &content[start..];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if at > 0 && line.trim().is_empty() {
            break;
        }
        at += line.len();
    }
    &text[..at]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_prefix_and_padding() {
        assert_eq!(next_after([]), "1");
        assert_eq!(next_after(["TBD"]), "1");
        assert_eq!(next_after(["TRD-012", "TRD-003"]), "TRD-013");
        assert_eq!(next_after(["007"]), "008");
        assert_eq!(next_after(["099"]), "100");
        assert_eq!(next_after(["9a", "9"]), "10");
        assert_eq!(next_after(["TRD-2024-007"]), "TRD-2024-008");
        assert_eq!(next_after(["12", "TRD-012"]), "TRD-013");
        assert_eq!(next_after(["TRD-012", "12"]), "13");
        assert_eq!(
            next_after(["12345678901234567890123456", "5"]),
            "12345678901234567890123457"
        );
        assert_eq!(
            next_after(["99999999999999999999999999"]),
            "100000000000000000000000000"
        );
    }

    #[test]
    fn reads_numbers_from_broken_directives() {
        let text = "<<#trd tdd number=\"7\" number='9' title=\"x>>\n\nnext";
        let start = directive_start(text, 30).unwrap();
        let values: Vec<String> = lenient_numbers(text, start)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(values, ["7", "9"]);
        let text = "<<#trd tdd Number=12 bogus 'x' number=\"3";
        let values: Vec<String> = lenient_numbers(text, 0)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        assert_eq!(values, ["12", "3"]);
    }
}
