// The one way into Docker. Listing metadata is open to all; every read of a container's insides
// (inspect, logs, top, stats) first asks the access policy (the allowlist) and is refused with
// ContainerNotAllowedError otherwise. REST, MCP and tasks all come through here, so none of them can
// forget the check. A container labelled cyberbrain.allow=false is refused whatever the policy says.
import type Docker from 'dockerode';
import { createDockerClient, type DockerEndpoint } from './client.ts';
import { detailsFromInspect, inventoryFromInspect, summaryFromList } from './container-metadata.ts';
import { ContainerNotAllowedError, ContainerNotFoundError, mapDockerError } from './errors.ts';
import { LogLineParser } from './log-lines.ts';
import { openLogBytes } from './log-transport.ts';
import { dockerApiTime, windowFilter, type LogWindow } from './log-window.ts';
import { statsFromDocker } from './stats.ts';
import { envEntries } from '../redact/secret-values.ts';
import { findEnvReferences } from './env-references.ts';
import { eventsApiTime, parseLifecycleEvents, type DockerLifecycleEvent } from './container-events.ts';
import { EventLineSplitter, parseHostEvent, type DockerHostEvent } from './host-events.ts';
import { networkFromList, wiringFromInspect } from './topology.ts';
import type { ContainerWiring, EnvReference, NetworkSummary } from './topology-types.ts';
import { runWorkerContainer } from './worker.ts';
import {
  refuseAllWorkerImages,
  type GpuRuntimeInfo,
  type WorkerImagePolicy,
  type WorkerRequest,
  type WorkerResult,
} from './worker-types.ts';
import {
  allowLabel,
  type AccessPolicy,
  type ContainerDetails,
  type ContainerStats,
  type ContainerSummary,
  type ContainerTop,
  type InventoryContainer,
  type LogLine,
} from './types.ts';

export interface LogOptions extends LogWindow {
  /** Only the last N lines (Docker counts stdout and stderr together, before the window). */
  tail?: number;
  /** Stops the stream: the iterator ends by throwing the signal's reason. */
  signal?: AbortSignal;
  /** Longer lines are cut there and end with a marker. */
  maxLineBytes?: number;
}

export interface DockerGateway {
  /** Where the daemon is, for messages (never credentials). */
  readonly endpoint: string;
  /** Metadata of every container (running or not). */
  listContainers(): Promise<ContainerSummary[]>;
  /** Inventory metadata of every container: inspect projected to safe fields, no environment. */
  inventory(): Promise<InventoryContainer[]>;
  inspect(ref: string): Promise<ContainerDetails>;
  logs(ref: string, options?: LogOptions): AsyncIterable<LogLine>;
  top(ref: string): Promise<ContainerTop>;
  /** The container's lifecycle events (start, die, oom, health) in [since, until); until must not be in the future. */
  lifecycleEvents(ref: string, window: { since: Date; until: Date }): Promise<DockerLifecycleEvent[]>;
  stats(ref: string): Promise<ContainerStats>;
  /**
   * Follows the daemon's container events from `since` (nanoseconds, as a decimal string; default now)
   * until the signal fires or the connection ends. Metadata only, for every container.
   */
  followEvents(options: { since?: string; signal: AbortSignal }): AsyncIterable<DockerHostEvent>;
  /** Metadata of every network. */
  networks(): Promise<NetworkSummary[]>;
  /** Wiring metadata of every container (aliases, links, declared ports): no environment. */
  wiring(): Promise<ContainerWiring[]>;
  /** Which env variables of an allowlisted container name one of `names`: names only, never values. */
  envReferences(ref: string, names: readonly string[]): Promise<EnvReference[]>;
  /**
   * An allowlisted container's environment, for the redaction step only: the caller keeps it in
   * memory for one run (a matcher of known values) and never stores, logs or returns it.
   */
  envForRedaction(ref: string): Promise<{ name: string; value: string }[]>;
  /** The daemon's runtimes, to decide whether a GPU device request can work. */
  gpuRuntime(): Promise<GpuRuntimeInfo>;
  /** Starts a short-lived worker from the worker-image allowlist (refused before anything starts otherwise). */
  runWorker(request: WorkerRequest): Promise<WorkerResult>;
}

