// The appliance's own secrets, from its configuration: they must not come back out in a report even
// if a container prints them (a sidecar that logs its environment, a proxy that logs headers).
import type { Config } from '../config.ts';
import { secretPartsOf } from './secret-values.ts';

type SecretConfig = Pick<Config, 'token' | 'databaseUrl'> & { llm: Pick<Config['llm'], 'apiKey'> };

/** CYBER_BRAIN_TOKEN, the database password and the model key: the ones long enough to match safely. */
export function applianceSecrets(config: SecretConfig, structure: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  if (config.token) out.push(...secretPartsOf(config.token, structure));
  if (config.llm.apiKey) out.push(...secretPartsOf(config.llm.apiKey, structure));
  if (config.databaseUrl) {
    try {
      const password = decodeURIComponent(new URL(config.databaseUrl).password);
      if (password) out.push(...secretPartsOf(password, structure));
    } catch {
      // an unparsable URL was refused at start already
    }
  }
  return out;
}
