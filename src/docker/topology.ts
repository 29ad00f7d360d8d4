// Projects Docker's network list and container inspect onto wiring metadata (no environment values).
import type Docker from 'dockerode';
import type { ContainerWiring, NetworkSummary } from './topology-types.ts';
import type { PortBinding } from './types.ts';

export function networkFromList(n: Docker.NetworkInspectInfo): NetworkSummary {
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    internal: n.Internal === true,
    scope: n.Scope,
    labels: n.Labels ?? {},
  };
}

type Endpoint = { Aliases?: string[] | null; Links?: string[] | null };
type PortMap = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>;

/** "/db:/api/database" (default bridge) or "db:database" (user network) -> {target, alias}. */
function parseLink(link: string): { target: string; alias: string } | null {
  const [left, right] = link.split(':');
  if (!left || !right) return null;
  const target = left.replace(/^\//, '');
  const alias = right.split('/').pop() ?? right;
  return { target, alias };
}

export function wiringFromInspect(c: Docker.ContainerInspectInfo): ContainerWiring {
  const name = c.Name.replace(/^\//, '');
  const aliases: Record<string, string[]> = {};
  const links = new Map<string, { target: string; alias: string }>();
  for (const l of c.HostConfig?.Links ?? []) {
    const p = parseLink(l);
    if (p) links.set(`${p.target}:${p.alias}`, p);
  }
  for (const [net, ep] of Object.entries((c.NetworkSettings?.Networks ?? {}) as Record<string, Endpoint>)) {
    aliases[net] = [...new Set((ep.Aliases ?? []).filter((a) => a !== name && !c.Id.startsWith(a)))].sort();
    for (const l of ep.Links ?? []) {
      const p = parseLink(l);
      if (p) links.set(`${p.target}:${p.alias}`, p);
    }
  }
  const declared: PortBinding[] = [];
  for (const [key, bindings] of Object.entries((c.HostConfig?.PortBindings ?? {}) as PortMap)) {
    const [port, type = 'tcp'] = key.split('/');
    for (const b of bindings ?? []) {
      declared.push({
        private_port: Number(port),
        type,
        public_port: b.HostPort ? Number(b.HostPort) : null,
        ip: b.HostIp ?? '',
      });
    }
  }
  declared.sort(
    (a, b) =>
      a.private_port - b.private_port ||
      (a.public_port ?? 0) - (b.public_port ?? 0) ||
      (a.ip ?? '').localeCompare(b.ip ?? ''),
  );
  return {
    id: c.Id,
    name,
    aliases,
    links: [...links.values()].sort((a, b) => a.target.localeCompare(b.target) || a.alias.localeCompare(b.alias)),
    declared_ports: declared,
  };
}
