/**
 * `pnpm bench`: runs every `*.bench.ts` in this directory (or those whose name
 * contains one of the arguments: `pnpm bench authz`), each in its own process,
 * one after the other so that they do not compete for the CPU, and prints one
 * Markdown report headed by the date and the machine. Copy it into
 * RESULTS.md (or pass `--out <file>` to have it written there as well).
 *
 * Benchmarks are not tests: nothing here is run by vitest, and no timing is
 * asserted. PostgreSQL is reached as in the tests (TEST_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres).
 * Knobs: BENCH_USERS, BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_CONNECTIONS, BENCH_CHANGES,
 * BENCH_QUIET_WAIT (minutes to wait for a load average under half the cores).
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './support/report.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const outFile = outAt >= 0 ? args[outAt + 1] : undefined;
const filters = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort();
if (!files.length) {
  console.error(`no benchmark matches ${filters.join(' ')}`);
  process.exit(1);
}

// Optionally wait (up to BENCH_QUIET_WAIT minutes) until the host is quiet: on a shared machine other work skews every number.
const quietWait = Number(process.env.BENCH_QUIET_WAIT ?? 0) * 60_000;
for (const until = Date.now() + quietWait; Date.now() < until; ) {
  const { load, cores } = machine();
  if (Number(load.split(' ')[0]) <= 0.5 * Number(cores)) break;
  process.stderr.write(`waiting for a quiet host: load average ${load} on ${cores} cores\n`);
  await new Promise((r) => setTimeout(r, 15_000));
}

const m = machine();
let report = `Run ${m.date} · ${m.cpu}, ${m.cores} cores (nproc), ${m.memory} · Node ${m.node} · load average at start ${m.load}\n\n`;
if (Number(m.load.split(' ')[0]) > 0.5 * Number(m.cores)) {
  process.stderr.write(`warning: load average ${m.load} on ${m.cores} cores: other work competes for the CPU and the numbers will be noisy\n`);
}
let failed = 0;
for (const file of files) {
  process.stderr.write(`\n▶ ${file}\n`);
  const started = Date.now();
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    // Same runtime flags as this process, so tsx stays loaded in the child.
    const child = spawn(process.execPath, [...process.execArgv, join(dir, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      text += d;
      process.stderr.write(d);
    });
    child.once('exit', (c) => resolve({ code: c, stdout: text }));
  });
  process.stderr.write(`  ${file}: ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  if (code !== 0) failed++;
  report += `## ${file}\n\n${stdout.trim()}\n\nLoad average after ${file}: ${machine().load}\n\n`;
}

process.stdout.write(`\n${'='.repeat(72)}\n\n${report}`);
if (outFile) writeFileSync(outFile, report);
process.exit(failed ? 1 : 0);
