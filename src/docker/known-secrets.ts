// The known values redacted verbatim in log text read from containers: the env values of those
// containers (read through the gateway, held in the caller's memory for one run or one request) and
// the appliance's own secrets, less the values that are structure (names the inventory knows, images,
// numbers, paths, plain URLs).
import type { DockerGateway } from './gateway.ts';
import { knownValueMatcher, secretValuesOf, type KnownValues } from '../redact/index.ts';
import { secretPartsOf } from '../redact/secret-values.ts';

/** Names and images the host's inventory knows: a value equal to one of them is structure. */
async function structureNames(docker: DockerGateway, aliases: boolean): Promise<Set<string>> {
  const names = new Set<string>();
  const add = (v: string | null | undefined) => {
    if (v) names.add(v).add(v.toLowerCase());
  };
  for (const c of await docker.listContainers()) {
    add(c.name);
    add(c.image);
    add(c.compose_project);
    add(c.compose_service);
  }
  for (const n of await docker.networks()) add(n.name);
  if (aliases)
    for (const w of await docker.wiring())
      for (const aliases of Object.values(w.aliases)) for (const a of aliases) add(a);
  return names;
}

/**
 * The matcher for the given containers. A container that cannot be inspected adds nothing (its log
 * cannot be read either). `aliases`: also read every container's network aliases (a run does; a
 * single log read skips that inspect of every container).
 */
export async function knownSecretsFor(
  docker: DockerGateway,
  containerIds: readonly string[],
  applianceSecrets: readonly string[],
  options: { aliases?: boolean } = {},
): Promise<KnownValues> {
  const structure = await structureNames(docker, options.aliases ?? true);
  const values: string[] = applianceSecrets.flatMap((s) => secretPartsOf(s, structure));
  for (const id of containerIds) {
    try {
      values.push(...secretValuesOf(await docker.envForRedaction(id), structure));
    } catch {
      // refused or gone: its lines are not read in this run
    }
  }
  return knownValueMatcher(values);
}
