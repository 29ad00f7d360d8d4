// The tasks the product ships. Each lands here once it is real (log_triage, gpu_report, service_map).
import { TaskRegistry } from './registry.ts';

export function productTasks(): TaskRegistry {
  return new TaskRegistry();
}
