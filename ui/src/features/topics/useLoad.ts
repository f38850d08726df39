/** Loads data from the backend and keeps the last good answer while a reload runs. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError, type AppError } from '../../api/errors';

export interface Loaded<T> {
  data: T | null;
  error: AppError | null;
  loading: boolean;
  reload: () => void;
  clearError: () => void;
}

export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  // Only the latest request may write its answer: a slow earlier one is ignored.
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    loadRef
      .current()
      .then((value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(toAppError(e));
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, []);

  useEffect(() => {
    setData(null);
    reload();
  }, [key, reload]);

  return { data, error, loading, reload, clearError: () => setError(null) };
}
