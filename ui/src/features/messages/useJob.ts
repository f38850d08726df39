/** A cancellable backend job with progress: run it, watch it, cancel it. */
import { useCallback, useRef, useState } from 'react';
import type { AppError } from '../../api/errors';
import { cancelJob, newJobId } from '../../api/messages';

export interface Progress {
  done: number;
  total: number;
  /** The total is an estimate (a file still being read). */
  estimated?: boolean;
}

export function useJob() {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const jobId = useRef<string | null>(null);

  const run = useCallback(async <T,>(work: (jobId: string, onProgress: (p: Progress) => void) => Promise<T>) => {
    const id = newJobId();
    jobId.current = id;
    setRunning(true);
    setError(null);
    setProgress(null);
    try {
      return await work(id, setProgress);
    } catch (e) {
      setError(e as AppError);
      return null;
    } finally {
      jobId.current = null;
      setRunning(false);
    }
  }, []);

  const cancel = useCallback(() => {
    if (jobId.current) void cancelJob(jobId.current);
  }, []);

  return { running, progress, error, setError, run, cancel };
}
