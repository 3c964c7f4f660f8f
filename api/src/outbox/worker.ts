/**
 * Outbox delivery: sends the rows the procedures wrote to `outbox` (in the
 * transaction of the change they report) to the HTTP endpoints of platform.yaml.
 *
 * Claiming (safe with several API processes). One statement leases a batch:
 *
 *   update outbox set attempts = attempts + 1, next_attempt_at = now + lease
 *   where id in (select id from outbox where status = 'pending' and next_attempt_at <= now
 *                and endpoint in (enabled endpoints) order by next_attempt_at, id
 *                limit n for update skip locked)
 *   returning *
 *
 * A row another process is claiming at the same moment is skipped, not waited
 * for, and once claimed its next_attempt_at lies in the future, so no other
 * process picks it up until the lease runs out (a process that died mid-send).
 * The HTTP call happens after that transaction commits, holding no lock. The
 * outcome is written only `where attempts = <the claimed attempt> and status =
 * 'pending'`: a worker whose lease ran out and was overtaken cannot overwrite
 * the newer attempt's result. Delivery is at least once; the Idempotency-Key
 * header (the same on every attempt of a message) lets the receiver drop a
 * repeat after such a crash.
 *
 * Outcome: a 2xx answer marks the row delivered (never sent again); anything
 * else (non-2xx, timeout, refused connection) schedules the next attempt after
 * min(max, base * 2^(attempts-1)) seconds less a random share (jitter), and
 * after `max_attempts` failed attempts the row becomes a dead letter, which the
 * office may requeue. Rows of an endpoint that is disabled (or no longer in the
 * config) stay pending and untouched until it is enabled again.
 *
 * Request: POST, JSON body = the row's payload, headers
 *   Idempotency-Key: <outbox.idempotency_key>
 *   X-Credit-Event: <event>
 *   X-Credit-Timestamp: <unix seconds, from the clock service>
 *   X-Credit-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>  (when the endpoint has a secret)
 *
 * All times come from the clock service, never from SQL now().
 */
import { createHmac } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { RuntimeModel } from '../config/compile.ts';
import { type Db, type DbHandle, queryRows } from '../db/client.ts';
import { outbox } from '../db/schema.ts';
import type { Log } from '../lib/log.ts';
import type { Clock } from '../procedures/clock.ts';

export type OutboxStatus = 'pending' | 'delivered' | 'dead';
type Endpoint = RuntimeModel['platform']['outbox']['endpoints'][number];
type Delivery = RuntimeModel['platform']['outbox']['delivery'];

export type WorkerOptions = {
  model: RuntimeModel;
  handle: DbHandle;
  clock: Clock;
  log?: Log;
  /** The HTTP client (global fetch by default). */
  fetch?: typeof fetch;
  /** Random numbers in [0, 1) for the jitter (Math.random by default). */
  random?: () => number;
  /** Signing secrets by environment variable name (process.env by default). */
  env?: Record<string, string | undefined>;
};

export type RoundResult = { claimed: number; delivered: number; failed: number; dead: number };

export type OutboxWorker = {
  /** Claims one batch of due messages and sends them; resolves when every send has finished. */
  runOnce(): Promise<RoundResult>;
  /** Runs a round every interval_seconds until stop(). */
  start(): void;
  /** Stops the timer and waits for the round in progress. */
  stop(): Promise<void>;
};

type Claimed = { id: number; event: string; payload: Record<string, unknown>; idempotency_key: string; endpoint: string; attempts: number };

