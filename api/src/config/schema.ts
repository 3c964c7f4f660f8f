/**
 * The zod schema of every file in `config/`: the single source of the config's
 * types, its validation, `config/schema.json` and the OpenAPI shapes built on it.
 * Keys are snake_case because clerks edit these files by hand.
 */
import { z } from 'zod';

/** URL-safe ids: they become path segments, Casbin domains and file names. */
export const idPattern = /^[a-z0-9][a-z0-9-]*$/;
export const Id = z
  .string()
  .regex(idPattern, { message: 'id 只能包含小写字母、数字和连字符，且不能以连字符开头' })
  .max(64)
  .describe('URL-safe id: lowercase letters, digits and hyphens');
/** Measure ids follow the national catalogue style (M-GOV-PROCUREMENT-BAN). */
export const MeasureId = z
  .string()
  .regex(/^[A-Z][A-Z0-9-]*$/, { message: '措施编号只能包含大写字母、数字和连字符' })
  .max(64);

const IsoDate = z.iso.date().describe('YYYY-MM-DD');
const Text = z.string().trim().min(1);
const LegalBasis = z
  .array(Text)
  .min(1)
  .describe('Laws, regulations or central policies that allow this; at least one');

/**
 * A period is one unit and a count, e.g. `{ working_days: 5 }` or `{ years: 3 }`;
 * `day_of_following_month: 15` is the calendar rule of the tax list.
 */
export const Period = z
  .strictObject({
    working_days: z.number().int().positive().optional(),
    days: z.number().int().positive().optional(),
    months: z.number().int().positive().optional(),
    years: z.number().int().positive().optional(),
    day_of_following_month: z.number().int().min(1).max(28).optional(),
  })
  .refine((p) => Object.values(p).filter((v) => v !== undefined).length === 1, {
    message: '期限必须且只能指定一个单位（working_days、days、months、years 或 day_of_following_month）',
  })
  .describe('One unit: working_days | days | months | years | day_of_following_month');
export type Period = z.infer<typeof Period>;

/** The date a clock counts from; each is set when the entry enters a state. */
export const ClockStart = z.enum([
  'created',
  'notice_served',
  'decision',
  'published',
  'corrected',
  'received',
  'applied',
]);
export type ClockStart = z.infer<typeof ClockStart>;

export const Clock = z.strictObject({
  period: Period,
  from: ClockStart.optional(),
});

// ---------------------------------------------------------------- platform.yaml

