//! The time the API reads for the partner account's rules (codes, temporary
//! passwords, sessions, sign-in throttling): one clock, given to the server
//! at start, so tests move time instead of sleeping. Times are whole
//! seconds since the Unix epoch, stored as integers.

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub trait Clock: Send + Sync + Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> u64;
}

/// The machine's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_secs())
    }
}

/// A clock that stands still until a test moves it. Clones share the time.
#[derive(Clone, Debug)]
pub struct TestClock(Arc<AtomicU64>);

impl TestClock {
    /// Starting at the machine's time (TOTP codes made from it are real).
    pub fn new() -> Self {
        Self(Arc::new(AtomicU64::new(SystemClock.now())))
    }

    pub fn advance(&self, seconds: u64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

impl Default for TestClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for TestClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The clock a server holds.
pub type SharedClock = Arc<dyn Clock>;

pub fn system() -> SharedClock {
    Arc::new(SystemClock)
}

/// The UTC time `secs` seconds after the epoch as the API writes times in
/// its answers (`2026-12-07T10:14:06Z`). Written here rather than by the
/// database, so every stored time comes from the one clock.
pub fn iso(secs: u64) -> String {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Seconds since the epoch of a time written by `iso` (None for any other
/// text).
pub fn from_iso(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let shape_ok = b.len() == 20
        && [4, 7].iter().all(|&i| b[i] == b'-')
        && b[10] == b'T'
        && [13, 16].iter().all(|&i| b[i] == b':')
        && b[19] == b'Z';
    if !shape_ok {
        return None;
    }
    let number = |from: usize, to: usize| text.get(from..to)?.parse::<u64>().ok();
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if year < 1970 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    (civil_from_days(days) == (year, month, day))
        .then_some(days * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar
/// (years from 1970). Counted in 400-year eras starting in March, so the
/// leap day is the era's year's last day (the well-known civil-date
/// arithmetic, as in Howard Hinnant's "chrono-compatible low-level date
/// algorithms").
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year % 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days from 0000-03-01 to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The date (year, month, day) `days` after 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let days = days + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_utc_iso_8601() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        // Checked against `date -u -d @…`.
        assert_eq!(iso(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso(1_796_638_446), "2026-12-07T10:14:06Z");
        assert_eq!(iso(4_107_542_399), "2100-02-28T23:59:59Z");
    }

    #[test]
    fn written_times_read_back() {
        for secs in [0, 59, 86_399, 951_782_400, 1_796_638_446, 4_107_542_399] {
            assert_eq!(from_iso(&iso(secs)), Some(secs), "{}", iso(secs));
        }
        for step in (0..4_000_000_000u64).step_by(7_777_777) {
            assert_eq!(from_iso(&iso(step)), Some(step));
        }
    }

    #[test]
    fn other_text_is_not_a_time() {
        for text in [
            "",
            "2026-12-07",
            "2026-12-07 10:14:06Z",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-12-07T24:00:00Z",
            "1969-12-31T23:59:59Z",
            "2026-12-07T10:14:06+01:00",
        ] {
            assert_eq!(from_iso(text), None, "{text}");
        }
    }
}