/** Seconds to wait after the attempt-th failed attempt. */
export function backoffSeconds(d: Delivery, attempt: number, random: () => number): number {
  const full = Math.min(d.backoff_max_seconds, d.backoff_base_seconds * 2 ** Math.max(0, attempt - 1));
  return full * (1 - d.jitter * random());
}

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function createOutboxWorker(opts: WorkerOptions): OutboxWorker {
  const { model, handle, clock } = opts;
  const log = opts.log ?? (() => {});
  const doFetch = opts.fetch ?? fetch;
  const random = opts.random ?? Math.random;
  const env = opts.env ?? process.env;
  const delivery = model.platform.outbox.delivery;
  const endpoints = new Map(model.platform.outbox.endpoints.filter((e) => e.enabled).map((e) => [e.id, e]));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();

  async function claim(db: Db): Promise<Claimed[]> {
    if (!endpoints.size) return [];
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + delivery.lease_seconds * 1000);
    const ids = sql.join(
      [...endpoints.keys()].map((id) => sql`${id}`),
      sql`, `,
    );
    const rows = await queryRows<Claimed>(
      db,
      sql`update outbox set attempts = attempts + 1, next_attempt_at = ${leaseUntil.toISOString()}
          where id in (
            select id from outbox
            where status = 'pending' and next_attempt_at <= ${now.toISOString()} and endpoint in (${ids})
            order by next_attempt_at, id
            limit ${delivery.batch_size}
            for update skip locked)
          returning id, event, payload, idempotency_key, endpoint, attempts`,
    );
    // postgres.js returns bigint columns as strings.
    return rows.map((m) => ({ ...m, id: Number(m.id), attempts: Number(m.attempts) }));
  }

  async function send(m: Claimed, ep: Endpoint): Promise<{ ok: true } | { ok: false; error: string }> {
    const body = JSON.stringify(typeof m.payload === 'string' ? JSON.parse(m.payload) : m.payload);
    const timestamp = String(Math.floor(clock.now().getTime() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': m.idempotency_key,
      'x-credit-event': m.event,
      'x-credit-timestamp': timestamp,
    };
    const secret = ep.secret_env ? env[ep.secret_env] : undefined;
    if (ep.secret_env && !secret) return { ok: false, error: `signing secret ${ep.secret_env} is not set` };
    if (secret) headers['x-credit-signature'] = signature(secret, timestamp, body);
    try {
      const res = await doFetch(ep.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(delivery.timeout_seconds * 1000), redirect: 'manual' });
      // Drain the body so the connection is reused.
      const text = await res.text().catch(() => '');
      if (res.status >= 200 && res.status < 300) return { ok: true };
      return { ok: false, error: `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}` };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      return { ok: false, error: `${e.name === 'TimeoutError' ? 'timeout' : e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}`.slice(0, 300) };
    }
  }

  async function settle(m: Claimed, outcome: { ok: true } | { ok: false; error: string }): Promise<'delivered' | 'failed' | 'dead' | 'overtaken'> {
    const now = clock.now();
    const fence = and(eq(outbox.id, m.id), eq(outbox.attempts, m.attempts), eq(outbox.status, 'pending'));
    if (outcome.ok) {
      const done = await handle.db.update(outbox).set({ status: 'delivered', deliveredAt: now, lastError: null }).where(fence).returning({ id: outbox.id });
      return done.length ? 'delivered' : 'overtaken';
    }
    const dead = m.attempts >= delivery.max_attempts;
    const next = new Date(now.getTime() + Math.round(backoffSeconds(delivery, m.attempts, random) * 1000));
    const done = await handle.db
      .update(outbox)
      .set(dead ? { status: 'dead', lastError: outcome.error } : { nextAttemptAt: next, lastError: outcome.error })
      .where(fence)
      .returning({ id: outbox.id });
    if (!done.length) return 'overtaken';
    return dead ? 'dead' : 'failed';
  }

  async function round(): Promise<RoundResult> {
    const claimed = await claim(handle.db);
    const result: RoundResult = { claimed: claimed.length, delivered: 0, failed: 0, dead: 0 };
    await Promise.all(
      claimed.map(async (m) => {
        const ep = endpoints.get(m.endpoint);
        if (!ep) return;
        const outcome = await send(m, ep);
        const settled = await settle(m, outcome);
        if (settled === 'overtaken') return;
        result[settled]++;
        if (settled === 'dead') log({ level: 'warn', msg: 'outbox message dead-lettered', id: m.id, endpoint: m.endpoint, attempts: m.attempts, error: outcome.ok ? '' : outcome.error });
      }),
    );
    return result;
  }

  const runOnce = () => {
    const r = current.then(round, round);
    current = r.catch(() => {});
    return r;
  };

  const tick = () => {
    if (stopped) return;
    runOnce()
      .then((r) => r.claimed && log({ msg: 'outbox', ...r }))
      .catch((err) => log({ level: 'error', msg: 'outbox delivery failed', err: String(err) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, delivery.interval_seconds * 1000);
      });
  };

  return {
    runOnce,
    start() {
      if (timer || stopped) return;
      timer = setTimeout(tick, delivery.interval_seconds * 1000);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
