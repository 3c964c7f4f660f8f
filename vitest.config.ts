import { defineConfig } from 'vitest/config';

// One runner for the whole workspace: each package is a project.
export default defineConfig({
  test: { projects: ['api', 'admin', 'tests', 'tests/reliability'] },
});
