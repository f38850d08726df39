/**
 * One browse session at a time: start it, follow the status it pushes (the first rows arrive
 * the moment they exist), close it on unmount. A slow poll only catches notices that come
 * while no rows do (a broker away during a tail).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../api/errors';
import { browseStatus, closeBrowse, startBrowse, stopBrowse, type BrowseRequest, type SessionStatus } from '../../api/messages';

const POLL_MS = 1000;

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
        let id: string | null = null;
        const early: SessionStatus[] = [];
        // Pushes can come before the start call answers; keep only this session's.
        const s = await startBrowse(profileId, request, (pushed) => {
          if (id === null) early.push(pushed);
          else if (pushed.id === id && current.current === id) setStatus(pushed);
        });
        id = s.id;
        current.current = s.id;
        const newest = early.filter((e) => e.id === s.id).pop();
        setStatus(newest && newest.scanned >= s.scanned ? newest : s);
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
