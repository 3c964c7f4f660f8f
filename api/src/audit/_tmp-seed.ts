import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { appendAudit } from '../audit/chain.ts';
import { writeCheckpoint } from '../audit/checkpoint.ts';
import { systemClock } from '../procedures/clock.ts';
const [mode, target] = process.argv.slice(2);
const h = await openDatabase(target!.startsWith('postgres') ? { databaseUrl: target } : { dataDir: target });
if (mode === 'seed') {
  await runMigrations(h);
  for (let n = 1; n <= 5; n++) for (const c of ['entry:a', 'users']) await appendAudit(h.db, { chain: c, actor: { kind: 'system' }, action: 'x', targetType: 't', after: { n }, at: new Date() });
  await writeCheckpoint(h.db, systemClock());
} else if (mode === 'tamper') {
  await h.db.execute(sql`update audit_log set after = '{"n":99}' where chain = 'users' and seq = 2`);
} else if (mode === 'truncate') {
  await h.db.execute(sql`update audit_log set after = '{"n":2}' where chain = 'users' and seq = 2`);
  await h.db.execute(sql`delete from audit_log where chain = 'entry:a' and seq = 5`);
}
await h.close();
