/**
 * Writes a value edited in the studio's form back into the YAML document it
 * came from, node by node, so that comments, key order and flow style of what
 * did not change survive the save.
 */
import { type Document, isMap, isScalar, isSeq, type Node, parseDocument, stringify } from 'yaml';

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const keyOf = (pair: { key: unknown }) => (isScalar(pair.key) ? pair.key.value : pair.key);

function patchNode(doc: Document, node: unknown, value: unknown): unknown {
  if (isPlainObject(value) && isMap(node)) {
    node.items = node.items.filter((p) => {
      const k = keyOf(p);
      return typeof k === 'string' && value[k] !== undefined;
    });
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const pair = node.items.find((p) => keyOf(p) === k);
      if (pair) pair.value = patchNode(doc, pair.value, v) as Node;
      else node.items.push(doc.createPair(k, v));
    }
    return node;
  }
  if (Array.isArray(value) && isSeq(node)) {
    const flowItems = node.items.some((item) => (isMap(item) || isSeq(item)) && item.flow);
    node.items = value.map((v, i) => {
      if (i < node.items.length) return patchNode(doc, node.items[i], v);
      const created = doc.createNode(v);
      if (flowItems && (isMap(created) || isSeq(created))) created.flow = true;
      return created;
    });
    return node;
  }
  if (isScalar(node) && (value === null || typeof value !== 'object')) {
    if (node.value !== value) node.value = value;
    return node;
  }
  return doc.createNode(value);
}

/** The document's text after putting `value` into it. */
export function patchYaml(content: string, value: unknown): string {
  const doc: Document = parseDocument(content);
  if (doc.errors.length) return stringifyYaml(value);
  doc.contents = patchNode(doc, doc.contents, value) as Document['contents'];
  return doc.toString({ lineWidth: 0 });
}

/** A new file: block style, no line folding (Chinese legal citations stay on one line). */
export function stringifyYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
