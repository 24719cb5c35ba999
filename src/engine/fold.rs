//! Folding parsed files into the model in order, and running the statement rules on each
//! statement as the model stands after it.

use rayon::prelude::*;

use super::{Options, ParsedFile};
use crate::diagnostic::{Diagnostic, FileId};
use crate::model::Schema;
use crate::rules::{Ctx, READ_POLICY, Rule, RuleStates, StatementKind};
use crate::source::Document;
use crate::source::order::is_down_migration;
use crate::sql::front::{Statement, keep_all_trees};
use crate::sql::memo::read_trees;
use crate::sql::parse::{TreeStatement, groups_by_bytes};

/// Statement bytes parsed (in parallel) per segment of a large file.
const FOLD_SEGMENT_BYTES: usize = 256 << 10;

/// What the fold owns while files are parsed around it: the files folded so far, the model
/// they built and their findings.
pub(super) struct Folded {
    pub docs: Vec<Document>,
    pub files: Vec<ParsedFile>,
    pub built: Built,
}

/// What folding builds: the model, the rules' own notes, and the findings so far.
#[derive(Default)]
pub(super) struct Built {
    pub schema: Schema,
    pub states: RuleStates,
    pub diagnostics: Vec<Diagnostic>,
}

/// What every fold of a run shares: the rules to run and how.
pub(super) struct Fold<'a> {
    pub active: &'a [&'a Rule],
    pub opts: &'a Options,
    /// A live catalog's documents: no down migrations among them.
    pub from_catalog: bool,
}

impl Fold<'_> {
    /// Fold one parsed file into the model in order, running the statement rules, then free its trees.
    pub fn file(&self, id: FileId, doc: &Document, file: &mut ParsedFile, built: &mut Built) {
        let Built { schema, states, diagnostics } = built;
        let mut found = std::mem::take(&mut file.diagnostics);
        let down = !self.from_catalog && is_down_migration(&doc.path);
        // A down migration is linted against the schema it would run on, but never changes it.
        let mut scratch;
        let model: &mut Schema = if down {
            scratch = schema.clone();
            &mut scratch
        } else {
            schema
        };
        // A large file's statements are parsed here, a segment at a time (in parallel), just
        // before they are folded: all of a 20 MB schema dump's trees at once took 4.4 GB.
        let deferred = std::mem::take(&mut file.deferred);
        let mut folded = 0;
        let segments = groups_by_bytes(deferred.iter().map(|&i| file.statements[i].range.len()), FOLD_SEGMENT_BYTES);
        for segment in segments.into_iter().map(|r| &deferred[r]) {
            let masked = &file.masked;
            let trees: Vec<(usize, Vec<TreeStatement>)> = segment
                .par_iter()
                .map(|&i| {
                    let s = &file.statements[i];
                    let sql = &masked[s.range.clone()];
                    // These statements passed the syntax check in the front end.
                    (i, read_trees(sql, s.range.start, &READ_POLICY).unwrap_or_default())
                })
                .collect();
            for (i, t) in trees {
                file.statements[i].trees = t;
            }
            let last = segment.last().map_or(folded, |&i| i + 1);
            self.statements(id, &file.masked, &mut file.statements[folded..last], model, states, &mut found);
            folded = last;
        }
        self.statements(id, &file.masked, &mut file.statements[folded..], model, states, &mut found);
        // Nor the masked text (reports use the document's own text).
        file.masked = String::new();
        // After the fold only suppression comments are read (suppress::apply), and statement
        // ranges only to place them: most files keep neither (memory: a dump has many comments).
        file.comments.retain(|c| doc.text.get(c.range.clone()).is_some_and(|t| t.contains("pgready:")));
        if file.comments.is_empty() {
            file.statements = Vec::new();
        }
        diagnostics.extend(found);
    }

    /// Fold statements into the model in order, running the statement rules, then free their trees.
    fn statements(
        &self,
        id: FileId,
        masked: &str,
        statements: &mut [Statement],
        model: &mut Schema,
        states: &RuleStates,
        found: &mut Vec<Diagnostic>,
    ) {
        for stmt in statements {
            for tree in &stmt.trees {
                model.apply(id, masked, &tree.range, &tree.node);
                // psql variables were substituted into this statement: its text is not what the
                // server will see, so it yields no finding; rules still note what they count
                // (an EXPLAIN ANALYZE in a test), as the model still folds it.
                let mut unreported = Vec::new();
                let found: &mut Vec<Diagnostic> = if stmt.substituted { &mut unreported } else { &mut *found };
                let kind = StatementKind::of(&tree.node);
                let ctx = Ctx::new(id, masked, &tree.range, &tree.node, model, self.opts.from, states);
                // Every rule on every statement with PGREADY_KEEP_ALL_TREES=1: the tests that
                // compare both ways prove that hooks and keywords lose no finding.
                let every_rule = keep_all_trees();
                for rule in self.active {
                    if every_rule || rule.hooks.contains(&kind) || (!rule.keywords.is_empty() && ctx.mentions_keyword_of(rule)) {
                        (rule.check.expect("active rules have a check"))(&ctx, found);
                    }
                }
            }
            // Folded: nothing reads the trees again.
            stmt.trees = Vec::new();
        }
    }
}
