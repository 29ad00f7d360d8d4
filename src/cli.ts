// Command line tools that need neither the server, a database nor Docker:
//   bun src/cli.ts mine [--input FILE]            one JSON object per input line: line, template_id, template
//   bun src/cli.ts triage --input FILE [--json]   the triage report of a log file (markdown, or report JSON)
import { mine } from './cli/mine.ts';
import { readLines } from './cli/read-lines.ts';
import { renderMarkdown, triageFile } from './cli/triage-file.ts';
import { loadConfig } from './config.ts';
import { applianceSecrets, knownValueMatcher, type KnownValues } from './redact/index.ts';

/** The appliance's own secrets from the environment, to mask in `mine` output (none if the environment is invalid: `mine` needs no configuration). */
function ownSecrets(): KnownValues | undefined {
  try {
    return knownValueMatcher(applianceSecrets(loadConfig(process.env)));
  } catch {
    return undefined;
  }
}

const USAGE = 'usage: bun src/cli.ts mine [--input FILE] | bun src/cli.ts triage --input FILE [--json]';

function parseArgs(args: string[]): { command: string | undefined; input: string | undefined; json: boolean } {
  let input: string | undefined;
  let json = false;
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--input') input = args[++i];
    else if (a.startsWith('--input=')) input = a.slice(8);
    else if (a === '--json') json = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return { command: args[0], input, json };
}

/** Runs `mine` or `triage` with the arguments after the script name; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const write = (s: string) => process.stdout.write(s);
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.input !== undefined && !(await Bun.file(args.input).exists())) {
    console.error(`no such file: ${args.input}`);
    return 2;
  }
  if (args.command === 'mine') {
    const input = args.input;
    // output waits for its reader: millions of lines must not pile up in memory
    const paced = async (s: string) => {
      if (!process.stdout.write(s)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
    };
    await mine(readLines(input), paced, input === undefined ? undefined : () => readLines(input), ownSecrets());
    return 0;
  }
  if (args.command === 'triage' && args.input !== undefined) {
    const report = await triageFile(args.input, readLines(args.input), process.env);
    write(args.json ? JSON.stringify(report, null, 2) + '\n' : renderMarkdown(report));
    return 0;
  }
  console.error(USAGE);
  return 2;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
