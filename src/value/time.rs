//! Timestamps and time intervals, in 100-nanosecond ticks as .NET counts them.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// Ticks (100 ns) in one second.
pub const TICKS_PER_SECOND: i64 = 10_000_000;

/// A point in time (UTC), with 100 ns resolution, between the years 1 and 9999
/// (the range of .NET's `DateTime`, which the service uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// A signed duration with 100 ns resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct TimeInterval(i64);

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp(0);
    /// 0001-01-01T00:00:00Z in ticks since the Unix epoch.
    pub const MIN_TICKS: i64 = -62_135_596_800 * TICKS_PER_SECOND;
    /// 9999-12-31T23:59:59.9999999Z in ticks since the Unix epoch.
    pub const MAX_TICKS: i64 = 253_402_300_800 * TICKS_PER_SECOND - 1;

    /// A timestamp from ticks since the Unix epoch, if within range.
    pub fn from_ticks(ticks: i64) -> Option<Timestamp> {
        (Self::MIN_TICKS..=Self::MAX_TICKS)
            .contains(&ticks)
            .then_some(Timestamp(ticks))
    }

    /// Ticks since the Unix epoch.
    pub fn ticks(self) -> i64 {
        self.0
    }

    /// Converts from chrono, truncating below 100 ns; `None` when out of range.
    pub fn from_datetime(dt: DateTime<Utc>) -> Option<Timestamp> {
        let ticks = dt
            .timestamp()
            .checked_mul(TICKS_PER_SECOND)?
            .checked_add(i64::from(dt.timestamp_subsec_nanos() / 100))?;
        Self::from_ticks(ticks)
    }

    /// Converts to chrono.
    pub fn to_datetime(self) -> DateTime<Utc> {
        let secs = self.0.div_euclid(TICKS_PER_SECOND);
        let nanos = (self.0.rem_euclid(TICKS_PER_SECOND) * 100) as u32;
        // In range by construction; the fallback is never taken.
        DateTime::from_timestamp(secs, nanos).unwrap_or_default()
    }

    /// Parses RFC 3339 (`2025-04-24T11:34:37.971Z`); an offset is required.
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let dt = DateTime::parse_from_rfc3339(text.trim()).ok()?;
        Self::from_datetime(dt.with_timezone(&Utc))
    }

    /// [`Timestamp::parse_rfc3339`], telling a text that is no RFC 3339 time
    /// from one that is, but outside the years 1 to 9999 ([`TIME_RANGE`]):
    /// a year of five or more digits, or a sign before it, is well formed
    /// but out of range when the text parses with a four-digit year instead.
    pub(crate) fn parse_rfc3339_checked(text: &str) -> Result<Timestamp, ParseError> {
        let text = text.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Self::from_datetime(dt.with_timezone(&Utc)).ok_or(ParseError::OutOfRange);
        }
        let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
        let year_digits = unsigned.bytes().take_while(u8::is_ascii_digit).count();
        let signed = unsigned.len() != text.len();
        let rest = unsigned.get(year_digits..).unwrap_or("");
        let long_year = (year_digits > 4 || (signed && year_digits >= 4)) && rest.starts_with('-');
        if long_year && DateTime::parse_from_rfc3339(&format!("2000{rest}")).is_ok() {
            return Err(ParseError::OutOfRange);
        }
        Err(ParseError::Malformed)
    }

    /// `self + interval`, if the result is in range.
    pub fn checked_add(self, interval: TimeInterval) -> Option<Timestamp> {
        Self::from_ticks(self.0.checked_add(interval.0)?)
    }

    /// `self - interval`, if the result is in range.
    pub fn checked_sub(self, interval: TimeInterval) -> Option<Timestamp> {
        Self::from_ticks(self.0.checked_sub(interval.0)?)
    }

    /// `self - other` (never overflows within the timestamp range).
    pub fn since(self, other: Timestamp) -> TimeInterval {
        TimeInterval(self.0.saturating_sub(other.0))
    }

    /// The value of a member (`year`, `month`, `day`, `weekday`, `hour`, `minute`, `second`).
    pub fn member(self, member: Member) -> f64 {
        let dt = self.to_datetime();
        f64::from(match member {
            Member::Year => dt.year(),
            Member::Month => dt.month() as i32,
            Member::Day => dt.day() as i32,
            Member::Weekday => dt.weekday().number_from_monday() as i32,
            Member::Hour => dt.hour() as i32,
            Member::Minute => dt.minute() as i32,
            Member::Second => dt.second() as i32,
        })
    }
}

