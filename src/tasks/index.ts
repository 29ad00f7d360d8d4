// The tasks the product ships. Each lands here once it is real (log_triage, gpu_report, service_map).
import { gpuReportTask } from './gpu-report.ts';
import { logTriageTask } from './log-triage.ts';
import type { Config } from '../config.ts';
import { applianceSecrets } from '../redact/index.ts';
import { TaskRegistry } from './registry.ts';
import { serviceMapTask } from './service-map.ts';

export function productTasks(config: Config): TaskRegistry {
  return new TaskRegistry()
    .register(logTriageTask(undefined, applianceSecrets(config)))
    .register(gpuReportTask(config.gpu))
    .register(serviceMapTask);
}
