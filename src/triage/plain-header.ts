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
}

const MONTHS_DAYS = new Set([
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
  'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
]);

const MAX_TOKENS = 16;

/** Splits the first tokens; a bracket group ("[Sun Dec 04 04:47:44 2005]", "[a[b]c]") is one token. */
function headTokens(text: string): Tok[] {
  const toks: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && toks.length < MAX_TOKENS) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const s = i;
    if (c === 91 /* [ */) {
      let depth = 0;
      for (; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 91) depth++;
        else if (d === 93 && --depth === 0) break;
        if (i - s > 200) break;
      }
      i++;
      // "[x]:" or "[x]," stays with its bracket
      while (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
    } else {
      while (i < n && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
    }
    toks.push({ s, e: Math.min(i, n) });
  }
  return toks;
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
  const toks = headTokens(text);
  const str = (k: number) => text.slice(toks[k]!.s, toks[k]!.e);
  const n = toks.length;
  let i = 0;
  let sawTime = false;
  let calendar = false;
  let level: Level | undefined;

  // klog/glog: "I0102 15:04:05.000000 1 main.go:12] message"
  const first = n > 1 ? str(0) : '';
  if (/^[IWEF]\d{4}$/.test(first) && isTimeToken(str(1))) {
    const close = text.indexOf('] ', toks[1]!.e);
    if (close > 0 && close < toks[1]!.e + 80) {
      const lv: Record<string, Level> = { I: 'info', W: 'warn', E: 'error', F: 'critical' };
      return { messageStart: close + 2, level: lv[first[0]!]!, time: str(1) };
    }
  }

  // the stamp run: dashes, numbers, dates, times, month and day names, a bracketed timestamp
  while (i < n) {
    const t = str(i);
    if (isDash(t) || isNumber(t)) {
      i++;
    } else if (isStampToken(t)) {
      sawTime ||= isTimeToken(t);
      i++;
    } else if (MONTHS_DAYS.has(t.toLowerCase()) && t.length === 3) {
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
    if (n === 0) return { messageStart: 0 };
    const py = /^(?:[A-Z]+):[\w.]+:/.exec(first);
    if (py && headerLevel(first.slice(0, first.indexOf(':')))) {
      return { messageStart: toks[0]!.s + py[0].length, level: headerLevel(first.slice(0, first.indexOf(':')))! };
    }
    level = headerLevel(first);
    if (!level) return { messageStart: 0 };
    i = 1;
    while (i < n && (isDash(str(i)) || isBracket(str(i)))) i++;
    return { messageStart: i < n ? toks[i]!.s : text.length, level };
  }

  // a level within a few tokens of the stamp ("host RAS KERNEL INFO", "- name - INFO -")
  for (let j = stampEnd; j < n && j <= stampEnd + 5; j++) {
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
    while (i < n && (isNumber(str(i)) || isDash(str(i)) || isBracket(str(i)))) {
      if (isBracket(str(i))) bracket = true;
      i++;
    }
    if (i < n && !bracket && isLoggerToken(str(i))) i++;
    else if (i + 1 < n && str(i + 1) === ':') i += 2;
  } else if (calendar && i + 1 < n && isLoggerToken(str(i + 1)) && !isLoggerToken(str(i))) {
    i += 2; // syslog: host, then program[pid]:
  } else if (calendar && i + 2 < n && isLoggerToken(str(i + 2)) && str(i + 2).startsWith('(')) {
    i += 3; // syslog with a second pid group: host, "sandboxd[129] ([31211]):"
  } else if (calendar && i < n && isLoggerToken(str(i))) {
    i += 1;
  } else if (i < n && isBracket(str(i)) && i + 1 < n && isLoggerToken(str(i + 1))) {
    i += 2;
  } else if (i + 1 < n && isDash(str(i + 1))) {
    i += 2; // "[time] program - message"
  } else if (i + 2 < n && isDash(str(i + 2)) && !isDash(str(i)) && !isLoggerToken(str(i))) {
    i += 3; // "[time] program *64 - message"
  }
  while (i < n && isDash(str(i))) i++;
  return { messageStart: i < n ? toks[i]!.s : text.length, ...(level ? { level } : {}), ...(time ? { time } : {}) };
}
