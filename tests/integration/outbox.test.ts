/**
 * Outbox delivery against a local HTTP receiver: a publication reaches it once,
 * signed and with its idempotency key; a failure is retried after the backoff;
 * a message that keeps failing becomes a dead letter the office can requeue;
 * two workers on one database never send a message twice; a disabled endpoint
 * is not called.
 */
import { createHmac } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../api/src/db/client.ts';
import { outbox } from '../../api/src/db/schema.ts';
import { createOutboxWorker } from '../../api/src/outbox/worker.ts';
import { createRng, makeCompanyName, makeUscc } from '../../api/src/subjects/generate.ts';
import { demoConfig, startTestApp, type TestApp } from '../support/app.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';

const SECRET = 'test-signing-secret';
process.env.OUTBOX_TEST_SECRET = SECRET;

let t: TestApp;
let rx: Receiver;
let configDir: string;
const rng = createRng('outbox');
const L = '/api/lists/market-serious-illegal/entries';
const DAY = 86_400_000;
let seq = 0;

type Row = { id: number; status: string; attempts: number; endpoint: string; idempotency_key: string; last_error: string | null; next_attempt_at: Date | string };
const rows = async (): Promise<Row[]> => queryRows<Row>(t.db.db, sql`select id::int as id, status, attempts, endpoint, idempotency_key, last_error, next_attempt_at from outbox order by id`);
const of = (all: Row[], endpoint: string) => all.filter((r) => r.endpoint === endpoint);

beforeAll(async () => {
  rx = await startReceiver();
  configDir = await mkdtemp(join(tmpdir(), 'credit-outbox-'));
  await cp(demoConfig, configDir, { recursive: true });
  // The demo config's placeholder endpoint stays as shipped (disabled); a receiver is added beside it.
  const platform = await readFile(join(configDir, 'platform.yaml'), 'utf8');
  const endpoints = 'outbox:\n  endpoints:\n';
  expect(platform).toContain(endpoints);
  await writeFile(
    join(configDir, 'platform.yaml'),
    platform
      .replace(
        endpoints,
        `${endpoints}    - { id: receiver, name: 测试接收端, url: '${rx.url}', events: [published, corrected, repaired, revoked, exited, reinstated], secret_env: OUTBOX_TEST_SECRET }\n`,
      )
      .replace(/ {2}delivery:\n( {4}.*\n)+/, '  delivery: { max_attempts: 3, backoff_base_seconds: 60, backoff_max_seconds: 600, jitter: 0.5, batch_size: 50 }\n'),
  );
  t = await startTestApp(configDir);
});
afterAll(async () => {
  await t?.close();
  await rx?.close();
  await rm(configDir, { recursive: true, force: true });
});
beforeEach(() => {
  rx.received.length = 0;
  rx.answers.length = 0;
  rx.always = undefined;
  rx.delayMs = 0;
});

