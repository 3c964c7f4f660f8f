import { createHash } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DbHandle, queryRows } from '../db/client.ts';
import { auditCheckpoints, auditLog } from '../db/schema.ts';
import { openTestDatabase, testDbKind } from '../db/testing.ts';
import { manualClock } from '../procedures/clock.ts';
import { canonicalJson } from './canonical.ts';
import { type Actor, appendAudit, type AuditInput } from './chain.ts';
import { writeCheckpoint } from './checkpoint.ts';
import { verifyAudit } from './verify.ts';

const kind = testDbKind();
const T0 = new Date('2026-03-31T02:00:00.000Z');
const officer: Actor = { kind: 'user', id: '5b0b7f0e-0000-4000-8000-000000000001', name: '张三', department: 'hrss' };

function rec(chain: string, n: number, extra: Partial<AuditInput> = {}): AuditInput {
  return {
    chain,
    actor: officer,
    action: 'entry.update',
    targetType: 'entry',
    targetId: chain.startsWith('entry:') ? chain.slice('entry:'.length) : null,
    before: { status: 'draft', n: n - 1 },
    after: { status: 'notified', n, 案由: '拖欠工资' },
    at: new Date(T0.getTime() + n * 1000),
    ...extra,
  };
}

describe('canonicalJson', () => {
  it('sorts keys by code unit at every depth, numeric-looking keys included', () => {
    expect(canonicalJson({ b: 1, a: [{ z: 1, y: 2 }], '10': 0, '2': 0 })).toBe('{"10":0,"2":0,"a":[{"y":2,"z":1}],"b":1}');
  });
  it('keeps what jsonb keeps', () => {
    expect(canonicalJson({ a: undefined, d: new Date(T0), n: Number.NaN, l: [undefined, 1] })).toBe(
      '{"d":"2026-03-31T02:00:00.000Z","l":[null,1],"n":null}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('123')).toBe('"123"');
    expect(canonicalJson({ x: 1e21, y: -0, z: 0.1 })).toBe('{"x":1e+21,"y":0,"z":0.1}');
  });
  it('throws on BigInt like JSON.stringify', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
  it('gives plain values (fast path) the same text as their JSON round trip', () => {
    const plain = JSON.parse('{"__proto__":{"b":1},"z":[1,{"y":"\\t\\n"}],"a":null}');
    const values: unknown[] = [
      plain,
      { a: undefined, f: () => 1, s: Symbol('x'), l: [undefined, () => 1, Number.POSITIVE_INFINITY, new Array(1)[0], 2], n: -0, e: 1e-7, u: '\u2028"' },
      Object.assign(Object.create(null), { b: [true, false], a: { c: { d: [] } } }),
      [{ d: new Date(0) }, { toJSON: () => 'x' }],
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(canonicalJson(JSON.parse(JSON.stringify(v))));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });
});

describe(`audit chain (${kind})`, () => {
  let h: DbHandle;
  beforeEach(async () => {
    h = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await h.close();
  });

  async function rowsOf(chain: string) {
    return h.db.select().from(auditLog).where(eq(auditLog.chain, chain)).orderBy(asc(auditLog.seq));
  }

  it('appends per chain with consecutive seqs and linked hashes, following the documented recipe', async () => {
    const chains = ['entry:11111111-1111-4111-8111-111111111111', 'entry:22222222-2222-4222-8222-222222222222', 'users', 'config'];
    const results = [];
    for (let n = 1; n <= 3; n++) for (const c of chains) results.push(await appendAudit(h.db, rec(c, n)));
    // Several appends to one chain inside one transaction.
    await h.db.transaction(async (tx) => {
      await appendAudit(tx, rec('auth', 1, { action: 'login', actor: { kind: 'public' }, before: undefined, after: undefined }));
      await appendAudit(tx, rec('auth', 2, { action: 'logout', targetId: undefined }));
    });

    const users = await rowsOf('users');
    expect(users.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(users[0]!.prevHash).toBeNull();
    expect(users[1]!.prevHash).toBe(users[0]!.hash);
    expect(users[2]!.prevHash).toBe(users[1]!.hash);
    expect(results.filter((r) => r.seq === 3)).toHaveLength(4);

    // The recipe, written out independently of chain.ts.
    const r1 = users[1]!;
    const content =
      `{"action":"entry.update","actor":{"department":"hrss","id":"${officer.id}","kind":"user","name":"张三"},` +
      `"after":{"n":2,"status":"notified","案由":"拖欠工资"},"at":"2026-03-31T02:00:02.000Z",` +
      `"before":{"n":1,"status":"draft"},"chain":"users","seq":2,"targetId":null,"targetType":"entry"}`;
    expect(r1.hash).toBe(createHash('sha256').update(r1.prevHash! + content, 'utf8').digest('hex'));

    const auth = await rowsOf('auth');
    expect(auth.map((r) => [r.seq, r.before, r.after, r.targetId])).toEqual([
      [1, null, null, null],
      [2, { status: 'draft', n: 1 }, { status: 'notified', n: 2, 案由: '拖欠工资' }, null],
    ]);

    const result = await verifyAudit(h.db);
    expect(result).toEqual({ ok: true, records: 14, chains: 5, checkpoints: 0, problems: 0 });
    // Batch boundaries inside and between chains change nothing.
    expect(await verifyAudit(h.db, { batchSize: 2 })).toEqual(result);
    expect(await verifyAudit(h.db, { batchSize: 1 })).toEqual(result);
  });

  it('round-trips awkward JSON values (top-level JSON-looking strings, unicode, numbers)', async () => {
    const awkward: unknown[] = ['123', 'true', '{"a":1}', 'plain', 12.5, 1e21, [1, 'x', null], { 'é': 1, e: 2, '': 3 }, null, false];
    for (const [i, v] of awkward.entries()) await appendAudit(h.db, rec('config', i + 1, { before: v, after: v }));
    expect(await verifyAudit(h.db)).toMatchObject({ ok: true, records: awkward.length });
  });

  it('names a row whose content was altered: hash-mismatch', async () => {
    for (let n = 1; n <= 5; n++) {
      await appendAudit(h.db, rec('entry:a', n));
      await appendAudit(h.db, rec('entry:b', n));
    }
    const target = (await rowsOf('entry:b'))[2]!;
    await h.db.execute(sql`update audit_log set after = jsonb_set(after, '{status}', '"published"') where id = ${target.id}`);
    const result = await verifyAudit(h.db);
    expect(result.ok).toBe(false);
    expect(result.problems).toBe(1);
    expect(result.firstBroken).toEqual({ table: 'audit_log', id: target.id, chain: 'entry:b', seq: 3, reason: 'hash-mismatch' });
  });

  it('detects an edited hash (hash-mismatch, and the next link) and an edited prev_hash (prev-mismatch)', async () => {
    for (let n = 1; n <= 4; n++) await appendAudit(h.db, rec('users', n));
    const [r2, r3] = (await rowsOf('users')).slice(1, 3);
    await h.db.execute(sql`update audit_log set hash = ${'0'.repeat(64)} where id = ${r2!.id}`);
    const result = await verifyAudit(h.db);
    // r2 no longer matches its content, and r3 no longer links to r2.
    expect(result.problems).toBe(2);
    expect(result.firstBroken).toMatchObject({ id: r2!.id, reason: 'hash-mismatch' });
    await h.db.execute(sql`update audit_log set hash = ${r2!.hash} where id = ${r2!.id}`);
    await h.db.execute(sql`update audit_log set prev_hash = ${'f'.repeat(64)} where id = ${r3!.id}`);
    expect((await verifyAudit(h.db)).firstBroken).toEqual({ table: 'audit_log', id: r3!.id, chain: 'users', seq: 3, reason: 'prev-mismatch' });
  });

  it('detects a deleted middle row: seq-gap at the row after it', async () => {
    for (let n = 1; n <= 5; n++) await appendAudit(h.db, rec('api-keys', n));
    const rows = await rowsOf('api-keys');
    await h.db.delete(auditLog).where(eq(auditLog.id, rows[2]!.id));
    const result = await verifyAudit(h.db);
    expect(result).toMatchObject({ ok: false, records: 4, problems: 1 });
    expect(result.firstBroken).toEqual({ table: 'audit_log', id: rows[3]!.id, chain: 'api-keys', seq: 4, reason: 'seq-gap' });
  });

  it('detects a deleted first row: seq-gap', async () => {
    for (let n = 1; n <= 3; n++) await appendAudit(h.db, rec('users', n));
    const rows = await rowsOf('users');
    await h.db.delete(auditLog).where(eq(auditLog.id, rows[0]!.id));
    expect((await verifyAudit(h.db)).firstBroken).toMatchObject({ id: rows[1]!.id, reason: 'seq-gap' });
  });

  it('checkpoints catch a truncated tail, a re-forged tail and tampered checkpoints', async () => {
    const clock = manualClock('Asia/Shanghai', T0);
    for (let n = 1; n <= 4; n++) {
      await appendAudit(h.db, rec('entry:a', n));
      await appendAudit(h.db, rec('entry:b', n));
    }
    const cp1 = await writeCheckpoint(h.db, clock);
    expect(cp1.chains).toBe(2);
    const [stored] = await h.db.select().from(auditCheckpoints).where(eq(auditCheckpoints.id, cp1.id));
    const b = await rowsOf('entry:b');
    expect(stored!.heads).toEqual({ 'entry:a': { seq: 4, hash: expect.any(String) }, 'entry:b': { seq: 4, hash: b[3]!.hash } });
    expect(stored!.hash).toBe(createHash('sha256').update(canonicalJson(stored!.heads)).digest('hex'));
    expect(stored!.at).toEqual(T0);

    // Appends after a checkpoint are fine; a second checkpoint links to the first.
    await appendAudit(h.db, rec('entry:a', 5));
    await appendAudit(h.db, rec('users', 1));
    clock.advance(3600_000);
    const cp2 = await writeCheckpoint(h.db, clock);
    expect(cp2.chains).toBe(3);
    const [stored2] = await h.db.select().from(auditCheckpoints).where(eq(auditCheckpoints.id, cp2.id));
    expect(stored2!.hash).toBe(createHash('sha256').update(cp1.hash + canonicalJson(stored2!.heads)).digest('hex'));
    expect(await verifyAudit(h.db)).toEqual({ ok: true, records: 10, chains: 3, checkpoints: 2, problems: 0 });

    // Deleting the tail of entry:b leaves a chain that verifies on its own...
    await h.db.delete(auditLog).where(sql`${auditLog.chain} = 'entry:b' and ${auditLog.seq} >= 3`);
    let result = await verifyAudit(h.db);
    // ...but both checkpoints named entry:b seq 4.
    expect(result).toMatchObject({ ok: false, records: 8, problems: 2 });
    expect(result.firstBroken).toEqual({ table: 'audit_checkpoints', id: cp1.id, chain: 'entry:b', seq: 4, reason: 'truncated' });

    // Re-forging the deleted rows with different content gives a sound chain but a different head.
    await appendAudit(h.db, rec('entry:b', 3, { after: { status: 'withdrawn' } }));
    await appendAudit(h.db, rec('entry:b', 4, { after: { status: 'withdrawn' } }));
    result = await verifyAudit(h.db);
    expect(result.firstBroken).toEqual({ table: 'audit_checkpoints', id: cp1.id, chain: 'entry:b', seq: 4, reason: 'checkpoint-mismatch' });

    // Deleting a whole chain is truncation too.
    await h.db.delete(auditLog).where(eq(auditLog.chain, 'entry:b'));
    result = await verifyAudit(h.db);
    expect(result.firstBroken).toMatchObject({ id: cp1.id, chain: 'entry:b', reason: 'truncated' });
  });

  it('detects tampered, deleted and garbled checkpoints', async () => {
    const clock = manualClock('Asia/Shanghai', T0);
    const ids: number[] = [];
    for (let n = 1; n <= 3; n++) {
      await appendAudit(h.db, rec('config', n));
      ids.push((await writeCheckpoint(h.db, clock)).id);
    }
    expect((await verifyAudit(h.db)).ok).toBe(true);

    // Editing a checkpoint's heads to match a shorter chain breaks its own hash.
    await h.db.execute(
      sql`update audit_checkpoints set heads = jsonb_set(heads, '{config,seq}', '2') where id = ${ids[2]!}`,
    );
    let result = await verifyAudit(h.db);
    expect(result.firstBroken).toEqual({ table: 'audit_checkpoints', id: ids[2], chain: null, seq: null, reason: 'checkpoint-mismatch' });

    // Deleting a middle checkpoint breaks the link of the next one.
    await h.db.execute(sql`update audit_checkpoints set heads = jsonb_set(heads, '{config,seq}', '3') where id = ${ids[2]!}`);
    expect((await verifyAudit(h.db)).ok).toBe(true);
    await h.db.delete(auditCheckpoints).where(eq(auditCheckpoints.id, ids[1]!));
    result = await verifyAudit(h.db);
    expect(result.firstBroken).toEqual({ table: 'audit_checkpoints', id: ids[2], chain: null, seq: null, reason: 'checkpoint-mismatch' });

    // A garbled heads document is reported, not a crash.
    await h.db.execute(sql`update audit_checkpoints set heads = '[1,2]'::jsonb where id = ${ids[0]!}`);
    await h.db.execute(sql`update audit_checkpoints set heads = '{"config":{"seq":"x"}}'::jsonb where id = ${ids[2]!}`);
    result = await verifyAudit(h.db);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toMatchObject({ table: 'audit_checkpoints', id: ids[0], reason: 'checkpoint-mismatch' });
  });

  it('gives 20 concurrent appends to one chain seqs 1..20 without gaps', async () => {
    const chain = 'entry:33333333-3333-4333-8333-333333333333';
    // Half open their own transaction in appendAudit, half append inside a caller's transaction.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? appendAudit(h.db, rec(chain, i + 1))
          : h.db.transaction(async (tx) => {
              const r = await appendAudit(tx, rec(chain, i + 1));
              await tx.execute(sql`select 1`);
              return r;
            }),
      ),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const rows = await rowsOf(chain);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyAudit(h.db)).toEqual({ ok: true, records: 20, chains: 1, checkpoints: 0, problems: 0 });
  });

  it('keeps concurrent appends to different chains and a checkpoint writer consistent', async () => {
    const clock = manualClock('Asia/Shanghai', T0);
    const work: Promise<unknown>[] = [];
    for (let n = 1; n <= 5; n++) {
      for (const c of ['entry:a', 'entry:b', 'entry:c']) work.push(appendAudit(h.db, rec(c, n)));
      work.push(writeCheckpoint(h.db, clock));
    }
    await Promise.all(work);
    expect(await verifyAudit(h.db)).toMatchObject({ ok: true, records: 15, chains: 3, checkpoints: 5 });
  });

  it('leaves nothing behind when the transaction rolls back', async () => {
    await appendAudit(h.db, rec('users', 1));
    const boom = new Error('rollback');
    await expect(
      h.db.transaction(async (tx) => {
        await appendAudit(tx, rec('users', 2));
        await appendAudit(tx, rec('entry:x', 1));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from audit_log`)).toEqual([{ n: 1 }]);
    // The lock went with the transaction and the seq was not consumed.
    expect((await appendAudit(h.db, rec('users', 2))).seq).toBe(2);
    expect(await verifyAudit(h.db)).toMatchObject({ ok: true, records: 2 });
  });

  it('refuses bad input', async () => {
    await expect(appendAudit(h.db, rec('', 1))).rejects.toThrow(/chain/);
    await expect(appendAudit(h.db, rec('users', 1, { at: new Date(Number.NaN) }))).rejects.toThrow(/at/);
  });
});
