// Levels that a generic header reading misses, found where the message begins: logfmt or JSON after a
// leading timestamp, .NET's "fail: Category[id]", logrus's coloured "ERRO[0005]", Go/syslog programs'
// "error: ...", PHP's "PHP Warning:", Gitea's "[E]", Redis's role-and-mark prefix; and a syslog
// "<PRI>" prefix in front of the whole line. Each test starts with a cheap look at one character.
import { levelFromWord, upperLevel, type Level } from './log-level.ts';

export interface MessageHint {
  level: Level;
  /** Characters of the message before the event's own text (the marker itself); 0 to keep it all. */
  skip: number;
  /** The event's text is on the next line (.NET console: "fail: Category[id]", then the message). */
  headerOnly?: boolean;
}

const DOTNET: Record<string, Level> = {
  trce: 'trace',
  dbug: 'debug',
  info: 'info',
  warn: 'warn',
  fail: 'error',
  crit: 'critical',
};
const LOGRUS: Record<string, Level> = {
  TRAC: 'trace',
  DEBU: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERRO: 'error',
  FATA: 'critical',
  PANI: 'critical',
};
const LETTER: Record<string, Level> = {
  T: 'trace',
  D: 'debug',
  I: 'info',
  W: 'warn',
  E: 'error',
  C: 'critical',
  F: 'critical',
};
const PREFIX_WORDS: Record<string, Level> = {
  error: 'error',
  warning: 'warn',
  fatal: 'critical',
  panic: 'critical',
  critical: 'critical',
};
const PHP = /^PHP (Fatal error|Parse error|Warning|Notice|Deprecated|Catchable fatal error|Recoverable fatal error):/;
const PHP_LEVEL: Record<string, Level> = {
  'Fatal error': 'critical',
  'Parse error': 'critical',
  Warning: 'warn',
  Notice: 'notice',
  Deprecated: 'info',
  'Catchable fatal error': 'error',
  'Recoverable fatal error': 'error',
};
// Redis: "pid:role dd Mon yyyy hh:mm:ss.mmm <mark> message"; marks . - * # are debug, verbose, notice, warning
const REDIS = /^\d+:[MSCX] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} ([.*#-]) /;
const REDIS_MARK: Record<string, Level> = { '.': 'debug', '-': 'debug', '*': 'notice', '#': 'warn' };

function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** A level marker at the start of a message (after any header), or undefined. */
export function messageHint(m: string): MessageHint | undefined {
  const c = m.charCodeAt(0);
  if (isLower(c)) {
    // ".NET console: "fail: Microsoft.AspNetCore.Server.Kestrel[13]"
    if (m.length >= 6 && m.charCodeAt(4) === 58 && m.charCodeAt(5) === 32) {
      const lv = DOTNET[m.slice(0, 4)];
      if (lv) return { level: lv, skip: 6, headerOnly: true };
    }
    // "error: ...", "warning: ..." written by the program itself
    for (let colon = 5; colon <= 8 && colon + 1 < m.length; colon++) {
      if (m.charCodeAt(colon) !== 58) continue;
      const lv = m.charCodeAt(colon + 1) === 32 ? PREFIX_WORDS[m.slice(0, colon)] : undefined;
      return lv ? { level: lv, skip: 0 } : undefined;
    }
    return undefined;
  }
  if (c >= 65 && c <= 90) {
    // logrus TTY: "ERRO[0005] message"
    if (m.charCodeAt(4) === 91) {
      const lv = LOGRUS[m.slice(0, 4)];
      const close = lv ? m.indexOf(']', 5) : -1;
      if (lv && close > 0 && close < 20)
        return { level: lv, skip: m.charCodeAt(close + 1) === 32 ? close + 2 : close + 1 };
    }
    if (c === 80 /* P */ && m.startsWith('PHP ')) {
      const p = PHP.exec(m);
      if (p) return { level: PHP_LEVEL[p[1]!]!, skip: 0 };
    }
    return undefined;
  }
  if (c === 91 /* [ */) {
    // a one-letter level in brackets: "[E] Failed ..." (Gitea)
    if (m.charCodeAt(2) === 93 && m.charCodeAt(3) === 32) {
      const lv = LETTER[m[1]!];
      if (lv) return { level: lv, skip: 4 };
    }
    return undefined;
  }
  if (c >= 48 && c <= 57) {
    // cheap test first: digits, ':', a role letter, a blank
    let i = 1;
    while (i < 8 && m.charCodeAt(i) >= 48 && m.charCodeAt(i) <= 57) i++;
    if (m.charCodeAt(i) !== 58 || m.charCodeAt(i + 2) !== 32) return undefined;
    const r = REDIS.exec(m);
    if (r) return { level: REDIS_MARK[r[1]!]!, skip: 0 };
  }
  return undefined;
}

/** A one-letter level in brackets somewhere in the first few words: "file.go:12:fn() [E] text" (Gitea). */
export function bracketLetterAt(m: string): { level: Level; end: number } | undefined {
  // only in the first 160 characters, only "[X] " with X a level letter
  const limit = Math.min(m.length - 3, 160);
  for (let i = m.indexOf(' ['); i >= 0 && i < limit; i = m.indexOf(' [', i + 1)) {
    if (m.charCodeAt(i + 3) === 93 && (m.charCodeAt(i + 4) === 32 || i + 4 === m.length)) {
      const lv = LETTER[m[i + 2]!];
      if (lv) return { level: lv, end: Math.min(m.length, i + 5) };
    }
  }
  return undefined;
}

const SYSLOG_SEVERITY: Level[] = ['critical', 'critical', 'critical', 'error', 'warn', 'notice', 'info', 'debug'];

/** "<PRI>" at the start of a syslog line: its length and severity, or undefined. */
export function syslogPriority(t: string): { length: number; level: Level } | undefined {
  if (t.charCodeAt(0) !== 60) return undefined;
  let i = 1;
  let n = 0;
  while (i < 5 && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) n = n * 10 + t.charCodeAt(i++) - 48;
  if (i === 1 || t.charCodeAt(i) !== 62 || n > 191) return undefined;
  return { length: i + 1, level: SYSLOG_SEVERITY[n & 7]! };
}

/**
 * A level named inside a bracket group of a header token: "[proxy:error]", "[... ERROR my_app]",
 * "[2026-12-03 10:00:00][module][ERROR]". A whole group that is a level word counts in any case; a
 * word inside a group only in capitals.
 */
export function levelInBrackets(t: string, s: number, e: number): Level | undefined {
  let i = s;
  while (i < e) {
    if (t.charCodeAt(i) !== 91) {
      i++;
      continue;
    }
    const close = t.indexOf(']', i + 1);
    if (close < 0 || close >= e) return undefined;
    // the group, or its last ':' part, is a level word in any case ("[notice]", "[proxy:error]")
    let colon = i;
    for (let k = close - 1; k > i; k--) {
      if (t.charCodeAt(k) === 58) {
        colon = k;
        break;
      }
    }
    if (close - colon - 1 >= 3 && close - colon - 1 <= 13) {
      const whole = levelFromWord(t.slice(colon + 1, close));
      if (whole) return whole;
    }
    // else a capitalised level word inside it ("[10:00:00 ERR]", "[time ERROR my_app]")
    let w = i + 1;
    for (let k = i + 1; k <= close; k++) {
      if (k === close || t.charCodeAt(k) === 32) {
        const lv = upperLevel(t, w, k);
        if (lv) return lv;
        w = k + 1;
      }
    }
    i = close + 1;
  }
  return undefined;
}
