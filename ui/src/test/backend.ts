/**
 * A scripted stand-in for the Rust backend, installed with Tauri's own
 * `mockIPC`: each test says how each command answers and can read back
 * every call the UI made.
 */
import { mockIPC } from '@tauri-apps/api/mocks';

export type Handler = (args: Record<string, unknown>) => unknown;

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export interface FakeBackend {
  calls: Call[];
  callsTo: (cmd: string) => Call[];
  /** Replace one command's handler mid-test. */
  on: (cmd: string, handler: Handler) => void;
}

/** Commands every window makes that most tests do not care about. */
const DEFAULTS: Record<string, Handler> = {
  app_startup: () => ({ connectProfileId: null }),
  local_setup: () => LOCAL_SETUP,
  local_list: () => [],
};

/** Java and Kafka found, default ports free: what a machine with both installed reports. */
export const LOCAL_SETUP = {
  java: { path: '/usr/bin/java', major: 17, description: 'openjdk version "17.0.15"' },
  javaProblem: null,
  kafka: { libs: '/opt/kafka/libs', version: '4.1.1' },
  kafkaProblem: null,
  chosenJava: null,
  chosenKafkaDir: null,
  dataRoot: '/home/me/.local/share/dev.kafkadesk.desktop/local-clusters',
  suggestedBrokerPorts: [19092, 29092, 39092],
  suggestedControllerPorts: [19093, 29093, 39093],
};

export function installBackend(handlers: Record<string, Handler>): FakeBackend {
  const table = new Map(Object.entries({ ...DEFAULTS, ...handlers }));
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const payload = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: payload });
    const handler = table.get(cmd);
    if (!handler) throw { kind: 'Internal', message: `test backend: no handler for ${cmd}` };
    return handler(payload);
  });
  return {
    calls,
    callsTo: (cmd) => calls.filter((call) => call.cmd === cmd),
    on: (cmd, handler) => table.set(cmd, handler),
  };
}

/** A promise the test settles by hand, for calls that are still "running". */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
