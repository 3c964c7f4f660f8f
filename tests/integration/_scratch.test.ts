import { it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../api/src/db/client.ts';
import { createRng, makeCompanyName, makePersonName, makeUscc } from '../../api/src/subjects/generate.ts';
import { entries, subjects } from '../../api/src/db/schema.ts';
import { demoConfig, startTestApp } from '../support/app.ts';
it('times', { timeout: 300000 }, async () => {
  const t = await startTestApp(demoConfig);
  const r = createRng(1);
  const subs = []; const ents = [];
  for (let i = 0; i < 5000; i++) { const id = crypto.randomUUID(); subs.push({ id, kind: 'legal_person' as const, code: makeUscc(r) + i, name: i % 2 ? makeCompanyName(r) : makePersonName(r) }); ents.push({ listId: 'wage-arrears', department: 'rsj', subjectId: id, status: 'published', configVersionCreated: 'x', fields: { a: 'x'.repeat(500) }, publishedAt: new Date() }); }
  await t.db.db.transaction(async (tx) => { for (let i = 0; i < 5000; i += 500) { await tx.insert(subjects).values(subs.slice(i, i + 500)); await tx.insert(entries).values(ents.slice(i, i + 500)); } });
  for (const q of ['王伟', '示例', 'zz']) {
    let t0 = performance.now();
    const res = await t.json('GET', `/api/public/entries?q=${encodeURIComponent(q)}`, { 'x-forwarded-for': q });
    console.log(q, res.body.length, res.headers.get('x-total-count'), (performance.now() - t0).toFixed(1), 'ms');
    t0 = performance.now();
    const rows = await queryRows(t.db.db, sql`explain analyze select count(*) from entries e join subjects s on s.id = e.subject_id where s.name ilike ${'%' + q + '%'}`);
    console.log((performance.now() - t0).toFixed(1), rows.map((x: any) => x['QUERY PLAN']).join('\n'));
  }
  await t.close();
});
