//! The objects of one database, read from its catalogs with a fixed set of queries and rebuilt
//! as SQL definitions PostgreSQL accepts, in an order that builds them up.

use std::collections::{HashMap, HashSet};

use tokio_postgres::Client;

use super::connect::Target;
use super::read::{ReadError, USER_NS, opt_text, optional_counted, query_counted, text};
use super::*;

mod stat_statements;

/// Relation kinds that hold rows or define a row type.
struct Relation {
    qname: String,
    name: String,
    kind: String,
    persistence: String,
    partkey: Option<String>,
    partbound: Option<String>,
    viewdef: Option<String>,
    parents: Vec<String>,
    server: Option<String>,
}

/// The objects of the connected database as SQL definitions, built from a fixed set of queries.
pub(super) async fn database_objects(
    client: &Client,
    target: &Target,
    major: u32,
    skipped: &mut Vec<Skipped>,
) -> Result<DatabaseObjects, ReadError> {
    let mut r = ObjectReader { client, target, major, count: std::cell::Cell::new(0), objects: Vec::new() };
    let stat_statements_schema = r.extensions().await?;
    r.collations().await?;
    r.types().await?;
    let relations = r.relations().await?;
    let (columns, not_null) = r.columns().await?;
    let (inline, foreign_keys) = r.constraints().await?;
    r.tables(&relations, columns, &not_null, inline);
    for (name, sql) in foreign_keys {
        r.push("constraint", name, sql);
    }
    // Functions before the indexes and views that may call them: a rule judging an expression
    // index sees the function's body, as in files where the function is created first.
    r.functions().await?;
    r.indexes().await?;
    r.statistics().await?;
    r.views(&relations);
    r.triggers().await?;
    r.publications().await?;
    r.catalog_function_privileges().await?;
    if major <= 13 {
        r.objects_14_refuses().await?;
    }
    let subscriptions = r.subscriptions(skipped).await?;
    let statements = match stat_statements_schema {
        Some(schema) => r.stat_statements(&schema, skipped).await?,
        None => None,
    };
    let (dump_load, event_triggers) = super::dump_load::read(client, target, &r.count).await?;
    Ok(DatabaseObjects {
        name: target.dbname().to_string(),
        objects: r.objects,
        subscriptions,
        queries: r.count.get(),
        statements,
        dump_load: Some(dump_load),
        event_triggers,
    })
}

/// Definitions (columns, constraints) by relation (`schema.name`, quoted).
type Definitions = HashMap<String, Vec<String>>;
/// Each relation's columns and whether each is NOT NULL.
type NotNull = HashMap<String, Vec<(String, bool)>>;

/// Reads one database's objects: each kind of object is one query (or none), so the number of
/// queries is constant whatever the database's size (a test checks).
struct ObjectReader<'a> {
    client: &'a Client,
    target: &'a Target,
    major: u32,
    /// Catalog queries so far.
    count: std::cell::Cell<u32>,
    objects: Vec<CatalogObject>,
}

