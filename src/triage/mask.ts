// Masking of variable tokens. Splits a message on blanks and replaces every token that carries a
// value (numbers, hex, ids, IPs, host:port, host names with numbers, paths, URLs, empty quotes and
// brackets, sizes and durations) with the wildcard, so that lines of one event look alike before the
// miner compares them. Identifiers with a number inside keep their letters ("blk_<*>", "en<*>").
// Runs of adjacent variables collapse into one wildcard: "3 bytes (1.2 KB)" and "3 bytes" mask the
// same way, so a template does not split on how many pieces a value happened to be printed in.
// Hot path (every line): character codes and index arithmetic, one slice per token.

import { detach } from './detach.ts';

export const WILDCARD = '<*>';

function variants(words: string[]): Set<string> {
  // exact spellings seen in logs: lower, Capitalised and UPPER, so lookups need no toLowerCase
  const out = new Set<string>();
  for (const w of words) {
    out.add(w);
    out.add(w[0]!.toUpperCase() + w.slice(1));
    out.add(w.toUpperCase());
  }
  return out;
}

// Words that only make sense next to a number: they belong to the value before them.
const UNITS = variants([
  'b',
  'byte',
  'bytes',
  'kb',
  'mb',
  'gb',
  'tb',
  'kib',
  'mib',
  'gib',
  'tib',
  'k',
  'kbps',
  'mbps',
  'ns',
  'us',
  'µs',
  'ms',
  's',
  'sec',
  'secs',
  'second',
  'seconds',
  'min',
  'mins',
  'minute',
  'minutes',
  'h',
  'hr',
  'hrs',
  'hour',
  'hours',
  'day',
  'days',
  '%',
]);
UNITS.add('KiB').add('MiB').add('GiB').add('TiB').add('Kbps').add('Mbps');

// Calendar words are variables when they stand next to a number ("Sun Jul 10 03:55:15 2005").
const CALENDAR = variants([
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'january',
  'february',
  'march',
  'april',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'am',
  'pm',
  'utc',
  'gmt',
]);

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 181;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60 || c === 39 || c === 34 || c === 96;
}

function closes(open: number, close: number): boolean {
  return (
    (open === 40 && close === 41) ||
    (open === 91 && close === 93) ||
    (open === 123 && close === 125) ||
    (open === 60 && close === 62) ||
    ((open === 39 || open === 34 || open === 96) && close === open)
  );
}

/**
 * True when message[s, e) is a value whatever its characters: a path ("/a/b", "'/udev/vcs2'"), a
 * URL, or an empty pair of brackets or quotes (an empty value: "()", "''").
 */
function isShapeValue(m: string, s: number, e: number): boolean {
  const n = e - s;
  const c0 = m.charCodeAt(s);
  // cheap rejection: most tokens start with a letter or digit and are not URLs
  if (n <= 8 && c0 !== 47 && c0 !== 126 && !isOpener(c0)) return false;
  if (n === 2 && closes(m.charCodeAt(s), m.charCodeAt(s + 1))) return true;
  let a = s;
  while (a < e && isOpener(m.charCodeAt(a))) a++;
  if (a === e) return false;
  const c = m.charCodeAt(a);
  if (c === 47 /* / */) {
    for (let i = a + 1; i < e; i++) if (m.charCodeAt(i) === 47) return true;
    return false;
  }
  if (c === 126 /* ~ */) return a + 1 < e && m.charCodeAt(a + 1) === 47;
  if (n > 8) {
    // "scheme://..."
    for (let i = s + 1; i < e - 2; i++) {
      const d = m.charCodeAt(i);
      if (d === 58) return m.charCodeAt(i + 1) === 47 && m.charCodeAt(i + 2) === 47;
      if (!isWordChar(d) && d !== 43 && d !== 45 && d !== 46) return false;
    }
  }
  return false;
}

function isHexOrSep(c: number): boolean {
  return (
    (c >= 48 && c <= 57) ||
    (c >= 97 && c <= 102) ||
    (c >= 65 && c <= 70) ||
    c === 45 ||
    c === 58 ||
    c === 46 ||
    c === 44 ||
    c === 41 ||
    c === 93
  );
}

/**
 * Masks message[s, e), a token with a digit. It is a whole value when its first alphanumeric
 * character is a digit (numbers, times, IPs, "(54,"), when it is made of hex digits and separators
 * (hashes, UUIDs, MACs, IPv6), when it holds three or more separate numbers (an address, a version,
 * a compound id) or when it is a dotted name with a number (a host: "host8.example.net"). Otherwise
 * it is an identifier with a number inside ("blk_123", "en0", "Brcm43xx") and only the digit runs
 * are masked, so that "en0" and "awdl0" still read as different words.
 */
