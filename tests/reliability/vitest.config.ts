import { defineConfig } from 'vitest/config';

// The reliability suite (issue #9): fuzzing every route, database faults on a
// private PostgreSQL, two API processes on one database, audit tampering.
export default defineConfig({
  test: {
    name: 'reliability',
    include: ['**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
