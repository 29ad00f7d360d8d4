// One pass over a line that says which rules could match it, so that most lines run no pattern at
// all (redaction sits on the triage's hot path: every line). Secret words and token prefixes are found
// by one case-folded automaton; the shape of the characters (runs, dotted digits, colons) is counted in
// the same loop.
import { buildAutomaton } from './automaton.ts';

export const F = {
  /** A secret key name followed by `=`, `:`, a quote, `->`/`=>`. */
  KV: 1 << 0,
  /** A secret word followed by a blank ("password is", "--token X", "X-Api-Key X"). */
  WORD: 1 << 1,
  /** A noun that prose states secrets with ("password", "token", "api key"). */
  PROSE: 1 << 2,
  /** A well-known token prefix ("ghp_", "AKIA", "xoxb-", "sk-"). */
  SHAPE: 1 << 3,
  /** An auth scheme word (Bearer, Basic, Token, Bot). */
  SCHEME: 1 << 4,
  /** A tool whose flags take passwords (mysql, redis-cli, curl, sshpass). */
  TOOL: 1 << 5,
  /** A chat webhook host. */
  WEBHOOK: 1 << 6,
  /** `eyJ`: a JWT could start here. */
  JWT: 1 << 7,
  /** `@`. */
  AT: 1 << 8,
  /** `://` */
  SCHEME_SEP: 1 << 9,
  /** Three dots between digits. */
  IPV4: 1 << 10,
  /** `::`, or three colons between hex digits. */
  IPV6: 1 << 11,
  /** A run of 16+ token characters. */
  RUN16: 1 << 12,
  /** A run of 24+ token characters. */
  RUN24: 1 << 13,
  /** A run of 32+ token characters. */
  RUN32: 1 << 14,
  /** `AUTH` in capitals (redis). */
  REDIS_AUTH: 1 << 15,
  /** A credential header's name (Cookie, Authorization, X-Api-Key). */
  HEADER: 1 << 16,
} as const;

// tags that only count when a separator or a blank follows the word
const KEY = 1 << 20;


// key-name endings (see key-names.ts): a separator right after them makes a key/value pair
const KEY_WORDS = [
  'pass', 'passwd', 'password', 'pwd', 'passphrase', 'passcode', 'secret', 'secrets', 'token', 'tokens', 'key', 'auth', 'authorization',
  'credential', 'credentials', 'creds', 'sig', 'signature', 'session', 'sessionid', 'session_id', 'session-id', 'sessid', 'cookie',
  'cookies', 'private', 'dsn', 'pw', 'pin', 'otp', 'totp', 'sid', 'psk',
];
const PROSE_WORDS = ['password', 'passwd', 'passphrase', 'passcode', 'pwd', 'secret', 'token', 'api key', 'apikey', 'api_key', 'access key', 'private key', 'credential', 'pin ', 'otp', 'session id', 'session key', 'session token', 'cookie'];
const SHAPES = [
  'akia', 'asia', 'agpa', 'aida', 'aroa', 'anpa', 'anva', 'aipa', 'abia', 'acca', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_',
  'glpat-', 'gldt-', 'glrt-', 'glptt-', 'glsoat-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glcbt-', 'gr1348941', 'xoxa-', 'xoxb-',
  'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxc-', 'xoxe-', 'xapp-', 'aiza', 'ya29.', 'gocspx-', '_live_', '_test_', 'whsec_', 'sk-', ':aa',
  'npm_', 'dckr_', 'hvs.', 'sg.', 'hf_', 'pypi-', 'shpat_', 'shpca_', 'shppa_', 'shpss_', '_v1_', 'age-secret-key-', 'key-', 'glc_', 'lin_api_',
];
const SCHEMES = ['bearer ', 'basic ', 'token ', 'bot '];
const TOOLS = [
  'mysql', 'mariadb', 'mongo', 'sshpass', '7z', 'unrar', 'rar ', 'docker login', 'podman login', 'buildah login', 'skopeo login',
  'registry login', 'sqlcmd', 'bcp ', 'mosquitto_', 'zip ', 'redis-cli', 'keydb-cli', 'valkey-cli', 'curl', 'wget', 'lftp',
  'smbclient', 'rpcclient', 'smbmap',
];
const WEBHOOKS = ['hooks.slack.com', 'discord.com/api/webhooks', 'discordapp.com/api/webhooks', 'webhook.office.com', 'chat.googleapis.com'];

const patterns = new Map<string, number>();
const add = (words: string[], tag: number) => {
  for (const w of words) patterns.set(w, (patterns.get(w) ?? 0) | tag);
};
add(KEY_WORDS, KEY);
add(PROSE_WORDS, F.PROSE);
add(SHAPES, F.SHAPE);
add(SCHEMES, F.SCHEME);
add(TOOLS, F.TOOL);
add(WEBHOOKS, F.WEBHOOK);
add(['eyj'], F.JWT);
add(['://'], F.SCHEME_SEP);
add(['@'], F.AT);
add(['cookie', 'authorization', 'api-key', 'auth-token', 'access-token', 'vault-token'], F.HEADER);

