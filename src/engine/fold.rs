//! Folding parsed files into the model in order, and running the statement rules on each
//! statement as the model stands after it.

use std::ops::Range;

use rayon::prelude::*;

use super::{Options, ParsedFile};
use crate::diagnostic::{Diagnostic, FileId, NotJudged, NotJudgedReason};
use crate::model::Schema;
use crate::rules::{Ctx, KeywordMask, READ_POLICY, Rule, RuleStates, StatementKind};
use crate::source::Document;
use crate::source::order::{down_section_start, is_down_migration};
use crate::sql::body::{body_of, may_hold_read_statement};
use crate::sql::front::{Statement, keep_all_trees, may_be_read};
use crate::sql::memo::read_trees;
use crate::sql::parse::{TreeStatement, failing_statements_cached, groups_by_bytes};
use crate::sql::script::Substitution;

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
    /// The keywords of each active rule, in the same order.
    pub keyword_masks: Vec<KeywordMask>,
    pub opts: &'a Options,
    /// A live catalog's documents: no down migrations among them.
    pub from_catalog: bool,
}

/// Where a file's down section starts (a statement index), and the model copy it is judged on.
struct Sections<'a> {
    /// The index of the first statement of the slice judged.
    first: usize,
    down_from: Option<usize>,
    scratch: &'a mut Option<Schema>,
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
        // The down section of a file that holds both (goose, dbmate): judged on a copy of the
        // model as it is after the up section, like a down migration file.
        let down_from = (!down && !self.from_catalog)
            .then(|| down_section_start(&doc.text))
            .flatten()
            .map(|at| file.statements.iter().position(|s| s.range.start >= at).unwrap_or(file.statements.len()));
        let mut down_scratch: Option<Schema> = None;
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
            let mut sink = Sink { found: &mut found, not_judged: &mut file.not_judged };
            let sections = Sections { first: folded, down_from, scratch: &mut down_scratch };
            self.in_sections(id, &mut file.masked, &mut file.statements[folded..last], model, sections, states, &mut sink);
            folded = last;
        }
        let mut sink = Sink { found: &mut found, not_judged: &mut file.not_judged };
        let sections = Sections { first: folded, down_from, scratch: &mut down_scratch };
        self.in_sections(id, &mut file.masked, &mut file.statements[folded..], model, sections, states, &mut sink);
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

    /// [`Self::statements`], with the statements of a down section on a copy of the model.
    #[allow(clippy::too_many_arguments)]
    fn in_sections(
        &self,
        id: FileId,
        masked: &mut String,
        statements: &mut [Statement],
        model: &mut Schema,
        sections: Sections,
        states: &RuleStates,
        sink: &mut Sink,
    ) {
        let cut = sections.down_from.map_or(statements.len(), |d| d.saturating_sub(sections.first).min(statements.len()));
        let (up, down) = statements.split_at_mut(cut);
        self.statements(id, masked, up, model, states, sink);
        if !down.is_empty() {
            let scratch = sections.scratch.get_or_insert_with(|| model.clone());
            self.statements(id, masked, down, scratch, states, sink);
        }
    }

    /// Fold statements into the model in order, running the statement rules, then free their trees.
    fn statements(
        &self,
        id: FileId,
        masked: &mut String,
        statements: &mut [Statement],
        model: &mut Schema,
        states: &RuleStates,
        sink: &mut Sink,
    ) {
        for stmt in statements {
            for tree in &stmt.trees {
                let before = sink.found.len();
                self.judge(id, masked, tree, model, states, sink.found, (true, false));
                if !stmt.substitutions.is_empty() {
                    keep_off_substitutions(sink.found, before, &stmt.substitutions);
                }
                if matches!(StatementKind::of(&tree.node), StatementKind::CreateFunction | StatementKind::Do) {
                    self.body(id, masked, tree, model, states, sink, 0);
                }
            }
            // Folded: nothing reads the trees again.
            stmt.trees = Vec::new();
        }
    }

    /// Fold one statement into the model (`fold`) and run the statement rules on it.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        id: FileId,
        masked: &str,
        tree: &TreeStatement,
        model: &mut Schema,
        states: &RuleStates,
        found: &mut Vec<Diagnostic>,
        (fold, expression): (bool, bool),
    ) {
        if fold {
            model.apply(id, masked, &tree.range, &tree.node);
        }
        let kind = StatementKind::of(&tree.node);
        // A table a routine body creates (`EXECUTE 'CREATE TABLE ...'` of a constant) is not
        // made when the routine is created, so the model does not keep it; the rules that read
        // the columns a statement defines see it in a copy of the model that does.
        let scratch;
        let model: &Schema =
            if !fold && matches!(kind, StatementKind::CreateTable | StatementKind::AlterTable | StatementKind::CreateForeignTable) {
                let mut copy = model.clone();
                copy.apply(id, masked, &tree.range, &tree.node);
                scratch = copy;
                &scratch
            } else {
                model
            };
        let ctx = Ctx::new(id, masked, &tree.range, &tree.node, model, self.opts.from, states).in_expression(expression);
        // Every rule on every statement with PGREADY_KEEP_ALL_TREES=1: the tests that
        // compare both ways prove that hooks and keywords lose no finding.
        let every_rule = keep_all_trees();
        for (rule, keywords) in self.active.iter().zip(&self.keyword_masks) {
            if every_rule || rule.hooks.contains(&kind) || (!keywords.is_empty() && ctx.mentions_any(keywords)) {
                (rule.check.expect("active rules have a check"))(&ctx, found);
            }
        }
    }

    /// The SQL inside a routine body or a DO block ([`body_of`]): each piece is written over its
    /// place in the masked text (the same length, so every location stays where it is in the
    /// file), parsed, judged like any statement (a DO block's also folded), and the text put
    /// back. Findings say which body they are in.
    #[allow(clippy::too_many_arguments)]
    fn body(
        &self,
        id: FileId,
        masked: &mut String,
        tree: &TreeStatement,
        model: &mut Schema,
        states: &RuleStates,
        sink: &mut Sink,
        depth: usize,
    ) {
        // A routine body is read when a rule or the model could read a statement of it: one of
        // the rules' keywords, or a statement of a kind other than `Other` (a body of queries
        // and expressions with no keyword holds nothing any rule reads; its pieces would only be
        // syntax-checked), or an EXECUTE (SQL built at run time is counted).
        // Both ways of running (PGREADY_KEEP_ALL_TREES) decide alike, so that they report alike.
        let worth_reading = |src: &str| (READ_POLICY.mentions_keyword)(src) || may_hold_read_statement(src);
        let Some(body) = masked.get(tree.range.clone()).and_then(|sql| body_of(&tree.node, sql, tree.range.start, worth_reading)) else {
            return;
        };
        sink.not_judged.extend(body.not_judged);
        let Some(routine) = body.routine else { return };
        let context = routine.context();
        for piece in body.pieces {
            let region = piece.region.clone();
            let Some(saved) = masked.get(region.clone()).map(str::to_string).filter(|s| s.len() == piece.text.len()) else {
                sink.not_judged.push(NotJudged { span: region, reason: NotJudgedReason::BodyNotParsed });
                continue;
            };
            if !keep_all_trees() && !may_be_read(&piece.text, &READ_POLICY) {
                // No rule reads it, but whether it was judged must not depend on that.
                if !failing_statements_cached(&[piece.text.as_str()]).is_empty() {
                    sink.not_judged.push(NotJudged { span: region, reason: piece.if_unparsed });
                }
                continue;
            }
            masked.replace_range(region.clone(), &piece.text);
            match read_trees(&piece.text, region.start, &READ_POLICY) {
                Err(_) => sink.not_judged.push(NotJudged { span: region.clone(), reason: piece.if_unparsed }),
                Ok(trees) => {
                    for t in &trees {
                        let before = sink.found.len();
                        self.judge(id, masked, t, model, states, sink.found, (routine.folds(), piece.expression));
                        keep_off_substitutions(sink.found, before, &piece.substitutions);
                        for d in &mut sink.found[before..] {
                            d.message = format!("{} — {context}", d.message);
                        }
                        // A routine created by a DO block, or a DO block run by a function.
                        if depth < MAX_BODY_DEPTH && matches!(StatementKind::of(&t.node), StatementKind::CreateFunction | StatementKind::Do)
                        {
                            self.body(id, masked, t, model, states, sink, depth + 1);
                        }
                    }
                }
            }
            masked.replace_range(region, &saved);
        }
    }
}

/// Bodies inside bodies are read this deep.
const MAX_BODY_DEPTH: usize = 3;

/// Where the fold of a file puts what it finds.
struct Sink<'a> {
    found: &'a mut Vec<Diagnostic>,
    not_judged: &'a mut Vec<NotJudged>,
}

/// Findings of a statement with psql variables or placeholders rewritten in it: none is
/// reported about a stand-in (the server will see other text there), and no fix edits a
/// rewritten reference (it would replace the user's `:name`).
fn keep_off_substitutions(found: &mut Vec<Diagnostic>, from: usize, substitutions: &[Substitution]) {
    let touches = |r: &Range<usize>, s: &Substitution| {
        if r.is_empty() { s.range.start < r.start && r.start < s.range.end } else { r.start < s.range.end && s.range.start < r.end }
    };
    let mut i = from;
    while i < found.len() {
        let d = &mut found[i];
        if substitutions.iter().any(|s| s.is_unknown() && touches(&d.span, s)) {
            found.remove(i);
            continue;
        }
        if d.fix.as_ref().is_some_and(|f| f.edits.iter().any(|e| substitutions.iter().any(|s| touches(&e.range, s)))) {
            d.fix = None;
        }
        i += 1;
    }
}
