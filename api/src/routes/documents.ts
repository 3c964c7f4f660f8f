/**
 * The documents of an entry: the prior notice (预先告知书) once it was
 * notified, the decision (认定决定书) once it was recognised, as a printable
 * HTML page or a Word file. Scoped like the entry itself: another
 * department's entry answers 404.
 */
import { z } from '@hono/zod-openapi';
import { DOCX_MIME, documentDocx } from '../documents/docx.ts';
import { documentHtml } from '../documents/html.ts';
import { docTypes } from '../documents/numbering.ts';
import { documentAvailability, documentFileName, renderDocument } from '../documents/render.ts';
import { listContext } from '../http/list-context.ts';
import { AppError } from '../http/errors.ts';
import type { AppRouter, Registrar } from '../http/router.ts';
import { authErrors, conflictError, notFoundError, validationErrors } from '../http/schemas.ts';

const DocParam = z.object({ listId: z.string().max(64), id: z.string().max(64), doc: z.enum(docTypes) });
const DocQuery = z.object({ format: z.enum(['html', 'docx']).default('html') });

const docLabel = { notice: '预先告知书', decision: '认定决定书' } as const;

/** attachment; filename="<ascii fallback>"; filename*=UTF-8''<RFC 5987 encoded name> */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}


export function registerDocumentRoutes(app: AppRouter, r: Registrar): void {
  app.openapi(
    r.route({
      method: 'get',
      path: '/api/lists/{listId}/entries/{id}/documents/{doc}',
      summary: '条目文书：预先告知书（notice）、认定决定书（decision）；format=html 可打印页面，format=docx Word 文件 / an entry’s prior notice or decision as printable HTML or .docx',
      access: { kind: 'list', action: 'view' },
      request: { params: DocParam, query: DocQuery },
      responses: {
        200: {
          description: 'the document',
          content: {
            'text/html': { schema: z.string() },
            [DOCX_MIME]: { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        ...authErrors,
        ...notFoundError,
        ...validationErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const { list, principal, scope } = listContext(c);
      const { id, doc } = c.req.valid('param');
      const { format } = c.req.valid('query');
      const model = c.get('model');
      const entry = await c.get('services').entries.detail(list, id, principal, scope);
      if (!documentAvailability(list, entry)[doc]) {
        const when = doc === 'notice' ? '条目尚未预先告知，或本名单不适用预先告知' : '条目尚未认定，或本名单不制作认定决定书';
        throw new AppError(409, 'DOCUMENT_NOT_AVAILABLE', `没有${docLabel[doc]}：${when}`, `no ${doc} document for this entry yet`);
      }
      const rendered = renderDocument(model, list, entry, doc);
      const name = documentFileName(rendered, entry.subject.name);
      if (format === 'docx') {
        const buf = await documentDocx(rendered);
        return c.body(new Uint8Array(buf), 200, {
          'content-type': DOCX_MIME,
          'content-disposition': contentDisposition(`${name}.docx`),
          'cache-control': 'private, no-store',
        });
      }
      return c.body(documentHtml(rendered), 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-disposition': contentDisposition(`${name}.html`, 'inline'),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      });
    },
  );
}
