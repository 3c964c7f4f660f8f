#!/usr/bin/env node
/**
 * `pnpm test`: the whole suite. Builds the admin (the server serves it and the
 * browser tests drive it), runs every project on PGlite, then the database
 * projects again on a real PostgreSQL, and prints one closing count.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const root = fileURLToPath(new URL('..', import.meta.url));
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const only = process.env.TEST_DB; // 'pglite' or 'postgres' to run one pass only
const started = Date.now();
const outDir = mkdtempSync(join(tmpdir(), 'credit-tests-'));

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect({ host: hostname, port: Number(port || 5432) });
    s.setTimeout(2000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });
}

const passes = [];
if (only !== 'postgres') passes.push({ db: 'pglite', projects: [] });
if (only !== 'pglite') {
  if (!(await reachable(pgUrl))) {
    console.error(
      `\nPostgreSQL 不可达 / PostgreSQL is not reachable at ${pgUrl}.\n` +
        'The suite runs on PGlite and on PostgreSQL. Start PostgreSQL, set TEST_DATABASE_URL,\n' +
        'or run the PGlite pass alone with TEST_DB=pglite pnpm test.\n',
    );
    process.exit(1);
  }
  // Unit tests without a database run once; the integration tests and the api
  // modules that write to the database run again on PostgreSQL.
  passes.push({ db: 'postgres', projects: ['--project', 'tests'] });
  passes.push({ db: 'postgres', name: 'postgres-api', projects: ['--project', 'api', 'src/audit', 'src/documents'] });
  // The reliability suite's fuzz and tamper tests run on both databases; its fault and two-process
  // tests make their own PostgreSQL server, so they run once (in the PGlite pass when there is one).
  passes.push({ db: 'postgres', name: 'postgres-reliability', projects: ['--project', 'reliability', ...(only === 'postgres' ? [] : ['fuzz', 'tamper'])] });
}

if (run('pnpm', ['--filter', './admin', 'build']) !== 0) process.exit(1);

let passed = 0;
let failed = 0;
let status = 0;
// CI keeps only the tail of the output, so the failures are named again there.
const failures = [];
for (const pass of passes) {
  const json = join(outDir, `${pass.name ?? pass.db}.json`);
  process.stdout.write(`\n=== 测试 / tests on ${pass.db}${pass.name ? ` (${pass.projects.join(' ')})` : ''} ===\n`);
  const code = run(
    'pnpm',
    ['exec', 'vitest', 'run', ...pass.projects, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`],
    { TEST_DB: pass.db, TEST_DATABASE_URL: pgUrl },
  );
  try {
    const report = JSON.parse(readFileSync(json, 'utf8'));
    passed += report.numPassedTests;
    // A file that fails to load fails no test but must still count.
    failed += report.numFailedTests || (code !== 0 ? Math.max(1, report.numFailedTestSuites) : 0);
    for (const file of report.testResults ?? []) {
      const where = `${pass.name ?? pass.db}: ${file.name.replace(root, '')}`;
      const tests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
      for (const t of tests) failures.push(`${where} > ${t.fullName}\n    ${(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300)}`);
      if (file.status === 'failed' && tests.length === 0) failures.push(`${where}\n    ${(file.message ?? '').split('\n')[0].slice(0, 300)}`);
    }
  } catch {
    failed += 1;
  }
  if (code !== 0) status = code;
}
if (failures.length > 0) process.stdout.write(`\n失败 / failed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
process.stdout.write(`\ntests took ${Math.round((Date.now() - started) / 1000)} s\n${passed} passed, ${failed} failed\n`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);
