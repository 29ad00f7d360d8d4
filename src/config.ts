// Every environment variable the appliance reads, typed with TypeBox and validated once at start.
// A bad value becomes ONE line naming the variable, what is wrong and the form expected.
import { resolve } from 'node:path';
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { decideAuthMode, type AuthMode } from './auth/mode.ts';
import { endpointOrigin } from './llm/endpoint.ts';
import { isLocalModelUrl, LOCAL_ONLY_EXPECTED } from './llm/local-only.ts';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface VarSpec {
  schema: TSchema;
  default?: string;
  /** The form a value must have, as shown in error lines and the README. */
  expected: string;
  description: string;
  secret?: boolean;
}

const bool = (description: string, dflt: string): VarSpec => ({
  schema: Type.Boolean(),
  default: dflt,
  expected: 'true or false (also 1/0, yes/no, on/off)',
  description,
});

const int = (description: string, dflt: string, min: number, max: number): VarSpec => ({
  schema: Type.Integer({ minimum: min, maximum: max }),
  default: dflt,
  expected: `an integer from ${min} to ${max}`,
  description,
});

const text = (description: string, expected: string, extra: Partial<VarSpec> = {}): VarSpec => ({
  schema: Type.String({ minLength: 1 }),
  expected,
  description,
  ...extra,
});