/** File types an attachment may have; api/src/attachments/sniff.ts recognises each by its content. */
export const attachmentTypes = ['pdf', 'ofd', 'png', 'jpeg', 'docx', 'xlsx'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

export const Material = z.strictObject({
  id: Id,
  name: Text,
  name_en: Text.optional(),
  description: Text.optional(),
});

export const Matter = z.strictObject({
  id: Id,
  name: Text,
  name_en: Text.optional(),
});

export const SeverityTier = z.strictObject({
  id: Id,
  name: Text,
  name_en: Text.optional(),
  publish: z.boolean().default(true).describe('false: not published at all'),
  min: Period.optional().describe('minimum publication period, before which repair is not possible'),
  max: Period.describe('maximum publication period (the term)'),
});

/** Dated so that a rule change is a new regime, never an edit of history. */
export const PublicationRegime = z.strictObject({
  id: Id,
  name: Text,
  effective_from: IsoDate,
  legal_basis: LegalBasis,
  tiers: z.array(SeverityTier).min(1),
});

export const OutboxEndpoint = z.strictObject({
  id: Id,
  name: Text,
  url: z.url(),
  events: z.array(z.enum(['published', 'corrected', 'repaired', 'revoked', 'exited', 'reinstated'])).min(1),
  enabled: z
    .boolean()
    .default(true)
    .describe('false: messages for this endpoint are still written and kept pending, but not sent (e.g. a placeholder address)'),
  secret_env: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .optional()
    .describe('name of the environment variable holding the HMAC-SHA256 signing secret (X-Credit-Signature); unsigned when absent'),
});

export const OutboxDelivery = z.strictObject({
  interval_seconds: z.number().positive().max(3600).default(10).describe('how often each API process looks for due messages'),
  batch_size: z.number().int().min(1).max(500).default(20).describe('messages claimed per round'),
  lease_seconds: z.number().int().min(5).max(3600).default(120).describe('a claimed message is reclaimed by another process after this long (crash safety)'),
  timeout_seconds: z.number().positive().max(300).default(10).describe('HTTP request timeout'),
  max_attempts: z.number().int().min(1).max(100).default(10).describe('after this many failed attempts a message becomes a dead letter'),
  backoff_base_seconds: z.number().positive().default(30).describe('delay after the first failure; doubled after each further failure'),
  backoff_max_seconds: z.number().positive().default(21_600).describe('longest delay between attempts'),
  jitter: z.number().min(0).max(1).default(0.2).describe('fraction of each delay taken off at random, so retries of many messages spread out'),
});
const outboxDeliveryDefaults = {
  interval_seconds: 10,
  batch_size: 20,
  lease_seconds: 120,
  timeout_seconds: 10,
  max_attempts: 10,
  backoff_base_seconds: 30,
  backoff_max_seconds: 21_600,
  jitter: 0.2,
};

export const Platform = z.strictObject({
  name: Text.describe('shown in the header, e.g. 示例市社会信用体系建设领导小组办公室'),
  name_en: Text.optional(),
  city: Text,
  timezone: z.string().default('Asia/Shanghai'),
  locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
  calendar: z
    .strictObject({
      source: z
        .enum(['chinese-days', 'none'])
        .default('chinese-days')
        .describe('seed public holidays and make-up days from the chinese-days package'),
      holidays: z.array(IsoDate).default([]).describe('extra non-working days'),
      workdays: z.array(IsoDate).default([]).describe('extra working days (调休 make-up days)'),
    })
    .default({ source: 'chinese-days', holidays: [], workdays: [] }),
  materials: z.array(Material).min(1),
  matters: z.array(Matter).min(1).describe('business matters that check-before-act names'),
  publication_regimes: z.array(PublicationRegime).default([]),
  personal_info: z
    .strictObject({
      mask_id: z
        .strictObject({ keep_first: z.number().int().min(0).default(6), keep_last: z.number().int().min(0).default(4) })
        .default({ keep_first: 6, keep_last: 4 }),
    })
    .default({ mask_id: { keep_first: 6, keep_last: 4 } }),
  security: z
    .strictObject({
      password: z
        .strictObject({
          min_length: z.number().int().min(8).default(10),
          min_classes: z.number().int().min(1).max(4).default(3),
          history: z.number().int().min(0).default(5),
          max_age_days: z.number().int().positive().optional(),
        })
        .default({ min_length: 10, min_classes: 3, history: 5 }),
      session: z
        .strictObject({
          idle_minutes: z.number().int().positive().default(30),
          max_hours: z.number().int().positive().default(12),
        })
        .default({ idle_minutes: 30, max_hours: 12 }),
      login: z
        .strictObject({
          max_failures: z.number().int().positive().default(5),
          lock_minutes: z.number().int().positive().default(15),
          rate_limit: z
            .strictObject({
              burst: z.number().int().min(1).max(1000).default(10).describe('failed attempts allowed at once'),
              per_minute: z.number().positive().max(1000).default(2).describe('further failed attempts allowed per minute after the burst'),
            })
            .default({ burst: 10, per_minute: 2 })
            .describe('failed logins per username and client address; past it, 429 even before the password is checked'),
        })
        .default({ max_failures: 5, lock_minutes: 15, rate_limit: { burst: 10, per_minute: 2 } }),
    })
    .default({
      password: { min_length: 10, min_classes: 3, history: 5 },
      session: { idle_minutes: 30, max_hours: 12 },
      login: { max_failures: 5, lock_minutes: 15, rate_limit: { burst: 10, per_minute: 2 } },
    }),
  http: z
    .strictObject({
      max_body_kb: z
        .number()
        .int()
        .min(16)
        .max(51_200)
        .default(1024)
        .describe('largest request body outside attachment uploads (which have attachments.max_size_mb), in KiB; larger is 413'),
    })
    .default({ max_body_kb: 1024 }),
  outbox: z
    .strictObject({ endpoints: z.array(OutboxEndpoint).default([]), delivery: OutboxDelivery.default(outboxDeliveryDefaults) })
    .default({ endpoints: [], delivery: outboxDeliveryDefaults }),
  attachments: z
    .strictObject({
      max_size_mb: z.number().positive().max(50).default(10).describe('largest file accepted, in MiB (files are stored in PostgreSQL)'),
      types: z
        .array(z.enum(attachmentTypes))
        .min(1)
        .default(['pdf', 'ofd', 'png', 'jpeg', 'docx', 'xlsx'])
        .describe('file types accepted, recognised by their content (magic bytes), not by the name or declared type'),
    })
    .default({ max_size_mb: 10, types: ['pdf', 'ofd', 'png', 'jpeg', 'docx', 'xlsx'] })
    .describe('evidence, materials and commitment letters uploaded to entries, objections and repair applications'),
  imports: z
    .strictObject({
      max_size_mb: z.number().positive().max(200).default(20).describe('largest import file accepted, in MiB (xlsx or csv)'),
      max_rows: z.number().int().positive().default(50_000).describe('most data rows one import file may have'),
      max_cell_chars: z.number().int().positive().default(20_000).describe('longest cell accepted, in characters'),
    })
    .default({ max_size_mb: 20, max_rows: 50_000, max_cell_chars: 20_000 })
    .describe('batch import of entries from spreadsheets (templates, dry run, commit)'),
});
export type Platform = z.infer<typeof Platform>;

// ---------------------------------------------------------------- departments.yaml

export const Department = z.strictObject({
  code: Id.describe('stable code; becomes the Casbin domain and the prefix of demo accounts'),
  name: Text,
  name_en: Text.optional(),
  full_name: Text.optional(),
  parent: Id.optional().describe('code of the parent department (district units under city bureaus)'),
  office: z.boolean().default(false).describe('true for the leading-group office (信用办)'),
});
export const DepartmentsFile = z.strictObject({ departments: z.array(Department).min(1) });

// ---------------------------------------------------------------- roles.yaml

/** Actions on one list type, granted per list in its `permissions`. */
export const listActions = [
  'view',
  'create',
  'edit-draft',
  'withdraw',
  'notify',
  'record-statement',
  'recognise',
  'publish',
  'answer-objection',
  'correct',
  'repair',
  'reinstate',
  'exit',
  'revoke',
  'export',
  'import',
] as const;
export const ListAction = z.enum(listActions);
export type ListAction = z.infer<typeof ListAction>;

/** Actions that are not tied to one list type, granted by the role itself. */
export const globalActions = [
  'lookup',
  'check',
  'feedback',
  'report-progress',
  'configure',
  'manage-users',
  'manage-api-keys',
  'import-historical',
  'view-audit',
  'view-reports',
] as const;
export const GlobalAction = z.enum(globalActions);
export type GlobalAction = z.infer<typeof GlobalAction>;

export const Role = z.strictObject({
  id: Id,
  name: Text,
  name_en: Text.optional(),
  scope: z.enum(['own', 'all']).describe('own: only the department the role is assigned in; all: every department'),
  client: z.enum(['user', 'api_key']).default('user').describe('api_key: a business system, not a person'),
  actions: z.array(GlobalAction).default([]),
});
export const RolesFile = z.strictObject({ roles: z.array(Role).min(1) });

// ---------------------------------------------------------------- measures.yaml

export const Measure = z.strictObject({
  id: MeasureId,
  name: Text,
  name_en: Text.optional(),
  kind: z.enum(['punishment', 'incentive']),
  legal_basis: LegalBasis,
  department: Id.describe('implementing department'),
  matters: z.array(Id).default([]).describe('business matters where it applies'),
  target: Text.optional().describe('who it applies to, e.g. 失信主体及其法定代表人'),
});
export const MeasuresFile = z.strictObject({ measures: z.array(Measure).min(1) });

// ---------------------------------------------------------------- lists/<id>.yaml

export const fieldTypes = [
  'string',
  'text',
  'number',
  'money',
  'date',
  'boolean',
  'enum',
  'multi-enum',
  'document',
] as const;
export const Field = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]*$/, { message: '字段 key 只能包含小写字母、数字和下划线，且以字母开头' }),
  label: Text,
  label_en: Text.optional(),
  type: z.enum(fieldTypes),
  required: z.boolean().default(false),
  public: z.boolean().default(false).describe('shown on the public portal; undeclared fields never leave the server'),
  options: z.array(Text).optional().describe('for enum and multi-enum'),
  min: z.number().optional(),
  max: z.number().optional(),
  max_length: z.number().int().positive().optional(),
  help: Text.optional(),
});
export type Field = z.infer<typeof Field>;

