//! How a statement changes the model: one method per statement kind the model folds.

use std::ops::Range;
use std::sync::Arc;

use pg_query::NodeEnum;
use pg_query::protobuf::{AlterTableType, ColumnDef, ConstrType, Node, ObjectType};

use super::{Column, Function, Generated, GeneratedKind, Schema, Table};
use crate::diagnostic::{FileId, Origin};
use crate::knowledge::RANDOM_UUID_FUNCTIONS;
use crate::sql::tree;

/// Where the statement being folded is: its file, the file's masked text and its range there
/// (the tree's locations are relative to the range's start).
struct At<'a> {
    file: FileId,
    text: &'a str,
    range: &'a Range<usize>,
}

impl Schema {
    /// Fold one statement into the model. `text` is the masked file text the statement's
    /// locations (relative to `range.start`) point into. Statements of other kinds than
    /// [`FOLDED_KINDS`] leave it as it is.
    pub fn apply(&mut self, file: FileId, text: &str, range: &Range<usize>, node: &NodeEnum) {
        let at = At { file, text, range };
        match node {
            NodeEnum::CreateForeignTableStmt(f) => self.create_foreign_table(&at, f),
            NodeEnum::CreateStmt(c) => self.create_table(&at, c),
            NodeEnum::AlterTableStmt(a) => self.alter_table(&at, a),
            NodeEnum::RenameStmt(r) => self.rename(r),
            NodeEnum::DropStmt(d) if ObjectType::try_from(d.remove_type) == Ok(ObjectType::ObjectTable) => self.drop_tables(d),
            NodeEnum::CreateFunctionStmt(f) => self.create_function(&at, f),
            NodeEnum::CreateEnumStmt(e) => self.add_type(&e.type_name),
            NodeEnum::CompositeTypeStmt(c) => self.create_composite_type(c),
            NodeEnum::CreateDomainStmt(d) => self.create_domain(d),
            NodeEnum::CreateRangeStmt(r) => self.create_range(r),
            NodeEnum::DefineStmt(d) => self.define(d),
            NodeEnum::CreateExtensionStmt(e) => {
                self.extensions.insert(e.extname.clone());
            }
            NodeEnum::CreateSubscriptionStmt(s) => self.create_subscription(&at, s),
            NodeEnum::DropSubscriptionStmt(s) => self.subscriptions.retain(|(n, _)| n != &s.subname),
            _ => {}
        }
    }

    fn create_foreign_table(&mut self, at: &At, f: &pg_query::protobuf::CreateForeignTableStmt) {
        if let Some(base) = &f.base_stmt {
            self.apply(at.file, at.text, at.range, &NodeEnum::CreateStmt(Box::new(base.clone())));
            if let Some(t) = base.relation.as_ref().and_then(|r| self.tables.get_mut(&tree::relation_key(r))).map(Arc::make_mut) {
                t.foreign = true;
            }
        }
    }

    fn create_table(&mut self, at: &At, c: &pg_query::protobuf::CreateStmt) {
        let origin = |span: Range<usize>| Origin { file: at.file, span };
        let base = at.range.start;
        let Some(rel) = &c.relation else { return };
        let key = tree::relation_key(rel);
        let mut columns = Vec::new();
        let mut parents = Vec::new();
        // Partitions and inheritance children get the parent's columns.
        for parent in &c.inh_relations {
            if let Some(NodeEnum::RangeVar(p)) = &parent.node {
                let pkey = tree::relation_key(p);
                if let Some(t) = self.table(&pkey) {
                    columns.extend(t.columns.iter().cloned());
                    parents.push(t.key.clone());
                } else {
                    parents.push(pkey);
                }
            }
        }
        for elt in &c.table_elts {
            if let Some(NodeEnum::ColumnDef(cd)) = &elt.node {
                let col = column_from_def(at.file, at.text, base, at.range.end, cd);
                columns.retain(|c: &Column| c.name != col.name);
                columns.push(col);
            }
        }
        let mut primary_key = Vec::new();
        let mut unique_keys = Vec::new();
        for elt in c.table_elts.iter().chain(&c.constraints) {
            match &elt.node {
                Some(NodeEnum::Constraint(con)) if ConstrType::try_from(con.contype) == Ok(ConstrType::ConstrPrimary) => {
                    let keys = tree::names(&con.keys);
                    columns.iter_mut().filter(|c| keys.contains(&c.name)).for_each(|c| c.not_null = true);
                    primary_key = keys;
                }
                Some(NodeEnum::Constraint(con)) if ConstrType::try_from(con.contype) == Ok(ConstrType::ConstrUnique) => {
                    unique_keys.push(tree::names(&con.keys));
                }
                Some(NodeEnum::ColumnDef(cd)) => {
                    if column_has(cd, ConstrType::ConstrPrimary) {
                        primary_key = vec![cd.colname.clone()];
                    }
                    if column_has(cd, ConstrType::ConstrUnique) {
                        unique_keys.push(vec![cd.colname.clone()]);
                    }
                }
                _ => {}
            }
        }
        let table = Table {
            key: key.clone(),
            columns,
            partitioned: c.partspec.is_some(),
            foreign: false,
            parents,
            is_partition: c.partbound.is_some(),
            primary_key,
            unique_keys,
            origin: origin(at.range.clone()),
        };
        self.insert_table(table);
    }

