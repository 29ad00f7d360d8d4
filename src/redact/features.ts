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
  /** A run of 16+ token characters on a line with a secret word. */
  RUN16: 1 << 12,
  /** A run of 23-26 token characters ending in a dot (a Discord token's first part). */
  DOTTED_RUN: 1 << 13,
  /** A run of 32+ token characters. */
  RUN32: 1 << 14,
  /** `AUTH` in capitals (redis). */
  REDIS_AUTH: 1 << 15,
  /** A credential header's name (Cookie, Authorization, X-Api-Key). */
  HEADER: 1 << 16,
  /** Seven colons between hex digits: a full IPv6 address may be here. */
  IPV6_FULL: 1 << 17,
  /** An @ followed by a name and a dot: an e-mail address may be here. */
  EMAIL: 1 << 18,
} as const;

// tags that only count when a separator or a blank follows the word
const KEY = 1 << 20;

// key-name endings (see key-names.ts): a separator right after them makes a key/value pair
const KEY_WORDS = [
  'pass',
  'passwd',
  'password',
  'pwd',
  'passphrase',
  'passcode',
  'secret',
  'secrets',
  'token',
  'tokens',
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
  'session_id',
  'session-id',
  'sessid',
  'cookie',
  'cookies',
  'private',
  'dsn',
  'pw',
  'pin',
  'otp',
  'totp',
  'sid',
  'psk',
];
const PROSE_WORDS = [
  'password',
  'passwd',
  'passphrase',
  'passcode',
  'pwd',
  'secret',
  'token',
  'api key',
  'apikey',
  'api_key',
  'access key',
  'private key',
  'credential',
  'pin ',
  'otp',
  'session id',
  'session key',
  'session token',
  'cookie',
];
const SHAPES = [
  'akia',
  'asia',
  'agpa',
  'aida',
  'aroa',
  'anpa',
  'anva',
  'aipa',
  'abia',
  'acca',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_',
  'glpat-',
  'gldt-',
  'glrt-',
  'glptt-',
  'glsoat-',
  'glft-',
  'glimt-',
  'glagent-',
  'gloas-',
  'glcbt-',
  'gr1348941',
  'xoxa-',
  'xoxb-',
  'xoxp-',
  'xoxo-',
  'xoxs-',
  'xoxr-',
  'xoxc-',
  'xoxe-',
  'xapp-',
  'aiza',
  'ya29.',
  'gocspx-',
  '_live_',
  '_test_',
  'whsec_',
  'sk-',
  ':aa',
  'npm_',
  'dckr_',
  'hvs.',
  'sg.',
  'hf_',
  'pypi-',
  'shpat_',
  'shpca_',
  'shppa_',
  'shpss_',
  '_v1_',
  'age-secret-key-',
  'key-',
  'glc_',
  'lin_api_',
];
const SCHEMES = ['bearer ', 'basic ', 'token ', 'bot '];
const TOOLS = [
  'mysql',
  'mariadb',
  'mongo',
  'sshpass',
  '7z',
  'unrar',
  'rar ',
  'docker login',
  'podman login',
  'buildah login',
  'skopeo login',
  'registry login',
  'sqlcmd',
  'bcp ',
  'mosquitto_',
  'zip ',
  'redis-cli',
  'keydb-cli',
  'valkey-cli',
  'curl',
  'wget',
  'lftp',
  'smbclient',
  'rpcclient',
  'smbmap',
];
const WEBHOOKS = [
  'hooks.slack.com',
  'discord.com/api/webhooks',
  'discordapp.com/api/webhooks',
  'webhook.office.com',
  'chat.googleapis.com',
];

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

const A = buildAutomaton(
  [...patterns].map(([text, tag]) => ({ text, tag })),
  true,
);
const { symbols } = A;
// States renumbered so that the tagged ones come last: "is there a tag here" is then a comparison with
// FIRST_TAGGED instead of a load per character. The table in 16 bits (fewer cache lines per step).
const order: number[] = [];
for (let st = 0; st < A.states; st++) if (A.tags[st] === 0) order.push(st);
const FIRST_TAGGED = order.length;
for (let st = 0; st < A.states; st++) if (A.tags[st] !== 0) order.push(st);
if (order[0] !== 0) throw new Error('redaction: the root state must stay untagged');
const renumber = new Int32Array(A.states);
order.forEach((old, neu) => {
  renumber[old] = neu;
});
const delta = new Uint16Array(A.states * symbols);
const tags = new Int32Array(A.states);
for (let old = 0; old < A.states; old++) {
  const neu = renumber[old]!;
  tags[neu] = A.tags[old]!;
  for (let a = 0; a < symbols; a++) delta[neu * symbols + a] = renumber[A.delta[old * symbols + a]!]!;
}

// One lookup per character: its automaton column (low byte) and its classes (the bits above).
const WORD_CLASS = 1 << 8; // letters, digits, _ and -: token bodies
const B64_CLASS = 1 << 9; // + / =, which base64 adds
const DIGIT_CLASS = 1 << 10;
const HEX_CLASS = 1 << 11;
const DOT = 1 << 12;
const COLON = 1 << 13;
if (symbols > 255) throw new Error('redaction: too many distinct characters in the feature words');
const TABLE = new Uint16Array(65536);
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

/**
 * Where the last scanned line has a secret key name followed by a separator: the offset of the
 * name's last character, `count` of them (the key/value rule starts from these instead of trying a
 * pattern at every offset). Valid until the next scan.
 */
export const keyHits = { ends: new Int32Array(32), count: 0 };

