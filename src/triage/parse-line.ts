// One raw log line -> its message, level, time and form. ANSI colours go first; then JSON, logfmt,
// and plain headers are tried in that order (cheapest rejections first).
import { parseJsonLine } from './json-line.ts';
import type { Level } from './log-level.ts';
import { parseLogfmtLine } from './logfmt.ts';
import { parsePlainHeader } from './plain-header.ts';
import { stripAnsi } from './strip-ansi.ts';

export type LineForm = 'json' | 'logfmt' | 'plain';

export interface ParsedLine {
  /** The line without colours and without its header: what templates are mined from. */
  message: string;
  /** The whole line without colours (exemplars are taken from it). */
  text: string;
  level?: Level;
  time?: string;
  form: LineForm;
}

export function parseLine(raw: string): ParsedLine {
  const text = stripAnsi(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  const c = text.charCodeAt(0);
  if (c === 123 /* { */) {
    const json = parseJsonLine(text);
    if (json) return withFields(json.message, text, 'json', json.level, json.time);
  } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
    const lf = parseLogfmtLine(text);
    if (lf) return withFields(lf.message, text, 'logfmt', lf.level, lf.time);
  }
  const h = parsePlainHeader(text);
  const message = h.messageStart > 0 ? text.slice(h.messageStart) : text;
  return withFields(message, text, 'plain', h.level, h.time);
}

function withFields(message: string, text: string, form: LineForm, level: Level | undefined, time: string | undefined): ParsedLine {
  // built field by field: object spreads are measurable on this path
  const p: ParsedLine = { message, text, form };
  if (level !== undefined) p.level = level;
  if (time !== undefined) p.time = time;
  return p;
}
