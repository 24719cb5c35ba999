//! A key column defaulting to random (v4) UUIDs, where PostgreSQL 18's `uuidv7()` gives
//! time-ordered keys. Judged on the model after every statement: a pg_dump lays a table out in
//! pieces (the default by `ALTER COLUMN ... SET DEFAULT`, the key by `ADD CONSTRAINT`), and a
//! later migration may change either.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::knowledge::target::TARGET;
use crate::rules::{Area, FixAvailability, ModelCtx, Rule, RuleMeta};
use crate::target_name;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "uuid-random-default",
        area: Area::Uuid,
        severity: Severity::Info,
        fix: FixAvailability::Always(Applicability::Unsafe),
        summary: concat!(
            "A primary or unique key defaulting to gen_random_uuid()/uuid_generate_v4(): consider uuidv7() on ",
            target_name!()
        ),
        doc: include_str!("../../../rules/uuid-random-default.md"),
    },
    hooks: &[],
    check: None,
    check_model: Some(check_model),
    keywords: &[],
};

fn check_model(m: &ModelCtx, out: &mut Vec<Diagnostic>) {
    for table in m.schema.tables.values() {
        for column in &table.columns {
            let Some((call, written)) = &column.random_uuid_default else { continue };
            // Only keys (the column leading one): index locality is what uuidv7() improves.
            let leads = |key: &Vec<String>| key.first() == Some(&column.name);
            let what = if leads(&table.primary_key) {
                "primary key"
            } else if table.unique_keys.iter().any(leads) {
                "unique key"
            } else {
                continue;
            };
            let d = RULE
                .report(
                    call.file,
                    call.span.clone(),
                    format!(
                        "{what} `{}.{}` defaults to {written}(), a random (v4) UUID: PostgreSQL {TARGET} has uuidv7()",
                        crate::quote::dotted(&table.key),
                        crate::quote::name(&column.name)
                    ),
                )
                .help(
                    "uuidv7() values are time-ordered, so new rows land at the end of the index (fewer page splits, better cache \
                     locality) instead of at random places. They embed their creation time: keep v4 where that must stay secret.",
                )
                .fix("Use uuidv7()", Applicability::Unsafe, vec![Edit::replace(call.file, call.span.clone(), "uuidv7()")]);
            out.push(d);
        }
    }
}
