/**
 * The only place that reads the environment and opens a port: open the database,
 * migrate, load and lint the config, build the app, listen.
 */
import { resolve } from 'node:path';
import process from 'node:process';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { bootstrapUsers, defaultDemoPassword, demoAccounts } from './auth/bootstrap.ts';
import { manualClock, systemClock } from './procedures/clock.ts';
import { runScheduledJobs } from './jobs/scheduler.ts';
import { seedDemoData } from './demo/seed.ts';
import { ConfigError, loadRuntimeModel, type RuntimeModel } from './config/compile.ts';
import { recordConfigVersion, startupModel } from './config/store.ts';
import { openDatabase } from './db/client.ts';
import { runMigrations } from './db/migrate.ts';
import { jsonLog } from './lib/log.ts';
import { adminDistDir, defaultConfigDir, repoRoot } from './lib/paths.ts';

const env = process.env;
const port = Number(env.PORT ?? 3000);
const production = env.NODE_ENV === 'production';
// Relative paths are taken from where the user ran the command (pnpm runs scripts inside api/).
const fromUser = (p: string) => resolve(env.INIT_CWD ?? process.cwd(), p);
const configDir = env.CONFIG_DIR ? fromUser(env.CONFIG_DIR) : defaultConfigDir;
const dataDir = env.DATA_DIR ? fromUser(env.DATA_DIR) : resolve(repoRoot, 'data');

let model: RuntimeModel;
try {
  model = await loadRuntimeModel(configDir, { production });
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`\n无法启动：配置目录 ${configDir} 有错误。\n${err.message}\n\n`);
    process.exit(1);
  }
  throw err;
}

const handle = await openDatabase(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir });
await runMigrations(handle);
model = await startupModel(handle.db, model, configDir, { production, log: (msg) => jsonLog({ level: 'warn', msg }) });

if (env.CLOCK === 'manual' && production) {
  process.stderr.write('无法启动：生产环境（NODE_ENV=production）不能使用测试时钟 CLOCK=manual\n');
  process.exit(1);
}
const testClock = env.CLOCK === 'manual' ? manualClock(model.platform.timezone, env.CLOCK_START ? new Date(env.CLOCK_START) : new Date()) : undefined;
const clock = testClock ?? systemClock(model.platform.timezone);
await recordConfigVersion(handle.db, model, 'startup', `loaded from ${configDir}`, clock);
const seeded = await bootstrapUsers(handle.db, model, clock, {
  demoPassword: env.DEMO_PASSWORD,
  adminUsername: env.ADMIN_USERNAME,
  adminPassword: env.ADMIN_PASSWORD,
});
if (seeded.reason === 'none') {
  jsonLog({ level: 'warn', msg: 'no users: set ADMIN_USERNAME and ADMIN_PASSWORD to create the office admin on an empty database' });
}
const app = await createApp(model, handle, {
  adminDir: adminDistDir,
  log: jsonLog,
  clock,
  ...(testClock ? { testClock } : {}),
  configDir,
  configPollMs: Number(env.CONFIG_POLL_MS ?? 1000),
  production,
});
// Imports whose commit died with an earlier process can be committed again.
const settledImports = await app.services.imports.settleInterrupted();
if (settledImports) jsonLog({ level: 'warn', msg: 'import commits interrupted by an earlier stop were settled', jobs: settledImports });
// Demo entries on an empty database when the demo accounts are loaded (DEMO_DATA=off skips them).
if (model.demoUsers && env.DEMO_DATA !== 'off') {
  try {
    await seedDemoData(app, handle, { log: (msg) => jsonLog({ msg }) });
  } catch (err) {
    jsonLog({ level: 'error', msg: 'demo data failed; starting without it', err: String(err) });
  }
}
// The scheduler runs on its own in every process; the advisory lock lets one of them work each round.
const schedulerMs = Number(env.SCHEDULER_INTERVAL_MS ?? 300_000);
let schedulerRun: Promise<unknown> = Promise.resolve();
const scheduler = testClock
  ? undefined
  : setInterval(() => {
      schedulerRun = runScheduledJobs(app.services.engine, handle)
        .then((r) => r.ran && (r.expired || r.overdueFlagged) && jsonLog({ msg: 'scheduler', ...r }))
        .catch((err) => jsonLog({ level: 'error', msg: 'scheduler failed', err: String(err) }));
    }, schedulerMs);
// Outbox delivery in every process; FOR UPDATE SKIP LOCKED leases keep them from sending a message twice.
app.services.outbox.start();
const server = serve({ fetch: app.fetch, port, hostname: env.HOST ?? '0.0.0.0' }, (info) => {
  const url = `http://localhost:${info.port}`;
  jsonLog({ msg: 'listening', url, database: handle.kind, configVersion: app.model.version, configDir });
  process.stdout.write(
    `\n信用名单管理平台已启动 / Credit Lists is running\n` +
      `  管理端 Admin:    ${url}/\n` +
      `  接口文档 API:    ${url}/api/docs\n` +
      `  数据库 Database: ${handle.kind === 'pglite' ? `PGlite ${dataDir}` : 'PostgreSQL (DATABASE_URL)'}\n` +
      `  配置版本 Config: ${model.version} (${configDir})\n` +
      demoBanner(),
  );
});

function demoBanner(): string {
  if (!model.demoUsers) return '';
  const accounts = demoAccounts(model);
  const password = env.DEMO_PASSWORD || defaultDemoPassword;
  const sample = accounts.filter((a) => !a.username.includes('-')).map((a) => a.username);
  const first = model.lists[0]?.department ?? model.departments[0]?.code;
  return (
    `  演示账号 Demo accounts (password ${password}${seeded.reason === 'existing' ? ', unless changed since' : ''}):\n` +
    `    ${sample.join(', ')}, and <部门代码>-operator / <部门代码>-reviewer for each of ${model.departments.length} departments, e.g. ${first}-operator, ${first}-reviewer\n` +
    `    部门代码 department codes: ${model.departments.map((d) => d.code).join(' ')}\n`
  );
}

/**
 * Graceful shutdown: stop accepting connections, let the requests in flight
 * finish (idle keep-alive connections are closed at once), stop the jobs and
 * wait for a round in progress, then close the database. After
 * SHUTDOWN_TIMEOUT_MS (default 10 s) whatever is still open is cut off.
 */
let shuttingDown = false;
const shutdown = (signal: string) => {
  if (shuttingDown) return;
  shuttingDown = true;
  jsonLog({ msg: 'shutting down', signal });
  const force = setTimeout(() => {
    jsonLog({ level: 'warn', msg: 'shutdown timed out; closing open connections' });
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, Number(env.SHUTDOWN_TIMEOUT_MS ?? 10_000));
  force.unref();
  if (scheduler) clearInterval(scheduler);
  server.close(async () => {
    try {
      await schedulerRun;
      await app.close();
      await handle.close();
      jsonLog({ msg: 'stopped' });
      process.exit(0);
    } catch (err) {
      jsonLog({ level: 'error', msg: 'shutdown failed', err: String(err) });
      process.exit(1);
    }
  });
  if ('closeIdleConnections' in server) server.closeIdleConnections();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
