/**
 * The shape of a list type as the admin gets it (`/api/meta`, and the studio's preview of a change):
 * camelCase, compiled (the procedure graph, the clocks). `metaList` is typed by it, so the OpenAPI
 * document and the code cannot drift apart.
 */
import { z } from 'zod';
import { ListAction, ListType, Period, SubjectKind, fieldTypes } from '../config/schema.ts';
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
