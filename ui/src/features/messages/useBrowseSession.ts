/**
 * One browse session at a time: start it, follow the status it pushes (the first rows arrive
 * the moment they exist), close it on unmount. A slow poll only catches notices that come
 * while no rows do (a broker away during a tail). A start while another is starting is
 * ignored (never two sessions), a session that comes back after unmount is closed at once
 * (never a leak), and polls never overlap.
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
  const startInFlight = useRef(false);
  const pollInFlight = useRef(false);
  const mounted = useRef(true);

  const start = useCallback(
    async (request: BrowseRequest) => {
      if (startInFlight.current) return;
      startInFlight.current = true;
      setStarting(true);
      setError(null);
      try {
        const previous = current.current;
        current.current = null;
        if (previous) await closeBrowse(previous).catch(() => undefined);
        let id: string | null = null;
        const early: SessionStatus[] = [];
        // Pushes can come before the start call answers; keep only this session's.
        const s = await startBrowse(profileId, request, (pushed) => {
          if (id === null) early.push(pushed);
          else if (pushed.id === id && current.current === id && mounted.current) setStatus(pushed);
        });
        id = s.id;
        if (!mounted.current) {
          void closeBrowse(s.id).catch(() => undefined);
          return;
        }
        current.current = s.id;
        const newest = early.filter((e) => e.id === s.id).pop();
        setStatus(newest && newest.scanned >= s.scanned ? newest : s);
      } catch (e) {
        if (mounted.current) setError(e as AppError);
      } finally {
        startInFlight.current = false;
        if (mounted.current) setStarting(false);
      }
    },
    [profileId],
  );

  const refresh = useCallback(async () => {
    const id = current.current;
    if (!id || pollInFlight.current) return;
    pollInFlight.current = true;
    try {
      const s = await browseStatus(id);
      // A session replaced (or closed) while the answer was on its way is not shown.
      if (mounted.current && current.current === id) setStatus(s);
    } catch (e) {
      if (mounted.current && current.current === id) setError(e as AppError);
    } finally {
      pollInFlight.current = false;
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

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      const id = current.current;
      current.current = null;
      if (id) void closeBrowse(id).catch(() => undefined);
    };
  }, []);

  return { status, error, setError, starting, start, stop, refresh };
}
