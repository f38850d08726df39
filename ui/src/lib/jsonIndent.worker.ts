/// <reference lib="webworker" />
// Re-indents large JSON off the window's main thread: the page never waits on it, and the
// work does not depend on the page's timers (which WebKit throttles when it thinks the
// window is not seen).
import { prettyJsonText } from './jsonText';

self.onmessage = (e: MessageEvent<string>) => {
  self.postMessage(prettyJsonText(e.data));
};
