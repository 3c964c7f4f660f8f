/** Small helpers shared by the benchmarks: timing, percentiles, the machine description, output. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Progress for the person watching (stderr); results go to stdout as Markdown. */
export const progress = (line: string) => process.stderr.write(`  · ${line}\n`);
export const out = (line = '') => process.stdout.write(`${line}\n`);

/** Sorted copy; percentile by nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** Formats with a sensible number of digits. */
export function fmt(n: number, digits?: number): string {
  if (!Number.isFinite(n)) return String(n);
  const d = digits ?? (Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : Math.abs(n) >= 1 ? 2 : 3);
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export type Timing = { usPerOp: number; min: number; max: number; ops: number };

/** Median of the runs, with the spread: the host is shared and one run can be unlucky. */
function summarise(runs: { usPerOp: number; ops: number }[]): Timing {
  const us = runs.map((r) => r.usPerOp).sort((a, b) => a - b);
  return { usPerOp: percentile(us, 50), min: us[0]!, max: us[us.length - 1]!, ops: runs.reduce((n, r) => n + r.ops, 0) };
}

/**
 * Runs `fn(i)` for i = 0.. in batches until at least `minMs` has passed, after
 * a warm-up of `minMs` / 2; repeats that `runs` times (default 3) and returns
 * the median microseconds per call. The callers fold results into a sink so
 * that the optimiser cannot drop the work.
 */
export function timeSync(fn: (i: number) => void, opts: { minMs: number; batch?: number; runs?: number }): Timing {
  const batch = opts.batch ?? 1000;
  let i = 0;
  const run = (ms: number) => {
    let ops = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let j = 0; j < batch; j++) fn(i++);
      ops += batch;
      now = performance.now();
    }
    return { usPerOp: ((now - start) * 1000) / ops, ops };
  };
  run(opts.minMs / 2);
  return summarise(Array.from({ length: opts.runs ?? 3 }, () => run(opts.minMs)));
}

/** The same for an async function, awaited one call at a time. */
export async function timeAsync(fn: (i: number) => Promise<void>, opts: { minMs: number; runs?: number }): Promise<Timing> {
  let i = 0;
  const run = async (ms: number) => {
    let ops = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let j = 0; j < 100; j++) await fn(i++);
      ops += 100;
      now = performance.now();
    }
    return { usPerOp: ((now - start) * 1000) / ops, ops };
  };
  await run(opts.minMs / 2);
  const runs = [];
  for (let k = 0; k < (opts.runs ?? 3); k++) runs.push(await run(opts.minMs));
  return summarise(runs);
}

/** "median (min–max)" of a Timing, in µs. */
export const spread = (t: Timing, digits?: number) => `${fmt(t.usPerOp, digits)} µs (${fmt(t.min, digits)}–${fmt(t.max, digits)})`;

export function machine(): { date: string; cpu: string; cores: string; memory: string; node: string; load: string } {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  let cores = String(cpus().length);
  try {
    cores = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // keep os.cpus()
  }
  let memory = `${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  try {
    const line = execFileSync('free', ['-h'], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('Mem:'));
    if (line) memory = `${line.split(/\s+/)[1]} total (free -h)`;
  } catch {
    // keep os.totalmem()
  }
  let date = new Date().toISOString();
  try {
    date = execFileSync('date', ['-u'], { encoding: 'utf8' }).trim();
  } catch {
    // keep ISO
  }
  return { date, cpu, cores, memory, node: process.version, load: loadavg().map((x) => x.toFixed(2)).join(' ') };
}
