/**
 * Reads config files and validates each against its zod schema, keeping the
 * YAML documents so that every later problem can name its line.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { ConfigIssue, IssueCode } from './issues.ts';
import { type FileKind, fileSchemas, idPattern } from './schema.ts';

/** A config file as stored on disk or in `config_versions`: path relative to the config dir, with `/`. */
export type ConfigFile = { path: string; content: string };

export type ParsedFile<K extends FileKind = FileKind> = {
  kind: K;
  file: string;
  doc: Document;
  lines: LineCounter;
  data: z.infer<(typeof fileSchemas)[K]>;
};

const singleFiles: Record<string, FileKind> = {
  'platform.yaml': 'platform',
  'departments.yaml': 'departments',
  'roles.yaml': 'roles',
  'measures.yaml': 'measures',
  'assessment.yaml': 'assessment',
  'demo-users.yaml': 'demoUsers',
};

export const requiredFiles = ['platform.yaml', 'departments.yaml', 'roles.yaml', 'measures.yaml', 'assessment.yaml'];

export function kindOfFile(path: string): FileKind | undefined {
  if (singleFiles[path]) return singleFiles[path];
  if (/^lists\/[^/]+\.ya?ml$/.test(path)) return 'list';
  if (/^plans\/[^/]+\.ya?ml$/.test(path)) return 'plan';
  return undefined;
}

/** Every YAML file below `dir`, sorted, so that the content hash does not depend on the file system's order. */
export async function readConfigDir(dir: string): Promise<ConfigFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: ConfigFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
    const full = join(entry.parentPath, entry.name);
    const path = relative(dir, full).split(sep).join('/');
    files.push({ path, content: await readFile(full, 'utf8') });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The line and column of a key path: the key itself where it exists, else its nearest parent. */
export function locate(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let offset: number | undefined = (doc.contents as Node | null)?.range?.[0];
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === segment);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return {};
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function zodIssueCode(issue: z.core.$ZodIssue): { code: IssueCode; message: string; messageEn: string } {
  const last = issue.path[issue.path.length - 1];
  if (last === 'legal_basis') {
    return {
      code: 'MISSING_LEGAL_BASIS',
      message: '缺少法律依据：名单类型和惩戒激励措施都必须写明至少一项法律、法规或中央政策依据（legal_basis）',
      messageEn: 'missing legal basis: every list type and measure must cite at least one law, regulation or central policy (legal_basis)',
    };
  }
  if (issue.code === 'invalid_format' && 'pattern' in issue && issue.pattern === String(idPattern)) {
    return {
      code: 'INVALID_ID',
      message: `id 不符合 URL 安全格式（只能包含小写字母、数字和连字符）`,
      messageEn: 'id is not URL-safe (lowercase letters, digits and hyphens only)',
    };
  }
  if (issue.code === 'unrecognized_keys') {
    return {
      code: 'SCHEMA',
      message: `未知的键：${issue.keys.join('、')}`,
      messageEn: `unknown key(s): ${issue.keys.join(', ')}`,
    };
  }
  return { code: 'SCHEMA', message: translateZod(issue), messageEn: issue.message };
}

function translateZod(issue: z.core.$ZodIssue): string {
  // Our own messages are already Chinese; zod's built-in ones get a Chinese prefix.
  if (/[\u4e00-\u9fa5]/.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `缺少必填项（应为 ${issue.expected}）` : `类型错误：应为 ${issue.expected}`;
    case 'invalid_value':
      return `取值无效，可选值：${issue.values.map(String).join('、')}`;
    case 'too_small':
      return `过小或过短（最少 ${String(issue.minimum)}）`;
    case 'too_big':
      return `过大或过长（最多 ${String(issue.maximum)}）`;
    case 'invalid_format':
      return `格式错误（${issue.format}）`;
    default:
      return `格式错误：${issue.message}`;
  }
}

type FileResult = { parsed?: ParsedFile; issues: ConfigIssue[] };
/**
 * Results per (path, content): the studio lints the whole config on every keystroke and a reload
 * compiles it again, while mostly one file changes; YAML parsing and zod dominate the compile.
 * Parsed files are only read afterwards (the compiled model freezes them), so sharing is safe.
 */
const fileCache = new Map<string, FileResult>();
const fileCacheSize = 500;

function parseCached(path: string, content: string, parse: () => FileResult): FileResult {
  const key = createHash('sha256').update(path).update('\0').update(content).digest('hex');
  const hit = fileCache.get(key);
  if (hit) return hit;
  const result = parse();
  if (fileCache.size >= fileCacheSize) fileCache.delete(fileCache.keys().next().value as string);
  fileCache.set(key, result);
  return result;
}

/** Parses and validates each file; returns the good ones and every problem found. */
export function parseConfigFiles(files: ConfigFile[]): { parsed: ParsedFile[]; issues: ConfigIssue[] } {
  const parsed: ParsedFile[] = [];
  const issues: ConfigIssue[] = [];
  const present = new Set(files.map((f) => f.path));
  for (const required of requiredFiles) {
    if (!present.has(required)) {
      issues.push({
        code: 'MISSING_FILE',
        file: required,
        path: [],
        message: `缺少配置文件 ${required}`,
        messageEn: `missing config file ${required}`,
      });
    }
  }
  for (const { path, content } of files) {
    const kind = kindOfFile(path);
    if (!kind) {
      issues.push({
        code: 'UNKNOWN_FILE',
        file: path,
        path: [],
        message: '无法识别的配置文件：名单类型放在 lists/，任务分工方案放在 plans/',
        messageEn: 'unknown config file: list types go in lists/, plans in plans/',
      });
      continue;
    }
    const result = parseCached(path, content, () => parseOne(kind, path, content));
    issues.push(...result.issues);
    if (result.parsed) parsed.push(result.parsed);
  }
  return { parsed, issues };
}

function parseOne(kind: FileKind, path: string, content: string): FileResult {
  const issues: ConfigIssue[] = [];
  const lines = new LineCounter();
  const doc = parseDocument(content, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    for (const err of doc.errors) {
      const pos = lines.linePos(err.pos[0]);
      issues.push({
        code: 'YAML_SYNTAX',
        file: path,
        path: [],
        line: pos.line,
        column: pos.col,
        message: `YAML 语法错误：${err.message.split('\n')[0]}`,
        messageEn: `YAML syntax error: ${err.message.split('\n')[0]}`,
      });
    }
    return { issues };
  }
  const result = fileSchemas[kind].safeParse(doc.toJS());
  if (!result.success) {
    for (const zi of result.error.issues) {
      issues.push({ ...zodIssueCode(zi), file: path, path: zi.path as (string | number)[], ...locate(doc, lines, zi.path) });
    }
    return { issues };
  }
  return { issues, parsed: { kind, file: path, doc, lines, data: result.data } as ParsedFile };
}
