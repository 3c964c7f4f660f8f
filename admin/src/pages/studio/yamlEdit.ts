/**
 * Edits of the studio's generated form written into a YAML file's text. The yaml library keeps
 * comments and order, but re-printing a document also re-spaces what did not change (aligned
 * end-of-line comments, say), which would put unrelated lines into the diff the office reviews.
 * So the edited document and the unedited one are printed alike, and only the lines that differ
 * between the two prints replace lines of the original text.
 */
import { diffArrays } from 'diff';
import { type Document, parseDocument } from 'yaml';

const print = (doc: Document) => doc.toString({ flowCollectionPadding: false, lineWidth: 0 });

export function editYaml(text: string, edit: (doc: Document) => void): string {
  const before = print(parseDocument(text)).split('\n');
  const doc = parseDocument(text);
  edit(doc);
  const after = print(doc).split('\n');
  const original = text.split('\n');
  // Printing kept the lines one to one (it only re-spaces within a line), so positions map.
  if (before.length !== original.length) return after.join('\n');
  const out: string[] = [];
  let at = 0;
  for (const part of diffArrays(before, after)) {
    if (part.added) out.push(...part.value);
    else {
      if (!part.removed) out.push(...original.slice(at, at + part.value.length));
      at += part.value.length;
    }
  }
  return out.join('\n');
}
