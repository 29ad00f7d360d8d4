// The event follower's reading of Docker events, without a daemon: parsing, the bounded history, what
// is announced (exits, OOM kills, crash loops, unhealthy) and what is not (stops, kills, repeats).
import { describe, expect, test } from 'bun:test';
import { manualClock } from '../../src/clock.ts';
import type { DockerGateway } from '../../src/docker/gateway.ts';
import { EventLineSplitter, parseHostEvent, type DockerHostEvent } from '../../src/docker/host-events.ts';
import { silentLogger } from '../../src/log.ts';
import { ContainerWatch } from '../../src/service/container-watch.ts';
import type { WatchSignal } from '../../src/service/notify-signals.ts';

const BASE = 1_780_000_000_000_000_000n;
let seq = 0;
function ev(
  action: string,
  attrs: Record<string, string> = {},
  id = 'c1',
  name = 'web',
  atSeconds = seq++,
): DockerHostEvent {
  const line = `{"Type":"container","Action":"${action}","Actor":{"ID":"${id}","Attributes":${JSON.stringify({ name, 'com.docker.compose.project': 'lab', ...attrs })}},"time":1,"timeNano":${BASE + BigInt(atSeconds) * 1_000_000_000n}}`;
  return parseHostEvent(line)!;
}

function watch(options = {}) {
  const signals: WatchSignal[] = [];
  const w = new ContainerWatch(
    {
      docker: {} as DockerGateway,
      clock: manualClock(),
      logger: silentLogger,
      onSignal: async (s) => void signals.push(s),
    },
    options,
  );
  return { w, signals };
}

describe('parseHostEvent', () => {
  test('keeps metadata, the exact nanosecond time and the labels; drops exec noise and other types', () => {
    const e = parseHostEvent(
      `{"Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":{"name":"db","exitCode":"137","image":"pg","com.docker.compose.project":"lab","tier":"data"}},"time":1780000000,"timeNano":1780000000123456789}`,
    );
    expect(e).toEqual({
      container_id: 'abc',
      name: 'db',
      compose_project: 'lab',
      action: 'die',
      time_nano: '1780000000123456789',
      at: '2026-05-28T20:26:40.123Z',
      exit_code: 137,
      signal: null,
      labels: { 'com.docker.compose.project': 'lab', tier: 'data' },
    });
    expect(parseHostEvent('{"Type":"container","Action":"exec_start: sh","Actor":{"ID":"a"}}')).toBeNull();
    expect(parseHostEvent('{"Type":"network","Action":"connect","Actor":{"ID":"a"}}')).toBeNull();
    expect(parseHostEvent('not json')).toBeNull();
  });
  test('lines are split across chunk borders', () => {
    const got: string[] = [];
    const s = new EventLineSplitter((l) => got.push(l));
    s.push('{"a":1}\n{"b"');
    s.push(':2}\n');
    expect(got).toEqual(['{"a":1}', '{"b":2}']);
  });
});

describe('ContainerWatch', () => {
  test('a non-zero exit is announced; a zero exit, a stop and a kill are not', () => {
    const { w, signals } = watch();
    w.feed(ev('start'));
    w.feed(ev('die', { exitCode: '0' }));
    w.feed(ev('kill', { signal: '15' }));
    w.feed(ev('die', { exitCode: '143' }));
    w.feed(ev('die', { exitCode: '3' }, 'c2', 'api'));
    expect(signals.map((s) => `${s.event} ${s.container?.name}`)).toEqual(['container_died api']);
    expect(signals[0]!.container).toMatchObject({ compose_project: 'lab' });
  });
  test('an OOM kill is announced once, not again as an exit', () => {
    const { w, signals } = watch();
    w.feed(ev('oom'));
    w.feed(ev('die', { exitCode: '137' }));
    expect(signals.map((s) => s.event)).toEqual(['oom_killed']);
  });
  test('three exits in the window are a crash loop with a stable incident key', () => {
    const { w, signals } = watch({ crashLoopExits: 3 });
    for (let i = 0; i < 4; i++) {
      w.feed(ev('start'));
      w.feed(ev('die', { exitCode: '1' }));
    }
    expect(signals.map((s) => `${s.event}:${s.count}`)).toEqual([
      'container_died:1',
      'container_died:1',
      'crash_loop:3',
      'crash_loop:4',
    ]);
    expect(signals[2]!.incident_key).toBe('crash_loop:web');
  });
  test('unhealthy once per episode', () => {
    const { w, signals } = watch();
    w.feed(ev('health_status: unhealthy'));
    w.feed(ev('health_status: unhealthy'));
    w.feed(ev('health_status: healthy'));
    w.feed(ev('health_status: unhealthy'));
    expect(signals.map((s) => s.event)).toEqual(['unhealthy', 'unhealthy']);
  });
  test('history is bounded per container and in containers; an event seen twice across a reconnect counts once', () => {
    const { w, signals } = watch({ historySize: 5, maxContainers: 3 });
    for (let i = 0; i < 12; i++) w.feed(ev('start'));
    expect(w.history('web')).toHaveLength(5);
    for (const c of ['a', 'b', 'c', 'd']) w.feed(ev('start', {}, c, c));
    expect(w.containersTracked).toBe(3);
    expect(w.history('web')).toEqual([]);
    const e = ev('die', { exitCode: '9' }, 'z', 'zed');
    w.feed(e);
    w.feed(e);
    expect(signals.filter((s) => s.container?.name === 'zed')).toHaveLength(1);
  });
});
