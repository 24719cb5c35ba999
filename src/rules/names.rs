//! Rule and area names as users write them: the closest real name to a misspelt one.

use super::{Area, REGISTRY, areas};

/// The rule id or area closest to a misspelt `name` (`uuid-random-defualt`, `md5_password`,
/// `setting-remove`), when one is close enough to be what was meant.
pub fn did_you_mean(name: &str) -> Option<&'static str> {
    let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
    let names = REGISTRY.iter().map(|r| r.meta.id).chain(areas().into_iter().map(Area::as_str));
    names.map(|n| (strsim::damerau_levenshtein(&wanted, n), n)).filter(|(d, n)| *d <= 3.max(n.len() / 4)).min().map(|(_, n)| n)
}

/// `unknown rule or area `x``, with the closest name when there is one.
pub fn unknown_name(name: &str) -> String {
    match did_you_mean(name) {
        Some(close) => format!("unknown rule or area `{name}`: did you mean `{close}`?"),
        None => format!("unknown rule or area `{name}` (`pgready rules` lists them)"),
    }
}
