/**
 * Shape of `GET /api/meta`: the compiled runtime configuration as the admin sees it.
 * The required fields are the agreed contract; optional ones are extras the API already sends
 * (api/src/meta/build.ts) that the admin may use but must not depend on.
 */

export type SubjectKind = 'legal_person' | 'other_org' | 'individual_business' | 'natural_person';

export type ListKind = 'black' | 'red' | 'watch';

export type ListCategory = 'list' | 'record';

export type MeasureKind = 'punishment' | 'incentive';

export type FieldType =
  | 'string'
  | 'text'
  | 'number'
  | 'money'
  | 'date'
  | 'boolean'
  | 'enum'
  | 'multi-enum'
  | 'document';

export interface MetaPlatform {
  name: string;
  nameEn?: string;
  city: string;
  timezone: string;
  /** platform.yaml imports limits */
  imports?: { maxRows: number; maxSizeMb: number };
}

export interface MetaDepartment {
  code: string;
  name: string;
  nameEn?: string;
  fullName?: string;
  /** Code of the parent department, if any. */
  parent?: string;
  /** True for the leading-group office (信用办). */
  office: boolean;
}

export interface MetaRole {
  id: string;
  name: string;
  nameEn?: string;
  scope: 'own' | 'all';
  /** Who holds the role: `user` (a person) or `api_key` (a business system). */
  client?: 'user' | 'api_key' | boolean;
  actions?: string[];
}

export interface MetaMaterial {
  id: string;
  name: string;
  nameEn?: string;
}

export interface MetaMatter {
  id: string;
  name: string;
  nameEn?: string;
}

export interface MetaMeasure {
  id: string;
  name: string;
  nameEn?: string;
  kind: MeasureKind;
  legalBasis: string[];
  /** Implementing department code. */
  department: string;
  /** Matter ids the measure applies to. */
  matters: string[];
  target?: string;
}

export interface MetaField {
  key: string;
  label: string;
  labelEn?: string;
  type: FieldType;
  required: boolean;
  public: boolean;
  options?: string[];
  min?: number;
  max?: number;
  maxLength?: number;
  help?: string;
}

export interface MetaState {
  id: string;
  label: string;
  labelEn: string;
  terminal: boolean;
  public: boolean;
}

export interface MetaTransition {
  /** Transition id, the `:action` of `POST …/actions/:action`; absent means the same as `action`. */
  id?: string;
  from: string;
  to: string;
  /** Permission action that guards it (`system` for the scheduler). */
  action: string;
  label: string;
  labelEn: string;
}

export interface MetaProcedure {
  initial: string;
  states: MetaState[];
  transitions: MetaTransition[];
}

export interface MetaClock {
  id: string;
  label: string;
  labelEn?: string;
  /** State (or event) the clock starts from. */
  from: string;
  /** One unit and a count, e.g. `{ working_days: 7 }` or `{ years: 3 }`. */
  period: Record<string, number>;
}

export interface MetaList {
  id: string;
  name: string;
  nameEn?: string;
  kind: ListKind;
  category: ListCategory;
  department: string;
  legalBasis: string[];
  subjectKinds: SubjectKind[];
  portal: boolean;
  fields: MetaField[];
  procedure: MetaProcedure;
  clocks: MetaClock[];
  measures: string[];
  /** action → role ids allowed to perform it. */
  permissions: Record<string, string[]>;
  description?: string;
}

export interface Meta {
  /** Config content hash. */
  version: string;
  platform: MetaPlatform;
  departments: MetaDepartment[];
  roles: MetaRole[];
  materials: MetaMaterial[];
  matters: MetaMatter[];
  measures: MetaMeasure[];
  lists: MetaList[];
  /** The caller's permission matrix; sent once the user is logged in. */
  permissions?: MetaPermissions;
}

/** Where an action is allowed: every department, or these department codes. */
export type PermissionScope = 'all' | string[];

export interface MetaPermissions {
  /** List id → list action → scope. An absent action is not allowed. */
  lists: Record<string, Record<string, PermissionScope>>;
  /** Global action → scope. */
  global: Record<string, PermissionScope>;
  /** Departments the user holds roles in (`*` for office-wide roles). */
  domains?: string[];
}

export interface Health {
  /** `degraded` (HTTP 503) when the process is up but the database is not. */
  status: 'ok' | 'degraded';
  database: 'pglite' | 'postgres';
  databaseUp?: boolean;
  /** Config version (content hash) the API process is running. */
  version: string;
  uptimeSeconds?: number;
}
