// The tasks the product ships. Each lands here once it is real (log_triage, gpu_report, service_map).
import { logTriageTask } from './log-triage.ts';
import { gpuReportTask } from './gpu-report.ts';
import { TaskRegistry } from './registry.ts';
import { serviceMapTask } from './service-map.ts';

export function productTasks(): TaskRegistry {
  return new TaskRegistry().register(logTriageTask());
}
