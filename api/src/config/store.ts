/**
 * Config versions in the database: the full content of every version the
 * processes have run, with the one in force marked active.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { configVersions } from '../db/schema.ts';
import type { RuntimeModel } from './compile.ts';

/** Records the model's files as a version (a difference on disk becomes a new one) and makes it active. */
export async function recordConfigVersion(db: Db, model: RuntimeModel, author: string, reason: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(configVersions)
      .values({
        version: model.version,
        files: Object.fromEntries(model.files.map((f) => [f.path, f.content])),
        author,
        reason,
      })
      .onConflictDoNothing();
    await tx.update(configVersions).set({ active: false }).where(sql`${configVersions.active} and ${configVersions.version} <> ${model.version}`);
    await tx.update(configVersions).set({ active: true }).where(eq(configVersions.version, model.version));
  });
}