/** The variables, in the order the README lists them. */
export const VARIABLES = {
  HOST: text('Address the HTTP server binds to', 'an IP address or host name', { default: '127.0.0.1' }),
  PORT: int('HTTP port (0 picks a free one)', '9595', 0, 65535),
  DATABASE_URL: {
    schema: Type.String({ pattern: '^postgres(ql)?://' }),
    expected: 'a URL like postgres://user:password@host:5432/dbname',
    description: 'PostgreSQL server; unset = embedded PGlite under CYBER_BRAIN_DATA/pg',
    secret: true,
  },
  CYBER_BRAIN_DATA: text('Folder for the embedded database and defaults', 'a folder path', { default: './data' }),
  CYBER_BRAIN_LOGS: text('Folder where runs write their reports (run_<id>/)', 'a writable folder path'),
  CYBER_BRAIN_UPLOADS: text('Folder for uploaded files (old name UPLOADS_DIR still read)', 'a writable folder path'),
  CYBER_BRAIN_TOKEN: text('Admin bearer token for the API, MCP and UI', 'a non-empty token', { secret: true }),
  DOCKER_HOST: {
    schema: Type.String({ pattern: '^(unix|tcp|ssh)://.+' }),
    expected: 'unix:///path/docker.sock, tcp://host:port or ssh://user@host',
    description: 'Docker daemon; unset = unix:///var/run/docker.sock',
  },
  LLM_BASE_URL: {
    schema: Type.String({ pattern: '^https?://[^/]+' }),
    expected: 'an http(s) URL such as http://127.0.0.1:11434/v1',
    description: 'OpenAI-compatible model server; unset = no model (reports are still produced)',
  },
  LLM_ALLOW_REMOTE: bool('Allow an LLM_BASE_URL that is not loopback, private, link-local or a LAN name', 'false'),
  LLM_MODEL: text('Model name sent to the model server', 'a model name', { default: 'llama3.2' }),
  LLM_API_KEY: text('Bearer key for the model server, if it wants one', 'a non-empty key', { secret: true }),
  LLM_TIMEOUT_MS: int('Timeout of one model call in milliseconds', '60000', 100, 3_600_000),
  LLM_CONTEXT_TOKENS: int('Context window of the model in tokens; prompts are sized to fit', '4096', 512, 1_048_576),
  DEBUG_REDACTED_MODE: bool('Log model-call metadata with content replaced by lengths and hashes', 'false'),
  LOG_LEVEL: {
    schema: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l))),
    default: 'info',
    expected: LOG_LEVELS.join(', '),
    description: 'Least severe level written to the log (JSON lines on stdout)',
  },
  SHUTDOWN_GRACE_MS: int('How long a stop waits for in-flight requests before closing them', '10000', 0, 600_000),
  CYBER_BRAIN_AUTH: {
    schema: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')]),
    default: 'auto',
    expected: 'auto, on or off',
    description:
      'auto: a token is required when CYBER_BRAIN_TOKEN is set, and the start is refused beyond loopback without one; off: no authentication',
  },
  CYBER_BRAIN_ALLOWED_ORIGINS: {
    schema: Type.String({ pattern: '^\\s*https?://[^\\s,/]+(\\s*,\\s*https?://[^\\s,/]+)*\\s*$' }),
    expected: 'a comma-separated list of origins such as http://cyberbrain.lan:9595',
    description:
      'Extra origins (and their host names) allowed to call /api and /mcp, besides the bound address and IP literals',
  },
  METRICS_PUBLIC: bool('Serve /metrics without a token (for a scraper on the LAN)', 'false'),
  SESSION_TTL_HOURS: int('How long a browser login lasts', '12', 1, 24 * 90),
  AUTH_MAX_FAILURES: int(
    'Failed sign-ins and wrong tokens one client address may send per AUTH_FAILURE_WINDOW_S before it gets 429',
    '10',
    1,
    10_000,
  ),
  AUTH_FAILURE_WINDOW_S: int(
    'The window, in seconds, over which AUTH_MAX_FAILURES is counted (also the longest wait)',
    '60',
    1,
    86_400,
  ),
  MCP_MAX_SESSIONS: int(
    'Open MCP sessions at most; when full, a new session is refused (503 with Retry-After)',
    '32',
    1,
    10_000,
  ),
  MCP_MAX_SESSIONS_PER_CALLER: int(
    'Open MCP sessions at most per token (or per signed-in user); past it a new one is refused (429)',
    '8',
    1,
    10_000,
  ),
  MCP_SESSION_IDLE_MS: int('An MCP session unused this long is closed', '1800000', 1000, 86_400_000),
  RUNNER_CONCURRENCY: int('Jobs this instance runs at once', '2', 1, 64),
  RUNNER_LEASE_MS: int(
    "Lease of a running job; a crashed worker's job is retried after it expires",
    '30000',
    1000,
    3_600_000,
  ),
  GPU_REPORT_IMAGE: text(
    'Worker image (on the worker-image allowlist) whose nvidia-smi the GPU report runs',
    'an image reference name:tag',
    { default: 'nvidia/cuda:12.4.1-base-ubuntu22.04' },
  ),
  GPU_WORKER_TIMEOUT_MS: int('A GPU worker container running longer is killed', '30000', 1000, 600_000),
  GPU_HOT_UTILIZATION_PCT: int('GPU utilisation at or above this is a hotspot', '80', 1, 100),
  GPU_HOT_MEMORY_PCT: int('GPU memory in use at or above this share is a hotspot', '90', 1, 100),
  GPU_HOT_TEMPERATURE_C: int('GPU temperature at or above this is a hotspot', '85', 1, 150),
  LOG_TRIAGE_LOOKBACK: text(
    "How far back a container's first log triage window reaches",
    'a duration such as 90m, 24h or 7d (at most 90d)',
    {
      default: '24h',
      schema: Type.String({ pattern: '^[1-9][0-9]{0,5}[mhd]$' }),
    },
  ),
  LOG_TRIAGE_MAX_LINES: int(
    'Most log lines triaged per container and run; the rest are counted and the truncation reported',
    '200000',
    1,
    50_000_000,
  ),
  CYBER_BRAIN_PUBLIC_URL: {
    schema: Type.String({ pattern: '^https?://[^\\s]+$' }),
    expected: 'the URL people open the app at, such as http://cyberbrain.lan:9595',
    description: 'Links in notifications point here (the run page); without it messages carry no link',
  },
  NOTIFY_MAX_ATTEMPTS: int('Delivery attempts of a notification before it is marked dead', '6', 1, 100),
  NOTIFY_RETRY_BASE_MS: int(
    'Wait before the first retry of a failed delivery; doubled each attempt (at most one hour)',
    '5000',
    10,
    3_600_000,
  ),
  WATCH_DOCKER_EVENTS: bool(
    "Follow Docker's event stream: crash loops, OOM kills and unhealthy containers are known within seconds",
    'true',
  ),
} satisfies Record<string, VarSpec>;

