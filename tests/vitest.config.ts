import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tests',
    // e2e: the admin in Chromium against the real server (needs the built admin).
    include: ['integration/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
