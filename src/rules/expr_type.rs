//! The type of an expression where the statement shows it — a cast or typed literal, a constant,
//! an `ARRAY[...]` of one type, a column of a table the model knows, a JSON operator — and no
//! answer where it cannot be told. Rules that judge an operator or a cast by its operands' types
//! (removed operators, jsonb casts) ask here, so they agree on what "known" means.

use pg_query::NodeEnum;
use pg_query::protobuf::a_const::Val;

use crate::knowledge;
use crate::rules::Ctx;
use crate::sql::tree;

/// `pg_type` spelling of the expression's type (`int4`, `box`, `_int4` for an array), when the
/// statement shows it. A column's array-ness is not kept by the model, so a column is only ever
/// its element type: callers must not read an array from a column.
pub fn of(ctx: &Ctx, relations: &[tree::NamedRelation], node: &NodeEnum) -> Option<String> {
    match node {
        NodeEnum::TypeCast(c) => {
            let t = c.type_name.as_ref()?;
            let base = knowledge::canonical_type_name(tree::type_names(t).last()?).to_string();
            Some(if t.array_bounds.is_empty() { base } else { format!("_{base}") })
        }
        NodeEnum::AConst(c) => match c.val.as_ref()? {
            Val::Ival(_) => Some("int4".into()),
            Val::Fval(_) => Some("numeric".into()),
            Val::Boolval(_) => Some("bool".into()),
            // An untyped string literal takes the type the operator wants.
            Val::Sval(_) | Val::Bsval(_) => None,
        },
        NodeEnum::AArrayExpr(a) => {
            let types: Vec<Option<String>> = a.elements.iter().map(|e| e.node.as_ref().and_then(|n| of(ctx, relations, n))).collect();
            let first = types.first()?.clone()?;
            (!first.starts_with('_') && types.iter().all(|t| t.as_deref() == Some(first.as_str()))).then(|| format!("_{first}"))
        }
        NodeEnum::ColumnRef(c) => {
            let fields = tree::names(&c.fields);
            let column = match tree::column_relation(&fields, relations) {
                Some((r, column)) => ctx.schema.table(&tree::relation_key(r.relation))?.column(column)?,
                // Unqualified among several relations: the one relation the model knows with
                // that column (a view's own name, a CREATE TABLE's, have none).
                None => {
                    let [name] = fields.as_slice() else { return None };
                    let mut having = relations.iter().filter_map(|r| ctx.schema.table(&tree::relation_key(r.relation))?.column(name));
                    let first = having.next()?;
                    if having.next().is_some() {
                        return None;
                    }
                    first
                }
            };
            Some(knowledge::canonical_type_name(column.type_name.last()?).to_string())
        }
        NodeEnum::FuncCall(f) => {
            let names = tree::names(&f.funcname);
            let name = names.last()?;
            (names.len() == 1 || names[0] == "pg_catalog")
                .then_some(())
                .and_then(|()| JSONB_FUNCTIONS.contains(&name.as_str()).then(|| "jsonb".to_string()))
        }
        NodeEnum::AExpr(e) if e.lexpr.is_some() => {
            let op = tree::names(&e.name);
            let left = e.lexpr.as_ref()?.node.as_ref()?;
            match op.last()?.as_str() {
                // `->` and `#>` give jsonb of jsonb (and json of json).
                "->" | "#>" => of(ctx, relations, left).filter(|t| t == "jsonb" || t == "json"),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Built-in functions whose result is always jsonb, whatever their arguments.
const JSONB_FUNCTIONS: &[&str] = &[
    "jsonb_extract_path",
    "jsonb_path_query",
    "jsonb_path_query_first",
    "jsonb_path_query_first_tz",
    "jsonb_array_elements",
    "to_jsonb",
    "jsonb_build_object",
    "jsonb_build_array",
    "jsonb_set",
    "jsonb_strip_nulls",
];

/// Whether the expression is an untyped string literal (`'((0,0),(1,1))'`): PostgreSQL gives it
/// the type the other operand's operators want.
pub fn is_untyped_literal(node: &NodeEnum) -> bool {
    matches!(node, NodeEnum::AConst(c) if matches!(c.val, Some(Val::Sval(_))))
}

/// A type as SQL writes it: `integer` for `int4`, `box[]` for `_box`.
pub fn display(t: &str) -> String {
    if let Some(element) = t.strip_prefix('_') {
        return format!("{}[]", display(element));
    }
    match t {
        "int2" => "smallint",
        "int4" => "integer",
        "int8" => "bigint",
        "float4" => "real",
        "float8" => "double precision",
        "bool" => "boolean",
        other => other,
    }
    .to_string()
}