/// The members of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Member {
    /// `year`
    Year,
    /// `month` (1-12)
    Month,
    /// `day` (1-31)
    Day,
    /// `weekday` (1 = Monday ... 7 = Sunday)
    Weekday,
    /// `hour` (0-23)
    Hour,
    /// `minute` (0-59)
    Minute,
    /// `second` (0-59)
    Second,
}

impl Member {
    /// All members with their names.
    pub const ALL: [(&'static str, Member); 7] = [
        ("year", Member::Year),
        ("month", Member::Month),
        ("day", Member::Day),
        ("weekday", Member::Weekday),
        ("hour", Member::Hour),
        ("minute", Member::Minute),
        ("second", Member::Second),
    ];

    /// The member with this exact name.
    pub fn from_name(name: &str) -> Option<Member> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|&(_, m)| m)
    }
}

/// Why a text is not a timestamp ([`Timestamp`]'s `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an RFC 3339 timestamp: {reason}")]
pub struct TimestampError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

/// `"2025-04-24T12:00:00Z".parse::<Timestamp>()`: RFC 3339 with an offset,
/// within the years 1 to 9999, with the reason when it is not.
///
/// ```
/// use batchscale::{TimeInterval, Timestamp};
///
/// let t: Timestamp = "2025-04-24T12:00:00Z".parse().unwrap();
/// let later = (t + TimeInterval::from_seconds(90)).unwrap();
/// assert_eq!(later, "2025-04-24T12:01:30Z".parse().unwrap());
/// assert_eq!((later - TimeInterval::from_seconds(90)), Some(t));
/// let e = "2025-04-24 12:00".parse::<Timestamp>().unwrap_err();
/// assert!(e.to_string().starts_with("`2025-04-24 12:00` is not an RFC 3339 timestamp: "));
/// ```
impl std::str::FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Timestamp, TimestampError> {
        let error = |reason: String| TimestampError {
            text: text.to_string(),
            reason,
        };
        let dt = DateTime::parse_from_rfc3339(text.trim()).map_err(|e| error(e.to_string()))?;
        Self::from_datetime(dt.with_timezone(&Utc))
            .ok_or_else(|| error("outside the years 1 to 9999".to_string()))
    }
}

/// `timestamp + interval`: `None` past the representable range (the years 1
/// to 9999), never a wrapped or clamped time.
impl std::ops::Add<TimeInterval> for Timestamp {
    type Output = Option<Timestamp>;

    fn add(self, interval: TimeInterval) -> Option<Timestamp> {
        self.checked_add(interval)
    }
}

/// `timestamp - interval`: `None` before the representable range.
impl std::ops::Sub<TimeInterval> for Timestamp {
    type Output = Option<Timestamp>;

    fn sub(self, interval: TimeInterval) -> Option<Timestamp> {
        self.checked_sub(interval)
    }
}

impl fmt::Display for Timestamp {
    /// ISO 8601 UTC with milliseconds, as the service prints timestamps in results.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_datetime().format("%Y-%m-%dT%H:%M:%S%.3fZ"))
    }
}

impl TimeInterval {
    /// An interval of `ticks` × 100 ns.
    pub const fn from_ticks(ticks: i64) -> TimeInterval {
        TimeInterval(ticks)
    }

    /// An interval of whole seconds.
    pub const fn from_seconds(seconds: i64) -> TimeInterval {
        TimeInterval(seconds * TICKS_PER_SECOND)
    }

    /// The length in ticks.
    pub fn ticks(self) -> i64 {
        self.0
    }

    /// The length in seconds.
    pub fn as_seconds_f64(self) -> f64 {
        self.0 as f64 / TICKS_PER_SECOND as f64
    }

    /// An interval from a tick count computed in floating point, rounded to the
    /// nearest tick; `None` when not finite or out of range.
    pub fn from_ticks_f64(ticks: f64) -> Option<TimeInterval> {
        // 2^63 is exactly representable; anything at or past it does not fit.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        let rounded = ticks.round();
        (rounded.is_finite() && rounded > -LIMIT && rounded < LIMIT)
            .then_some(TimeInterval(rounded as i64))
    }

