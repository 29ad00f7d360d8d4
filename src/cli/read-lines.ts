// Lines of a file or of stdin, streamed (a large log is never read whole).
export async function* readLines(input: string | undefined): AsyncGenerator<string> {
  const stream = input === undefined ? Bun.stdin.stream() : Bun.file(input).stream();
  const decoder = new TextDecoder();
  let carry = '';
  const reader = stream.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    const text = carry + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    carry = parts.pop() ?? '';
    for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
  }
  carry += decoder.decode();
  if (carry) yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
}
