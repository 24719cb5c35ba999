//! What `pgready replay` finds by running the migrations on real servers. The command reports
//! these itself (no rule reads a statement for them); they are registered like rules so that
//! `--select`/`--ignore`, `explain` and the renderers treat them alike.
pub mod replay_baseline_error;
pub mod replay_changed_object;
pub mod replay_error;
pub mod replay_warning;
