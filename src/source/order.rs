//! The order in which migration files build up the schema: natural order of their paths.
//!
//! Runs of digits compare as numbers (`V2__a.sql` < `V10__b.sql`, `9_x` < `10_x`), everything
//! else compares as text, component by component, so `2024-01-02-0000_x/up.sql` sorts by its
//! timestamp folder. Down migrations (`down.sql`, `*.down.sql`, Flyway `U<n>__*.sql`) are linted
//! but never applied to the model.

use std::cmp::Ordering;
use std::path::Path;

fn chunks(s: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let bytes = s.as_bytes();
    let mut start = 0;
    for i in 1..=bytes.len() {
        if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
            out.push((bytes[start].is_ascii_digit(), &s[start..i]));
            start = i;
        }
    }
    out
}

fn natural_cmp_str(a: &str, b: &str) -> Ordering {
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x, y) {
            ((true, nx), (true, ny)) => {
                let (tx, ty) = (nx.trim_start_matches('0'), ny.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty)).then_with(|| nx.len().cmp(&ny.len()))
            }
            ((_, sx), (_, sy)) => sx.cmp(sy),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

/// Compare two paths in migration order.
pub fn migration_cmp(a: &Path, b: &Path) -> Ordering {
    // Component by component, borrowing (a sort makes n log n comparisons).
    let (mut ca, mut cb) = (a.components(), b.components());
    loop {
        match (ca.next(), cb.next()) {
            (Some(x), Some(y)) => {
                let ord = natural_cmp_str(&x.as_os_str().to_string_lossy(), &y.as_os_str().to_string_lossy());
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (x, y) => return x.is_some().cmp(&y.is_some()),
        }
    }
}

/// A down (undo) migration: linted, but not applied to the schema model.
pub fn is_down_migration(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    if name == "down.sql" || name.ends_with(".down.sql") || name.ends_with("_down.sql") {
        return true;
    }
    // Flyway undo migrations: U<version>__<description>.sql
    let mut rest = name.strip_prefix('u').unwrap_or("");
    let digits = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_').count();
    if digits == 0 {
        return false;
    }
    rest = &rest[digits..];
    name.starts_with('u') && name.chars().nth(1).is_some_and(|c| c.is_ascii_digit()) && (rest.is_empty() || name.contains("__"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn sorted(paths: &[&str]) -> Vec<String> {
        let mut v: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        v.sort_by(|a, b| migration_cmp(a, b));
        v.iter().map(|p| p.to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn flyway_versions_sort_numerically() {
        assert_eq!(sorted(&["m/V10__b.sql", "m/V2__a.sql", "m/V1__init.sql"]), ["m/V1__init.sql", "m/V2__a.sql", "m/V10__b.sql"]);
    }

    #[test]
    fn zero_padded_and_timestamps() {
        assert_eq!(sorted(&["0010_x.sql", "0009_y.sql", "0002_z.sql"]), ["0002_z.sql", "0009_y.sql", "0010_x.sql"]);
        assert_eq!(
            sorted(&["2024-03-01-000000_b/up.sql", "2023-12-31-235959_a/up.sql", "2023-12-31-235959_a/down.sql"]),
            ["2023-12-31-235959_a/down.sql", "2023-12-31-235959_a/up.sql", "2024-03-01-000000_b/up.sql"]
        );
    }

    #[test]
    fn down_migrations() {
        assert!(is_down_migration(Path::new("x/down.sql")));
        assert!(is_down_migration(Path::new("x/0001_init.down.sql")));
        assert!(is_down_migration(Path::new("U3__undo.sql")));
        assert!(!is_down_migration(Path::new("x/up.sql")));
        assert!(!is_down_migration(Path::new("users.sql")));
        assert!(!is_down_migration(Path::new("update_stats.sql")));
    }
}
