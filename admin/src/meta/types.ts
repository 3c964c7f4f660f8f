/**
 * Shape of `GET /api/meta`: the compiled runtime configuration as the admin sees it, taken from the
 * API's zod schema of it (api/src/meta/schema.ts) so that the two cannot drift apart.
 */
import type { MetaList as ApiMetaList, MetaWithPermissions } from '@credit/api/meta';

/** The model and the caller's permission matrix. */
export type Meta = MetaWithPermissions;
export type MetaPlatform = Meta['platform'];
export type MetaDepartment = Meta['departments'][number];
export type MetaRole = Meta['roles'][number];
export type MetaMaterial = Meta['materials'][number];
export type MetaMatter = Meta['matters'][number];
export type MetaMeasure = Meta['measures'][number];
export type MetaPermissions = Meta['permissions'];
/** Where an action is allowed: every department, or these department codes. */
export type PermissionScope = MetaPermissions['global'][string];

export type ListKind = MetaList['kind'];

export type SubjectKind = MetaList['subjectKinds'][number];

export type ListCategory = MetaList['category'];

export type MeasureKind = MetaMeasure['kind'];

export type FieldType = MetaField['type'];

/** One list type, as the API's zod schema of it declares (api/src/meta/schema.ts). */
export type MetaList = ApiMetaList;
export type MetaField = MetaList['fields'][number];
export type MetaProcedure = MetaList['procedure'];
export type MetaState = MetaProcedure['states'][number];
/** `id` is the `:action` of `POST …/actions/:action`; `action` the permission that guards it (`system` for the scheduler). */
export type MetaTransition = MetaProcedure['transitions'][number];
/** A clock: the state (or event) it starts from, and one unit with a count, e.g. `{ working_days: 7 }`. */
export type MetaClock = MetaList['clocks'][number];

export interface Health {
  /** `degraded` (HTTP 503) when the process is up but the database is not. */
  status: 'ok' | 'degraded';
  database: 'pglite' | 'postgres';
  databaseUp?: boolean;
  /** Config version (content hash) the API process is running. */
  version: string;
  uptimeSeconds?: number;
}
