import { describe, expect, test } from 'bun:test';
import type { InventoryContainer } from '../../src/docker/types.ts';
import { diffCounts, diffInventories } from '../../src/inventory/diff.ts';

function c(id: string, name: string, extra: Partial<InventoryContainer> = {}): InventoryContainer {
  return {
    id,
    name,
    labels: {},
    compose_project: null,
    compose_service: null,
    image: 'app:1',
    image_id: 'sha256:aaa',
    state: 'running',
    status: 'Up',
    ports: [],
    networks: ['bridge'],
    created: '2026-01-01T00:00:00.000Z',
    health: null,
    restart_count: 0,
    exit_code: null,
    oom_killed: false,
    started_at: '2026-01-01T00:00:01.000Z',
    finished_at: null,
    mounts: [],
    ...extra,
  };
}

describe('inventory diff', () => {
  test('no change, no entries', () => {
    const a = [c('1', 'web'), c('2', 'db')];
    expect(Object.values(diffCounts(diffInventories(a, structuredClone(a)))).every((n) => n === 0)).toBe(true);
  });

  test('added and removed', () => {
    const d = diffInventories([c('1', 'web'), c('2', 'old')], [c('1', 'web'), c('3', 'new')]);
    expect(d.added).toEqual([{ id: '3', name: 'new', image: 'app:1' }]);
    expect(d.removed).toEqual([{ id: '2', name: 'old', image: 'app:1' }]);
    expect(d.recreated).toEqual([]);
  });

  test('a restart: restart count up, or a new start time with the same id', () => {
    const d = diffInventories(
      [c('1', 'a'), c('2', 'b')],
      [c('1', 'a', { restart_count: 3 }), c('2', 'b', { started_at: '2026-01-01T01:00:00.000Z' })],
    );
    expect(d.restarted.map((r) => [r.id, r.from_restart_count, r.to_restart_count])).toEqual([
      ['1', 0, 3],
      ['2', 0, 0],
    ]);
  });

  test('recreated under the same name with another image: not added/removed, image change reported', () => {
    const d = diffInventories([c('1', 'web')], [c('9', 'web', { image: 'app:2', image_id: 'sha256:bbb' })]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.recreated).toEqual([
      {
        name: 'web',
        matched_by: 'name',
        from: { id: '1', name: 'web', image: 'app:1' },
        to: { id: '9', name: 'web', image: 'app:2' },
        image_changed: true,
      },
    ]);
    expect(d.image_changed[0]).toMatchObject({
      from_image: 'app:1',
      to_image: 'app:2',
      from_image_id: 'sha256:aaa',
      to_image_id: 'sha256:bbb',
    });
    expect(d.restarted).toEqual([]); // a new container is not a restart
  });

  test('recreated as the same compose service under a new name', () => {
    const svc = { compose_project: 'media', compose_service: 'sonarr' };
    const d = diffInventories([c('1', 'media-sonarr-1', svc)], [c('2', 'media-sonarr-2', svc)]);
    expect(d.recreated.map((r) => [r.matched_by, r.from.id, r.to.id, r.image_changed])).toEqual([
      ['compose_service', '1', '2', false],
    ]);
  });

  test('state, health, ports and networks changes', () => {
    const d = diffInventories(
      [c('1', 'a'), c('2', 'b')],
      [
        c('1', 'a', { state: 'exited', exit_code: 137, oom_killed: true }),
        c('2', 'b', {
          health: 'unhealthy',
          ports: [{ private_port: 80, type: 'tcp', public_port: 8080, ip: '0.0.0.0' }],
          networks: ['bridge', 'media'],
        }),
      ],
    );
    expect(
      d.state_changed.map((s) => [s.id, s.from_state, s.to_state, s.to_health, s.exit_code, s.oom_killed]),
    ).toEqual([
      ['1', 'running', 'exited', null, 137, true],
      ['2', 'running', 'running', 'unhealthy', null, false],
    ]);
    expect(d.ports_changed.map((p) => p.id)).toEqual(['2']);
    expect(d.networks_changed).toEqual([{ id: '2', name: 'b', from: ['bridge'], to: ['bridge', 'media'] }]);
  });
});
