/** App-level calls: mirrors `src-tauri/src/commands/app.rs`. */
import { command } from './invoke';
import type { StartupOptions } from './generated/StartupOptions';

export type { StartupOptions };

/** What the command line asked for (e.g. `--connect "Local sandbox"`); answered once per run. */
export function fetchStartupOptions(): Promise<StartupOptions> {
  return command<StartupOptions>('app_startup');
}

/** Opens the folder of KafkaDesk's log files in the system's file manager. */
export const openLogsFolder = () => command<void>('app_open_logs_folder');

/** Versions, platform and the last log lines (secrets redacted), for a bug report. */
export const copyDiagnostics = () => command<string>('app_diagnostics');
