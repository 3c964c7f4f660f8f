/**
 * The key reference of config/README.md, generated from the JSON Schema (and so
 * from the zod schema): every key, its type, whether it is required, its default
 * and its description.
 */
import { configJsonSchema } from './json-schema.ts';

type Json = Record<string, unknown>;
type Row = { key: string; type: string; required: boolean; def?: unknown; description?: string };

function typeOf(s: Json): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${String(v)}\``).join(' | ');
  const alternatives = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (alternatives) return alternatives.map(typeOf).join(' | ');
  if (s.type === 'array') return `${typeOf((s.items as Json) ?? {})}[]`;
  if (s.type === 'string' && s.format) return `string (${String(s.format)})`;
  if (s.type === 'string' && s.pattern) return 'string (pattern)';
  if (s.type === 'object' && s.properties) return 'object';
  if (s.type === 'object') return 'map';
  return String(s.type ?? 'any');
}

function walk(s: Json, prefix: string, required: boolean, rows: Row[]): void {
  if (prefix) {
    rows.push({ key: prefix, type: typeOf(s), required, def: s.default, description: s.description as string | undefined });
  }
  const objects: Json[] = [];
  const collect = (x: Json) => {
    if (x.type === 'object' && x.properties) objects.push(x);
    else if (x.type === 'array' && x.items) {
      const items = x.items as Json;
      if (items.type === 'object' && items.properties) objects.push({ ...items, __array: true });
    }
    for (const alt of ((x.anyOf ?? x.oneOf) as Json[] | undefined) ?? []) collect(alt);
  };
  collect(s);
  for (const obj of objects) {
    const base = obj.__array ? `${prefix}[]` : prefix;
    const req = new Set((obj.required as string[] | undefined) ?? []);
    for (const [k, v] of Object.entries(obj.properties as Record<string, Json>)) {
      walk(v, base ? `${base}.${k}` : k, req.has(k), rows);
    }
  }
}

const cell = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function keyReference(): string {
  const schema = configJsonSchema();
  const defs = schema.$defs as Record<string, Json>;
  const parts: string[] = [];
  for (const def of Object.values(defs)) {
    const rows: Row[] = [];
    walk(def, '', true, rows);
    parts.push(
      `### \`${String(def.title)}\`\n\n| key | type | required | default | meaning |\n|---|---|---|---|---|\n` +
        rows
          .map((r) => `| \`${r.key}\` | ${cell(r.type)} | ${r.required && r.def === undefined ? 'yes' : ''} | ${r.def === undefined ? '' : `\`${cell(JSON.stringify(r.def))}\``} | ${cell(r.description)} |`)
          .join('\n'),
    );
  }
  return parts.join('\n\n');
}

export const startMarker = '<!-- generated:keys:start (pnpm config:schema) -->';
export const endMarker = '<!-- generated:keys:end -->';

export function withKeyReference(readme: string): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error('config/README.md lacks the generated-keys markers');
  return `${readme.slice(0, start + startMarker.length)}\n\n${keyReference()}\n\n${readme.slice(end)}`;
}
