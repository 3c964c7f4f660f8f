/** Shapes shared by several routes: the error body, simple-rest list queries, ids. */
import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.looseObject({ path: z.string().optional(), message: z.string() })),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorSchema } } });

/** The error responses every authenticated route can give. */
export const authErrors = {
  401: errorResponse('未登录或凭证无效 / not authenticated'),
  403: errorResponse('没有权限 / forbidden'),
} as const;
export const validationErrors = { 422: errorResponse('请求不符合要求 / invalid request') } as const;
export const notFoundError = { 404: errorResponse('不存在 / not found') } as const;
export const conflictError = { 409: errorResponse('冲突 / conflict') } as const;
export { errorResponse };

/** Refine simple-rest pagination and sorting. */
export const ListQuery = z.object({
  _start: z.coerce.number().int().min(0).default(0),
  _end: z.coerce.number().int().min(0).default(20),
  _sort: z.string().max(64).optional(),
  _order: z.enum(['asc', 'desc', 'ASC', 'DESC']).optional(),
  q: z.string().max(100).optional(),
});

export const IdParam = z.object({ id: z.string().max(64) });
