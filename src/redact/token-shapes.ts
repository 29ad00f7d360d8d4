// Secrets recognised by their own shape, wherever they stand: JWTs, `Bearer` credentials, the
// well-known token formats of code hosts, chat platforms, clouds and registries, and long random
// strings (anywhere when very long, from 16 characters when a secret-looking word is near).
import { mark, MARK_PREFIX } from './kinds.ts';
import { F } from './features.ts';
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
  needs: F.RUN24,
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

// 32+ hex digits (keys, digests), or 32+ base64 characters with both cases and a digit.
export const longSecretRule: Rule = {
  kind: 'long_secret',
  needs: F.RUN32,
  re: /(^|[^\w\/+=-])((?:[0-9a-f]{32,}|[0-9A-F]{32,}|(?=[A-Za-z0-9+\/_-]*[a-z])(?=[A-Za-z0-9+\/_-]*[A-Z])(?=[A-Za-z0-9+\/_-]*\d)[A-Za-z0-9+\/_-]{32,}={0,2}))(?![\w\/+=-])/g,
  replace: (_m, g) => {
    const [before, m] = g as [string, string];
    // a path is not a secret: it starts with a slash, or has several slashes and none of base64's + and =
    if (m[0] === '/' || m[0] === '~' || (m.split('/').length > 2 && !/[+=]/.test(m))) return null;
    return `${before}${mark('long_secret')}`;
  },
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

// A secret-looking word, then up to 40 characters, then a random-looking run of 16+ characters.
const NEAR_WORD = /\b(pass(?:word|wd|phrase)?|pwd|secret|token|api[_ -]?key|access[_ -]?key|private[_ -]?key|credential|auth|signature|session|cookie)(?![a-z])([^\n]{0,40}?[^\w\/+=.~-]|)([A-Za-z0-9+\/_.~-]{16,}={0,2})(?![\w\/+=-])/gi;

export const nearWordRule: Rule = {
  kind: 'long_secret',
  needs: F.RUN16,
  also: (f) => (f & (F.KV | F.WORD | F.PROSE)) !== 0,
  re: NEAR_WORD,
  replace: (m, g) => {
    const [word, between, candidate] = g as [string, string, string];
    if (candidate.startsWith(MARK_PREFIX) || between.includes(MARK_PREFIX)) return null;
    // a hex number or pointer ("session 0x14ed93111f2005b") is an id, not a credential
    if (/^0x[0-9a-f]+$/i.test(candidate)) return null;
    const classes = +/[a-z]/.test(candidate) + +/[A-Z]/.test(candidate) + +/\d/.test(candidate);
    // random: several character classes, a digit, high entropy, not a path or a dotted name
    if (classes < 2 || !/\d/.test(candidate)) return null;
    // a path ("/usr/lib/x86_64", "a/b/c") is not a secret; one slash inside base64 is
    if (candidate[0] === '/' || (candidate.split('/').length > 2 && !/[+=]/.test(candidate))) return null;
    if (/^[\w-]+(?:\.[\w-]+)+$/.test(candidate) && !/\d{3}/.test(candidate)) return null;
    if (entropy(candidate) < 3.3) return null;
    return `${word}${between}${mark('long_secret')}`;
  },
};
