// Joins the continuation lines of one event (stack traces, indented details) to its first line.
// Streaming: push a line, get back the previous event once a new first line shows it is complete.
// Bounded: an event keeps at most `maxLines` lines and `maxChars` characters of continuation.

export interface LogLine {
  ts?: string;
  stream?: string;
  text: string;
  /** The line was cut before it came here (already counted as capped). */
  capped?: boolean;
}

export interface LogEvent {
  ts?: string;
  stream?: string;
  /** The first line. */
  text: string;
  /** Continuation lines, joined with '\n' (possibly cut at maxChars). */
  rest: string;
  lines: number;
  capped?: boolean;
  /** The exception line of a trace ("ValueError: boom", "java.io.IOException: x"), when one was seen. */
  exception?: string;
}

export interface JoinerOptions {
  maxLines?: number;
  maxChars?: number;
}

const JAVA_EXCEPTION = /^(?:Caused by: |Suppressed: )?(?:[a-zA-Z_$][\w$]*\.)+[\w$]*(?:Exception|Error|Throwable)\b/;
const PY_EXCEPTION = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning)\b(?::|$)/;
const GO_FRAME = /^(?:[\w.\/-]+\.)?[\w$*()\[\]]+\(.*\)$|^created by |^exit status \d+/;

type Mode = 'none' | 'python' | 'go';

/**
 * Cheap test before the regular expression: a Java exception line starts with a letter, '_' or '$'
 * (a class name) and names an Exception, Error or Throwable.
 */
function mayBeException(t: string): boolean {
  const c = t.charCodeAt(0);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36)) return false;
  return t.includes('Exception') || t.includes('Error') || t.includes('Throwable');
}

export interface Joiner {
  push(line: LogLine): LogEvent | undefined;
  flush(): LogEvent | undefined;
}

export function createJoiner(options: JoinerOptions = {}): Joiner {
  const maxLines = options.maxLines ?? 200;
  const maxChars = options.maxChars ?? 8192;
  let cur: LogEvent | undefined;
  let mode: Mode = 'none';

  function isContinuation(t: string): boolean {
    if (!cur) return false;
    const c = t.charCodeAt(0);
    if (t.length === 0) return mode === 'go'; // Go panics separate their parts with blank lines
    if (c === 32 || c === 9) return true; // indented: "\tat ...", '  File "..."', details
    if (t.startsWith('Caused by: ') || t.startsWith('Suppressed: ') || (t.startsWith('... ') && t.endsWith(' more')))
      return true;
    if (t.startsWith('Traceback (most recent call last)')) return true;
    if (
      t.startsWith('During handling of the above exception') ||
      t.startsWith('The above exception was the direct cause')
    )
      return true;
    if (t.startsWith('goroutine ') && /^goroutine \d+ \[/.test(t)) return true;
    if (mode === 'python' && PY_EXCEPTION.test(t)) return true;
    if (mode === 'go' && GO_FRAME.test(t)) return true;
    // logback/log4j print the exception on the line after the message, not indented
    return cur.lines === 1 && mayBeException(t) && JAVA_EXCEPTION.test(t);
  }

  function noteMode(t: string): void {
    if (
      t.startsWith('Traceback (most recent call last)') ||
      t.startsWith('During handling') ||
      t.startsWith('The above exception')
    )
      mode = 'python';
    else if (t.startsWith('panic: ') || t.startsWith('fatal error: ') || t.startsWith('goroutine ')) mode = 'go';
  }

  return {
    push(line) {
      const t = line.text;
      if (cur && isContinuation(t)) {
        cur.lines++;
        if (cur.lines <= maxLines && cur.rest.length < maxChars) {
          cur.rest = cur.rest ? cur.rest + '\n' + t : t;
          if (cur.rest.length > maxChars) cur.rest = cur.rest.slice(0, maxChars);
        }
        const trimmed = t.trimStart();
        if ((mode === 'python' && t === trimmed && PY_EXCEPTION.test(t)) || JAVA_EXCEPTION.test(trimmed)) {
          if (mode === 'python' || !cur.exception || trimmed.startsWith('Caused by: '))
            cur.exception = trimmed.slice(0, 300);
        }
        if (mode === 'python' && t === trimmed && PY_EXCEPTION.test(t)) mode = 'none';
        noteMode(t);
        return undefined;
      }
      const done = cur;
      mode = 'none';
      cur = { text: t, rest: '', lines: 1 };
      if (line.ts !== undefined) cur.ts = line.ts;
      if (line.stream !== undefined) cur.stream = line.stream;
      if (line.capped) cur.capped = true;
      noteMode(t);
      if ((mode as Mode) === 'go' && t.startsWith('panic: ')) cur.exception = t.slice(0, 300);
      return done;
    },
    flush() {
      const done = cur;
      cur = undefined;
      mode = 'none';
      return done;
    },
  };
}