    /// `self + other`, if it fits.
    pub fn checked_add(self, other: TimeInterval) -> Option<TimeInterval> {
        self.0.checked_add(other.0).map(TimeInterval)
    }

    /// `self - other`, if it fits.
    pub fn checked_sub(self, other: TimeInterval) -> Option<TimeInterval> {
        self.0.checked_sub(other.0).map(TimeInterval)
    }

    /// `-self`, if it fits.
    pub fn checked_neg(self) -> Option<TimeInterval> {
        self.0.checked_neg().map(TimeInterval)
    }

    /// The absolute length.
    pub fn abs(self) -> TimeInterval {
        TimeInterval(self.0.saturating_abs())
    }

    /// Parses an ISO 8601 duration (`PT30S`, `PT15M`, `P1DT2H`, `PT0.5S`);
    /// also accepts .NET's `[d.]hh:mm:ss[.fffffff]` as older CLIs print it.
    pub fn parse_iso8601(text: &str) -> Option<TimeInterval> {
        Self::parse_iso8601_checked(text).ok()
    }

    /// [`TimeInterval::parse_iso8601`], telling a text that is no duration
    /// from one that is well formed but longer than 100 ns ticks can hold
    /// ([`DURATION_RANGE`]).
    pub(crate) fn parse_iso8601_checked(text: &str) -> Result<TimeInterval, ParseError> {
        use ParseError::Malformed;
        let text = text.trim();
        if text.contains(':') {
            return Self::parse_clock(text);
        }
        let (negative, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let rest = rest.strip_prefix('P').ok_or(Malformed)?;
        let (date, time) = match rest.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (rest, None),
        };
        let mut ticks: f64 = 0.0;
        let mut any = false;
        for (part, units) in [
            (date, &[('W', 604_800.0), ('D', 86_400.0)][..]),
            (
                time.unwrap_or(""),
                &[('H', 3600.0), ('M', 60.0), ('S', 1.0)][..],
            ),
        ] {
            let mut rest = part;
            let mut last_unit = 0usize;
            while !rest.is_empty() {
                let end = rest
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .ok_or(Malformed)?;
                let number: f64 = rest
                    .get(..end)
                    .and_then(|n| n.parse().ok())
                    .ok_or(Malformed)?;
                let unit = rest.get(end..).and_then(|u| u.chars().next());
                let index = units
                    .iter()
                    .position(|(u, _)| Some(*u) == unit)
                    .ok_or(Malformed)?;
                if index < last_unit {
                    return Err(Malformed);
                }
                last_unit = index + 1;
                let seconds = units.get(index).map_or(0.0, |u| u.1);
                ticks += number * seconds * TICKS_PER_SECOND as f64;
                rest = rest.get(end + 1..).ok_or(Malformed)?;
                any = true;
            }
        }
        if time == Some("") || !any {
            return Err(Malformed);
        }
        // Well formed from here: a value that does not fit is out of range
        // (a run of digits too long for f64 parses as infinity and lands here).
        let interval = Self::from_ticks_f64(ticks).ok_or(ParseError::OutOfRange)?;
        if negative {
            interval.checked_neg().ok_or(ParseError::OutOfRange)
        } else {
            Ok(interval)
        }
    }

    fn parse_clock(text: &str) -> Result<TimeInterval, ParseError> {
        use ParseError::{Malformed, OutOfRange};
        // A run of digits too long for i64 is a number, just too large.
        let whole = |digits: &str| {
            digits.parse::<i64>().map_err(|e| match e.kind() {
                std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                    OutOfRange
                }
                _ => Malformed,
            })
        };
        let (negative, text) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let mut parts = text.split(':');
        let (Some(h), Some(m), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Malformed);
        };
        let (days, hours) = match h.split_once('.') {
            Some((d, h)) => (whole(d)?, whole(h)?),
            None => (0, whole(h)?),
        };
        let minutes = whole(m)?;
        let seconds: f64 = s.parse().map_err(|_| Malformed)?;
        let bad_hours = hours < 0 || (days != 0 && hours >= 24);
        if bad_hours || days < 0 || !(0..60).contains(&minutes) || !(0.0..60.0).contains(&seconds) {
            return Err(Malformed);
        }
        // Hours have no upper bound when there is no day part, so a long run of
        // digits must fail here rather than wrap.
        let whole = days
            .checked_mul(24)
            .and_then(|t| t.checked_add(hours))
            .and_then(|t| t.checked_mul(60))
            .and_then(|t| t.checked_add(minutes))
            .and_then(|t| t.checked_mul(60))
            .ok_or(OutOfRange)?;
        let ticks = whole as f64 * TICKS_PER_SECOND as f64 + seconds * TICKS_PER_SECOND as f64;
        let interval = Self::from_ticks_f64(ticks).ok_or(OutOfRange)?;
        if negative {
            interval.checked_neg().ok_or(OutOfRange)
        } else {
            Ok(interval)
        }
    }
}

