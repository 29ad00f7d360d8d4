// Log levels: the words loggers use for them, mapped to one ordered scale.

export type Level = 'trace' | 'debug' | 'info' | 'notice' | 'warn' | 'error' | 'critical';

export const LEVEL_RANK: Record<Level, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  notice: 3,
  warn: 4,
  error: 5,
  critical: 6,
};

const WORDS: Record<string, Level> = {
  trace: 'trace',
  finest: 'trace',
  finer: 'trace',
  verbose: 'trace',
  debug: 'debug',
  dbug: 'debug',
  dbg: 'debug',
  fine: 'debug',
  config: 'debug',
  vrb: 'trace',
  info: 'info',
  inf: 'info',
  information: 'info',
  informational: 'info',
  log: 'info',
  notice: 'notice',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  error: 'error',
  err: 'error',
  eror: 'error',
  severe: 'error',
  failure: 'error',
  crit: 'critical',
  crt: 'critical',
  critical: 'critical',
  fatal: 'critical',
  ftl: 'critical',
  panic: 'critical',
  alert: 'critical',
  emerg: 'critical',
  emergency: 'critical',
};

// exact spellings (lower, Capitalised, UPPER), so that the hot path needs no toLowerCase
const SPELLINGS = new Map<string, Level>();
for (const [w, l] of Object.entries(WORDS)) {
  SPELLINGS.set(w, l);
  SPELLINGS.set(w[0]!.toUpperCase() + w.slice(1), l);
  SPELLINGS.set(w.toUpperCase(), l);
}

// the UPPER spellings alone, by a hash of their letters, for header words that must be written in
// capitals; looked up without cutting the word out of its line
const UPPER = new Map<number, { word: string; level: Level }>();
function upperHash(text: string, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}
for (const [w, l] of Object.entries(WORDS)) {
  const word = w.toUpperCase();
  UPPER.set(upperHash(word, 0, word.length), { word, level: l });
}

/**
 * The level that text[s, e) names when it is written in capitals ("WARN", not "Warn" or "warn"),
 * or undefined; the same answer as levelFromWord for a word equal to its upper case.
 */
export function upperLevel(text: string, s: number, e: number): Level | undefined {
  if (e - s < 3 || e - s > 13) return undefined;
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return undefined;
    h = Math.imul(h ^ c, 0x01000193);
  }
  const hit = UPPER.get(h);
  return hit !== undefined && hit.word.length === e - s && text.startsWith(hit.word, s) ? hit.level : undefined;
}

// syslog severities (RFC 5424) by number, as some JSON loggers write them
const SYSLOG_NUMBERS: Level[] = ['critical', 'critical', 'critical', 'error', 'warn', 'notice', 'info', 'debug'];

/** The level a word names ("WARN", "warning", "E" is not one), or undefined. */
export function levelFromWord(word: string): Level | undefined {
  if (word.length < 3 || word.length > 13) return undefined;
  return SPELLINGS.get(word) ?? (/[a-z][A-Z]|[A-Z]{2}[a-z]/.test(word) ? WORDS[word.toLowerCase()] : undefined);
}

/** A level from a structured field: a word, or a syslog (0-7) or pino/bunyan (10-60) number. */
export function levelFromValue(value: unknown): Level | undefined {
  if (typeof value === 'string')
    return levelFromWord(value.trim()) ?? (/^\d+$/.test(value) ? levelFromValue(Number(value)) : undefined);
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (value >= 10)
    return value >= 60
      ? 'critical'
      : value >= 50
        ? 'error'
        : value >= 40
          ? 'warn'
          : value >= 30
            ? 'info'
            : value >= 20
              ? 'debug'
              : 'trace';
  return SYSLOG_NUMBERS[value];
}

export function isAtLeast(level: Level, floor: Level): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[floor];
}