const A = buildAutomaton([...patterns].map(([text, tag]) => ({ text, tag })), true);
const { symbols, tags } = A;
// the table in 16 bits (fewer cache lines per step): there are far fewer than 65,536 states
const delta = Uint16Array.from(A.delta);

// One lookup per character: its automaton column (low byte) and its classes (the bits above).
const WORD_CLASS = 1 << 8; // letters, digits, _ and -: token bodies
const B64_CLASS = 1 << 9; // + / =, which base64 adds
const DIGIT_CLASS = 1 << 10;
const HEX_CLASS = 1 << 11;
const DOT = 1 << 12;
const COLON = 1 << 13;
if (symbols > 255) throw new Error('redaction: too many distinct characters in the feature words');
const TABLE = new Int32Array(65536);
for (let c = 0; c < 65536; c++) TABLE[c] = A.alpha[c]!;
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_-]/.test(ch)) TABLE[c]! |= WORD_CLASS;
  if (/[+\/=]/.test(ch)) TABLE[c]! |= B64_CLASS;
  if (/[0-9]/.test(ch)) TABLE[c]! |= DIGIT_CLASS;
  if (/[0-9A-Fa-f]/.test(ch)) TABLE[c]! |= HEX_CLASS;
  if (ch === '.') TABLE[c]! |= DOT;
  if (ch === ':') TABLE[c]! |= COLON;
}

/** The features of a line (a bit set of F). Kept to one table step and a few bit tests per character. */
export function scanFeatures(text: string): number {
  let f = 0;
  let s = 0;
  let wordRun = 0;
  let maxWordRun = 0;
  let b64Run = 0;
  let maxB64Run = 0;
  let dotted = 0; // "<digit>.<digit>"
  let hexColons = 0; // "<hex>:<hex>"
  let prev = 0; // the previous character's classes
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const e = TABLE[text.charCodeAt(i)]!;
    s = delta[s * symbols + (e & 255)]!;
    const t = tags[s]!;
    if (t !== 0) {
      f |= t;
      if ((t & KEY) !== 0) {
        // a key name ends here when a separator, a quote or a blank follows
        let j = i + 1;
        let d = j < n ? text.charCodeAt(j) : 0;
        if (d === 32 || d === 9) {
          // blanks, then a separator ("password = x", "key => v") still make a pair
          while (j < n && (d === 32 || d === 9)) d = ++j < n ? text.charCodeAt(j) : 0;
          f |= d === 61 || d === 58 ? F.KV : F.WORD;
        } else if (d === 61 || d === 58 || d === 34 || d === 39 || d === 96 || d === 92 || d === 45 || d === 62) f |= F.KV;
      }
    }
    if ((e & WORD_CLASS) !== 0) {
      wordRun++;
      b64Run++;
      // a digit or hex digit after "." or ":" that followed one
      if ((prev & (DOT | COLON)) !== 0 && i >= 2) {
        const pp = TABLE[text.charCodeAt(i - 2)]!;
        if ((prev & DOT) !== 0 && (e & DIGIT_CLASS) !== 0 && (pp & DIGIT_CLASS) !== 0) dotted++;
        else if ((prev & COLON) !== 0 && (e & HEX_CLASS) !== 0) {
          if ((pp & HEX_CLASS) !== 0) hexColons++;
          // "::" then a hex digit: a compressed IPv6 address may be here
          else if ((pp & COLON) !== 0) f |= F.IPV6;
        }
      }
    } else {
      if (wordRun > maxWordRun) maxWordRun = wordRun;
      wordRun = 0;
      if ((e & B64_CLASS) !== 0) b64Run++;
      else {
        if (b64Run > maxB64Run) maxB64Run = b64Run;
        b64Run = 0;
      }
    }
    prev = e;
  }
  if (wordRun > maxWordRun) maxWordRun = wordRun;
  if (b64Run > maxB64Run) maxB64Run = b64Run;
  f &= ~KEY;
  // three dots between digits: a dotted quad may be there; seven hex colons: a full IPv6 address
  if (dotted >= 3) f |= F.IPV4;
  if (hexColons >= 7) f |= F.IPV6;
  if (maxWordRun >= 16) f |= F.RUN16;
  if (maxWordRun >= 24) f |= F.RUN24;
  if (maxWordRun >= 32 || maxB64Run >= 40) f |= F.RUN32;
  if ((f & (F.KV | F.WORD)) !== 0 && text.includes('AUTH')) f |= F.REDIS_AUTH;
  return f;
}
