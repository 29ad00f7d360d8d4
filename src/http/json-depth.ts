// How deeply a JSON text nests, found by one pass over its characters before it is parsed: a deep
// body costs the parser and every later walk (validation, our own checks) time and stack, so it is
// refused before any of them runs.

export const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `max` arrays/objects inside each other (strings are skipped). */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** The path of the first string (value or key) holding a NUL character, e.g. "params.note"; undefined if none. */
export function nulField(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(root)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = nulField(value[i], path ? `${path}.${i}` : String(i));
      if (hit) return hit;
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return here.replace(/\u0000/g, '\\u0000');
    const hit = nulField(v, here);
    if (hit) return hit;
  }
  return undefined;
}
