//! The status lifecycle: which statuses exist, their aliases, colours and order.
//!
//! The default lifecycle is the union of the source templates' statuses. A book extends or
//! replaces it in `book.toml`; matching is case-insensitive on names and aliases.

use std::fmt;
use std::sync::LazyLock;

use super::unwritten::Unwritten;

/// One status of the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The name shown on badges.
    pub name: String,
    /// Other spellings that mean this status.
    pub aliases: Vec<String>,
    /// The badge's background.
    pub color: Color,
    /// The position in the lifecycle; higher is later.
    pub order: i64,
    /// Whether a doc in this status must be signed off and written (approved or later).
    pub signed_off: bool,
    /// What a doc in this status shows of its unwritten sections, when the status says.
    pub unwritten: Option<Unwritten>,
}

/// A colour written as `#rrggbb`. Only hex colours are accepted from `book.toml`, so a value
/// can never break out of the `style` attribute it is written into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color(pub [u8; 3]);

impl Color {
    /// Parses `#rgb` or `#rrggbb`.
    pub fn parse(text: &str) -> Option<Color> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        match hex.len() {
            3 => Some(Color([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17])),
            6 => {
                let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
                Some(Color([byte(0)?, byte(2)?, byte(4)?]))
            }
            _ => None,
        }
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        // The linear value of each of the 256 channel values, worked out once: every badge
        // picks its text colour from two contrasts.
        static LINEAR: LazyLock<[f64; 256]> = LazyLock::new(|| {
            std::array::from_fn(|c| {
                let c = c as f64 / 255.0;
                if c <= 0.039_28 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            })
        });
        let channel = |c: u8| LINEAR[usize::from(c)];
        let [r, g, b] = self.0;
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG contrast ratio between two colours (1 to 21).
    pub fn contrast(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// Black or white, whichever reads better on this background. One of the two always gives
    /// at least 4.58:1, so every badge passes WCAG AA whatever colour a book picks.
    pub fn text_color(self) -> Color {
        let (white, black) = (Color([255, 255, 255]), Color([0, 0, 0]));
        if self.contrast(white) >= self.contrast(black) {
            white
        } else {
            black
        }
    }
}

impl Color {
    /// Appends `#rrggbb` to `out`: what [`fmt::Display`] writes, without the formatting
    /// machinery (every badge of every doc writes two).
    pub fn push_hex(self, out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        out.push('#');
        for byte in self.0 {
            out.push(char::from(DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(DIGITS[usize::from(byte & 0xf)]));
        }
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

/// The default lifecycle: name, aliases, badge colour, and whether it is approved or later.
/// Every status has a hue of its own (slate grey for Draft, then amber, green, blue, purple,
/// teal, magenta, orange, red), dark enough for white text at 4.5:1 or more.
const DEFAULTS: [(&str, &[&str], [u8; 3], bool); 9] = [
    ("Draft", &[], [0x57, 0x60, 0x6a], false),
    ("In Review", &["Under Review"], [0x9a, 0x67, 0x00], false),
    ("Approved", &[], [0x1a, 0x7f, 0x37], true),
    ("In Progress", &[], [0x05, 0x50, 0xae], true),
    ("Implemented", &[], [0x66, 0x39, 0xba], true),
    ("Complete", &["Completed", "Done"], [0x0b, 0x6b, 0x6b], true),
    ("Superseded", &[], [0x99, 0x28, 0x6e], false),
    ("Deprecated", &[], [0x95, 0x38, 0x00], false),
    ("Rejected", &[], [0xa4, 0x0e, 0x26], false),
];

/// Colours for a book's own statuses defined without one: hues the built-ins leave free
/// (olive, indigo, brown, cyan, rose, pine), each dark enough for white text.
const CUSTOM_COLORS: [[u8; 3]; 6] = [
    // Hues 68, 98, 158, 196, 237 and 292 degrees: at least 15 from every built-in's.
    [0x6b, 0x78, 0x11],
    [0x37, 0x78, 0x11],
    [0x11, 0x78, 0x53],
    [0x16, 0x75, 0x98],
    [0x39, 0x40, 0xc6],
    [0xb3, 0x39, 0xc6],
];

/// The colour of a book's own status that names none: one of six free hues, chosen by
/// its name (any case), so it is the same in every build.
pub fn custom_color(name: &str) -> Color {
    // FNV-1a: small, stable across Rust versions (unlike `DefaultHasher`).
    let hash = name
        .trim()
        .to_lowercase()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    Color(CUSTOM_COLORS[(hash % CUSTOM_COLORS.len() as u64) as usize])
}

/// The statuses of a book, in lifecycle order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    statuses: Vec<Status>,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            statuses: DEFAULTS
                .iter()
                .enumerate()
                .map(|(i, (name, aliases, rgb, signed_off))| Status {
                    name: (*name).into(),
                    aliases: aliases.iter().map(|a| (*a).into()).collect(),
                    color: Color(*rgb),
                    order: (i as i64 + 1) * 10,
                    signed_off: *signed_off,
                    unwritten: None,
                })
                .collect(),
        }
    }
}

/// Whether two status names or aliases are the same status: trimmed, case-insensitive (in every
/// script, not only ASCII).
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    // Statuses are nearly always ASCII: compared without the two lowercased copies.
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.to_lowercase() == b.to_lowercase()
}

