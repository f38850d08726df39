/** App-level calls: mirrors `src-tauri/src/commands/app.rs`. */
import { command } from './invoke';
import type { StartupOptions } from './generated/StartupOptions';

export type { StartupOptions };

/** What the command line asked for (e.g. `--connect "Local sandbox"`); answered once per run. */
export function fetchStartupOptions(): Promise<StartupOptions> {
  return command<StartupOptions>('app_startup');
}
