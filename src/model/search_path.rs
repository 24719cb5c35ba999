//! What a function's body refers to without a schema, outside `pg_catalog`: since PostgreSQL 17
//! the maintenance operations (CREATE INDEX, REINDEX, CREATE and REFRESH MATERIALIZED VIEW,
//! ANALYZE, VACUUM, CLUSTER) run the functions they evaluate with `search_path = pg_catalog,
//! pg_temp`, where such a name no longer resolves.
//!
//! Read only when asked (a materialized view or an index calls the function): a body is parsed
//! again then, from the definition the model kept.

use super::{Function, Schema};
use crate::knowledge::catalog::is_catalog_relation;
use crate::knowledge::{is_builtin_function, is_builtin_type};
use crate::sql::body::body_of;
use crate::sql::facts::facts_of_tree;
use crate::sql::parse::parse_statement;

/// A name a body uses that a safe search_path does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unqualified {
    Relation(String),
    Function(String),
    Type(String),
}

impl Unqualified {
    pub fn name(&self) -> &str {
        match self {
            Unqualified::Relation(n) | Unqualified::Function(n) | Unqualified::Type(n) => n,
        }
    }
}

impl std::fmt::Display for Unqualified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unqualified::Relation(r) => write!(f, "relation `{r}`"),
            Unqualified::Function(n) => write!(f, "function `{n}()`"),
            Unqualified::Type(t) => write!(f, "type `{t}`"),
        }
    }
}

impl Function {
    /// The names its body uses without a schema that are not `pg_catalog`'s (nor a CTE's of
    /// the same statement), in the order written, each once. Empty when the body does not
    /// depend on search_path (a `BEGIN ATOMIC` body, `SET search_path`, another language) or
    /// cannot be read.
    pub fn unqualified_references(&self) -> &[Unqualified] {
        self.unqualified.get_or_init(|| self.read_unqualified_references())
    }

    fn read_unqualified_references(&self) -> Vec<Unqualified> {
        let Some(definition) = self.path_dependent_definition.as_deref() else { return Vec::new() };
        let Ok(trees) = parse_statement(definition, 0) else { return Vec::new() };
        let mut found = Vec::new();
        for tree in trees {
            let Some(body) = body_of(&tree.node, definition, 0, |_| true) else { continue };
            for piece in body.pieces {
                let Ok(statements) = parse_statement(&piece.text, 0) else { continue };
                for statement in statements {
                    let facts = facts_of_tree(statement.node.as_ref());
                    for (schema, name, _) in &facts.relations {
                        if schema.is_empty() && !facts.ctes.contains(name) && !is_catalog_relation(name) {
                            found.push(Unqualified::Relation(name.clone()));
                        }
                    }
                    for call in &facts.functions {
                        if let [name] = call.name.as_slice()
                            && !is_builtin_function(name)
                        {
                            found.push(Unqualified::Function(name.clone()));
                        }
                    }
                    for (names, _) in &facts.casts {
                        if let [name] = names.as_slice()
                            && !is_builtin_type(name)
                        {
                            found.push(Unqualified::Type(name.clone()));
                        }
                    }
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        found.retain(|u| seen.insert(u.clone()));
        found
    }
}

impl Schema {
    /// The user-defined functions a call of `name` (as written, maybe schema-qualified) with
    /// `nargs` arguments may run.
    pub fn functions_called(&self, name: &[String], nargs: usize) -> Vec<&Function> {
        let Some((last, schema)) = name.split_last() else { return Vec::new() };
        let Some(candidates) = self.functions.get(last) else { return Vec::new() };
        candidates
            .iter()
            .filter(|f| match schema {
                [] => true,
                [s] => f.schema.as_deref().unwrap_or("public") == s,
                _ => false,
            })
            .filter(|f| f.required_args <= nargs && nargs <= f.arg_types.len())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_after(sql: &str) -> Schema {
        let mut schema = Schema::default();
        for stmt in parse_statement(sql, 0).expect("test SQL parses") {
            schema.apply(0, sql, &stmt.range, &stmt.node);
        }
        schema
    }

    fn refs(sql: &str, function: &str) -> Vec<String> {
        let schema = schema_after(sql);
        schema.functions[function].iter().flat_map(|f| f.unqualified_references().iter()).map(|u| u.to_string()).collect()
    }

    #[test]
    fn finds_what_a_safe_search_path_does_not_resolve() {
        let sql = "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM rate, pg_class $$;";
        assert_eq!(refs(sql, "f"), ["relation `rate`"]);
        let sql = "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT add1($1) + add1($1) + abs($1) $$;";
        assert_eq!(refs(sql, "f"), ["function `add1()`"]);
        let sql = "CREATE FUNCTION f(int) RETURNS int LANGUAGE plpgsql AS $$ DECLARE n int; BEGIN \
                   WITH c AS (SELECT 1) SELECT count(*) INTO n FROM c, public.rate; RETURN $1::mood::text::int; END $$;";
        assert_eq!(refs(sql, "f"), ["type `mood`"]);
    }

    #[test]
    fn nothing_when_the_body_does_not_depend_on_search_path() {
        for sql in [
            "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql SET search_path = public AS $$ SELECT count(*)::int FROM rate $$;",
            "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT count(*)::int FROM pg_class; END;",
            "CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM public.rate $$;",
            "CREATE FUNCTION f(int) RETURNS int LANGUAGE c AS 'lib', 'f';",
        ] {
            assert!(refs(sql, "f").is_empty(), "{sql}");
        }
    }

    #[test]
    fn calls_match_by_schema_and_argument_count() {
        let schema = schema_after(
            "CREATE FUNCTION f(int, int DEFAULT 0) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$; \
             CREATE FUNCTION other.f(int) RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;",
        );
        let name = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(schema.functions_called(&name(&["f"]), 1).len(), 2);
        assert_eq!(schema.functions_called(&name(&["f"]), 2).len(), 1);
        assert_eq!(schema.functions_called(&name(&["public", "f"]), 1).len(), 1);
        assert_eq!(schema.functions_called(&name(&["f"]), 3).len(), 0);
    }
}
