/**
 * Layered layout of a list type's procedure for a dependency-free SVG diagram.
 *
 * States go into columns by their distance from the initial state (breadth first); inside a
 * column, ongoing states come first and terminal ones below, each in config order, so the main
 * path tends to run along the top row. Edges:
 * - forward (to a later column): right side → left side;
 * - backward (to an earlier column): left side → right side, dipping below the forward edge;
 * - same column: a short vertical arrow between neighbours, else a bulge on the right;
 * - self (e.g. 记录陈述申辩, 更正信息): a small loop on top of the node.
 */

export const NODE_W = 116;
export const NODE_H = 40;
/** Narrowest gap between columns; it widens to fit the widest transition label. */
export const MIN_GAP_X = 104;
const MAX_GAP_X = 176;
export const GAP_Y = 44;
export const PAD = 16;
/** Room above the top row for self-loops. */
export const SELF_ROOM = 36;
/** Room below the bottom row for the dip of backward edges. */
export const DIP_ROOM = 24;
const LOOP_RISE = 22;
const DIP = 22;

/**
 * Any state graph with labels: a list type's procedure (`MetaProcedure`) is one, and the layout
 * also copes with graphs the engine would not produce (unreachable states, dangling transitions).
 */
export interface StateGraph {
  initial: string;
  states: { id: string; label: string; labelEn: string; terminal: boolean; public: boolean }[];
  transitions: { id?: string; from: string; to: string; action: string; label: string; labelEn: string }[];
}

export interface LayoutNode {
  id: string;
  label: string;
  x: number;
  y: number;
  layer: number;
  row: number;
  initial: boolean;
  terminal: boolean;
  public: boolean;
  /** Not reachable from the initial state: probably a configuration mistake. */
  unreachable: boolean;
}

export interface LayoutEdge {
  from: string;
  to: string;
  /** Labels of all transitions between the same two states, joined with ' / '. */
  label: string;
  /** The same labels, one per line, for drawing. */
  lines: string[];
  /** Transition ids (or actions) on this edge. */
  actions: string[];
  path: string;
  /** Centre and size of the label box, placed clear of nodes and other labels where possible. */
  labelX: number;
  labelY: number;
  labelW: number;
  labelH: number;
  direction: 'forward' | 'backward' | 'same' | 'self';
}

export interface ProcedureLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** Approximate rendered width of a label: CJK glyphs are square, Latin ones about 0.6 em. */
export function textWidth(text: string, fontSize = 12): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? fontSize : fontSize * 0.6;
  return Math.ceil(width);
}

const r = (n: number) => Math.round(n * 10) / 10;

export const LABEL_LINE = 16;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlapArea = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.w / 2, b.x + b.w / 2) - Math.max(a.x - a.w / 2, b.x - b.w / 2)) *
  Math.max(0, Math.min(a.y + a.h / 2, b.y + b.h / 2) - Math.max(a.y - a.h / 2, b.y - b.h / 2));

/** Candidate offsets, nearest first: up and down in small steps, then also sideways. */
const SHIFTS: [number, number][] = (() => {
  const out: [number, number][] = [];
  for (const dx of [0, 16, -16, 32, -32]) {
    for (let dy = 0; dy <= 64; dy += 4) {
      out.push([dx, -dy]);
      if (dy) out.push([dx, dy]);
    }
  }
  return out;
})();

/**
 * Moves each label to the nearest spot free of nodes and earlier labels; when there is none,
 * to the spot with the least overlap. Forward labels are placed first, backward ones last.
 */
