/** Local Kafka clusters: mirrors `src-tauri/src/commands/local.rs`. */
import { command } from './invoke';
import type { JavaFound } from './generated/JavaFound';
import type { KafkaFound } from './generated/KafkaFound';
import type { LocalCluster } from './generated/LocalCluster';
import type { LocalClusterInput } from './generated/LocalClusterInput';
import type { LocalClusterState } from './generated/LocalClusterState';
import type { LocalNode } from './generated/LocalNode';
import type { LocalSetup } from './generated/LocalSetup';

export type { JavaFound, KafkaFound, LocalCluster, LocalClusterInput, LocalClusterState, LocalNode, LocalSetup };

export function fetchLocalSetup(): Promise<LocalSetup> {
  return command<LocalSetup>('local_setup');
}

/** Remembers the chosen Java / Kafka folder; `null` goes back to finding them automatically. */
export function chooseLocalInstall(java: string | null, kafkaDir: string | null): Promise<LocalSetup> {
  return command<LocalSetup>('local_choose_install', { java, kafkaDir });
}

export function listLocalClusters(): Promise<LocalCluster[]> {
  return command<LocalCluster[]>('local_list');
}

/** Saves a new local cluster and a connection for it; it is not started yet. */
export function createLocalCluster(input: LocalClusterInput): Promise<LocalCluster> {
  return command<LocalCluster>('local_create', { input });
}

/** Resolves once every broker answers (tens of seconds on a slow machine). */
export function startLocalCluster(id: string): Promise<LocalCluster> {
  return command<LocalCluster>('local_start', { id });
}

export function stopLocalCluster(id: string): Promise<LocalCluster> {
  return command<LocalCluster>('local_stop', { id });
}

/** Stops it, removes its data and logs and its saved connection. */
export function deleteLocalCluster(id: string): Promise<void> {
  return command<void>('local_delete', { id });
}

export function fetchLocalLog(id: string, node: number, lines = 400): Promise<string> {
  return command<string>('local_log', { id, node, lines });
}

/** The input for a new cluster of `nodes` nodes on the suggested ports. */
export function suggestedInput(setup: LocalSetup, name: string, nodes: 1 | 3): LocalClusterInput {
  return {
    name,
    nodes,
    brokerPorts: setup.suggestedBrokerPorts.slice(0, nodes),
    controllerPorts: setup.suggestedControllerPorts.slice(0, nodes),
  };
}

/** `base`, or `base 2`, `base 3`, … whichever no cluster has yet. */
export function freeClusterName(base: string, clusters: LocalCluster[]): string {
  const taken = new Set(clusters.map((c) => c.name.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base} ${n}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
