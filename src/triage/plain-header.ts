// Recognises the header that plain-text loggers put before the message, so that timestamps, hosts,
// levels, thread names and logger names do not pollute templates. One generic reading, no formats
// per source: a leading run of date/time/number tokens (or a bracketed timestamp), then within a
// few tokens an optional level word, then an optional logger ("name:", "[thread]", "name -").
// Covers ISO-8601/RFC 3339, syslog, Apache/nginx error logs, log4j/logback/Spring, Python logging,
// Go's log package and klog/glog.
import { levelFromWord, type Level } from './log-level.ts';

export interface PlainHeader {
  /** Where the message starts in the line (0 when no header was recognised). */
  messageStart: number;
  level?: Level;
  time?: string;
}

interface Tok {
  s: number;
  e: number;
  t: string;
}

const MONTHS_DAYS = new Set([
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
  'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
]);

// enough for a stamp run, a level a few tokens later, a thread and a logger
const MAX_TOKENS = 14;

/**
 * Lazily splits the first tokens (only as far as the reading goes); a bracket group
 * ("[Sun Dec 04 04:47:44 2005]", "[a[b]c]") is one token.
 */
class HeadTokens {
  readonly toks: Tok[] = [];
  private pos = 0;
  constructor(private readonly text: string) {}

  /** Token k, or undefined past the end or past MAX_TOKENS. */
  at(k: number): Tok | undefined {
    while (this.toks.length <= k && this.next()) {}
    return this.toks[k];
  }

  private next(): boolean {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= n || this.toks.length >= MAX_TOKENS) return false;
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
    const e = Math.min(i, n);
    this.toks.push({ s, e, t: text.slice(s, e) });
    this.pos = e;
    return true;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Digits with date/time separators: "2015-07-29", "17:41:44,747", "2024-01-01T10:00:00Z". */
function isStampToken(t: string): boolean {
  if (IPV4.test(t)) return false; // "10.1.2.3:80" starts many messages; it is not a time
  let digits = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (!(c === 45 || c === 58 || c === 46 || c === 44 || c === 47 || c === 84 || c === 90 || c === 43)) return false;
  }
  return digits >= 2 && digits * 2 >= t.length;
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/;

function isTimeToken(t: string): boolean {
  return isStampToken(t) && /\d:\d\d|^\d{4}-\d\d-\d\d|^\d\d\/\d\d\/\d\d|^\d{4}\.\d\d\.\d\d/.test(t);
}

function isNumber(t: string): boolean {
  for (let i = 0; i < t.length; i++) if (!isDigit(t.charCodeAt(i))) return false;
  return t.length > 0;
}

function isDash(t: string): boolean {
  return t === '-' || t === '--' || t === '---' || t === '|' || t === ':';
}

function unwrap(t: string): string {
  let a = 0;
  let b = t.length;
  while (a < b && '[(<{'.includes(t[a]!)) a++;
  while (b > a && ']):>},'.includes(t[b - 1]!)) b--;
  return t.slice(a, b);
}

/** A level word as a header writes it: "INFO", "[notice]", "<warn>", "ERROR:", not a plain "error". */
function headerLevel(t: string): Level | undefined {
  if (t.length < 3 || t.length > 16) return undefined;
  const c = t.charCodeAt(0);
  // cheap rejection: a level starts with a letter or an opening bracket
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 91 || c === 40 || c === 60 || c === 123)) return undefined;
  const bare = unwrap(t);
  const level = levelFromWord(bare);
  if (!level) return undefined;
  const bracketed = '[(<{'.includes(t[0]!);
  return bracketed || bare === bare.toUpperCase() ? level : undefined;
}

/** "sshd(pam_unix)[19939]:", "dfs.DataNode$PacketResponder:", "kernel[0]:" */
function isLoggerToken(t: string): boolean {
  return t.length > 1 && t.charCodeAt(t.length - 1) === 58 && t.charCodeAt(0) !== 58 && t.indexOf('://') < 0;
}

function isBracket(t: string): boolean {
  return t.charCodeAt(0) === 91;
}

