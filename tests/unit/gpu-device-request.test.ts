// The device-request decision: both branches of "auto", and the explicit modes.
import { describe, expect, test } from 'bun:test';
import { shouldRequestGpu } from '../../src/gpu/device-request.ts';
import { attributeApps, pidsFromTop } from '../../src/gpu/attribution.ts';
import { findHotspots } from '../../src/gpu/hotspots.ts';
import { parseGpuCsv } from '../../src/gpu/parse-gpus.ts';

const withNvidia = { runtimes: ['nvidia', 'runc'], nvidia: true };
const plain = { runtimes: ['runc'], nvidia: false };

describe('device request', () => {
  test('auto asks for the GPU only when the image needs one and the daemon has the NVIDIA runtime', () => {
    expect(shouldRequestGpu('auto', true, withNvidia).request).toBe(true);
    expect(shouldRequestGpu('auto', true, plain)).toEqual({
      request: false,
      why: 'the Docker daemon has no NVIDIA runtime',
    });
    expect(shouldRequestGpu('auto', false, withNvidia).request).toBe(false);
  });
  test('always and never override the daemon', () => {
    expect(shouldRequestGpu('always', false, plain).request).toBe(true);
    expect(shouldRequestGpu('never', true, withNvidia).request).toBe(false);
  });
});

describe('attribution and hotspots', () => {
  test('PIDs from top map apps to containers; the rest is unattributed', () => {
    const pids = pidsFromTop({
      titles: ['UID', 'PID', 'PPID', 'CMD'],
      processes: [
        ['root', '101', '1', 'python'],
        ['root', '102', '101', 'sh'],
      ],
    });
    expect(pids).toEqual([101, 102]);
    const a = attributeApps(
      [
        { gpu_uuid: 'GPU-a', pid: 101, process_name: 'python', used_memory_mib: 1000, mig: false },
        { gpu_uuid: 'GPU-a', pid: 102, process_name: 'sh', used_memory_mib: null, mig: false },
        { gpu_uuid: 'GPU-b', pid: 7, process_name: 'Xorg', used_memory_mib: 20, mig: false },
      ],
      [{ id: 'c1', name: 'llm', pids }],
    );
    expect(a.containers).toEqual([
      {
        container: 'llm',
        container_id: 'c1',
        vram_mib: 1000,
        gpus: ['GPU-a'],
        processes: [expect.objectContaining({ pid: 101 }), expect.objectContaining({ pid: 102 })],
      },
    ]);
    expect(a.unattributed).toEqual({
      vram_mib: 20,
      processes: [{ pid: 7, process_name: 'Xorg', gpu_uuid: 'GPU-b', used_memory_mib: 20 }],
    });
  });
  test('configurable thresholds', () => {
    const { gpus } = parseGpuCsv('0, GPU-a, X, 80, 1, 1000, 900, 85, 1, 2\n');
    expect(findHotspots(gpus, { utilization_pct: 80, memory_pct: 90, temperature_c: 85 }).map((h) => h.metric)).toEqual(
      ['utilization', 'memory', 'temperature'],
    );
    expect(findHotspots(gpus, { utilization_pct: 81, memory_pct: 91, temperature_c: 86 })).toEqual([]);
  });
});
