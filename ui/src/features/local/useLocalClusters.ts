/**
 * The local clusters and where Java and Kafka come from, with the actions the
 * view offers. Starting and stopping take seconds; `busy` tells which cluster
 * is in the middle of what, so only its buttons show a loader.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../api/errors';
import {
  chooseLocalInstall,
  createLocalCluster,
  deleteLocalCluster,
  fetchLocalSetup,
  listLocalClusters,
  startLocalCluster,
  stopLocalCluster,
  type LocalCluster,
  type LocalClusterInput,
  type LocalSetup,
} from '../../api/local';

export type LocalAction = 'starting' | 'stopping' | 'deleting';

export interface LocalClustersModel {
  setup: LocalSetup | null;
  clusters: LocalCluster[];
  loading: boolean;
  busy: Record<string, LocalAction>;
  reload: () => Promise<void>;
  create: (input: LocalClusterInput) => Promise<LocalCluster>;
  start: (id: string) => Promise<LocalCluster | null>;
  stop: (id: string) => Promise<void>;
  remove: (id: string) => Promise<boolean>;
  chooseKafkaDir: (dir: string | null) => Promise<void>;
}

export function useLocalClusters(onError: (error: AppError) => void): LocalClustersModel {
  const [setup, setSetup] = useState<LocalSetup | null>(null);
  const [clusters, setClusters] = useState<LocalCluster[]>([]);
  const [loading, setLoading] = useState(true);
  const [busy, setBusy] = useState<Record<string, LocalAction>>({});

  const reload = useCallback(async () => {
    try {
      const [nextSetup, nextClusters] = await Promise.all([fetchLocalSetup(), listLocalClusters()]);
      setSetup(nextSetup);
      setClusters(nextClusters);
    } catch (caught) {
      onError(caught as AppError);
    } finally {
      setLoading(false);
    }
  }, [onError]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const replace = (next: LocalCluster) =>
    setClusters((list) => (list.some((c) => c.id === next.id) ? list.map((c) => (c.id === next.id ? next : c)) : [...list, next]));

  const withBusy = async <T,>(id: string, action: LocalAction, work: () => Promise<T>): Promise<T | null> => {
    setBusy((b) => ({ ...b, [id]: action }));
    try {
      return await work();
    } catch (caught) {
      onError(caught as AppError);
      return null;
    } finally {
      setBusy((b) => {
        const { [id]: _, ...rest } = b;
        return rest;
      });
      void reload();
    }
  };

  const create = async (input: LocalClusterInput) => {
    const created = await createLocalCluster(input);
    replace(created);
    return created;
  };

  const start = (id: string) =>
    withBusy(id, 'starting', async () => {
      const started = await startLocalCluster(id);
      replace(started);
      return started;
    });

  const stop = async (id: string) => {
    await withBusy(id, 'stopping', async () => replace(await stopLocalCluster(id)));
  };

  const remove = async (id: string) => {
    const done = await withBusy(id, 'deleting', async () => {
      await deleteLocalCluster(id);
      setClusters((list) => list.filter((c) => c.id !== id));
      return true;
    });
    return done === true;
  };

  const chooseKafkaDir = async (dir: string | null) => {
    try {
      setSetup(await chooseLocalInstall(setup?.chosenJava ?? null, dir));
    } catch (caught) {
      onError(caught as AppError);
    }
  };

  return { setup, clusters, loading, busy, reload, create, start, stop, remove, chooseKafkaDir };
}