/// Why a text is not a duration or a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// Not written as one (`5 minutes`, `yesterday`).
    Malformed,
    /// Well formed, but past what can be represented: [`DURATION_RANGE`] or
    /// [`TIME_RANGE`].
    OutOfRange,
}

/// The message for an input's duration `text` that did not parse: that it is
/// out of range (with the range) when it is written as a duration, otherwise
/// the caller's `malformed` message.
pub(crate) fn duration_error(text: &str, malformed: impl FnOnce() -> String) -> String {
    match TimeInterval::parse_iso8601_checked(text) {
        Err(ParseError::OutOfRange) => {
            format!("`{}` is out of range: {DURATION_RANGE}", text.trim())
        }
        _ => malformed(),
    }
}

/// The message for an input's time `text` that did not parse: that it is out
/// of range (with the range) when it is written as an RFC 3339 time,
/// otherwise the caller's `malformed` message.
pub(crate) fn time_error(text: &str, malformed: impl FnOnce() -> String) -> String {
    match Timestamp::parse_rfc3339_checked(text) {
        Err(ParseError::OutOfRange) => format!("`{}` is out of range: {TIME_RANGE}", text.trim()),
        _ => malformed(),
    }
}

/// The durations 100 ns ticks in an `i64` hold, as .NET's `TimeSpan` does.
pub(crate) const DURATION_RANGE: &str =
    "a duration is at most 10675199.02:48:05.4775807 (about 29,227 years) either way";

/// The times a [`Timestamp`] holds, as .NET's `DateTime` does.
pub(crate) const TIME_RANGE: &str =
    "times run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z";

impl fmt::Display for TimeInterval {
    /// .NET's `TimeSpan` constant format: `[-][d.]hh:mm:ss[.fffffff]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ticks = self.0.unsigned_abs();
        let per_sec = TICKS_PER_SECOND as u64;
        let fraction = ticks % per_sec;
        let total_secs = ticks / per_sec;
        let (days, secs_of_day) = (total_secs / 86_400, total_secs % 86_400);
        if self.0 < 0 {
            f.write_str("-")?;
        }
        if days > 0 {
            write!(f, "{days}.")?;
        }
        write!(
            f,
            "{:02}:{:02}:{:02}",
            secs_of_day / 3600,
            secs_of_day / 60 % 60,
            secs_of_day % 60
        )?;
        if fraction > 0 {
            write!(f, ".{fraction:07}")?;
        }
        Ok(())
    }
}

/// Parses the argument of `time(string)`: W3C-DTF (`2024-05-07T09:15:42.123456Z`,
/// `2024-05-07`, ...; at most 7 fractional digits, as .NET reads) or RFC 1123
/// (`Tue, 14 Jan 2025 18:30:00 GMT`). A W3C-DTF time without an offset is UTC.
pub fn parse_time_string(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.contains(',') {
        parse_rfc1123(text)
    } else {
        parse_w3c_dtf(text)
    }
}

