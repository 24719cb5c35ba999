-- Accounts: written in 2023 for PostgreSQL 15, extended since.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE account (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email       text NOT NULL,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX account_email_key ON account (lower(email));
