//! A snapshot linted: its documents run through the engine like files, with the facts only a
//! catalog knows attached to the model first.

use super::remedy;
use super::synth::{self, Fact};
use super::{CatalogFacts, Snapshot};
use crate::diagnostic::{Origin, Scope};
use crate::engine::{Input, Options, Run, lint_ordered};
use crate::model::facts::AuditedServer;
use crate::source::Document;

/// What a server's catalog says, as documents linted like files: one run per model (the
/// cluster, then each database), merged into one report.
pub fn lint_snapshot(snap: &Snapshot, opts: &Options) -> Run {
    let mut opts = opts.clone();
    opts.from = synth::upgrade_from(snap);
    let runs = synth::groups(snap)
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            let facts: Vec<_> = group.docs.iter().map(|d| d.fact.clone()).collect();
            let subjects: Vec<_> = group.docs.iter().map(|d| d.subject.clone()).collect();
            // The first group is the cluster; each other is one audited database.
            let scope = match i {
                0 => Scope::Cluster,
                _ => Scope::Database(snap.audited[i - 1].name.clone()),
            };
            let inputs =
                group.docs.into_iter().map(|d| Input { path: d.path, bytes: Ok(d.text.into_bytes()), kind: Some(d.kind) }).collect();
            let (server, major) = (snap.server.clone(), snap.major());
            let mut run = lint_ordered(inputs, &opts, Some(Box::new(move |docs: &[Document]| catalog_facts(server, major, facts, docs))));
            // Fixes edit files; a server is repaired through --fix-script instead.
            run.diagnostics.iter_mut().for_each(|d| {
                d.fix = None;
                d.scope = Some(scope.clone());
            });
            remedy::attach(&mut run, &subjects);
            run
        })
        .collect();
    let mut run = Run::merge(runs);
    run.servers.push(audited_server(snap));
    run
}

/// The server as a report's header names it.
fn audited_server(snap: &Snapshot) -> AuditedServer {
    let mut not_audited: Vec<(String, String)> = snap.unread_databases.iter().map(|u| (u.name.clone(), u.why.clone())).collect();
    // A database that refuses connections is not read (and pg_upgrade refuses it).
    for d in &snap.databases {
        let audited = snap.audited.iter().any(|a| a.name == d.name) || not_audited.iter().any(|(n, _)| *n == d.name);
        if !audited && !d.allow_connections && d.name != "template0" {
            not_audited.push((d.name.clone(), "it does not accept connections (datallowconn = false)".into()));
        }
    }
    AuditedServer {
        label: snap.server.clone(),
        version: snap.version.clone(),
        major: snap.major(),
        data_checksums: snap.data_checksums,
        databases: snap.audited.iter().map(|a| a.name.clone()).collect(),
        not_audited,
        template0: snap.databases.iter().find(|d| d.name == "template0").cloned(),
        read_at: snap.read_at.clone(),
        install_user: snap.install_user.clone(),
        // The view shows the whole cluster's: the largest reading of it stands for all.
        statements: snap
            .audited
            .iter()
            .filter_map(|a| a.statements.as_ref())
            .max_by_key(|s| s.entries.len())
            .map(|s| crate::model::facts::StatementsRead { read: s.entries.len() as u64, total: s.total, hidden: s.hidden }),
    }
}

/// Attach each catalog fact to its document: the first line is its location.
fn catalog_facts(server: String, major: u32, facts_by_doc: Vec<Option<Fact>>, docs: &[Document]) -> CatalogFacts {
    let mut facts = CatalogFacts { server, major, ..Default::default() };
    for (file, fact) in facts_by_doc.into_iter().enumerate() {
        let Some(fact) = fact else { continue };
        let first = docs[file].text.lines().next().map_or(0, str::len);
        let origin = Origin { file, span: 0..first };
        match fact {
            Fact::Server { data_checksums, subscriptions } => {
                facts.data_checksums = data_checksums.map(|c| (c, origin.clone()));
                let text = &docs[file].text;
                let line = text.find("-- subscriptions in the cluster").map(|at| at..at + text[at..].find('\n').unwrap_or(text.len() - at));
                let at = Origin { file, span: line.unwrap_or(origin.span.clone()) };
                facts.subscriptions_in_cluster = subscriptions.map(|n| (n, at));
            }
            Fact::ThisDatabase(d) => facts.this_database = Some((d, origin)),
            Fact::Database(d) => facts.databases.push((d, origin)),
            Fact::PreparedTransaction(p) => facts.prepared_transactions.push((p, origin)),
            Fact::ReplicationSlot(s) => facts.replication_slots.push((s, origin)),
            Fact::Subscription(s) => facts.subscriptions.push((s, origin)),
            Fact::Skipped(s) => facts.skipped.push((s, origin)),
            Fact::UnreadDatabase(u) => facts.unread_databases.push((u, origin)),
            Fact::DumpLoad(l) => facts.dump_load = Some((l, origin)),
            Fact::EventTrigger(t) => facts.event_triggers.push((t, origin)),
        }
    }
    facts
}
