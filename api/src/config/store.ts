/**
 * Config versions in the database: the full content of every version the
 * processes have run, with the one in force marked active.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { configVersions } from '../db/schema.ts';
import type { RuntimeModel } from './compile.ts';
import { appendAudit } from '../audit/chain.ts';
import { type Clock, systemClock } from '../procedures/clock.ts';

/** Records the model's files as a version (a difference on disk becomes a new one) and makes it active. */
export async function recordConfigVersion(db: Db, model: RuntimeModel, author: string, reason: string, clock?: Clock): Promise<void> {
  const at = (clock ?? systemClock(model.platform.timezone)).now();
  await db.transaction(async (tx) => {
    const [previous] = await tx.select({ version: configVersions.version }).from(configVersions).where(eq(configVersions.active, true));
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
    // A change of the version in force is audited; starting again on the same one is not a change.
    if (previous?.version !== model.version) {
      await appendAudit(tx, {
        chain: 'config',
        actor: { kind: 'system', name: author },
        action: 'config.activate',
        targetType: 'config_version',
        targetId: model.version,
        before: previous ? { version: previous.version } : null,
        after: { version: model.version, author, reason, files: model.files.length },
        at,
      });
    }
  });
}