/** Runs of 16+ token characters (letters, digits, _ - + / =) of the last scanned line: [start, end) pairs. */
export const longRuns = { spans: new Int32Array(32), count: 0 };

function addLongRun(start: number, end: number): void {
  if (longRuns.count * 2 + 2 > longRuns.spans.length) {
    const more = new Int32Array(longRuns.spans.length * 2);
    more.set(longRuns.spans);
    longRuns.spans = more;
  }
  longRuns.spans[longRuns.count * 2] = start;
  longRuns.spans[longRuns.count * 2 + 1] = end;
  longRuns.count++;
}

function addKeyHit(end: number): void {
  if (keyHits.count === keyHits.ends.length) {
    const more = new Int32Array(keyHits.ends.length * 2);
    more.set(keyHits.ends);
    keyHits.ends = more;
  }
  keyHits.ends[keyHits.count++] = end;
}

/** The features of a line (a bit set of F). Kept to one table step and a few bit tests per character. */
export function scanFeatures(text: string): number {
  let f = 0;
  let s = 0;
  let wordRun = 0;
  let maxWordRun = 0;
  let b64Run = 0;
  let maxB64Run = 0;
  // dotted quads: "<digit>.<digit>" events, each within 4 characters of the last, then the tail
  let lastDot = -10;
  let chain = 0;
  let tail = 0; // digits of the fourth group so far (0: not in one)
  let hexColons = 0; // "<hex>:<hex>"
  let prev = 0; // the previous character's classes
  const n = text.length;
  keyHits.count = 0;
  longRuns.count = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const e = TABLE[c]!;
    s = delta[s * symbols + (e & 255)]!;
    if (s >= FIRST_TAGGED) {
      const t = tags[s]!;
      f |= t;
      if ((t & KEY) !== 0) {
        // a key name ends here when a separator, a quote or a blank follows
        let j = i + 1;
        let d = j < n ? text.charCodeAt(j) : 0;
        if (d === 32 || d === 9) {
          // blanks, then a separator ("password = x", "key => v") still make a pair
          while (j < n && (d === 32 || d === 9)) d = ++j < n ? text.charCodeAt(j) : 0;
          if (d === 61 || d === 58) {
            f |= F.KV;
            addKeyHit(i);
          } else f |= F.WORD;
        } else if (d === 61 || d === 58 || d === 34 || d === 39 || d === 96 || d === 92 || d === 45 || d === 62) {
          f |= F.KV;
          addKeyHit(i);
        }
      }
    }
    // the fourth group of a quad: 1 to 3 digits, then anything but a word character
    if (chain >= 3 && i > lastDot + 1) {
      if ((e & DIGIT_CLASS) !== 0) tail++;
      else {
        if (tail >= 1 && tail <= 3 && (e & WORD_CLASS) === 0) f |= F.IPV4;
        chain = 0;
        tail = 0;
      }
    }
    if (c === 64) {
      // "@name." : a domain may follow (the e-mail rule reads it exactly)
      let j = i + 1;
      while (j < n && (TABLE[text.charCodeAt(j)]! & WORD_CLASS) !== 0) j++;
      if (j > i + 1 && j + 1 < n && text.charCodeAt(j) === 46 && (TABLE[text.charCodeAt(j + 1)]! & WORD_CLASS) !== 0)
        f |= F.EMAIL;
    }
    if ((e & WORD_CLASS) !== 0) {
      wordRun++;
      b64Run++;
      // a digit or hex digit after "." or ":" that followed one
      if ((prev & (DOT | COLON)) !== 0 && i >= 2) {
        const pp = TABLE[text.charCodeAt(i - 2)]!;
        if ((prev & DOT) !== 0 && (e & DIGIT_CLASS) !== 0 && (pp & DIGIT_CLASS) !== 0) {
          chain = i - 1 - lastDot <= 4 ? chain + 1 : 1;
          lastDot = i - 1;
          if (chain === 3) tail = 1;
        } else if ((prev & COLON) !== 0 && (e & HEX_CLASS) !== 0) {
          if ((pp & HEX_CLASS) !== 0) hexColons++;
          // "::" then a hex digit: a compressed IPv6 address may be here
          else if ((pp & COLON) !== 0) f |= F.IPV6;
        }
      }
    } else {
      if (wordRun > maxWordRun) maxWordRun = wordRun;
      if ((e & DOT) !== 0 && wordRun >= 23 && wordRun <= 26) f |= F.DOTTED_RUN;
      wordRun = 0;
      if ((e & B64_CLASS) !== 0) b64Run++;
      else {
        if (b64Run > maxB64Run) maxB64Run = b64Run;
        if (b64Run >= 16) addLongRun(i - b64Run, i);
        b64Run = 0;
      }
    }
    prev = e;
  }
  if (wordRun > maxWordRun) maxWordRun = wordRun;
  if (b64Run > maxB64Run) maxB64Run = b64Run;
  if (b64Run >= 16) addLongRun(n - b64Run, n);
  f &= ~KEY;
  if (chain >= 3 && tail >= 1 && tail <= 3) f |= F.IPV4;
  // seven hex colons: a full IPv6 address
  if (hexColons >= 7) f |= F.IPV6_FULL;
  // a 16-character run matters only next to a secret word (see randomStringRule)
  if (maxWordRun >= 16 && (f & (F.KV | F.WORD | F.PROSE)) !== 0) f |= F.RUN16;
  if (maxWordRun >= 32 || maxB64Run >= 40) f |= F.RUN32;
  if ((f & (F.KV | F.WORD)) !== 0 && text.includes('AUTH')) f |= F.REDIS_AUTH;
  return f;
}
