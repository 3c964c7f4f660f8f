import type { RuntimeModel } from '../config/compile.ts';
import type { DbHandle } from '../db/client.ts';

export type AppEnv = {
  Variables: {
    model: RuntimeModel;
    db: DbHandle;
    requestId: string;
  };
};
