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

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:Z|[+-]\d\d:\d\d)$/i;

export class PromptError extends Error {
  override name = 'PromptError';
}

export function getPrompt(
  name: string,
  args: Record<string, string> | undefined,
): { description: string; messages: { role: 'user'; content: { type: 'text'; text: string } }[] } {
  const a = args ?? {};
  const user = (text: string) => [{ role: 'user' as const, content: { type: 'text' as const, text } }];
  if (name === 'triage_container') {
    const container = (a.container ?? '').trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(container))
      throw new PromptError('container: give a container name or id');
    const since = a.since?.trim();
    if (since && !RFC3339.test(since)) throw new PromptError('since: give an RFC 3339 time, e.g. 2026-01-31T12:00:00Z');
    const launch = JSON.stringify({
      tasks: ['log_triage'],
      options: { log_triage: { containers: [container] } },
      wait_seconds: 60,
    });
    const steps = [
      `Find out what went wrong in the container "${container}" ${since ? `since ${since}` : 'since its last successful triage'}.`,
      `1. Call launch_run with ${launch}: the triage reads only "${container}". If the log_triage job's result lists "${container}" under "unreadable", tell the operator the reason it gives and stop.`,
      `2. Read the report with get_run_report and summarise the findings for "${container}": new errors first, then recurring ones, with counts and times.`,
    ];
    if (since) {
      steps.push(
        `3. The triage covers the log since the container's last successful triage. For the lines since ${since}, call container_logs with ${JSON.stringify({ container, since, lines: 1000 })} (page on with next_since while "more" is true) and add what they show before the triage window.`,
      );
    }
    return { description: `Triage ${container}${since ? ` since ${since}` : ''}`, messages: user(steps.join('\n')) };
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
