// How containers are wired together, as metadata (given for every container): networks, links,
// aliases, declared port publications. And env references: only the FACT that a variable names another
// container, never the value.
import type { PortBinding } from './types.ts';

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  internal: boolean;
  scope: string;
  labels: Record<string, string>;
}

export interface ContainerWiring {
  id: string;
  name: string;
  /** Per network: the aliases the container answers to there (its own name and id excluded). */
  aliases: Record<string, string[]>;
  /** Legacy links as "target:alias" (from HostConfig on the default bridge, and per network). */
  links: { target: string; alias: string }[];
  /** What the container asked to publish (HostConfig.PortBindings), running or not. */
  declared_ports: PortBinding[];
}

export interface EnvReference {
  /** The variable's NAME. */
  variable: string;
  /** The candidate name the value mentioned (a container name, alias or compose service). */
  target: string;
}
