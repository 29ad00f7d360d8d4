// Entry of the compiled binary (scripts/build.ts builds it with code splitting): the commands of
// src/main.ts, `serve` by default. healthcheck, mine and triage are answered without loading the
// server's modules, so the image's HEALTHCHECK, run every few seconds, costs a few milliseconds of CPU.
export async function runBinary(argv: string[]): Promise<void> {
  const command = argv[0];
  if (command === 'healthcheck') {
    const { healthcheck } = await import('./cli/healthcheck.ts');
    process.exitCode = await healthcheck(process.env);
    return;
  }
  if (command === 'mine' || command === 'triage') {
    const { main } = await import('./cli.ts');
    process.exitCode = await main(argv);
    return;
  }
  const [{ runCli }, { productTasks }] = await Promise.all([import('./main.ts'), import('./tasks/index.ts')]);
  runCli(argv, { tasks: productTasks });
}

if (import.meta.main) await runBinary(process.argv.slice(2));