export const subjectKinds = ['legal_person', 'other_org', 'individual_business', 'natural_person'] as const;
export const SubjectKind = z.enum(subjectKinds);

export const EarlyExit = z.strictObject({
  id: Id,
  label: Text,
  after: Period.describe('minimum time on the list before this exit is possible'),
  from: ClockStart.default('published'),
  requires: z.array(Id).default([]).describe('material ids from platform.yaml'),
});

export const FieldCondition = z.strictObject({ field: z.string(), in: z.array(Text).min(1) });

export const ListType = z.strictObject({
  id: Id,
  name: Text,
  name_en: Text.optional(),
  kind: z.enum(['black', 'red', 'watch']),
  category: z.enum(['list', 'record']).default('list').describe('record: 双公示 information on the same engine'),
  department: Id.describe('owning department code'),
  status: z.enum(['active', 'retired']).default('active').describe('retired: no new entries'),
  legal_basis: LegalBasis,
  description: Text.optional(),
  subject_kinds: z.array(SubjectKind).min(1),
  portal: z.boolean().default(true).describe('published entries appear on the public portal'),
  personal_info: z
    .strictObject({
      publish: z.boolean().default(false).describe('natural persons shown on the portal'),
      basis: Text.nullable().default(null).describe('the basis for publishing personal information'),
    })
    .default({ publish: false, basis: null }),
  fields: z.array(Field).min(1),
  procedure: z.strictObject({
    notice: z
      .union([
        z.literal(false),
        z.strictObject({
          statement_period: Period,
          from: ClockStart.default('notice_served'),
          hearing: z.boolean().default(false).describe('the subject may request a hearing (听证)'),
        }),
      ])
      .default(false)
      .describe('prior notice (预先告知); false for lists without it'),
    recognise: z
      .union([
        z.literal(false),
        z.strictObject({
          separate_reviewer: z.boolean().default(false).describe('the drafter may not recognise'),
          decision_document: z.boolean().default(true),
        }),
      ])
      .default({ separate_reviewer: false, decision_document: true })
      .describe('false for record types, which are published without a recognition decision'),
    publish: z.strictObject({
      within: Period,
      from: ClockStart.default('decision'),
    }),
    disabled_actions: z
      .array(ListAction)
      .default([])
      .describe('turn single transitions off; the linter refuses a graph this breaks'),
  }),
  term: z
    .union([
      z.literal('none'),
      z.strictObject({
        default: Period.optional(),
        min: Period.optional(),
        max: Period.optional(),
        from: ClockStart.default('decision'),
        by_severity: z
          .strictObject({ regime: Id, field: z.string() })
          .optional()
          .describe('take min/max from a publication regime tier named by an enum field'),
      }),
    ])
    .describe("how long an entry stays on the list; 'none' for lists without an end"),
  exit: z
    .strictObject({
      on_term_end: z.enum(['automatic', 'manual']).default('automatic'),
      early: z.array(EarlyExit).default([]),
    })
    .default({ on_term_end: 'automatic', early: [] }),
  revoke: z
    .union([z.literal(false), z.strictObject({ within: Period, requires: z.array(Id).default([]) })])
    .default(false)
    .describe('undo a recognition whose basis was revoked; stop publication within the period'),
  repair: z
    .union([
      z.literal(false),
      z.strictObject({
        min_published: Period.optional(),
        from: ClockStart.default('published'),
        requires: z.array(Id).default([]),
        not_repairable_when: FieldCondition.optional(),
        accept_within: Period,
        decide_within: Period,
      }),
    ])
    .default(false),
  objection: z
    .union([
      z.literal(false),
      z.strictObject({ flag_within: Period.optional(), answer_within: Period }),
    ])
    .default(false),
  measures: z.array(MeasureId).default([]),
  permissions: z.partialRecord(ListAction, z.array(Id).min(1)).describe('roles per action, scoped by the role'),
});
export type ListType = z.infer<typeof ListType>;

