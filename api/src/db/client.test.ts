import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase, queryRows } from './client.ts';
import { MIGRATIONS_FOLDER, runMigrations } from './migrate.ts';
import { attachments, configVersions, entries, entryEvents, subjects, users } from './schema.ts';
import { openTestDatabase, type TestDbKind, testAdminUrl } from './testing.ts';


// PostgreSQL runs when reachable; with TEST_DB=postgres it is required.

// Starting PGlite (WASM Postgres) takes seconds, more on a busy machine.
const PGLITE_TIMEOUT = 60_000;

const kinds: { kind: TestDbKind }[] = [
  { kind: 'pglite' },
  { kind: 'postgres' },
];

async function seedEntry(h: DbHandle) {
  const [user] = await h.db
    .insert(users)
    .values({ username: 'zhang.san', displayName: '张三', passwordHash: 'x' })
    .returning();
  const [subject] = await h.db
    .insert(subjects)
    .values({ kind: 'legal_person', code: '91350100M000100Y43', name: '某某建设有限公司' })
    .returning();
  await h.db.insert(configVersions).values({ version: 'cfg1', files: { 'platform.yaml': 'a: 1' }, active: true });
  const [entry] = await h.db
    .insert(entries)
    .values({
      listId: 'black-wage-arrears',
      department: 'hrss',
      subjectId: subject!.id,
      status: 'draft',
      fields: { 案由: '拖欠工资', amount: 120000.5, facts: { months: [1, 2] } },
      decisionDate: '2026-03-31',
      termEnd: '2029-03-31',
      configVersionCreated: 'cfg1',
      createdBy: user!.id,
    })
    .returning();
  return { user: user!, subject: subject!, entry: entry! };
}

