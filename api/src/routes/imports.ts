/**
 * Batch import and export of entries: templates, a dry run on upload (the job
 * keeps the file and every problem), commit (all-or-nothing or valid rows
 * only), job status for the progress bar, and the streamed export of a list
 * view. The rules are in api/src/imports and api/src/exports.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { exportStream } from '../exports/export.ts';
import { EntryListQuery } from '../entries/service.ts';
import type { AppEnv } from '../http/env.ts';
import { AppError } from '../http/errors.ts';
import { listContext } from '../http/list-context.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { multipartLimit, readFormFile } from '../http/upload.ts';
import { authErrors, conflictError, errorResponse, notFoundError, validationErrors } from '../http/schemas.ts';
import { tooLargeFile } from '../imports/jobs.ts';
import { templateCsv, templateXlsx } from '../imports/templates.ts';
import { contentDisposition } from './documents.ts';

const ListParam = z.object({ listId: z.string().max(64) });
const JobParam = ListParam.extend({ jobId: z.string().max(64) });
const Job = z.looseObject({ id: z.string(), status: z.string(), problems: z.array(z.looseObject({})).optional() }).openapi('ImportJob');
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const binary = (type: string) => ({ content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } } });
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FormatQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') });
const fileErrors = {
  ...authErrors,
  ...notFoundError,
  ...validationErrors,
  413: errorResponse('文件过大或行数过多 / file too large or too many rows (IMPORT_TOO_LARGE, IMPORT_TOO_MANY_ROWS)'),
  415: errorResponse('不是 xlsx 或 csv，或内容与扩展名不符 / not xlsx or csv (IMPORT_FILE_TYPE, IMPORT_TYPE_MISMATCH)'),
};

async function readFile(c: Context<AppEnv>): Promise<{ filename: string; bytes: Uint8Array; as: 'draft' | 'published' }> {
  const { file, form } = await readFormFile(c);
  const as = form.as === undefined || form.as === '' || form.as === 'draft' ? 'draft' : form.as === 'published' ? 'published' : undefined;
  if (!as) throw new AppError(422, 'VALIDATION_FAILED', '导入方式应为 draft（草稿）或 published（历史公示）', 'as must be draft or published', [{ path: 'as', message: '可选 draft、published' }]);
  return { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()), as };
}

export function registerImportRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/import-template',
      summary: '下载导入模板（xlsx 或 csv，中文表头、示例行、下拉选项、填写说明）/ the import template of a list type',
      access: { kind: 'list', action: 'import' },
      request: { params: ListParam, query: FormatQuery },
      responses: { 200: { description: 'template', ...binary(xlsxType) }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const { list } = listContext(c);
      const { format } = c.req.valid('query');
      const model = c.get('model');
      const bytes = format === 'xlsx' ? await templateXlsx(list, model) : templateCsv(list, model);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': format === 'xlsx' ? xlsxType : 'text/csv; charset=utf-8',
        'content-disposition': contentDisposition(`${list.name}-导入模板.${format}`),
        'cache-control': 'no-store',
      });
    },
  );

  // Bodies over the configured size are cut off while they stream in.
  app.post('/api/lists/:listId/imports', (c, next) =>
    multipartLimit(c, next, c.get('services').imports.maxBytes(), () => tooLargeFile(c.get('model').platform.imports.max_size_mb)),
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/imports',
      summary: '上传并检查（试运行）：返回每个问题的行、列和原因；文件保存在任务中待提交 / upload and dry-run an import file',
      access: { kind: 'list', action: 'import' },
      request: {
        params: ListParam,
        body: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: z.object({
                file: z.custom<File>((v) => v instanceof File).openapi({ type: 'string', format: 'binary', description: 'xlsx 或 csv（UTF-8 或 GBK）' }),
                as: z.enum(['draft', 'published']).optional().openapi({ description: 'draft 草稿（默认）或 published 历史公示（需导入历史数据权限）' }),
              }),
            },
          },
        },
      },
      responses: { 201: { description: 'checked job', ...json(Job) }, ...fileErrors },
    }),
    async (c) => {
      const { list, principal } = listContext(c);
      const f = await readFile(c);
      const job = await c.get('services').imports.check(list, principal, f, f.as);
      return c.json(job, 201);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/imports',
      summary: '我的导入任务（最近 20 个）/ my recent import jobs',
      access: { kind: 'list', action: 'import' },
      request: { params: ListParam },
      responses: { 200: { description: 'jobs', ...json(z.array(Job)) }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const { list, principal } = listContext(c);
      return c.json(await c.get('services').imports.recent(list, principal), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/imports/{jobId}',
      summary: '导入任务状态、进度和问题 / import job status, progress and problems',
      access: { kind: 'list', action: 'import' },
      request: { params: JobParam },
      responses: { 200: { description: 'job', ...json(Job) }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const { list, principal } = listContext(c);
      return c.json(await c.get('services').imports.get(list, c.req.valid('param').jobId, principal), 200);
    },
  );

  app.openapi(
    r.route({
      method: 'post',
      path: '/api/lists/{listId}/imports/{jobId}/commit',
      summary: '提交导入：mode=all 全部成功才写入（默认），mode=valid 只导入无问题的行；后台执行，查询任务状态看进度 / commit an import',
      access: { kind: 'list', action: 'import' },
      request: {
        params: JobParam,
        body: { required: false, ...json(z.object({ mode: z.enum(['all', 'valid']).default('all'), wait: z.boolean().optional() })) },
      },
      responses: { 202: { description: 'committing', ...json(Job) }, 200: { description: 'finished (wait: true)', ...json(Job) }, ...authErrors, ...notFoundError, ...conflictError, ...validationErrors },
    }),
    async (c) => {
      const { list, principal } = listContext(c);
      let body: { mode?: 'all' | 'valid'; wait?: boolean } = {};
      if ((c.req.header('content-type') ?? '').includes('json')) body = c.req.valid('json');
      const job = await c.get('services').imports.commit(list, c.req.valid('param').jobId, principal, body.mode ?? 'all', { wait: body.wait === true });
      return c.json(job, body.wait ? 200 : 202);
    },
  );

  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/export',
      summary: '导出名单条目（与列表相同的筛选和可见范围；流式输出，不截断；防公式注入；记入查询使用登记）/ export a list view',
      access: { kind: 'list', action: 'export' },
      request: { params: ListParam, query: EntryListQuery.extend({ format: z.enum(['xlsx', 'csv']).default('csv') }) },
      responses: { 200: { description: 'file', ...binary('text/csv') }, ...authErrors, ...notFoundError, ...validationErrors },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const { format, ...query } = c.req.valid('query');
      const s = c.get('services');
      const stamp = s.clock.today();
      const stream = exportStream(c.get('db').db, { list, model: c.get('model'), query, scope, principal, format, now: () => s.clock.now() });
      return c.body(stream, 200, {
        'content-type': format === 'xlsx' ? xlsxType : 'text/csv; charset=utf-8',
        'content-disposition': contentDisposition(`${list.name}-${stamp}.${format}`),
        'cache-control': 'private, no-store',
      });
    },
  );
}
