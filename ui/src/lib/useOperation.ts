/** The busy flag and error banner a panel keeps around its backend calls (operations, the ACL wizard). */
import { useState } from 'react';
import { toAppError, type AppError } from '../api/errors';

export function useOperation() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  /** Runs `work` with `busy` set; a failure lands in `error` (its message shown as-is). */
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