    fn alter_table(&mut self, at: &At, a: &pg_query::protobuf::AlterTableStmt) {
        let base = at.range.start;
        let Some(rel) = &a.relation else { return };
        let key = tree::relation_key(rel);
        for cmd in &a.cmds {
            let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
            let subtype = AlterTableType::try_from(cmd.subtype).unwrap_or(AlterTableType::Undefined);
            match subtype {
                AlterTableType::AtAddColumn => {
                    if let Some(NodeEnum::ColumnDef(cd)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                        let col = column_from_def(at.file, at.text, base, at.range.end, cd);
                        if let Some(t) = self.table_mut(&key) {
                            t.columns.retain(|c| c.name != col.name);
                            if column_has(cd, ConstrType::ConstrPrimary) {
                                t.primary_key = vec![col.name.clone()];
                            }
                            if column_has(cd, ConstrType::ConstrUnique) {
                                t.unique_keys.push(vec![col.name.clone()]);
                            }
                            t.columns.push(col);
                        }
                    }
                }
                AlterTableType::AtDropColumn => {
                    if let Some(t) = self.table_mut(&key) {
                        t.columns.retain(|c| c.name != cmd.name);
                    }
                }
                AlterTableType::AtSetNotNull | AlterTableType::AtDropNotNull => {
                    let set = subtype == AlterTableType::AtSetNotNull;
                    if let Some(col) = self.table_mut(&key).and_then(|t| t.columns.iter_mut().find(|c| c.name == cmd.name)) {
                        col.not_null = set;
                    }
                }
                AlterTableType::AtAddConstraint => {
                    let Some(NodeEnum::Constraint(con)) = cmd.def.as_ref().and_then(|d| d.node.as_ref()) else { continue };
                    let keys = tree::names(&con.keys);
                    let Some(t) = self.table_mut(&key) else { continue };
                    match ConstrType::try_from(con.contype) {
                        Ok(ConstrType::ConstrPrimary) => {
                            t.columns.iter_mut().filter(|c| keys.contains(&c.name)).for_each(|c| c.not_null = true);
                            t.primary_key = keys;
                        }
                        Ok(ConstrType::ConstrUnique) => t.unique_keys.push(keys),
                        _ => {}
                    }
                }
                AlterTableType::AtColumnDefault => {
                    // `SET DEFAULT expr` (pg_dump sets defaults after CREATE TABLE) or `DROP DEFAULT`.
                    let expr = cmd.def.as_deref();
                    let random = expr.and_then(|e| random_uuid_call(at.file, at.text, base, at.range.end, e));
                    if let Some(col) = self.table_mut(&key).and_then(|t| t.columns.iter_mut().find(|c| c.name == cmd.name)) {
                        col.random_uuid_default = random;
                    }
                }
                AlterTableType::AtDropExpression => {
                    if let Some(col) = self.table_mut(&key).and_then(|t| t.columns.iter_mut().find(|c| c.name == cmd.name)) {
                        col.generated = None;
                    }
                }
                _ => {}
            }
        }
    }

    fn rename(&mut self, r: &pg_query::protobuf::RenameStmt) {
        let Some(rel) = &r.relation else { return };
        let key = tree::relation_key(rel);
        match ObjectType::try_from(r.rename_type).unwrap_or(ObjectType::Undefined) {
            ObjectType::ObjectTable => {
                if let Some(mut t) = self.table(&key).map(|t| t.key.clone()).and_then(|k| self.remove_table(&k)) {
                    let schema = t.key.split_once('.').map_or("public", |(s, _)| s).to_string();
                    t.key = format!("{schema}.{}", r.newname);
                    self.insert_table(t);
                }
            }
            ObjectType::ObjectColumn => {
                if let Some(col) = self.table_mut(&key).and_then(|t| t.columns.iter_mut().find(|c| c.name == r.subname)) {
                    col.name = r.newname.clone();
                }
            }
            _ => {}
        }
    }

