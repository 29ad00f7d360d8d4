// Container events in a triage window, and which event a pattern's first occurrence followed.
import { expect, test } from 'bun:test';
import type { InventoryContainer } from '../../src/docker/types.ts';
import { eventBefore, eventsInWindow } from '../../src/tasks/log-triage-events.ts';

const since = new Date('2026-11-26T03:00:00Z');
const until = new Date('2026-11-26T04:00:00Z');

function state(over: Partial<InventoryContainer>): InventoryContainer {
  return {
    id: 'c1', name: 'web', labels: {}, compose_project: null, compose_service: null, image: 'img', image_id: 'sha256:1', state: 'running',
    status: 'Up', ports: [], networks: [], created: '2026-11-20T00:00:00.000Z', health: null, restart_count: 0, exit_code: null,
    oom_killed: false, started_at: '2026-11-20T00:00:00.500Z', finished_at: null, mounts: [], ...over,
  };
}

test('a start inside the window after an earlier start is a restart; the first start is not', () => {
  expect(eventsInWindow(state({}), undefined, since, until)).toEqual([]);
  const fresh = state({ created: '2026-11-26T03:10:00.000Z', started_at: '2026-11-26T03:10:00.300Z' });
  expect(eventsInWindow(fresh, undefined, since, until)).toEqual([]);
  const restarted = state({ started_at: '2026-11-26T03:12:00.000Z', restart_count: 2 });
  expect(eventsInWindow(restarted, { restart_count: 2, started_at: new Date('2026-11-20T00:00:00.500Z') }, since, until)).toEqual([
    { kind: 'restart', at: '2026-11-26T03:12:00.000Z', exit_code: null, restart_count: 2 },
  ]);
  // a start at `until` belongs to the next window
  expect(eventsInWindow(state({ started_at: until.toISOString() }), undefined, since, until)).toEqual([]);
});

test('a stopped container: its exit (or OOM kill) in the window, with the exit code', () => {
  const exited = state({ state: 'exited', exit_code: 137, oom_killed: true, finished_at: '2026-11-26T03:30:00.000Z' });
  expect(eventsInWindow(exited, undefined, since, until)).toEqual([{ kind: 'oom_kill', at: '2026-11-26T03:30:00.000Z', exit_code: 137, restart_count: 0 }]);
  const failed = state({ state: 'exited', exit_code: 1, finished_at: '2026-11-26T03:31:00.000Z' });
  expect(eventsInWindow(failed, undefined, since, until)[0]).toMatchObject({ kind: 'exit', exit_code: 1 });
});

test('restarts by policy show in the restart count even when the last start is older', () => {
  const s = state({ restart_count: 5, started_at: '2026-11-26T02:00:00.000Z' });
  expect(eventsInWindow(s, { restart_count: 3, started_at: new Date('2026-11-26T02:00:00.000Z') }, since, until)).toEqual([
    { kind: 'restart', at: '2026-11-26T02:00:00.000Z', exit_code: null, restart_count: 5 },
  ]);
});

test('a pattern first seen shortly after an event follows it; long after or before, it does not', () => {
  const events = [
    { kind: 'restart' as const, at: '2026-11-26T03:12:00.000Z', exit_code: null, restart_count: 1 },
    { kind: 'restart' as const, at: '2026-11-26T03:40:00.000Z', exit_code: null, restart_count: 2 },
  ];
  expect(eventBefore('2026-11-26T03:12:00.000123456Z', events)?.at).toBe('2026-11-26T03:12:00.000Z');
  expect(eventBefore('2026-11-26T03:20:00.5Z', events)?.at).toBe('2026-11-26T03:12:00.000Z');
  expect(eventBefore('2026-11-26T03:41:00Z', events)?.at).toBe('2026-11-26T03:40:00.000Z');
  expect(eventBefore('2026-11-26T03:11:59.999Z', events)).toBeUndefined();
  expect(eventBefore('2026-11-26T03:30:00Z', events)).toBeUndefined();
  expect(eventBefore(undefined, events)).toBeUndefined();
});
