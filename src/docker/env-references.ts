// Finds which of the given names an environment value mentions, as a host name: "db", "db:5432",
// "postgres://u:p@db/app", "http://api.internal:8080". Matching happens in memory inside the gateway;
// only (variable name, matched name) pairs leave it.

const HOST_CHAR = /[A-Za-z0-9_.-]/;

function mentionsHost(value: string, name: string): boolean {
  const lower = value.toLowerCase();
  const n = name.toLowerCase();
  let from = 0;
  for (;;) {
    const i = lower.indexOf(n, from);
    if (i < 0) return false;
    const before = i === 0 ? '' : lower[i - 1]!;
    const after = lower[i + n.length] ?? '';
    // a whole host-name token: not part of a longer word (dots end it only when a port/path follows)
    const startOk = before === '' || !HOST_CHAR.test(before) || before === '@';
    const endOk = after === '' || !HOST_CHAR.test(after);
    if (startOk && endOk) return true;
    from = i + 1;
  }
}

/** The (variable, name) pairs of env entries ("KEY=value") whose value mentions one of the names. */
export function findEnvReferences(
  env: readonly string[],
  names: readonly string[],
): { variable: string; target: string }[] {
  const out: { variable: string; target: string }[] = [];
  const usable = [...new Set(names.filter((n) => n.length >= 2))];
  for (const entry of env) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const variable = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    for (const name of usable) if (mentionsHost(value, name)) out.push({ variable, target: name });
  }
  return out.sort((a, b) => a.variable.localeCompare(b.variable) || a.target.localeCompare(b.target));
}
