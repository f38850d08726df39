/// <reference types="vitest/config" />
// Vite serves the UI to the Tauri window: `vite` on a fixed port for `tauri dev`,
// `vite build` into ui/dist for `tauri build` (tauri.conf.json: frontendDist ../ui/dist).
// No external fonts or CDNs: the window's CSP only allows 'self'.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const host = process.env.TAURI_DEV_HOST;

export default defineConfig({
  plugins: [react()],
  // Tauri prints its own output; keep Rust errors visible.
  clearScreen: false,
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  server: {
    port: 1420,
    strictPort: true,
    host: host || false,
    hmr: host ? { protocol: 'ws', host, port: 1421 } : undefined,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // WebKitGTK / WKWebView / WebView2 are all current engines.
    target: ['es2022', 'chrome107', 'safari16'],
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // Form tests type character by character; a loaded 2-core CI box needs more than 5 s.
    testTimeout: 20_000,
  },
});
