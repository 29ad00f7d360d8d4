// Recognises the header that plain-text loggers put before the message, so that timestamps, hosts,
// levels, thread names and logger names do not pollute templates. One generic reading, no formats
// per source: a leading run of date/time/number tokens (or a bracketed timestamp), then within a
// few tokens an optional level word, then an optional logger ("name:", "[thread]", "name -").
// Covers ISO-8601/RFC 3339, syslog, Apache/nginx error logs, log4j/logback/Spring, Python logging,
// Go's log package and klog/glog.
// Hot path (every plain line): tokens are start/end offsets into the line, tested by character
// codes; a string is cut only for the time and for the rare bracketed level word.
import { levelInBrackets } from './level-hints.ts';
import { levelFromWord, upperLevel, type Level } from './log-level.ts';

export interface PlainHeader {
  /** Where the message starts in the line (0 when no header was recognised). */
  messageStart: number;
  level?: Level;
  time?: string;
}

// enough for a stamp run, a level a few tokens later, a thread and a logger
const MAX_TOKENS = 14;

/**
 * The first tokens of one line, split lazily (only as far as the reading goes); a bracket group
 * ("[Sun Dec 04 04:47:44 2005]", "[a[b]c]") is one token. One reader serves every line: the
 * parse is synchronous and keeps no token past its return.
 */
const starts = new Int32Array(MAX_TOKENS);
const ends = new Int32Array(MAX_TOKENS);
let line = '';
let count = 0;
let pos = 0;

function reset(text: string): void {
  line = text;
  count = 0;
  pos = 0;
}

function splitNext(): boolean {
  const text = line;
  const n = text.length;
  let i = pos;
  while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i >= n || count >= MAX_TOKENS) return false;
  const s = i;
  if (text.charCodeAt(i) === 91 /* [ */) {
    let depth = 0;
    for (; i < n; i++) {
      const d = text.charCodeAt(i);
      if (d === 91) depth++;
      else if (d === 93 && --depth === 0) break;
      if (i - s > 200) break;
    }
    i++;
  }
  // "[x]:" or "[x]," stays with its bracket
  while (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
  const e = i < n ? i : n;
  starts[count] = s;
  ends[count] = e;
  count++;
  pos = e;
  return true;
}

/** Whether token k exists (splitting up to it). */
function has(k: number): boolean {
  while (count <= k && splitNext()) {}
  return k < count;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWord(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Digits, '.', digits... four times at the start: "10.1.2.3:80" starts many messages; it is not a time. */
function startsWithIpv4(t: string, s: number, e: number): boolean {
  let i = s;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= e || t.charCodeAt(i) !== 46) return false;
      i++;
    }
    const from = i;
    while (i < e && i - from < 3 && isDigit(t.charCodeAt(i))) i++;
    if (i === from) return false;
  }
  return true;
}

/** Digits with date/time separators: "2015-07-29", "17:41:44,747", "2024-01-01T10:00:00Z". */
function isStampToken(t: string, s: number, e: number): boolean {
  let digits = 0;
  for (let i = s; i < e; i++) {
    const c = t.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (!(c === 45 || c === 58 || c === 46 || c === 44 || c === 47 || c === 84 || c === 90 || c === 43))
      return false;
  }
  return digits >= 2 && digits * 2 >= e - s && !startsWithIpv4(t, s, e);
}

/** A digit, ':', two digits anywhere in t[s, e). */
function hasClock(t: string, s: number, e: number): boolean {
  for (let i = s + 1; i + 2 < e; i++) {
    if (
      t.charCodeAt(i) === 58 &&
      isDigit(t.charCodeAt(i - 1)) &&
      isDigit(t.charCodeAt(i + 1)) &&
      isDigit(t.charCodeAt(i + 2))
    )
      return true;
  }
  return false;
}

/** t[s, e) starts with the pattern: 'd' a digit, any other character itself. */
function startsWithPattern(t: string, s: number, e: number, pattern: string): boolean {
  if (e - s < pattern.length) return false;
  for (let k = 0; k < pattern.length; k++) {
    const p = pattern.charCodeAt(k);
    const c = t.charCodeAt(s + k);
    if (p === 100 /* d */ ? !isDigit(c) : c !== p) return false;
  }
  return true;
}

function isTimeToken(t: string, s: number, e: number): boolean {
  return (
    isStampToken(t, s, e) &&
    (hasClock(t, s, e) ||
      startsWithPattern(t, s, e, 'dddd-dd-dd') ||
      startsWithPattern(t, s, e, 'dd/dd/dd') ||
      startsWithPattern(t, s, e, 'dddd.dd.dd'))
  );
}

