/** What stands in for the editor while CodeMirror loads (a moment, on first use). */
import { Loader } from '@mantine/core';

export function TextEditorFallback({ height = 180 }: { height?: number }) {
  return (
    <div style={{ height, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, display: 'grid', placeItems: 'center' }}>
      <Loader size="xs" />
    </div>
  );
}
