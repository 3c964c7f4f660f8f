/**
 * Changes other API processes must hear about (role assignments, sessions,
 * later config versions), over PostgreSQL LISTEN/NOTIFY. Every process also
 * applies its own changes at once, before answering; handlers are idempotent,
 * so hearing its own notification again does no harm.
 */
import type { DbHandle } from '../db/client.ts';

export const eventsChannel = 'credit_events';

export type AppEvent =
  | { type: 'subject-changed'; subject: string }
  | { type: 'sessions-revoked'; userId?: string; tokenHash?: string }
  | { type: 'config-changed'; version: string };

type Handler = (event: AppEvent) => void | Promise<void>;

export type EventBus = {
  publish(event: AppEvent): Promise<void>;
  /** Returns a function that removes the handler again (a replaced runtime model drops its services' handlers). */
  on(handler: Handler): () => void;
  close(): Promise<void>;
};

export async function createEventBus(db: DbHandle, onError: (err: unknown) => void): Promise<EventBus> {
  const handlers: Handler[] = [];
  const dispatch = async (event: AppEvent) => {
    for (const h of handlers) {
      try {
        await h(event);
      } catch (err) {
        onError(err);
      }
    }
  };
  const unlisten = await db.listen(eventsChannel, (payload) => dispatch(JSON.parse(payload) as AppEvent));
  return {
    async publish(event) {
      await dispatch(event);
      await db.notify(eventsChannel, JSON.stringify(event));
    },
    on(handler) {
      handlers.push(handler);
      return () => {
        const i = handlers.indexOf(handler);
        if (i >= 0) handlers.splice(i, 1);
      };
    },
    close: unlisten,
  };
}
