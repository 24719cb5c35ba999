CREATE TABLE session (
    id          uuid PRIMARY KEY DEFAULT uuidv7(),  -- binds to the built-in on 18
    account_id  uuid NOT NULL REFERENCES account (id),
    expires_at  timestamptz NOT NULL,
    -- pgready: ignore uuid-random-default -- session tokens must not reveal their creation time
    token       uuid NOT NULL UNIQUE DEFAULT gen_random_uuid()
);
