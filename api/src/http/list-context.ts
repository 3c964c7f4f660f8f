import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/** What the access middleware of a list route established: caller, row scope and list type. */
export function listContext(c: Context<AppEnv>) {
  const principal = c.get('principal');
  const scope = c.get('scope');
  const list = c.get('model').list(c.req.param('listId') ?? '');
  if (!principal || !scope || !list) throw new Error('list route without its access context');
  return { principal, scope, list };
}
