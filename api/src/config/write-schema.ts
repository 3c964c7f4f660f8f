/** `pnpm config:schema`: regenerates config/schema.json and the key reference of config/README.md. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { defaultConfigDir } from '../lib/paths.ts';
import { withKeyReference } from './docs.ts';
import { configJsonSchema } from './json-schema.ts';

const schemaFile = join(defaultConfigDir, 'schema.json');
await writeFile(schemaFile, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
const readmeFile = join(defaultConfigDir, 'README.md');
await writeFile(readmeFile, withKeyReference(await readFile(readmeFile, 'utf8')));
process.stdout.write(`wrote ${schemaFile} and ${readmeFile}\n`);
