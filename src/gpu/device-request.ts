// Whether a worker start carries an NVIDIA device request. Asking for one on a daemon without the
// NVIDIA runtime fails the start, so "auto" asks only when the image needs a GPU AND the runtime is there.
import type { GpuRuntimeInfo } from '../docker/worker-types.ts';

export type DeviceRequestMode = 'auto' | 'always' | 'never';

export function shouldRequestGpu(
  mode: DeviceRequestMode,
  imageRequiresGpu: boolean,
  runtime: GpuRuntimeInfo,
): { request: boolean; why: string } {
  if (mode === 'always') return { request: true, why: 'device_request=always' };
  if (mode === 'never') return { request: false, why: 'device_request=never' };
  if (!imageRequiresGpu) return { request: false, why: 'the worker image does not require a GPU' };
  if (!runtime.nvidia) return { request: false, why: 'the Docker daemon has no NVIDIA runtime' };
  return { request: true, why: 'the image requires a GPU and the daemon has the NVIDIA runtime' };
}