for (const { kind } of kinds) {
  describe(`database on ${kind}`, () => {
    let h: DbHandle;
    beforeAll(async () => {
      h = await openTestDatabase(kind);
    }, PGLITE_TIMEOUT);
    afterAll(async () => {
      await h?.close();
    });

    it('reads back a user with defaults filled in', async () => {
      const { user } = await seedEntry(h);
      const [row] = await h.db.select().from(users).where(eq(users.username, 'zhang.san'));
      expect(row).toMatchObject({ id: user.id, displayName: '张三', disabled: false, failedLogins: 0, lockedUntil: null });
      expect(row!.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(row!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('stores entry fields as a JSONB object and dates as calendar days', async () => {
      const [entry] = await h.db.select().from(entries).where(eq(entries.listId, 'black-wage-arrears'));
      expect(entry).toMatchObject({
        status: 'draft',
        version: 1,
        overdue: false,
        relatedPersons: [],
        decisionDate: '2026-03-31',
        termEnd: '2029-03-31',
        fields: { 案由: '拖欠工资', amount: 120000.5, facts: { months: [1, 2] } },
      });
      // An object in SQL too (not a JSON string scalar), so ->> and @> work.
      const rows = await queryRows<{ cause: string; kind: string }>(
        h.db,
        sql`select fields->>'案由' as cause, jsonb_typeof(fields) as kind from entries where fields @> ${JSON.stringify({ 案由: '拖欠工资' })}::jsonb`,
      );
      expect(rows).toEqual([{ cause: '拖欠工资', kind: 'object' }]);
    });

    it('loads an entry with its subject through relations', async () => {
      const found = await h.db.query.entries.findFirst({ with: { subject: true } });
      expect(found?.subject.name).toBe('某某建设有限公司');
    });

    it('keeps event sequence numbers unique per entry', async () => {
      const [entry] = await h.db.select({ id: entries.id }).from(entries).limit(1);
      const event = { entryId: entry!.id, seq: 1, action: 'create', toStatus: 'draft' };
      await h.db.insert(entryEvents).values(event);
      await expect(h.db.insert(entryEvents).values(event)).rejects.toThrow();
    });

    it('rejects an unknown subject kind', async () => {
      await expect(
        h.db.insert(subjects).values({ kind: 'alien' as never, code: 'X1', name: 'x' }),
      ).rejects.toThrow();
    });

    it('allows only one active config version', async () => {
      await expect(
        h.db.insert(configVersions).values({ version: 'cfg2', files: {}, active: true }),
      ).rejects.toThrow();
    });

    it('round-trips binary attachments', async () => {
      const content = new Uint8Array([0, 1, 2, 253, 254, 255]);
      const [a] = await h.db
        .insert(attachments)
        .values({ ownerType: 'entry', ownerId: 'x', filename: '决定书.pdf', mime: 'application/pdf', size: 6, sha256: 'h', content })
        .returning({ id: attachments.id });
      const [back] = await h.db.select().from(attachments).where(eq(attachments.id, a!.id));
      expect(Array.from(back!.content)).toEqual(Array.from(content));
    });

    it('rolls back a failed transaction', async () => {
      await expect(
        h.db.transaction(async (tx) => {
          await tx.update(entries).set({ status: 'notified' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const [e] = await h.db.select({ status: entries.status }).from(entries).limit(1);
      expect(e!.status).toBe('draft');
    });

    it('serialises concurrent read-modify-write transactions', async () => {
      const [entry] = await h.db.select({ id: entries.id }).from(entries).limit(1);
      const bump = () =>
        h.db.transaction(async (tx) => {
          // FOR UPDATE is what makes this correct on PostgreSQL; on PGlite the single connection does.
          const [row] = await tx.select({ v: entries.version }).from(entries).where(eq(entries.id, entry!.id)).for('update');
          await new Promise((r) => setTimeout(r, 5));
          await tx.update(entries).set({ version: row!.v + 1 }).where(eq(entries.id, entry!.id));
        });
      const before = (await h.db.select({ v: entries.version }).from(entries).where(eq(entries.id, entry!.id)))[0]!.v;
      await Promise.all(Array.from({ length: 8 }, bump));
      const after = (await h.db.select({ v: entries.version }).from(entries).where(eq(entries.id, entry!.id)))[0]!.v;
      expect(after).toBe(before + 8);
    });

    it('delivers notifications to listeners', async () => {
      let deliver!: (payload: string) => void;
      const received = new Promise<string>((resolve) => {
        deliver = resolve;
      });
      const unlisten = await h.listen('roles_changed', (payload) => deliver(payload));
      try {
        await h.notify('roles_changed', '{"user":"u1"}');
        expect(await received).toBe('{"user":"u1"}');
      } finally {
        await unlisten();
      }
    });

    it('refuses channel names that the drivers would spell differently', async () => {
      await expect(h.listen('Roles-Changed', () => {})).rejects.toThrow(/invalid notification channel/);
    });

    it('is safe to migrate again', async () => {
      await runMigrations(h);
      const [row] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from users`);
      expect(row!.n).toBe(1);
    });
  });
}

describe('PGlite specifics', () => {
  it('turns a db query inside a transaction into an error instead of a deadlock', async () => {
    const h = await openTestDatabase('pglite');
    try {
      const failure = await h.db
        .transaction(async () => {
          await h.db.select().from(users);
        })
        .catch((err: unknown) => err);
      // drizzle wraps driver errors in "Failed query: ..." with the cause attached.
      expect(String((failure as Error).cause)).toMatch(/use the transaction object/);
      // The database stays usable afterwards.
      expect(await h.db.select().from(users)).toEqual([]);
    } finally {
      await h.close();
    }
  }, PGLITE_TIMEOUT);

  it('keeps concurrent readers out of an open transaction', async () => {
    const h = await openTestDatabase('pglite');
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const tx = h.db
        .transaction(async (t) => {
          await t.insert(users).values({ username: 'tmp', displayName: 'tmp', passwordHash: 'x' });
          await gate;
          throw new Error('rollback');
        })
        .catch(() => 'rolled back');
      const reader = h.db.select().from(users);
      release();
      expect(await tx).toBe('rolled back');
      expect(await reader).toEqual([]);
    } finally {
      await h.close();
    }
  }, PGLITE_TIMEOUT);

  it('creates and reuses a data directory', async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'ct-pglite-'));
    const dataDir = path.join(base, 'nested', 'data');
    try {
      const first = await openDatabase({ dataDir });
      await runMigrations(first);
      await first.db.insert(users).values({ username: 'li.si', displayName: '李四', passwordHash: 'x' });
      await first.close();
      expect((await stat(dataDir)).isDirectory()).toBe(true);

      const second = await openDatabase({ dataDir });
      await runMigrations(second);
      const rows = await second.db.select({ username: users.username }).from(users);
      await second.close();
      expect(rows).toEqual([{ username: 'li.si' }]);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  }, PGLITE_TIMEOUT);
});

describe('PostgreSQL specifics', () => {
  it('lets two processes migrate the same database at once', async () => {
    const admin = postgres(testAdminUrl(), { max: 1, onnotice: () => {} });
    const name = `ct_race_${Date.now().toString(36)}`;
    await admin.unsafe(`create database ${name}`);
    try {
      const url = new URL(testAdminUrl());
      url.pathname = `/${name}`;
      const a = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
      const b = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
      try {
        await Promise.all([runMigrations(a), runMigrations(b)]);
        const rows = await queryRows<{ n: number }>(a.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
        const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
        expect(rows[0]!.n).toBe(journal.entries.length);
      } finally {
        await a.close();
        await b.close();
      }
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  it('drops the throwaway database on close', async () => {
    const h = await openTestDatabase('postgres');
    const [row] = await queryRows<{ name: string }>(h.db, sql`select current_database() as name`);
    await h.close();
    const admin = postgres(testAdminUrl(), { max: 1 });
    try {
      const left = await admin`select 1 from pg_database where datname = ${row!.name}`;
      expect(left.length).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('refuses a pool too small to migrate', async () => {
    await expect(openDatabase({ databaseUrl: testAdminUrl(), maxConnections: 1 })).rejects.toThrow(/maxConnections/);
  });
});
