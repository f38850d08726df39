/**
 * Native file dialogs, opened by the backend (`files_pick`): the user picks, the backend
 * remembers the pick, and reads or writes only paths picked there. The webview names the
 * purpose, never a path.
 */
import { command } from './invoke';
import type { FilePurpose } from './generated/FilePurpose';

/** The chosen path, or `null` when the user cancels. */
export const pickFile = (purpose: FilePurpose, suggestedName?: string) =>
  command<string | null>('files_pick', { purpose, suggestedName });

/** A file to import connections from. */
export const pickImportFile = () => pickFile('importConnections');

/** Where to export the connections (JSON, no secrets). */
export const pickExportFile = () => pickFile('exportConnections', 'kafkadesk-connections.json');

/** Where to export ACL bindings. */
export const pickAclExportFile = (format: 'csv' | 'json') => pickFile('exportAcls', `kafka-acls.${format}`);

/** An ACL file (CSV or JSON) to import. */
export const pickAclImportFile = () => pickFile('importAcls');

/** A folder holding an Apache Kafka distribution (or its jars). */
export const pickKafkaFolder = () => pickFile('kafkaFolder');