// ---------------------------------------------------------------- assessment.yaml

export const indicatorKinds = [
  'double-publicity-on-time',
  'entries-published-on-time',
  'catalogue-coverage',
  'objections-answered-on-time',
  'repairs-decided-on-time',
  'expired-exited-on-time',
  'code-validity',
  'lookups-before-action',
  'plan-tasks-on-time',
] as const;

export const Scoring = z.union([
  z.strictObject({
    linear: z.strictObject({ zero_at: z.number(), full_at: z.number() }),
  }),
  z.strictObject({
    thresholds: z
      .array(z.strictObject({ at_least: z.number(), points_share: z.number().min(0).max(1) }))
      .min(1),
  }),
]);

export const Indicator = z.strictObject({
  id: Id,
  name: Text,
  name_en: Text.optional(),
  kind: z.enum(indicatorKinds),
  group: z.enum(['common', 'specific']).default('common'),
  weight: z.number().positive(),
  scoring: Scoring,
  params: z.record(z.string(), z.union([z.number(), z.string(), z.array(z.string())])).default({}),
  lists: z.array(Id).optional().describe('restrict to these list or record types'),
});

export const AssessmentFile = z.strictObject({
  total_points: z.number().positive().default(100),
  default_period: z.enum(['month', 'quarter', 'year']).default('quarter'),
  catalogue: z
    .array(z.strictObject({ department: Id, record_types: z.array(Id).min(1) }))
    .default([])
    .describe('the record types each department must report (应归尽归)'),
  indicators: z.array(Indicator).min(1),
});