function isNumber(t: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (!isDigit(t.charCodeAt(i))) return false;
  return true;
}

function isDash(t: string, s: number, e: number): boolean {
  const n = e - s;
  const c = t.charCodeAt(s);
  if (n === 1) return c === 45 || c === 124 || c === 58;
  if (n === 2 || n === 3) return c === 45 && t.charCodeAt(s + 1) === 45 && (n === 2 || t.charCodeAt(s + 2) === 45);
  return false;
}

// three-letter month and day names, lower-cased, as 24-bit keys
const MONTHS_DAYS = new Set<number>();
for (const w of [
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
]) {
  MONTHS_DAYS.add((w.charCodeAt(0) << 16) | (w.charCodeAt(1) << 8) | w.charCodeAt(2));
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isMonthOrDay(t: string, s: number, e: number): boolean {
  if (e - s !== 3) return false;
  const a = lower(t.charCodeAt(s));
  const b = lower(t.charCodeAt(s + 1));
  const c = lower(t.charCodeAt(s + 2));
  if (a > 255 || b > 255 || c > 255) return false;
  return MONTHS_DAYS.has((a << 16) | (b << 8) | c);
}

function isOpenBracket(c: number): boolean {
  return c === 91 || c === 40 || c === 60 || c === 123; // [ ( < {
}

function isCloseOrComma(c: number): boolean {
  return c === 93 || c === 41 || c === 58 || c === 62 || c === 125 || c === 44; // ] ) : > } ,
}

/** A level word as a header writes it: "INFO", "[notice]", "<warn>", "ERROR:", not a plain "error". */
function headerLevel(t: string, s: number, e: number): Level | undefined {
  if (e - s < 3 || e - s > 16) return undefined;
  const c = t.charCodeAt(s);
  // cheap rejection: a level starts with a letter or an opening bracket
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isOpenBracket(c))) return undefined;
  let a = s;
  let b = e;
  while (a < b && isOpenBracket(t.charCodeAt(a))) a++;
  while (b > a && isCloseOrComma(t.charCodeAt(b - 1))) b--;
  // unbracketed, only an upper-case word counts ("ERROR", not "error" in a sentence)
  if (!isOpenBracket(c)) return upperLevel(t, a, b);
  return levelFromWord(t.slice(a, b)) ?? (c === 91 ? levelInBrackets(t, s, e) : undefined);
}

/** "sshd(pam_unix)[19939]:", "dfs.DataNode$PacketResponder:", "kernel[0]:" */
function isLoggerToken(t: string, s: number, e: number): boolean {
  if (e - s <= 1 || t.charCodeAt(e - 1) !== 58 || t.charCodeAt(s) === 58) return false;
  for (let i = s; i + 2 < e; i++)
    if (t.charCodeAt(i) === 58 && t.charCodeAt(i + 1) === 47 && t.charCodeAt(i + 2) === 47) return false;
  return true;
}

function isBracket(t: string, s: number): boolean {
  return t.charCodeAt(s) === 91;
}

function header(messageStart: number, level: Level | undefined, time: string | undefined): PlainHeader {
  const h: PlainHeader = { messageStart };
  if (level !== undefined) h.level = level;
  if (time !== undefined) h.time = time;
  return h;
}

const NONE: PlainHeader = Object.freeze({ messageStart: 0 }) as PlainHeader;
const KLOG_LEVELS: Record<number, Level> = { 73: 'info', 87: 'warn', 69: 'error', 70: 'critical' };

/** Python's basicConfig prefix "LEVEL:logger:" at the start of t[s, e): its length, or 0. */
function pythonPrefix(t: string, s: number, e: number): number {
  let i = s;
  while (i < e && t.charCodeAt(i) >= 65 && t.charCodeAt(i) <= 90) i++;
  if (i === s || i >= e || t.charCodeAt(i) !== 58) return 0;
  const from = ++i;
  while (i < e && (isWord(t.charCodeAt(i)) || t.charCodeAt(i) === 46)) i++;
  if (i === from || i >= e || t.charCodeAt(i) !== 58) return 0;
  return i + 1 - s;
}

