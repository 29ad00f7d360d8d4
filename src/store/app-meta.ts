// Facts about this installation, kept across restarts.
import type { Sql } from 'postgres';

export interface StartRecord {
  firstStartedAt: string;
  starts: number;
}

/** Records a start: keeps the first start time, counts starts. */
export async function recordStart(sql: Sql, at: Date): Promise<StartRecord> {
  const iso = at.toISOString();
  await sql`
    insert into app_meta (key, value) values ('first_started_at', ${iso})
    on conflict (key) do nothing`;
  await sql`
    insert into app_meta (key, value) values ('starts', '1')
    on conflict (key) do update set value = (app_meta.value::int + 1)::text, updated_at = now()`;
  const rows = await sql<{ key: string; value: string }[]>`
    select key, value from app_meta where key in ('first_started_at', 'starts')`;
  const get = (k: string) => rows.find((r) => r.key === k)?.value ?? '';
  return { firstStartedAt: get('first_started_at'), starts: Number(get('starts')) };
}
