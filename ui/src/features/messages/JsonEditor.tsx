/**
 * The value editor: CodeMirror 6 (bundled, no CDN, fits the strict CSP), with JSON
 * highlighting when the format is JSON. Read-only mode shows a value in the detail pane.
 */
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { json } from '@codemirror/lang-json';
import { useComputedColorScheme } from '@mantine/core';

export interface JsonEditorProps {
  value: string;
  onChange?: (value: string) => void;
  json?: boolean;
  readOnly?: boolean;
  height?: string;
  'data-testid'?: string;
}

export function JsonEditor({ value, onChange, json: isJson, readOnly, height = '180px', ...rest }: JsonEditorProps) {
  const scheme = useComputedColorScheme('light');
  const extensions = isJson ? [json(), EditorView.lineWrapping] : [EditorView.lineWrapping];
  return (
    <div data-testid={rest['data-testid']} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}>
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        editable={!readOnly}
        readOnly={readOnly}
        height={height}
        theme={scheme === 'dark' ? 'dark' : 'light'}
        // No auto-closed brackets or completion popups: typed JSON stays exactly as typed.
        basicSetup={{ foldGutter: isJson, highlightActiveLine: !readOnly, lineNumbers: true, closeBrackets: false, autocompletion: false }}
      />
    </div>
  );
}
