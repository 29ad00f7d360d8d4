// Masking of variable tokens. Splits a message on blanks and replaces every token that carries a
// value (numbers, hex, ids, IPs, host:port, paths, URLs, quoted words, sizes and durations) with the
// wildcard, so that lines of one event look alike before the miner compares them. Runs of adjacent
// variables collapse into one wildcard: "3 bytes (1.2 KB)" and "3 bytes" mask the same way, so a
// template does not split on how many pieces a value happened to be printed in.

export const WILDCARD = '<*>';

// Words that only make sense next to a number: they belong to the value before them.
const UNITS = new Set([
  'b', 'byte', 'bytes', 'kb', 'mb', 'gb', 'tb', 'kib', 'mib', 'gib', 'tib', 'k', 'kbps', 'mbps',
  'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'second', 'seconds', 'min', 'mins', 'minute', 'minutes',
  'h', 'hr', 'hrs', 'hour', 'hours', 'day', 'days', '%',
]);

// Calendar words are variables when they stand next to a number ("Sun Jul 10 03:55:15 2005").
const CALENDAR = new Set([
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'am', 'pm', 'utc', 'gmt',
]);

function bareLower(tok: string): string {
  // Strip the punctuation a value is often wrapped in: "KB)," -> "kb".
  let a = 0;
  let b = tok.length;
  while (a < b && !isWordChar(tok.charCodeAt(a)) && tok.charCodeAt(a) !== 37) a++;
  while (b > a && !isWordChar(tok.charCodeAt(b - 1)) && tok.charCodeAt(b - 1) !== 37) b--;
  return tok.slice(a, b).toLowerCase();
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 181;
}

/**
 * True when a token is a value whatever its characters: a path ("/a/b", "'/udev/vcs2'"), a URL, or
 * an empty pair of brackets or quotes (an empty value: "()", "''").
 */
function isShapeValue(tok: string): boolean {
  const n = tok.length;
  let a = 0;
  while (a < n && isOpener(tok.charCodeAt(a))) a++;
  const c = tok.charCodeAt(a);
  if (c === 47 /* / */) return tok.indexOf('/', a + 1) > 0;
  if (c === 126 /* ~ */ && tok.charCodeAt(a + 1) === 47) return true;
  if (a === n) return n === 2 && isCloser(tok.charCodeAt(0), tok.charCodeAt(1)); // only openers: "''", '""'
  if (n === 2 && a === 1 && isCloser(tok.charCodeAt(0), c)) return true;
  return n > 8 && tok.indexOf('://') > 0;
}

function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 60 || c === 39 || c === 34 || c === 96;
}

function isCloser(open: number, close: number): boolean {
  return (
    (open === 40 && close === 41) || (open === 91 && close === 93) || (open === 123 && close === 125) ||
    (open === 60 && close === 62) || ((open === 39 || open === 34 || open === 96) && close === open)
  );
}

function isHexChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * A token with a digit is a whole value when its first alphanumeric character is a digit (numbers,
 * times, IPs, sizes, "(54,") or when it is made of hex digits and separators (hashes, UUIDs, MACs,
 * IPv6). Otherwise it is an identifier with a number inside ("blk_123", "en0", "Brcm43xx") and only
 * the digit runs are masked, so "en0" and "awdl0" still read as different words.
 */
function maskDigitToken(tok: string): string {
  const n = tok.length;
  let a = 0;
  while (a < n && !isWordChar(tok.charCodeAt(a))) a++;
  if (a === n) return tok;
  const c0 = tok.charCodeAt(a);
  if (c0 >= 48 && c0 <= 57) return WILDCARD;
  let hex = n - a >= 4;
  for (let i = a; hex && i < n; i++) {
    const c = tok.charCodeAt(i);
    if (!isHexChar(c) && c !== 45 && c !== 58 && c !== 46 && c !== 44 && c !== 41 && c !== 93) hex = false;
  }
  if (hex) return WILDCARD;
  // three or more separate numbers (an address, a version, a compound id) or a dotted name with a
  // number (a host name: "host8.example.net") is a value, not a name
  let runs = 0;
  let dot = false;
  for (let i = a; i < n; i++) {
    const c = tok.charCodeAt(i);
    if (c === 46 && i + 1 < n && isWordChar(tok.charCodeAt(i + 1))) dot = true;
    else if (c >= 48 && c <= 57 && !(i > 0 && tok.charCodeAt(i - 1) >= 48 && tok.charCodeAt(i - 1) <= 57)) runs++;
  }
  if (runs >= 3 || dot) return WILDCARD;
  let out = '';
  let i = 0;
  while (i < n) {
    const c = tok.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      // a sign right before the number belongs to it ("blk_-42" and "blk_42" are one shape)
      if (out.endsWith('-') && (out.length === 1 || !isWordChar(out.charCodeAt(out.length - 2)) || out.charCodeAt(out.length - 2) === 95)) {
        out = out.slice(0, -1);
      }
      while (i < n && ((tok.charCodeAt(i) >= 48 && tok.charCodeAt(i) <= 57) || (tok.charCodeAt(i) === 46 && i + 1 < n && tok.charCodeAt(i + 1) >= 48 && tok.charCodeAt(i + 1) <= 57))) i++;
      out += WILDCARD;
    } else {
      out += tok[i];
      i++;
    }
  }
  return out;
}

/**
 * Masks one message into tokens. A `key=value` pair keeps its key (`uid=<*>`), since the key is
 * part of the event's shape.
 */
export function maskTokens(message: string): string[] {
  const out: string[] = [];
  const n = message.length;
  let calRun = 0; // trailing calendar words in out that a following number would absorb
  let i = 0;
  while (i < n) {
    let c = message.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    let digit = false;
    let eq = -1;
    while (i < n) {
      c = message.charCodeAt(i);
      if (c === 32 || c === 9) break;
      if (c >= 48 && c <= 57) digit = true;
      else if (c === 61 && eq < 0 && !digit) eq = i;
      i++;
    }
    let masked: string;
    if (isShapeValue(message.slice(start, i))) masked = WILDCARD;
    else if (digit) {
      if (eq > start && eq < i - 1) {
        const value = maskDigitToken(message.slice(eq + 1, i));
        out.push(message.slice(start, eq + 1) + value);
        calRun = 0;
        continue;
      }
      masked = maskDigitToken(message.slice(start, i));
    } else masked = message.slice(start, i);
    if (masked === WILDCARD) {
      if (calRun > 0) {
        out.length -= calRun; // "Sun Jul 10": the day and month were part of this value
        calRun = 0;
      }
      if (out.length === 0 || out[out.length - 1] !== WILDCARD) out.push(WILDCARD);
      continue;
    }
    const short = masked.length <= 10 && !digit;
    if (short && out.length > 0 && out[out.length - 1] === WILDCARD) {
      const bare = bareLower(masked);
      if (UNITS.has(bare) || CALENDAR.has(bare)) continue; // "5 ms", "10 Jul": still the same value
    } else if (short && CALENDAR.has(bareLower(masked))) {
      calRun++;
      out.push(masked);
      continue;
    }
    calRun = 0;
    // a repeated masked item is a list of any length: "blk_<*> blk_<*> blk_<*>" reads as one
    if (digit && out.length > 0 && out[out.length - 1] === masked) continue;
    out.push(masked);
  }
  return out;
}
