// Readiness: the database must answer and be fully migrated; Docker and the model are reported as
// fields (a home lab's model box may sleep) and never fail readiness.
import type { Database } from './db/database.ts';
import { migrationsCurrent, type MigrationFile } from './db/migrate.ts';

export interface DependencyStatus {
  status: 'ok' | 'unreachable' | 'not_configured';
  endpoint?: string;
  detail?: string;
  ms?: number;
}

export type Probe = () => Promise<DependencyStatus>;

export type Readiness =
  | { ready: true; database: { backend: string; ms: number }; docker: DependencyStatus; llm: DependencyStatus }
  | { ready: false; reason: 'database_unavailable' | 'migrations_pending'; message: string };

export interface ReadinessDeps {
  db: Database;
  migrations: MigrationFile[];
  probes: { docker: Probe; llm: Probe };
  /** Readiness must answer quickly even when the database hangs. */
  timeoutMs?: number;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const limit = deps.timeoutMs ?? 3000;
  const started = performance.now();
  let current: boolean;
  try {
    current = await withTimeout(migrationsCurrent(deps.db.sql, deps.migrations), limit, 'the database');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { ready: false, reason: 'database_unavailable', message: `database unavailable: ${e.code ?? e.message}` };
  }
  if (!current)
    return {
      ready: false,
      reason: 'migrations_pending',
      message: 'database migrations are not applied; run the migrate command',
    };
  const ms = Math.round(performance.now() - started);
  const safe = (p: Probe) =>
    withTimeout(p(), limit, 'probe').catch(
      (e: Error): DependencyStatus => ({ status: 'unreachable', detail: e.message }),
    );
  const [docker, llm] = await Promise.all([safe(deps.probes.docker), safe(deps.probes.llm)]);
  return { ready: true, database: { backend: deps.db.backend, ms }, docker, llm };
}

/** Remembers a probe's answer for a few seconds so a busy health check does not hammer the peer. */
export function cachedProbe(probe: Probe, ttlMs = 5000, now: () => number = Date.now): Probe {
  let last: { at: number; value: Promise<DependencyStatus> } | undefined;
  return () => {
    const t = now();
    if (!last || t - last.at > ttlMs) last = { at: t, value: probe() };
    return last.value;
  };
}
