-- Cyber-Brain schema, first file. schema_migrations itself is created by the migration runner.
-- Later capabilities add their tables in new numbered files; released files are never edited.

-- Facts about this installation (first start, last start), so the UI and runs can say how long
-- the appliance has been watching the host.
create table app_meta (
  key text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);
