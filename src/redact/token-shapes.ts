// Secrets recognised by their own shape, wherever they stand: JWTs, `Bearer` credentials, the
// well-known token formats of code hosts, chat platforms, clouds and registries, and long random
// strings (anywhere when very long, from 16 characters when a secret-looking word is near).
import { mark } from './kinds.ts';
import { F, longRuns } from './features.ts';
import type { Rule } from './rule.ts';

export const jwtRule: Rule = {
  kind: 'jwt',
  needs: F.JWT,
  re: /\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]{5,}/g,
  replace: () => mark('jwt'),
};

export const bearerRule: Rule = {
  kind: 'bearer_token',
  needs: F.SCHEME,
  re: /\b(Bearer|bearer|BEARER|Basic|Token|Bot)\s+(?!\[REDACTED)[A-Za-z0-9._~+\/=:-]{8,}/g,
  replace: (m, g) => {
    const scheme = g[0]!;
    // "Basic authentication" and "token refreshed" are words, not credentials: a credential has a digit or a symbol
    const value = m.slice(scheme.length).trim();
    if (/^[A-Za-z]+$/.test(value)) return null;
    return `${scheme} ${mark('bearer_token')}`;
  },
};

// Token formats with a fixed prefix or layout (after the rule sets of secret scanners, written anew).
const SHAPES = [
  '(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}', // AWS access key ids
  'gh[pousr]_[A-Za-z0-9]{36,}', // GitHub
  'github_pat_\\w{22,}',
  'gl(?:pat|dt|rt|ptt|soat|ft|imt|agent|oas|cbt)-[\\w-]{20,}', // GitLab
  'GR1348941[\\w-]{20,}',
  'xox[abposrce]-[\\w-]{10,}', // Slack
  'xapp-\\d-[\\w-]{10,}',
  'AIza[\\w-]{35}', // Google API keys
  'ya29\\.[\\w-]{20,}', // Google OAuth access tokens
  'GOCSPX-[\\w-]{20,}',
  '(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}', // Stripe
  'whsec_[A-Za-z0-9]{24,}',
  'sk-(?:proj-|ant-(?:api\\d\\d-)?|svcacct-|admin-)?[A-Za-z0-9_-]{20,}', // OpenAI-style and Anthropic keys
  '(?:bot)?\\d{8,10}:AA[A-Za-z0-9_-]{32,33}', // Telegram bot tokens (also in an API path: /bot<token>/)
  'npm_[A-Za-z0-9]{36}', // npm
  'dckr_(?:pat|oat)_[A-Za-z0-9_-]{20,}', // Docker Hub
  'hvs\\.[A-Za-z0-9_-]{24,}', // HashiCorp Vault
  'SG\\.[\\w-]{22}\\.[\\w-]{43}', // SendGrid
  'hf_[A-Za-z]{34}', // Hugging Face
  'pypi-AgEIcHlwaS5vcmc[\\w-]{50,}', // PyPI
  'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', // Shopify
  'do[opr]_v1_[a-f0-9]{64}', // DigitalOcean
  'AGE-SECRET-KEY-1[0-9A-Z]{58}', // age
  'key-[0-9a-f]{32}', // Mailgun
  'glc_[A-Za-z0-9+\\/]{32,}={0,2}', // Grafana cloud
  'lin_api_[A-Za-z0-9]{40}', // Linear
];

export const cloudKeyRule: Rule = {
  kind: 'cloud_key',
  needs: F.SHAPE,
  re: new RegExp(`\\b(?:${SHAPES.join('|')})(?![\\w-])`, 'g'),
  replace: () => mark('cloud_key'),
};

/** Formats without a prefix, told by their layout: Discord bot tokens, Twilio API key ids. */
export const unprefixedKeyRule: Rule = {
  kind: 'cloud_key',
  needs: F.DOTTED_RUN | F.RUN32,
  re: /\b(?:[MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,38}|SK[0-9a-f]{32})(?![\w-])/g,
  replace: () => mark('cloud_key'),
};

/** Chat webhooks carry their secret in the path. */
export const webhookRule: Rule = {
  kind: 'cloud_key',
  needs: F.WEBHOOK,
  re: /\b((?:https?:\/\/)?(?:hooks\.slack\.com\/(?:services|workflows|triggers)|(?:discord(?:app)?\.com|ptb\.discord\.com|canary\.discord\.com)\/api\/webhooks|[\w.-]+\.webhook\.office\.com\/webhookb2|chat\.googleapis\.com\/v1\/spaces\/[\w-]+\/messages)\/)[^\s"'<>]+/g,
  replace: (_m, g) => `${g[0]}${mark('cloud_key')}`,
};

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const freq = new Map<string, number>();
  for (const c of s) freq.set(c, (freq.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of freq.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A path ("/usr/lib/x86_64", "a/b/c") is not a secret; one slash inside base64 is. */
function isPath(t: string): boolean {
  if (t[0] === '/' || t[0] === '~') return true;
  const first = t.indexOf('/');
  return first >= 0 && t.indexOf('/', first + 1) >= 0 && !/[+=]/.test(t);
}

/** 32+ hex digits (keys, digests), or 32+ base64 characters with both cases and a digit. */
function isLongSecret(t: string): boolean {
  if (t.length < 32) return false;
  // a random string has digits among its letters: most long runs (paths, names) have few or none
  let digits = 0;
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) digits++;
  if (digits === 0 || isPath(t)) return false;
  const body = t.replace(/=+$/, '');
  if (/^[0-9a-f]+$/.test(body) || /^[0-9A-F]+$/.test(body)) return body.length >= 32;
  return /[a-z]/.test(body) && /[A-Z]/.test(body) && /\d/.test(body) && /^[A-Za-z0-9+\/_-]+$/.test(body);
}

// a secret-looking word shortly before a token makes 16 random characters enough
const SECRET_WORD =
  /\b(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_ -]?key|access[_ -]?key|private[_ -]?key|credential|auth|signature|session|cookie)(?![a-z])/i;

/** 16+ random characters: several character classes, a digit, high entropy, not a path, a dotted name or a hex number. */
function isRandom(t: string): boolean {
  const classes = +/[a-z]/.test(t) + +/[A-Z]/.test(t) + +/\d/.test(t);
  if (classes < 2 || !/\d/.test(t) || isPath(t) || /^0x[0-9a-f]+$/i.test(t)) return false;
  // a name of words and numbers ("vmware-usbarb-25037", "node-10-105-160-95") is not random
  if (t.split(/[-_]/).every((p) => /^(?:[A-Za-z]+|\d+)$/.test(p))) return false;
  return entropy(t) >= 3.3;
}

/**
 * Long random strings: anywhere when 32+ characters (hex, or base64 with both cases and a digit),
 * and from 16 characters when a secret-looking word stands within 40 characters before them. Written
 * by hand over the line's tokens (a pattern with look-aheads, tried at every offset, costs more than
 * the whole rest of the redaction on the lines that have long tokens).
 */
export const randomStringRule: Rule = {
  kind: 'long_secret',
  needs: F.RUN16 | F.RUN32,
  usesScan: true,
  re: /(?!)/g,
  replace: () => null,
  apply(text, counts) {
    let out = '';
    let at = 0;
    let found = 0;
    for (let r = 0; r < longRuns.count; r++) {
      const runStart = longRuns.spans[r * 2]!;
      const runEnd = longRuns.spans[r * 2 + 1]!;
      // an '=' inside a run separates a key from its value; at the end it is base64 padding
      let s = runStart;
      while (s < runEnd) {
        let e = text.indexOf('=', s);
        if (e < 0 || e >= runEnd) e = runEnd;
        let end = e;
        while (end < runEnd && text.charCodeAt(end) === 61) end++;
        const padded = end === runEnd || end > e + 1 ? end : e;
        if (e - s >= 16) {
          const t = text.slice(s, padded);
          // (the cheap tests first: most long runs are paths and names with no secret word near)
          const secret =
            !t.includes('REDACTED') &&
            (isLongSecret(t) || (SECRET_WORD.test(text.slice(Math.max(0, s - 48), s)) && isRandom(t)));
          if (secret) {
            out += text.slice(at, s) + mark('long_secret');
            at = padded;
            found++;
          }
        }
        s = end > e ? end : e + 1;
      }
    }
    if (found === 0) return text;
    counts.long_secret = (counts.long_secret ?? 0) + found;
    return out + text.slice(at);
  },
};