fn digits(text: &str, n: usize) -> Option<u32> {
    (text.len() == n && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn parse_w3c_dtf(text: &str) -> Option<Timestamp> {
    let (date, time) = match text.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year = digits(parts.next()?, 4)?;
    let month = parts.next().map(|m| digits(m, 2)).unwrap_or(Some(1))?;
    let day = parts.next().map(|d| digits(d, 2)).unwrap_or(Some(1))?;
    if parts.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let Some(time) = time else {
        return Timestamp::from_datetime(date.and_time(NaiveTime::MIN).and_utc());
    };
    let (clock, offset_secs) = split_offset(time)?;
    let mut hms = clock.split(':');
    let hour = digits(hms.next()?, 2)?;
    let minute = digits(hms.next()?, 2)?;
    let (second, nanos) = match hms.next() {
        Some(s) => {
            let (whole, frac) = match s.split_once('.') {
                Some((w, f)) => (w, Some(f)),
                None => (s, None),
            };
            let second = digits(whole, 2)?;
            let nanos = match frac {
                Some(f)
                    if !f.is_empty() && f.len() <= 7 && f.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    format!("{f:0<9}").parse::<u32>().ok()?
                }
                Some(_) => return None,
                None => 0,
            };
            (second, nanos)
        }
        None => (0, 0),
    };
    if hms.next().is_some() {
        return None;
    }
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let local = NaiveDateTime::new(date, time).and_utc();
    let utc = local.checked_sub_signed(chrono::TimeDelta::seconds(offset_secs))?;
    Timestamp::from_datetime(utc)
}

/// Splits `hh:mm[:ss[.f]](Z|±hh:mm)?` into the clock part and the offset in seconds.
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    if let Some(pos) = time.rfind(['+', '-']) {
        let (clock, offset) = time.split_at(pos);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (h, m) = offset.get(1..)?.split_once(':')?;
        let (h, m) = (digits(h, 2)?, digits(m, 2)?);
        if h > 23 || m > 59 {
            return None;
        }
        return Some((clock, sign * i64::from(h * 3600 + m * 60)));
    }
    Some((time, 0))
}

