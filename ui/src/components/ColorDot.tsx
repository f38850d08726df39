import { Box } from '@mantine/core';

/** Palette for dots of things without a colour of their own. */
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
  /** Adds a soft ring, used for the connected cluster. */
  ring?: boolean;
}

export function ColorDot({ id, color: own, size = 8, ring = false }: ColorDotProps) {
  const color = own ?? `var(--mantine-color-${connectionColor(id)}-6)`;
  return (
    <Box
      component="span"
      aria-hidden
      data-testid="connection-dot"
      style={{
        display: 'inline-block',
        flex: 'none',
        width: size,
        height: size,
        borderRadius: '50%',
        backgroundColor: color,
        boxShadow: ring ? `0 0 0 3px color-mix(in srgb, ${color} 25%, transparent)` : undefined,
      }}
    />
  );
}