impl ObjectReader<'_> {
    async fn rows(&self, sql: &str) -> Result<Vec<tokio_postgres::Row>, ReadError> {
        query_counted(self.client, self.target, &self.count, sql).await
    }

    fn push(&mut self, kind: &str, name: String, sql: String) {
        self.objects.push(CatalogObject { kind: kind.into(), name, sql, ident: None });
    }

    /// The extensions; returns the schema of pg_stat_statements (quoted) when it is installed.
    async fn extensions(&mut self) -> Result<Option<String>, ReadError> {
        let rows = self
            .rows(
                "SELECT quote_ident(e.extname), e.extname::text, quote_ident(n.nspname), e.extversion \
             FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY e.oid",
            )
            .await?;
        let mut stat_statements = None;
        for r in rows {
            if text(&r, 1) == "pg_stat_statements" {
                stat_statements = Some(text(&r, 2));
            }
            self.push(
                "extension",
                text(&r, 1),
                format!(
                    "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {} VERSION {};",
                    text(&r, 0),
                    text(&r, 2),
                    quote_literal(&text(&r, 3))
                ),
            );
        }
        Ok(stat_statements)
    }

    /// Collations: a column's collation and whether it is deterministic matter to FK rules.
    async fn collations(&mut self) -> Result<(), ReadError> {
        let (locale, deterministic) = match self.major {
            17.. => ("coalesce(c.colllocale, c.collcollate)", "c.collisdeterministic"),
            15 | 16 => ("coalesce(c.colliculocale, c.collcollate)", "c.collisdeterministic"),
            _ => ("c.collcollate", "c.collisdeterministic"),
        };
        let rows = self
            .rows(&format!(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.collname), n.nspname || '.' || c.collname, \
                        c.collprovider::text, {locale}, {deterministic} \
                 FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE {USER_NS} AND {} ORDER BY c.oid",
                ext_member("pg_collation", "c.oid")
            ))
            .await?;
        for r in rows {
            let provider = match text(&r, 2).as_str() {
                "i" => "icu",
                "b" => "builtin",
                _ => "libc",
            };
            let det = r.get::<_, bool>(4);
            self.push(
                "collation",
                text(&r, 1),
                format!(
                    "CREATE COLLATION {} (provider = {provider}, locale = {}, deterministic = {det});",
                    text(&r, 0),
                    quote_literal(&text(&r, 3))
                ),
            );
        }
        Ok(())
    }

    /// Domains, enums, ranges and base types, in creation order.
    async fn types(&mut self) -> Result<(), ReadError> {
        let rows = self.rows(
            &format!(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(t.typname), n.nspname || '.' || t.typname, t.typtype::text, \
                        CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END, \
                        CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT quote_literal(enumlabel) FROM pg_enum WHERE enumtypid = t.oid ORDER BY enumsortorder) END, \
                        CASE WHEN t.typtype = 'r' THEN (SELECT format_type(rngsubtype, NULL) FROM pg_range WHERE rngtypid = t.oid) END, \
                        ARRAY(SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c WHERE c.contypid = t.oid ORDER BY c.oid), \
                        t.typnotnull, t.typdefault \
                 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
                 WHERE {USER_NS} AND (t.typtype IN ('d', 'e', 'r') OR (t.typtype = 'b' AND NOT EXISTS (SELECT 1 FROM pg_type a WHERE a.typarray = t.oid))) \
                   AND {} ORDER BY t.oid",
                ext_member("pg_type", "t.oid")
            ),
        )
        .await?;
        for r in rows {
            let (q, name) = (text(&r, 0), text(&r, 1));
            let sql = match text(&r, 2).as_str() {
                "d" => {
                    let mut sql = format!("CREATE DOMAIN {q} AS {}", text(&r, 3));
                    if let Some(default) = opt_text(&r, 8) {
                        sql += &format!(" DEFAULT {default}");
                    }
                    if r.get::<_, bool>(7) {
                        sql += " NOT NULL";
                    }
                    for c in r.get::<_, Vec<String>>(6) {
                        sql += &format!(" {c}");
                    }
                    sql + ";"
                }
                "e" => format!("CREATE TYPE {q} AS ENUM ({});", r.get::<_, Option<Vec<String>>>(4).unwrap_or_default().join(", ")),
                "r" => format!("CREATE TYPE {q} AS RANGE (subtype = {});", text(&r, 5)),
                _ => format!("CREATE TYPE {q};"),
            };
            self.push("type", name, sql);
        }
        Ok(())
    }

    /// Tables, views, materialized views and composite types, in creation order.
    async fn relations(&self) -> Result<Vec<Relation>, ReadError> {
        let relations: Vec<Relation> = self.rows(
            &format!(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), n.nspname || '.' || c.relname, c.relkind::text, \
                        c.relpersistence::text, \
                        CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, \
                        CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, \
                        CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, \
                        ARRAY(SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) FROM pg_inherits i \
                              JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace \
                              WHERE i.inhrelid = c.oid ORDER BY i.inhseqno), \
                        (SELECT quote_ident(s.srvname) FROM pg_foreign_table ft JOIN pg_foreign_server s ON s.oid = ft.ftserver WHERE ft.ftrelid = c.oid), \
                        c.oid::int8 \
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c') AND {USER_NS} ORDER BY c.oid"
            ),
        )
        .await?
        .iter()
        .map(|r| Relation {
            qname: text(r, 0),
            name: text(r, 1),
            kind: text(r, 2),
            persistence: text(r, 3),
            partkey: opt_text(r, 4),
            partbound: opt_text(r, 5),
            viewdef: opt_text(r, 6),
            parents: r.get::<_, Option<Vec<String>>>(7).unwrap_or_default(),
            server: opt_text(r, 8),
        })
        .collect();
        Ok(relations)
    }

    /// Columns of every table, foreign table and composite type, in one query: their definitions
    /// and whether each is NOT NULL, by relation.
    async fn columns(&self) -> Result<(Definitions, NotNull), ReadError> {
        let generated = if self.major >= 12 { "a.attgenerated::text" } else { "''" };
        let mut columns: HashMap<String, Vec<String>> = HashMap::new();
        let mut not_null: HashMap<String, Vec<(String, bool)>> = HashMap::new();
        let rows = self.rows(
            &format!(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), \
                        a.attnotnull, {generated}, pg_get_expr(d.adbin, d.adrelid), \
                        CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation \
                             THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END, \
                        a.attidentity::text \
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 JOIN pg_type t ON t.oid = a.atttypid \
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
                 LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace \
                 WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'c') AND NOT c.relispartition AND {USER_NS} \
                 ORDER BY a.attrelid, a.attnum"
            ),
        )
        .await?;
        for r in rows {
            let mut col = format!("{} {}", text(&r, 1), text(&r, 2));
            if let Some(coll) = opt_text(&r, 6) {
                col += &format!(" COLLATE {coll}");
            }
            let default = opt_text(&r, 5);
            match (text(&r, 4).as_str(), text(&r, 7).as_str(), default) {
                ("s", _, Some(expr)) => col += &format!(" GENERATED ALWAYS AS ({expr}) STORED"),
                ("v", _, Some(expr)) => col += &format!(" GENERATED ALWAYS AS ({expr}) VIRTUAL"),
                (_, "a", _) => col += " GENERATED ALWAYS AS IDENTITY",
                (_, "d", _) => col += " GENERATED BY DEFAULT AS IDENTITY",
                (_, _, Some(expr)) => col += &format!(" DEFAULT {expr}"),
                _ => {}
            }
            if r.get::<_, bool>(3) {
                col += " NOT NULL";
            }
            not_null.entry(text(&r, 0)).or_default().push((text(&r, 1), r.get::<_, bool>(3)));
            columns.entry(text(&r, 0)).or_default().push(col);
        }
        Ok((columns, not_null))
    }

    /// Keys, check and exclusion constraints go into their table's definition (rules see a key
    /// where the column is defined); foreign keys come after every table.
    async fn constraints(&self) -> Result<(Definitions, Vec<(String, String)>), ReadError> {
        let mut inline: HashMap<String, Vec<String>> = HashMap::new();
        let mut foreign_keys = Vec::new();
        let rows = self.rows(
            &format!(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(con.conname), \
                        n.nspname || '.' || c.relname || '.' || con.conname, pg_get_constraintdef(con.oid), con.contype::text, c.relkind::text \
                 FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE con.contype IN ('p', 'u', 'c', 'x', 'f') AND con.conislocal AND con.conparentid = 0 AND c.relkind IN ('r', 'p', 'f') AND {USER_NS} \
                 ORDER BY con.oid"
            ),
        )
        .await?;
        for r in rows {
            let (table, name, def) = (text(&r, 0), text(&r, 1), text(&r, 3));
            if text(&r, 4) == "f" || text(&r, 5) == "f" {
                foreign_keys.push((text(&r, 2), format!("ALTER TABLE ONLY {table} ADD CONSTRAINT {name} {def};")));
            } else {
                inline.entry(table).or_default().push(format!("CONSTRAINT {name} {def}"));
            }
        }
        Ok((inline, foreign_keys))
    }

    /// Composite types before the tables that may use them; parents before their children.
    fn tables(&mut self, relations: &[Relation], mut columns: Definitions, not_null: &NotNull, mut inline: Definitions) {
        for rel in relations.iter().filter(|r| r.kind == "c") {
            let cols = columns.remove(&rel.qname).unwrap_or_default();
            self.push("type", rel.name.clone(), format!("CREATE TYPE {} AS (\n    {}\n);", rel.qname, cols.join(",\n    ")));
        }
        let tables: Vec<&Relation> = relations.iter().filter(|r| matches!(r.kind.as_str(), "r" | "p" | "f")).collect();
        let mut emitted: HashSet<&str> = HashSet::new();
        let mut pending: Vec<&Relation> = tables.clone();
        while !pending.is_empty() {
            let before = pending.len();
            let known: HashSet<&str> = tables.iter().map(|t| t.qname.as_str()).collect();
            let mut next = Vec::new();
            for rel in pending {
                let ready = rel.parents.iter().all(|p| emitted.contains(p.as_str()) || !known.contains(p.as_str()));
                if !ready {
                    next.push(rel);
                    continue;
                }
                emitted.insert(&rel.qname);
                let sql = table_sql(rel, columns.remove(&rel.qname).unwrap_or_default(), inline.remove(&rel.qname).unwrap_or_default());
                self.push("table", rel.name.clone(), sql + &dropped_not_null(rel, not_null));
            }
            if next.len() == before {
                // Inheritance cycles cannot exist; stay safe anyway.
                for rel in next {
                    self.push(
                        "table",
                        rel.name.clone(),
                        table_sql(rel, columns.remove(&rel.qname).unwrap_or_default(), inline.remove(&rel.qname).unwrap_or_default()),
                    );
                }
                break;
            }
            pending = next;
        }
    }

    async fn indexes(&mut self) -> Result<(), ReadError> {
        let rows = self
            .rows(&format!(
                "SELECT n.nspname || '.' || ic.relname, pg_get_indexdef(i.indexrelid) \
                 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace \
                 WHERE {USER_NS} AND NOT ic.relispartition \
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint x WHERE x.conindid = i.indexrelid AND x.contype IN ('p', 'u', 'x')) \
                 ORDER BY i.indexrelid"
            ))
            .await?;
        for r in rows {
            self.push("index", text(&r, 0), format!("{};", text(&r, 1)));
        }
        Ok(())
    }

    /// Extended statistics objects (CREATE STATISTICS): pg_upgrade carries their definitions,
    /// not what ANALYZE computed for them.
    async fn statistics(&mut self) -> Result<(), ReadError> {
        let rows = self
            .rows(&format!(
                "SELECT n.nspname || '.' || s.stxname, pg_get_statisticsobjdef(s.oid) \
                 FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace \
                 WHERE {USER_NS} AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_statistic_ext'::regclass \
                   AND d.objid = s.oid AND d.deptype = 'e') ORDER BY s.oid"
            ))
            .await?;
        for r in rows {
            self.push("statistics", text(&r, 0), format!("{};", text(&r, 1)));
        }
        Ok(())
    }

    async fn functions(&mut self) -> Result<(), ReadError> {
        let rows = self.rows(
            &format!(
                "SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_functiondef(p.oid), \
                        n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid) \
                 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE {USER_NS} AND p.prokind IN ('f', 'p') AND {} \
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i') \
                 ORDER BY p.oid",
                ext_member("pg_proc", "p.oid")
            ),
        )
        .await?;
        for r in rows {
            self.push("function", text(&r, 0), format!("{};", text(&r, 1).trim_end()));
            // As ALTER FUNCTION names it (the remediation script's RESET of a setting).
            let ident = format!("{}({})", crate::quote::qualified(&text(&r, 2), &text(&r, 3)), text(&r, 4));
            self.objects.last_mut().expect("just pushed").ident = Some(ident);
        }
        Ok(())
    }

    /// Views and materialized views, in creation order (a view can only use older ones).
    fn views(&mut self, relations: &[Relation]) {
        for rel in relations.iter().filter(|r| r.kind == "v" || r.kind == "m") {
            let def = rel.viewdef.clone().unwrap_or_default();
            let def = def.trim().trim_end_matches(';');
            let sql = if rel.kind == "v" {
                format!("CREATE VIEW {} AS\n{def};", rel.qname)
            } else {
                format!("CREATE MATERIALIZED VIEW {} AS\n{def}\nWITH NO DATA;", rel.qname)
            };
            self.push(if rel.kind == "v" { "view" } else { "materialized-view" }, rel.name.clone(), sql);
        }
    }

    async fn triggers(&mut self) -> Result<(), ReadError> {
        let rows = self
            .rows(&format!(
                "SELECT n.nspname || '.' || c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid) \
                 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND {USER_NS} ORDER BY t.oid"
            ))
            .await?;
        for r in rows {
            self.push("trigger", text(&r, 0), format!("{};", text(&r, 1)));
        }
        Ok(())
    }

    async fn publications(&mut self) -> Result<(), ReadError> {
        let schemas = if self.major >= 15 {
            "ARRAY(SELECT quote_ident(n.nspname) FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid ORDER BY 1)"
        } else {
            "ARRAY[]::text[]"
        };
        let gencols = if self.major >= 18 { "p.pubgencols::text" } else { "NULL::text" };
        let rows = self.rows(
            &format!(
                "SELECT quote_ident(p.pubname), p.pubname::text, p.puballtables, \
                        ARRAY(SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_publication_rel pr \
                              JOIN pg_class c ON c.oid = pr.prrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE pr.prpubid = p.oid ORDER BY 1), \
                        {schemas}, {gencols} \
                 FROM pg_publication p ORDER BY p.oid"
            ),
        )
        .await?;
        for r in rows {
            let mut targets: Vec<String> = Vec::new();
            let tables = r.get::<_, Vec<String>>(3);
            let schemas = r.get::<_, Vec<String>>(4);
            if !tables.is_empty() {
                targets.push(format!("TABLE {}", tables.join(", ")));
            }
            if !schemas.is_empty() {
                targets.push(format!("TABLES IN SCHEMA {}", schemas.join(", ")));
            }
            let mut sql = format!("CREATE PUBLICATION {}", text(&r, 0));
            if r.get::<_, bool>(2) {
                sql += " FOR ALL TABLES";
            } else if !targets.is_empty() {
                sql += &format!(" FOR {}", targets.join(", "));
            }
            if opt_text(&r, 5).as_deref() == Some("s") {
                sql += " WITH (publish_generated_columns = stored)";
            }
            self.push("publication", text(&r, 1), sql + ";");
        }
        Ok(())
    }

    /// Privileges granted or revoked on built-in functions: pg_dump writes them as GRANT and
    /// REVOKE statements naming each function by signature, and a restore into a release that
    /// removed that signature fails (pg_upgrade --check does not look). Each comes back as those
    /// statements, for the file rules.
    async fn catalog_function_privileges(&mut self) -> Result<(), ReadError> {
        let rows = self
            .rows(
                "SELECT 'pg_catalog.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', \
                        coalesce(p.proacl::text, 'the default'), \
                        EXISTS (SELECT FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a \
                                WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'), \
                        ARRAY(SELECT quote_ident(pg_get_userbyid(a.grantee)::text) \
                              FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a \
                              WHERE a.grantee NOT IN (0, p.proowner) AND a.privilege_type = 'EXECUTE' ORDER BY a.grantee) \
                 FROM pg_proc p \
                 LEFT JOIN pg_init_privs i ON i.classoid = 'pg_proc'::regclass AND i.objoid = p.oid AND i.objsubid = 0 \
                 WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proacl IS DISTINCT FROM i.initprivs \
                 ORDER BY p.oid",
            )
            .await?;
        for r in rows {
            let (function, acl, public, grantees) = (text(&r, 0), text(&r, 1), r.get::<_, bool>(2), r.get::<_, Vec<String>>(3));
            let mut sql = format!("-- privileges changed since initdb (proacl = {}); pg_dump writes:\n", crate::quote::one_line(&acl));
            if !public {
                sql += &format!("REVOKE ALL ON FUNCTION {function} FROM PUBLIC;\n");
            }
            if !grantees.is_empty() {
                sql += &format!("GRANT ALL ON FUNCTION {function} TO {};\n", grantees.join(", "));
            }
            self.push("function-privileges", function, sql.trim_end().to_string());
        }
        Ok(())
    }

    /// What PostgreSQL 14 no longer accepts and pg_upgrade refuses in a 13 cluster: postfix
    /// operators, aggregates and operators over the array functions 14 moved to the
    /// anycompatible types (declared with the old polymorphic types), user-defined encoding
    /// conversions. Each comes back as the statement that made it, for the file rules.
    async fn objects_14_refuses(&mut self) -> Result<(), ReadError> {
        let operators = self
            .rows(&format!(
                "SELECT n.nspname || '.' || o.oprname, quote_ident(n.nspname) || '.' || o.oprname, \
                        format_type(o.oprleft, NULL), o.oprright = 0, o.oprcode::regprocedure::text, o.oprcode::regproc::text \
                 FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace \
                 WHERE o.oid >= 16384 AND o.oprleft <> 0 AND {} ORDER BY o.oid",
                ext_member("pg_operator", "o.oid")
            ))
            .await?;
        for r in operators {
            let (postfix, procedure) = (r.get::<_, bool>(3), text(&r, 4));
            if postfix {
                let sql = format!("CREATE OPERATOR {} (LEFTARG = {}, FUNCTION = {});", text(&r, 1), text(&r, 2), text(&r, 5));
                self.push("operator", text(&r, 0), sql);
            } else if let Some(old) = old_polymorphic(&procedure) {
                let sql = format!("CREATE OPERATOR {} (LEFTARG = anyarray, RIGHTARG = anyelement, FUNCTION = {old});", text(&r, 1));
                self.push("operator", text(&r, 0), sql);
            }
        }
        let aggregates = self
            .rows(&format!(
                "SELECT p.oid::regprocedure::text, n.nspname || '.' || p.proname, \
                        pg_get_function_identity_arguments(p.oid), format_type(a.aggtranstype, NULL), \
                        ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn]::regprocedure[]::text[] \
                 FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_namespace n ON n.oid = p.pronamespace \
                 WHERE p.oid >= 16384 AND {} ORDER BY p.oid",
                ext_member("pg_proc", "p.oid")
            ))
            .await?;
        for r in aggregates {
            let support: Vec<String> = r.get(4);
            if let Some(old) = support.iter().find_map(|f| old_polymorphic(f)) {
                let sql = format!("CREATE AGGREGATE {}({}) (SFUNC = {old}, STYPE = {});", text(&r, 1), text(&r, 2), text(&r, 3));
                self.push("aggregate", text(&r, 0), sql);
            }
        }
        let conversions = self
            .rows(&format!(
                "SELECT n.nspname || '.' || c.conname, quote_ident(n.nspname) || '.' || quote_ident(c.conname), \
                        pg_encoding_to_char(c.conforencoding), pg_encoding_to_char(c.contoencoding), c.conproc::regproc::text \
                 FROM pg_conversion c JOIN pg_namespace n ON n.oid = c.connamespace \
                 WHERE c.oid >= 16384 AND {} ORDER BY c.oid",
                ext_member("pg_conversion", "c.oid")
            ))
            .await?;
        for r in conversions {
            let sql = format!(
                "CREATE CONVERSION {} FOR {} TO {} FROM {};",
                text(&r, 1),
                quote_literal(&text(&r, 2)),
                quote_literal(&text(&r, 3)),
                text(&r, 4)
            );
            self.push("conversion", text(&r, 0), sql);
        }
        Ok(())
    }

    /// Subscriptions of this database: the connection string is never read (it may hold a password).
    async fn subscriptions(&mut self, skipped: &mut Vec<Skipped>) -> Result<Vec<SubscriptionState>, ReadError> {
        let mut subscriptions = Vec::new();
        let states = if self.major >= 17 {
            "EXISTS (SELECT 1 FROM pg_replication_origin o WHERE o.roname = 'pg_' || s.oid), \
             ARRAY(SELECT r.srrelid::regclass::text || ':' || r.srsubstate::text FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate NOT IN ('i', 'r') ORDER BY 1)"
        } else {
            "true, ARRAY[]::text[]"
        };
        // Streaming came with 14: a 13 subscription does not stream.
        let stream = if self.major >= 14 { "s.substream::text" } else { "'f'" };
        if let Some(rows) = optional_counted(self.client, self.target, &self.count,
            &format!(
                "SELECT quote_ident(s.subname), s.subname::text, {stream}, array_to_string(ARRAY(SELECT quote_ident(x) FROM unnest(s.subpublications) x), ', '), {states}, \
                        (SELECT r.rolname::text FROM pg_roles r WHERE r.oid = s.subowner AND NOT r.rolsuper) \
                 FROM pg_subscription s WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY s.oid"
            ),
            "pg_subscription and pg_subscription_rel (subscriptions)",
            "a superuser",
            skipped,
        )
        .await?
        {
            for r in rows {
                let streaming = match text(&r, 2).as_str() {
                    "t" | "true" => "on",
                    "p" => "parallel",
                    _ => "off",
                };
                self.objects.push(CatalogObject {
                    kind: "subscription".into(),
                    name: text(&r, 1),
                    sql: format!(
                        "-- The connection string is not read from the catalog.\nCREATE SUBSCRIPTION {} CONNECTION '' PUBLICATION {} WITH (connect = false, streaming = {streaming});",
                        text(&r, 0),
                        text(&r, 3)
                    ),
                    ident: None,
                });
                subscriptions.push(SubscriptionState {
                    name: text(&r, 1),
                    has_origin: r.get(4),
                    tables_not_ready: r.get(5),
                    owner_not_superuser: opt_text(&r, 6),
                });
            }
        }
        Ok(subscriptions)
    }
}

