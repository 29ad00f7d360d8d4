// OpenAI-compatible servers are configured with or without the /v1 suffix; normalise once here.

/** URL of an API path such as "chat/completions" under the configured base. */
export function apiUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const withVersion = /\/v\d+$/.test(base) ? base : `${base}/v1`;
  return `${withVersion}/${path.replace(/^\/+/, '')}`;
}

/** scheme://host:port only: what may be stored or shown about the model server. */
export function endpointOrigin(baseUrl: string): string {
  const u = new URL(baseUrl);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${u.hostname}:${port}`;
}
