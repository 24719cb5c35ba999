-- Written against PostgreSQL 18 docs: the keyword was left out.
ALTER TABLE account
    ADD COLUMN full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name);

CREATE INDEX account_full_name_idx ON account (full_name);
