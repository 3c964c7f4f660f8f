/**
 * `pnpm config:check [dir]`: compiles a config directory and prints every problem
 * with file, line and key path; exits 1 when there is any.
 */
import { resolve } from 'node:path';
import process from 'node:process';
import { defaultConfigDir } from '../lib/paths.ts';
import { compileConfig } from './compile.ts';
import { formatIssue } from './issues.ts';
import { readConfigDir } from './load.ts';

const arg = process.argv[2];
// pnpm runs scripts inside api/; INIT_CWD is where the user typed the command.
const dir = arg ? resolve(process.env.INIT_CWD ?? process.cwd(), arg) : defaultConfigDir;
const result = compileConfig(await readConfigDir(dir), { production: process.env.NODE_ENV === 'production' });
if (!result.ok) {
  process.stderr.write(`配置检查未通过 / config check failed: ${dir}\n`);
  for (const issue of result.issues) process.stderr.write(`  ${formatIssue(issue)}\n`);
  process.stderr.write(`共 ${result.issues.length} 个错误 / ${result.issues.length} error(s)\n`);
  process.exit(1);
}
const m = result.model;
process.stdout.write(
  `配置检查通过 / config OK: ${dir}\n` +
    `  版本 version ${m.version}: ${m.departments.length} 个部门, ${m.roles.length} 个角色, ` +
    `${m.lists.length} 个名单/信息类型, ${m.measures.length} 项措施, ${m.plans.length} 个任务分工方案\n`,
);