function placeLabels(edges: LayoutEdge[], nodes: LayoutNode[]): void {
  const obstacles: Box[] = nodes.map((n) => ({ x: n.x + NODE_W / 2, y: n.y + NODE_H / 2, w: NODE_W + 4, h: NODE_H + 4 }));
  const order: LayoutEdge['direction'][] = ['forward', 'same', 'self', 'backward'];
  const sorted = [...edges].sort((a, b) => order.indexOf(a.direction) - order.indexOf(b.direction));
  for (const edge of sorted) {
    let best: Box | undefined;
    let bestArea = Number.POSITIVE_INFINITY;
    for (const [dx, dy] of SHIFTS) {
      const box = { x: edge.labelX + dx, y: edge.labelY + dy, w: edge.labelW, h: edge.labelH };
      const area = obstacles.reduce((sum, o) => sum + overlapArea(box, o), 0);
      if (area < bestArea) {
        best = box;
        bestArea = area;
        if (area === 0) break;
      }
    }
    const chosen = best ?? { x: edge.labelX, y: edge.labelY, w: edge.labelW, h: edge.labelH };
    edge.labelX = r(chosen.x);
    edge.labelY = r(chosen.y);
    obstacles.push(chosen);
  }
}

export function layoutProcedure(procedure: StateGraph, locale: 'zh-CN' | 'en' = 'zh-CN'): ProcedureLayout {
  const ids = procedure.states.map((s) => s.id);
  const known = new Set(ids);
  const transitions = procedure.transitions.filter((t) => known.has(t.from) && known.has(t.to));

  // Breadth-first layers from the initial state.
  const layer = new Map<string, number>();
  if (known.has(procedure.initial)) {
    layer.set(procedure.initial, 0);
    const queue = [procedure.initial];
    for (let i = 0; i < queue.length; i++) {
      const current = queue[i] as string;
      const depth = layer.get(current) ?? 0;
      for (const t of transitions) {
        if (t.from === current && !layer.has(t.to)) {
          layer.set(t.to, depth + 1);
          queue.push(t.to);
        }
      }
    }
  }
  const reachedMax = Math.max(-1, ...layer.values());
  const unreachable = new Set(ids.filter((id) => !layer.has(id)));
  for (const id of unreachable) layer.set(id, reachedMax + 1);

  // Column order: ongoing states first, terminal ones below; config order inside each group.
  const terminal = new Map(procedure.states.map((s) => [s.id, s.terminal]));
  const columns = new Map<number, string[]>();
  for (const id of ids) {
    const l = layer.get(id) ?? 0;
    const column = columns.get(l);
    if (column) column.push(id);
    else columns.set(l, [id]);
  }
  for (const column of columns.values()) {
    column.sort((a, b) => Number(terminal.get(a)) - Number(terminal.get(b)) || ids.indexOf(a) - ids.indexOf(b));
  }
  const layerCount = Math.max(0, ...columns.keys()) + 1;
  const maxRows = Math.max(1, ...[...columns.values()].map((c) => c.length));

  // Pairs of states with their transitions merged.
  const pairs = new Map<string, { from: string; to: string; lines: string[]; actions: string[] }>();
  for (const t of transitions) {
    const key = `${t.from}\u0000${t.to}`;
    const label = locale === 'en' ? t.labelEn || t.label : t.label;
    const pair = pairs.get(key);
    if (pair) {
      if (!pair.lines.includes(label)) pair.lines.push(label);
      pair.actions.push(t.id ?? t.action);
    } else {
      pairs.set(key, { from: t.from, to: t.to, lines: [label], actions: [t.id ?? t.action] });
    }
  }

  const widestLabel = Math.max(
    0,
    ...[...pairs.values()].filter((p) => p.from !== p.to).flatMap((p) => p.lines.map((l) => textWidth(l))),
  );
  const GAP_X = Math.min(MAX_GAP_X, Math.max(MIN_GAP_X, widestLabel + 40));

  const rowOf = (id: string) => columns.get(layer.get(id) ?? 0)?.indexOf(id) ?? 0;
  const topHasLoop = [...pairs.values()].some((p) => p.from === p.to && rowOf(p.from) === 0);
  const top = PAD + (topHasLoop ? SELF_ROOM : 0);

  const nodes: LayoutNode[] = [];
  const byId = new Map<string, LayoutNode>();
  for (const state of procedure.states) {
    const l = layer.get(state.id) ?? 0;
    const row = rowOf(state.id);
    const node: LayoutNode = {
      id: state.id,
      label: locale === 'en' ? state.labelEn || state.label : state.label,
      x: PAD + l * (NODE_W + GAP_X),
      y: top + row * (NODE_H + GAP_Y),
      layer: l,
      row,
      initial: state.id === procedure.initial,
      terminal: state.terminal,
      public: state.public,
      unreachable: unreachable.has(state.id),
    };
    nodes.push(node);
    byId.set(state.id, node);
  }

  const edges: LayoutEdge[] = [];
  for (const pair of pairs.values()) {
    const a = byId.get(pair.from);
    const b = byId.get(pair.to);
    if (!a || !b) continue;
    const lineHeight = LABEL_LINE;
    let path: string;
    let labelX: number;
    let labelY: number;
    let direction: LayoutEdge['direction'];
    if (a === b) {
      direction = 'self';
      const x1 = a.x + NODE_W * 0.38;
      const x2 = a.x + NODE_W * 0.62;
      path = `M ${r(x1)} ${a.y} C ${r(x1)} ${a.y - LOOP_RISE}, ${r(x2)} ${a.y - LOOP_RISE}, ${r(x2)} ${a.y}`;
      labelX = a.x + NODE_W / 2;
      labelY = a.y - LOOP_RISE - 4 - ((pair.lines.length - 1) * lineHeight) / 2;
    } else if (b.layer > a.layer) {
      direction = 'forward';
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const dx = Math.min((x2 - x1) / 2, GAP_X / 2);
      path = `M ${x1} ${y1} C ${r(x1 + dx)} ${y1}, ${r(x2 - dx)} ${y2}, ${x2} ${y2}`;
      // Label in the gap next to the source, so fanning edges keep their labels apart.
      labelX = x1 + GAP_X / 2;
      labelY = b.layer - a.layer === 1 ? (y1 + y2) / 2 : y1 + (y2 - y1) * 0.25;
    } else if (b.layer === a.layer) {
      direction = 'same';
      if (Math.abs(a.row - b.row) === 1) {
        const x = a.x + NODE_W * 0.25;
        const down = b.row > a.row;
        const y1 = down ? a.y + NODE_H : a.y;
        const y2 = down ? b.y : b.y + NODE_H;
        path = `M ${r(x)} ${y1} C ${r(x)} ${y1}, ${r(x)} ${y2}, ${r(x)} ${y2}`;
        const widest = Math.max(...pair.lines.map((l) => textWidth(l)));
        labelX = x + 6 + (widest + 8) / 2;
        labelY = (y1 + y2) / 2;
      } else {
        const x = a.x + NODE_W;
        const y1 = a.y + NODE_H / 2;
        const y2 = b.y + NODE_H / 2;
        const bulge = 28 + Math.abs(y2 - y1) * 0.2;
        path = `M ${x} ${y1} C ${r(x + bulge)} ${y1}, ${r(x + bulge)} ${y2}, ${x} ${y2}`;
        labelX = x + bulge * 0.75;
        labelY = (y1 + y2) / 2;
      }
    } else {
      direction = 'backward';
      const x1 = a.x;
      const y1 = a.y + NODE_H / 2 + 8;
      const x2 = b.x + NODE_W;
      const y2 = b.y + NODE_H / 2 + 8;
      const dx = Math.min((x1 - x2) / 2, GAP_X / 2);
      path = `M ${x1} ${y1} C ${r(x1 - dx)} ${y1 + DIP}, ${r(x2 + dx)} ${y2 + DIP}, ${x2} ${y2}`;
      labelX = (x1 + x2) / 2;
      labelY = (y1 + y2) / 2 + DIP * 0.75 + 6;
    }
    edges.push({
      from: pair.from,
      to: pair.to,
      label: pair.lines.join(' / '),
      lines: pair.lines,
      actions: pair.actions,
      path,
      labelX: r(labelX),
      labelY: r(labelY),
      labelW: Math.max(...pair.lines.map((l) => textWidth(l))) + 8,
      labelH: pair.lines.length * lineHeight,
      direction,
    });
  }
  placeLabels(edges, nodes);

  return {
    width: PAD * 2 + layerCount * NODE_W + Math.max(0, layerCount - 1) * GAP_X + 48,
    height: top + maxRows * NODE_H + (maxRows - 1) * GAP_Y + DIP_ROOM + PAD,
    nodes,
    edges,
  };
}
