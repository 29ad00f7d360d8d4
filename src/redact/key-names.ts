// Secrets behind a secret-looking key name, in any syntax a log line uses: `k=v`, `k: v`, `"k": "v"`,
// `k => v`, `--k v`, `--k=v`, URL query parameters, env-style names (DB_PASS, *_TOKEN), HTTP headers
// (Authorization, Cookie, Set-Cookie: their value runs to the end of the line), and the password
// flags of well-known tools (`mysql -pX`, `redis-cli -a X`, `curl -u user:pass`).
import { mark, MARK_PREFIX } from './kinds.ts';
import { F, keyHits } from './features.ts';
import type { Rule } from './rule.ts';

// A name is secret when, lower-cased with separators dropped, it ends with one of these ("DB_PASS",
// "X-Api-Key", "authToken", "PGPASSWORD", "session_id"), and is none of the structural keys below.
const SECRET_ENDINGS = [
  'pass',
  'passwd',
  'password',
  'pwd',
  'passphrase',
  'passcode',
  'secret',
  'token',
  'key',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'creds',
  'sig',
  'signature',
  'session',
  'sessionid',
  'sessid',
  'cookie',
  'cookies',
  'private',
  'dsn',
  'apikey',
];
// Whole segments that are secret on their own ("db_pw", "pin", "otp").
const SECRET_SEGMENTS = new Set(['pw', 'pin', 'otp', 'totp', 'sid', 'psk']);
const NOT_SECRET = [
  'bypass',
  'compass',
  'monkey',
  'turkey',
  'donkey',
  'hockey',
  'jockey',
  'whiskey',
  'publickey',
  'pubkey',
  'primarykey',
  'foreignkey',
  'sortkey',
  'partitionkey',
  'routingkey',
  'cachekey',
  'hashkey',
  'objectkey',
  'hotkey',
  'keykey',
  'obsession',
  'possession',
];

/** True for key names whose values are secrets. */
export function isSecretKeyName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n.length === 0) return false;
  for (const e of SECRET_ENDINGS) {
    if (n.endsWith(e)) {
      for (const x of NOT_SECRET) if (n.endsWith(x)) return false;
      return true;
    }
  }
  for (const seg of name.toLowerCase().split(/[^a-z0-9]+/)) if (SECRET_SEGMENTS.has(seg)) return true;
  return false;
}

// The ending of a secret key name as a pattern: a match starts at the ending (the rest of the name
// is read back from the text, see keyBefore), so a pattern never scans a whole name at every offset.
const KEY_ENDING =
  '(?:pass(?:wo?r?d|phrase|code)?|pwd|secrets?|tokens?|key|auth(?:orization)?|credentials?|creds|sig(?:nature)?|' +
  'sess(?:ion)?(?:[_.-]?id)?|cookies?|private|dsn|pw|pin|otp|totp|sid|psk)';
// endings that only count as a whole segment ("db_pw", not "mysqlpw"; "pin", not "spin")
const SEGMENT_ONLY = /^(?:pw|pin|otp|totp|sid|psk)$/i;

const NAME_CHAR = /[\w.-]/;

/** The whole key name that ends at `end` (the start of the matched ending): "DB_" + "PASS"; null for a segment-only ending inside a word. */
function keyBefore(input: string, at: number, ending: string): { name: string; start: number } | null {
  if (at > 0 && SEGMENT_ONLY.test(ending) && /[A-Za-z0-9]/.test(input[at - 1]!)) return null;
  let start = at;
  while (start > 0 && NAME_CHAR.test(input[start - 1]!)) start--;
  // a quote or backslash-quote before the name is not part of it
  return { name: input.slice(start, at) + ending, start };
}

const PASSWORD_LIKE = /pass|pwd|pw|pin|secret|otp|psk/i;

