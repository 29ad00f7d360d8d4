// Form and query helpers for the pages: browsers send strings, and empty fields for "any".
import { t } from 'elysia';
import { CSRF_FIELD } from '../auth-guard.ts';

/** The CSRF field every page form may carry (the auth guard checks it; handlers ignore it). */
export const csrfField = { [CSRF_FIELD]: t.Optional(t.String({ maxLength: 200 })) };

/** A form field that may arrive once or repeated (checkboxes). */
export const oneOrMany = (item = t.String({ maxLength: 200 })) =>
  t.Optional(t.Union([item, t.Array(item, { maxItems: 64 })]));

export function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((s) => s !== '');
}

/** Drops empty strings (a select left on "any") and turns numeric strings of integer fields into numbers. */
export function cleanQuery(
  raw: Record<string, string | undefined>,
  integers: string[] = [],
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined || v === '') continue;
    out[k] = integers.includes(k) && /^\d{1,16}$/.test(v) ? Number(v) : v;
  }
  return out;
}

/** A positive integer from a query field; undefined when empty, null when not a number. */
export function intOf(raw: string | undefined): number | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  return /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}
