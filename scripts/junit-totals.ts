// Sums bun's JUnit reports into the one closing line CI reads: "N passed, N failed, N skipped".
// A report that is missing or holds no test counts as a failure, so a run that ran nothing is noticed.
const files = process.argv.slice(2);
let tests = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const f = Bun.file(file);
  if (!(await f.exists())) {
    console.error(`junit-totals: ${file} is missing`);
    failed++;
    continue;
  }
  const xml = await f.text();
  const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
  const attr = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
  const t = attr('tests');
  if (t === 0) {
    console.error(`junit-totals: ${file} ran no test`);
    failed++;
  }
  tests += t;
  failed += attr('failures') + attr('errors');
  skipped += attr('skipped');
}
console.log(`${tests - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
export {};
