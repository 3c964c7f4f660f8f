import { describe, expect, it } from 'vitest';
import { metaFixture } from '../meta/__fixtures__/meta';
import type { MetaProcedure } from '../meta/types';
import { layoutProcedure, NODE_H, NODE_W, PAD, SELF_ROOM, textWidth } from './procedureLayout';

const procedure = metaFixture.lists[0]?.procedure as MetaProcedure;

describe('layoutProcedure', () => {
  it('puts states in columns by distance from the initial state', () => {
    const layout = layoutProcedure(procedure);
    const layerOf = Object.fromEntries(layout.nodes.map((n) => [n.id, n.layer]));
    expect(layerOf).toMatchObject({ draft: 0, notified: 1, withdrawn: 1, recognised: 2, published: 3, repaired: 4, exited: 4, revoked: 4 });
    // ongoing states above terminal ones in a column, config order among equals
    const rowOf = Object.fromEntries(layout.nodes.map((n) => [n.id, n.row]));
    expect(rowOf).toMatchObject({ notified: 0, withdrawn: 1, repaired: 0, exited: 1, revoked: 2 });
    expect(layout.nodes.find((n) => n.id === 'draft')?.initial).toBe(true);
    expect(layout.nodes.every((n) => !n.unreachable)).toBe(true);
    expect(layout.width).toBeGreaterThanOrEqual(5 * NODE_W);
  });

  it('merges parallel transitions and marks backward ones', () => {
    const layout = layoutProcedure(procedure);
    const reinstate = layout.edges.find((e) => e.from === 'repaired' && e.to === 'published');
    expect(reinstate?.direction).toBe('backward');
    expect(layout.edges.find((e) => e.from === 'draft' && e.to === 'notified')?.direction).toBe('forward');
    // every edge path is a proper SVG path
    for (const edge of layout.edges) expect(edge.path).toMatch(/^M [\d.-]+ [\d.-]+ C /);
  });

  it('uses English labels and flags unreachable states', () => {
    const layout = layoutProcedure(
      {
        initial: 'a',
        states: [
          { id: 'a', label: '甲', labelEn: 'A', terminal: false, public: false },
          { id: 'b', label: '乙', labelEn: 'B', terminal: true, public: false },
          { id: 'orphan', label: '孤立', labelEn: 'Orphan', terminal: true, public: false },
        ],
        transitions: [
          { from: 'a', to: 'b', action: 'go', label: '前进', labelEn: 'Go' },
          { from: 'a', to: 'b', action: 'jump', label: '跳转', labelEn: 'Jump' },
          { from: 'a', to: 'missing', action: 'bad', label: '坏', labelEn: 'Bad' },
        ],
      },
      'en',
    );
    expect(layout.nodes.map((n) => n.label)).toEqual(['A', 'B', 'Orphan']);
    expect(layout.nodes.find((n) => n.id === 'orphan')).toMatchObject({ unreachable: true, layer: 2 });
    expect(layout.edges).toHaveLength(1);
    expect(layout.edges[0]).toMatchObject({ label: 'Go / Jump', actions: ['go', 'jump'] });
  });

  it('puts terminal states below ongoing ones and draws self-loops above the node', () => {
    const layout = layoutProcedure({
      initial: 'draft',
      states: [
        { id: 'draft', label: '草稿', labelEn: 'Draft', terminal: false, public: false },
        { id: 'withdrawn', label: '已撤回', labelEn: 'Withdrawn', terminal: true, public: false },
        { id: 'published', label: '公示中', labelEn: 'Published', terminal: false, public: true },
      ],
      transitions: [
        { from: 'draft', to: 'withdrawn', action: 'withdraw', label: '撤回', labelEn: 'Withdraw' },
        { from: 'draft', to: 'published', action: 'publish', label: '公示', labelEn: 'Publish' },
        { id: 'correct', from: 'published', to: 'published', action: 'correct', label: '更正信息', labelEn: 'Correct' },
      ],
    });
    const node = (id: string) => layout.nodes.find((n) => n.id === id);
    expect(node('published')).toMatchObject({ layer: 1, row: 0 });
    expect(node('withdrawn')).toMatchObject({ layer: 1, row: 1 });
    const loop = layout.edges.find((e) => e.direction === 'self');
    expect(loop).toMatchObject({ from: 'published', to: 'published', actions: ['correct'] });
    expect(loop?.labelY).toBeLessThan(node('published')?.y ?? 0);
    expect(node('draft')?.y).toBe(PAD + SELF_ROOM); // room reserved above the top row for the loop
  });

  it('keeps labels clear of nodes and of each other', () => {
    const layout = layoutProcedure(procedure);
    const boxes = [
      ...layout.nodes.map((n) => ({ x: n.x + NODE_W / 2, y: n.y + NODE_H / 2, w: NODE_W, h: NODE_H })),
      ...layout.edges.map((e) => ({ x: e.labelX, y: e.labelY, w: e.labelW, h: e.labelH })),
    ];
    const overlap = (a: (typeof boxes)[number], b: (typeof boxes)[number]) =>
      Math.abs(a.x - b.x) < (a.w + b.w) / 2 - 0.5 && Math.abs(a.y - b.y) < (a.h + b.h) / 2 - 0.5;
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        expect(overlap(boxes[i] as (typeof boxes)[number], boxes[j] as (typeof boxes)[number]), `${i} vs ${j}`).toBe(false);
      }
    }
  });

  it('estimates label widths', () => {
    expect(textWidth('公示')).toBe(24);
    expect(textWidth('Go')).toBe(15);
  });
});
