-- GPU report and service map: the images Cyber-Brain may start as short-lived workers, every start of
-- one, the GPU figures of each run (so a report can show the trend), and what each service map saw
-- (so the next one can say what changed). Never an environment value, never a command's output.

-- The worker-image allowlist: the gateway refuses to start any image that has no active row here.
create table worker_images (
  id bigint generated always as identity primary key,
  image text not null,
  tag text not null,
  -- the image needs an NVIDIA device to do its work (the GPU report's nvidia-smi image does)
  requires_gpu boolean not null default false,
  active boolean not null default true,
  description text not null default '',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- Serves findWorkerImage (the gateway asks it before every start) and upsertWorkerImage's conflict.
  unique (image, tag)
);

-- The default GPU_REPORT_IMAGE (NVIDIA's CUDA base image ships nvidia-smi through the runtime's hook).
insert into worker_images (image, tag, requires_gpu, active, description, created_at, updated_at)
values ('nvidia/cuda', '12.4.1-base-ubuntu22.04', true, true, 'nvidia-smi for the GPU report', now(), now());

-- Every start of a worker container, refused or not. No foreign key to jobs: kept after a run is gone.
create table worker_starts (
  -- Serves insertWorkerStart/finishWorkerStart (by id).
  id bigint generated always as identity primary key,
  job_id bigint,
  image text not null,
  tag text not null,
  -- an NVIDIA device request was part of the start
  device_request boolean not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  exit_code integer,
  duration_ms integer,
  -- null while it runs; 'exited', 'timeout' (killed), 'start_failed' (the daemon refused to create or start it)
  outcome text check (outcome in ('exited', 'timeout', 'start_failed')),
  -- a short reason of our own words, never the container's output
  reason text not null default ''
);

-- Serves listWorkerStartsForJob: a job's starts, oldest first.
create index worker_starts_job_idx on worker_starts (job_id, id);

-- One row per GPU per GPU-report job.
create table gpu_samples (
  id bigint generated always as identity primary key,
  run_id bigint not null,
  job_id bigint not null,
  taken_at timestamptz not null,
  source text not null,
  gpu_index integer,
  gpu_uuid text not null,
  name text,
  utilization_gpu_pct real,
  utilization_memory_pct real,
  memory_total_mib real,
  memory_used_mib real,
  temperature_c real,
  power_draw_w real,
  power_limit_w real
);

-- Serves listGpuTrend: the latest earlier samples of the given GPUs (gpu_uuid = any(...), newest first).
create index gpu_samples_uuid_idx on gpu_samples (gpu_uuid, taken_at desc);

-- One row per service-map job: the keys of its edges and exposures (names and ports only).
create table service_maps (
  -- Serves insertServiceMap.
  id bigint generated always as identity primary key,
  run_id bigint not null,
  job_id bigint not null,
  taken_at timestamptz not null,
  scope text not null check (scope in ('allowlist', 'all')),
  docker_host text not null,
  node_count integer not null,
  edge_count integer not null,
  edge_keys text[] not null,
  exposure_keys text[] not null
);

-- Serves findPreviousServiceMap: the newest earlier map of the same host and scope.
create index service_maps_scope_idx on service_maps (docker_host, scope, id desc);
