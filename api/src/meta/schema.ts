/**
 * The shape of `/api/meta` (and of the studio's preview of one list type): the compiled model as the
 * admin gets it, camelCase. `buildMeta`, `metaList` and `permissionMatrix` are typed by it, the OpenAPI
 * document describes it, and the admin takes its types from here, so none of them can drift apart.
 */
import { z } from 'zod';
import { GlobalAction, ListAction, ListType, Measure, Period, Role, SubjectKind, fieldTypes } from '../config/schema.ts';
import { stateIds } from '../procedures/graph.ts';

const Label = { label: z.string(), labelEn: z.string() };
const StateId = z.enum(stateIds);

export const MetaField = z.object({
  key: z.string(),
  label: z.string(),
  labelEn: z.string().optional(),
  type: z.enum(fieldTypes),
  required: z.boolean(),
  public: z.boolean(),
  options: z.array(z.string()).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().optional(),
  help: z.string().optional(),
});

export const MetaList = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string().optional(),
  kind: ListType.shape.kind,
  category: z.enum(['list', 'record']),
  department: z.string(),
  status: z.enum(['active', 'retired']),
  legalBasis: z.array(z.string()),
  description: z.string().optional(),
  subjectKinds: z.array(SubjectKind),
  portal: z.boolean(),
  personalInfo: z.object({ publish: z.boolean(), basis: z.string().nullable() }),
  fields: z.array(MetaField),
  procedure: z.object({
    initial: z.literal('draft'),
    states: z.array(z.object({ id: StateId, ...Label, terminal: z.boolean(), public: z.boolean() })),
    transitions: z.array(z.object({ id: z.string(), action: z.union([ListAction, z.literal('system')]), from: StateId, to: StateId, ...Label })),
  }),
  clocks: z.array(z.object({ id: z.string(), ...Label, from: z.string(), period: Period })),
  measures: z.array(z.string()),
  permissions: z.record(z.string(), z.array(z.string())).describe('操作 → 可执行的角色'),
});
export type MetaList = z.infer<typeof MetaList>;

const Named = { id: z.string(), name: z.string(), nameEn: z.string().optional() };

export const MetaPlatform = z.object({
  name: z.string(),
  nameEn: z.string().optional(),
  city: z.string(),
  timezone: z.string(),
  imports: z.object({ maxRows: z.number(), maxSizeMb: z.number() }),
});

export const MetaDepartment = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().optional(),
  fullName: z.string().optional(),
  parent: z.string().optional().describe('code of the parent department'),
  office: z.boolean().describe('the leading-group office (信用办)'),
});

export const MetaRole = z.object({ ...Named, scope: Role.shape.scope, client: Role.shape.client.unwrap(), actions: z.array(GlobalAction) });

export const MetaMeasure = z.object({
  ...Named,
  kind: Measure.shape.kind,
  legalBasis: z.array(z.string()),
  department: z.string().describe('implementing department'),
  matters: z.array(z.string()).describe('matter ids where it applies'),
  target: z.string().optional(),
});

/** Where an action is allowed: every department, or these department codes. */
export const PermissionScope = z.union([z.literal('all'), z.array(z.string())]);

export const MetaPermissions = z
  .object({
    lists: z.record(z.string(), z.record(z.string(), PermissionScope)).describe('list id → action → scope; an absent action is not allowed'),
    global: z.record(z.string(), PermissionScope).describe('global action → scope'),
    domains: z.array(z.string()).describe('departments the caller holds roles in (* for office-wide roles)'),
  })
  .describe('the caller’s permissions, so that the admin never asks per row');

export const Meta = z.object({
  version: z.string().describe('config version (content hash)'),
  platform: MetaPlatform,
  departments: z.array(MetaDepartment),
  roles: z.array(MetaRole),
  materials: z.array(z.object(Named)),
  matters: z.array(z.object(Named)),
  measures: z.array(MetaMeasure),
  lists: z.array(MetaList),
  plans: z.array(z.object({ id: z.string(), title: z.string(), issuedBy: z.string(), tasks: z.number().describe('number of tasks') })),
});
export type Meta = z.infer<typeof Meta>;
export type MetaPermissions = z.infer<typeof MetaPermissions>;

/** `GET /api/meta`: the model, and the caller's permissions. */
export const MetaWithPermissions = Meta.extend({ permissions: MetaPermissions });
export type MetaWithPermissions = z.infer<typeof MetaWithPermissions>;
