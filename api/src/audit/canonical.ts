/**
 * Canonical JSON for hashing: the same value always gives the same text, no
 * matter in which order its keys were written or how PostgreSQL's jsonb
 * reordered them.
 *
 * Rules (those of RFC 8785 / JCS for every value jsonb can hold):
 * - the value is first reduced to what JSON.stringify keeps, i.e. exactly what
 *   a jsonb column stores: `toJSON()` applied (Date → ISO string), `undefined`,
 *   functions and symbols dropped from objects and turned into `null` in
 *   arrays, NaN and ±Infinity → null; a top-level `undefined` is `null`;
 * - object keys sorted by UTF-16 code units (plain `Array#sort`), no whitespace;
 * - strings and numbers written as JSON.stringify writes them (shortest
 *   round-trip number form, e.g. 1e21 → "1e+21").
 *
 * BigInt and cycles throw, as in JSON.stringify.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The value as a jsonb column stores it (JSON round trip); `undefined` → null. */
export function toJsonValue(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

export function canonicalJson(value: unknown): string {
  const fast = plainJson(value, 0);
  if (fast !== null) return fast;
  const out: string[] = [];
  write(toJsonValue(value), out);
  return out.join('');
}

/**
 * Fast path, the same text without the JSON round trip: for values made only
 * of plain objects, arrays and primitives (what JSON.stringify would keep as
 * is, dropping `undefined`, functions and symbols from objects and writing
 * them as null in arrays, non-finite numbers as null). Returns null on
 * anything else (Date, toJSON, class instances, BigInt, very deep or cyclic
 * values), and `canonicalJson` then takes the general path.
 */
function plainJson(v: unknown, depth: number): string | null {
  switch (typeof v) {
    case 'string':
      // JSON.stringify leaves these strings as they are: no quote, backslash, control character or surrogate.
      return NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null';
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
    case 'object':
      break;
    default:
      return null;
  }
  if (v === null) return 'null';
  if (depth > 200) return null;
  const proto = Object.getPrototypeOf(v);
  if (Array.isArray(v)) {
    if (proto !== Array.prototype) return null;
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const item = plainJson(v[i], depth + 1);
      if (item === null) return null;
      out += i > 0 ? `,${item}` : item;
    }
    return `${out}]`;
  }
  if (proto !== Object.prototype && proto !== null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.toJSON === 'function') return null;
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const value = o[key];
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    const item = plainJson(value, depth + 1);
    if (item === null) return null;
    const k = NEEDS_ESCAPE.test(key) ? JSON.stringify(key) : `"${key}"`;
    out += first ? `${k}:${item}` : `,${k}:${item}`;
    first = false;
  }
  return `${out}}`;
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function write(v: JsonValue, out: string[]): void {
  if (v === null || typeof v !== 'object') {
    // null, boolean, finite number, string: JSON.stringify is already canonical.
    out.push(JSON.stringify(v));
    return;
  }
  if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
    return;
  }
  // JSON.parse creates own data properties only, "__proto__" included.
  const keys = Object.keys(v).sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(v[key] as JsonValue, out);
  });
  out.push('}');
}
