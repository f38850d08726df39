/**
 * Loads one backend answer and keeps it while reloading; `reload` asks again.
 * `intervalMs` re-asks on a timer while the view is open (the detail's lag sampling).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError, type AppError } from '../../api/errors';

export interface AsyncData<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useAsyncData<T>(load: () => Promise<T>, onData?: (data: T) => void, intervalMs?: number): AsyncData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef({ load, onData });
  latest.current = { load, onData };
  const alive = useRef(true);

  // Timed re-asks are silent: no spinner every few seconds.
  const fetch = useCallback(async (silent: boolean) => {
    if (!silent) setLoading(true);
    try {
      const next = await latest.current.load();
      if (!alive.current) return;
      setData(next);
      setError(null);
      latest.current.onData?.(next);
    } catch (e) {
      if (alive.current) setError(toAppError(e));
    } finally {
      if (alive.current && !silent) setLoading(false);
    }
  }, []);
  const reload = useCallback(() => fetch(false), [fetch]);

  useEffect(() => {
    alive.current = true;
    void reload();
    const timer = intervalMs ? window.setInterval(() => void fetch(true), intervalMs) : undefined;
    return () => {
      alive.current = false;
      if (timer) window.clearInterval(timer);
    };
  }, [reload, fetch, intervalMs]);

  return { data, error, loading, reload };
}
