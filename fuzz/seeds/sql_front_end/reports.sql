-- Ad-hoc reports, run with psql -v since=...
\set since '2026-01-01'
\pset format aligned

SELECT count(*) AS new_accounts
FROM account
WHERE created_at >= :'since' \gset

SELECT status, sum(gross) AS revenue
FROM orders
GROUP BY status
ORDER BY revenue DESC;

\copy (SELECT id, email FROM account) TO 'accounts.csv' WITH (FORMAT csv)

COPY orders (account_id, net) FROM stdin;
00000000-0000-0000-0000-000000000001	10.00
\.

INSERT INTO session (id, account_id, expires_at)
VALUES (uuid_generate_v7(), '00000000-0000-0000-0000-000000000001', now() + interval '1 day');
