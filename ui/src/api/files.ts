/** Native file dialogs (tauri-plugin-dialog): the user picks, the backend reads or writes. */
import { open, save } from '@tauri-apps/plugin-dialog';

/** A file to import connections from; `null` when the user cancels. */
export async function pickImportFile(): Promise<string | null> {
  const path = await open({
    title: 'Import connections',
    multiple: false,
    directory: false,
    filters: [
      { name: 'kafka-ui, client.properties, kcat', extensions: ['yml', 'yaml', 'env', 'properties', 'conf', 'config', 'cfg', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  return typeof path === 'string' ? path : null;
}

/** Where to export the connections (JSON, no secrets); `null` when the user cancels. */
export async function pickExportFile(): Promise<string | null> {
  return save({
    title: 'Export connections (without secrets)',
    defaultPath: 'kafkadesk-connections.json',
    filters: [{ name: 'JSON', extensions: ['json'] }],
  });
}
