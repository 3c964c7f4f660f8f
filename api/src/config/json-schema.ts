import { z } from 'zod';
import { fileSchemas } from './schema.ts';

const titles: Record<keyof typeof fileSchemas, string> = {
  platform: 'platform.yaml',
  departments: 'departments.yaml',
  roles: 'roles.yaml',
  measures: 'measures.yaml',
  assessment: 'assessment.yaml',
  list: 'lists/<id>.yaml',
  plan: 'plans/<id>.yaml',
  demoUsers: 'demo-users.yaml',
};

/**
 * One JSON Schema for every config file: each file's shape under $defs, and the
 * document as any of them, so one `$schema` comment serves all files in an editor.
 */
export function configJsonSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const [kind, schema] of Object.entries(fileSchemas)) {
    const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    defs[kind] = { title: titles[kind as keyof typeof fileSchemas], ...json };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'credit-lists-config',
    title: '信用名单配置文件 / Credit Lists config file',
    description: 'Generated from api/src/config/schema.ts by `pnpm config:schema`; do not edit.',
    anyOf: Object.keys(defs).map((k) => ({ $ref: `#/$defs/${k}` })),
    $defs: defs,
  };
}
