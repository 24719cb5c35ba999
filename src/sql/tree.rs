//! Reading pg_query trees: names, expression walks and token look-ups.
//!
//! `pg_query`'s own `nodes()` is not a full walk (it skips column definitions and constraints),
//! so trees are walked through their `Serialize` implementation, which covers every node type
//! the grammar can produce (`sql::facts`), and a few rules read a statement's serde form.

use std::ops::Range;

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, RangeVar, TypeName};
use serde_json::Value;

/// The `String` values of a name list (`schema.name`, function names, type names).
pub fn names(list: &[Node]) -> Vec<String> {
    list.iter()
        .filter_map(|n| match &n.node {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

pub fn type_names(t: &TypeName) -> Vec<String> {
    names(&t.names)
}

/// A routine signature as a text value spells it (`regprocedure`/`regproc` input,
/// `has_function_privilege`'s argument): the name's parts and, when written, the argument
/// types as `pg_type` names (`integer` is `int4`, `text[]` is `_text`). None for what is not a
/// plain signature (quoted names with parentheses, unbalanced text).
pub fn signature_text(text: &str) -> Option<(Vec<String>, Option<Vec<String>>)> {
    let text = text.trim();
    let (name, args) = match text.split_once('(') {
        Some((name, rest)) => (name, Some(rest.trim_end().strip_suffix(')')?)),
        None => (text, None),
    };
    let ident = |part: &str| {
        let part = part.trim();
        match part.strip_prefix('"').and_then(|p| p.strip_suffix('"')) {
            Some(quoted) => quoted.replace("\"\"", "\""),
            None => part.to_lowercase(),
        }
    };
    let parts: Vec<String> = name.split('.').map(ident).collect();
    if parts.iter().any(String::is_empty) || args.is_some_and(|a| a.contains(['(', ')'])) {
        return None;
    }
    let args = args.map(|a| {
        a.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                let (base, array) = match t.strip_suffix("[]") {
                    Some(base) => (base.trim(), true),
                    None => (t, false),
                };
                let words = base.split_whitespace().collect::<Vec<_>>().join(" ");
                // The last part of a qualified type name (`pg_catalog.int4`).
                let name = ident(words.rsplit('.').next().unwrap_or(&words));
                let name = crate::knowledge::canonical_type_name(&name).to_string();
                if array { format!("_{name}") } else { name }
            })
            .collect()
    });
    Some((parts, args))
}

/// The arguments of a routine's parameter list: OUT and TABLE parameters are not arguments.
pub fn routine_arguments(parameters: &[Node]) -> impl Iterator<Item = &pg_query::protobuf::FunctionParameter> {
    parameters.iter().filter_map(|p| match &p.node {
        Some(NodeEnum::FunctionParameter(p)) if !matches!(p.mode, 2 | 5) => Some(p.as_ref()),
        _ => None,
    })
}

/// An argument's type name, without its schema (`""` when it has none).
pub fn argument_type(p: &pg_query::protobuf::FunctionParameter) -> String {
    p.arg_type.as_ref().map(type_names).and_then(|mut n| n.pop()).unwrap_or_default()
}

/// `schema.relname` key used by the model: unqualified names default to `public`.
pub fn relation_key(r: &RangeVar) -> String {
    let schema = if r.schemaname.is_empty() { "public" } else { r.schemaname.as_str() };
    format!("{schema}.{}", r.relname)
}

/// A relation a statement reads, with the alias it is given there (empty: none).
pub struct NamedRelation<'a> {
    pub relation: &'a RangeVar,
    pub alias: &'a str,
}

impl<'a> NamedRelation<'a> {
    pub fn of(relation: &'a RangeVar) -> NamedRelation<'a> {
        NamedRelation { relation, alias: relation.alias.as_ref().map_or("", |a| a.aliasname.as_str()) }
    }
}

/// Every relation a statement names, anywhere in it.
pub fn statement_relations(node: &NodeEnum) -> Vec<NamedRelation<'_>> {
    node.nodes()
        .into_iter()
        .filter_map(|(n, ..)| match n {
            pg_query::NodeRef::RangeVar(r) => Some(NamedRelation::of(r)),
            _ => None,
        })
        .collect()
}

