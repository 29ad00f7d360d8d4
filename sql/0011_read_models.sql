-- Read models of task results: the GPU trend is read from gpu_samples by job (the newest successful
-- GPU-report jobs), not by re-reading report files.

-- Serves listRecentGpuSamples: the samples of the newest jobs, newest job first.
create index gpu_samples_job_idx on gpu_samples (job_id desc);
