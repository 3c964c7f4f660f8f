/**
 * The studio's YAML editor: CodeMirror with the config's JSON Schema (generated from the zod schema
 * by `pnpm config:schema`), so keys and values are completed as the office types (Ctrl+Space), a
 * hover explains a key, and a wrong key or type is underlined before the server's lint answers.
 * Loaded lazily: only the studio needs it.
 */
import { EditorView, basicSetup } from 'codemirror';
import { yamlSchema } from 'codemirror-json-schema/yaml';
import { useEffect, useRef } from 'react';
import configSchema from '../../../../config/schema.json';
import { schemaKindOf } from './schemaKind';

type Schema = NonNullable<Parameters<typeof yamlSchema>[0]>;

/** The schema of one kind of file ('list', 'departments', …): the generated schema rooted at its definition. */
function schemaFor(kind: string): Schema {
  const { anyOf: _all, ...rest } = configSchema as unknown as Record<string, unknown>;
  return { ...rest, $ref: `#/$defs/${kind}` } as Schema;
}

export default function YamlCodeEditor({ value, onChange, ariaLabel, file }: { value: string; onChange: (text: string) => void; ariaLabel: string; file: string }) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | undefined>(undefined);
  const changed = useRef(onChange);
  changed.current = onChange;
  const kind = schemaKindOf(file);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is made once per file; later values arrive through the effect below
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      doc: value,
      extensions: [
        basicSetup,
        ...(kind ? [yamlSchema(schemaFor(kind))] : []),
        EditorView.contentAttributes.of({ 'aria-label': ariaLabel, spellcheck: 'false' }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) changed.current(u.state.doc.toString());
        }),
        EditorView.theme({ '&': { fontSize: '13px', border: '1px solid #d9d9d9', borderRadius: '6px' }, '.cm-scroller': { minHeight: '360px', maxHeight: '70vh', fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } }),
      ],
    });
    view.current = editor;
    return () => editor.destroy();
  }, [kind, ariaLabel]);

  // A value set from outside (undo all, a new file) replaces the text; the editor's own changes are already in it.
  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  return <div ref={host} data-testid="yaml-editor" />;
}
