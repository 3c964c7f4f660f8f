/**
 * The fixed tables. Nothing here names a list type: everything a list type
 * declares in config/ lives in `entries.fields` (JSONB, validated by the zod
 * schema generated from the list type), so adding a list type never needs a
 * migration.
 *
 * Conventions: SQL names are snake_case, TS names camelCase; instants are
 * `timestamptz` read as `Date`; calendar days (due dates, decision dates) are
 * `date` read as 'YYYY-MM-DD' strings, because a due date is a day in the
 * office's calendar, not an instant, and must not shift with the time zone.
 *
 * Scaling note: past one server, entries and their events/objections/repairs
 * are meant to be distributed on Citus by subject (entries.subject_id). Keep
 * queries on these tables filterable by subject and avoid new cross-entry
 * unique constraints that do not include the subject.
 */
import { relations, sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// ---------------------------------------------------------------------------
// column helpers

/** An instant, stored with its zone so several API processes agree on it. */
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** A calendar day ('YYYY-MM-DD'). */
const day = (name: string) => date(name, { mode: 'string' });
const createdAt = () => instant('created_at').notNull().defaultNow();
const updatedAt = () =>
  instant('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
const id = () => uuid('id').primaryKey().defaultRandom();

/**
 * drizzle-orm 0.45 has no bytea column. postgres.js reads bytea as Buffer and
 * PGlite as Uint8Array; Buffer is a Uint8Array, so callers get one type.
 */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

export const SUBJECT_KINDS = ['legal_person', 'other_org', 'individual_business', 'natural_person'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export const REQUEST_SOURCES = ['staff', 'public'] as const;
export type RequestSource = (typeof REQUEST_SOURCES)[number];

const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

// ---------------------------------------------------------------------------
// people, roles, credentials

export const users = pgTable('users', {
  id: id(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: instant('locked_until'),
  passwordChangedAt: instant('password_changed_at').notNull().defaultNow(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Previous hashes, so a password cannot be reused (kept per policy in platform.yaml). */
export const passwordHistory = pgTable(
  'password_history',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('password_history_user_idx').on(t.userId, t.createdAt)],
);

/**
 * Role grants. `department` is a department code from departments.yaml or '*'
 * for office-wide grants; Casbin policy is built from these rows plus config.
 */
export const userRoles = pgTable(
  'user_roles',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    department: text('department').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('user_roles_user_role_department_uq').on(t.userId, t.role, t.department),
    index('user_roles_department_idx').on(t.department),
  ],
);

/** Only a hash of the session token is stored, so a leaked table cannot be replayed. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastSeenAt: instant('last_seen_at').notNull().defaultNow(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Keys for business systems (check-before-act); `prefix` lets staff recognise a key without the secret. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    name: text('name').notNull(),
    department: text('department').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    actions: text('actions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    revokedAt: instant('revoked_at'),
    lastUsedAt: instant('last_used_at'),
  },
  (t) => [index('api_keys_department_idx').on(t.department)],
);

// ---------------------------------------------------------------------------
// subjects and entries

/**
 * One row per credit subject. `code` is the unified social credit code or ID
 * number; `code_valid` false with an `override_reason` records an audited
 * checksum override (some early codes fail the checksum in real data).
 */
export const subjects = pgTable(
  'subjects',
  {
    id: id(),
    kind: text('kind').$type<SubjectKind>().notNull(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    codeValid: boolean('code_valid').notNull().default(true),
    overrideReason: text('override_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    check('subjects_kind_ck', inList('kind', SUBJECT_KINDS)),
    index('subjects_name_idx').on(t.name),
    // The portal's name search (ILIKE '%part%'): trigrams, since a btree cannot help a leading wildcard.
    // Needs the pg_trgm extension (created by the migration; loaded into PGlite by db/client.ts).
    index('subjects_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    // Reports (code validity): the few subjects whose code fails its checksum.
    index('subjects_invalid_code_idx')
      .on(t.id)
      .where(sql`not ${t.codeValid}`),
  ],
);

/**
 * One subject on one list. Due dates are computed by procedures/ when a state
 * is entered and stored, so reports and the scheduler read plain columns.
 * Citus: distribution column is subject_id (see the file header).
 */
export const entries = pgTable(
  'entries',
  {
    id: id(),
    listId: text('list_id').notNull(),
    department: text('department').notNull(),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => subjects.id),
    status: text('status').notNull(),
    /** Optimistic locking: every action sends the version it read. */
    version: integer('version').notNull().default(1),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default({}),
    relatedPersons: jsonb('related_persons').$type<Record<string, unknown>[]>().notNull().default([]),
    decisionNo: text('decision_no'),
    decisionDate: day('decision_date'),
    noticeServedAt: day('notice_served_at'),
    recognisedAt: instant('recognised_at'),
    publishedAt: instant('published_at'),
    exitedAt: instant('exited_at'),
    exitReason: text('exit_reason'),
    noticeEnd: day('notice_end'),
    publishDue: day('publish_due'),
    minPeriodEnd: day('min_period_end'),
    termEnd: day('term_end'),
    /** Every clock's due date (clock id → YYYY-MM-DD), as computed when its state was entered. */
    due: jsonb('due').$type<Record<string, string>>().notNull().default({}),
    overdue: boolean('overdue').notNull().default(false),
    /** Config version (content hash) the entry was created / recognised under, for reproducible rules. */
    configVersionCreated: text('config_version_created').notNull(),
    configVersionRecognised: text('config_version_recognised'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('entries_list_department_status_idx').on(t.listId, t.department, t.status),
    index('entries_subject_idx').on(t.subjectId),
    index('entries_department_status_idx').on(t.department, t.status),
    index('entries_term_end_idx').on(t.termEnd),
    index('entries_publish_due_idx').on(t.publishDue),
    // Reports: entries recorded in a period (code validity, monthly statistics).
    index('entries_created_at_idx').on(t.createdAt),
    // field filters from the admin's list pages use jsonb containment (fields @> ...)
    index('entries_fields_gin_idx').using('gin', t.fields.op('jsonb_path_ops')),
    // The public portal pages through published entries newest first (its ORDER BY, exactly):
    // the first page reads 20 index entries instead of sorting every published entry
    // (id DESC NULLS FIRST is what `desc(id)` means; the planner does not use NOT NULL to match orders).
    // 'published' is the engine's one public state (lookup/scope.ts publicStatuses).
    index('entries_published_idx')
      .on(t.publishedAt.desc().nullsLast(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'published'`),
    // Search by code on the portal: the subject's published entries.
    index('entries_published_subject_idx')
      .on(t.subjectId)
      .where(sql`${t.status} = 'published'`),
  ],
);

/**
 * Every transition of an entry. `seq` is gap-free per entry (assigned under
 * the entry's row lock), which makes a missing event detectable.
 */
export const entryEvents = pgTable(
  'entry_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => entries.id),
    seq: integer('seq').notNull(),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    /** user | api_key | system | public (a portal filing: no user, no key). */
    actorKind: text('actor_kind').$type<'user' | 'api_key' | 'system' | 'public'>().notNull().default('system'),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorApiKeyId: uuid('actor_api_key_id').references(() => apiKeys.id),
    comment: text('comment'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [
    unique('entry_events_entry_seq_uq').on(t.entryId, t.seq),
    index('entry_events_action_at_idx').on(t.action, t.at),
    check('entry_events_actor_kind_ck', inList('actor_kind', ['user', 'api_key', 'system', 'public'])),
  ],
);

export const objections = pgTable(
  'objections',
  {
    id: id(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => entries.id),
    status: text('status').notNull(),
    source: text('source').$type<RequestSource>().notNull(),
    /** Given to the public filer to follow up without an account. */
    trackingNo: text('tracking_no').unique(),
    content: text('content').notNull(),
    contact: jsonb('contact').$type<Record<string, unknown>>(),
    receivedAt: instant('received_at').notNull().defaultNow(),
    dueAt: day('due_at'),
    answeredAt: instant('answered_at'),
    result: text('result'),
    answer: text('answer'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('objections_source_ck', inList('source', REQUEST_SOURCES)),
    index('objections_entry_idx').on(t.entryId),
    index('objections_status_due_idx').on(t.status, t.dueAt),
  ],
);

export const repairs = pgTable(
  'repairs',
  {
    id: id(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => entries.id),
    status: text('status').notNull(),
    source: text('source').$type<RequestSource>().notNull(),
    trackingNo: text('tracking_no').unique(),
    application: jsonb('application').$type<Record<string, unknown>>().notNull().default({}),
    materials: jsonb('materials').$type<unknown[]>().notNull().default([]),
    appliedAt: instant('applied_at').notNull().defaultNow(),
    acceptDue: day('accept_due'),
    decideDue: day('decide_due'),
    acceptedAt: instant('accepted_at'),
    decidedAt: instant('decided_at'),
    result: text('result'),
    reason: text('reason'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('repairs_source_ck', inList('source', REQUEST_SOURCES)),
    index('repairs_entry_idx').on(t.entryId),
    index('repairs_status_decide_due_idx').on(t.status, t.decideDue),
  ],
);

/**
 * Files kept in the database so backup and multi-process access need nothing
 * else. `owner_id` is text because owners have uuid or bigint keys.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    ownerType: text('owner_type').notNull(),
    ownerId: text('owner_id').notNull(),
    /** The entry the owner belongs to (the entry itself, or the entry of an objection or repair application): row scope and listing. */
    entryId: uuid('entry_id').references(() => entries.id, { onDelete: 'cascade' }),
    /** evidence | material | other */
    kind: text('kind').notNull().default('other'),
    /** For materials: the platform.yaml material id (commitment-letter, fulfilment-proof, …). */
    materialType: text('material_type'),
    filename: text('filename').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_owner_idx').on(t.ownerType, t.ownerId), index('attachments_entry_idx').on(t.entryId)],
);

/**
 * Gap-free document numbers (e.g. 决定书 numbers): increment `last_no` with
 * UPDATE ... RETURNING inside the transaction that uses the number, so a
 * rollback also gives the number back.
 */
export const docSequences = pgTable(
  'doc_sequences',
  {
    department: text('department').notNull(),
    year: integer('year').notNull(),
    docType: text('doc_type').notNull(),
    lastNo: integer('last_no').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.department, t.year, t.docType] })],
);

// ---------------------------------------------------------------------------
// business systems: check-before-act and feedback

export const checks = pgTable(
  'checks',
  {
    id: id(),
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id),
    subjectCode: text('subject_code').notNull(),
    matter: text('matter').notNull(),
    result: jsonb('result').$type<Record<string, unknown>>().notNull(),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [index('checks_api_key_at_idx').on(t.apiKeyId, t.at), index('checks_subject_code_idx').on(t.subjectCode), index('checks_at_idx').on(t.at)],
);

export const measuresApplied = pgTable(
  'measures_applied',
  {
    id: id(),
    checkId: uuid('check_id')
      .notNull()
      .references(() => checks.id),
    measures: text('measures').array().notNull(),
    outcome: text('outcome').notNull(),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [index('measures_applied_check_idx').on(t.checkId), index('measures_applied_at_idx').on(t.at)],
);

// ---------------------------------------------------------------------------
// audit and query-use registration

/**
 * Append-only, hash-chained per `chain` ('entry:<id>', 'users', ...): short
 * chains keep appends from contending on one head row. `prev_hash` is null for
 * the first record of a chain.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chain: text('chain').notNull(),
    seq: integer('seq').notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
    actor: jsonb('actor').$type<Record<string, unknown>>().notNull(),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [
    unique('audit_log_chain_seq_uq').on(t.chain, t.seq),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_at_idx').on(t.at),
  ],
);

/** Periodic snapshot of every chain head, so truncating a chain's tail is detectable too. */
export const auditCheckpoints = pgTable('audit_checkpoints', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  heads: jsonb('heads').$type<Record<string, { seq: number; hash: string }>>().notNull(),
  hash: text('hash').notNull(),
  at: instant('at').notNull().defaultNow(),
});

/** 查询使用登记: who looked up which subject, when and why. */
export const queryLog = pgTable(
  'query_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorApiKeyId: uuid('actor_api_key_id').references(() => apiKeys.id),
    department: text('department'),
    subjectCode: text('subject_code').notNull(),
    purpose: text('purpose').notNull(),
    matter: text('matter'),
    resultCount: integer('result_count').notNull(),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [
    index('query_log_subject_code_at_idx').on(t.subjectCode, t.at),
    index('query_log_department_at_idx').on(t.department, t.at),
    index('query_log_at_idx').on(t.at),
  ],
);

// ---------------------------------------------------------------------------
// delivery to other systems

/**
 * Written in the same transaction as the change it reports; one row per
 * (event, endpoint) so each endpoint retries independently. Delivery workers
 * claim rows with FOR UPDATE SKIP LOCKED.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    event: text('event').notNull(),
    entryId: uuid('entry_id').references(() => entries.id),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    endpoint: text('endpoint').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    deliveredAt: instant('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('outbox_entry_idx').on(t.entryId),
  ],
);

// ---------------------------------------------------------------------------
// plans, config, assessment

/** Progress reports on plan tasks; the tasks themselves live in config/plans/*.yaml. */
export const taskReports = pgTable(
  'task_reports',
  {
    id: id(),
    planId: text('plan_id').notNull(),
    taskNo: text('task_no').notNull(),
    department: text('department').notNull(),
    text: text('text').notNull(),
    percent: integer('percent').notNull(),
    status: text('status').notNull(),
    attachments: jsonb('attachments').$type<unknown[]>().notNull().default([]),
    reportedBy: uuid('reported_by').references(() => users.id),
    reportedAt: instant('reported_at').notNull().defaultNow(),
  },
  (t) => [
    check('task_reports_percent_ck', sql`${t.percent} between 0 and 100`),
    index('task_reports_plan_task_idx').on(t.planId, t.taskNo, t.reportedAt),
    index('task_reports_department_idx').on(t.department),
  ],
);

/**
 * Replayed responses for retried writes. A key names one request: `digest`
 * is the sha256 of the canonical request (caller `scope`, method, path, body),
 * and a repeat with another digest is refused (api/src/http/idempotency.ts).
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    key: text('key').primaryKey(),
    scope: text('scope').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    digest: text('digest').notNull().default(''),
    status: integer('status').notNull(),
    body: jsonb('body'),
    createdAt: createdAt(),
  },
  (t) => [index('idempotency_keys_created_idx').on(t.createdAt)],
);

/**
 * Every config version ever loaded: `version` is the content hash, `files`
 * maps path → content. Exactly one row is active; processes follow it.
 */
export const configVersions = pgTable(
  'config_versions',
  {
    version: text('version').primaryKey(),
    files: jsonb('files').$type<Record<string, string>>().notNull(),
    author: text('author'),
    reason: text('reason'),
    createdAt: createdAt(),
    active: boolean('active').notNull().default(false),
  },
  (t) => [
    uniqueIndex('config_versions_one_active_uq')
      .on(t.active)
      .where(sql`${t.active}`),
  ],
);

/**
 * Batch imports of entries (api/src/imports): one row per uploaded file. The
 * file itself is kept (bounded by platform.yaml imports.max_size_mb) so a
 * dry run can be committed later, from another process or after a reload.
 * An all-or-nothing commit writes every entry in one transaction; this row is
 * updated outside it, so a rolled-back commit leaves only the job's status.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: id(),
    listId: text('list_id').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    /** web | cli */
    source: text('source').notNull().default('web'),
    filename: text('filename').notNull(),
    /** csv | xlsx */
    format: text('format').notNull(),
    encoding: text('encoding'),
    size: integer('size').notNull(),
    content: bytea('content'),
    /** validated | committing | committed | failed */
    status: text('status').notNull(),
    /** draft | published */
    asStatus: text('as_status').notNull().default('draft'),
    /** all (all-or-nothing) | valid (only the valid rows) */
    mode: text('mode'),
    totalRows: integer('total_rows').notNull().default(0),
    validRows: integer('valid_rows').notNull().default(0),
    imported: integer('imported').notNull().default(0),
    problems: jsonb('problems').$type<Record<string, unknown>[]>().notNull().default([]),
    error: jsonb('error').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    finishedAt: instant('finished_at'),
  },
  (t) => [index('import_jobs_list_created_idx').on(t.listId, t.createdAt)],
);

export type ImportJob = typeof importJobs.$inferSelect;

/** Manual score corrections by the office, kept with a reason for the assessment report. */
export const assessmentAdjustments = pgTable(
  'assessment_adjustments',
  {
    id: id(),
    period: text('period').notNull(),
    department: text('department').notNull(),
    indicator: text('indicator'),
    points: numeric('points', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('assessment_adjustments_period_department_idx').on(t.period, t.department)],
);

// ---------------------------------------------------------------------------
// relations (for db.query.* relational reads only; no SQL effect)

export const usersRelations = relations(users, ({ many }) => ({
  roles: many(userRoles),
  sessions: many(sessions),
}));
export const userRolesRelations = relations(userRoles, ({ one }) => ({
  user: one(users, { fields: [userRoles.userId], references: [users.id] }),
}));
export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
}));
export const subjectsRelations = relations(subjects, ({ many }) => ({
  entries: many(entries),
}));
export const entriesRelations = relations(entries, ({ one, many }) => ({
  subject: one(subjects, { fields: [entries.subjectId], references: [subjects.id] }),
  events: many(entryEvents),
  objections: many(objections),
  repairs: many(repairs),
}));
export const entryEventsRelations = relations(entryEvents, ({ one }) => ({
  entry: one(entries, { fields: [entryEvents.entryId], references: [entries.id] }),
}));
export const objectionsRelations = relations(objections, ({ one }) => ({
  entry: one(entries, { fields: [objections.entryId], references: [entries.id] }),
}));
export const repairsRelations = relations(repairs, ({ one }) => ({
  entry: one(entries, { fields: [repairs.entryId], references: [entries.id] }),
}));
export const checksRelations = relations(checks, ({ many }) => ({
  measuresApplied: many(measuresApplied),
}));
export const measuresAppliedRelations = relations(measuresApplied, ({ one }) => ({
  check: one(checks, { fields: [measuresApplied.checkId], references: [checks.id] }),
}));

// ---------------------------------------------------------------------------
// row types

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type PasswordHistory = typeof passwordHistory.$inferSelect;
export type NewPasswordHistory = typeof passwordHistory.$inferInsert;
export type UserRole = typeof userRoles.$inferSelect;
export type NewUserRole = typeof userRoles.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type Subject = typeof subjects.$inferSelect;
export type NewSubject = typeof subjects.$inferInsert;
export type Entry = typeof entries.$inferSelect;
export type NewEntry = typeof entries.$inferInsert;
export type EntryEvent = typeof entryEvents.$inferSelect;
export type NewEntryEvent = typeof entryEvents.$inferInsert;
export type Objection = typeof objections.$inferSelect;
export type NewObjection = typeof objections.$inferInsert;
export type Repair = typeof repairs.$inferSelect;
export type NewRepair = typeof repairs.$inferInsert;
export type Attachment = typeof attachments.$inferSelect;
export type NewAttachment = typeof attachments.$inferInsert;
export type DocSequence = typeof docSequences.$inferSelect;
export type Check = typeof checks.$inferSelect;
export type NewCheck = typeof checks.$inferInsert;
export type MeasureApplied = typeof measuresApplied.$inferSelect;
export type NewMeasureApplied = typeof measuresApplied.$inferInsert;
export type AuditRecord = typeof auditLog.$inferSelect;
export type NewAuditRecord = typeof auditLog.$inferInsert;
export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;
export type NewAuditCheckpoint = typeof auditCheckpoints.$inferInsert;
export type QueryLogRecord = typeof queryLog.$inferSelect;
export type NewQueryLogRecord = typeof queryLog.$inferInsert;
export type OutboxMessage = typeof outbox.$inferSelect;
export type NewOutboxMessage = typeof outbox.$inferInsert;
export type TaskReport = typeof taskReports.$inferSelect;
export type NewTaskReport = typeof taskReports.$inferInsert;
export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;
export type NewIdempotencyRecord = typeof idempotencyKeys.$inferInsert;
export type ConfigVersion = typeof configVersions.$inferSelect;
export type NewConfigVersion = typeof configVersions.$inferInsert;
export type AssessmentAdjustment = typeof assessmentAdjustments.$inferSelect;
export type NewAssessmentAdjustment = typeof assessmentAdjustments.$inferInsert;
