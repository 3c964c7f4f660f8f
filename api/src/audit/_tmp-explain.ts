import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDbKind } from '../db/testing.ts';
import { queryRows } from '../db/client.ts';
import { appendAudit } from './chain.ts';
const kind = process.argv[2] as TestDbKind;
const h = await openTestDatabase(kind);
for (let i = 0; i < 300; i++) await appendAudit(h.db, { chain: i % 3 ? 'users' : `e:${i}`, actor: { kind: 'system' }, action: 'a', targetType: 't', at: new Date() });
for (const q of [
  sql`explain select seq, hash from audit_log where chain = 'users' order by seq desc limit 1`,
  sql`explain select distinct on (chain) chain, seq, hash from audit_log order by chain desc, seq desc`,
  sql`explain select * from audit_log where (chain, seq) > ('users', 5) order by chain, seq limit 5000`,
]) console.log((await queryRows<{ 'QUERY PLAN': string }>(h.db, q)).map((r) => r['QUERY PLAN']).join('\n'), '\n');
let t = performance.now();
for (let i = 0; i < 500; i++) await h.db.execute(sql`select 1`);
console.log(kind, 'select 1 round trip µs', ((performance.now() - t) * 2).toFixed(0));
t = performance.now();
for (let i = 0; i < 500; i++) await h.db.transaction(async (tx) => { await tx.execute(sql`select 1`); });
console.log(kind, 'empty tx with select 1 µs', ((performance.now() - t) * 2).toFixed(0));
await h.close();
