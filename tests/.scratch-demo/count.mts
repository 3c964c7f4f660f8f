import { PglitePreparedQuery, PgliteSession } from '/work/main/api/node_modules/drizzle-orm/pglite/session.js';
const counts = new Map<string, { n: number; ms: number }>();
const rec = (q: string, t: number) => {
  const k = q.replace(/\s+/g, ' ').slice(0, 120);
  const c = counts.get(k) ?? { n: 0, ms: 0 };
  c.n++; c.ms += performance.now() - t; counts.set(k, c);
};
for (const m of ['execute', 'all'] as const) {
  const orig = (PglitePreparedQuery.prototype as any)[m];
  (PglitePreparedQuery.prototype as any)[m] = async function (this: any, ...a: any[]) { const t = performance.now(); try { return await orig.apply(this, a); } finally { rec(this.queryString, t); } };
}
const { startTestApp, demoConfig } = await import('../support/app.ts');
const { seedDemoData } = await import('../../api/src/demo/seed.ts');
const t = await startTestApp(demoConfig);
counts.clear();
const r = await seedDemoData(t.app, t.db, { log: (m) => console.log(m), count: 150 });
const all = [...counts.entries()].sort((a, b) => b[1].ms - a[1].ms);
let n = 0, ms = 0;
for (const [, c] of all) { n += c.n; ms += c.ms; }
console.log('queries', n, 'ms', ms.toFixed(0));
for (const [k, c] of all.slice(0, 40)) console.log(c.n, c.ms.toFixed(0), k);
await t.close();
