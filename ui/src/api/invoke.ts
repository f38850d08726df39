/**
 * The single doorway to the Rust backend. Feature wrappers (profiles.ts,
 * cluster.ts) call `command`; it always rejects with an `AppError`.
 */
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { toAppError } from './errors';

export async function command<T>(name: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(name, args);
  } catch (error) {
    throw toAppError(error);
  }
}
