-- The columns of pg_catalog and information_schema relations and of extension relations, each
-- under its home (the schema, or the extension's name): src/knowledge/pg/columns<major>.tsv.
-- scripts/gen-knowledge.sh writes the files with it; tests/pg_oracle.rs compares them with the
-- real servers with it.
select coalesce(e.extname::text, n.nspname::text) collate "C", c.relname::text collate "C", a.attname::text collate "C"
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid
left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e'
left join pg_extension e on e.oid = d.refobjid
where (n.nspname in ('pg_catalog', 'information_schema') or e.oid is not null)
  and c.relkind in ('r', 'v') and a.attnum > 0 and not a.attisdropped
order by 1, 2, 3;
