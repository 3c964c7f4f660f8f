/**
 * Black-box tests walk through months of deadlines: with CLOCK=manual (never
 * in production) the current time can be set and the scheduler run on demand.
 */
import { z } from '@hono/zod-openapi';
import type { AppRouter, Registrar } from '../http/router.ts';
import { runScheduledJobs } from '../jobs/scheduler.ts';
import type { ManualClock } from '../procedures/clock.ts';
import { validationErrors } from '../http/schemas.ts';

export function registerTestClockRoutes(app: AppRouter, r: Registrar, clock: ManualClock): void {
  const reason = 'test clock: registered only when the server runs with CLOCK=manual, which production refuses';
  app.openapi(
    r.route({
      method: 'post',
      path: '/api/_test/clock',
      summary: '设置测试时钟 / set the manual clock (CLOCK=manual only)',
      access: { kind: 'public', reason },
      request: { body: { required: true, content: { 'application/json': { schema: z.strictObject({ now: z.iso.datetime({ offset: true }) }) } } } },
      responses: { 200: { description: 'now', content: { 'application/json': { schema: z.object({ now: z.string(), today: z.string() }) } } }, ...validationErrors },
    }),
    (c) => {
      clock.set(new Date(c.req.valid('json').now));
      return c.json({ now: clock.now().toISOString(), today: clock.today() }, 200);
    },
  );
  app.openapi(
    r.route({
      method: 'post',
      path: '/api/_test/jobs/run',
      summary: '立即运行定时任务 / run the scheduler and one outbox delivery round (CLOCK=manual only)',
      access: { kind: 'public', reason },
      responses: { 200: { description: 'result', content: { 'application/json': { schema: z.looseObject({ ran: z.boolean() }) } } } },
    }),
    async (c) => {
      const jobs = await runScheduledJobs(c.get('services').engine, c.get('db'));
      return c.json({ ...jobs, outbox: await c.get('services').outbox.runOnce() }, 200);
    },
  );
}
