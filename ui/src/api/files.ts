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

/** Where to export ACL bindings; `null` when the user cancels. */
export async function pickAclExportFile(format: 'csv' | 'json'): Promise<string | null> {
  return save({
    title: 'Export ACL bindings',
    defaultPath: `kafka-acls.${format}`,
    filters: [{ name: format.toUpperCase(), extensions: [format] }],
  });
}

/** An ACL file (CSV or JSON) to import; `null` when the user cancels. */
export async function pickAclImportFile(): Promise<string | null> {
  const path = await open({
    title: 'Import ACL bindings',
    multiple: false,
    directory: false,
    filters: [
      { name: 'ACL bindings (CSV, JSON)', extensions: ['csv', 'json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  return typeof path === 'string' ? path : null;
}
