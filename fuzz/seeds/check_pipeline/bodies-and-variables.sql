CREATE FUNCTION io_total() RETURNS bigint LANGUAGE sql
    AS $$ SELECT buffers_backend FROM pg_stat_bgwriter $$;
CREATE FUNCTION snap() RETURNS void LANGUAGE plpgsql
    AS $$ BEGIN PERFORM pg_stop_backup(); END $$;
DO $$ BEGIN REVOKE RULE ON orders FROM app; END $$;
\set n 10
SELECT wal_sync FROM pg_stat_wal WHERE :n > 0;
:PREFIX SELECT 1;
CREATE TABLE {{ .Schema }}.t (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
