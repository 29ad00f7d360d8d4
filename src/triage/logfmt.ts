// logfmt lines (key=value pairs, values optionally double-quoted), as logrus, Go's slog text
// handler and many Go services write them.
import { levelFromValue } from './log-level.ts';
import type { StructuredLine } from './json-line.ts';

/** Splits `k=v k2="v 2"` into pairs; returns undefined when the line is not made of pairs. */
export function parseLogfmtPairs(text: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && text.charCodeAt(i) !== 61 && text.charCodeAt(i) !== 32) i++;
    if (i >= n || text.charCodeAt(i) !== 61 || i === keyStart) return undefined; // a bare word: not logfmt
    const key = text.slice(keyStart, i);
    i++;
    let value = '';
    if (text.charCodeAt(i) === 34) {
      i++;
      while (i < n && text.charCodeAt(i) !== 34) {
        if (text.charCodeAt(i) === 92 && i + 1 < n) i++;
        value += text[i];
        i++;
      }
      i++;
    } else {
      const vs = i;
      while (i < n && text.charCodeAt(i) !== 32) i++;
      value = text.slice(vs, i);
    }
    pairs.set(key, value);
  }
  return pairs;
}

const KNOWN = ['level', 'lvl', 'msg', 'message', 'time', 'ts', 't'];

export function parseLogfmtLine(text: string): StructuredLine | undefined {
  // cheap test first: logfmt lines start with a key and '='
  const eq = text.indexOf('=');
  const sp = text.indexOf(' ');
  if (eq <= 0 || (sp >= 0 && sp < eq)) return undefined;
  const pairs = parseLogfmtPairs(text);
  if (!pairs || pairs.size < 2 || !KNOWN.some((k) => pairs.has(k))) return undefined;
  const level = levelFromValue(pairs.get('level') ?? pairs.get('lvl'));
  const time = pairs.get('time') ?? pairs.get('ts') ?? pairs.get('t');
  let message = pairs.get('msg') ?? pairs.get('message');
  if (message === undefined) {
    // no message field: the other pairs are the event
    const rest: string[] = [];
    for (const [k, v] of pairs) if (!KNOWN.includes(k)) rest.push(`${k}=${v}`);
    message = rest.join(' ');
  } else {
    // fields beside the message often tell events apart (err=..., status=...): keep them after it
    const extra: string[] = [];
    for (const [k, v] of pairs) if (!KNOWN.includes(k)) extra.push(`${k}=${v}`);
    if (extra.length) message += ' ' + extra.join(' ');
  }
  return { message, ...(level ? { level } : {}), ...(time !== undefined ? { time } : {}) };
}
