// Severity of an event: the level its logger gave it, raised by signatures of trouble found in its
// text (a panic logged at INFO is still a panic).
import { LEVEL_RANK, type Level } from './log-level.ts';

export type Signature =
  | 'panic'
  | 'fatal'
  | 'exception'
  | 'oom'
  | 'segfault'
  | 'connection_refused'
  | 'connection_reset'
  | 'timeout'
  | 'permission_denied'
  | 'no_space'
  | 'cert_expiry';

interface Rule {
  sig: Signature;
  re: RegExp;
  floor: Level;
}

const RULES: Rule[] = [
  { sig: 'panic', re: /\bpanic(?:ked)?\b|kernel panic/i, floor: 'critical' },
  { sig: 'fatal', re: /\bfatal\b/i, floor: 'critical' },
  {
    sig: 'oom',
    re: /out of memory|\boom[-_ ]?kill|oomkilled|\bkilled process \d+|cannot allocate memory|memoryerror|java\.lang\.outofmemoryerror/i,
    floor: 'critical',
  },
  { sig: 'segfault', re: /segfault|segmentation fault|sigsegv|core dumped/i, floor: 'critical' },
  { sig: 'exception', re: /exception|traceback \(most recent call last\)|\werror: |\bstack ?trace/i, floor: 'error' },
  { sig: 'connection_refused', re: /connection refused|econnrefused/i, floor: 'error' },
  { sig: 'connection_reset', re: /connection reset|econnreset|broken pipe/i, floor: 'error' },
  { sig: 'timeout', re: /timed? ?out\b|timeout|deadline exceeded|etimedout/i, floor: 'warn' },
  { sig: 'permission_denied', re: /permission denied|access denied|eacces|operation not permitted/i, floor: 'error' },
  { sig: 'no_space', re: /no space left|disk full|enospc|quota exceeded/i, floor: 'critical' },
  {
    sig: 'cert_expiry',
    re: /certificate\b.{0,60}\bexpir|\bexpir\w*\b.{0,40}\bcertificate|x509: certificate has expired/i,
    floor: 'warn',
  },
];

// One cheap pre-test: most lines match none of the rules, and then only this runs.
const ANY = new RegExp(RULES.map((r) => r.re.source).join('|'), 'i');

export interface Severity {
  level: Level;
  signatures: Signature[];
}

const NONE: Signature[] = [];

/** Level from the logger (default info) raised to the floor of every signature found in `text`. */
export function assessSeverity(text: string, level: Level | undefined): Severity {
  let lv: Level = level ?? 'info';
  if (!ANY.test(text)) return { level: lv, signatures: NONE };
  const signatures: Signature[] = [];
  for (const r of RULES) {
    if (!r.re.test(text)) continue;
    signatures.push(r.sig);
    if (LEVEL_RANK[r.floor] > LEVEL_RANK[lv]) lv = r.floor;
  }
  return { level: lv, signatures };
}

/** A level guessed from the text alone, for lines whose logger wrote none ("... ERROR ..."). */
export function guessLevel(message: string): Level | undefined {
  const m = /\b(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|CRITICAL|CRIT|FATAL|SEVERE)\b/.exec(
    message.slice(0, 120),
  );
  if (!m) return undefined;
  const w = m[1]!;
  return w === 'TRACE'
    ? 'trace'
    : w === 'DEBUG'
      ? 'debug'
      : w === 'INFO'
        ? 'info'
        : w === 'NOTICE'
          ? 'notice'
          : w.startsWith('WARN')
            ? 'warn'
            : w === 'CRITICAL' || w === 'CRIT' || w === 'FATAL'
              ? 'critical'
              : 'error';
}
