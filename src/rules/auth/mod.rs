//! Authentication: MD5 passwords are deprecated in PostgreSQL 18.
pub mod createrole_admin_option;
pub mod hba_clientcert_value;
pub mod hba_delegate_ident_mapping;
pub mod hba_hostssl_ssl_off;
pub mod hba_ident_map_missing;
pub mod hba_oauth_incomplete;
pub mod md5_password;
pub mod role_inherit_per_grant;
pub mod ssl_ciphers_tls12_only;
