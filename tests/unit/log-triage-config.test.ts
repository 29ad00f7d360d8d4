// LOG_TRIAGE_LOOKBACK and LOG_TRIAGE_MAX_LINES: validated at start, and the task's option defaults.
import { expect, test } from 'bun:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { logTriageTask } from '../../src/tasks/log-triage.ts';
import { TaskRegistry } from '../../src/tasks/registry.ts';

test('defaults: 24 hours back, 200000 lines; durations in minutes, hours or days', () => {
  expect(loadConfig({}).logTriage).toEqual({ lookbackMinutes: 1440, maxLines: 200_000 });
  expect(loadConfig({ LOG_TRIAGE_LOOKBACK: '90m' }).logTriage.lookbackMinutes).toBe(90);
  expect(loadConfig({ LOG_TRIAGE_LOOKBACK: '7d', LOG_TRIAGE_MAX_LINES: '5000' }).logTriage).toEqual({
    lookbackMinutes: 7 * 1440,
    maxLines: 5000,
  });
});

test('bad values stop the start with one line naming the variable', () => {
  for (const [name, value] of [
    ['LOG_TRIAGE_LOOKBACK', '24'],
    ['LOG_TRIAGE_LOOKBACK', '0h'],
    ['LOG_TRIAGE_LOOKBACK', '91d'],
    ['LOG_TRIAGE_MAX_LINES', '0'],
  ] as const) {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name}=`));
  }
});

test('the variables are the defaults of the task options; a launch may override them', () => {
  const tasks = new TaskRegistry().register(
    logTriageTask(loadConfig({ LOG_TRIAGE_LOOKBACK: '2h', LOG_TRIAGE_MAX_LINES: '300' }).logTriage),
  );
  expect(tasks.resolveOptions('log_triage', {})).toEqual({
    ok: true,
    value: { lookback_minutes: 120, max_lines: 300 },
  });
  expect(tasks.resolveOptions('log_triage', { max_lines: 10, containers: ['web'] })).toEqual({
    ok: true,
    value: { lookback_minutes: 120, max_lines: 10, containers: ['web'] },
  });
  expect(tasks.resolveOptions('log_triage', { unknown: true }).ok).toBe(false);
});
