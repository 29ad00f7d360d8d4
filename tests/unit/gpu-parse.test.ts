// nvidia-smi CSV parsing on recorded-format outputs (see tests/fixtures/nvidia-smi/README.md).
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseComputeAppsCsv } from '../../src/gpu/parse-apps.ts';
import { parseGpuCsv } from '../../src/gpu/parse-gpus.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dir, '../fixtures/nvidia-smi', name), 'utf8');

describe('query-gpu', () => {
  test('GeForce RTX 3090: every field', () => {
    const r = parseGpuCsv(fixture('rtx3090-gpus.csv'));
    expect(r.none_reason).toBeNull();
    expect(r.gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-5c5e0b2e-7f5d-4a1b-9c6e-3d2f1a0b9e87',
        name: 'NVIDIA GeForce RTX 3090',
        utilization_gpu_pct: 87,
        utilization_memory_pct: 41,
        memory_total_mib: 24576,
        memory_used_mib: 22845,
        temperature_c: 86,
        power_draw_w: 331.27,
        power_limit_w: 350,
      },
    ]);
  });

  test('A100 in MIG mode: [N/A] utilisation is null, the rest is read', () => {
    const { gpus } = parseGpuCsv(fixture('a100-mig-gpus.csv'));
    expect(gpus).toHaveLength(2);
    expect(gpus[0]).toMatchObject({
      index: 0,
      name: 'NVIDIA A100 80GB PCIe',
      utilization_gpu_pct: null,
      utilization_memory_pct: null,
      memory_total_mib: 81920,
      memory_used_mib: 20480,
    });
    expect(gpus[1]).toMatchObject({ index: 1, utilization_gpu_pct: 12, power_draw_w: 61.8 });
  });

  test('[Not Supported] fields on an old GeForce next to a Tesla T4', () => {
    const { gpus } = parseGpuCsv(fixture('t4-gtx1080-gpus.csv'));
    expect(gpus.map((g) => g.name)).toEqual(['Tesla T4', 'NVIDIA GeForce GTX 1080']);
    expect(gpus[1]).toMatchObject({
      utilization_gpu_pct: 5,
      utilization_memory_pct: null,
      power_draw_w: null,
      power_limit_w: null,
      temperature_c: 52,
    });
  });

  test('an old driver: units still printed, power columns missing', () => {
    const { gpus } = parseGpuCsv(fixture('old-driver-gpus.csv'));
    expect(gpus[0]).toMatchObject({
      name: 'Quadro P2000',
      utilization_gpu_pct: 23,
      memory_total_mib: 5120,
      memory_used_mib: 1800,
      temperature_c: 55,
      power_draw_w: null,
      power_limit_w: null,
    });
  });

  test('no GPU, no driver, empty output', () => {
    expect(parseGpuCsv(fixture('no-gpu.txt'))).toEqual({
      gpus: [],
      none_reason: 'no GPU devices were found',
      skipped_lines: 0,
    });
    expect(parseGpuCsv(fixture('no-driver.txt')).none_reason).toContain('driver');
    expect(parseGpuCsv('').gpus).toEqual([]);
    expect(parseGpuCsv('').none_reason).not.toBeNull();
  });

  test('a model name with a comma, CRLF line ends and garbage lines', () => {
    const r = parseGpuCsv('0, GPU-aa, Board, Rev 2, 1, 2, 100, 50, 40, 10.5, 20\r\nwhat is this\r\n');
    expect(r.gpus[0]).toMatchObject({ name: 'Board, Rev 2', utilization_gpu_pct: 1, power_limit_w: 20 });
    expect(r.skipped_lines).toBe(1);
  });
});

describe('query-compute-apps', () => {
  test('two processes on an RTX 3090', () => {
    const { apps } = parseComputeAppsCsv(fixture('rtx3090-apps.csv'));
    expect(apps).toEqual([
      {
        gpu_uuid: 'GPU-5c5e0b2e-7f5d-4a1b-9c6e-3d2f1a0b9e87',
        pid: 41873,
        process_name: '/usr/bin/python3',
        used_memory_mib: 18432,
        mig: false,
      },
      {
        gpu_uuid: 'GPU-5c5e0b2e-7f5d-4a1b-9c6e-3d2f1a0b9e87',
        pid: 52210,
        process_name: '/app/llama-server',
        used_memory_mib: 4096,
        mig: false,
      },
    ]);
  });

  test('MIG: [N/A] memory is null; MIG device uuids are marked', () => {
    const { apps } = parseComputeAppsCsv(fixture('a100-mig-apps.csv'));
    expect(apps.map((a) => a.used_memory_mib)).toEqual([null, null, 1008]);
    const mig = parseComputeAppsCsv('MIG-11111111-2222-3333-4444-555555555555, 77, python, [N/A]\n');
    expect(mig.apps[0]).toMatchObject({ mig: true, pid: 77, used_memory_mib: null });
  });

  test('no processes, a prose line, a missing memory column, a name with a comma', () => {
    expect(parseComputeAppsCsv(fixture('no-apps.csv')).apps).toEqual([]);
    expect(parseComputeAppsCsv('No running processes found\n')).toEqual({ apps: [], skipped_lines: 0 });
    expect(parseComputeAppsCsv('GPU-a, 12, python\n').apps[0]).toMatchObject({
      pid: 12,
      process_name: 'python',
      used_memory_mib: null,
    });
    expect(parseComputeAppsCsv('GPU-a, 12, a,b, 30\n').apps[0]).toMatchObject({
      process_name: 'a, b',
      used_memory_mib: 30,
    });
  });
});