export type VariableName = keyof typeof VARIABLES;

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  logsDir: string;
  uploadsDir: string;
  token: string | undefined;
  dockerHost: string | undefined;
  llm: {
    baseUrl: string | undefined;
    /** LLM_ALLOW_REMOTE: without it a non-local LLM_BASE_URL stops the start. */
    allowRemote: boolean;
    model: string;
    apiKey: string | undefined;
    timeoutMs: number;
    contextTokens: number;
  };
  debugRedactedMode: boolean;
  logLevel: LogLevel;
  shutdownGraceMs: number;
  runner: { concurrency: number; leaseMs: number };
  gpu: GpuConfig;
  /** LOG_TRIAGE_LOOKBACK in minutes, LOG_TRIAGE_MAX_LINES. */
  logTriage: { lookbackMinutes: number; maxLines: number };
  notify: { publicUrl: string | undefined; maxAttempts: number; retryBaseMs: number; watchDockerEvents: boolean };
  mcp: { maxSessions: number; maxSessionsPerCaller: number; sessionIdleMs: number };
  auth: AuthMode & {
    allowedOrigins: string[];
    metricsPublic: boolean;
    sessionTtlHours: number;
    maxFailures: number;
    failureWindowMs: number;
  };
  /** Things worth telling the operator once the logger exists (deprecated names, ...). */
  warnings: string[];
}

export interface GpuConfig {
  image: string;
  workerTimeoutMs: number;
  hot: { utilizationPct: number; memoryPct: number; temperatureC: number };
}

