/**
 * KafkaDesk's Mantine theme: a compact developer-tool look. System fonts only
 * (the CSP forbids loading fonts from elsewhere), monospace for ids and hosts.
 */
import { createTheme, localStorageColorSchemeManager, type MantineColorsTuple } from '@mantine/core';

/** Where the chosen light/dark scheme is remembered; absent = follow the OS. */
export const COLOR_SCHEME_STORAGE_KEY = 'kafkadesk-color-scheme';

export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_STORAGE_KEY });

const brand: MantineColorsTuple = [
  '#eef0ff',
  '#dcdefd',
  '#b6baf4',
  '#8d94ec',
  '#6b73e6',
  '#555ee2',
  '#4953e1',
  '#3a44c8',
  '#313cb4',
  '#26339f',
];

export const MONO_FONT =
  'ui-monospace, "SF Mono", SFMono-Regular, "JetBrains Mono", "Cascadia Code", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';

export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: { light: 6, dark: 5 },
  colors: { brand },
  defaultRadius: 'md',
  cursorType: 'pointer',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Cantarell, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: MONO_FONT,
  headings: { fontWeight: '600' },
  fontSmoothing: true,
  components: {
    Table: {
      defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm' },
    },
    Tooltip: {
      defaultProps: { openDelay: 300, withArrow: true, fz: 'xs' },
    },
    Modal: {
      defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.45, blur: 2 } },
    },
  },
});
