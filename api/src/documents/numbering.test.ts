import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimeModel, type RuntimeModel } from '../config/compile.ts';
import type { DbHandle } from '../db/client.ts';
import { docSequences } from '../db/schema.ts';
import { openTestDatabase, testDbKind } from '../db/testing.ts';
import { assignNumber, departmentDocPrefix, formatDocNo, nextDocumentNumber } from './numbering.ts';

const demoConfig = fileURLToPath(new URL('../../../config/', import.meta.url));
let db: DbHandle;
let model: RuntimeModel;

beforeAll(async () => {
  [db, model] = await Promise.all([openTestDatabase(), loadRuntimeModel(demoConfig)]);
});
afterAll(() => db?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lastNo(department: string, year: number, docType: string) {
  const [row] = await db.db
    .select()
    .from(docSequences)
    .where(and(eq(docSequences.department, department), eq(docSequences.year, year), eq(docSequences.docType, docType)));
  return row?.lastNo;
}

describe('document number format', () => {
  it('formats notice and decision numbers', () => {
    expect(formatDocNo('示市监', 'notice', 2026, 7)).toBe('示市监信告〔2026〕7号');
    expect(formatDocNo('示市监', 'decision', 2026, 3)).toBe('示市监信认〔2026〕3号');
  });

  it('derives a short prefix from each department of the demo config', () => {
    const p = (code: string) => departmentDocPrefix(model, code);
    expect(p('scjg')).toBe('示市监');
    expect(p('scjg-dq')).toBe('示东市监');
    expect(p('scjg-xq')).toBe('示西市监');
    expect(p('sw')).toBe('示税');
    expect(p('rsj')).toBe('示人社');
    expect(p('fgj')).toBe('示发改');
    expect(p('zjj')).toBe('示住建');
    expect(p('zjj-dq')).toBe('示东住建');
    expect(p('yjj')).toBe('示应急');
    expect(p('rh')).toBe('示人行');
    expect(p('jrjg')).toBe('示金监');
    expect(p('wxb')).toBe('示网信');
    expect(p('nope')).toBe('示NOPE');
    // Every department gets a non-empty prefix, and no two share one.
    const all = model.departments.map((d) => p(d.code));
    expect(all.every((x) => x.length >= 2)).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe(`gap-free numbering (${testDbKind()})`, () => {
  it('counts per department, year and type from 1', async () => {
    const draw = (department: string, year: number, docType: 'notice' | 'decision') =>
      db.db.transaction((tx) => nextDocumentNumber(tx, { department, year, docType }));
    expect(await draw('t-a', 2026, 'notice')).toBe(1);
    expect(await draw('t-a', 2026, 'notice')).toBe(2);
    expect(await draw('t-a', 2026, 'decision')).toBe(1);
    expect(await draw('t-a', 2027, 'notice')).toBe(1);
    expect(await draw('t-b', 2026, 'notice')).toBe(1);
    expect(await draw('t-a', 2026, 'notice')).toBe(3);
  });

  it('gives 10 parallel transactions the numbers 1..10', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 10 }, () =>
        db.db.transaction(async (tx) => {
          const n = await nextDocumentNumber(tx, { department: 't-par', year: 2026, docType: 'decision' });
          await sleep(5); // hold the number a while, as an action's other statements would
          return n;
        }),
      ),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await lastNo('t-par', 2026, 'decision')).toBe(10);
  });

  it('gives a rolled-back number back, also under concurrency', async () => {
    const key = { department: 't-rb', year: 2026, docType: 'notice' as const };
    const failed = new Set([2, 5, 8]);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        db.db.transaction(async (tx) => {
          const n = await nextDocumentNumber(tx, key);
          await sleep(3);
          if (failed.has(i)) throw new Error(`action ${i} refused after drawing ${n}`);
          return n;
        }),
      ),
    );
    const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(3);
    expect(committed.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await lastNo('t-rb', 2026, 'notice')).toBe(7);
    expect(await db.db.transaction((tx) => nextDocumentNumber(tx, key))).toBe(8);
  });

  it('assignNumber formats the number of the document’s year for the department', async () => {
    const a = await db.db.transaction((tx) => assignNumber(tx, model, { department: 'scjg', docType: 'decision', date: '2026-11-12' }));
    expect(a).toMatchObject({ number: '示市监信认〔2026〕1号', year: 2026, no: 1 });
    const b = await db.db.transaction((tx) => assignNumber(tx, model, { department: 'scjg', docType: 'decision', date: '2026-12-31' }));
    expect(b.number).toBe('示市监信认〔2026〕2号');
    const c = await db.db.transaction((tx) => assignNumber(tx, model, { department: 'scjg', docType: 'decision', date: '2027-01-04' }));
    expect(c.number).toBe('示市监信认〔2027〕1号');
    const d = await db.db.transaction((tx) => assignNumber(tx, model, { department: 'scjg-dq', docType: 'notice', date: '2026-11-12' }));
    expect(d.number).toBe('示东市监信告〔2026〕1号');
  });
});
