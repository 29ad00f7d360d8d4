// MCP resources: run reports (markdown), runs and directives (JSON), the latest inventory. Read through
// the same use cases as REST; an unknown URI is an error, never a crash.
import type { AppDeps } from '../../app-deps.ts';
import { AppError } from '../../errors.ts';
import * as directives from '../../service/directives.ts';
import * as patterns from '../../service/error-patterns.ts';
import * as gpu from '../../service/gpu.ts';
import * as serviceMap from '../../service/service-map.ts';
import * as inventory from '../../service/inventory.ts';
import * as runs from '../../service/runs.ts';
import { serviceContext } from '../../service/context.ts';

export const RESOURCE_TEMPLATES = [
  {
    uriTemplate: 'cyberbrain://runs/{id}/report.md',
    name: 'run-report',
    title: 'Run report',
    mimeType: 'text/markdown',
    description: 'The markdown report of a run',
  },
  {
    uriTemplate: 'cyberbrain://runs/{id}',
    name: 'run',
    title: 'Run',
    mimeType: 'application/json',
    description: 'A run with jobs, tokens and artifacts',
  },
  {
    uriTemplate: 'cyberbrain://directives/{id}',
    name: 'directive',
    title: 'Directive',
    mimeType: 'application/json',
    description: 'A directive and its current text',
  },
];

export const LATEST_INVENTORY = 'cyberbrain://inventory/latest';

/** Read models of task results: the same data as the get_gpu_report, get_gpu_trend and get_service_map tools. */
const READ_MODELS: Record<string, { name: string; title: string; read(deps: AppDeps): Promise<unknown> }> = {
  'cyberbrain://gpu/latest': {
    name: 'gpu-latest',
    title: 'Latest GPU report',
    read: (deps) => gpu.latestGpuReport(serviceContext(deps)),
  },
  'cyberbrain://gpu/trend': { name: 'gpu-trend', title: 'GPU trend', read: (deps) => gpu.gpuTrend({ db: deps.db }) },
  'cyberbrain://log-triage/patterns': {
    name: 'log-triage-patterns',
    title: 'Error and warning patterns of the latest log triage',
    read: (deps) => patterns.errorPatternsNow(serviceContext(deps)),
  },
  'cyberbrain://service-map/latest': {
    name: 'service-map-latest',
    title: 'Latest service map',
    read: (deps) => serviceMap.latestServiceMap(serviceContext(deps)),
  },
};

/** Recent runs and the fixed resources, for resources/list. */
export async function listResources(deps: AppDeps) {
  const recent = await runs.listRuns(serviceContext(deps), { limit: 20 });
  return [
    {
      uri: LATEST_INVENTORY,
      name: 'inventory-latest',
      title: 'Latest inventory snapshot',
      mimeType: 'application/json',
    },
    ...Object.entries(READ_MODELS).map(([uri, r]) => ({
      uri,
      name: r.name,
      title: r.title,
      mimeType: 'application/json',
    })),
    ...recent.runs.flatMap((r) => [
      {
        uri: `cyberbrain://runs/${r.id}/report.md`,
        name: `run-${r.id}-report`,
        title: `Run ${r.id} report (${r.status})`,
        mimeType: 'text/markdown',
      },
      {
        uri: `cyberbrain://runs/${r.id}`,
        name: `run-${r.id}`,
        title: `Run ${r.id} (${r.status})`,
        mimeType: 'application/json',
      },
    ]),
  ];
}

/** The run a resource URI is about, if any (for subscriptions). */
export function runIdOf(uri: string): number | undefined {
  const m = /^cyberbrain:\/\/runs\/(\d{1,15})(?:\/report\.md)?$/.exec(uri);
  return m ? Number(m[1]) : undefined;
}

export async function readResource(
  deps: AppDeps,
  uri: string,
): Promise<{ uri: string; mimeType: string; text: string }> {
  let m: RegExpExecArray | null;
  if ((m = /^cyberbrain:\/\/runs\/(\d{1,15})\/report\.md$/.exec(uri))) {
    const report = await runs.getRunReport(serviceContext(deps), Number(m[1]));
    return { uri, mimeType: 'text/markdown', text: report.markdown };
  }
  if ((m = /^cyberbrain:\/\/runs\/(\d{1,15})$/.exec(uri))) {
    return {
      uri,
      mimeType: 'application/json',
      text: JSON.stringify(await runs.getRun(serviceContext(deps), Number(m[1]))),
    };
  }
  if ((m = /^cyberbrain:\/\/directives\/(\d{1,15})$/.exec(uri))) {
    return {
      uri,
      mimeType: 'application/json',
      text: JSON.stringify(await directives.getDirective(deps, Number(m[1]))),
    };
  }
  const model = READ_MODELS[uri];
  if (model) return { uri, mimeType: 'application/json', text: JSON.stringify(await model.read(deps)) };
  if (uri === LATEST_INVENTORY)
    return { uri, mimeType: 'application/json', text: JSON.stringify(await inventory.latestInventory(deps)) };
  throw new AppError(404, 'not_found', `no resource ${uri.slice(0, 200)}`);
}
