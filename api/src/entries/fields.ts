/**
 * Request-body schemas generated from a list type's declared fields: one zod
 * type per field type, unknown fields refused (strict), cached per list type.
 */
import { z } from 'zod';
import type { CompiledList } from '../config/compile.ts';
import type { Field } from '../config/schema.ts';

const maxDecimals = (n: number) => (v: number) => Math.round(v * 10 ** n) === v * 10 ** n;

export function fieldType(f: Field): z.ZodType {
  switch (f.type) {
    case 'string':
      return z.string().trim().min(1).max(f.max_length ?? 500);
    case 'text':
      return z.string().trim().min(1).max(f.max_length ?? 20_000);
    case 'number': {
      let n = z.number().finite();
      if (f.min !== undefined) n = n.min(f.min);
      if (f.max !== undefined) n = n.max(f.max);
      return n;
    }
    case 'money': {
      let n = z.number().finite().min(f.min ?? 0);
      if (f.max !== undefined) n = n.max(f.max);
      return n.refine(maxDecimals(2), { message: '金额最多保留两位小数' });
    }
    case 'date':
      return z.iso.date();
    case 'boolean':
      return z.boolean();
    case 'enum':
      return z.enum((f.options ?? []) as [string, ...string[]]);
    case 'multi-enum':
      return z
        .array(z.enum((f.options ?? []) as [string, ...string[]]))
        .refine((a) => new Set(a).size === a.length, { message: '选项不能重复' });
    case 'document':
      return z.strictObject({
        number: z.string().trim().min(1).max(100),
        date: z.iso.date(),
        title: z.string().trim().min(1).max(200),
      });
  }
}

export type FieldSchemas = { create: z.ZodType<Record<string, unknown>>; patch: z.ZodType<Record<string, unknown>> };

const cache = new WeakMap<CompiledList, FieldSchemas>();

export function fieldSchemas(list: CompiledList): FieldSchemas {
  let s = cache.get(list);
  if (!s) {
    const create: Record<string, z.ZodType> = {};
    const patch: Record<string, z.ZodType> = {};
    for (const f of list.fields) {
      const t = fieldType(f);
      create[f.key] = f.required ? t : t.optional();
      // A patch may clear an optional field with null; a required one only changes.
      patch[f.key] = f.required ? t.optional() : t.nullable().optional();
    }
    s = {
      create: z.strictObject(create) as unknown as z.ZodType<Record<string, unknown>>,
      patch: z.strictObject(patch) as unknown as z.ZodType<Record<string, unknown>>,
    };
    cache.set(list, s);
  }
  return s;
}
