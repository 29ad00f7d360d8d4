// What redaction replaces a secret with, and how it counts: one marker per kind, so a reader (or the
// model) sees that something was there and what sort of thing it was, never its characters.

export type RedactionKind =
  | 'private_key'
  | 'known_value'
  | 'url_credentials'
  | 'jwt'
  | 'bearer_token'
  | 'cloud_key'
  | 'secret_pair'
  | 'secret_phrase'
  | 'email'
  | 'ipv6'
  | 'ipv4'
  | 'long_secret';

export type RedactionCounts = Partial<Record<RedactionKind, number>>;

export const MARK_PREFIX = '[REDACTED:';

export function mark(kind: RedactionKind): string {
  return `[REDACTED:${kind}]`;
}

/** Adds one result's counts into a running total. */
export function addCounts(total: RedactionCounts, more: RedactionCounts): void {
  for (const [k, v] of Object.entries(more) as [RedactionKind, number][]) total[k] = (total[k] ?? 0) + v;
}

/** Secret kinds, as opposed to addresses (ipv4, ipv6, email), which are masked by policy, not found. */
export function isSecretKind(kind: RedactionKind): boolean {
  return kind !== 'ipv4' && kind !== 'ipv6' && kind !== 'email';
}
