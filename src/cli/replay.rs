//! `pgready replay`: its options and the command (the replay itself is `crate::replay`).

use std::path::PathBuf;

use super::{CheckArgs, Format, ReportArgs, check_options, render};
use crate::engine;
use crate::knowledge::target::SOURCES;
use crate::report;

#[derive(clap::Args, Debug)]
pub struct ReplayArgs {
    /// Migration files or directories, replayed in migration order [default: .].
    pub paths: Vec<PathBuf>,
    /// PostgreSQL 18: a DSN of a scratch server (a role with CREATEDB), or a PostgreSQL bin
    /// directory from which a throwaway cluster is made and removed afterwards [default: an
    /// installed PostgreSQL 18: pg_config, PATH, /usr/lib/postgresql/18/bin, /usr/pgsql-18/bin,
    /// Homebrew].
    #[arg(long, value_name = "DSN|BIN_DIR")]
    pub target: Option<String>,
    /// The major you upgrade from, as a DSN or a bin directory: a failure there too is not an
    /// upgrade problem (reported as information).
    #[arg(long, value_name = "DSN|BIN_DIR")]
    pub baseline: Option<String>,
    /// How long a statement may run on a server before it is cancelled: a duration as
    /// PostgreSQL takes it (500ms, 30s, 5min); a bare number is seconds.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = super::args::duration_s)]
    pub statement_timeout: u64,
    /// What to report and how (as for `check`; `--from` defaults to the baseline's major).
    #[command(flatten)]
    pub report: ReportArgs,
}

/// A replay server from the command line's argument, or the installed PostgreSQL `major`.
async fn replay_server(arg: Option<&str>, major: u32) -> Result<crate::replay::server::Server, String> {
    use crate::replay::server::{ServerSpec, find_installed, from_dsn, start_throwaway};
    match arg.map(ServerSpec::parse) {
        Some(ServerSpec::Dsn(dsn)) => from_dsn(&dsn).await,
        Some(ServerSpec::BinDir(bin)) => start_throwaway(&bin).await,
        None => match find_installed(major) {
            Some(bin) => start_throwaway(&bin).await,
            None => Err(format!(
                "no PostgreSQL {major} found (pg_config, PATH, /usr/lib/postgresql/{major}/bin, /usr/pgsql-{major}/bin, Homebrew): \
                 install it (apt install postgresql-{major}, dnf install postgresql{major}-server, brew install postgresql@{major}) \
                 or give --target a DSN of a scratch server or a bin directory"
            )),
        },
    }
}

pub(super) fn replay_command(args: ReplayArgs) -> Result<i32, String> {
    let mut check_args = CheckArgs {
        paths: if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() },
        report: args.report.clone(),
        no_cache: true,
        ..CheckArgs::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(async {
        // Ctrl-C stops the replay between two statements (or cancels the one running); what
        // the replay made is removed before the command exits.
        let (interrupt, interrupted) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let _ = interrupt.send(true);
            }
        });
        let (target, baseline) = match &args.baseline {
            Some(b) => {
                let (t, b) = futures_util::future::join(replay_server(args.target.as_deref(), 18), replay_server(Some(b), 0)).await;
                (t?, Some(b?))
            }
            None => (replay_server(args.target.as_deref(), 18).await?, None),
        };
        if check_args.report.from.is_none()
            && let Some(b) = &baseline
            && SOURCES.contains(&b.major)
        {
            check_args.report.from = Some(b.major);
        }
        let (opts, fail_on) = check_options(&check_args)?;
        let mut run = engine::lint_paths(&check_args.paths, &opts);
        let (steps, unsent) = crate::replay::steps(&run, &opts);
        let plan = crate::replay::Plan {
            target: &target,
            baseline: baseline.as_ref(),
            statement_timeout: std::time::Duration::from_millis(args.statement_timeout),
            variables: opts.script.variables.clone(),
            interrupted,
        };
        let replayed = crate::replay::replay(&steps, &run.docs, &plan).await?;
        let was_interrupted = replayed.interrupted;
        let sent = replayed.sent;
        crate::replay::merge_into(&mut run, &opts, replayed, unsent);
        let format = render(&run, &check_args, opts.from)?;
        if !args.report.quiet {
            if format == Format::Human || format == Format::Concise || args.report.output.is_some() {
                if args.report.verbose {
                    eprint!("{}", report::not_judged_list(&run));
                }
                let servers = match &baseline {
                    Some(b) => format!("{} and {}", target.label, b.label),
                    None => target.label.clone(),
                };
                eprintln!("Replayed {sent} statement(s) on {servers}.");
                eprintln!("{}", report::summary(&run, opts.from, check_args.report.verbose));
            }
            if let Some(path) = &args.report.output {
                eprintln!("Report written to {}.", path.display());
            }
        }
        if was_interrupted {
            eprintln!("Interrupted: the replay stopped early; what it made was removed.");
            return Ok(130);
        }
        Ok(if run.diagnostics.iter().any(|d| d.severity >= fail_on) { 1 } else { 0 })
    })
}
