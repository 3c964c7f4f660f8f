/** Structured logs: one JSON object a line on stdout, for log collectors. */
export type Log = (entry: Record<string, unknown>) => void;

export const jsonLog: Log = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', ...entry })}\n`);
};
