/**
 * The one place routes are declared: every route names what access it needs, and
 * the same declaration feeds validation, the OpenAPI document and the
 * authorization tests (which fail when a route has no access entry).
 */
import { createRoute, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { GlobalAction, ListAction } from '../config/schema.ts';
import { accessMiddleware } from './access.ts';
import type { AppEnv } from './env.ts';

export type Access =
  /** Anyone, without logging in (health, the public portal). The reason is documentation. */
  | { kind: 'public'; reason: string }
  /** Any logged-in user or API key. */
  | { kind: 'authenticated' }
  /** An action on the list type named by the `listId` path parameter, in the caller's scope. */
  | { kind: 'list'; action: ListAction }
  /** A transition named by the `action` path parameter of the list type named by `listId`: its permission action applies. */
  | { kind: 'transition' }
  /** An action that is not tied to one list type. */
  | { kind: 'global'; action: GlobalAction };

export type RouteEntry = { method: string; path: string; access: Access; summary: string };

type Declared = RouteConfig & { access: Access; summary: string };

export type Registrar = {
  readonly table: RouteEntry[];
  route<R extends Declared>(config: R): Omit<R, 'access'>;
};

/** Routes are collected per app so that two apps in one process never share a table. */
export function createRegistrar(): Registrar {
  const table: RouteEntry[] = [];
  return {
    table,
    route<R extends Declared>(config: R) {
      table.push({ method: config.method.toUpperCase(), path: config.path, access: config.access, summary: config.summary });
      const { access, ...rest } = config;
      return createRoute({
        ...rest,
        security: access.kind === 'public' ? [] : [{ bearer: [] }],
        middleware: [accessMiddleware(access)],
      } as Omit<R, 'access'>);
    },
  };
}

export type AppRouter = OpenAPIHono<AppEnv>;
