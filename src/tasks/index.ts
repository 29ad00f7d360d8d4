// The tasks the product ships. Each lands here once it is real (log_triage, gpu_report, service_map).
import { logTriageTask } from './log-triage.ts';
import { TaskRegistry } from './registry.ts';

export function productTasks(): TaskRegistry {
  return new TaskRegistry().register(logTriageTask());
}