/// The name of a 13 built-in with the old polymorphic arguments that 14 changed
/// (`array_append(anyarray,anyelement)`), as pg_upgrade's check lists them.
fn old_polymorphic(procedure: &str) -> Option<&'static str> {
    const OLD: &[(&str, &str)] = &[
        ("array_append(anyarray,anyelement)", "array_append"),
        ("array_cat(anyarray,anyarray)", "array_cat"),
        ("array_prepend(anyelement,anyarray)", "array_prepend"),
        ("array_remove(anyarray,anyelement)", "array_remove"),
        ("array_replace(anyarray,anyelement,anyelement)", "array_replace"),
        ("array_position(anyarray,anyelement)", "array_position"),
        ("array_position(anyarray,anyelement,integer)", "array_position"),
        ("array_positions(anyarray,anyelement)", "array_positions"),
        ("width_bucket(anyelement,anyarray)", "width_bucket"),
    ];
    let bare = procedure.strip_prefix("pg_catalog.").unwrap_or(procedure).replace(", ", ",");
    OLD.iter().find(|(sig, _)| *sig == bare).map(|(_, name)| *name)
}

/// A condition that leaves out objects an extension created (the extension creates them again).
fn ext_member(class: &str, oid: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{class}'::regclass AND d.objid = {oid} AND d.deptype = 'e')")
}

