//! Recurring events: RRULE validation and expansion into occurrences, with
//! the `rrule` crate. A series repeats at the same wall-clock time in its
//! own timezone, so a 09:00 weekly meeting in São Paulo stays at 09:00
//! across daylight-saving changes.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rrule::{RRule, RRuleSet, Tz, Unvalidated};

/// Occurrences one series may yield in one range (a minutely rule over a
/// month would otherwise be a denial of service).
pub const MAX_PER_RANGE: usize = 2_000;

pub fn timezone(name: &str) -> Option<chrono_tz::Tz> {
    name.parse::<chrono_tz::Tz>().ok()
}

/// The rule clients send, without a `RRULE:` prefix or `DTSTART`.
pub fn clean(rule: &str) -> String {
    let rule = rule.trim();
    let rule = rule
        .strip_prefix("RRULE:")
        .or_else(|| rule.strip_prefix("rrule:"))
        .unwrap_or(rule);
    rule.to_ascii_uppercase()
}

fn series(rule: &str, start: DateTime<Utc>, tz: chrono_tz::Tz) -> Result<RRuleSet, String> {
    if rule.contains('\n') || rule.contains("DTSTART") {
        return Err("must be one RRULE value, e.g. FREQ=WEEKLY;BYDAY=MO".into());
    }
    let parsed: RRule<Unvalidated> = rule.parse().map_err(|e| format!("{e}"))?;
    let start = start.with_timezone(&Tz::Tz(tz));
    parsed.build(start).map_err(|e| format!("{e}"))
}

/// Checks `rule` against its first start; `Ok` with when the last
/// occurrence ends (`None`: never).
pub fn validate(
    rule: &str,
    start: DateTime<Utc>,
    length: Duration,
    tz: chrono_tz::Tz,
) -> Result<Option<DateTime<Utc>>, String> {
    let set = series(rule, start, tz)?;
    let Some(first) = set.get_rrule().first() else {
        return Err("has no rule".into());
    };
    if first.get_count().is_none() && first.get_until().is_none() {
        return Ok(None);
    }
    // Bounded: walk to the end (COUNT is capped by the crate's own limits).
    let mut last = None;
    for (n, at) in (&set).into_iter().enumerate() {
        if n > 100_000 {
            return Ok(None);
        }
        last = Some(at.with_timezone(&Utc));
    }
    Ok(Some(last.unwrap_or(start) + length))
}

