import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    // The root workspace runs the projects api, admin and tests.
    name: 'admin',
    // Component tests render the whole shell in jsdom; the first one also pays for the imports.
    testTimeout: 20_000,
    // Pure modules run in node; component tests opt into jsdom with `// @vitest-environment jsdom`.
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    server: {
      deps: {
        // Refine ships ESM that imports CSS and untranspiled deps; let Vite process it.
        inline: [/@refinedev\//],
      },
    },
  },
});
