// Container events in a triage window, and which event a pattern's first occurrence followed.
import { describe, expect, test } from 'bun:test';
import type { InventoryContainer } from '../../src/docker/types.ts';
import {
  crashLoopOf,
  lifecycleSince,
  eventBefore,
  eventsFromLifecycle,
  eventsInWindow,
} from '../../src/tasks/log-triage-events.ts';

const since = new Date('2026-11-26T03:00:00Z');
const until = new Date('2026-11-26T04:00:00Z');

function state(over: Partial<InventoryContainer>): InventoryContainer {
  return {
    id: 'c1',
    name: 'web',
    labels: {},
    compose_project: null,
    compose_service: null,
    image: 'img',
    image_id: 'sha256:1',
    state: 'running',
    status: 'Up',
    ports: [],
    networks: [],
    created: '2026-11-20T00:00:00.000Z',
    health: null,
    restart_count: 0,
    exit_code: null,
    oom_killed: false,
    started_at: '2026-11-20T00:00:00.500Z',
    finished_at: null,
    mounts: [],
    ...over,
  };
}

test('a start inside the window after an earlier start is a restart; the first start is not', () => {
  expect(eventsInWindow(state({}), undefined, since, until)).toEqual([]);
  const fresh = state({ created: '2026-11-26T03:10:00.000Z', started_at: '2026-11-26T03:10:00.300Z' });
  expect(eventsInWindow(fresh, undefined, since, until)).toEqual([]);
  const restarted = state({ started_at: '2026-11-26T03:12:00.000Z', restart_count: 2 });
  expect(
    eventsInWindow(restarted, { restart_count: 2, started_at: new Date('2026-11-20T00:00:00.500Z') }, since, until),
  ).toEqual([{ kind: 'restart', at: '2026-11-26T03:12:00.000Z', exit_code: null, restart_count: 2 }]);
  // a start at `until` belongs to the next window
  expect(eventsInWindow(state({ started_at: until.toISOString() }), undefined, since, until)).toEqual([]);
});

test('a stopped container: its exit (or OOM kill) in the window, with the exit code', () => {
  const exited = state({ state: 'exited', exit_code: 137, oom_killed: true, finished_at: '2026-11-26T03:30:00.000Z' });
  expect(eventsInWindow(exited, undefined, since, until)).toEqual([
    { kind: 'oom_kill', at: '2026-11-26T03:30:00.000Z', exit_code: 137, restart_count: 0 },
  ]);
  const failed = state({ state: 'exited', exit_code: 1, finished_at: '2026-11-26T03:31:00.000Z' });
  expect(eventsInWindow(failed, undefined, since, until)[0]).toMatchObject({ kind: 'exit', exit_code: 1 });
});

test('restarts by policy show in the restart count even when the last start is older', () => {
  const s = state({ restart_count: 5, started_at: '2026-11-26T02:00:00.000Z' });
  expect(
    eventsInWindow(s, { restart_count: 3, started_at: new Date('2026-11-26T02:00:00.000Z') }, since, until),
  ).toEqual([{ kind: 'restart', at: '2026-11-26T02:00:00.000Z', exit_code: null, restart_count: 5 }]);
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

describe('events from the daemon', () => {
  const ev = (action: string, at: string, exit_code: number | null = null) => ({ action, at, exit_code });

  test('each death is an exit (an OOM kill after an oom), each start after a death a restart; the first start is not', () => {
    const created = state({ created: '2026-11-26T03:10:00.000Z', restart_count: 2, state: 'running' });
    const { events, restarts } = eventsFromLifecycle(
      [
        ev('create', '2026-11-26T03:10:00.000Z'),
        ev('start', '2026-11-26T03:10:00.300Z'),
        ev('die', '2026-11-26T03:10:01.000Z', 1),
        ev('start', '2026-11-26T03:10:01.200Z'),
        ev('oom', '2026-11-26T03:10:02.000Z'),
        ev('die', '2026-11-26T03:10:02.001Z', 137),
        ev('start', '2026-11-26T03:10:02.500Z'),
      ],
      created,
      since,
    );
    expect(restarts).toBe(2);
    expect(events).toEqual([
      // an exit carries the count as it stood when the container died
      { kind: 'exit', at: '2026-11-26T03:10:01.000Z', exit_code: 1, restart_count: 0 },
      { kind: 'restart', at: '2026-11-26T03:10:01.200Z', exit_code: null, restart_count: 1 },
      { kind: 'oom_kill', at: '2026-11-26T03:10:02.001Z', exit_code: 137, restart_count: 1 },
      { kind: 'restart', at: '2026-11-26T03:10:02.500Z', exit_code: null, restart_count: 2 },
    ]);
  });

  test('a first start in the window of a container created before it is a restart', () => {
    const { restarts } = eventsFromLifecycle([ev('start', '2026-11-26T03:20:00.000Z')], state({}), since);
    expect(restarts).toBe(1);
  });

  test('a young container: its events are read from its creation; only its very first start is not a restart', () => {
    // created 1 s before the window, restarting fast: a death and a quick restart before the window,
    // then a start that opens the window (its death fell in the last one)
    const window = new Date('2026-11-26T03:20:00.000Z');
    const young = state({ created: '2026-11-26T03:19:59.000Z', restart_count: 3, state: 'running' });
    expect(lifecycleSince(young, window).toISOString()).toBe('2026-11-26T03:19:59.000Z');
    const { restarts, events } = eventsFromLifecycle(
      [
        ev('start', '2026-11-26T03:19:59.100Z'),
        ev('die', '2026-11-26T03:19:59.300Z', 1),
        ev('start', '2026-11-26T03:19:59.500Z'),
        ev('die', '2026-11-26T03:19:59.900Z', 1),
        ev('start', '2026-11-26T03:20:00.100Z'),
        ev('die', '2026-11-26T03:20:01.000Z', 1),
        ev('start', '2026-11-26T03:20:01.500Z'),
      ],
      young,
      window,
    );
    expect(restarts).toBe(2); // the two starts inside the window
    expect(events.map((e) => e.kind)).toEqual(['restart', 'exit', 'restart']);
    // an old container's window is read from its own start: any start in it is a restart
    expect(lifecycleSince(state({}), window)).toEqual(window);
  });

  test('a crash loop: 3 restarts in the window, or since creation while still restarting; not an old count after a quiet run', () => {
    const until2 = new Date('2026-11-26T04:00:00Z');
    expect(crashLoopOf(state({ restart_count: 3 }), 3, until2)).toMatchObject({ restarts: { window: 3, total: 3 } });
    expect(crashLoopOf(state({ restart_count: 7, state: 'restarting' }), 0, until2)).toMatchObject({
      restarts: { window: 0, total: 7 },
    });
    expect(crashLoopOf(state({ restart_count: 7, started_at: '2026-11-26T03:58:00.000Z' }), 0, until2)).not.toBeNull();
    expect(crashLoopOf(state({ restart_count: 7, started_at: '2026-11-26T02:00:00.000Z' }), 0, until2)).toBeNull();
    expect(crashLoopOf(state({ restart_count: 1 }), 1, until2)).toBeNull();
  });
});