    fn drop_tables(&mut self, d: &pg_query::protobuf::DropStmt) {
        for obj in &d.objects {
            if let Some(NodeEnum::List(l)) = &obj.node {
                let parts = tree::names(&l.items);
                let key = match parts.as_slice() {
                    [name] => format!("public.{name}"),
                    [.., schema, name] => format!("{schema}.{name}"),
                    [] => continue,
                };
                if let Some(real) = self.table(&key).map(|t| t.key.clone()) {
                    self.remove_table(&real);
                }
            }
        }
    }

    fn create_function(&mut self, at: &At, f: &pg_query::protobuf::CreateFunctionStmt) {
        let origin = |span: Range<usize>| Origin { file: at.file, span };
        let mut name = tree::names(&f.funcname);
        let Some(fname) = name.pop() else { return };
        let arg_types = tree::routine_arguments(&f.parameters).map(tree::argument_type).collect();
        let required_args = tree::routine_arguments(&f.parameters).filter(|p| p.defexpr.is_none()).count();
        let security_definer = f.options.iter().any(|o| {
            matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "security"
                && matches!(d.arg.as_ref().and_then(|a| a.node.as_ref()), Some(NodeEnum::Boolean(b)) if b.boolval))
        });
        let option = |name: &str| {
            f.options.iter().find_map(|o| match &o.node {
                Some(NodeEnum::DefElem(d)) if d.defname == name => d.arg.as_ref().and_then(|a| a.node.as_ref()),
                _ => None,
            })
        };
        let language = match option("language") {
            Some(NodeEnum::String(s)) => s.sval.to_ascii_lowercase(),
            _ => String::new(),
        };
        // `SET search_path ...` among the routine's options (`set` holds a VariableSetStmt).
        let sets_search_path = f.options.iter().any(|o| {
            matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "set"
                && matches!(d.arg.as_ref().and_then(|a| a.node.as_ref()), Some(NodeEnum::VariableSetStmt(v)) if v.name.eq_ignore_ascii_case("search_path")))
        });
        let path_dependent = matches!(language.as_str(), "sql" | "plpgsql") && f.sql_body.is_none() && !sets_search_path;
        let definition = path_dependent.then(|| at.text.get(at.range.clone())).flatten().map(Arc::from);
        self.functions.entry(fname).or_default().push(Function {
            schema: name.pop(),
            arg_types,
            required_args,
            security_definer,
            origin: origin(at.range.clone()),
            path_dependent_definition: definition,
            unqualified: Default::default(),
        });
    }

    fn create_composite_type(&mut self, c: &pg_query::protobuf::CompositeTypeStmt) {
        if let Some(r) = &c.typevar {
            self.types.insert(r.relname.clone());
            let parts = c
                .coldeflist
                .iter()
                .filter_map(|n| match &n.node {
                    Some(NodeEnum::ColumnDef(cd)) => cd.type_name.as_ref().map(tree::type_names),
                    _ => None,
                })
                .collect();
            self.type_parts.insert(r.relname.clone(), parts);
        }
    }

    fn create_domain(&mut self, d: &pg_query::protobuf::CreateDomainStmt) {
        self.add_type(&d.domainname);
        if let (Some(name), Some(base)) = (tree::names(&d.domainname).pop(), &d.type_name) {
            self.type_parts.insert(name, vec![tree::type_names(base)]);
        }
    }

    fn create_range(&mut self, r: &pg_query::protobuf::CreateRangeStmt) {
        self.add_type(&r.type_name);
        let subtype = r.params.iter().find_map(|p| match &p.node {
            Some(NodeEnum::DefElem(d)) if d.defname == "subtype" => match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
                Some(NodeEnum::TypeName(t)) => Some(tree::type_names(t)),
                _ => None,
            },
            _ => None,
        });
        if let (Some(name), Some(sub)) = (tree::names(&r.type_name).pop(), subtype) {
            self.type_parts.insert(name, vec![sub]);
        }
    }

    fn define(&mut self, d: &pg_query::protobuf::DefineStmt) {
        match ObjectType::try_from(d.kind) {
            Ok(ObjectType::ObjectCollation) => {
                if let Some(name) = tree::names(&d.defnames).pop() {
                    let deterministic = !d.definition.iter().any(|o| match &o.node {
                        Some(NodeEnum::DefElem(e)) if e.defname.eq_ignore_ascii_case("deterministic") => {
                            matches!(e.arg.as_ref().and_then(|a| a.node.as_ref()),
                            Some(NodeEnum::String(s)) if matches!(s.sval.to_ascii_lowercase().as_str(), "false" | "off" | "no" | "0"))
                                || matches!(e.arg.as_ref().and_then(|a| a.node.as_ref()), Some(NodeEnum::Boolean(b)) if !b.boolval)
                                || matches!(e.arg.as_ref().and_then(|a| a.node.as_ref()), Some(NodeEnum::Integer(i)) if i.ival == 0)
                        }
                        _ => false,
                    });
                    self.collations.insert(name.to_lowercase(), deterministic);
                }
            }
            Ok(ObjectType::ObjectType) => self.add_type(&d.defnames),
            Ok(ObjectType::ObjectOperator) => {
                if let Some(op) = tree::names(&d.defnames).pop() {
                    self.operators.insert(op);
                }
            }
            _ => {}
        }
    }

    fn create_subscription(&mut self, at: &At, s: &pg_query::protobuf::CreateSubscriptionStmt) {
        let origin = |span: Range<usize>| Origin { file: at.file, span };
        self.subscriptions.retain(|(n, _)| n != &s.subname);
        self.subscriptions.push((s.subname.clone(), origin(at.range.clone())));
    }

    fn add_type(&mut self, name: &[Node]) {
        if let Some(n) = tree::names(name).pop() {
            self.types.insert(n);
        }
    }
}

