// The shapes the use cases answer with, as TypeBox schemas: REST documents its 2xx bodies with them
// (and Elysia checks each answer against them), MCP tools give them as outputSchema. Field names match
// the view types next to each use case; a test checks real answers against them.
import { Type, type TSchema } from '@sinclair/typebox';
import { DirectiveLevel, Nullable, OneOf } from './schemas.ts';
import { JOB_STATUSES, RUN_STATUSES } from '../statuses.ts';

const Int = Type.Integer();
const Str = Type.String();
const Bool = Type.Boolean();
const When = Type.String({ description: 'RFC 3339 time' });
const MaybeWhen = Nullable(When);
const MaybeStr = Nullable(Str);
const MaybeInt = Nullable(Int);
const MaybeNum = Nullable(Type.Number());

/** A list answer as an object (MCP structured content must be an object). */
export const ItemsOf = <T extends TSchema>(item: T, description?: string) =>
  Type.Object({ items: Type.Array(item, description ? { description } : {}) });

export const TokenTotals = Type.Object({ prompt: Int, completion: Int, total: Int, calls: Int });

const RunStatus = OneOf(RUN_STATUSES);
const JobStatus = OneOf(JOB_STATUSES);

export const JobView = Type.Object({
  id: Int,
  task: Str,
  status: JobStatus,
  attempt: Int,
  created_at: When,
  started_at: MaybeWhen,
  finished_at: MaybeWhen,
  duration_ms: MaybeInt,
  result: Nullable(
    Type.Record(Str, Type.Unknown(), { description: "the task's summary (counts and names, never log text)" }),
  ),
  error_code: MaybeStr,
  error: MaybeStr,
  tokens: TokenTotals,
});

export const RunView = Type.Object({
  id: Int,
  status: RunStatus,
  trigger: Type.Union([Type.Literal('web'), Type.Literal('api'), Type.Literal('mcp'), Type.Literal('schedule')]),
  schedule_id: Nullable(Type.Integer({ description: 'the schedule that launched it, when trigger is "schedule"' })),
  tasks: Type.Array(Str),
  options: Type.Record(Str, Type.Record(Str, Type.Unknown())),
  directive: Type.Object({ id: MaybeInt, name: MaybeStr, version: MaybeInt, level: MaybeStr, sha256: Str, text: Str }),
  approval_required: Bool,
  decided_by: MaybeStr,
  decided_at: MaybeWhen,
  cancel_requested: Bool,
  error_summary: MaybeStr,
  created_at: When,
  started_at: MaybeWhen,
  finished_at: MaybeWhen,
  tokens: TokenTotals,
});

export const ArtifactView = Type.Object({
  id: Int,
  run_id: Int,
  job_id: MaybeInt,
  path: Str,
  kind: Str,
  mime_type: Str,
  bytes: Int,
  sha256: Str,
  created_at: When,
});

export const RunDetail = Type.Composite([
  RunView,
  Type.Object({ jobs: Type.Array(JobView), artifacts: Type.Array(ArtifactView) }),
]);

export const RunPage = Type.Object({
  runs: Type.Array(RunView),
  next_before: Nullable(Type.Integer({ description: 'pass as before= for the next page' })),
});

export const RunReport = Type.Object({
  markdown: Str,
  json: Type.Object({
    run: RunView,
    jobs: Type.Array(JobView),
    artifacts: Type.Array(ArtifactView),
    reports: Type.Record(Str, Type.Unknown({ description: "a JSON artifact's content, keyed by path" })),
  }),
  tokens: TokenTotals,
});

export const SinceLastSuccess = Type.Object({
  task: Str,
  since: MaybeWhen,
  last_success: Nullable(Type.Object({ job_id: Int, run_id: Int, finished_at: When })),
});

export const TaskCatalogEntry = Type.Object({
  key: Str,
  title: Str,
  description: Str,
  options_schema: Type.Unknown({ description: "JSON Schema of the task's options" }),
});

export const DirectiveView = Type.Object({
  id: Int,
  name: Str,
  level: DirectiveLevel,
  title: Str,
  body: Str,
  sha256: Str,
  approval_required: Bool,
  is_builtin: Bool,
  active: Bool,
  version: Int,
  created_at: When,
  updated_at: When,
});

export const DirectiveVersionView = Type.Object({
  version: Int,
  level: DirectiveLevel,
  title: Str,
  body: Str,
  sha256: Str,
  approval_required: Bool,
  created_at: When,
});