/// An alias that cannot mean its status, because another status claims the same word first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasClash {
    /// The alias, as written.
    pub alias: String,
    /// The status whose alias it was.
    pub status: String,
    /// The status the word means instead.
    pub taken_by: String,
    /// Whether the word is `taken_by`'s name (else it is one of its aliases).
    pub is_name: bool,
}

impl Lifecycle {
    /// A lifecycle with exactly these statuses (sorted by order, stable).
    pub fn new(mut statuses: Vec<Status>) -> Lifecycle {
        statuses.sort_by_key(|s| s.order);
        Lifecycle { statuses }
    }

    /// The statuses, in order.
    pub fn statuses(&self) -> &[Status] {
        &self.statuses
    }

    /// The status a directive's value names: by name or alias, case-insensitively.
    pub fn resolve(&self, value: &str) -> Option<&Status> {
        // `value` trimmed and looked at once, not once per name and alias (see [`same`]).
        let value = value.trim();
        let ascii = value.is_ascii();
        let same = |name: &str| {
            let name = name.trim();
            if ascii && name.is_ascii() {
                name.eq_ignore_ascii_case(value)
            } else {
                same(name, value)
            }
        };
        self.statuses.iter().find(|s| same(&s.name)).or_else(|| {
            self.statuses
                .iter()
                .find(|s| s.aliases.iter().any(|a| same(a)))
        })
    }

    /// The status with this name (not alias), case-insensitively.
    pub fn by_name(&self, name: &str) -> Option<&Status> {
        self.statuses.iter().find(|s| same(&s.name, name))
    }

    /// Adds a status or replaces the one of the same name.
    pub fn upsert(&mut self, status: Status) {
        match self
            .statuses
            .iter_mut()
            .find(|s| same(&s.name, &status.name))
        {
            Some(existing) => *existing = status,
            None => self.statuses.push(status),
        }
        self.statuses.sort_by_key(|s| s.order);
    }

