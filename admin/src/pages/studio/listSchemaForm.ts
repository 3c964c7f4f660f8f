/**
 * How the list-type editor's generated settings read the list's JSON Schema (`config/schema.json`,
 * made from the zod schema): which keys the tuned sections already edit, which control each other
 * key gets, and where lint issues for those keys are marked.
 */
import configSchema from '../../../../config/schema.json';

export type Node = {
  type?: string;
  const?: unknown;
  enum?: string[];
  items?: Node;
  properties?: Record<string, Node>;
  required?: string[];
  anyOf?: Node[];
  description?: string;
  default?: unknown;
};
export type Path = (string | number)[];

export const listSchema = (configSchema as unknown as { $defs: Record<string, Node> }).$defs.list as Node;

/** What the editor's own sections edit (each path covers its whole subtree); `fields.x`: a column of the fields table. */
export const tunedPaths = [
  'id', 'name', 'name_en', 'kind', 'department', 'status', 'legal_basis', 'subject_kinds', 'portal', 'fields', 'measures', 'permissions',
  'fields.key', 'fields.label', 'fields.type', 'fields.options', 'fields.required', 'fields.public',
  'procedure.notice.statement_period', 'procedure.recognise.separate_reviewer', 'procedure.publish.within', 'term.default',
  'repair.min_published', 'repair.requires', 'repair.accept_within', 'repair.decide_within', 'objection.answer_within',
];

/** Steps the editor switches on and off itself (`false` / `'none'` in YAML): their other settings show while the switch is on. */
export const switchedBy: Record<string, string> = { 'procedure.notice': '_notice', term: '_term', repair: '_repair', objection: '_objection' };

/** The units of a period in the config (one per period). */
export const periodUnits = ['working_days', 'days', 'months', 'years', 'day_of_following_month'] as const;
export const isPeriod = (n: Node) => n.type === 'object' && !!n.properties && Object.keys(n.properties).every((k) => (periodUnits as readonly string[]).includes(k));
export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (n: Node) => ['string', 'number', 'integer', 'boolean'].includes(n.type ?? '');
/** The settings of a node that is an object, or either off (`false`, `'none'`) or an object. */
export const objectBranch = (n: Node) => (n.type === 'object' ? n : n.anyOf?.find((b) => b.type === 'object' && b.properties));
export const offValue = (n: Node) => n.anyOf?.find((b) => b.const !== undefined)?.const;
const nullableText = (n: Node) => !!n.anyOf && n.anyOf.length === 2 && n.anyOf.some((b) => b.type === 'null') && n.anyOf.some((b) => b.type === 'string');

export const pathKey = (path: Path) => path.filter((p) => typeof p === 'string').join('.');
export const isTuned = (path: Path) => tunedPaths.includes(pathKey(path));
const holdsTuned = (path: Path) => tunedPaths.some((p) => p.startsWith(`${pathKey(path)}.`));

export type ControlKind = 'switch' | 'select' | 'multi' | 'tags' | 'number' | 'text' | 'nullableText' | 'period' | 'records' | 'step' | 'group';

/**
 * The control a schema node gets. `group`: a card of its children (an object of settings, or a step
 * whose switch or some settings live in the tuned sections); `step`: a switch plus its settings.
 */
export function controlOf(n: Node, path: Path): ControlKind | undefined {
  if (switchedBy[pathKey(path)] || holdsTuned(path)) return 'group';
  if (n.type === 'boolean') return 'switch';
  if (n.type === 'string' && n.enum) return 'select';
  if (n.type === 'string') return 'text';
  if (n.type === 'number' || n.type === 'integer') return 'number';
  if (nullableText(n)) return 'nullableText';
  if (isPeriod(n)) return 'period';
  if (n.type === 'array' && n.items && isScalar(n.items)) return n.items.enum ? 'multi' : 'tags';
  if (n.type === 'array' && n.items?.type === 'object' && n.items.properties) return 'records';
  if (offValue(n) !== undefined && objectBranch(n)) return 'step';
  if (n.type === 'object' && n.properties) return 'group';
  return undefined;
}

/** The children of a node the generated settings show, with their paths and controls. */
export function generatedChildren(n: Node, path: Path): { key: string; node: Node; path: Path; kind: ControlKind }[] {
  return Object.entries(objectBranch(n)?.properties ?? {}).flatMap(([key, node]) => {
    const p = [...path, key];
    const kind = isTuned(p) ? undefined : controlOf(node, p);
    return kind ? [{ key, node, path: p, kind }] : [];
  });
}

/**
 * The key paths of the generated controls that can show a lint issue. Tables and step switches
 * have no single control: their issues go to the list above the form.
 */
export function generatedPaths(n: Node = listSchema, path: Path = []): string[][] {
  return generatedChildren(n, path).flatMap((c) =>
    c.kind === 'group' || c.kind === 'step' ? generatedPaths(c.node, c.path) : c.kind === 'records' ? [] : [c.path.map(String)],
  );
}

/** A list type's field, whose settings beyond the table's columns are generated under its row. */
export const fieldSchema = listSchema.properties?.fields?.items as Node;

/** The values a schema enum allows, at a key path of the list schema (`fields.type`, `subject_kinds` …). */
export function enumAt(path: string): string[] {
  let node: Node | undefined = listSchema;
  for (const k of path.split('.')) {
    const props: Record<string, Node> | undefined = node ? (objectBranch(node) ?? (node.items ? objectBranch(node.items) : undefined))?.properties : undefined;
    node = props?.[k];
  }
  return node?.enum ?? node?.items?.enum ?? [];
}

/** A node's child schema at `key` (through the object branch of an "off or settings" node). */
const childAt = (n: Node | undefined, key: string): Node | undefined => (n ? objectBranch(n)?.properties?.[key] : undefined);

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

/**
 * Drops what the form added but the user did not mean: keys absent from the document the editor
 * started from whose value is empty (`{}`, `[]`, null) or the schema's default (a switch turned on
 * and off again). Keys the document had are kept as they are, even when emptied.
 */
export function pruneAdded(doc: Record<string, unknown>, initial: Record<string, unknown>, node: Node = listSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    const child = childAt(node, key);
    if (key in initial) {
      out[key] = isObject(value) && isObject(initial[key]) ? pruneAdded(value, initial[key] as Record<string, unknown>, child) : value;
      continue;
    }
    const next = isObject(value) ? pruneAdded(value, {}, child) : value;
    if (isEmpty(next)) continue;
    if (child?.default !== undefined && JSON.stringify(child.default) === JSON.stringify(next)) continue;
    out[key] = next;
  }
  return out;
}
