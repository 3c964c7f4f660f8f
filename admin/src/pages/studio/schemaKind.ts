/** The definition a config file's path is checked against. */
export function schemaKindOf(path: string): string | undefined {
  if (path.startsWith('lists/')) return 'list';
  if (path.startsWith('plans/')) return 'plan';
  const base = path.replace(/\.ya?ml$/, '');
  return ['platform', 'departments', 'roles', 'measures', 'assessment'].includes(base) ? base : undefined;
}

