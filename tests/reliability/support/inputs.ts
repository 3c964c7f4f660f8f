/**
 * Adversarial inputs for the route fuzzer: values near a JSON schema (from the
 * API's own OpenAPI document), mutations of them, hostile strings and broken
 * request bodies.
 */
import fc from 'fast-check';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  default?: unknown;
};

/** Strings that have broken parsers, SQL builders, templates, path handling and encoders elsewhere. */
export const hostileStrings = [
  "' OR '1'='1",
  "'; DROP TABLE entries; --",
  '1; select pg_sleep(0) --',
  '" OR ""="',
  '\\',
  '%',
  '_',
  '%25%32%35',
  '%E0%A4%A',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup string, sent on purpose
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202E',
  '😀'.repeat(40),
  '𠀀𠀁𠀂',
  'NaN',
  'Infinity',
  '-0',
  '1e400',
  '-9223372036854775809',
  '9999999999999999999999',
  '0x7fffffff',
  '2026-02-30',
  '2026-13-45',
  '0000-00-00',
  '2026-11-02T25:61:00Z',
  'null',
  'true',
  '[]',
  '{}',
  ' ',
  '',
  'x'.repeat(300),
  '测'.repeat(5000),
];

/** The few that most often break a server that is otherwise right: tried often in otherwise valid bodies. */
export const classicHostile = ['\u0000', 'a\u0000b', '\ud800', "' OR '1'='1", '../../etc/passwd', '%00', '<script>alert(1)</script>', '测'.repeat(5000)];

/** One string of about 1 MB, shared (building it per run would dominate the fuzzer's time). */
export const hugeString = 'A'.repeat(1_000_000);

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constant(hugeString) },
);

/** Any JSON value, hostile strings included. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('v'), { maxKeys: 4 }),
  ),
})).v;

const date = fc.oneof(
  fc.date({ min: new Date('1990-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-11-02', '2026-02-30', '2026-1-2', '20261102'),
);

/** Values near the schema: mostly valid, with its bounds and formats, never more than a few items. */
export function nearSchema(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    const target = components[name];
    return target && depth < 6 ? nearSchema(target, components, depth + 1) : anyJson;
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => nearSchema(s, components, depth + 1)));
  if (schema.allOf?.length) return nearSchema(schema.allOf[0] as JsonSchema, components, depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => nearSchema({ ...schema, type }, components, depth)));
  switch (types[0]) {
    case 'string':
      if (schema.format === 'date') return date;
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 30, 30)) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e9, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items && depth < 6 ? nearSchema(schema.items, components, depth + 1) : anyJson, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object': {
      const props = schema.properties ?? {};
      const keys = Object.keys(props);
      if (!keys.length || depth >= 6) return fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 3 });
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const k of keys) record[k] = nearSchema(props[k] as JsonSchema, components, depth + 1);
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => keys.includes(k)) });
    }
    default:
      return anyJson;
  }
}

type Path = (string | number)[];

function stringLeaves(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (typeof value === 'string') out.push(at);
  else if (Array.isArray(value)) value.forEach((v, i) => stringLeaves(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) stringLeaves(v, [...at, k], out);
  return out;
}

function replaceAt(value: unknown, path: Path, leaf: unknown): unknown {
  if (!path.length) return leaf;
  const [head, ...rest] = path as [string | number, ...Path];
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, leaf) : v));
  const obj = value as Record<string, unknown>;
  return { ...obj, [head]: replaceAt(obj[head], rest, leaf) };
}

/** The value with one of its strings, at any depth, replaced by a hostile one: everything else stays valid. */
export function hostileLeaf(value: unknown): fc.Arbitrary<unknown> | undefined {
  const leaves = stringLeaves(value);
  if (!leaves.length) return undefined;
  const leafValue = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...classicHostile) }, { weight: 2, arbitrary: hostileString });
  return fc.tuple(fc.constantFrom(...leaves), leafValue).map(([path, s]) => replaceAt(value, path, s));
}

/** A value with one thing wrong: a key dropped, a value of the wrong type or hostile, an unknown key, or nested wrongness. */
export function mutated(value: unknown): fc.Arbitrary<unknown> {
  const leaf = hostileLeaf(value);
  return leaf ? fc.oneof({ weight: 2, arbitrary: leaf }, { weight: 3, arbitrary: shapeMutated(value) }) : shapeMutated(value);
}

function shapeMutated(value: unknown): fc.Arbitrary<unknown> {
  if (value === null || typeof value !== 'object') return fc.oneof(anyJson, hostileString);
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const options: fc.Arbitrary<unknown>[] = [
    fc.tuple(hostileString, anyJson).map(([k, v]) => ({ ...obj, [k]: v })),
    fc.constant(Array.isArray(value) ? Object.assign({}, value) : [obj]),
  ];
  if (keys.length) {
    const key = fc.constantFrom(...keys);
    options.push(
      key.map((k) => {
        const { [k]: _gone, ...rest } = obj;
        return rest;
      }),
      fc.tuple(key, fc.oneof(anyJson, hostileString)).map(([k, v]) => ({ ...obj, [k]: v })),
      key.chain((k) => shapeMutated(obj[k]).map((v) => ({ ...obj, [k]: v }))),
    );
  }
  return fc.oneof(...options);
}

/** Bodies that are not JSON, or not what the route expects, as raw text. */
export const brokenBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '{', '{"version": 1, "reason": ', '{"a":1,}', "{'a': 1}", 'null', '[]', '[1,2]', '"text"', '42', 'true', '\uFEFF{}', '{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {"x": 1}}}'),
  fc.constant(`${'['.repeat(5000)}${']'.repeat(5000)}`),
  fc.constant(`{"a":"${hugeString}"}`),
  fc.string({ maxLength: 60 }),
  anyJson.map((v) => JSON.stringify(v) ?? 'undefined'),
);

export const weirdContentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  '',
);
