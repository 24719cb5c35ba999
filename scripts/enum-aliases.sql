-- Hidden values that PostgreSQL accepts for enum settings but does not list in
-- pg_settings.enumvals (log levels' `debug`, booleans for many enums, `archive` for wal_level...).
-- User-settable enums are probed with set_config(); the others by `postgres -C` (gen-knowledge.sh).
-- Output: name <tab> comma-separated hidden values.
DO $$
DECLARE s record; c text; ok text[]; cands text[];
BEGIN
  SELECT array_agg(DISTINCT v) INTO cands FROM (
    SELECT unnest(enumvals) AS v FROM pg_settings WHERE vartype = 'enum'
    UNION SELECT unnest(ARRAY['on','off','true','false','yes','no','1','0','debug','archive','hot_standby','safe_encoding'])) x;
  CREATE TEMP TABLE enum_alias (name text, vals text);
  FOR s IN SELECT name, enumvals FROM pg_settings WHERE vartype = 'enum' AND context IN ('user', 'superuser') ORDER BY name LOOP
    ok := ARRAY[]::text[];
    FOREACH c IN ARRAY cands LOOP
      CONTINUE WHEN c = ANY (s.enumvals);
      BEGIN
        PERFORM set_config(s.name, c, true);
        ok := ok || c;
      EXCEPTION WHEN others THEN NULL;
      END;
    END LOOP;
    IF cardinality(ok) > 0 THEN INSERT INTO enum_alias VALUES (lower(s.name), array_to_string(ok, ',')); END IF;
  END LOOP;
END $$;
SELECT name, vals FROM enum_alias ORDER BY name;
