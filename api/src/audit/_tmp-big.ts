import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDbKind } from '../db/testing.ts';
import { queryRows } from '../db/client.ts';
import { writeCheckpoint } from './checkpoint.ts';
import { verifyAudit } from './verify.ts';
import { systemClock } from '../procedures/clock.ts';
const kind = process.argv[2] as TestDbKind;
const ROWS = Number(process.argv[3] ?? 200000);
const PER_CHAIN = 5;
const h = await openTestDatabase(kind);
await h.db.execute(sql`insert into audit_log (chain, seq, prev_hash, hash, actor, action, target_type, target_id, before, after, at)
  select 'entry:' || (g / ${PER_CHAIN}), (g % ${PER_CHAIN}) + 1,
         case when g % ${PER_CHAIN} = 0 then null else md5('x' || (g - 1)) || md5('y' || (g - 1)) end,
         md5('x' || g) || md5('y' || g), '{"kind":"user","id":"u1","name":"张三","department":"hrss"}', 'entry.update', 'entry', 'id',
         '{"status":"draft"}', jsonb_build_object('status','notified','n', g), now()
  from generate_series(0, ${ROWS - 1}) g`);
await h.db.execute(sql`analyze audit_log`);
for (const q of [
  sql`explain select seq, hash from audit_log where chain = 'entry:77' order by seq desc limit 1`,
  sql`explain select distinct on (chain) chain, seq, hash from audit_log order by chain desc, seq desc`,
  sql`explain select * from audit_log where (chain, seq) > ('entry:77', 5) order by chain, seq limit 5000`,
  sql`explain select * from audit_log where (chain, seq) > ('entry:1', 5) order by chain, seq limit 5000`,
  sql`explain select * from audit_log where (chain, seq) > ('entry:5', 5) order by chain, seq limit 5000`,
]) console.log((await queryRows<{ 'QUERY PLAN': string }>(h.db, q)).map((r) => r['QUERY PLAN']).join('\n'), '\n');
let t = performance.now();
const cp = await writeCheckpoint(h.db, systemClock());
console.log(kind, `writeCheckpoint over ${ROWS} rows / ${cp.chains} chains: ${(performance.now() - t).toFixed(0)} ms`);
const [size] = await queryRows<{ n: number }>(h.db, sql`select pg_column_size(heads)::int as n from audit_checkpoints`);
console.log(kind, 'heads jsonb bytes', size);
t = performance.now();
const r = await verifyAudit(h.db);
if (process.argv[4]) { await h.close(); process.exit(0); }
const ms = performance.now() - t;
console.log(kind, `verifyAudit ${r.records} rows: ${ms.toFixed(0)} ms = ${((ms * 1000) / r.records).toFixed(1)} µs/row; problems ${r.problems}; heap MB ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)}`);
await h.close();