/// An inheritance child whose column is nullable under a NOT NULL parent column (possible before
/// 18): the `DROP NOT NULL` that made it so.
fn dropped_not_null(rel: &Relation, not_null: &HashMap<String, Vec<(String, bool)>>) -> String {
    if rel.partbound.is_some() {
        return String::new();
    }
    let mut out = String::new();
    for (col, nn) in not_null.get(&rel.qname).map(Vec::as_slice).unwrap_or_default() {
        let parent_nn = rel.parents.iter().any(|p| not_null.get(p).is_some_and(|cols| cols.iter().any(|(c, n)| c == col && *n)));
        if !nn && parent_nn {
            out += &format!("\nALTER TABLE ONLY {} ALTER COLUMN {col} DROP NOT NULL;", rel.qname);
        }
    }
    out
}

fn table_sql(rel: &Relation, columns: Vec<String>, constraints: Vec<String>) -> String {
    let unlogged = if rel.persistence == "u" { "UNLOGGED " } else { "" };
    let foreign = if rel.kind == "f" { "FOREIGN " } else { "" };
    let mut sql = match (&rel.partbound, rel.parents.first()) {
        (Some(bound), Some(parent)) => {
            let elements = if constraints.is_empty() { String::new() } else { format!(" (\n    {}\n)", constraints.join(",\n    ")) };
            format!("CREATE {unlogged}TABLE {} PARTITION OF {parent}{elements} {bound}", rel.qname)
        }
        _ => {
            let mut s = format!("CREATE {unlogged}{foreign}TABLE {} (", rel.qname);
            let elements: Vec<String> = columns.into_iter().chain(constraints).collect();
            if !elements.is_empty() {
                s += &format!("\n    {}\n", elements.join(",\n    "));
            }
            s += ")";
            if !rel.parents.is_empty() {
                s += &format!(" INHERITS ({})", rel.parents.join(", "));
            }
            s
        }
    };
    if let Some(key) = &rel.partkey {
        sql += &format!(" PARTITION BY {key}");
    }
    if let Some(server) = &rel.server {
        sql += &format!(" SERVER {server}");
    }
    sql + ";"
}
