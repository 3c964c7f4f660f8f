import { startTestApp, demoConfig } from '../support/app.ts';
import { sql } from 'drizzle-orm';
const t = await startTestApp(demoConfig);
const db = t.db.db;
for (let round = 0; round < 3; round++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  await db.transaction(async (tx) => { for (let i = 0; i < 1000; i++) await tx.execute(sql`select 1`); });
  const c = process.cpuUsage(c0);
  console.log('1000 x select 1 in tx: wall', (performance.now() - t0).toFixed(0), 'cpu', ((c.user + c.system) / 1000).toFixed(0), 'ms');
  const c1 = process.cpuUsage(); const t1 = performance.now();
  await t.db.client.transaction(async (tx) => { for (let i = 0; i < 1000; i++) await tx.query('select 1'); });
  const d = process.cpuUsage(c1);
  console.log('1000 x raw pglite select 1 in tx: wall', (performance.now() - t1).toFixed(0), 'cpu', ((d.user + d.system) / 1000).toFixed(0), 'ms');
}
await t.close();
