// SQL for directives and their version history.
import type { Sql } from 'postgres';

export type DirectiveLevel = 'D1' | 'D2' | 'D3' | 'D4';

export interface DirectiveRow {
  id: number;
  name: string;
  level: DirectiveLevel;
  title: string;
  body: string;
  approval_required: boolean;
  is_builtin: boolean;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface DirectiveVersionRow {
  directive_id: number;
  version: number;
  level: DirectiveLevel;
  title: string;
  body: string;
  sha256: string;
  approval_required: boolean;
  created_at: Date;
}

const COLUMNS = 'id, name, level, title, body, approval_required, is_builtin, active, version, created_at, updated_at';

export async function listDirectives(sql: Sql, includeInactive: boolean): Promise<DirectiveRow[]> {
  return sql<DirectiveRow[]>`
    select ${sql.unsafe(COLUMNS)} from directives
    where ${includeInactive} or active
    order by is_builtin desc, level, name`;
}

export async function findDirective(sql: Sql, id: number): Promise<DirectiveRow | undefined> {
  const [row] = await sql<DirectiveRow[]>`select ${sql.unsafe(COLUMNS)} from directives where id = ${id}`;
  return row;
}

export async function findDirectiveByName(sql: Sql, name: string): Promise<DirectiveRow | undefined> {
  const [row] = await sql<DirectiveRow[]>`select ${sql.unsafe(COLUMNS)} from directives where name = ${name}`;
  return row;
}

export interface NewDirective {
  name: string;
  level: DirectiveLevel;
  title: string;
  body: string;
  approvalRequired: boolean;
  sha256: string;
}

/** Inserts the directive and its version 1 together; undefined when the name is taken. */
export async function insertDirective(sql: Sql, d: NewDirective): Promise<DirectiveRow | undefined> {
  return sql.begin(async (tx) => {
    const [row] = await tx<DirectiveRow[]>`
      insert into directives (name, level, title, body, approval_required)
      values (${d.name}, ${d.level}, ${d.title}, ${d.body}, ${d.approvalRequired})
      on conflict (name) do nothing
      returning ${tx.unsafe(COLUMNS)}`;
    if (!row) return undefined;
    await tx`
      insert into directive_versions (directive_id, version, level, title, body, sha256, approval_required)
      values (${row.id}, 1, ${d.level}, ${d.title}, ${d.body}, ${d.sha256}, ${d.approvalRequired})`;
    return row;
  });
}

export interface DirectiveChange {
  level: DirectiveLevel;
  title: string;
  body: string;
  approvalRequired: boolean;
  active: boolean;
  sha256: string;
}

/** Applies an edit: a content change adds a version; the row lock keeps version numbers gap-free. */
export async function updateDirective(
  sql: Sql,
  id: number,
  c: DirectiveChange,
  newVersion: boolean,
): Promise<DirectiveRow | undefined> {
  return sql.begin(async (tx) => {
    const [row] = await tx<DirectiveRow[]>`
      update directives set
        level = ${c.level}, title = ${c.title}, body = ${c.body}, approval_required = ${c.approvalRequired},
        active = ${c.active}, version = version + ${newVersion ? 1 : 0}, updated_at = now()
      where id = ${id}
      returning ${tx.unsafe(COLUMNS)}`;
    if (!row) return undefined;
    if (newVersion) {
      await tx`
        insert into directive_versions (directive_id, version, level, title, body, sha256, approval_required)
        values (${id}, ${row.version}, ${c.level}, ${c.title}, ${c.body}, ${c.sha256}, ${c.approvalRequired})`;
    }
    return row;
  });
}

export async function deleteDirective(sql: Sql, id: number): Promise<boolean> {
  const rows = await sql`delete from directives where id = ${id} and not is_builtin returning id`;
  return rows.length > 0;
}

export async function listDirectiveVersions(sql: Sql, id: number): Promise<DirectiveVersionRow[]> {
  return sql<DirectiveVersionRow[]>`
    select directive_id, version, level, title, body, sha256, approval_required, created_at
    from directive_versions where directive_id = ${id} order by version desc`;
}

export async function findDirectiveVersion(
  sql: Sql,
  id: number,
  version: number,
): Promise<DirectiveVersionRow | undefined> {
  const [row] = await sql<DirectiveVersionRow[]>`
    select directive_id, version, level, title, body, sha256, approval_required, created_at
    from directive_versions where directive_id = ${id} and version = ${version}`;
  return row;
}
