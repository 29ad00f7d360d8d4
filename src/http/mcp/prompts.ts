// MCP prompts: ready-made requests an agent can hand its model, built on the tools.

export const PROMPTS = [
  {
    name: 'triage_container',
    title: 'Triage a container',
    description: 'Find out what went wrong in one container since a given time',
    arguments: [
      { name: 'container', description: 'container name or id', required: true },
      { name: 'since', description: 'RFC 3339 time; default: since the last successful triage', required: false },
    ],
  },
  {
    name: 'explain_run',
    title: 'Explain a run',
    description: 'Summarise a run report for an operator and suggest next steps',
    arguments: [{ name: 'run_id', description: 'the run id', required: true }],
  },
];

export class PromptError extends Error {
  override name = 'PromptError';
}

export function getPrompt(name: string, args: Record<string, string> | undefined): { description: string; messages: { role: 'user'; content: { type: 'text'; text: string } }[] } {
  const a = args ?? {};
  const user = (text: string) => [{ role: 'user' as const, content: { type: 'text' as const, text } }];
  if (name === 'triage_container') {
    const container = (a.container ?? '').trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(container)) throw new PromptError('container: give a container name or id');
    const since = a.since?.trim();
    if (since && Number.isNaN(Date.parse(since))) throw new PromptError('since: give an RFC 3339 time');
    return {
      description: `Triage ${container}`,
      messages: user(
        `Find out what went wrong in the container "${container}"${since ? ` since ${since}` : ' since its last successful triage'}.\n` +
          `1. Call get_allowlist; if "${container}" is not on it, say so and stop (its insides cannot be read).\n` +
          `2. Call launch_run with {"tasks": ["log_triage"], "wait_seconds": 60}.\n` +
          `3. Read the report with get_run_report and summarise the findings for "${container}": new errors first, then recurring ones, with counts and times.`,
      ),
    };
  }
  if (name === 'explain_run') {
    const id = (a.run_id ?? '').trim();
    if (!/^\d{1,15}$/.test(id)) throw new PromptError('run_id: give a numeric run id');
    return {
      description: `Explain run ${id}`,
      messages: user(
        `Read the report of run ${id} (resource cyberbrain://runs/${id}/report.md, or the get_run_report tool) and explain it to the operator of a home-lab Docker host: ` +
          'what failed, what is new since earlier runs, what to check first. Keep it short and concrete.',
      ),
    };
  }
  throw new PromptError(`no prompt named ${name.slice(0, 60)}`);
}
