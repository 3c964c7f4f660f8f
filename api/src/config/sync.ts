/**
 * Keeps a process on the config version marked active in config_versions.
 * A save in any process announces itself over the event bus (PostgreSQL
 * LISTEN/NOTIFY), which brings the others over at once; a poll of the active
 * row every `pollMs` is the bound when a notification is lost (a dropped
 * listening connection). The content is read from the row, not from disk, so
 * processes need not share a CONFIG_DIR.
 */
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../db/client.ts';
import { configVersions } from '../db/schema.ts';
import type { EventBus } from '../http/events.ts';
import type { Log } from '../lib/log.ts';
import { compileConfig, type RuntimeModel } from './compile.ts';

export type ConfigSyncOptions = {
  db: DbHandle;
  events: EventBus;
  current: () => RuntimeModel;
  apply: (model: RuntimeModel) => Promise<void>;
  production: boolean;
  /** 0 or absent: no poll, notifications only. */
  pollMs?: number;
  log: Log;
};

export type ConfigSync = { syncNow(): Promise<void>; stop(): void };

export function startConfigSync(opts: ConfigSyncOptions): ConfigSync {
  const { db } = opts.db;
  let running: Promise<void> | undefined;
  let again = false;

  async function once(): Promise<void> {
    const [active] = await db.select({ version: configVersions.version }).from(configVersions).where(eq(configVersions.active, true));
    if (!active || active.version === opts.current().version) return;
    const [row] = await db.select({ files: configVersions.files }).from(configVersions).where(eq(configVersions.version, active.version));
    if (!row) return;
    const files = Object.entries(row.files).map(([path, content]) => ({ path, content }));
    const compiled = compileConfig(files, { production: opts.production });
    if (!compiled.ok) {
      opts.log({ level: 'error', msg: 'active config version does not compile; keeping the current one', version: active.version, issues: compiled.issues.length });
      return;
    }
    await opts.apply(compiled.model);
  }

  // One sync at a time; a request during one runs once more afterwards.
  function syncNow(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await once();
        } while (again);
      } catch (err) {
        opts.log({ level: 'error', msg: 'config sync failed', err: String(err) });
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const off = opts.events.on((event) => {
    if (event.type === 'config-changed' && event.version !== opts.current().version) void syncNow();
  });
  const timer = opts.pollMs ? setInterval(() => void syncNow(), opts.pollMs) : undefined;
  timer?.unref();
  return {
    syncNow,
    stop() {
      off();
      if (timer) clearInterval(timer);
    },
  };
}
