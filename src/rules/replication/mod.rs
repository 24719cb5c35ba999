//! Logical replication: PostgreSQL 18 changes the streaming default of subscriptions and
//! does not publish virtual generated columns.
pub mod logical_slot_not_migratable;
pub mod publication_virtual_generated_column;
pub mod replication_origins_capacity;
pub mod replication_settings_review;
pub mod subscription_state;
pub mod subscription_streaming_default;
