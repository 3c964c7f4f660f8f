/**
 * Config versions in the database: the full content of every version the
 * processes have run, with the one in force marked active.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { configVersions } from '../db/schema.ts';
import { compileConfig, type RuntimeModel } from './compile.ts';
import { writeAtomically } from './studio.ts';
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

/**
 * The model a starting process runs. A config dir that differs from the active version becomes a
 * new version (a hand edit), unless its content is an older version already recorded: then the dir
 * is a stale mirror (another process saved through the studio since), the active version wins and
 * is written into the dir, so that a restart never reverts a studio save.
 */
export async function startupModel(
  db: Db,
  disk: RuntimeModel,
  dir: string,
  opts: { production: boolean; log: (msg: string) => void },
): Promise<RuntimeModel> {
  const [active] = await db.select({ version: configVersions.version, files: configVersions.files }).from(configVersions).where(eq(configVersions.active, true));
  if (!active || active.version === disk.version) return disk;
  const [known] = await db.select({ version: configVersions.version }).from(configVersions).where(eq(configVersions.version, disk.version));
  if (!known) return disk;
  const compiled = compileConfig(
    Object.entries(active.files).map(([path, content]) => ({ path, content })),
    { production: opts.production },
  );
  if (!compiled.ok) {
    opts.log(`active config version ${active.version} does not compile here; starting on the config dir (${disk.version})`);
    return disk;
  }
  const onDisk = new Map(disk.files.map((f) => [f.path, f.content]));
  for (const f of compiled.model.files) if (onDisk.get(f.path) !== f.content) await writeAtomically(dir, f.path, f.content);
  for (const f of disk.files) if (!compiled.model.files.some((g) => g.path === f.path)) await writeAtomically(dir, f.path, null);
  opts.log(`config dir ${dir} held the older version ${disk.version}; now mirrors the active version ${active.version}`);
  return compiled.model;
}
