//! The upgrade pgready checks: from a supported source major version to the target major.
//! Moving to a new target (PostgreSQL 19) starts here: see ARCHITECTURE.md.

/// The major version pgready checks upgrades to.
pub const TARGET: u32 = 18;
/// The oldest major version pgready checks upgrades from.
pub const OLDEST_SOURCE: u32 = 13;
/// The newest major version upgraded from: the one before the target.
pub const NEWEST_SOURCE: u32 = TARGET - 1;
/// Every supported source major version.
pub const SOURCES: std::ops::RangeInclusive<u32> = OLDEST_SOURCE..=NEWEST_SOURCE;

/// "PostgreSQL 18" as a literal, for `concat!` in the rules' static texts (summaries) and other
/// literals; a test checks it names [`TARGET`].
#[macro_export]
macro_rules! target_name {
    () => {
        "PostgreSQL 18"
    };
}

/// The versions of a per-version table after its oldest (each compared with the one before).
pub fn after_oldest<T>(table: &std::collections::BTreeMap<u32, T>) -> impl Iterator<Item = u32> + '_ {
    table.keys().skip(1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_name_is_the_target() {
        assert_eq!(target_name!(), format!("PostgreSQL {TARGET}"));
        assert!(OLDEST_SOURCE < TARGET && SOURCES.contains(&(TARGET - 1)));
    }
}
