-- API tokens and browser sessions. Only sha256 hashes of token and session secrets are stored: the
-- token text is shown once, at creation.

create table api_tokens (
  id bigint generated always as identity primary key,
  name text not null,
  scope text not null check (scope in ('read', 'operate', 'admin')),
  token_hash text not null unique,
  -- the first characters of the token, so an operator can tell tokens apart in lists
  token_prefix text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Token list in the settings page and API: newest first (served by the primary key).
-- Authentication looks a presented token up by its hash: served by the unique constraint on token_hash.

create table sessions (
  id_hash text primary key,
  -- null when the session was opened with the admin token from CYBER_BRAIN_TOKEN
  token_id bigint references api_tokens (id) on delete cascade,
  scope text not null check (scope in ('read', 'operate', 'admin')),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);

-- Expired-session cleanup: delete where expires_at < now.
create index sessions_expires_idx on sessions (expires_at);