/** Values that are not secrets whatever the key says: empty, booleans, nulls, masks, small counters. */
function isPlaceholder(value: string, key: string): boolean {
  const v = value.replace(/^["'`]|["'`]$/g, '');
  if (v.length === 0 || v.startsWith(MARK_PREFIX)) return true;
  if (
    /^(?:true|false|null|nil|none|undefined|yes|no|on|off|empty|n\/a|-|<nil>|<none>|<redacted>|redacted|hidden|\*+|x+|\.\.\.)$/i.test(
      v,
    )
  )
    return true;
  // "sig=11", "session=17": counters and signal numbers, unless the key is a password
  if (/^\d{1,6}$/.test(v) && !PASSWORD_LIKE.test(key)) return true;
  // a pointer or a hex number ("sessionid: 0x14ede63a5a70002"), a URL without credentials
  if (/^0x[0-9a-f]+$/i.test(v) || /^[a-z][a-z0-9+.-]*:\/\/[^\s@]*$/i.test(v)) return true;
  // "key:atLOI:ofKind:" (a selector), "token: a/b:" (a label): a value does not end with a colon
  if (v.endsWith(':')) return true;
  // a name, not a secret, behind a plain "key" ("tagKey=KSChannelID", "key=user_name"): letters only
  if (
    /key$/i.test(key) &&
    !/(?:api|private|secret|access|auth|signing|encryption|master|license)[_.-]?key$/i.test(key) &&
    /^[A-Za-z_.]+$/.test(v)
  )
    return true;
  return false;
}

// Auth schemes that precede the secret in an Authorization value: kept, the credentials after them masked.
const SCHEME = '(?:Bearer|Basic|Digest|Token|Negotiate|NTLM|Bot|ApiKey|Key|AWS4-HMAC-SHA256|OAuth)';
const SCHEME_WORD = new RegExp(`^${SCHEME}$`, 'i');

// After a key name: an optional closing quote, the separator, an optional auth scheme, the value
// (quoted, backslash-quoted inside a JSON string, or bare up to a separator). Sticky: tried only
// where the feature scan saw a secret key name end.
const AFTER_KEY = new RegExp(
  `(?:\\\\?["'\`])?(\\s*(?:=>|->|=|:)\\s*)(${SCHEME}\\s+)?` +
    `("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|\\\\"(?:[^"\\\\]|\\\\[^"])*\\\\"|[^\\s,;&}\\])"'{\\[<][^\\s,;&}\\])"']*)`,
  'iy',
);
const HEADER_NAMES = /^(?:set-)?cookie$|^(?:proxy-)?authorization$/i;

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 || c === 45;
}

/** `k=v`, `k: v`, `"k": "v"`, `k => v`, `'k' => 'v'`, `k->v`, query parameters; v up to a separator. */
export const keyValueRule: Rule = {
  kind: 'secret_pair',
  needs: F.KV,
  usesScan: true,
  re: /(?!)/g,
  replace: () => null,
  apply(text, counts) {
    const spans: number[] = [];
    const inner: string[] = [];
    let done = 0;
    for (let h = 0; h < keyHits.count; h++) {
      const end = keyHits.ends[h]! + 1;
      if (end <= done) continue;
      let start = end - 1;
      while (start > 0 && isNameChar(text.charCodeAt(start - 1))) start--;
      const name = text.slice(start, end);
      if (!isSecretKeyName(name)) continue;
      AFTER_KEY.lastIndex = end;
      const m = AFTER_KEY.exec(text);
      if (!m) continue;
      const [all, sep, scheme, value] = m as unknown as [string, string, string | undefined, string];
      if (isPlaceholder(value, name)) continue;
      // "Authorization: Bearer [REDACTED...": the credentials are masked already
      if (!scheme && SCHEME_WORD.test(value)) continue;
      // a header's value runs to the end of the line: the header rule's work, not a pair's
      if (HEADER_NAMES.test(name) && sep.includes(':') && !/^["']/.test(value)) continue;
      // "password: " followed by prose ("password: is too short") is not a value; a quoted one always is
      if (!scheme && /^[a-z]+$/.test(value) && PROSE_WORDS.has(value)) continue;
      const q = value[0] === '"' || value[0] === "'" ? value[0] : value.startsWith('\\"') ? '\\"' : '';
      const valueStart = end + all.length - value.length;
      spans.push(valueStart, valueStart + value.length);
      inner.push(`${q}${mark('secret_pair')}${q}`);
      done = valueStart + value.length;
    }
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (let k = 0; k < spans.length; k += 2) {
      out += text.slice(at, spans[k]) + inner[k / 2];
      at = spans[k + 1]!;
    }
    counts.secret_pair = (counts.secret_pair ?? 0) + inner.length;
    return out + text.slice(at);
  },
};

// Words after "password:" that begin a sentence rather than a value.
export const PROSE_WORDS = new Set([
  'is',
  'was',
  'are',
  'were',
  'be',
  'not',
  'missing',
  'required',
  'invalid',
  'incorrect',
  'wrong',
  'expired',
  'empty',
  'set',
  'unset',
  'changed',
  'updated',
  'reset',
  'too',
  'must',
  'should',
  'will',
  'has',
  'have',
  'had',
  'the',
  'a',
  'an',
  'for',
  'of',
  'to',
  'and',
  'or',
  'failed',
  'failure',
  'error',
  'ok',
  'accepted',
  'rejected',
  'denied',
  'mismatch',
  'verified',
  'valid',
  'ignored',
  'disabled',
  'enabled',
  'authentication',
  'authorization',
  'check',
  'login',
  'refreshed',
  'revoked',
  'rotated',
  'found',
  'provided',
  'given',
  'supplied',
]);

/** HTTP headers whose whole value is a credential: `Cookie: a=1; b=2`, `Authorization: Digest ...`; to the end of the line. */
export const headerRule: Rule = {
  kind: 'secret_pair',
  needs: F.HEADER,
  re: new RegExp(
    `\\b((?:Set-)?Cookie|(?:Proxy-)?Authorization|X-Api-Key|X-Auth-Token|X-Access-Token|Api-Key|X-Goog-Api-Key|X-Vault-Token)` +
      // a colon, or (for the key headers, as clients print them) a blank
      `(\\s*:\\s*|\\s+)(${SCHEME}\\s+)?(?!["'])([^\\r\\n]+)`,
    'gi',
  ),
  replace: (m, g) => {
    const [name, sep, scheme, value] = g as [string, string, string | undefined, string];
    // a blank separates only the key headers, as clients print them ("X-Api-Key abc")
    if (!sep.includes(':') && !/(?:key|token)$/i.test(name)) return null;
    if (value.trimStart().startsWith(MARK_PREFIX) || isPlaceholder(value.trim(), name)) return null;
    return `${name}${sep}${scheme ?? ''}${mark('secret_pair')}`;
  },
};

const SINGLE_DASH = /(?:^|\s)-(?:pass|pwd|token|secret|key|api|auth|cred|sig)/i;

/** `--password X`, `--api-key=X`, `-password X`: a flag named like a secret and its value. */
export const flagRule: Rule = {
  kind: 'secret_pair',
  needs: F.KV | F.WORD,
  // long flags, or the few single-dash spellings tools use ("-password x", "-token x")
  also: (_f, t) => t.includes('--') || SINGLE_DASH.test(t),
  re: new RegExp(`(${KEY_ENDING})(=|\\s+)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s"'-][^\\s"']*)`, 'gi'),
  replace: (m, g, at, input) => {
    const [ending, , value] = g as [string, string, string];
    const key = keyBefore(input, at, ending);
    if (!key) return null;
    // a flag: one or two dashes open the name, and a blank or the line's start comes before them
    const dashes = /^-{1,2}(?!-)/.exec(key.name);
    if (!dashes || (key.start > 0 && !/[\s"'=]/.test(input[key.start - 1]!))) return null;
    const name = key.name.slice(dashes[0].length);
    if (!isSecretKeyName(name) || isPlaceholder(value, name)) return null;
    if (/^[a-z]+$/.test(value) && PROSE_WORDS.has(value)) return null;
    return `${m.slice(0, m.length - value.length)}${mark('secret_pair')}`;
  },
};

// Tools whose short flag takes a password: the flag letter per family.
const TOOL_FLAGS: { tools: string; flag: string; attached: boolean }[] = [
  {
    tools:
      'mysql|mysqldump|mysqladmin|mysqlimport|mariadb|mariadb-dump|mariadb-admin|mongo|mongosh|mongodump|mongorestore|mongoexport|mongoimport|sshpass|7z|7za|unrar|rar',
    flag: 'p',
    attached: true,
  },
  { tools: 'docker login|podman login|buildah login|skopeo login|helm registry login', flag: 'p', attached: false },
  { tools: 'sqlcmd|bcp|mosquitto_pub|mosquitto_sub|zip|unzip', flag: 'P', attached: false },
  { tools: 'redis-cli|keydb-cli|valkey-cli', flag: 'a', attached: false },
  { tools: 'curl|wget|http|lftp', flag: 'u', attached: false },
  { tools: 'smbclient|rpcclient|smbmap', flag: 'U', attached: false },
];

export const toolFlagRules: Rule[] = TOOL_FLAGS.map(({ tools, flag, attached }) => ({
  kind: 'secret_pair' as const,
  needs: F.TOOL,
  also: (_f: number, t: string) => t.includes(`-${flag}`),
  // the tool, anything up to the flag on the same command, the flag, the value (attached or not)
  re: new RegExp(
    `(\\b(?:${tools})(?![\\w-])[^|;&\\n]*?\\s-${flag})(${attached ? '\\s*' : '\\s+'})("[^"]*"|'[^']*'|[^\\s"'-][^\\s"']*)`,
    'g',
  ),
  replace: (_m: string, g: (string | undefined)[]) => {
    const [head, gap, value] = g as [string, string, string];
    if (value.startsWith(MARK_PREFIX)) return null;
    // user:password and user%password keep the user
    const cut = flag === 'u' ? value.indexOf(':') : flag === 'U' ? value.indexOf('%') : -1;
    if ((flag === 'u' || flag === 'U') && cut < 0) return null;
    return `${head}${gap}${cut >= 0 ? value.slice(0, cut + 1) : ''}${mark('secret_pair')}`;
  },
}));
