/**
 * Which cluster the window shows, and the async steps around it: connect
 * (cancellable from the UI's side), refresh, disconnect.
 *
 * Cancel does not stop the backend call — `cluster_connect` is bounded at
 * about ten seconds on the Rust side — it only stops waiting for it. If an
 * abandoned attempt later succeeds, its connection is released again so the
 * backend does not keep clusters nobody is looking at.
 *
 * Connecting to another profile while one is shown keeps the current view
 * until the new one is up, then releases the old connection.
 */
import { useCallback, useRef, useState } from 'react';
import {
  connectCluster,
  disconnectCluster,
  fetchClusterOverview,
  type ClusterOverview,
} from '../../api/cluster';
import type { AppError } from '../../api/errors';
import type { Profile } from '../../api/profiles';

export interface ActiveCluster {
  profile: Profile;
  overview: ClusterOverview;
}

export interface PendingConnect {
  profile: Profile;
  /** What started it, so only that button shows a loader. */
  source: ConnectSource;
  startedAt: number;
}

export type ConnectSource = 'list' | 'form';
export type ConnectOutcome = 'connected' | 'failed' | 'cancelled';

export interface ClusterSession {
  active: ActiveCluster | null;
  connecting: PendingConnect | null;
  refreshing: boolean;
  disconnecting: boolean;
  connect: (profile: Profile, source: ConnectSource) => Promise<ConnectOutcome>;
  cancelConnect: () => void;
  refresh: () => Promise<void>;
  /** Resolves true when the cluster is no longer shown. */
  disconnect: () => Promise<boolean>;
}

export function useClusterSession(onError: (error: AppError) => void): ClusterSession {
  const [active, setActiveState] = useState<ActiveCluster | null>(null);
  const [connecting, setConnectingState] = useState<PendingConnect | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);

  // Refs mirror state so async continuations read the latest values.
  const activeRef = useRef<ActiveCluster | null>(null);
  const connectingRef = useRef<PendingConnect | null>(null);
  const attemptRef = useRef(0);
  const refreshingRef = useRef(false);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const setActive = (value: ActiveCluster | null) => {
    activeRef.current = value;
    setActiveState(value);
  };
  const setConnecting = (value: PendingConnect | null) => {
    connectingRef.current = value;
    setConnectingState(value);
  };

  const release = (profileId: string) => {
    disconnectCluster(profileId).catch(() => {
      /* best effort: the backend drops idle clusters on exit anyway */
    });
  };

  const connect = useCallback(async (profile: Profile, source: ConnectSource): Promise<ConnectOutcome> => {
    const attempt = ++attemptRef.current;
    setConnecting({ profile, source, startedAt: Date.now() });
    try {
      const overview = await connectCluster(profile.id);
      if (attempt !== attemptRef.current) {
        // Abandoned (cancelled or superseded): let go of the connection unless
        // the window shows, or is connecting to, that same profile.
        const inUse =
          activeRef.current?.profile.id === profile.id || connectingRef.current?.profile.id === profile.id;
        if (!inUse) release(profile.id);
        return 'cancelled';
      }
      const previous = activeRef.current;
      setActive({ profile, overview });
      setConnecting(null);
      if (previous && previous.profile.id !== profile.id) release(previous.profile.id);
      return 'connected';
    } catch (error) {
      if (attempt !== attemptRef.current) return 'cancelled';
      setConnecting(null);
      onErrorRef.current(error as AppError);
      return 'failed';
    }
  }, []);

  const cancelConnect = useCallback(() => {
    attemptRef.current += 1;
    setConnecting(null);
  }, []);

  const refresh = useCallback(async () => {
    const current = activeRef.current;
    if (!current || refreshingRef.current) return;
    refreshingRef.current = true;
    setRefreshing(true);
    try {
      const overview = await fetchClusterOverview(current.profile.id);
      if (activeRef.current?.profile.id === current.profile.id) {
        setActive({ profile: activeRef.current.profile, overview });
      }
    } catch (error) {
      if (activeRef.current?.profile.id === current.profile.id) onErrorRef.current(error as AppError);
    } finally {
      refreshingRef.current = false;
      setRefreshing(false);
    }
  }, []);

  const disconnect = useCallback(async (): Promise<boolean> => {
    const current = activeRef.current;
    if (!current) return true;
    setDisconnecting(true);
    try {
      await disconnectCluster(current.profile.id);
    } catch (error) {
      // Already gone on the backend side is as good as disconnected.
      if ((error as AppError).kind !== 'NotFound') {
        onErrorRef.current(error as AppError);
        return false;
      }
    } finally {
      setDisconnecting(false);
    }
    if (activeRef.current?.profile.id === current.profile.id) setActive(null);
    return true;
  }, []);

  return { active, connecting, refreshing, disconnecting, connect, cancelConnect, refresh, disconnect };
}