export function parsePlainHeader(text: string): PlainHeader {
  // A header starts with a digit, a bracket, a dash, or a capital (month, day, level, klog letter);
  // anything else is a bare message, and most of those are rejected here without tokenising.
  let at = 0;
  while (text.charCodeAt(at) === 32) at++;
  const c0 = text.charCodeAt(at);
  if (!((c0 >= 48 && c0 <= 57) || (c0 >= 65 && c0 <= 90) || c0 === 91 || c0 === 45 || c0 === 60 || c0 === 40))
    return NONE;
  reset(text);
  const t = text;
  let i = 0;
  let sawTime = false;
  let calendar = false;
  let level: Level | undefined;
  if (!has(0)) return NONE;
  const s0 = starts[0]!;
  const e0 = ends[0]!;

  // klog/glog: "I0102 15:04:05.000000 1 main.go:12] message"
  const k0 = t.charCodeAt(s0);
  if (
    e0 - s0 === 5 &&
    KLOG_LEVELS[k0] !== undefined &&
    isNumber(t, s0 + 1, e0) &&
    has(1) &&
    isTimeToken(t, starts[1]!, ends[1]!)
  ) {
    const close = t.indexOf('] ', ends[1]!);
    if (close > 0 && close < ends[1]! + 80) return header(close + 2, KLOG_LEVELS[k0], t.slice(starts[1]!, ends[1]!));
  }

  // the stamp run: dashes, numbers, dates, times, month and day names, a bracketed timestamp
  while (has(i)) {
    const s = starts[i]!;
    const e = ends[i]!;
    if (isDash(t, s, e) || isNumber(t, s, e)) {
      i++;
    } else if (isStampToken(t, s, e)) {
      sawTime ||= isTimeToken(t, s, e);
      i++;
    } else if (isMonthOrDay(t, s, e)) {
      calendar = true;
      i++;
    } else if (isBracket(t, s) && hasClock(t, s, e)) {
      // a bracketed time may carry the level too: "[10:00:00 ERR]", "[time][module][ERROR]"
      sawTime = true;
      level ??= levelInBrackets(t, s, e);
      i++;
    } else break;
  }
  const stampEnd = i;

  if (stampEnd === 0) {
    // no timestamp: only a leading level ("[error] ...", "WARN: ...", Python's "ERROR:root:...")
    if (k0 >= 65 && k0 <= 90) {
      const py = pythonPrefix(t, s0, e0);
      if (py > 0) {
        const lv = headerLevel(t, s0, t.indexOf(':', s0));
        if (lv) return header(s0 + py, lv, undefined);
      }
    }
    level = headerLevel(t, s0, e0);
    if (!level) return NONE;
    i = 1;
    while (has(i) && (isDash(t, starts[i]!, ends[i]!) || isBracket(t, starts[i]!))) i++;
    return header(has(i) ? starts[i]! : t.length, level, undefined);
  }

  // a level within a few tokens of the stamp ("host RAS KERNEL INFO", "- name - INFO -")
  for (let j = stampEnd; !level && j <= stampEnd + 5 && has(j); j++) {
    const lv = headerLevel(t, starts[j]!, ends[j]!);
    if (lv) {
      level = lv;
      i = j + 1;
      break;
    }
  }
  if (!level && !sawTime) return NONE; // numbers alone are not a header

  const logger = (k: number) => isLoggerToken(t, starts[k]!, ends[k]!);
  const dash = (k: number) => isDash(t, starts[k]!, ends[k]!);
  if (level) {
    // after the level: pid, separators, [thread], then one logger name ("name:" unless a
    // [thread/logger] group already came, or Spring's "name :")
    let bracket = false;
    while (has(i) && (isNumber(t, starts[i]!, ends[i]!) || dash(i) || isBracket(t, starts[i]!))) {
      if (isBracket(t, starts[i]!)) bracket = true;
      i++;
    }
    if (has(i) && !bracket && logger(i)) i++;
    else if (has(i + 1) && ends[i + 1]! - starts[i + 1]! === 1 && t.charCodeAt(starts[i + 1]!) === 58) i += 2;
  } else if (calendar && has(i + 1) && logger(i + 1) && !logger(i)) {
    i += 2; // syslog: host, then program[pid]:
  } else if (calendar && has(i + 2) && logger(i + 2) && t.charCodeAt(starts[i + 2]!) === 40) {
    i += 3; // syslog with a second pid group: host, "sandboxd[129] ([31211]):"
  } else if (calendar && has(i) && logger(i)) {
    i += 1;
  } else if (has(i) && isBracket(t, starts[i]!) && has(i + 1) && logger(i + 1)) {
    i += 2;
  } else if (has(i + 1) && dash(i + 1)) {
    i += 2; // "[time] program - message"
  } else if (has(i + 2) && dash(i + 2) && !dash(i) && !logger(i)) {
    i += 3; // "[time] program *64 - message"
  }
  while (has(i) && dash(i)) i++;
  const time = t.slice(starts[0]!, ends[stampEnd - 1]!);
  return header(has(i) ? starts[i]! : t.length, level, time);
}
