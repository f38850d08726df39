/**
 * The one way a view loads a backend answer: keeps the last good answer while reloading,
 * never has two requests of its own in flight for a timed re-ask (the in-flight guard), and
 * only lets the latest request write its answer (the stale-answer check: a slow answer for
 * an earlier key or an earlier reload is dropped, never shown over a newer one).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError, type AppError } from '../api/errors';

export interface BackendData<T> {
  data: T | null;
  error: AppError | null;
  /** True while a request the user can see (first load, reload) runs; timed re-asks are silent. */
  loading: boolean;
  reload: () => Promise<void>;
  clearError: () => void;
}

export interface BackendOptions<T> {
  /** Re-ask on a timer while the view is open; skipped while an answer is still awaited. */
  intervalMs?: number;
  /** Called with every fresh answer (after the stale check). */
  onData?: (data: T) => void;
}

/** `key` names what is loaded: when it changes, the old answer is dropped and asked anew. */
export function useBackend<T>(load: () => Promise<T>, key: string, options: BackendOptions<T> = {}): BackendData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef({ load, onData: options.onData });
  latest.current = { load, onData: options.onData };
  const generation = useRef(0);
  const inFlight = useRef(0);

  const ask = useCallback(async (silent: boolean) => {
    if (silent && inFlight.current > 0) return;
    const mine = ++generation.current;
    inFlight.current += 1;
    if (!silent) setLoading(true);
    try {
      const next = await latest.current.load();
      if (mine !== generation.current) return;
      setData(next);
      setError(null);
      latest.current.onData?.(next);
    } catch (e) {
      if (mine === generation.current) setError(toAppError(e));
    } finally {
      inFlight.current -= 1;
      if (mine === generation.current) setLoading(false);
    }
  }, []);
  const reload = useCallback(() => ask(false), [ask]);

  const { intervalMs } = options;
  useEffect(() => {
    setData(null);
    setError(null);
    void ask(false);
    const timer = intervalMs ? window.setInterval(() => void ask(true), intervalMs) : undefined;
    return () => {
      // Answers still on their way belong to a key (or a view) that is gone.
      generation.current += 1;
      if (timer) window.clearInterval(timer);
    };
  }, [key, intervalMs, ask]);

  const clearError = useCallback(() => setError(null), []);
  return { data, error, loading, reload, clearError };
}
