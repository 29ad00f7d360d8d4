// JSON log lines (one object per line, as most structured loggers write): the message, level and
// time come from the usual field names of pino, bunyan, zap, logrus, structlog, ECS and Docker.
import { levelFromValue, type Level } from './log-level.ts';

export interface StructuredLine {
  message: string;
  level?: Level;
  time?: string;
  logger?: string;
  /** A record of Docker's json-file driver ({"log", "stream", "time"}): `message` is the line as written. */
  docker?: boolean;
}

const MESSAGE_KEYS = ['msg', 'message', 'MESSAGE', 'event', 'log', 'text', 'error', 'err'];
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'levelname', 'log.level', 'loglevel', 'LEVEL', 'priority'];
const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', 'datetime', 'date', 't'];
const LOGGER_KEYS = ['logger', 'name', 'logger_name', 'caller', 'component', 'module'];

function pick(obj: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

// Nextcloud numbers its levels 0 (debug) to 4 (fatal), not as syslog does; its lines carry a reqId
const NEXTCLOUD: Level[] = ['debug', 'info', 'warn', 'error', 'critical'];
function nextcloudLevel(n: number): Level | undefined {
  return NEXTCLOUD[n];
}

// MongoDB writes its severity as one letter in "s": F, E, W, I, or D1..D5
const MONGO: Record<string, Level> = { F: 'critical', E: 'error', W: 'warn', I: 'info', D: 'debug' };
function mongoLevel(s: unknown): Level | undefined {
  return typeof s === 'string' && s.length <= 2 ? MONGO[s[0]!] : undefined;
}

export function parseJsonLine(text: string): StructuredLine | undefined {
  const t = text.trim();
  if (t.length < 2 || t.charCodeAt(0) !== 123 || t.charCodeAt(t.length - 1) !== 125) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
  const rec = obj as Record<string, unknown>;
  const nested = typeof rec.log === 'object' && rec.log !== null ? (rec.log as Record<string, unknown>) : undefined;
  const msg = pick(rec, MESSAGE_KEYS);
  const message = typeof msg === 'string' ? msg : msg === undefined ? t : JSON.stringify(msg);
  const raw = pick(rec, LEVEL_KEYS) ?? nested?.level;
  const level =
    typeof raw === 'number' && typeof rec.reqId === 'string'
      ? nextcloudLevel(raw)
      : (levelFromValue(raw) ?? mongoLevel(rec.s));
  const time = pick(rec, TIME_KEYS);
  const logger = pick(rec, LOGGER_KEYS);
  if (
    typeof rec.log === 'string' &&
    typeof rec.stream === 'string' &&
    rec.msg === undefined &&
    rec.message === undefined
  ) {
    return {
      message: rec.log.endsWith('\n') ? rec.log.slice(0, -1) : rec.log,
      docker: true,
      ...(typeof rec.time === 'string' ? { time: rec.time } : {}),
    };
  }
  return {
    message,
    ...(level ? { level } : {}),
    ...(time !== undefined ? { time: String(time) } : {}),
    ...(typeof logger === 'string' ? { logger } : {}),
  };
}
