//! A third-party extension at a version that predates its project's PostgreSQL 18 support. The
//! live audit's installed extensions come here as `CREATE EXTENSION ... VERSION` documents; in
//! files, only a `CREATE EXTENSION` that pins a version is judged (without one, the version is
//! whatever the installation offers).

use pg_query::NodeEnum;

use crate::diagnostic::{Diagnostic, Remedy, Severity};
use crate::knowledge::target::TARGET;
use crate::knowledge::{EXTENSIONS_FOR_18, ExtensionLibrary, version_older};
use crate::rules::{Area, Ctx, FixAvailability, Rule, RuleMeta, StatementKind};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "extension-version-unsupported",
        area: Area::Upgrade,
        severity: Severity::Error,
        fix: FixAvailability::None,
        summary: "An extension at a version older than its first release for PostgreSQL 18 (PostGIS, pgvector, TimescaleDB, Citus), or one that must be created again (pg_repack)",
        doc: include_str!("../../../rules/extension-version-unsupported.md"),
    },
    hooks: &[StatementKind::CreateExtension],
    check: Some(check),
    check_model: None,
    keywords: &[],
};

fn pinned_version(e: &pg_query::protobuf::CreateExtensionStmt) -> Option<String> {
    e.options.iter().find_map(|o| match &o.node {
        Some(NodeEnum::DefElem(d)) if d.defname == "new_version" => match d.arg.as_ref().and_then(|a| a.node.as_ref()) {
            Some(NodeEnum::String(s)) => Some(s.sval.clone()),
            _ => None,
        },
        _ => None,
    })
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let NodeEnum::CreateExtensionStmt(e) = ctx.node else { return };
    let Some(&(name, first, library, after, source)) = EXTENSIONS_FOR_18.iter().find(|(n, ..)| *n == e.extname) else { return };
    let Some(version) = pinned_version(e) else { return };
    let live = ctx.schema.catalog.is_some();
    let db = ctx.schema.catalog.as_ref().and_then(|c| c.this_database.as_ref()).map(|(d, _)| d.name.clone());
    let span = ctx.ident_span(ctx.range.start, name, ctx.range.clone());
    let quoted = crate::quote::ident(name);
    let after = after.map_or_else(|| format!("ALTER EXTENSION {quoted} UPDATE;"), str::to_string);
    let d = match library {
        ExtensionLibrary::Recreate if live => RULE
            .report(ctx.file, span, format!("extension `{name}` {version} has no update path: after pg_upgrade it must be dropped and created again"))
            .severity(Severity::Warning)
            .help(format!(
                "Install {name} {first} or later built for PostgreSQL {TARGET} in the new installation; after pg_upgrade, drop the \
                 extension and create it again (`DROP EXTENSION {quoted}; CREATE EXTENSION {quoted};`): it holds no data of \
                 yours, and its tools refuse to run when the library's version is not the catalog's. Source: {source}."
            ))
            .remedy(Remedy::new_cluster(format!("DROP EXTENSION {quoted}; CREATE EXTENSION {quoted};")).in_database_if(db)),
        ExtensionLibrary::Recreate => return,
        // A version that is not made of numbers (a test's `mock-1`) is not judged.
        _ if version_older(&version, first) != Some(true) => return,
        _ if !live => RULE
            .report(
                ctx.file,
                span,
                format!("extension `{name}` pinned to {version}, older than its first release for PostgreSQL {TARGET} ({first})"),
            )
            .severity(Severity::Warning)
            .help(format!(
                "An installation for PostgreSQL {TARGET} has {name} {first} or later: CREATE EXTENSION ... VERSION '{version}' fails \
                 there unless the package still ships a way to that version, and then it creates the objects of a release that \
                 predates {TARGET} under the new library. Leave VERSION out (the installation's default) or pin {first} or later. \
                 Source: {source}."
            )),
        ExtensionLibrary::SameVersionOnBoth => RULE
            .report(ctx.file, span, format!("extension `{name}` {version} predates PostgreSQL {TARGET} support ({first}): pg_upgrade needs this same version built for {TARGET}"))
            .help(format!(
                "The new installation must have the very version installed in the old cluster, and no {name} older than {first} \
                 is built for PostgreSQL {TARGET}: update the extension in the old cluster first (install {first} or later there, \
                 then `ALTER EXTENSION {quoted} UPDATE;` in every database that has it, as the project documents), then run \
                 pg_upgrade. If no version for {TARGET} supports the old cluster's major, upgrade PostgreSQL in two steps. \
                 Source: {source}."
            ))
            .remedy(
                Remedy::old(format!("ALTER EXTENSION {quoted} UPDATE;"))
                    .in_database_if(db)
                    .decide(format!("install {name} {first} or later for the old cluster's PostgreSQL first; the project's upgrade notes come first")),
            ),
        ExtensionLibrary::Unversioned => RULE
            .report(ctx.file, span, format!("extension `{name}` {version} predates PostgreSQL {TARGET} support ({first}): install {first} or later in the new installation"))
            .severity(Severity::Warning)
            .help(format!(
                "pg_upgrade needs the extension's library in the new installation (\"Checking for presence of required libraries\"): \
                 install {name} {first} or later built for PostgreSQL {TARGET}. Its library loads the old version's objects; after \
                 pg_upgrade, bring them to the new version with `{after}` in every database that has it. Source: {source}."
            ))
            .remedy(Remedy::new_cluster(after).in_database_if(db)),
    };
    out.push(d);
}
