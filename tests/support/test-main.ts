// The real process entry with the test tasks registered (for restart and SIGKILL tests).
import { runCli } from '../../src/main.ts';
import { testTasks } from './test-tasks.ts';

runCli(process.argv.slice(2), { tasks: () => testTasks() });
