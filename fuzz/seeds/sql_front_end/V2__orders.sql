CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');

CREATE FUNCTION vat(amount numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT round(amount * 0.2, 2) $$;

CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  uuid NOT NULL REFERENCES account (id),
    status      order_status NOT NULL DEFAULT 'new',
    net         numeric(12, 2) NOT NULL,
    tax         numeric(12, 2) GENERATED ALWAYS AS (vat(net)) VIRTUAL,
    gross       numeric(12, 2) GENERATED ALWAYS AS (net * 1.2) STORED
);