/// The starts of the occurrences of a series that overlap `[from, to)`,
/// skipping `exdates`; at most [`MAX_PER_RANGE`].
pub fn starts_between(
    rule: &str,
    start: DateTime<Utc>,
    length: Duration,
    tz: chrono_tz::Tz,
    exdates: &[DateTime<Utc>],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<DateTime<Utc>> {
    let Ok(set) = series(rule, start, tz) else {
        return vec![start];
    };
    let mut out = Vec::new();
    for at in &set {
        let at = at.with_timezone(&Utc);
        if at >= to || out.len() >= MAX_PER_RANGE {
            break;
        }
        if at + length <= from && !(length.is_zero() && at == from) {
            continue;
        }
        if !exdates.contains(&at) {
            out.push(at);
        }
    }
    out
}

/// The first occurrence starting at or after `after`, if any.
pub fn next_start(
    rule: &str,
    start: DateTime<Utc>,
    tz: chrono_tz::Tz,
    exdates: &[DateTime<Utc>],
    after: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let set = series(rule, start, tz).ok()?;
    (&set)
        .into_iter()
        .map(|at| at.with_timezone(&Utc))
        .find(|at| *at >= after && !exdates.contains(at))
}

/// Whether `at` is an occurrence of the series.
pub fn has_start(rule: &str, start: DateTime<Utc>, tz: chrono_tz::Tz, at: DateTime<Utc>) -> bool {
    let Ok(set) = series(rule, start, tz) else {
        return false;
    };
    (&set)
        .into_iter()
        .map(|t| t.with_timezone(&Utc))
        .take_while(|t| *t <= at)
        .any(|t| t == at)
}

/// `rule` ending before `at` (for "this and following" edits): its COUNT
/// or UNTIL replaced by an UNTIL just before `at`.
pub fn ending_before(rule: &str, at: DateTime<Utc>) -> String {
    let until = (at - Duration::seconds(1)).format("%Y%m%dT%H%M%SZ");
    let mut parts: Vec<String> = rule
        .split(';')
        .filter(|p| {
            let key = p.split('=').next().unwrap_or("");
            !key.eq_ignore_ascii_case("COUNT") && !key.eq_ignore_ascii_case("UNTIL")
        })
        .map(str::to_string)
        .collect();
    parts.push(format!("UNTIL={until}"));
    parts.join(";")
}

/// Midnight UTC of the day `at` falls on.
pub fn day_start(at: DateTime<Utc>) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn a_weekly_meeting_keeps_its_local_time_across_dst() {
        let tz = timezone("America/New_York").unwrap_or(chrono_tz::UTC);
        // 09:00 EST on a Monday, every week.
        let starts = starts_between(
            "FREQ=WEEKLY;BYDAY=MO",
            at("2026-02-23T14:00:00Z"),
            Duration::hours(1),
            tz,
            &[],
            at("2026-02-22T00:00:00Z"),
            at("2026-03-17T00:00:00Z"),
        );
        // DST starts on 8 March: 09:00 EDT is 13:00 UTC.
        assert_eq!(
            starts,
            vec![
                at("2026-02-23T14:00:00Z"),
                at("2026-03-02T14:00:00Z"),
                at("2026-03-09T13:00:00Z"),
                at("2026-03-16T13:00:00Z"),
            ]
        );
    }

    #[test]
    fn exdates_and_ranges_leave_out_occurrences() {
        let starts = starts_between(
            "FREQ=DAILY;COUNT=5",
            at("2026-01-01T10:00:00Z"),
            Duration::minutes(30),
            chrono_tz::UTC,
            &[at("2026-01-03T10:00:00Z")],
            at("2026-01-02T10:15:00Z"),
            at("2026-01-05T10:00:00Z"),
        );
        assert_eq!(
            starts,
            vec![at("2026-01-02T10:00:00Z"), at("2026-01-04T10:00:00Z")]
        );
    }

    #[test]
    fn a_bounded_series_knows_its_end_and_an_open_one_does_not() {
        let end = validate(
            "FREQ=DAILY;COUNT=3",
            at("2026-01-01T10:00:00Z"),
            Duration::hours(1),
            chrono_tz::UTC,
        );
        assert_eq!(end, Ok(Some(at("2026-01-03T11:00:00Z"))));
        let open = validate(
            "FREQ=WEEKLY",
            at("2026-01-01T10:00:00Z"),
            Duration::hours(1),
            chrono_tz::UTC,
        );
        assert_eq!(open, Ok(None));
        assert!(
            validate(
                "FREQ=SOMETIMES",
                at("2026-01-01T10:00:00Z"),
                Duration::hours(1),
                chrono_tz::UTC
            )
            .is_err()
        );
    }

    #[test]
    fn a_series_can_be_cut_before_an_occurrence() {
        let cut = ending_before("FREQ=DAILY;COUNT=10;INTERVAL=2", at("2026-01-05T10:00:00Z"));
        assert_eq!(cut, "FREQ=DAILY;INTERVAL=2;UNTIL=20260105T095959Z");
        assert!(has_start(
            &cut,
            at("2026-01-01T10:00:00Z"),
            chrono_tz::UTC,
            at("2026-01-03T10:00:00Z")
        ));
        assert!(!has_start(
            &cut,
            at("2026-01-01T10:00:00Z"),
            chrono_tz::UTC,
            at("2026-01-05T10:00:00Z")
        ));
    }
}