/** How many containers an inventory inspects at once. */
const INSPECT_CONCURRENCY = 8;

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function createDockerGateway(
  endpoint: DockerEndpoint,
  policy: AccessPolicy,
  client: Docker = createDockerClient(endpoint),
  workerImages: WorkerImagePolicy = refuseAllWorkerImages,
): DockerGateway {
  const where = endpoint.display;

  async function call<T>(what: string, ref: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapDockerError(err, where, what, ref);
    }
  }

  async function listContainers(): Promise<ContainerSummary[]> {
    const list = await call('list containers', undefined, () => client.listContainers({ all: true }));
    return list.map(summaryFromList).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Resolves the reference and applies the allowlist; returns the raw inspect for internal use only. */
  async function admit(ref: string): Promise<Docker.ContainerInspectInfo> {
    if (!ref || ref.includes('/')) throw new ContainerNotFoundError(ref);
    const info = await call('inspect a container', ref, () => client.getContainer(ref).inspect());
    const identity = inventoryFromInspect(info);
    if (allowLabel(identity.labels) === false) throw new ContainerNotAllowedError(info.Id, identity.name, 'opted_out');
    const decision = await policy.decide(identity, listContainers);
    if (!decision.allowed) throw new ContainerNotAllowedError(info.Id, identity.name, decision.reason);
    return info;
  }

  async function* logs(ref: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
    const { signal } = options;
    signal?.throwIfAborted();
    const info = await admit(ref);
    const inside = windowFilter(options);
    const query: Record<string, string> = { stdout: '1', stderr: '1', timestamps: '1', follow: '0' };
    if (options.since !== undefined) query.since = dockerApiTime(options.since);
    // Docker keeps ts <= until; the filter above makes the bound exclusive
    if (options.until !== undefined) query.until = dockerApiTime(options.until);
    if (options.tail !== undefined) query.tail = String(options.tail);
    const stream = await call('read logs', ref, () =>
      openLogBytes(endpoint, client, `/containers/${encodeURIComponent(info.Id)}/logs`, query, signal),
    );
    const batch: LogLine[] = [];
    const parser = new LogLineParser({
      multiplexed: info.Config?.Tty !== true,
      maxLineBytes: options.maxLineBytes,
      onLine: inside ? (l) => inside(l.ts) && batch.push(l) : (l) => batch.push(l),
    });
    try {
      for await (const chunk of stream.chunks) {
        parser.push(chunk);
        for (let i = 0; i < batch.length; i++) yield batch[i]!;
        batch.length = 0;
      }
      signal?.throwIfAborted();
      parser.end();
      yield* batch;
    } catch (err) {
      signal?.throwIfAborted();
      throw mapDockerError(err, where, 'read logs', ref);
    } finally {
      stream.close();
    }
  }

  return {
    endpoint: where,
    listContainers,
    async inventory() {
      const list = await listContainers();
      const rows = await mapLimit(list, INSPECT_CONCURRENCY, async (c) => {
        try {
          return inventoryFromInspect(await client.getContainer(c.id).inspect());
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 404) return null; // removed meanwhile
          throw mapDockerError(err, where, 'inspect a container', c.id);
        }
      });
      return rows.filter((r): r is InventoryContainer => r !== null);
    },
    async inspect(ref) {
      return detailsFromInspect(await admit(ref));
    },
    logs,
    async top(ref) {
      const info = await admit(ref);
      const top = await call('list processes', ref, () => client.getContainer(info.Id).top());
      return { titles: top.Titles ?? [], processes: top.Processes ?? [] };
    },
    async lifecycleEvents(ref, window) {
      const info = await admit(ref);
      const filters = JSON.stringify({ type: ['container'], container: [info.Id] });
      const opts = { since: eventsApiTime(window.since), until: eventsApiTime(window.until), filters };
      const text = await call('read events', ref, async () => {
        // with `until` in the past the daemon sends what it holds and ends the response
        // the typings say numbers; the daemon takes (and needs, for sub-second bounds) the string form
        const stream = await client.getEvents(opts as unknown as Docker.GetEventsOptions);
        let body = '';
        for await (const chunk of stream)
          body += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return body;
      });
      const from = BigInt(window.since.getTime()) * 1_000_000n;
      const to = BigInt(window.until.getTime()) * 1_000_000n;
      return parseLifecycleEvents(text, info.Id).filter((e) => BigInt(e.time_nano) >= from && BigInt(e.time_nano) < to);
    },
    async stats(ref) {
      const info = await admit(ref);
      const raw = await call('read stats', ref, () => client.getContainer(info.Id).stats({ stream: false }));
      return statsFromDocker(raw);
    },
    async *followEvents({ since, signal }) {
      signal.throwIfAborted();
      const opts: Record<string, string> = { filters: JSON.stringify({ type: ['container'] }) };
      if (since !== undefined) opts.since = `${since.slice(0, -9) || '0'}.${since.slice(-9).padStart(9, '0')}`;
      const stream = (await call('follow events', undefined, () =>
        client.getEvents(opts as unknown as Docker.GetEventsOptions),
      )) as NodeJS.ReadableStream & { destroy(): void };
      const onAbort = () => stream.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      const batch: DockerHostEvent[] = [];
      const lines = new EventLineSplitter((line) => {
        const e = parseHostEvent(line);
        if (e) batch.push(e);
      });
      try {
        for await (const chunk of stream) {
          lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
          for (let i = 0; i < batch.length; i++) yield batch[i]!;
          batch.length = 0;
        }
      } catch (err) {
        signal.throwIfAborted();
        throw mapDockerError(err, where, 'follow events');
      } finally {
        signal.removeEventListener('abort', onAbort);
        stream.destroy();
      }
      signal.throwIfAborted();
    },
    async networks() {
      const list = await call('list networks', undefined, () => client.listNetworks());
      return list.map(networkFromList).sort((a, b) => a.name.localeCompare(b.name));
    },
    async wiring() {
      const list = await listContainers();
      const rows = await mapLimit(list, INSPECT_CONCURRENCY, async (c) => {
        try {
          return wiringFromInspect(await client.getContainer(c.id).inspect());
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 404) return null; // removed meanwhile
          throw mapDockerError(err, where, 'inspect a container', c.id);
        }
      });
      return rows.filter((r): r is ContainerWiring => r !== null);
    },
    async envReferences(ref, names) {
      const info = await admit(ref);
      // values stay in this scope: only variable names and the matched names are returned
      return findEnvReferences(info.Config?.Env ?? [], names);
    },
    async envForRedaction(ref) {
      const info = await admit(ref);
      return envEntries(info.Config?.Env ?? []);
    },
    async gpuRuntime() {
      const info = (await call('read daemon info', undefined, () => client.info())) as {
        Runtimes?: Record<string, unknown>;
      };
      const runtimes = Object.keys(info.Runtimes ?? {}).sort();
      return { runtimes, nvidia: runtimes.includes('nvidia') };
    },
    async runWorker(request) {
      try {
        return await runWorkerContainer(client, workerImages, request);
      } catch (err) {
        throw mapDockerError(err, where, 'run a worker container');
      }
    },
  };
}
