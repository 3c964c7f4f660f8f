import { sql } from 'drizzle-orm';
import { startTestApp, demoConfig } from '../support/app.ts';
import { seedDemoData } from '../../api/src/demo/seed.ts';
import { queryRows } from '../../api/src/db/client.ts';
const t = await startTestApp(demoConfig);
await seedDemoData(t.app, t.db, { count: 150 });
const q = (s: any) => queryRows<any>(t.db.db, s);
for (const list of t.model.lists) {
  const [e] = await q(sql`select e.id, e.status, e.department, e.fields, e.related_persons, e.decision_no, e.decision_date::text, e.due, e.exit_reason, s.name, s.code, s.kind from entries e join subjects s on s.id = e.subject_id where list_id = ${list.id} and status in ('published','exited','repaired') order by e.created_at limit 1`);
  console.log('====', list.id, e.status, e.department, e.kind, e.name, e.code, e.decision_no, e.decision_date, e.exit_reason);
  console.log(JSON.stringify(e.fields), JSON.stringify(e.related_persons.map((r: any) => [r.role, r.name])));
  console.log(JSON.stringify(e.due));
  const evs = await q(sql`select seq, action, to_status, (at at time zone 'Asia/Shanghai')::text as at, data, u.username from entry_events ev left join users u on u.id = ev.actor_user_id where entry_id = ${e.id} order by seq`);
  for (const ev of evs) console.log('  ', ev.seq, ev.at.slice(0, 16), ev.action, ev.to_status ?? '', ev.username ?? 'system', JSON.stringify(ev.data).slice(0, 150));
}
const ov = await q(sql`select list_id, status, count(*)::int from entries where overdue group by 1,2`);
console.log('overdue', ov);
const dep = await q(sql`select list_id, department, count(*)::int from entries group by 1,2 order by 1,2`);
console.log(dep.map((d: any) => `${d.list_id}/${d.department}:${d.count}`).join(' '));
const ra = await q(sql`select min(created_at at time zone 'Asia/Shanghai')::text, max(created_at at time zone 'Asia/Shanghai')::text from entries`);
console.log(ra);
await t.close();
