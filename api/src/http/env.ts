import type { AttachmentService } from '../attachments/service.ts';
import type { ApiKeyService } from '../auth/api-keys.ts';
import type { Principal } from '../auth/principal.ts';
import type { SessionService } from '../auth/sessions.ts';
import type { UserService } from '../auth/users.ts';
import type { AuthzService } from '../authz/service.ts';
import type { RuntimeModel } from '../config/compile.ts';
import type { ConfigRuntime } from '../config/studio.ts';
import type { DbHandle } from '../db/client.ts';
import type { Clock } from '../procedures/clock.ts';
import type { EngineDeps } from '../procedures/engine.ts';
import type { EntryService } from '../entries/service.ts';
import type { QueryLogRecorder } from '../lookup/service.ts';
import type { RequestService } from '../entries/requests.ts';
import type { EventBus } from './events.ts';
import type { OutboxWorker } from '../outbox/worker.ts';
import type { ImportService } from '../imports/jobs.ts';

export type Services = {
  clock: Clock;
  events: EventBus;
  authz: AuthzService;
  sessions: SessionService;
  users: UserService;
  apiKeys: ApiKeyService;
  engine: EngineDeps;
  entries: EntryService;
  requests: RequestService;
  attachments: AttachmentService;
  /** Group commit of lookup records (query_log). */
  queryLog: QueryLogRecorder;
  /** Outbox delivery; server.ts starts its timer, tests call runOnce(). */
  outbox: OutboxWorker;
  /** Where the config studio saves and how it puts a saved model in force (the same for every model). */
  config: ConfigRuntime;
  imports: ImportService;
};

/** The row scope of a list route: the departments whose entries the caller reaches. */
export type Scope = 'all' | readonly string[];

export type AppEnv = {
  Variables: {
    model: RuntimeModel;
    db: DbHandle;
    services: Services;
    requestId: string;
    principal?: Principal;
    /** Set by list routes: the departments where the caller holds the route's action. */
    scope?: Scope;
  };
};
