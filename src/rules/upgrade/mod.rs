//! The PostgreSQL 18 migration list and other incompatibilities a SQL file can show.
pub mod copy_csv_end_marker;
pub mod copy_freeze_foreign_table;
pub mod data_checksums_off;
pub mod database_connection_settings;
pub mod deferred_trigger_role;
pub mod explain_analyze_output;
pub mod fk_nondeterministic_collation;
pub mod fts_reindex_after_upgrade;
pub mod grant_rule_privilege;
pub mod not_null_inheritance_inconsistent;
pub mod pg_upgrade_data_type;
pub mod prepared_transaction;
pub mod removed_catalog_column;
pub mod removed_function;
pub mod unicode_update_dependent_object;
pub mod unlogged_partitioned_table;
pub mod vacuum_analyze_inheritance;
