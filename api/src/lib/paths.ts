import { fileURLToPath } from 'node:url';

/** Absolute paths from this file, so that nothing depends on the working directory. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const defaultConfigDir = fileURLToPath(new URL('../../../config/', import.meta.url));
export const migrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url));
export const adminDistDir = fileURLToPath(new URL('../../../admin/dist/', import.meta.url));