function maskDigitToken(m: string, s: number, e: number): string {
  let a = s;
  while (a < e && !isWordChar(m.charCodeAt(a))) a++;
  if (a === e) return m.slice(s, e);
  if (isDigit(m.charCodeAt(a))) return WILDCARD;
  let hex = e - a >= 4;
  let runs = 0;
  let dot = false;
  for (let i = a; i < e; i++) {
    const c = m.charCodeAt(i);
    if (hex && !isHexOrSep(c)) hex = false;
    if (c === 46 && i + 1 < e && isWordChar(m.charCodeAt(i + 1))) dot = true;
    else if (isDigit(c) && !isDigit(m.charCodeAt(i - 1))) runs++;
  }
  if (hex || runs >= 3 || dot) return WILDCARD;
  let out = '';
  let from = s;
  let i = s;
  while (i < e) {
    if (!isDigit(m.charCodeAt(i))) {
      i++;
      continue;
    }
    // a sign right before the number belongs to it ("blk_-42" and "blk_42" are one shape)
    let upto = i;
    if (
      upto > from &&
      m.charCodeAt(upto - 1) === 45 &&
      (upto - 1 === s || !isWordChar(m.charCodeAt(upto - 2)) || m.charCodeAt(upto - 2) === 95)
    )
      upto--;
    out += m.slice(from, upto) + WILDCARD;
    while (i < e && (isDigit(m.charCodeAt(i)) || (m.charCodeAt(i) === 46 && i + 1 < e && isDigit(m.charCodeAt(i + 1)))))
      i++;
    from = i;
  }
  return from < e ? out + m.slice(from, e) : out;
}

