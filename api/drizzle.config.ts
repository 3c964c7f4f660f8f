import { defineConfig } from 'drizzle-kit';

// Migrations live at the repo root (fixed layout) and are applied at start by
// src/db/migrate.ts; run `pnpm db:generate` after changing src/db/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: '../migrations',
  strict: true,
  verbose: true,
});
