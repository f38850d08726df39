/** One browse session at a time: start, poll its status while it runs, close it on unmount. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../api/errors';
import { browseStatus, closeBrowse, startBrowse, stopBrowse, type BrowseRequest, type SessionStatus } from '../../api/messages';

const POLL_MS = 250;

export function useBrowseSession(profileId: string) {
  const [status, setStatus] = useState<SessionStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [starting, setStarting] = useState(false);
  const current = useRef<string | null>(null);

  const start = useCallback(
    async (request: BrowseRequest) => {
      setStarting(true);
      setError(null);
      try {
        if (current.current) await closeBrowse(current.current).catch(() => undefined);
        const s = await startBrowse(profileId, request);
        current.current = s.id;
        setStatus(s);
      } catch (e) {
        setError(e as AppError);
      } finally {
        setStarting(false);
      }
    },
    [profileId],
  );

  const refresh = useCallback(async () => {
    if (!current.current) return;
    try {
      setStatus(await browseStatus(current.current));
    } catch (e) {
      setError(e as AppError);
    }
  }, []);

  const stop = useCallback(async () => {
    if (current.current) await stopBrowse(current.current).catch((e) => setError(e as AppError));
    await refresh();
  }, [refresh]);

  const running = status?.state === 'Running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [running, refresh]);

  useEffect(
    () => () => {
      if (current.current) void closeBrowse(current.current).catch(() => undefined);
    },
    [],
  );

  return { status, error, setError, starting, start, stop, refresh };
}
