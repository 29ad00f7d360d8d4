// Which real services this test run has. CI sets CB_REQUIRE_DOCKER=1 and CB_REQUIRE_POSTGRES=1 so a
// missing service fails loudly instead of skipping.

/** The real PostgreSQL server for tests that need one even on the embedded run (two instances, SIGKILL). */
export function realServerUrl(): string | undefined {
  return process.env.CB_TEST_POSTGRES_URL || process.env.DATABASE_URL || undefined;
}

export function requirePostgres(): boolean {
  return process.env.CB_REQUIRE_POSTGRES === '1';
}

/** True when the real server is there; throws when it must be; false (test skips, saying why) otherwise. */
export function hasRealServer(what: string): boolean {
  if (realServerUrl()) return true;
  if (requirePostgres())
    throw new Error(`${what}: CB_REQUIRE_POSTGRES=1 but neither CB_TEST_POSTGRES_URL nor DATABASE_URL is set`);
  console.warn(
    `skipping ${what}: no PostgreSQL server (set CB_TEST_POSTGRES_URL or DATABASE_URL; scripts/services.sh up starts one)`,
  );
  return false;
}
