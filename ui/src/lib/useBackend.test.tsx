import { describe, expect, it, vi } from 'vitest';
import { act, renderHook, waitFor } from '@testing-library/react';
import { deferred } from '../test/backend';
import { useBackend } from './useBackend';

describe('useBackend', () => {
  it('drops a slow answer for an earlier key: the newer one is never overwritten', async () => {
    const first = deferred<string>();
    const second = deferred<string>();
    const load = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const { result, rerender } = renderHook(({ k }) => useBackend(load, k), { initialProps: { k: 'a' } });
    rerender({ k: 'b' });
    await act(async () => second.resolve('answer for b'));
    await act(async () => first.resolve('late answer for a'));
    expect(result.current.data).toBe('answer for b');
    expect(result.current.loading).toBe(false);
  });

  it('skips a timed re-ask while the previous answer is still awaited', async () => {
    vi.useFakeTimers();
    try {
      const pending = deferred<number>();
      const load = vi.fn(() => pending.promise);
      renderHook(() => useBackend(load, 'k', { intervalMs: 1000 }));
      expect(load).toHaveBeenCalledTimes(1);
      await act(async () => vi.advanceTimersByTime(5000));
      expect(load).toHaveBeenCalledTimes(1);
      await act(async () => pending.resolve(1));
      await act(async () => vi.advanceTimersByTime(1000));
      expect(load).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the last answer while reloading and reports errors', async () => {
    const load = vi.fn().mockResolvedValueOnce('one').mockRejectedValueOnce({ kind: 'Unreachable', message: 'down' });
    const { result } = renderHook(() => useBackend(load, 'k'));
    await waitFor(() => expect(result.current.data).toBe('one'));
    await act(() => result.current.reload());
    expect(result.current.data).toBe('one');
    expect(result.current.error?.message).toBe('down');
  });
});
