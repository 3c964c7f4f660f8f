/**
 * pnpm audit:verify — recompute every audit chain and check every checkpoint.
 *
 * Database as for the server: DATABASE_URL (PostgreSQL), else PGlite in
 * DATA_DIR (default <repo>/data). A PGlite data directory may be opened by one
 * process only: stop the server first. Read-only; runs no migrations.
 *
 * Options: --json (print the result object as JSON), --batch-size N.
 * Exit status: 0 intact, 1 broken, 2 could not check.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { type DbHandle, openDatabase } from '../db/client.ts';
import { repoRoot } from '../lib/paths.ts';
import { type AuditVerification, type BrokenReason, verifyAudit } from './verify.ts';

const REASONS: Record<BrokenReason, string> = {
  'hash-mismatch': '内容与哈希不符，记录被改动 / content no longer matches its hash: the record was altered',
  'seq-gap': '序号不连续，有记录被删除 / sequence gap: a record was deleted',
  'prev-mismatch': '与上一条记录的哈希链接断开 / link to the previous record is broken',
  'checkpoint-mismatch': '检查点与现有记录不符或检查点被改动 / checkpoint does not match the records, or was altered',
  truncated: '检查点记录的链尾已不存在，链被截断 / a head named by a checkpoint is gone: the chain was truncated',
};

function formatVerification(result: AuditVerification, database: string): string {
  const lines = [
    '审计日志校验 / Audit log verification',
    `  数据库 Database:       ${database}`,
    `  记录 Records:          ${result.records}`,
    `  链 Chains:             ${result.chains}`,
    `  检查点 Checkpoints:    ${result.checkpoints}`,
  ];
  if (result.ok) {
    lines.push('  结果 Result:           完好 / intact');
    if (result.checkpoints === 0) {
      lines.push('  提示 Note:             尚无检查点，无法发现链尾被截断 / no checkpoints yet: a truncated tail would go unnoticed');
    }
  } else {
    lines.push(`  结果 Result:           已被篡改 / BROKEN (${result.problems} 处问题 / problem(s))`);
    const b = result.firstBroken;
    if (b) {
      const where =
        b.table === 'audit_log'
          ? `audit_log id ${b.id}, 链 chain ${b.chain}, 序号 seq ${b.seq}`
          : `audit_checkpoints id ${b.id}${b.chain === null ? '' : `, 链 chain ${b.chain}, 序号 seq ${b.seq ?? '?'}`}`;
      lines.push(`  首个问题 First break:  ${where}`);
      lines.push(`  规则 Rule:             ${b.reason} — ${REASONS[b.reason]}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { json: { type: 'boolean', default: false }, 'batch-size': { type: 'string' } },
  });
  const env = process.env;
  const fromUser = (p: string) => resolve(env.INIT_CWD ?? process.cwd(), p);
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);

  let handle: DbHandle;
  let database: string;
  if (env.DATABASE_URL) {
    handle = await openDatabase({ databaseUrl: env.DATABASE_URL, maxConnections: 2 });
    database = 'PostgreSQL (DATABASE_URL)';
  } else {
    const dataDir = env.DATA_DIR ? fromUser(env.DATA_DIR) : resolve(repoRoot, 'data');
    if (!existsSync(dataDir)) {
      process.stderr.write(`数据目录不存在 / data directory not found: ${dataDir}\n`);
      return 2;
    }
    handle = await openDatabase({ dataDir });
    database = `PGlite ${dataDir}`;
  }
  try {
    const result = await verifyAudit(handle.db, batchSize === undefined ? {} : { batchSize });
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatVerification(result, database));
    return result.ok ? 0 : 1;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // drizzle wraps driver errors ("Failed query: ..."); the cause says why (e.g. no such table).
    const cause = err instanceof Error && err.cause instanceof Error ? `\n  ${err.cause.message}` : '';
    process.stderr.write(`无法校验 / could not verify: ${err instanceof Error ? err.message : String(err)}${cause}\n`);
    process.exitCode = 2;
  },
);
