/** The keyboard shortcuts, one list for both the handlers and the help dialog. */
export interface ShortcutHelp {
  /** Keys as shown, `mod` becoming ⌘ on macOS and Ctrl elsewhere. */
  keys: string[];
  description: string;
}

export const SHORTCUTS: ShortcutHelp[] = [
  { keys: ['mod', 'N'], description: 'New connection' },
  { keys: ['R'], description: 'Refresh the cluster overview' },
  { keys: ['mod', 'J'], description: 'Toggle light / dark theme' },
  { keys: ['mod', '1…9'], description: 'Switch between the cluster tabs' },
  { keys: ['/'], description: 'Filter the topics list' },
  { keys: ['?'], description: 'Show keyboard shortcuts' },
  { keys: ['Esc'], description: 'Close dialogs' },
];
