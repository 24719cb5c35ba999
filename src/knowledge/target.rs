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
