/**
 * A private PostgreSQL server for fault tests: initdb in a temp directory, on
 * a free port, never the shared server on 5432. It can be stopped, killed
 * (SIGKILL of the postmaster and every backend, as in a crash) and started
 * again on the same port and data. As root (CI containers), the server runs
 * as the `postgres` system user, since PostgreSQL refuses to run as root.
 *
 * fsync is off: the faults here kill processes, not the machine, and a write
 * the kernel has accepted survives a killed process; it makes initdb and the
 * load several times faster.
 */
import { type SpawnOptions, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../support/server.ts';

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`no PostgreSQL server binaries under ${root}/*/bin (apt-get install postgresql)`);
  return join(root, versions[0], 'bin');
}

export type PrivatePostgres = {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  /** URL of another database on this server. */
  urlOf(database: string): string;
  start(): Promise<void>;
  /** A clean, fast shutdown (pg_ctl stop -m fast). */
  stop(): Promise<void>;
  /** SIGKILL to the postmaster and all its children: a crash; the next start runs recovery. */
  kill(): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
  log(): string;
};

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'credit-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : undefined;
  if (ids) chownSync(dir, ids.uid, ids.gid);

  const run = (cmd: string, args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const opts: SpawnOptions = { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' }, ...(ids ?? {}) };
      const child = spawn(join(bin, cmd), args, opts);
      let out = '';
      child.stdout?.on('data', (d) => (out += d));
      child.stderr?.on('data', (d) => (out += d));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}:\n${out}`))));
    });

  await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
  const options = ['-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=60'].join(' ');
  const pg: PrivatePostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    urlOf: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async start() {
      await run('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
    },
    async stop() {
      await run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    },
    async kill() {
      const pidFile = join(data, 'postmaster.pid');
      const postmaster = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      const children = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'
            const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
            return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
          } catch {
            return false;
          }
        })
        .map(Number);
      for (const pid of [postmaster, ...children]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      // wait until every process is gone, so that the next start finds no shared memory in use
      for (let i = 0; i < 100 && [postmaster, ...children].some((pid) => existsSync(`/proc/${pid}`)); i++) await new Promise((r) => setTimeout(r, 50));
    },
    async destroy() {
      try {
        await pg.stop();
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
  await pg.start();
  return pg;
}