// ---------------------------------------------------------------- plans/<id>.yaml

export const PlanTask = z.strictObject({
  no: z.string().regex(/^[0-9]+(\.[0-9]+)*$/, { message: '任务编号只能是数字，如 3 或 2.1' }),
  title: Text.optional(),
  text: Text,
  lead: z.array(Id).min(1).describe('牵头单位 department codes'),
  co: z.array(Id).default([]).describe('配合单位 department codes'),
  deadline: IsoDate,
  deadline_assumed: z.boolean().default(false).describe('true when the seed gives no deadline and the plan sets one'),
  deadline_note: Text.optional(),
});

export const Plan = z.strictObject({
  id: Id,
  title: Text,
  issued_by: Text,
  issued_on: IsoDate.optional(),
  source: Text.describe('the seed document transcribed'),
  unit_mapping: z
    .array(z.strictObject({ unit: Text, department: Id }))
    .min(1)
    .describe('each unit named in the source, mapped to a department code'),
  tasks: z.array(PlanTask).min(1),
});

// ---------------------------------------------------------------- demo-users.yaml

export const DemoUsersFile = z.strictObject({
  demo: z.literal(true).describe('marks the file as demo-only; refused when NODE_ENV=production'),
  per_department: z
    .array(Id)
    .default([])
    .describe('roles given to <department code>-<role> accounts in every department'),
  users: z
    .array(
      z.strictObject({
        username: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
        display_name: Text,
        roles: z.array(z.strictObject({ role: Id, department: z.union([Id, z.literal('*')]) })).min(1),
      }),
    )
    .default([]),
});

/** Each kind of file in `config/`, keyed the way the loader finds them. */
export const fileSchemas = {
  platform: Platform,
  departments: DepartmentsFile,
  roles: RolesFile,
  measures: MeasuresFile,
  assessment: AssessmentFile,
  list: ListType,
  plan: Plan,
  demoUsers: DemoUsersFile,
} as const;
export type FileKind = keyof typeof fileSchemas;
