// Strings kept for long (templates, exemplars, times) are copied out of the text they were cut
// from: a slice shares its parent's buffer, so one kept slice of a large read chunk would keep the
// whole chunk alive, and a stream of chunks would grow memory without bound.

export function detach(s: string): string {
  // concatenation makes a new string; resolving it copies only these characters
  return (' ' + s).slice(1);
}
