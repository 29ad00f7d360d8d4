// Removes ANSI escape sequences (colours, cursor moves) that coloured loggers write, so that they
// neither pollute templates nor hide level words.

// CSI sequences (ESC [ ... final byte), OSC sequences (ESC ] ... BEL or ESC \), and lone two-byte escapes.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  // fast path: most lines carry no escape at all
  if (text.indexOf('\u001b') < 0 && text.indexOf('\u009b') < 0) return text;
  return text.replace(ANSI, '');
}
