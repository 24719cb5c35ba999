//! Parsing a statement into the trees the model or a rule can read, through a small per-thread
//! memo of repeated statement texts.

use std::ops::Range;
use std::sync::Arc;

use pg_query::NodeEnum;

use crate::sql::front::{ReadPolicy, keep_all_trees};
use crate::sql::kinds::StatementKind;
use crate::sql::parse::{SyntaxError, TreeStatement, parse_statement};

/// Parse the statement `sql` (at byte `base` of its file), keeping only the trees the model or
/// a rule can read (memory: most statements of a dump or a test suite are DML no rule looks at).
pub fn read_trees(sql: &str, base: usize, policy: &ReadPolicy) -> Result<Vec<TreeStatement>, SyntaxError> {
    if sql.len() > TREE_MEMO_MAX_TEXT || keep_all_trees() {
        return read_trees_uncached(sql, base, policy);
    }
    // The trees depend on the text and the policy alone (a run has one policy; the address
    // tells policies apart), and their locations are relative to the text's start.
    let hash = xxhash_rust::xxh3::xxh3_128(sql.as_bytes()) ^ (policy as *const ReadPolicy as usize as u128);
    let slot = hash as usize % TREE_MEMO_SLOTS;
    let at_base = |trees: &[(Range<usize>, Arc<NodeEnum>)]| -> Vec<TreeStatement> {
        trees.iter().map(|(r, node)| TreeStatement { range: base + r.start..base + r.end, node: Arc::clone(node) }).collect()
    };
    let hit = TREE_MEMO.with_borrow(|memo| match &memo[slot] {
        Some((h, trees)) if *h == hash => Some(at_base(trees)),
        _ => None,
    });
    if let Some(trees) = hit {
        return Ok(trees);
    }
    let trees = read_trees_uncached(sql, 0, policy).map_err(|e| SyntaxError { offset: base + e.offset, ..e })?;
    let kept: Vec<(Range<usize>, Arc<NodeEnum>)> = trees.into_iter().map(|t| (t.range, t.node)).collect();
    let result = at_base(&kept);
    TREE_MEMO.with_borrow_mut(|memo| memo[slot] = Some((hash, kept)));
    Ok(result)
}

/// Small statements repeat: a migration tool's `SET` preamble in every file, the queries of a
/// regression suite. A repeat shares the trees of the last statement of the same text (per
/// thread, in a fixed number of slots, so its memory is bounded): over the corpus a third of
/// the statements parsed in full were repeats, and a parse costs far more than a shared tree.
/// 256 slots save 94% of the instructions that 1,024 save over the corpus (callgrind) without
/// raising the peak memory; 1,024 slots raised it by 12 MiB.
const TREE_MEMO_SLOTS: usize = 256;
/// Longer statements rarely repeat, and their trees are larger to keep.
const TREE_MEMO_MAX_TEXT: usize = 256;
type TreeMemo = Vec<Option<(u128, Vec<(Range<usize>, Arc<NodeEnum>)>)>>;
thread_local! {
    static TREE_MEMO: std::cell::RefCell<TreeMemo> = std::cell::RefCell::new(vec![None; TREE_MEMO_SLOTS]);
}

fn read_trees_uncached(sql: &str, base: usize, policy: &ReadPolicy) -> Result<Vec<TreeStatement>, SyntaxError> {
    let mut trees = parse_statement(sql, base)?;
    if !keep_all_trees() {
        trees.retain(|t| (policy.kind_is_read)(StatementKind::of(&t.node)) || (policy.mentions_keyword)(sql));
    }
    Ok(trees)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tree kept: what the memo keeps is then the parse itself.
    static KEEP_ALL: ReadPolicy = ReadPolicy { kind_is_read: |_| true, mentions_keyword: |_| true };

    /// A repeated text shares its first occurrence's trees: ranges and error offsets are
    /// still those of where each occurrence stands in its file.
    #[test]
    fn repeated_statements_keep_their_own_positions() {
        let sql = "ALTER TABLE t ADD COLUMN b int";
        for base in [0, 1000, 7] {
            let trees = read_trees(sql, base, &KEEP_ALL).unwrap();
            assert_eq!(trees.len(), 1);
            assert_eq!(trees[0].range, base..base + sql.len());
        }
        let first = read_trees(sql, 0, &KEEP_ALL).unwrap();
        let again = read_trees(sql, 50, &KEEP_ALL).unwrap();
        assert!(Arc::ptr_eq(&first[0].node, &again[0].node), "a repeat shares the tree");
        let bad = "ALTER TABLE t ADD COLUMN FROM";
        for base in [0, 300] {
            let err = read_trees(bad, base, &KEEP_ALL).unwrap_err();
            assert_eq!(err.offset, base + bad.find("FROM").unwrap(), "{}", err.message);
        }
        // Longer texts are parsed each time, with the same positions.
        let long = format!("SET search_path = {}", vec!["s"; 200].join(", "));
        assert_eq!(read_trees(&long, 40, &KEEP_ALL).unwrap()[0].range, 40..40 + long.len());
    }
}
