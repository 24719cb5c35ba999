//! Unlogged partitioned tables: PostgreSQL 18 refuses them (and ALTER TABLE ... SET [UN]LOGGED on
//! a partitioned table, which used to do nothing).

use pg_query::NodeEnum;
use pg_query::protobuf::AlterTableType;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};
use crate::sql::tree;
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "unlogged-partitioned-table",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::Sometimes(Applicability::Safe),
        summary: concat!("An UNLOGGED partitioned table, or SET [UN]LOGGED on one, fails on ", target_name!()),
        doc: include_str!("../../../rules/unlogged-partitioned-table.md"),
    },
    hooks: &[StatementKind::CreateTable, StatementKind::AlterTable],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

const HELP: &str = concat!(
    target_name!(),
    " refuses unlogged partitioned tables (0A000). Before 18 the keyword did nothing for the \
    partitioned table itself (its partitions were not made unlogged), so dropping it keeps the behaviour; declare each \
    partition UNLOGGED if that is what you wanted."
);

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    match ctx.node {
        NodeEnum::CreateStmt(c) => {
            let Some(rel) = &c.relation else { return };
            if rel.relpersistence != "u" || c.partspec.is_none() {
                return;
            }
            let toks = tree::tokens(ctx.text, ctx.range.clone());
            let Some(kw) = toks.iter().find(|t| ctx.text[t.range.clone()].eq_ignore_ascii_case("unlogged")) else { return };
            if ctx.schema.catalog.is_some() {
                // A live server's table: pg_upgrade carries it over (pg_dump 18 leaves UNLOGGED
                // out for a partitioned table; checked with pg_upgrade --check 15 -> 18). Only
                // a dump made by the old pg_dump fails to restore on 18.
                out.push(
                    RULE.report(
                        ctx.file,
                        kw.range.clone(),
                        format!(
                            concat!(
                                "partitioned table `{}` is marked UNLOGGED: pg_upgrade carries it over, but a dump made by this \
                                 server's pg_dump fails to restore on ",
                                target_name!()
                            ),
                            rel.relname
                        ),
                    )
                    .severity(Severity::Warning)
                    .help(concat!(
                        "pg_dump ",
                        target_name!(),
                        " leaves UNLOGGED out for partitioned tables, and pg_upgrade uses it. If you move data by dump and \
                         restore, dump with ",
                        target_name!(),
                        "'s pg_dump, or remove the keyword from the old dump's CREATE TABLE. The partitions keep their own \
                         persistence."
                    )),
                );
                return;
            }
            // Remove the keyword and the blank that follows it.
            let end = toks.iter().find(|t| t.range.start > kw.range.start).map_or(kw.range.end, |n| n.range.start);
            out.push(
                RULE.report(
                    ctx.file,
                    kw.range.clone(),
                    format!(concat!("partitioned table `{}` is UNLOGGED: ", target_name!(), " refuses this"), rel.relname),
                )
                .help(HELP)
                .fix("Remove UNLOGGED", Applicability::Safe, vec![Edit::replace(ctx.file, kw.range.start..end, "")]),
            );
        }
        NodeEnum::AlterTableStmt(a) => {
            let Some(rel) = &a.relation else { return };
            let Some(table) = ctx.schema.table(&tree::relation_key(rel)) else { return };
            if !table.partitioned {
                return;
            }
            for cmd in &a.cmds {
                let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node else { continue };
                let what = match AlterTableType::try_from(cmd.subtype) {
                    Ok(AlterTableType::AtSetUnLogged) => "UNLOGGED",
                    Ok(AlterTableType::AtSetLogged) => "LOGGED",
                    _ => continue,
                };
                let toks = tree::tokens(ctx.text, ctx.range.clone());
                let span = toks
                    .iter()
                    .find(|t| ctx.text[t.range.clone()].eq_ignore_ascii_case(what))
                    .map_or(ctx.range.start..ctx.range.start + 1, |t| t.range.clone());
                out.push(
                    RULE.report(
                        ctx.file,
                        span,
                        format!(
                            "ALTER TABLE {} SET {what} on a partitioned table fails on PostgreSQL {TARGET} (it did nothing before)",
                            rel.relname
                        ),
                    )
                    .help("Run SET LOGGED / SET UNLOGGED on the partitions instead; on the partitioned table it never had an effect."),
                );
            }
        }
        _ => {}
    }
}
