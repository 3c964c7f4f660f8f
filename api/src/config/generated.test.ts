import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigDir } from '../lib/paths.ts';
import { withKeyReference } from './docs.ts';
import { configJsonSchema } from './json-schema.ts';

describe('generated config documents', () => {
  it('config/schema.json matches the zod schema (run pnpm config:schema)', async () => {
    const onDisk = JSON.parse(await readFile(join(defaultConfigDir, 'schema.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(configJsonSchema())));
  });

  it('the key reference in config/README.md matches the zod schema (run pnpm config:schema)', async () => {
    const readme = await readFile(join(defaultConfigDir, 'README.md'), 'utf8');
    expect(readme).toBe(withKeyReference(readme));
    expect(readme).toContain('| `procedure.notice.statement_period.working_days` |');
  });
});
