// Apart from jsonText.ts because the worker imports that module: it must not start itself.
import { indentSlice, newState } from './jsonText';

/**
 * `prettyJsonText` for large texts without blocking the window: in a worker, or where a
 * worker cannot start, in slices on the main thread. Resolves to null when `signal` is
 * aborted first.
 */
export async function prettyJsonTextAsync(text: string, signal?: AbortSignal): Promise<string | null> {
  if (signal?.aborted) return null;
  const inWorker = await indentInWorker(text, signal);
  // Marks say which way it went (the e2e run checks the window used the worker).
  if (inWorker !== undefined) {
    performance.mark('kd-json-indented-in-worker');
    return inWorker;
  }
  performance.mark('kd-json-indented-in-slices');
  return indentInSlices(text, signal);
}

/** undefined when no worker could do it (none in this environment, or it failed to load). */
function indentInWorker(text: string, signal?: AbortSignal): Promise<string | null | undefined> {
  let worker: Worker;
  try {
    if (typeof Worker === 'undefined') return Promise.resolve(undefined);
    worker = new Worker(new URL('./jsonIndent.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const done = (result: string | null | undefined) => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => done(null);
    signal?.addEventListener('abort', onAbort);
    worker.onmessage = (e: MessageEvent<string>) => done(signal?.aborted ? null : e.data);
    worker.onerror = () => done(undefined);
    worker.postMessage(text);
  });
}

/** Characters indented between yields: a few milliseconds of work at a time. */
const SLICE = 128 * 1024;

async function indentInSlices(text: string, signal?: AbortSignal): Promise<string | null> {
  const s = newState();
  // Each slice's millions of small pieces are joined inside the slice: one join of them all
  // at the end was itself a long task (150 ms on 5 MiB).
  const joined: string[] = [];
  for (let from = 0; from < text.length; from += SLICE) {
    if (signal?.aborted) return null;
    indentSlice(text, from, Math.min(text.length, from + SLICE), s, 2);
    joined.push(s.out.join(''));
    s.out = [];
    if (from + SLICE < text.length) await yieldToEventLoop();
  }
  return signal?.aborted ? null : joined.join('');
}

/** A turn of the event loop through a message port: unlike a timer, never clamped or
 * throttled, so the slices finish at the speed of the work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
