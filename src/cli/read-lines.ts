// Lines of a file or of stdin, streamed (a large log is never read whole). A line longer than
// `maxChars` is cut there and the rest skipped as it streams by, so one 50 MB line costs no more than
// a short one; `stats.cut` counts such lines.
import { PARSE_CAP } from '../triage/line-guards.ts';

export async function* readLines(
  input: string | undefined,
  stats: { cut: number } = { cut: 0 },
  maxChars = PARSE_CAP,
): AsyncGenerator<string> {
  const stream = input === undefined ? Bun.stdin.stream() : Bun.file(input).stream();
  const decoder = new TextDecoder();
  let carry = '';
  // the current line was cut: skip what remains of it up to its newline
  let skipping = false;
  const reader = stream.getReader();
  const tidy = (p: string) => (p.endsWith('\r') ? p.slice(0, -1) : p);
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    let text = decoder.decode(chunk, { stream: true });
    if (skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) continue;
      skipping = false;
      yield tidy(carry);
      carry = '';
      text = text.slice(nl + 1);
    }
    const parts = (carry + text).split('\n');
    carry = parts.pop() ?? '';
    for (const p of parts) {
      if (p.length > maxChars) {
        stats.cut++;
        yield tidy(p.slice(0, maxChars));
      } else yield tidy(p);
    }
    if (carry.length > maxChars) {
      stats.cut++;
      carry = carry.slice(0, maxChars);
      skipping = true;
    }
  }
  carry += skipping ? '' : decoder.decode();
  if (carry) yield tidy(carry);
}