// Interned tokens. Most tokens of a log are the same few thousand words, so each token is looked up
// by a hash of its characters (taken while scanning them) and the kept copy is returned: no new
// string per token, no slice of the caller's text kept (see detach.ts), and equal tokens are the
// same string, which makes the miner's comparisons and lookups cheap. Bounded: the table starts
// over once it holds MAX_INTERNED tokens.
const MAX_INTERNED = 65_536;
const interned = new Map<number, string>();
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashOf(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** The kept copy of message[s, e), whose characters hash to h. */
function internSlice(m: string, s: number, e: number, h: number): string {
  const k = interned.get(h);
  if (k !== undefined && k.length === e - s && m.startsWith(k, s)) return k;
  const t = detach(m.slice(s, e));
  if (k === undefined) {
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(h, t);
  }
  return t;
}

/** The kept copy of a token built by masking (its hash is h). */
function internBuilt(t: string, h: number): string {
  const k = interned.get(h);
  if (k === t) return k;
  const kept = detach(t);
  if (k === undefined) {
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(h, kept);
  }
  return kept;
}

const WILDCARD_HASH = hashOf(WILDCARD);

// Possible (first two characters, length) of unit and calendar words, so that most words skip the
// set lookups: bit `length` of FILTER[c0 << 7 | c1] (c1 = 0 for one-letter words).
const FILTER = new Uint16Array(128 * 128);
for (const w of [...UNITS, ...CALENDAR]) {
  const c0 = w.charCodeAt(0);
  const c1 = w.length > 1 ? w.charCodeAt(1) : 0;
  if (w.length <= 10 && c0 < 128 && c1 < 128) FILTER[(c0 << 7) | c1]! |= 1 << w.length;
}

/** Whether m[a, b) may be a unit or calendar word (false: surely not). */
function mayBeUnitOrCalendar(m: string, a: number, b: number): boolean {
  const n = b - a;
  if (n < 1 || n > 10) return false;
  const c0 = m.charCodeAt(a);
  const c1 = n > 1 ? m.charCodeAt(a + 1) : 0;
  if (c0 >= 128 || c1 >= 128) return true; // "µs": let the sets answer
  return (FILTER[(c0 << 7) | c1]! & (1 << n)) !== 0;
}

/** Bounds of tok[s, e) without wrapping punctuation ("KB)," -> "KB"), set in the two lets. */
let bareStart = 0;
let bareEnd = 0;
function bareBounds(tok: string, s: number, e: number): void {
  let a = s;
  let b = e;
  while (a < b && !isWordChar(tok.charCodeAt(a)) && tok.charCodeAt(a) !== 37) a++;
  while (b > a && !isWordChar(tok.charCodeAt(b - 1)) && tok.charCodeAt(b - 1) !== 37) b--;
  bareStart = a;
  bareEnd = b;
}

/** Is message[s, e), bare of punctuation, a unit or calendar word? */
function isUnitOrCalendarBare(m: string, s: number, e: number): boolean {
  bareBounds(m, s, e);
  if (!mayBeUnitOrCalendar(m, bareStart, bareEnd)) return false;
  const b = m.slice(bareStart, bareEnd);
  return UNITS.has(b) || CALENDAR.has(b);
}

/** Is message[s, e) a calendar word, as written or bare of punctuation? */
function isCalendarWord(m: string, s: number, e: number, tok: string): boolean {
  if (mayBeUnitOrCalendar(m, s, e) && CALENDAR.has(tok)) return true;
  if (isWordChar(m.charCodeAt(e - 1))) return false;
  bareBounds(m, s, e);
  return mayBeUnitOrCalendar(m, bareStart, bareEnd) && CALENDAR.has(m.slice(bareStart, bareEnd));
}

// hashes of the tokens of the last call, for its shape hash
let tokenHashes = new Int32Array(256);
let lastOut: string[] | undefined;
let lastShape = 0;

function shapeOf(out: string[], hashes: Int32Array): number {
  let h = FNV_OFFSET ^ out.length;
  for (let k = 0; k < out.length; k++) h = Math.imul(h ^ hashes[k]!, FNV_PRIME) + k;
  return h | 0;
}

/**
 * A 32-bit hash of a masked token list (equal lists hash equal). Free for the list that maskTokens
 * returned last; computed from the words for any other.
 */
export function shapeHash(tokens: readonly string[]): number {
  if (tokens === lastOut) return lastShape;
  if (tokenHashes.length < tokens.length) tokenHashes = new Int32Array(tokens.length * 2);
  for (let k = 0; k < tokens.length; k++) tokenHashes[k] = hashOf(tokens[k]!);
  return shapeOf(tokens as string[], tokenHashes);
}

/**
 * The tokens as they may be kept for long: the list itself when maskTokens made it (its words are
 * interned copies), otherwise a list of detached copies.
 */
export function keptTokens(tokens: string[]): string[] {
  return tokens === lastOut ? tokens : tokens.map(detach);
}

/**
 * Masks one message into tokens. A `key=value` pair keeps its key (`uid=<*>`), since the key is
 * part of the event's shape. The tokens are interned (see above): never slices of `message`.
 */
export function maskTokens(message: string): string[] {
  const out: string[] = [];
  const n = message.length;
  if (tokenHashes.length < n) tokenHashes = new Int32Array(n + 16);
  const hashes = tokenHashes;
  let calRun = 0; // trailing calendar words in out that a following number would absorb
  let lastVar = false; // out ends with a plain wildcard
  let i = 0;
  while (i < n) {
    let c = message.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    let digit = false;
    let slash = false;
    let eq = -1;
    let h = FNV_OFFSET;
    while (i < n) {
      c = message.charCodeAt(i);
      if (c === 32 || c === 9) break;
      h = Math.imul(h ^ c, FNV_PRIME);
      if (c >= 48 && c <= 57) digit = true;
      else if (c === 47) slash = true;
      else if (c === 61 && eq < 0 && !digit) eq = i;
      i++;
    }
    let masked: string;
    let mh = h;
    // a shape value is a path or URL (it has a '/') or an empty pair of two characters
    if ((slash || i - start === 2) && isShapeValue(message, start, i)) masked = WILDCARD;
    else if (digit) {
      if (eq > start && eq < i - 1) {
        const kv = message.slice(start, eq + 1) + maskDigitToken(message, eq + 1, i);
        const kh = hashOf(kv);
        hashes[out.length] = kh;
        out.push(internBuilt(kv, kh));
        calRun = 0;
        lastVar = false;
        continue;
      }
      masked = maskDigitToken(message, start, i);
      if (masked !== WILDCARD) {
        mh = hashOf(masked);
        masked = internBuilt(masked, mh);
      }
    } else masked = internSlice(message, start, i, h);
    if (masked === WILDCARD) {
      if (calRun > 0) {
        out.length -= calRun; // "Sun Jul 10": the day and month were part of this value
        calRun = 0;
        lastVar = out.length > 0 && out[out.length - 1] === WILDCARD;
      }
      if (!lastVar) {
        hashes[out.length] = WILDCARD_HASH;
        out.push(WILDCARD);
      }
      lastVar = true;
      continue;
    }
    if (!digit && i - start <= 10) {
      if (lastVar) {
        if (isUnitOrCalendarBare(message, start, i)) continue; // "5 ms", "10 Jul": still the same value
      } else if (isCalendarWord(message, start, i, masked)) {
        calRun++;
        hashes[out.length] = mh;
        out.push(masked);
        continue;
      }
    }
    calRun = 0;
    // a repeated masked item is a list of any length: "blk_<*> blk_<*> blk_<*>" reads as one
    if (digit && out.length > 0 && out[out.length - 1] === masked) continue;
    hashes[out.length] = mh;
    out.push(masked);
    lastVar = false;
  }
  lastOut = out;
  lastShape = shapeOf(out, hashes);
  return out;
}
