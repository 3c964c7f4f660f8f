import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDbKind } from '../db/testing.ts';
import { auditLog } from '../db/schema.ts';
import { appendAudit, type AuditInput } from './chain.ts';
import { writeCheckpoint } from './checkpoint.ts';
import { verifyAudit } from './verify.ts';
import { systemClock } from '../procedures/clock.ts';

const kind = process.argv[2] as TestDbKind;
const N = Number(process.argv[3] ?? 2000);
const h = await openTestDatabase(kind);
const rec = (chain: string, n: number): AuditInput => ({
  chain, actor: { kind: 'user', id: '5b0b7f0e-0000-4000-8000-000000000001', name: '张三', department: 'hrss' },
  action: 'entry.update', targetType: 'entry', targetId: chain, before: { status: 'draft', n }, after: { status: 'notified', n, 案由: '拖欠工资' }, at: new Date(),
});
const time = async (label: string, n: number, fn: () => Promise<void>) => {
  const t = performance.now(); await fn(); const ms = performance.now() - t;
  console.log(`${kind} ${label}: ${((ms * 1000) / n).toFixed(0)} µs/op (${n} ops, ${ms.toFixed(0)} ms)`);
};
// warm-up
for (let i = 0; i < 50; i++) await appendAudit(h.db, rec('warm', i));
await time('append, own tx, one chain', N, async () => { for (let i = 0; i < N; i++) await appendAudit(h.db, rec('users', i)); });
await time('append, own tx, new chain each', N, async () => { for (let i = 0; i < N; i++) await appendAudit(h.db, rec(`entry:${i}`, i)); });
await time('append, N in one tx', N, async () => { await h.db.transaction(async (tx) => { for (let i = 0; i < N; i++) await appendAudit(tx, rec('config', i)); }); });
await time('baseline: plain insert, own tx', N, async () => {
  for (let i = 0; i < N; i++) await h.db.transaction(async (tx) => { await tx.insert(auditLog).values({ chain: 'plain', seq: i + 1, hash: 'x', actor: { kind: 'system' }, action: 'a', targetType: 't', after: { n: i }, at: new Date() }); });
});
if (kind === 'postgres') {
  await time('append, 8 concurrent writers, one chain', N, async () => {
    let next = 0; await Promise.all(Array.from({ length: 4 }, async () => { while (next < N) { next++; await appendAudit(h.db, rec('auth', next)); } }));
  });
  await time('append, 4 concurrent writers, distinct chains', N, async () => {
    let next = 0; await Promise.all(Array.from({ length: 4 }, async (_, w) => { while (next < N) { next++; await appendAudit(h.db, rec(`w${w}`, next)); } }));
  });
}
const total = (await h.db.execute(sql`select count(*)::int as n from audit_log`)) as unknown;
console.log(kind, 'rows', JSON.stringify(total).slice(0, 80));
await time('writeCheckpoint', 1, async () => { const c = await writeCheckpoint(h.db, systemClock()); console.log('  chains in checkpoint', c.chains); });
let res;
await time('verifyAudit per row', 1, async () => { res = await verifyAudit(h.db); });
console.log(res);
await h.close();
