import type { DependencyStatus, Probe } from '../health.ts';
import { apiUrl, endpointOrigin } from './endpoint.ts';

/** Health probe: asks the model server for its model list; no content is sent. */
export function llmProbe(baseUrl: string | undefined, apiKey: string | undefined, timeoutMs = 2000): Probe {
  return async (): Promise<DependencyStatus> => {
    if (!baseUrl)
      return { status: 'not_configured', detail: 'LLM_BASE_URL is not set; reports are produced without explanations' };
    const endpoint = endpointOrigin(baseUrl);
    const started = performance.now();
    try {
      const res = await fetch(apiUrl(baseUrl, 'models'), {
        headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body?.cancel();
      const ms = Math.round(performance.now() - started);
      return res.ok
        ? { status: 'ok', endpoint, ms }
        : { status: 'unreachable', endpoint, detail: `HTTP ${res.status}`, ms };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return { status: 'unreachable', endpoint, detail: e.code ?? e.name };
    }
  };
}
