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
  const out: string[] = [];
  write(toJsonValue(value), out);
  return out.join('');
}

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
