/**
 * The engine's catalogue of states and transitions, and its expansion into one
 * explicit graph per list type from the steps its config turns on. The linter
 * checks this graph and the UI draws it; no list type has code of its own.
 */
import type { ListAction, ListType } from '../config/schema.ts';

export const stateIds = [
  'draft',
  'notified',
  'hearing',
  'recognised',
  'published',
  'withdrawn',
  'exited',
  'repaired',
  'revoked',
] as const;
export type StateId = (typeof stateIds)[number];

type StateDef = { label: string; labelEn: string; terminal: boolean; public: boolean };

const states: Record<StateId, StateDef> = {
  draft: { label: '草稿', labelEn: 'Draft', terminal: false, public: false },
  notified: { label: '已告知', labelEn: 'Notified', terminal: false, public: false },
  hearing: { label: '听证中', labelEn: 'Hearing', terminal: false, public: false },
  recognised: { label: '已认定', labelEn: 'Recognised', terminal: false, public: false },
  published: { label: '公示中', labelEn: 'Published', terminal: false, public: true },
  withdrawn: { label: '已撤回', labelEn: 'Withdrawn', terminal: true, public: false },
  exited: { label: '已移出', labelEn: 'Exited', terminal: true, public: false },
  repaired: { label: '已修复', labelEn: 'Repaired', terminal: true, public: false },
  revoked: { label: '已撤销', labelEn: 'Revoked', terminal: true, public: false },
};

/** A transition is named by its id (the URL's action) and guarded by a permission action. */
export type Transition = {
  id: string;
  action: ListAction | 'system';
  from: StateId;
  to: StateId;
  label: string;
  labelEn: string;
};

export type CompiledState = StateDef & { id: StateId };
export type ProcedureGraph = { initial: 'draft'; states: CompiledState[]; transitions: Transition[] };

type Candidate = Transition & { when: (list: ListType) => boolean };

const hasNotice = (l: ListType) => l.procedure.notice !== false;
const hasRecognise = (l: ListType) => l.procedure.recognise !== false;
const hasTerm = (l: ListType) => l.term !== 'none';
const countsFromCorrection = (l: ListType) =>
  (l.repair !== false && l.repair.from === 'corrected') || l.exit.early.some((e) => e.from === 'corrected') || (l.term !== 'none' && l.term.from === 'corrected');

const t = (
  id: string,
  action: Transition['action'],
  from: StateId,
  to: StateId,
  label: string,
  labelEn: string,
  when: (l: ListType) => boolean,
): Candidate => ({ id, action, from, to, label, labelEn, when });

const catalogue: Candidate[] = [
  t('notify', 'notify', 'draft', 'notified', '预先告知', 'Serve prior notice', hasNotice),
  t('record-statement', 'record-statement', 'notified', 'notified', '记录陈述申辩', 'Record statement', hasNotice),
  t('request-hearing', 'record-statement', 'notified', 'hearing', '申请听证', 'Hearing requested', (l) =>
    l.procedure.notice !== false && l.procedure.notice.hearing,
  ),
  t('close-hearing', 'record-statement', 'hearing', 'notified', '记录听证结果', 'Record hearing', (l) =>
    l.procedure.notice !== false && l.procedure.notice.hearing,
  ),
  t('recognise', 'recognise', 'notified', 'recognised', '认定', 'Recognise', (l) => hasNotice(l) && hasRecognise(l)),
  t('recognise', 'recognise', 'draft', 'recognised', '认定', 'Recognise', (l) => !hasNotice(l) && hasRecognise(l)),
  t('publish', 'publish', 'recognised', 'published', '公示', 'Publish', hasRecognise),
  t('publish', 'publish', 'draft', 'published', '公示', 'Publish', (l) => !hasRecognise(l)),
  t('withdraw', 'withdraw', 'draft', 'withdrawn', '撤回', 'Withdraw', () => true),
  t('withdraw', 'withdraw', 'notified', 'withdrawn', '撤回', 'Withdraw', hasNotice),
  t('withdraw', 'withdraw', 'hearing', 'withdrawn', '撤回', 'Withdraw', (l) =>
    l.procedure.notice !== false && l.procedure.notice.hearing,
  ),
  t('correct', 'correct', 'published', 'published', '更正信息', 'Correct', () => true),
  // Clocks counted from the subject's correction of its act (e.g. wages paid) start when it is recorded.
  t('record-correction', 'correct', 'published', 'published', '登记纠正失信行为', 'Record correction', (l) => countsFromCorrection(l)),
  t('repair', 'repair', 'published', 'repaired', '信用修复', 'Repair', (l) => l.repair !== false),
  t('reinstate', 'reinstate', 'repaired', 'published', '恢复（撤销修复）', 'Reinstate', (l) => l.repair !== false),
  t('exit', 'exit', 'published', 'exited', '提前移出', 'Exit early', (l) => l.exit.early.length > 0),
  t('exit', 'exit', 'published', 'exited', '期满移出', 'Exit at term end', (l) => hasTerm(l) && l.exit.on_term_end === 'manual'),
  t('reinstate', 'reinstate', 'exited', 'published', '恢复（撤销移出）', 'Reinstate', (l) => l.exit.early.length > 0),
  t('expire', 'system', 'published', 'exited', '期满自动移出', 'Expire', (l) => hasTerm(l) && l.exit.on_term_end === 'automatic'),
  t('revoke', 'revoke', 'recognised', 'revoked', '撤销认定', 'Revoke', (l) => l.revoke !== false && hasRecognise(l)),
  t('revoke', 'revoke', 'published', 'revoked', '撤销认定', 'Revoke', (l) => l.revoke !== false),
];

export function buildProcedureGraph(list: ListType): ProcedureGraph {
  const disabled = new Set<string>(list.procedure.disabled_actions);
  const seen = new Set<string>();
  const transitions: Transition[] = [];
  for (const { when, ...tr } of catalogue) {
    if (!when(list) || disabled.has(tr.action) || disabled.has(tr.id)) continue;
    const key = `${tr.id}:${tr.from}`;
    if (seen.has(key)) continue;
    seen.add(key);
    transitions.push(tr);
  }
  const used = new Set<StateId>(['draft']);
  for (const tr of transitions) used.add(tr.from).add(tr.to);
  return {
    initial: 'draft',
    states: stateIds.filter((id) => used.has(id)).map((id) => ({ id, ...states[id] })),
    transitions,
  };
}

/** States that cannot be reached from `draft`, and non-terminal states with no transition out. */
export function checkGraph(graph: ProcedureGraph): { unreachable: StateId[]; deadEnds: StateId[] } {
  const reached = new Set<StateId>([graph.initial]);
  const queue: StateId[] = [graph.initial];
  while (queue.length) {
    const from = queue.shift() as StateId;
    for (const tr of graph.transitions) {
      if (tr.from === from && !reached.has(tr.to)) {
        reached.add(tr.to);
        queue.push(tr.to);
      }
    }
  }
  const unreachable = graph.states.filter((s) => !reached.has(s.id)).map((s) => s.id);
  const deadEnds = graph.states
    .filter((s) => !s.terminal && !graph.transitions.some((tr) => tr.from === s.id && tr.to !== s.id))
    .map((s) => s.id);
  return { unreachable, deadEnds };
}

export function stateLabel(id: StateId): string {
  return states[id].label;
}
