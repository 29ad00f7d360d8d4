// Redaction of text bound for a prompt: secrets and identifiers are replaced by a marker naming
// their kind, and counted. Rules run from the most specific to the most general, so that a JWT is
// counted as a JWT and not as a long base64 secret.

export type RedactionKind =
  | 'private_key'
  | 'url_credentials'
  | 'jwt'
  | 'bearer_token'
  | 'cloud_key'
  | 'secret_pair'
  | 'email'
  | 'ipv6'
  | 'ipv4'
  | 'long_secret';

export interface Redacted {
  text: string;
  counts: Partial<Record<RedactionKind, number>>;
}

interface Rule {
  kind: RedactionKind;
  re: RegExp;
  /** Replacement: keeps the non-secret part (a key name, a scheme) where there is one. */
  replace: (m: string, ...groups: string[]) => string;
}

const mark = (kind: RedactionKind) => `[REDACTED:${kind}]`;

// Keys whose values are secrets, in `key=value`, `key: value` and JSON `"key": "value"` forms.
const SECRET_KEY =
  '(?:[\\w.-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth|credentials?|session[_-]?id|cookie)[\\w.-]*)';

const RULES: Rule[] = [
  {
    kind: 'private_key',
    re: /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g,
    replace: () => mark('private_key'),
  },
  {
    kind: 'url_credentials',
    re: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@\/]+):([^\s@\/]+)@/gi,
    replace: (_m, scheme) => `${scheme}${mark('url_credentials')}@`,
  },
  {
    kind: 'jwt',
    re: /\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]{5,}/g,
    replace: () => mark('jwt'),
  },
  {
    kind: 'bearer_token',
    re: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+\/=-]{8,}/g,
    replace: (_m, scheme) => `${scheme} ${mark('bearer_token')}`,
  },
  {
    kind: 'cloud_key',
    // AWS access key ids, GitHub and GitLab tokens, Slack tokens, Google API keys, Stripe keys
    re: /\b(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,}|glpat-[\w-]{20,}|xox[abprs]-[\w-]{10,}|AIza[\w-]{35}|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,})\b/g,
    replace: () => mark('cloud_key'),
  },
  {
    kind: 'secret_pair',
    re: new RegExp(
      // the value is not a nested object, nor an auth scheme or a mark the rules above left
      `(["']?${SECRET_KEY}["']?\\s*[=:]\\s*)(?![{\\[]|\\[REDACTED|(?:Bearer|Basic|Token)\\s)(?:"[^"]*"|'[^']*'|[^\\s,;&}\\]]+)`,
      'gi',
    ),
    replace: (_m, key) => `${key}${mark('secret_pair')}`,
  },
  {
    kind: 'email',
    re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g,
    replace: () => mark('email'),
  },
  {
    kind: 'ipv6',
    // full or compressed forms with at least three groups; does not touch times like 12:30:45
    re: /(?<![\w:.])(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}(?::[0-9a-f]{1,4}){1,6}|(?:[0-9a-f]{1,4}:){1,7}:|::(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})(?![\w:])/gi,
    replace: () => mark('ipv6'),
  },
  {
    kind: 'ipv4',
    re: /(?<![\w.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\w]|\.\d)/g,
    replace: () => mark('ipv4'),
  },
  {
    kind: 'long_secret',
    // 32+ hex digits (keys, digests), or 32+ base64 characters with both cases and a digit
    re: /(?<![\w\/+=-])(?:[0-9a-f]{32,}|[0-9A-F]{32,}|(?=[A-Za-z0-9+\/_-]*[a-z])(?=[A-Za-z0-9+\/_-]*[A-Z])(?=[A-Za-z0-9+\/_-]*\d)[A-Za-z0-9+\/_-]{32,}={0,2})(?![\w\/+=-])/g,
    replace: () => mark('long_secret'),
  },
];

/** Masks secrets and identifiers in `text`; counts what was masked, per kind. */
export function redact(text: string): Redacted {
  const counts: Partial<Record<RedactionKind, number>> = {};
  let out = text;
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    out = out.replace(rule.re, (m: string, ...rest: unknown[]) => {
      counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
      const groups = rest.filter((g): g is string => typeof g === 'string');
      return rule.replace(m, ...groups);
    });
  }
  return { text: out, counts };
}

/** Adds one result's counts into a running total. */
export function addCounts(total: Partial<Record<RedactionKind, number>>, more: Partial<Record<RedactionKind, number>>): void {
  for (const [k, v] of Object.entries(more) as [RedactionKind, number][]) total[k] = (total[k] ?? 0) + v;
}