/** A serious-list entry taken to published through the API; returns its id. */
async function publishEntry(): Promise<string> {
  const op = await t.login('scjg-operator');
  const rv = await t.login('scjg-reviewer');
  const created = await t.json('POST', L, op, {
    subject: { kind: 'legal_person', code: makeUscc(rng), name: makeCompanyName(rng) },
    fields: {
      penalty_decision_no: '示市监罚〔2026〕9号',
      violation: '严重违法行为。',
      category: '食品安全',
      heavier_penalties: ['吊销许可证件'],
      penalty_decision: { number: '示市监罚〔2026〕9号', date: '2026-10-01', title: '行政处罚决定书' },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const step = async (h: Record<string, string>, action: string, body: Record<string, unknown>) => {
    const res = await t.json('POST', `${L}/${id}/actions/${action}`, h, body);
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body.version as number;
  };
  let v = await step(op, 'notify', { version: 1, serviceMethod: '直接送达' });
  await t.travel(10 * DAY);
  v = await step(rv, 'recognise', { version: v, decisionNo: `示市监信认〔2026〕${++seq}号`, decisionDate: t.clock.today() });
  await step(rv, 'publish', { version: v });
  return id;
}

/** Moves every pending message of the receiver endpoint to "due now", marking the rest as delivered. */
async function onlyDue(ids: number[]): Promise<void> {
  await t.db.db.execute(sql`update outbox set status = 'delivered' where status = 'pending' and endpoint = 'receiver' and not (id = any(${`{${ids.join(',')}}`}::bigint[]))`);
}

describe('outbox delivery', () => {
  it('delivers a publication once, signed, with its idempotency key; a disabled endpoint is not called', async () => {
    const entryId = await publishEntry();
    const before = await rows();
    const mine = before.filter((r) => r.status === 'pending');
    expect(of(mine, 'receiver')).toHaveLength(1);
    expect(of(mine, 'provincial-credit-platform')).toHaveLength(1);

    const r1 = await t.app.services.outbox.runOnce();
    expect(r1).toMatchObject({ claimed: 1, delivered: 1, failed: 0, dead: 0 });
    expect(rx.received).toHaveLength(1);
    const got = rx.received[0]!;
    const msg = of(mine, 'receiver')[0]!;
    expect(got.path).toBe('/hook');
    expect(got.headers['idempotency-key']).toBe(msg.idempotency_key);
    expect(got.headers['x-credit-event']).toBe('published');
    expect(got.headers['content-type']).toBe('application/json');
    const ts = got.headers['x-credit-timestamp'] as string;
    expect(Number(ts)).toBe(Math.floor(t.clock.now().getTime() / 1000));
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${got.body}`).digest('hex')}`;
    expect(got.headers['x-credit-signature']).toBe(expected);
    expect(JSON.parse(got.body)).toMatchObject({ event: 'published', entryId, listId: 'market-serious-illegal', department: 'scjg', status: 'published' });

    const after = await rows();
    expect(after.find((r) => r.id === msg.id)).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });
    // The placeholder's message waits, untouched.
    expect(of(after, 'provincial-credit-platform').every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);

    // Delivered is final: later rounds, even much later, send nothing.
    await t.travel(DAY);
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 0 });
    expect(rx.received).toHaveLength(1);
  });

  it('retries a failed delivery after the backoff, with the same idempotency key', async () => {
    await publishEntry();
    const msg = of(await rows(), 'receiver').find((r) => r.status === 'pending')!;
    await onlyDue([msg.id]);
    rx.answers.push(503);
    const failedAt = t.clock.now().getTime();
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
    const failed = (await rows()).find((r) => r.id === msg.id)!;
    expect(failed).toMatchObject({ status: 'pending', attempts: 1 });
    expect(failed.last_error).toMatch(/^HTTP 503/);
    // base 60 s, jitter 0.5: the next attempt is 30 to 60 s later.
    const next = new Date(failed.next_attempt_at).getTime() - failedAt;
    expect(next).toBeGreaterThanOrEqual(30_000);
    expect(next).toBeLessThanOrEqual(60_000);

    // Not due yet: nothing is sent.
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 0 });
    await t.travel(61_000);
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect(rx.received.map((r) => r.headers['idempotency-key'])).toEqual([msg.idempotency_key, msg.idempotency_key]);
    expect((await rows()).find((r) => r.id === msg.id)).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
  });

  it('dead-letters a message after max_attempts failures, and does not try it again', async () => {
    await publishEntry();
    const msg = of(await rows(), 'receiver').find((r) => r.status === 'pending')!;
    await onlyDue([msg.id]);
    rx.always = 500;
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await t.app.services.outbox.runOnce());
      await t.travel(11 * 60_000); // past the longest backoff (600 s)
    }
    expect(results.map((r) => [r.failed, r.dead])).toEqual([
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
    const dead = (await rows()).find((r) => r.id === msg.id)!;
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.last_error).toMatch(/^HTTP 500/);
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 0 });
    expect(rx.received).toHaveLength(3);

    // The office sees it among the dead letters, and in the summary.
    const admin = await t.login('admin');
    const deadList = await t.json('GET', '/api/outbox?status=dead', admin);
    expect(deadList.status).toBe(200);
    expect(deadList.headers.get('x-total-count')).toBe('1');
    expect(deadList.body[0]).toMatchObject({ id: msg.id, status: 'dead', attempts: 3, endpoint: 'receiver', idempotencyKey: msg.idempotency_key });
    expect(deadList.body[0].lastError).toMatch(/^HTTP 500/);
    const summary = await t.json('GET', '/api/outbox/summary', admin);
    expect(summary.status).toBe(200);
    expect(summary.body.find((e: { id: string }) => e.id === 'receiver')).toMatchObject({ enabled: true, dead: 1 });
    expect(summary.body.find((e: { id: string }) => e.id === 'provincial-credit-platform')).toMatchObject({ enabled: false, delivered: 0, dead: 0 });
    expect(summary.body.find((e: { id: string }) => e.id === 'provincial-credit-platform').pending).toBeGreaterThan(0);

    // Requeued: pending again with a fresh attempt count, and delivered once the receiver is back.
    const requeued = await t.json('POST', `/api/outbox/${msg.id}/requeue`, admin);
    expect(requeued.status, JSON.stringify(requeued.body)).toBe(200);
    expect(requeued.body).toMatchObject({ status: 'pending', attempts: 0 });
    rx.always = undefined;
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await rows()).find((r) => r.id === msg.id)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(rx.received.at(-1)?.headers['idempotency-key']).toBe(msg.idempotency_key);

    // Only a dead letter can be requeued; an unknown id is 404, a bad one 422.
    const again = await t.json('POST', `/api/outbox/${msg.id}/requeue`, admin);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_DEAD_LETTER');
    expect((await t.json('POST', '/api/outbox/99999999/requeue', admin)).status).toBe(404);
    expect((await t.json('POST', '/api/outbox/abc/requeue', admin)).status).toBe(422);
    // The requeue is in the audit log.
    const audit = await t.json('GET', '/api/audit?action=outbox.requeue', admin);
    expect(audit.body).toHaveLength(1);
    expect(audit.body[0]).toMatchObject({ targetType: 'outbox', targetId: String(msg.id), before: { status: 'dead', attempts: 3 }, after: { status: 'pending', attempts: 0 } });
    expect(audit.body[0].actor).toMatchObject({ kind: 'user', name: expect.any(String) });
  });

  it('lists messages with simple-rest paging and filters', async () => {
    const admin = await t.login('admin');
    const all = await t.json('GET', '/api/outbox?_start=0&_end=2&_sort=id&_order=asc', admin);
    expect(all.status).toBe(200);
    expect(all.body).toHaveLength(2);
    expect(all.body[0].id).toBeLessThan(all.body[1].id);
    const total = Number(all.headers.get('x-total-count'));
    const parts = await Promise.all(['pending', 'delivered', 'dead'].map(async (st) => Number((await t.json('GET', `/api/outbox?status=${st}&_end=1`, admin)).headers.get('x-total-count'))));
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    const ep = await t.json('GET', '/api/outbox?endpoint=provincial-credit-platform', admin);
    expect(ep.body.every((m: { endpoint: string; status: string }) => m.endpoint === 'provincial-credit-platform' && m.status === 'pending')).toBe(true);
    expect((await t.json('GET', '/api/outbox?status=lost', admin)).status).toBe(422);
    expect((await t.json('GET', '/api/outbox?_sort=payload', admin)).status).toBe(422);
  });

  it('records a refused connection as a failure', async () => {
    const down = await startReceiver();
    const url = down.url;
    await down.close();
    const model = structuredClone(t.model.platform.outbox);
    const worker = createOutboxWorker({
      model: { ...t.model, platform: { ...t.model.platform, outbox: { ...model, endpoints: [{ ...model.endpoints[0]!, url }] } } },
      handle: t.db,
      clock: t.clock,
      random: () => 0,
    });
    await publishEntry();
    const msg = of(await rows(), 'receiver').find((r) => r.status === 'pending')!;
    await onlyDue([msg.id]);
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    const row = (await rows()).find((r) => r.id === msg.id)!;
    expect(row.status).toBe('pending');
    expect(row.last_error).toMatch(/ECONNREFUSED|fetch failed/);
    // random() = 0: no jitter, the full 60 s.
    expect(new Date(row.next_attempt_at).getTime() - t.clock.now().getTime()).toBe(60_000);
    await worker.stop();
  });

  it('takes over a message whose worker died mid-send once the lease is over, and ignores the late result of the old attempt', async () => {
    await publishEntry();
    const msg = of(await rows(), 'receiver').filter((r) => r.status === 'pending').at(-1)!;
    expect(msg.attempts).toBe(0);
    await onlyDue([msg.id]);
    // A worker whose HTTP call never comes back (a process that hangs or dies after claiming).
    let release: (v: Response) => void = () => {};
    const hung = createOutboxWorker({ model: t.model, handle: t.db, clock: t.clock, fetch: () => new Promise<Response>((resolve) => (release = resolve)) });
    const stuck = hung.runOnce();
    await expect.poll(async () => (await rows()).find((r) => r.id === msg.id)?.attempts).toBe(1);
    // Within the lease nobody else sends it.
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 0 });
    await t.travel((t.model.platform.outbox.delivery.lease_seconds + 1) * 1000);
    expect(await t.app.services.outbox.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await rows()).find((r) => r.id === msg.id)).toMatchObject({ status: 'delivered', attempts: 2 });
    // The old attempt finally fails: its outcome is fenced off and changes nothing.
    release(new Response('late', { status: 500 }));
    expect(await stuck).toMatchObject({ claimed: 1, delivered: 0, failed: 0, dead: 0 });
    expect((await rows()).find((r) => r.id === msg.id)).toMatchObject({ status: 'delivered', attempts: 2, last_error: null });
    await hung.stop();
  });

  it('never sends a message twice when two workers run at the same time', async () => {
    await t.db.db.execute(sql`update outbox set status = 'delivered' where status = 'pending' and endpoint = 'receiver'`);
    const now = t.clock.now();
    await t.db.db.insert(outbox).values(
      Array.from({ length: 60 }, (_, i) => ({
        event: 'published',
        endpoint: 'receiver',
        idempotencyKey: `two-workers:${i}`,
        payload: { event: 'published', n: i },
        nextAttemptAt: now,
        createdAt: now,
      })),
    );
    rx.delayMs = 5;
    const make = () => createOutboxWorker({ model: { ...t.model, platform: { ...t.model.platform, outbox: { ...t.model.platform.outbox, delivery: { ...t.model.platform.outbox.delivery, batch_size: 7 } } } }, handle: t.db, clock: t.clock });
    const a = make();
    const b = make();
    const delivered = { a: 0, b: 0 };
    for (let round = 0; round < 20; round++) {
      const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
      delivered.a += ra.delivered;
      delivered.b += rb.delivered;
      if (ra.claimed + rb.claimed === 0) break;
    }
    expect(delivered.a + delivered.b).toBe(60);
    // Both took part.
    expect(delivered.a).toBeGreaterThan(0);
    expect(delivered.b).toBeGreaterThan(0);
    const keys = rx.received.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(60);
    expect(new Set(keys).size).toBe(60);
    const left = await queryRows<{ n: number }>(t.db.db, sql`select count(*)::int as n from outbox where idempotency_key like 'two-workers:%' and status <> 'delivered'`);
    expect(left[0]?.n).toBe(0);
    await Promise.all([a.stop(), b.stop()]);
  });
});
