//! The directive parser on any text: it never panics, and what it reports is well-formed:
//! spans inside the chapter, on character boundaries, in order and not overlapping, each
//! starting with `<<#trd`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_trd::markdown::flavor::MarkdownFlavor;
use mdbook_trd::model::directive::{OPEN, scan};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let flavors = [
        MarkdownFlavor::default(),
        MarkdownFlavor {
            definition_lists: false,
            admonitions: false,
        },
    ];
    for flavor in flavors {
        let found = scan(text, flavor.options());
        let mut end = 0;
        for d in &found.directives {
            assert!(
                end <= d.span.start && d.span.start < d.span.end,
                "{:?}",
                d.span
            );
            assert!(d.span.end <= text.len());
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
            assert!(text[d.span.clone()].trim_start().starts_with(OPEN));
            assert!(d.span.contains(&d.name_offset));
            assert!(text[d.name_offset..].starts_with(&d.name));
            for a in &d.attributes {
                assert!(d.span.contains(&a.offset));
                assert!(text[a.offset..].starts_with(&a.key));
            }
            end = d.span.end;
        }
        for e in &found.errors {
            assert!(e.offset <= text.len());
        }
        for n in &found.nested {
            assert!(text[n.offset..].starts_with(OPEN));
        }
    }
});
