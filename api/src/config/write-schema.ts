/** `pnpm config:schema`: regenerates config/schema.json from the zod schema. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { defaultConfigDir } from '../lib/paths.ts';
import { configJsonSchema } from './json-schema.ts';

const target = join(defaultConfigDir, 'schema.json');
await writeFile(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
