import { auditRecordHash } from './chain.ts';
import { toJsonValue } from './canonical.ts';
const N = 50000; let h: string | null = null;
const t = performance.now();
for (let i = 0; i < N; i++) {
  h = auditRecordHash(h, { chain: 'entry:5b0b7f0e-0000-4000-8000-000000000001', seq: i + 1, actor: toJsonValue({ kind: 'user', id: '5b0b7f0e-0000-4000-8000-000000000001', name: '张三', department: 'hrss' }), action: 'entry.update', targetType: 'entry', targetId: 'x', before: toJsonValue({ status: 'draft', n: i }), after: toJsonValue({ status: 'notified', n: i, 案由: '拖欠工资', fields: { a: 1, b: [1, 2, 3] } }), at: new Date().toISOString() });
}
console.log('JS canonical+sha256 µs/append', (((performance.now() - t) * 1000) / N).toFixed(1));
