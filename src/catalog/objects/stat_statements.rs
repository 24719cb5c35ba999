//! What pg_stat_statements collected: the applications' queries, read with the objects of the
//! database it is installed in.

use super::ObjectReader;
use crate::catalog::read::{ReadError, opt_text};
use crate::catalog::{STAT_STATEMENTS_CAP, STAT_STATEMENTS_NEEDS, Skipped, StatStatement, StatStatements};

impl ObjectReader<'_> {
    /// What pg_stat_statements collected, the most-called first, up to [`STAT_STATEMENTS_CAP`]
    /// (every database's: the view shows the cluster's). A refusal — the module not loaded
    /// (shared_preload_libraries), no privilege — is one skipped item; other roles' texts hidden
    /// from this role are counted.
    pub(super) async fn stat_statements(&mut self, schema: &str, skipped: &mut Vec<Skipped>) -> Result<Option<StatStatements>, ReadError> {
        let sql = format!(
            "WITH s AS (SELECT * FROM {schema}.pg_stat_statements) \
             SELECT s.queryid, d.datname::text, r.rolname::text, s.calls, s.query, \
                    (SELECT count(*) FROM s), (SELECT count(*) FROM s WHERE s.query = '<insufficient privilege>') \
             FROM s LEFT JOIN pg_database d ON d.oid = s.dbid LEFT JOIN pg_roles r ON r.oid = s.userid \
             WHERE s.query IS DISTINCT FROM '<insufficient privilege>' \
             ORDER BY s.calls DESC, s.queryid LIMIT {STAT_STATEMENTS_CAP}"
        );
        let fail = |e: tokio_postgres::Error| format!("{}: {}", self.target.label, crate::catalog::read::describe(self.target, &e));
        self.client.batch_execute("SAVEPOINT pgready_statements").await.map_err(fail)?;
        self.count.set(self.count.get() + 1);
        match self.client.query(&crate::catalog::read::marked(&sql), &[]).await {
            Ok(rows) => {
                self.client.batch_execute("RELEASE SAVEPOINT pgready_statements").await.map_err(fail)?;
                let (total, hidden) = rows.first().map_or((0, 0), |r| (r.get::<_, i64>(5), r.get::<_, i64>(6)));
                let entries = rows
                    .iter()
                    .map(|r| StatStatement {
                        queryid: r.get(0),
                        database: opt_text(r, 1).unwrap_or_default(),
                        role: opt_text(r, 2).unwrap_or_default(),
                        calls: r.get(3),
                        query: opt_text(r, 4).unwrap_or_default(),
                    })
                    .collect();
                Ok(Some(StatStatements { entries, total: total as u64, hidden: hidden as u64 }))
            }
            Err(e) => {
                self.client.batch_execute("ROLLBACK TO SAVEPOINT pgready_statements").await.map_err(fail)?;
                skipped.push(Skipped {
                    what: "pg_stat_statements (the queries the applications run)".into(),
                    why: crate::catalog::read::describe(self.target, &e),
                    needs: STAT_STATEMENTS_NEEDS.into(),
                });
                Ok(None)
            }
        }
    }
}