fn parse_rfc1123(text: &str) -> Option<Timestamp> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (weekday, rest) = text.split_once(',')?;
    let weekday = DAYS
        .iter()
        .position(|d| d.eq_ignore_ascii_case(weekday.trim()))?;
    let mut fields = rest.split_whitespace();
    let day: u32 = fields.next()?.parse().ok()?;
    let month = fields.next()?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let year = digits(fields.next()?, 4)?;
    let mut hms = fields.next()?.split(':');
    let hour = digits(hms.next()?, 2)?;
    let minute = digits(hms.next()?, 2)?;
    let second = digits(hms.next()?, 2)?;
    let zone = fields.next()?;
    if hms.next().is_some() || fields.next().is_some() || !["GMT", "UTC", "Z"].contains(&zone) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    // .NET refuses a day name that does not match the date.
    if date.weekday().num_days_from_monday() as usize != weekday {
        return None;
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second)?;
    Timestamp::from_datetime(NaiveDateTime::new(date, time).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(text: &str) -> Option<String> {
        parse_time_string(text).map(|t| t.to_datetime().to_rfc3339())
    }

    #[test]
    fn w3c_dtf_forms() {
        assert_eq!(ts("2024-05-07"), Some("2024-05-07T00:00:00+00:00".into()));
        assert_eq!(ts("2024-05"), Some("2024-05-01T00:00:00+00:00".into()));
        assert_eq!(
            ts("2024-05-07T09:15:42.123456Z"),
            Some("2024-05-07T09:15:42.123456+00:00".into())
        );
        assert_eq!(
            ts("2024-05-07T09:15+02:00"),
            Some("2024-05-07T07:15:00+00:00".into())
        );
        assert_eq!(
            ts("2024-05-07T09:15:42.1234567Z"),
            Some("2024-05-07T09:15:42.123456700+00:00".into())
        );
    }

    #[test]
    fn more_than_seven_fraction_digits_fail_as_on_the_service() {
        assert_eq!(ts("2024-05-07T09:15:42.123456789Z"), None);
    }

    #[test]
    fn rfc1123_checks_the_day_name() {
        assert_eq!(
            ts("Thu, 13 Oct 2016 19:18:47 GMT"),
            Some("2016-10-13T19:18:47+00:00".into())
        );
        assert_eq!(ts("Fri, 13 Oct 2016 19:18:47 GMT"), None);
    }

    #[test]
    fn invalid_dates_fail() {
        assert_eq!(ts("2023-02-29"), None);
        assert_eq!(ts("yesterday"), None);
        assert_eq!(ts(""), None);
    }

    #[test]
    fn intervals_print_like_dotnet_timespan() {
        assert_eq!(TimeInterval::from_seconds(900).to_string(), "00:15:00");
        assert_eq!(
            TimeInterval::from_seconds(-90_061).to_string(),
            "-1.01:01:01"
        );
        assert_eq!(TimeInterval::from_ticks(1).to_string(), "00:00:00.0000001");
    }

    #[test]
    fn iso_durations() {
        let p = |s| TimeInterval::parse_iso8601(s).map(|t| t.ticks() / TICKS_PER_SECOND);
        assert_eq!(p("PT30S"), Some(30));
        assert_eq!(p("PT15M"), Some(900));
        assert_eq!(p("P1DT1H"), Some(90_000));
        assert_eq!(p("PT168H"), Some(604_800));
        assert_eq!(p("0:15:00"), Some(900));
        assert_eq!(p("PT"), None);
        assert_eq!(p("15M"), None);
        assert_eq!(p("PT1S1M"), None);
        assert_eq!(p("1.02:03:04.5"), Some(93_784));
        // 10^17 hours is ~3.6e23 seconds: past i64, so no interval, not a wrap.
        assert_eq!(p("100000000000000000:00:00"), None);
        assert_eq!(p("-555555555555555553:5:.5"), None);
    }

    #[test]
    fn durations_past_the_tick_range_are_out_of_range_not_malformed() {
        let p = TimeInterval::parse_iso8601_checked;
        // 2^63 ticks of 100 ns = 922,337,203,685.48 s = 10,675,199.1 days, so
        // 10,675,200 days does not fit and 10,675,199 does.
        assert_eq!(p("P10675200D"), Err(ParseError::OutOfRange));
        assert_eq!(
            p("P10675199D").map(|t| t.ticks()),
            Ok(10_675_199 * 86_400 * TICKS_PER_SECOND)
        );
        assert_eq!(p("-P10675200D"), Err(ParseError::OutOfRange));
        // 1,525,029 weeks = 10,675,203 days; 2.6e11 hours = 1.08e10 days.
        assert_eq!(p("P1525029W"), Err(ParseError::OutOfRange));
        assert_eq!(p("PT260000000000H"), Err(ParseError::OutOfRange));
        // 400 digits: infinity as f64, still a number.
        assert_eq!(
            p(&format!("PT{}S", "9".repeat(400))),
            Err(ParseError::OutOfRange)
        );
        // The clock form: an i64 overflow in the digits or in the arithmetic.
        assert_eq!(
            p("100000000000000000000:00:00"),
            Err(ParseError::OutOfRange)
        );
        assert_eq!(p("100000000000000000:00:00"), Err(ParseError::OutOfRange));
        assert_eq!(p("-555555555555555553:5:.5"), Err(ParseError::OutOfRange));
        // Malformed stays malformed, however long.
        assert_eq!(p("5 minutes"), Err(ParseError::Malformed));
        assert_eq!(p("PT1S1M"), Err(ParseError::Malformed));
        assert_eq!(p("P99999999999999999999X"), Err(ParseError::Malformed));
        assert_eq!(p("0:60:00"), Err(ParseError::Malformed));
        assert_eq!(p("1x:00:00"), Err(ParseError::Malformed));
    }

    #[test]
    fn times_outside_the_years_1_to_9999_are_out_of_range_not_malformed() {
        let p = |s| Timestamp::parse_rfc3339_checked(s).map(|t| t.to_string());
        assert_eq!(
            p("9999-12-31T23:59:59Z"),
            Ok("9999-12-31T23:59:59.000Z".to_string())
        );
        // 23:30 at -01:00 is 00:30 UTC on 10000-01-01.
        assert_eq!(p("9999-12-31T23:30:00-01:00"), Err(ParseError::OutOfRange));
        assert_eq!(p("0000-12-31T00:00:00Z"), Err(ParseError::OutOfRange));
        assert_eq!(p("10000-01-01T00:00:00Z"), Err(ParseError::OutOfRange));
        assert_eq!(p("-0001-01-01T00:00:00Z"), Err(ParseError::OutOfRange));
        assert_eq!(p("+12025-04-24T12:00:00Z"), Err(ParseError::OutOfRange));
        // Not RFC 3339 at all, whatever the year.
        assert_eq!(p("yesterday"), Err(ParseError::Malformed));
        assert_eq!(p("2025-04-24T12:00:00"), Err(ParseError::Malformed));
        assert_eq!(p("10000-13-01T00:00:00Z"), Err(ParseError::Malformed));
        assert_eq!(p("12345"), Err(ParseError::Malformed));
    }

    #[test]
    fn members_use_iso_weekdays() {
        let t = parse_time_string("2016-10-16T19:18:47Z");
        assert_eq!(t.map(|t| t.member(Member::Weekday)), Some(7.0));
    }
}
