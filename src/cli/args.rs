//! Option values as a psql or PostgreSQL user writes them: durations with PostgreSQL's units,
//! majors as `15`, `15.4` or `PG15`.

use crate::knowledge::target::{NEWEST_SOURCE, OLDEST_SOURCE};

/// PostgreSQL's time units (`postgresql.conf`, `SET`), in milliseconds.
const UNITS: &[(&str, f64)] = &[("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("min", 60_000.0), ("h", 3_600_000.0), ("d", 86_400_000.0)];

/// A duration in milliseconds: `500ms`, `30s`, `5min`, `1.5h`, or a bare number in `bare_unit`.
fn parse_duration(text: &str, bare_unit: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim();
    let value: f64 = number.parse().map_err(|_| format!("`{text}` is not a duration: write a number and a unit, e.g. 500ms, 30s, 5min"))?;
    let unit = if unit.is_empty() { bare_unit } else { unit };
    let Some((_, factor)) = UNITS.iter().find(|(u, _)| *u == unit) else {
        return Err(format!("`{text}`: unknown unit `{unit}` (PostgreSQL's: us, ms, s, min, h, d)"));
    };
    let ms = (value * factor).round();
    if !(1.0..=u32::MAX as f64 * 1000.0).contains(&ms) {
        return Err(format!("`{text}` is out of range: at least 1ms"));
    }
    Ok(ms as u64)
}

/// A duration whose bare number is milliseconds (check's timeouts, as PostgreSQL's own).
pub fn duration_ms(text: &str) -> Result<u64, String> {
    parse_duration(text, "ms")
}

/// A duration whose bare number is seconds (replay's statement timeout, as it always took).
pub fn duration_s(text: &str) -> Result<u64, String> {
    parse_duration(text, "s")
}

/// The major you upgrade from: `15`, `15.4`, `PG15`, `pg15`, `v15`.
pub fn source_major(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let digits = t.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let major = digits.split('.').next().unwrap_or_default();
    let prefix = &t[..t.len() - digits.len()];
    let major: u32 = match major.parse() {
        Ok(m) if prefix.is_empty() || ["pg", "v", "postgresql", "postgres"].contains(&prefix.to_ascii_lowercase().as_str()) => m,
        _ => return Err(format!("`{text}` is not a PostgreSQL major: write 15, 15.4 or PG15")),
    };
    if !(OLDEST_SOURCE..=NEWEST_SOURCE).contains(&major) {
        let todo = if major < OLDEST_SOURCE {
            format!(
                "upgrade to {OLDEST_SOURCE} or later first (what changed before {OLDEST_SOURCE} is not checked), then run pgready from there"
            )
        } else {
            format!("{major} is the version you are upgrading to, or newer")
        };
        return Err(format!("pgready supports upgrades from {OLDEST_SOURCE} to {NEWEST_SOURCE}, not from {major}: {todo}"));
    }
    Ok(major)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_take_postgresql_units() {
        assert_eq!(duration_ms("500ms"), Ok(500));
        assert_eq!(duration_ms("30s"), Ok(30_000));
        assert_eq!(duration_ms("5min"), Ok(300_000));
        assert_eq!(duration_ms("1.5h"), Ok(5_400_000));
        assert_eq!(duration_ms("2000"), Ok(2000));
        assert_eq!(duration_s("30"), Ok(30_000));
        assert_eq!(duration_s("250ms"), Ok(250));
        assert!(duration_ms("5 minutes").unwrap_err().contains("unknown unit"));
        assert!(duration_ms("soon").unwrap_err().contains("not a duration"));
        assert!(duration_ms("0").is_err());
    }

    #[test]
    fn majors_as_people_write_them() {
        assert_eq!(source_major("15"), Ok(15));
        assert_eq!(source_major("15.4"), Ok(15));
        assert_eq!(source_major("PG15"), Ok(15));
        assert_eq!(source_major("pg14"), Ok(14));
        let too_old = source_major("12").unwrap_err();
        assert!(too_old.contains("from 13 to 17") && too_old.contains("upgrade to 13 or later first"), "{too_old}");
        assert!(source_major("18").unwrap_err().contains("from 13 to 17"));
        assert!(source_major("fifteen").unwrap_err().contains("not a PostgreSQL major"));
    }
}