const AllowlistSource = Type.Union([Type.Literal('api'), Type.Literal('label')], {
  description: 'api: added by a person or agent; label: opted in by cyberbrain.allow=true',
});
export const AllowlistEntryView = Type.Object({
  container_id: Str,
  name: Str,
  compose_project: MaybeStr,
  compose_service: MaybeStr,
  enabled: Bool,
  description: Str,
  tags: Type.Array(Str),
  follow: Bool,
  source: AllowlistSource,
  created_at: When,
  updated_at: When,
});

export const AllowlistHistoryView = Type.Object({
  id: Int,
  container_id: Str,
  previous_container_id: MaybeStr,
  action: Str,
  name: Str,
  reason: Str,
  at: When,
});
export const AllowlistEntryWithHistory = Type.Composite([
  AllowlistEntryView,
  Type.Object({ history: Type.Array(AllowlistHistoryView) }),
]);

const PortBinding = Type.Object({ private_port: Int, type: Str, public_port: MaybeInt, ip: MaybeStr });
const Labels = Type.Record(Str, Str);

export const ContainerSummary = Type.Object({
  id: Str,
  name: Str,
  labels: Labels,
  compose_project: MaybeStr,
  compose_service: MaybeStr,
  image: Str,
  image_id: Str,
  state: Str,
  status: Str,
  ports: Type.Array(PortBinding),
  networks: Type.Array(Str),
  created: Str,
});

export const ContainerView = Type.Composite([
  ContainerSummary,
  Type.Object({
    allowlisted: Type.Boolean({ description: 'its insides may be read: an enabled entry and no opt-out label' }),
    allowlist: Nullable(Type.Object({ enabled: Bool, follow: Bool, source: AllowlistSource })),
    opted_out: Bool,
  }),
]);

export const InventoryContainer = Type.Composite([
  ContainerSummary,
  Type.Object({
    health: MaybeStr,
    restart_count: Int,
    exit_code: MaybeInt,
    oom_killed: Bool,
    started_at: MaybeWhen,
    finished_at: MaybeWhen,
    mounts: Type.Array(Type.Object({ type: Str, destination: Str, volume: MaybeStr })),
  }),
]);

export const ContainerDetails = Type.Composite([
  InventoryContainer,
  Type.Object({
    tty: Bool,
    command: Type.Array(Str),
    env_names: Type.Array(Str, { description: 'variable names only, never values' }),
    restart_policy: MaybeStr,
  }),
]);

export const ContainerTop = Type.Object({ titles: Type.Array(Str), processes: Type.Array(Type.Array(Str)) });

export const ContainerStats = Type.Object({
  read_at: Str,
  cpu_percent: MaybeNum,
  memory_bytes: MaybeNum,
  memory_limit_bytes: MaybeNum,
  pids: MaybeInt,
  network_rx_bytes: Type.Number(),
  network_tx_bytes: Type.Number(),
  block_read_bytes: Type.Number(),
  block_write_bytes: Type.Number(),
});

export const LogLine = Type.Object({
  ts: Type.String({ description: "Docker's timestamp, RFC 3339 with nanoseconds" }),
  stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
  text: Str,
  truncated: Bool,
});
export const LogsView = Type.Object({
  lines: Type.Array(LogLine),
  more: Type.Boolean({ description: 'more lines were in the window than the limit let through' }),
});

export const SnapshotSummary = Type.Object({ id: Int, taken_at: When, docker_host: Str, container_count: Int });
export const SnapshotView = Type.Composite([
  SnapshotSummary,
  Type.Object({ containers: Type.Array(InventoryContainer) }),
]);
export const SnapshotPage = Type.Object({ items: Type.Array(SnapshotSummary), next_before: MaybeInt });

const Ref = Type.Object({ id: Str, name: Str, image: Str });
export const InventoryDiff = Type.Object({
  added: Type.Array(Ref),
  removed: Type.Array(Ref),
  recreated: Type.Array(Type.Object({ name: Str, matched_by: Str, from: Ref, to: Ref, image_changed: Bool })),
  image_changed: Type.Array(
    Type.Object({
      name: Str,
      from_id: Str,
      to_id: Str,
      from_image: Str,
      to_image: Str,
      from_image_id: Str,
      to_image_id: Str,
    }),
  ),
  restarted: Type.Array(
    Type.Object({
      id: Str,
      name: Str,
      from_restart_count: Int,
      to_restart_count: Int,
      from_started_at: MaybeStr,
      to_started_at: MaybeStr,
    }),
  ),
  state_changed: Type.Array(
    Type.Object({
      id: Str,
      name: Str,
      from_state: Str,
      to_state: Str,
      from_health: MaybeStr,
      to_health: MaybeStr,
      exit_code: MaybeInt,
      oom_killed: Bool,
    }),
  ),
  ports_changed: Type.Array(
    Type.Object({ id: Str, name: Str, from: Type.Array(PortBinding), to: Type.Array(PortBinding) }),
  ),
  networks_changed: Type.Array(Type.Object({ id: Str, name: Str, from: Type.Array(Str), to: Type.Array(Str) })),
});