/** "90m", "24h", "7d" -> minutes; past 90 days is refused (a first window that long is a mistake). */
function lookbackMinutes(value: string): number {
  const n = Number(value.slice(0, -1));
  const minutes = n * { m: 1, h: 60, d: 1440 }[value.slice(-1) as 'm' | 'h' | 'd'];
  if (minutes > 90 * 1440) throw new ConfigError(`LOG_TRIAGE_LOOKBACK=${value} is not valid: expected at most 90d`);
  return minutes;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function convert(name: string, spec: VarSpec, raw: string): unknown {
  const schema = spec.schema;
  if (schema.type === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return raw;
  }
  if (schema.type === 'integer') return /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
  return name === 'LOG_LEVEL' ? raw.trim().toLowerCase() : raw;
}

function showValue(spec: VarSpec, raw: string): string {
  if (spec.secret) return '(hidden)';
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return JSON.stringify(shown);
}

function readVariable(env: Record<string, string | undefined>, name: VariableName): unknown {
  const spec: VarSpec = VARIABLES[name];
  const raw = env[name];
  const value = raw === undefined || raw === '' ? spec.default : raw;
  if (value === undefined) return undefined;
  const converted = convert(name, spec, value);
  if (!Value.Check(spec.schema, converted)) {
    throw new ConfigError(`${name}=${showValue(spec, value)} is not valid: expected ${spec.expected}`);
  }
  return converted;
}

function authMode(
  host: string,
  token: string | undefined,
  setting: 'auto' | 'on' | 'off',
  warnings: string[],
): AuthMode {
  try {
    const mode = decideAuthMode(host, token, setting);
    if (!mode.enabled && setting === 'off') warnings.push(`authentication is off: ${mode.reason}`);
    return mode;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

function originOf(url: string): string {
  try {
    return endpointOrigin(url);
  } catch {
    return '(unparsable)';
  }
}

/** Reads and validates the configuration; throws ConfigError with a one-line message. */
/** LOG_TRIAGE_* alone, for the task catalogue that is built before the rest of the configuration. */
export function logTriageSettings(env: Record<string, string | undefined> = process.env): Config['logTriage'] {
  return {
    lookbackMinutes: lookbackMinutes(readVariable(env, 'LOG_TRIAGE_LOOKBACK') as string),
    maxLines: readVariable(env, 'LOG_TRIAGE_MAX_LINES') as number,
  };
}

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const warnings: string[] = [];
  const v = <T>(name: VariableName) => readVariable(env, name) as T;

  let uploads = v<string | undefined>('CYBER_BRAIN_UPLOADS');
  if (uploads === undefined && env.UPLOADS_DIR) {
    uploads = env.UPLOADS_DIR;
    warnings.push('UPLOADS_DIR is deprecated; set CYBER_BRAIN_UPLOADS instead');
  }
  const dataDir = resolve(cwd, v<string>('CYBER_BRAIN_DATA'));
  const logs = v<string | undefined>('CYBER_BRAIN_LOGS');
  const llmBaseUrl = v<string | undefined>('LLM_BASE_URL');
  const allowRemote = v<boolean>('LLM_ALLOW_REMOTE');
  if (llmBaseUrl && !allowRemote && !isLocalModelUrl(llmBaseUrl)) {
    // only the origin is shown: the URL may carry a key in its path or query
    throw new ConfigError(
      `LLM_BASE_URL=${JSON.stringify(originOf(llmBaseUrl))} is not allowed: expected ${LOCAL_ONLY_EXPECTED}`,
    );
  }
  return {
    host: v<string>('HOST'),
    port: v<number>('PORT'),
    databaseUrl: v<string | undefined>('DATABASE_URL'),
    dataDir,
    logsDir: logs ? resolve(cwd, logs) : resolve(dataDir, 'logs'),
    uploadsDir: uploads ? resolve(cwd, uploads) : resolve(dataDir, 'uploads'),
    token: v<string | undefined>('CYBER_BRAIN_TOKEN'),
    dockerHost: v<string | undefined>('DOCKER_HOST'),
    llm: {
      baseUrl: llmBaseUrl,
      allowRemote,
      model: v<string>('LLM_MODEL'),
      apiKey: v<string | undefined>('LLM_API_KEY'),
      timeoutMs: v<number>('LLM_TIMEOUT_MS'),
      contextTokens: v<number>('LLM_CONTEXT_TOKENS'),
    },
    debugRedactedMode: v<boolean>('DEBUG_REDACTED_MODE'),
    logLevel: v<LogLevel>('LOG_LEVEL'),
    shutdownGraceMs: v<number>('SHUTDOWN_GRACE_MS'),
    runner: { concurrency: v<number>('RUNNER_CONCURRENCY'), leaseMs: v<number>('RUNNER_LEASE_MS') },
    gpu: {
      image: v<string>('GPU_REPORT_IMAGE'),
      workerTimeoutMs: v<number>('GPU_WORKER_TIMEOUT_MS'),
      hot: {
        utilizationPct: v<number>('GPU_HOT_UTILIZATION_PCT'),
        memoryPct: v<number>('GPU_HOT_MEMORY_PCT'),
        temperatureC: v<number>('GPU_HOT_TEMPERATURE_C'),
      },
    },
    mcp: {
      maxSessions: v<number>('MCP_MAX_SESSIONS'),
      maxSessionsPerCaller: v<number>('MCP_MAX_SESSIONS_PER_CALLER'),
      sessionIdleMs: v<number>('MCP_SESSION_IDLE_MS'),
    },
    logTriage: logTriageSettings(env),
    notify: {
      publicUrl: v<string | undefined>('CYBER_BRAIN_PUBLIC_URL')?.replace(/\/+$/, ''),
      maxAttempts: v<number>('NOTIFY_MAX_ATTEMPTS'),
      retryBaseMs: v<number>('NOTIFY_RETRY_BASE_MS'),
      watchDockerEvents: v<boolean>('WATCH_DOCKER_EVENTS'),
    },
    auth: {
      ...authMode(
        v<string>('HOST'),
        v<string | undefined>('CYBER_BRAIN_TOKEN'),
        v<'auto' | 'on' | 'off'>('CYBER_BRAIN_AUTH'),
        warnings,
      ),
      allowedOrigins: (v<string | undefined>('CYBER_BRAIN_ALLOWED_ORIGINS') ?? '')
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean),
      metricsPublic: v<boolean>('METRICS_PUBLIC'),
      sessionTtlHours: v<number>('SESSION_TTL_HOURS'),
      maxFailures: v<number>('AUTH_MAX_FAILURES'),
      failureWindowMs: v<number>('AUTH_FAILURE_WINDOW_S') * 1000,
    },
    warnings,
  };
}

/** The effective configuration with secrets masked, for logs and the settings page. */
export function describeConfig(config: Config): Record<string, string | number | boolean | null> {
  const mask = (s: string | undefined) => (s === undefined ? null : '********');
  const maskUrl = (s: string | undefined) => {
    if (s === undefined) return null;
    try {
      const u = new URL(s);
      if (u.password) u.password = '********';
      return u.toString();
    } catch {
      return '********';
    }
  };
  return {
    HOST: config.host,
    PORT: config.port,
    DATABASE_URL: maskUrl(config.databaseUrl),
    CYBER_BRAIN_DATA: config.dataDir,
    CYBER_BRAIN_LOGS: config.logsDir,
    CYBER_BRAIN_UPLOADS: config.uploadsDir,
    CYBER_BRAIN_TOKEN: mask(config.token),
    DOCKER_HOST: config.dockerHost ?? null,
    LLM_BASE_URL: config.llm.baseUrl ?? null,
    LLM_ALLOW_REMOTE: config.llm.allowRemote,
    LLM_MODEL: config.llm.model,
    LLM_API_KEY: mask(config.llm.apiKey),
    LLM_TIMEOUT_MS: config.llm.timeoutMs,
    LLM_CONTEXT_TOKENS: config.llm.contextTokens,
    DEBUG_REDACTED_MODE: config.debugRedactedMode,
    LOG_LEVEL: config.logLevel,
    SHUTDOWN_GRACE_MS: config.shutdownGraceMs,
    CYBER_BRAIN_AUTH: config.auth.enabled ? 'on' : 'off',
    CYBER_BRAIN_ALLOWED_ORIGINS: config.auth.allowedOrigins.join(',') || null,
    METRICS_PUBLIC: config.auth.metricsPublic,
    SESSION_TTL_HOURS: config.auth.sessionTtlHours,
    AUTH_MAX_FAILURES: config.auth.maxFailures,
    AUTH_FAILURE_WINDOW_S: config.auth.failureWindowMs / 1000,
    MCP_MAX_SESSIONS: config.mcp.maxSessions,
    MCP_MAX_SESSIONS_PER_CALLER: config.mcp.maxSessionsPerCaller,
    MCP_SESSION_IDLE_MS: config.mcp.sessionIdleMs,
    RUNNER_CONCURRENCY: config.runner.concurrency,
    RUNNER_LEASE_MS: config.runner.leaseMs,
    GPU_REPORT_IMAGE: config.gpu.image,
    GPU_WORKER_TIMEOUT_MS: config.gpu.workerTimeoutMs,
    GPU_HOT_UTILIZATION_PCT: config.gpu.hot.utilizationPct,
    GPU_HOT_MEMORY_PCT: config.gpu.hot.memoryPct,
    GPU_HOT_TEMPERATURE_C: config.gpu.hot.temperatureC,
    LOG_TRIAGE_LOOKBACK: `${config.logTriage.lookbackMinutes}m`,
    LOG_TRIAGE_MAX_LINES: config.logTriage.maxLines,
    CYBER_BRAIN_PUBLIC_URL: config.notify.publicUrl ?? null,
    NOTIFY_MAX_ATTEMPTS: config.notify.maxAttempts,
    NOTIFY_RETRY_BASE_MS: config.notify.retryBaseMs,
    WATCH_DOCKER_EVENTS: config.notify.watchDockerEvents,
  };
}
