// Sums bun's JUnit reports into the one closing line CI reads: "N passed, N failed, N skipped".
// A report that is missing or holds no test counts as a failure, so a run that ran nothing is noticed.
//   bun scripts/junit-totals.ts REPORT.xml ...
export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

/** The counts of bun's JUnit reports; problems (a missing or empty report) are counted as failures and described. */
export async function junitTotals(files: string[], problems: string[] = []): Promise<Totals> {
  let tests = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of files) {
    const f = Bun.file(file);
    if (!(await f.exists())) {
      problems.push(`${file} is missing`);
      failed++;
      continue;
    }
    const xml = await f.text();
    const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
    const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
    const t = attr('tests');
    if (t === 0) {
      problems.push(`${file} ran no test`);
      failed++;
    }
    tests += t;
    failed += attr('failures') + attr('errors');
    skipped += attr('skipped');
  }
  return { passed: tests - failed - skipped, failed, skipped };
}

export function totalsLine(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

if (import.meta.main) {
  const problems: string[] = [];
  const totals = await junitTotals(process.argv.slice(2), problems);
  for (const p of problems) console.error(`junit-totals: ${p}`);
  console.log(totalsLine(totals));
}
