/**
 * The types of `/api/meta` for the admin (`@credit/api/meta`). Types only, so that an import without
 * `type` fails to compile instead of pulling zod and the config schema into the browser bundle.
 */
export type { Meta, MetaList, MetaPermissions, MetaWithPermissions } from './schema.ts';
