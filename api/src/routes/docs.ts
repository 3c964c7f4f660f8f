/** `/api/openapi.json` and a browsable reference page served from swagger-ui-dist, with no CDN. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AppRouter, Registrar } from '../http/router.ts';

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const page = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>接口文档 · 信用名单</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/api/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });</script></body></html>`;

export function registerDocs(app: AppRouter, r: Registrar): void {
  r.table.push(
    { method: 'GET', path: '/api/openapi.json', access: { kind: 'public', reason: 'API description' }, summary: 'OpenAPI document' },
    { method: 'GET', path: '/api/docs', access: { kind: 'public', reason: 'API reference page' }, summary: '接口文档页面' },
    { method: 'GET', path: '/api/docs/{asset}', access: { kind: 'public', reason: 'static assets of the reference page' }, summary: '接口文档静态资源' },
  );
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: '信用名单 Credit Lists API', version: '1.0.0', description: '信用名单管理平台接口。错误统一为 {error:{code,message,details}}。' },
  });
  app.get('/api/docs', (c) => c.html(page));
  app.get('/api/docs/:asset', async (c) => {
    const name = c.req.param('asset');
    const type = assets[name];
    if (!type) return c.notFound();
    const body = await readFile(join(swaggerDir, name));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
