import { Box } from '@mantine/core';

/** Palette for tags of things without a colour of their own. */
const DOT_COLORS = ['brand', 'teal', 'orange', 'grape', 'cyan', 'lime', 'pink', 'yellow', 'blue', 'red'] as const;

/** A stable colour for a connection, derived from its id. */
export function connectionColor(id: string): (typeof DOT_COLORS)[number] {
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) {
    hash = (hash * 31 + id.charCodeAt(i)) | 0;
  }
  return DOT_COLORS[Math.abs(hash) % DOT_COLORS.length];
}

export interface ColorDotProps {
  id: string;
  /** The profile's own tag colour (`#rrggbb`); otherwise one derived from the id. */
  color?: string;
  size?: number;
}

/**
 * A connection's tag colour: a small rounded square, so it never reads as a status light
 * (the connection state has its own [`StatusDot`]).
 */
export function ColorDot({ id, color: own, size = 8 }: ColorDotProps) {
  const color = own ?? `var(--mantine-color-${connectionColor(id)}-6)`;
  return (
    <Box
      component="span"
      aria-hidden
      data-testid="connection-dot"
      style={{ display: 'inline-block', flex: 'none', width: size, height: size, borderRadius: 2, backgroundColor: color }}
    />
  );
}

export type ConnectionState = 'connected' | 'connecting' | 'disconnected';

/** The live state of a connection: filled green when connected, amber while connecting, a hollow grey ring when not. */
export function StatusDot({ state, size = 7 }: { state: ConnectionState; size?: number }) {
  const color =
    state === 'connected' ? 'var(--mantine-color-teal-6)' : state === 'connecting' ? 'var(--mantine-color-yellow-6)' : 'var(--mantine-color-gray-5)';
  return (
    <Box
      component="span"
      aria-hidden
      data-testid="status-dot"
      data-state={state}
      style={{
        display: 'inline-block',
        flex: 'none',
        width: size,
        height: size,
        borderRadius: '50%',
        backgroundColor: state === 'disconnected' ? 'transparent' : color,
        border: `1.5px solid ${color}`,
      }}
    />
  );
}