fn column_has(cd: &ColumnDef, kind: ConstrType) -> bool {
    cd.constraints.iter().any(|c| matches!(&c.node, Some(NodeEnum::Constraint(con)) if ConstrType::try_from(con.contype) == Ok(kind)))
}

/// A call of a random-UUID function without arguments in a default expression: the span of the
/// call (up to its closing parenthesis) and the function's name as written.
fn random_uuid_call(file: FileId, text: &str, base: usize, stmt_end: usize, expr: &Node) -> Option<(Origin, String)> {
    tree::expr_facts(expr).functions.into_iter().find_map(|call| {
        let name = call.name.last()?;
        if call.nargs != 0 || !RANDOM_UUID_FUNCTIONS.contains(&name.as_str()) {
            return None;
        }
        let start = base + call.location;
        let toks = tree::tokens(text, start..stmt_end);
        let close = toks.iter().find(|t| text.get(t.range.clone()) == Some(")"))?;
        Some((Origin { file, span: start..close.range.end }, call.name.join(".")))
    })
}

fn column_from_def(file: FileId, text: &str, base: usize, stmt_end: usize, cd: &ColumnDef) -> Column {
    let start = base + cd.location.max(0) as usize;
    let mut generated = None;
    for c in &cd.constraints {
        let Some(NodeEnum::Constraint(con)) = &c.node else { continue };
        if ConstrType::try_from(con.contype) != Ok(ConstrType::ConstrGenerated) {
            continue;
        }
        let at = base + con.location.max(0) as usize;
        let Some(tail) = tree::generation_tail(text, at, stmt_end) else { continue };
        let kind = if con.generated_kind == "s" { GeneratedKind::Stored } else { GeneratedKind::Virtual };
        let clause_end = tail.keyword.as_ref().map_or(tail.expr_end, |k| k.end);
        generated = Some(Generated {
            kind,
            explicit: tail.keyword.is_some(),
            clause: Origin { file, span: at..clause_end },
            tail,
            expr: con.raw_expr.clone(),
            expr_base: base,
        });
    }
    let not_null = cd.is_not_null
        || cd.constraints.iter().any(|c| {
            matches!(&c.node, Some(NodeEnum::Constraint(con))
                if matches!(ConstrType::try_from(con.contype), Ok(ConstrType::ConstrNotnull | ConstrType::ConstrPrimary)))
        });
    let collation = cd.coll_clause.as_ref().and_then(|c| tree::names(&c.collname).pop()).map(|n| n.to_lowercase());
    let random_uuid_default = cd.constraints.iter().find_map(|c| match &c.node {
        Some(NodeEnum::Constraint(con)) if ConstrType::try_from(con.contype) == Ok(ConstrType::ConstrDefault) => {
            random_uuid_call(file, text, base, stmt_end, con.raw_expr.as_deref()?)
        }
        _ => None,
    });
    Column {
        collation,
        not_null,
        name: cd.colname.clone(),
        type_name: cd.type_name.as_ref().map(tree::type_names).unwrap_or_default(),
        generated,
        random_uuid_default,
        origin: Origin { file, span: start..start + cd.colname.len().max(1) },
    }
}
