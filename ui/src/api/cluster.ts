/** Connected clusters: mirrors `src-tauri/src/commands/cluster.rs`. */
import { command } from './invoke';
import type { Broker } from './generated/Broker';
import type { ClusterOverview } from './generated/ClusterOverview';

export type { Broker, ClusterOverview };

/** Connects (bounded at ~10 s by the backend) and returns the first overview. */
export function connectCluster(profileId: string): Promise<ClusterOverview> {
  return command<ClusterOverview>('cluster_connect', { profileId });
}

export function fetchClusterOverview(profileId: string): Promise<ClusterOverview> {
  return command<ClusterOverview>('cluster_overview', { profileId });
}

export function disconnectCluster(profileId: string): Promise<void> {
  return command<void>('cluster_disconnect', { profileId });
}
