/**
 * The only place that reads the environment and opens a port: open the database,
 * migrate, load and lint the config, build the app, listen.
 */
import { resolve } from 'node:path';
import process from 'node:process';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadRuntimeModel, type RuntimeModel } from './config/compile.ts';
import { recordConfigVersion } from './config/store.ts';
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
await recordConfigVersion(handle.db, model, 'startup', `loaded from ${configDir}`);

const app = createApp(model, handle, { adminDir: adminDistDir, log: jsonLog });
const server = serve({ fetch: app.fetch, port, hostname: env.HOST ?? '0.0.0.0' }, (info) => {
  const url = `http://localhost:${info.port}`;
  jsonLog({ msg: 'listening', url, database: handle.kind, configVersion: model.version, configDir });
  process.stdout.write(
    `\n信用名单管理平台已启动 / Credit Lists is running\n` +
      `  管理端 Admin:    ${url}/\n` +
      `  接口文档 API:    ${url}/api/docs\n` +
      `  数据库 Database: ${handle.kind === 'pglite' ? `PGlite ${dataDir}` : 'PostgreSQL (DATABASE_URL)'}\n` +
      `  配置版本 Config: ${model.version} (${configDir})\n`,
  );
});

const shutdown = (signal: string) => {
  jsonLog({ msg: 'shutting down', signal });
  server.close(async () => {
    await handle.close();
    process.exit(0);
  });
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
