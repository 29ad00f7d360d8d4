// One raw log line -> its message, level, time and form. ANSI colours go first, then a syslog
// "<PRI>" prefix; then JSON, logfmt, and plain headers are tried in that order (cheapest rejections
// first). A plain header without a level is followed by a look at where the message begins: JSON or
// logfmt after a leading timestamp (`docker logs -t`, Go services), and the level markers of
// level-hints.ts.
import { parseJsonLine } from './json-line.ts';
import { bracketLetterAt, messageHint, syslogPriority } from './level-hints.ts';
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
  /** The line is only a header; the event's text is its first continuation line (.NET console). */
  headerOnly?: boolean;
}

// RFC 5424 after its priority: version, time, host, app, procid, msgid, structured data
const RFC5424 = /^1 (\S+) \S+ \S+ \S+ \S+ (?:-|\[[^\]]*\])+ ?/;

export function parseLine(raw: string): ParsedLine {
  const text = stripAnsi(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  let body = text;
  let pri: Level | undefined;
  if (text.charCodeAt(0) === 60) {
    const p = syslogPriority(text);
    if (p) {
      pri = p.level;
      body = text.slice(p.length);
      const r = RFC5424.exec(body);
      if (r) return withFields(body.slice(r[0].length), text, 'plain', pri, r[1]);
    }
  }
  const c = body.charCodeAt(0);
  if (c === 123 /* { */) {
    const json = parseJsonLine(body);
    if (json?.docker) {
      // the line inside a json-file record is read as the container wrote it
      const inner = parseLine(json.message);
      inner.text = text;
      if (inner.time === undefined && json.time !== undefined) inner.time = json.time;
      return inner;
    }
    if (json) return withFields(json.message, text, 'json', json.level ?? pri, json.time);
  } else if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95) {
    const lf = parseLogfmtLine(body);
    if (lf) return withFields(lf.message, text, 'logfmt', lf.level ?? pri, lf.time);
  }
  const h = parsePlainHeader(body);
  let message = h.messageStart > 0 ? body.slice(h.messageStart) : body;
  if (h.level !== undefined) return withFields(message, text, 'plain', h.level, h.time);
  if (h.messageStart > 0) {
    // structured text after a leading timestamp: "2026-12-03T10:00:00Z level=error msg=..."
    const m = message.charCodeAt(0);
    if (m === 123) {
      const json = parseJsonLine(message);
      if (json) return withFields(json.message, text, 'json', json.level ?? pri, h.time ?? json.time);
    } else if ((m >= 97 && m <= 122) || (m >= 65 && m <= 90) || m === 95) {
      const lf = parseLogfmtLine(message);
      if (lf) return withFields(lf.message, text, 'logfmt', lf.level ?? pri, h.time ?? lf.time);
    }
  }
  const hint = messageHint(message);
  if (hint) {
    if (hint.skip > 0) message = message.slice(hint.skip);
    const p = withFields(message, text, 'plain', hint.level, h.time);
    if (hint.headerOnly) p.headerOnly = true;
    return p;
  }
  if (h.time !== undefined) {
    const b = bracketLetterAt(message);
    if (b) return withFields(message.slice(b.end), text, 'plain', b.level, h.time);
  }
  return withFields(message, text, 'plain', pri, h.time);
}

function withFields(
  message: string,
  text: string,
  form: LineForm,
  level: Level | undefined,
  time: string | undefined,
): ParsedLine {
  // built field by field: object spreads are measurable on this path
  const p: ParsedLine = { message, text, form };
  if (level !== undefined) p.level = level;
  if (time !== undefined) p.time = time;
  return p;
}