export function parsePlainHeader(text: string): PlainHeader {
  // A header starts with a digit, a bracket, a dash, or a capital (month, day, level, klog letter);
  // anything else is a bare message, and most of those are rejected here without tokenising.
  let at = 0;
  while (text.charCodeAt(at) === 32) at++;
  const c0 = text.charCodeAt(at);
  if (!((c0 >= 48 && c0 <= 57) || (c0 >= 65 && c0 <= 90) || c0 === 91 || c0 === 45 || c0 === 60 || c0 === 40)) return { messageStart: 0 };
  const head = new HeadTokens(text);
  const toks = head.toks;
  const str = (k: number) => head.at(k)!.t;
  // tokens are split only as far as the reading looks
  const has = (k: number) => head.at(k) !== undefined;
  let i = 0;
  let sawTime = false;
  let calendar = false;
  let level: Level | undefined;

  // klog/glog: "I0102 15:04:05.000000 1 main.go:12] message"
  const first = has(0) ? str(0) : '';
  if (first.length === 5 && 'IWEF'.includes(first[0]!) && /^[IWEF]\d{4}$/.test(first) && has(1) && isTimeToken(str(1))) {
    const close = text.indexOf('] ', toks[1]!.e);
    if (close > 0 && close < toks[1]!.e + 80) {
      const lv: Record<string, Level> = { I: 'info', W: 'warn', E: 'error', F: 'critical' };
      return { messageStart: close + 2, level: lv[first[0]!]!, time: str(1) };
    }
  }

  // the stamp run: dashes, numbers, dates, times, month and day names, a bracketed timestamp
  while (has(i)) {
    const t = str(i);
    if (isDash(t) || isNumber(t)) {
      i++;
    } else if (isStampToken(t)) {
      sawTime ||= isTimeToken(t);
      i++;
    } else if (t.length === 3 && MONTHS_DAYS.has(t.toLowerCase())) {
      calendar = true;
      i++;
    } else if (isBracket(t) && /\d:\d\d/.test(t) && !headerLevel(t)) {
      sawTime = true;
      i++;
    } else break;
  }
  const stampEnd = i;
  const time = stampEnd > 0 ? text.slice(toks[0]!.s, toks[stampEnd - 1]!.e) : undefined;

  if (stampEnd === 0) {
    // no timestamp: only a leading level ("[error] ...", "WARN: ...", Python's "ERROR:root:...")
    if (!has(0)) return { messageStart: 0 };
    const c0 = first.charCodeAt(0);
    const py = c0 >= 65 && c0 <= 90 && first.indexOf(':') > 0 ? /^(?:[A-Z]+):[\w.]+:/.exec(first) : null;
    if (py && headerLevel(first.slice(0, first.indexOf(':')))) {
      return { messageStart: toks[0]!.s + py[0].length, level: headerLevel(first.slice(0, first.indexOf(':')))! };
    }
    level = headerLevel(first);
    if (!level) return { messageStart: 0 };
    i = 1;
    while (has(i) && (isDash(str(i)) || isBracket(str(i)))) i++;
    return { messageStart: has(i) ? toks[i]!.s : text.length, level };
  }

  // a level within a few tokens of the stamp ("host RAS KERNEL INFO", "- name - INFO -")
  for (let j = stampEnd; has(j) && j <= stampEnd + 5; j++) {
    const lv = headerLevel(str(j));
    if (lv) {
      level = lv;
      i = j + 1;
      break;
    }
  }
  if (!level && !sawTime) return { messageStart: 0 }; // numbers alone are not a header

  if (level) {
    // after the level: pid, separators, [thread], then one logger name ("name:" unless a
    // [thread/logger] group already came, or Spring's "name :")
    let bracket = false;
    while (has(i) && (isNumber(str(i)) || isDash(str(i)) || isBracket(str(i)))) {
      if (isBracket(str(i))) bracket = true;
      i++;
    }
    if (has(i) && !bracket && isLoggerToken(str(i))) i++;
    else if (has(i + 1) && str(i + 1) === ':') i += 2;
  } else if (calendar && has(i + 1) && isLoggerToken(str(i + 1)) && !isLoggerToken(str(i))) {
    i += 2; // syslog: host, then program[pid]:
  } else if (calendar && has(i + 2) && isLoggerToken(str(i + 2)) && str(i + 2).startsWith('(')) {
    i += 3; // syslog with a second pid group: host, "sandboxd[129] ([31211]):"
  } else if (calendar && has(i) && isLoggerToken(str(i))) {
    i += 1;
  } else if (has(i) && isBracket(str(i)) && has(i + 1) && isLoggerToken(str(i + 1))) {
    i += 2;
  } else if (has(i + 1) && isDash(str(i + 1))) {
    i += 2; // "[time] program - message"
  } else if (has(i + 2) && isDash(str(i + 2)) && !isDash(str(i)) && !isLoggerToken(str(i))) {
    i += 3; // "[time] program *64 - message"
  }
  while (has(i) && isDash(str(i))) i++;
  return { messageStart: has(i) ? toks[i]!.s : text.length, ...(level ? { level } : {}), ...(time ? { time } : {}) };
}
