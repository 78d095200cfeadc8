//! Calendar dates as design docs write them: `YYYY-MM-DD` (ISO 8601's calendar date, the
//! format the templates show and the one that sorts as text in every tool).
//!
//! A small type of its own rather than a date crate: the project needs parsing, validating
//! (leap years included) and ordering, nothing about time zones or arithmetic, and a crate
//! would bring far more than that into a preprocessor that runs on every build.

use std::fmt;
use std::str::FromStr;

/// The format every date must be written in, for messages.
pub const FORMAT: &str = "YYYY-MM-DD";

/// A real day of the proleptic Gregorian calendar, years 0000 to 9999. Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    // Field order is the order of comparison: year, then month, then day.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a calendar date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not four digits, `-`, two digits, `-`, two digits. `suggestion` is the same date
    /// written in the format, when the text is one with a single-digit month or day
    /// (`2026-2-3`), so people are told what to write.
    Format {
        /// `2026-02-03` for `2026-2-3`.
        suggestion: Option<String>,
    },
    /// The month is not 01 to 12.
    Month(u8),
    /// The day does not exist in that month (`days` is how many it has).
    Day {
        /// The day written.
        day: u8,
        /// The month written.
        month: u8,
        /// The days of that month in that year.
        days: u8,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format { .. } => write!(f, "it is not written as {FORMAT}"),
            DateError::Month(m) => write!(f, "there is no month {m}"),
            DateError::Day { day, month, days } => {
                write!(f, "month {month} has {days} days, so there is no day {day}")
            }
        }
    }
}

impl std::error::Error for DateError {}

/// True in leap years of the Gregorian calendar.
pub fn is_leap_year(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// The days of `month` (1 to 12) in `year`; 0 for a month that does not exist.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The value of a run of ASCII digits of exactly `len` characters.
fn digits(text: &str, len: usize) -> Option<u16> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl Date {
    /// A date from its parts, when that day exists.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if year > 9999 {
            return Err(DateError::Format { suggestion: None });
        }
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let days = days_in_month(year, month);
        if day == 0 || day > days {
            return Err(DateError::Day { day, month, days });
        }
        Ok(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD` exactly: no spaces, no time, no other separator.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let mut parts = text.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(DateError::Format { suggestion: None });
        };
        match (digits(y, 4), digits(m, 2), digits(d, 2)) {
            // Two digits cannot exceed 99, so the casts keep the value.
            (Some(y), Some(m), Some(d)) => Date::new(y, m as u8, d as u8),
            _ => Err(DateError::Format {
                suggestion: Date::padded(y, m, d),
            }),
        }
    }

    /// `2026-02-03` for the parts of `2026-2-3`, when they make a real date.
    fn padded(y: &str, m: &str, d: &str) -> Option<String> {
        let short = |s: &str| {
            (1..=2)
                .contains(&s.len())
                .then(|| digits(s, s.len()))
                .flatten()
        };
        let date = Date::new(digits(y, 4)?, short(m)? as u8, short(d)? as u8).ok()?;
        Some(date.to_string())
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Date, DateError> {
        Date::parse(text)
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`, so a parsed date prints as it was written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn real_dates_parse_and_print_as_written() {
        for text in ["2026-01-31", "2026-12-01", "0000-01-01", "9999-12-31"] {
            assert_eq!(ok(text).to_string(), text);
        }
        let d = ok("2026-03-04");
        assert_eq!((d.year(), d.month(), d.day()), (2026, 3, 4));
    }

    #[test]
    fn leap_years_follow_the_gregorian_rules() {
        assert_eq!(ok("2024-02-29").day(), 29);
        assert_eq!(ok("2000-02-29").day(), 29);
        assert_eq!(
            Date::parse("2026-02-29"),
            Err(DateError::Day {
                day: 29,
                month: 2,
                days: 28
            })
        );
        // Divisible by 100 but not by 400: not a leap year.
        assert!(Date::parse("1900-02-29").is_err());
        assert!(Date::parse("2100-02-29").is_err());
        assert!(is_leap_year(2400) && !is_leap_year(2300));
    }

    #[test]
    fn months_and_days_that_do_not_exist() {
        assert_eq!(Date::parse("2026-13-01"), Err(DateError::Month(13)));
        assert_eq!(Date::parse("2026-00-10"), Err(DateError::Month(0)));
        assert_eq!(
            Date::parse("2026-01-45"),
            Err(DateError::Day {
                day: 45,
                month: 1,
                days: 31
            })
        );
        // The month is checked first: the issue's `2026-13-45`.
        assert_eq!(Date::parse("2026-13-45"), Err(DateError::Month(13)));
        assert!(Date::parse("2026-04-31").is_err());
        assert!(Date::parse("2026-04-00").is_err());
    }

    #[test]
    fn other_spellings_are_refused_with_the_format() {
        assert_eq!(
            Date::parse("2026-2-3"),
            Err(DateError::Format {
                suggestion: Some("2026-02-03".into())
            })
        );
        for text in [
            "",
            "2026",
            "2026-02",
            "26-02-03",
            "2026/02/03",
            "2026-02-03T10:00",
            " 2026-02-03",
            "2026-02-03-",
            "+2026-02-03",
            "2026-+2-03",
            "２０２６-02-03",
            "03.02.2026",
            "TBD",
        ] {
            assert!(
                matches!(Date::parse(text), Err(DateError::Format { .. })),
                "{text:?}"
            );
        }
        // No suggestion for a padded form that is no real day.
        assert_eq!(
            Date::parse("2026-2-30"),
            Err(DateError::Format { suggestion: None })
        );
        assert_eq!(
            DateError::Format { suggestion: None }.to_string(),
            "it is not written as YYYY-MM-DD"
        );
    }

    proptest! {
        /// Every real day round-trips, and dates order as their text does (the reason for
        /// the format).
        #[test]
        fn days_round_trip_and_order_like_text(
            a in (0u16..=9999, 1u8..=12, 1u8..=31),
            b in (0u16..=9999, 1u8..=12, 1u8..=31),
        ) {
            let a = Date::new(a.0, a.1, a.2.min(days_in_month(a.0, a.1)));
            let b = Date::new(b.0, b.1, b.2.min(days_in_month(b.0, b.1)));
            let (Ok(a), Ok(b)) = (a, b) else { panic!("clamped days exist") };
            prop_assert_eq!(Date::parse(&a.to_string()), Ok(a));
            prop_assert_eq!(a.cmp(&b), a.to_string().cmp(&b.to_string()));
        }

        /// Any text: no panic, and an accepted text is printed back as it was written.
        #[test]
        fn any_text_parses_or_is_refused(text in "\\PC{0,12}|[0-9]{1,5}-[0-9]{1,3}-[0-9]{1,3}") {
            if let Ok(d) = Date::parse(&text) {
                prop_assert_eq!(d.to_string(), text);
            }
        }
    }
}
