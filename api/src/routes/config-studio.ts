/**
 * The config studio (配置工作室), office only (global `configure`): list types
 * per department, one list type's file, lint a proposed change, save it
 * (versioned, audited, written into CONFIG_DIR, live in every process), and
 * the history of config versions with their diffs.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HistoryDetail, HistoryRow, historyDetail, versionHistory } from '../config/history.ts';
import { listTypes, lintChange, readListConfig, restoreVersion, saveChange, settingsFiles, type StudioDeps } from '../config/studio.ts';
import { idPattern } from '../config/schema.ts';
import { MetaList } from '../meta/schema.ts';
import type { AppEnv } from '../http/env.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, notFoundError, validationErrors } from '../http/schemas.ts';

const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const configure = { kind: 'global', action: 'configure' } as const;

const ListIdParam = z.object({ listId: z.string().max(64) });
const VersionParam = z.object({ version: z.string().max(64) });
const HistoryParam = z.object({ id: z.string().regex(/^[1-9]\d{0,8}$/, { message: '历史记录号应为正整数' }).transform(Number) });

const Change = z.strictObject({
  listId: z.string().regex(idPattern, { message: '名单类型 id 只能包含小写字母、数字和连字符' }).max(64).optional().openapi({ description: '名单类型（与 file 二选一）' }),
  file: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: '其他配置文件：platform.yaml、departments.yaml、roles.yaml、measures.yaml、assessment.yaml 或 plans/<id>.yaml（与 listId 二选一，以 content 修改）' }),
  list: z.record(z.string(), z.unknown()).optional().openapi({ description: '表单内容：名单类型的完整配置（与 YAML 文件同结构）' }),
  content: z.string().max(200_000).optional().openapi({ description: 'YAML 文本' }),
  remove: z.literal(true).optional().openapi({ description: '删除该名单类型（已有条目时被拒绝，应改为停用）或该任务分工方案' }),
});
const Save = Change.extend({
  reason: z.string().trim().min(2, { message: '请填写修改原因（至少 2 个字）' }).max(500),
  baseVersion: z.string().min(1).max(64).openapi({ description: '编辑时的配置版本；已被他人修改时返回 409' }),
});

const Restore = Save.pick({ reason: true, baseVersion: true });

const Issue = z
  .object({
    code: z.string(),
    file: z.string(),
    path: z.array(z.union([z.string(), z.number()])),
    line: z.number().optional(),
    column: z.number().optional(),
    message: z.string(),
    messageEn: z.string(),
  })
  .openapi('ConfigIssue');
const LintResult = z
  .object({
    ok: z.boolean(),
    version: z.string().nullable(),
    issues: z.array(Issue),
    diff: z.string(),
    content: z.string().nullable().openapi({ description: '修改后的文件内容（YAML）；删除时为 null' }),
    preview: z
      .object({ version: z.string(), list: MetaList })
      .nullable()
      .openapi({ description: '名单类型修改后的样子（list 与 /api/meta 中的名单相同）：录入表单、列表列和流程状态图的依据；无法编译或不是名单类型时为 null' }),
  })
  .openapi('ConfigLint');

const deps = (c: Context<AppEnv>): StudioDeps => {
  const services = c.get('services');
  return { db: c.get('db'), model: c.get('model'), clock: services.clock, events: services.events, runtime: services.config };
};

export function registerConfigStudioRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/config/lists',
      summary: '配置工作室：各部门的名单类型及条目数 / list types per department with their entry counts',
      access: configure,
      responses: { 200: { description: 'list types', ...json(z.looseObject({ version: z.string() })) }, ...authErrors },
    }),
    async (c) => c.json(await listTypes(c.get('db').db, c.get('model')), 200),
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/config/lists/{listId}',
      summary: '名单类型的配置文件（YAML 文本和结构）/ a list type’s file, as YAML text and as data',
      access: configure,
      request: { params: ListIdParam },
      responses: { 200: { description: 'file', ...json(z.looseObject({ content: z.string() })) }, ...authErrors, ...notFoundError },
    }),
    async (c) => c.json(await readListConfig(c.get('db').db, c.get('model'), c.req.valid('param').listId), 200),
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/config/files',
      summary: '名单类型以外的配置文件（平台、部门、角色、措施、考核、任务分工方案）及其内容 / the other config files with their content',
      access: configure,
      responses: {
        200: { description: 'files', ...json(z.object({ version: z.string(), files: z.array(z.object({ path: z.string(), content: z.string() })) }).openapi('ConfigFiles')) },
        ...authErrors,
      },
    }),
    (c) => c.json(settingsFiles(c.get('model')), 200),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/config/lint',
      summary: '检查拟修改的配置（与启动时相同的编译和检查，加上数据安全规则），返回每个问题的文件、键路径和中文说明 / lint a proposed change',
      access: configure,
      request: { body: { required: true, ...json(Change) } },
      responses: { 200: { description: 'issues (empty when the change can be saved) and the diff', ...json(LintResult) }, ...authErrors, ...notFoundError, ...validationErrors },
    }),
    async (c) => c.json(await lintChange(deps(c), c.req.valid('json')), 200),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/config/save',
      summary: '保存配置：新版本（作者、原因、差异）、审计记录、原子写入配置目录，所有服务进程无需重启即生效 / save a change',
      access: configure,
      request: { body: { required: true, ...json(Save) } },
      responses: {
        200: { description: 'saved', ...json(z.object({ version: z.string(), diff: z.string() })) },
        ...authErrors,
        ...notFoundError,
        ...validationErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (!principal) throw new Error('global route without a principal');
      return c.json(await saveChange(deps(c), c.req.valid('json'), principal), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/config/history',
      summary: '配置版本历史：每次保存、回退和启动载入（作者、时间、原因、改动的文件），最新在前 / every change of the config in force, newest first',
      access: configure,
      responses: { 200: { description: 'history', ...json(z.array(HistoryRow)) }, ...authErrors },
    }),
    async (c) => c.json(await versionHistory(c.get('db').db), 200),
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/config/history/{id}',
      summary: '一条版本历史记录及其改动的差异 / one change with its diff',
      access: configure,
      request: { params: HistoryParam },
      responses: { 200: { description: 'change', ...json(HistoryDetail) }, ...authErrors, ...notFoundError, ...validationErrors },
    }),
    async (c) => c.json(await historyDetail(c.get('db').db, c.req.valid('param').id), 200),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/config/versions/{version}/restore',
      summary: '回退到一个配置版本：作为一次新的保存，经过同样的检查和数据安全规则 / roll back to a version (a save of its files)',
      access: configure,
      request: { params: VersionParam, body: { required: true, ...json(Restore) } },
      responses: {
        200: { description: 'saved', ...json(z.object({ version: z.string(), diff: z.string() })) },
        ...authErrors,
        ...notFoundError,
        ...validationErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      if (!principal) throw new Error('global route without a principal');
      return c.json(await restoreVersion(deps(c), c.req.valid('param').version, c.req.valid('json'), principal), 200);
    },
  );
}
