import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerDatabase, serverDatabase } from '../support/db.ts';
import { repoRoot, startExpectingFailure, startServer } from '../support/server.ts';

const fixture = fileURLToPath(new URL('../../api/src/config/fixture/', import.meta.url));
let configDir: string;
let database: ServerDatabase;

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'credit-config-'));
  await cp(fixture, configDir, { recursive: true });
  database = await serverDatabase();
});
afterAll(async () => {
  await database.drop();
  await rm(configDir, { recursive: true, force: true });
});

async function adminMeta(url: string) {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'Demo@123456' }),
  });
  const { token } = await login.json();
  return (await fetch(`${url}/api/meta`, { headers: { authorization: `Bearer ${token}` } })).json();
}

const watchList = `
id: new-watch
name: 新增重点关注名单
kind: watch
department: scjg
legal_basis: [《测试市社会信用条例》第二十条]
subject_kinds: [legal_person]
portal: false
fields:
  - { key: reason, label: 关注原因, type: text, required: true }
procedure:
  recognise: { separate_reviewer: false }
  publish: { within: { working_days: 5 } }
term: { default: { years: 1 } }
permissions: { create: [operator], view: [operator, reviewer] }
`;

describe('server', () => {
  it('serves health, meta and the admin, and picks up a new list type after a restart without a migration', async () => {
    const migrationsBefore = await readdir(join(repoRoot, 'migrations'), { recursive: true });
    const first = await startServer({ CONFIG_DIR: configDir, ...database.env });
    try {
      const health = await (await fetch(`${first.url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', databaseUp: true });
      const admin = await fetch(`${first.url}/`);
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain('<div id="root">');
      // Deep links of the single-page admin get its index too.
      expect(await (await fetch(`${first.url}/lists/serious`)).text()).toContain('<div id="root">');
      const meta = await adminMeta(first.url);
      expect(meta.lists.map((l: { id: string }) => l.id)).toEqual(['serious']);
      expect(first.output()).toContain('信用名单管理平台已启动');
    } finally {
      await first.stop();
    }

    await writeFile(join(configDir, 'lists', 'new-watch.yaml'), watchList);
    const second = await startServer({ CONFIG_DIR: configDir, ...database.env });
    try {
      const meta = await adminMeta(second.url);
      const added = meta.lists.find((l: { id: string }) => l.id === 'new-watch');
      expect(added).toMatchObject({ name: '新增重点关注名单', kind: 'watch', portal: false, department: 'scjg' });
      expect(added.procedure.states.map((s: { id: string }) => s.id)).toEqual(['draft', 'recognised', 'published', 'withdrawn', 'exited']);
      const health = await (await fetch(`${second.url}/api/health`)).json();
      expect(health.version).toBe(meta.version);
    } finally {
      await second.stop();
    }
    expect(await readdir(join(repoRoot, 'migrations'), { recursive: true })).toEqual(migrationsBefore);
  });

  it('refuses to start on a bad config, naming file, line, key path and reason without a stack trace', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'credit-bad-'));
    try {
      await cp(fixture, bad, { recursive: true });
      const listFile = join(bad, 'lists', 'serious.yaml');
      const text = await readFile(listFile, 'utf8');
      await writeFile(listFile, text.replace('department: scjg', 'department: nowhere'));
      const { code, output } = await startExpectingFailure({ CONFIG_DIR: bad, ...database.env });
      expect(code).toBe(1);
      expect(output).toContain('无法启动');
      expect(output).toMatch(/lists\/serious\.yaml:4:1 department — 未知的部门编码“nowhere”（见 departments\.yaml）/);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});
