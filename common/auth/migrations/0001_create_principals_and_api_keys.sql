-- Who may call the services. Shared by every service (read-only for them); written by operators
-- through `doleancesctl admin`. Holds no citizen data: principals are systems and staff accounts.
CREATE TABLE principals (
  principal_id text PRIMARY KEY CHECK (principal_id ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
  roles text[] NOT NULL CHECK (cardinality(roles) > 0),
  -- Administration ids this principal may address or see; '*' grants all.
  administrations text[] NOT NULL,
  -- Common name of the client certificate that authenticates this principal over mTLS.
  certificate_name text UNIQUE,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Bearer API keys "dk_<key_id>_<secret>"; only the secret's SHA-256 is stored.
CREATE TABLE api_keys (
  key_id text PRIMARY KEY,
  principal_id text NOT NULL REFERENCES principals,
  secret_sha256 bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_principal ON api_keys (principal_id);