/// The relation a column reference (its fields) reads and the column's name: by its qualifier
/// (the alias, or the relation's name when it has none, as PostgreSQL resolves it), or the only
/// relation when unqualified.
pub fn column_relation<'r, 'a>(fields: &'r [String], relations: &'r [NamedRelation<'a>]) -> Option<(&'r NamedRelation<'a>, &'r str)> {
    let named =
        |r: &&NamedRelation, qualifier: &str| if r.alias.is_empty() { r.relation.relname == qualifier } else { r.alias == qualifier };
    match fields {
        [qualifier, column] => relations.iter().find(|r| named(r, qualifier)).map(|r| (r, column.as_str())),
        [column] if relations.len() == 1 => Some((&relations[0], column.as_str())),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub struct FuncCallRef {
    pub name: Vec<String>,
    pub nargs: usize,
    pub location: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ExprFacts {
    pub functions: Vec<FuncCallRef>,
    /// Last field of each column reference, with its location.
    pub columns: Vec<(String, usize)>,
    /// Type names of casts, with their location.
    pub casts: Vec<(Vec<String>, usize)>,
    /// Operator names, with their location.
    pub operators: Vec<(Vec<String>, usize)>,
    /// Relations named (`RangeVar`s: FROM items, targets of INSERT, UPDATE...): schema (empty
    /// when not written), name and location.
    pub relations: Vec<(String, String, usize)>,
    /// Names of the common table expressions the tree defines (a relation of that name is one).
    pub ctes: Vec<String>,
}

/// Everything a rule may want to know about an expression subtree. Locations are relative to
/// the parsed statement text.
pub fn expr_facts(node: &Node) -> ExprFacts {
    super::facts::facts_of_tree(node)
}

/// A whole statement in its serde form (serialised in place, not cloned).
pub fn statement_json(node: &NodeEnum) -> Option<Value> {
    serde_json::to_value(node).ok()
}

/// A token of the (masked) file text.
#[derive(Debug, Clone)]
pub struct Token {
    pub range: Range<usize>,
}

/// The tokens of `text[range]`, with ranges in file offsets. Empty if the scanner fails.
pub fn tokens(text: &str, range: Range<usize>) -> Vec<Token> {
    let Some(slice) = text.get(range.clone()) else { return Vec::new() };
    // The scanner's tokens straight from C: `pg_query::scan` round-trips them through
    // protobuf, which cost most of the 4% of a run that went to token scans.
    match pg_query::scan_tokens(slice) {
        Ok(toks) => toks.iter().map(|t| Token { range: range.start + t.start as usize..range.start + t.end as usize }).collect(),
        Err(_) => Vec::new(),
    }
}

/// The identifier a token spells, case-folded unless quoted.
pub fn ident_of(text: &str, token: &Token) -> String {
    let raw = &text[token.range.clone()];
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        raw[1..raw.len() - 1].replace("\"\"", "\"")
    } else {
        raw.to_lowercase()
    }
}

/// The first token in `range` that names identifier `name`.
pub fn find_ident(text: &str, range: Range<usize>, name: &str) -> Option<Range<usize>> {
    tokens(text, range).into_iter().find(|t| ident_of(text, t) == name).map(|t| t.range)
}

/// Where a generation clause ends, read from the tokens after `GENERATED` (at `from`).
#[derive(Debug, Clone)]
pub struct GenerationTail {
    /// Byte offset just after the `)` that closes the expression: where a keyword is inserted.
    pub expr_end: usize,
    /// The `STORED` or `VIRTUAL` keyword, if written.
    pub keyword: Option<Range<usize>>,
}

pub fn generation_tail(text: &str, from: usize, stmt_end: usize) -> Option<GenerationTail> {
    let toks = tokens(text, from..stmt_end);
    let mut depth = 0i32;
    let mut started = false;
    for (i, t) in toks.iter().enumerate() {
        match &text[t.range.clone()] {
            "(" => {
                depth += 1;
                started = true;
            }
            ")" if started => {
                depth -= 1;
                if depth == 0 {
                    let keyword = toks.get(i + 1).filter(|n| {
                        let w = text[n.range.clone()].to_ascii_uppercase();
                        w == "STORED" || w == "VIRTUAL"
                    });
                    return Some(GenerationTail { expr_end: t.range.end, keyword: keyword.map(|k| k.range.clone()) });
                }
            }
            _ => {}
        }
    }
    None
}

/// Every node `NodeEnum::nodes()` visits, and the expressions it does not enter in table DDL:
/// CHECK constraints, defaults and generation expressions of `CREATE TABLE` and `ALTER TABLE`.
pub fn nodes_with_ddl_expressions(node: &NodeEnum) -> Vec<pg_query::NodeRef<'_>> {
    let mut out: Vec<pg_query::NodeRef<'_>> = node.nodes().into_iter().map(|(n, ..)| n).collect();
    let mut roots: Vec<&NodeEnum> = Vec::new();
    match node {
        NodeEnum::CreateStmt(c) => c.table_elts.iter().for_each(|e| table_element_expressions(e, &mut roots)),
        NodeEnum::AlterTableStmt(a) => {
            for cmd in &a.cmds {
                if let Some(NodeEnum::AlterTableCmd(cmd)) = cmd.node.as_ref()
                    && let Some(def) = cmd.def.as_ref()
                {
                    table_element_expressions(def, &mut roots);
                }
            }
        }
        _ => {}
    }
    for r in roots {
        out.extend(r.nodes().into_iter().map(|(n, ..)| n));
    }
    out
}

/// The expressions of a column definition or a table constraint.
fn table_element_expressions<'a>(element: &'a Node, roots: &mut Vec<&'a NodeEnum>) {
    let mut push = |n: &'a Option<Box<Node>>| {
        if let Some(n) = n.as_ref().and_then(|n| n.node.as_ref()) {
            roots.push(n);
        }
    };
    match element.node.as_ref() {
        Some(NodeEnum::ColumnDef(cd)) => {
            push(&cd.raw_default);
            for c in &cd.constraints {
                if let Some(NodeEnum::Constraint(c)) = c.node.as_ref() {
                    push(&c.raw_expr);
                }
            }
        }
        Some(NodeEnum::Constraint(c)) => push(&c.raw_expr),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_texts_read_as_regprocedure_does() {
        let sig = |t| super::signature_text(t);
        assert_eq!(
            sig(" pg_catalog.Pg_Terminate_Backend( integer , double precision, text[] ) "),
            Some((vec!["pg_catalog".into(), "pg_terminate_backend".into()], Some(vec!["int4".into(), "float8".into(), "_text".into()])))
        );
        assert_eq!(sig("\"My\"\"Fn\"()"), Some((vec!["My\"Fn".into()], Some(vec![]))));
        assert_eq!(sig("pg_stop_backup"), Some((vec!["pg_stop_backup".into()], None)));
        assert_eq!(sig("f(numeric(10,2))"), None);
        assert_eq!(sig("f(int"), None);
        assert_eq!(sig("a..b"), None);
    }

    use super::*;

    #[test]
    fn generation_tail_finds_keyword() {
        let t = "b int GENERATED ALWAYS AS ((a*2)) STORED, c int";
        let tail = generation_tail(t, 6, t.len()).unwrap();
        assert_eq!(&t[tail.keyword.unwrap()], "STORED");
        assert_eq!(&t[..tail.expr_end], "b int GENERATED ALWAYS AS ((a*2))");
        let t = "b int GENERATED ALWAYS AS (a*2))";
        assert!(generation_tail(t, 6, t.len()).unwrap().keyword.is_none());
    }

    #[test]
    fn expr_facts_sees_nested_calls() {
        let r = pg_query::parse("SELECT f(g(a)::mood) + 1", 0).unwrap();
        let stmt = r.protobuf.stmts[0].stmt.as_ref().unwrap();
        let facts = expr_facts(stmt);
        let called: Vec<_> = facts.functions.iter().map(|f| f.name.join(".")).collect();
        assert_eq!(called, vec!["f", "g"]);
        assert_eq!(facts.casts[0].0, vec!["mood"]);
        assert_eq!(facts.columns[0].0, "a");
        assert_eq!(facts.operators[0].0, vec!["+"]);
    }
}