export const DiffView = Type.Object({
  from: SnapshotSummary,
  to: SnapshotSummary,
  counts: Type.Record(Str, Int),
  changes: InventoryDiff,
});

export const TakenSnapshot = Type.Composite([
  SnapshotView,
  Type.Object({
    allowlist: Type.Object({
      followed: Type.Array(Type.Object({ from_container_id: Str, to_container_id: Str, name: Str, reason: Str })),
      opted_in: Type.Array(Str),
    }),
    changes: Nullable(InventoryDiff),
  }),
]);

const TokenSums = Type.Object({
  calls: Int,
  prompt_tokens: Int,
  completion_tokens: Int,
  total_tokens: Int,
  estimated_calls: Int,
  error_calls: Int,
});
export const TokenStatsView = Type.Object({
  group_by: Type.Union([Type.Literal('model'), Type.Literal('task'), Type.Literal('directive'), Type.Literal('day')]),
  since: MaybeWhen,
  until: MaybeWhen,
  groups: Type.Array(
    Type.Composite([
      Type.Object({ key: Type.Union([Str, Type.Null()], { description: 'null: calls outside a run' }) }),
      TokenSums,
    ]),
  ),
  totals: TokenSums,
});

export const LlmCallView = Type.Object({
  id: Int,
  run_id: MaybeInt,
  job_id: MaybeInt,
  endpoint: Str,
  model: Str,
  prompt_tokens: Int,
  completion_tokens: Int,
  total_tokens: Int,
  estimated: Bool,
  duration_ms: Int,
  status: Str,
  error_kind: MaybeStr,
  attempt: Int,
  created_at: When,
});

export const ApiTokenView = Type.Object({
  id: Int,
  name: Str,
  scope: Type.Union([Type.Literal('read'), Type.Literal('operate'), Type.Literal('admin')]),
  prefix: Str,
  created_at: When,
  last_used_at: MaybeWhen,
  revoked_at: MaybeWhen,
});
export const CreatedApiToken = Type.Composite([
  ApiTokenView,
  Type.Object({ token: Type.String({ description: 'the token text: shown in this answer only' }) }),
]);

export const WorkerImageView = Type.Object({
  id: Int,
  image: Str,
  tag: Str,
  requires_gpu: Bool,
  active: Bool,
  description: Str,
  created_at: When,
  updated_at: When,
});

export const TriageWindowView = Type.Object({
  id: Int,
  job_id: Int,
  run_id: Int,
  container: Str,
  container_id: Str,
  since: When,
  until: When,
  lines: Int,
  triaged_lines: Int,
  bytes: Int,
  truncated: Bool,
  templates: Int,
  errors: Int,
  warnings: Int,
  new_templates: Int,
  status: Str,
  error_code: MaybeStr,
  successful: Bool,
});
export const TriageWindowPage = Type.Object({ items: Type.Array(TriageWindowView), next_before: MaybeInt });
export const NextTriageWindow = Type.Object({ container: Str, since: When, after_job_id: Int, after_run_id: Int });

const DependencyStatus = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unreachable'), Type.Literal('not_configured')]),
  endpoint: Type.Optional(Str),
  detail: Type.Optional(Str),
  ms: Type.Optional(Type.Number()),
});
export const HealthView = Type.Object({
  ready: Type.Boolean({ description: 'the database answers and is fully migrated' }),
  reason: Type.Optional(Type.Union([Type.Literal('database_unavailable'), Type.Literal('migrations_pending')])),
  message: Type.Optional(Str),
  database: Type.Optional(Type.Object({ backend: Str, ms: Type.Number() })),
  docker: Type.Optional(DependencyStatus),
  llm: Type.Optional(DependencyStatus),
  auth: Type.Object({ enabled: Bool }),
});

export const SessionView = Type.Object({
  auth_enabled: Bool,
  name: MaybeStr,
  scope: MaybeStr,
  kind: MaybeStr,
  csrf_header: Str,
  csrf_token: MaybeStr,
});
export const ApiIndexView = Type.Object({
  name: Str,
  auth: Type.Object({ enabled: Bool, reason: Type.Optional(Type.Unknown()) }),
  docs: Str,
  openapi: Str,
  resources: Type.Array(Str),
});
