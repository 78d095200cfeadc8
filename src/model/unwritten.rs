//! The `unwritten` policy: what a page shows of the sections no author has written.

/// What a page shows of the skeleton sections no author has written (`unwritten` in
/// `[preprocessor.trd]` and in each status table). Completeness, `check` and the index are the
/// same whichever is chosen: only the page changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unwritten {
    /// The whole skeleton: headings, guidance and the template's examples.
    #[default]
    Show,
    /// The headings only: what the doc will cover.
    Outline,
    /// Nothing of them but one line naming them, under the completeness.
    Hide,
}

impl Unwritten {
    /// Every policy, in the order the README lists them.
    pub const ALL: [Unwritten; 3] = [Unwritten::Show, Unwritten::Outline, Unwritten::Hide];

    /// How `book.toml` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Unwritten::Show => "show",
            Unwritten::Outline => "outline",
            Unwritten::Hide => "hide",
        }
    }

    /// The policy named `name` (trimmed, any case).
    pub fn parse(name: &str) -> Option<Unwritten> {
        let name = name.trim();
        Unwritten::ALL
            .into_iter()
            .find(|u| u.name().eq_ignore_ascii_case(name))
    }
}