    /// Removes every alias that [`Lifecycle::resolve`] could never reach, and says why: a
    /// status's name always wins over another's alias, and of two statuses with the same alias
    /// the earlier one in the lifecycle wins. An alias equal to its own status's name is dropped
    /// silently, as it changes nothing.
    pub fn remove_clashing_aliases(&mut self) -> Vec<AliasClash> {
        let mut clashes = Vec::new();
        let mut claimed: Vec<(String, usize, bool)> = self
            .statuses
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.clone(), i, true))
            .collect();
        for i in 0..self.statuses.len() {
            let aliases = std::mem::take(&mut self.statuses[i].aliases);
            let mut kept = Vec::new();
            for alias in aliases {
                match claimed.iter().find(|(word, _, _)| same(word, &alias)) {
                    Some((_, owner, _)) if *owner == i => {}
                    Some((_, owner, is_name)) => clashes.push(AliasClash {
                        alias,
                        status: self.statuses[i].name.clone(),
                        taken_by: self.statuses[*owner].name.clone(),
                        is_name: *is_name,
                    }),
                    None => {
                        claimed.push((alias.clone(), i, false));
                        kept.push(alias);
                    }
                }
            }
            self.statuses[i].aliases = kept;
        }
        clashes
    }

    /// The order a new status gets when the book does not give one: after the last.
    pub fn next_order(&self) -> i64 {
        self.statuses.last().map_or(10, |s| s.order + 10)
    }

    /// ``did you mean `x`? `` for a status no name or alias matches, when it is a likely typo
    /// of one: aliases count, as they are as good to write as names (`Complted` finds
    /// `Completed`).
    pub fn did_you_mean(&self, wrong: &str) -> String {
        let names = self.statuses.iter().map(|s| s.name.as_str());
        let aliases = self
            .statuses
            .iter()
            .flat_map(|s| s.aliases.iter().map(String::as_str));
        crate::report::suggest::did_you_mean(wrong, names.chain(aliases))
    }

    /// The names, for "known: ..." hints.
    pub fn names(&self) -> String {
        crate::report::diagnostic::list(self.statuses.iter().map(|s| s.name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_colours_only() {
        assert_eq!(Color::parse("#1a7f37"), Some(Color([0x1a, 0x7f, 0x37])));
        assert_eq!(Color::parse("#fff"), Some(Color([255, 255, 255])));
        for bad in [
            "red",
            "#12",
            "#12345g",
            "#fff;}body{x",
            "\"><script>",
            "#ffé",
            "",
        ] {
            assert_eq!(Color::parse(bad), None, "{bad}");
        }
        assert_eq!(Color([0x1a, 0x7f, 0x37]).to_string(), "#1a7f37");
        for c in [
            Color([0, 0, 0]),
            Color([0x1a, 0x7f, 0xff]),
            Color([0xab, 0x09, 0x10]),
        ] {
            let mut hex = String::new();
            c.push_hex(&mut hex);
            assert_eq!(hex, c.to_string());
        }
    }

    #[test]
    fn every_default_badge_meets_wcag_aa() {
        for s in Lifecycle::default().statuses() {
            let text = s.color.text_color();
            assert!(
                s.color.contrast(text) >= 4.5,
                "{}: {:.2}",
                s.name,
                s.color.contrast(text)
            );
        }
        for rgb in CUSTOM_COLORS {
            let c = Color(rgb);
            assert!(c.contrast(c.text_color()) >= 4.5, "{c}");
        }
    }

    #[test]
    fn every_built_in_status_has_a_hue_of_its_own() {
        // Hue in degrees; grey (Draft) has none to share.
        let hue = |Color([r, g, b]): Color| {
            let (r, g, b) = (f64::from(r), f64::from(g), f64::from(b));
            let (max, min) = (r.max(g).max(b), r.min(g).min(b));
            let d = max - min;
            let h = if d == 0.0 {
                return None;
            } else if max == r {
                ((g - b) / d).rem_euclid(6.0)
            } else if max == g {
                (b - r) / d + 2.0
            } else {
                (r - g) / d + 4.0
            };
            (d / max > 0.3).then_some(h * 60.0)
        };
        let statuses = Lifecycle::default();
        let hues: Vec<(String, f64)> = statuses
            .statuses()
            .iter()
            .filter_map(|s| hue(s.color).map(|h| (s.name.clone(), h)))
            .collect();
        assert_eq!(hues.len(), 8, "{hues:?}");
        let apart = |ha: f64, hb: f64| (ha - hb).abs().min(360.0 - (ha - hb).abs());
        for (i, (a, ha)) in hues.iter().enumerate() {
            for (b, hb) in &hues[i + 1..] {
                let apart = apart(*ha, *hb);
                assert!(apart >= 15.0, "{a} and {b}: {apart:.0} degrees apart");
            }
        }
        // A book's own statuses get hues the built-ins leave free.
        for rgb in CUSTOM_COLORS {
            let h = hue(Color(rgb)).expect("a hue");
            for (b, hb) in &hues {
                let apart = apart(h, *hb);
                assert!(
                    apart >= 15.0,
                    "{} and {b}: {apart:.0} degrees apart",
                    Color(rgb)
                );
            }
        }
        // The same name gets the same colour, whatever its case.
        assert_eq!(custom_color("Parked"), custom_color(" parked "));
    }

    #[test]
    fn any_colour_gets_readable_text() {
        for v in (0..=255u8).step_by(15) {
            for c in [
                Color([v, v, v]),
                Color([v, 255 - v, 128]),
                Color([255, v, 0]),
            ] {
                assert!(c.contrast(c.text_color()) >= 4.5, "{c}");
            }
        }
    }

    #[test]
    fn misspelt_statuses_get_a_name_or_an_alias() {
        let l = Lifecycle::default();
        assert_eq!(l.did_you_mean("Aprroved"), "did you mean `Approved`? ");
        assert_eq!(
            l.did_you_mean("under reveiw"),
            "did you mean `Under Review`? "
        );
        assert_eq!(l.did_you_mean("Sleeping"), "");
    }

    #[test]
    fn same_ignores_case_and_spaces_in_every_script() {
        assert!(same(" In Review", "in review "));
        assert!(!same("In Review", "In Reviews"));
        assert!(same("ÜBERPRÜFT", "überprüft"));
        assert!(!same("Überprüft", "Uberpruft"));
    }

    #[test]
    fn resolves_names_and_aliases_case_insensitively() {
        let l = Lifecycle::default();
        assert_eq!(l.resolve("in review").unwrap().name, "In Review");
        assert_eq!(l.resolve(" UNDER REVIEW ").unwrap().name, "In Review");
        assert!(l.resolve("Reviewing").is_none());
        assert_eq!(
            l.names(),
            "Draft, In Review, Approved, In Progress, Implemented, Complete, Superseded, Deprecated, Rejected"
        );
    }

    #[test]
    fn upsert_changes_or_adds_in_order() {
        let mut l = Lifecycle::default();
        l.upsert(Status {
            name: "Parked".into(),
            aliases: vec!["On Hold".into()],
            color: Color([0, 0, 0]),
            order: 25,
            signed_off: false,
            unwritten: None,
        });
        let names: Vec<_> = l.statuses().iter().map(|s| s.name.as_str()).collect();
        assert_eq!(&names[..4], ["Draft", "In Review", "Parked", "Approved"]);
        assert_eq!(l.resolve("on hold").unwrap().name, "Parked");
    }
}
