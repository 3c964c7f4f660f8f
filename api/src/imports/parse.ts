/**
 * Reading an import file into rows of cells: the type is recognised by its
 * content (an xlsx is a zip; anything with NUL bytes is no csv), a csv is
 * decoded as UTF-8 (with or without BOM) or GBK, detected from its first
 * bytes, and parsed by csv-parse as a stream; an xlsx is read by exceljs.
 * Every refusal is an AppError with a zh-CN message; nothing is written here.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../http/errors.ts';
import { dataSheetName } from './templates.ts';

export type FormulaCell = { formula: string };
export type CellValue = string | number | boolean | Date | null | FormulaCell;
export type SourceRow = { row: number; cells: CellValue[] };
export type Encoding = 'utf-8' | 'utf-8-bom' | 'gbk';

export type ImportSource = {
  format: 'csv' | 'xlsx';
  encoding: Encoding | null;
  header: string[];
  /** Data rows after the header, blank rows skipped, numbered as a spreadsheet shows them. */
  rows: AsyncIterable<SourceRow>;
};

/** Where the file is: bytes in memory (uploads) or a path (the CLI, benchmarks). */
export type FileInput = { filename: string; bytes: Uint8Array } | { filename: string; path: string };

export const isFormula = (v: CellValue): v is FormulaCell => typeof v === 'object' && v !== null && !(v instanceof Date) && 'formula' in v;

const fileError = (status: 415 | 422, code: string, zh: string, en: string) => new AppError(status, code, zh, en);

async function headBytes(input: FileInput, n = 65_536): Promise<Uint8Array> {
  if ('bytes' in input) return input.bytes.subarray(0, n);
  const fh = await open(input.path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

export function detectEncoding(head: Uint8Array): Encoding {
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    throw fileError(422, 'IMPORT_ENCODING_UNSUPPORTED', '文件编码为 UTF-16，请另存为 UTF-8 或 GBK 编码的 CSV', 'the file is UTF-16; save it as UTF-8 or GBK csv');
  }
  if (startsWith(head, [0xef, 0xbb, 0xbf])) return 'utf-8-bom';
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    const text = iconv.decode(Buffer.from(head), 'gbk');
    // GBK decodes most byte strings; replacement characters mean it is neither
    if ((text.match(/\uFFFD/g)?.length ?? 0) > 2) {
      throw fileError(422, 'IMPORT_ENCODING_UNKNOWN', '无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV', 'unknown encoding: save the csv as UTF-8 or GBK');
    }
    return 'gbk';
  }
}

/** Recognises the file by its content and checks that it is what its name says. */
export async function openImportFile(input: FileInput, opts: { maxCellChars: number }): Promise<ImportSource> {
  const ext = /\.([a-z0-9]+)$/i.exec(input.filename)?.[1]?.toLowerCase();
  if (ext !== 'csv' && ext !== 'xlsx') {
    throw fileError(415, 'IMPORT_FILE_TYPE', `不支持的文件类型“${ext ? `.${ext}` : input.filename}”：请上传 .xlsx 或 .csv 文件`, 'upload an .xlsx or .csv file');
  }
  const head = await headBytes(input);
  if (!head.length) throw fileError(422, 'IMPORT_EMPTY_FILE', '文件为空', 'the file is empty');
  const zip = startsWith(head, [0x50, 0x4b, 0x03, 0x04]);
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw fileError(415, 'IMPORT_FILE_TYPE', '不支持 Excel 97-2003（.xls）格式：请另存为 .xlsx 后上传', 'old .xls files are not supported; save as .xlsx');
  }
  if (ext === 'xlsx' && !zip) throw fileError(415, 'IMPORT_TYPE_MISMATCH', '文件扩展名为 .xlsx，但内容不是 xlsx 工作簿', 'the file is named .xlsx but is not an xlsx workbook');
  const utf16 = startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]);
  if (ext === 'csv' && (zip || (!utf16 && head.includes(0)))) throw fileError(415, 'IMPORT_TYPE_MISMATCH', '文件扩展名为 .csv，但内容不是文本', 'the file is named .csv but is not text');
  return ext === 'xlsx' ? openXlsx(input, opts) : openCsv(input, head, opts);
}

// ------------------------------------------------------------------ csv

async function openCsv(input: FileInput, head: Uint8Array, opts: { maxCellChars: number }): Promise<ImportSource> {
  const encoding = detectEncoding(head);
  const raw = 'bytes' in input ? Readable.from([Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)]) : createReadStream(input.path, { highWaterMark: 1 << 20 });
  // iconv-lite strips a UTF-8 BOM while decoding
  const decoded = raw.pipe(iconv.decodeStream(encoding === 'gbk' ? 'gbk' : 'utf-8'));
  const parser = decoded.pipe(
    parse({
      relax_column_count: true,
      skip_empty_lines: false,
      // a record larger than this is refused whole instead of being held in memory
      max_record_size: Math.max(opts.maxCellChars * 8, 1 << 20),
    }),
  );
  raw.on('error', (err: Error) => parser.destroy(err));
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  let first: IteratorResult<string[]>;
  try {
    first = await iterator.next();
  } catch (err) {
    throw csvError(err);
  }
  if (first.done) throw fileError(422, 'IMPORT_NO_HEADER', '文件没有表头行', 'the file has no header row');
  const header = first.value.map((h) => String(h).trim());
  async function* rows(): AsyncGenerator<SourceRow> {
    let row = 1;
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        row += 1;
        const cells = next.value;
        if (cells.every((c) => c.trim() === '')) continue;
        yield { row, cells };
      }
    } catch (err) {
      throw csvError(err);
    } finally {
      parser.destroy();
      raw.destroy();
    }
  }
  return { format: 'csv', encoding, header, rows: rows() };
}

function csvError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; lines?: number; message?: string };
  if (e.code === 'CSV_MAX_RECORD_SIZE') {
    return new AppError(422, 'IMPORT_CELL_TOO_LARGE', `第 ${e.lines ?? '?'} 行过大，无法读取：请检查是否有超长单元格或未闭合的引号`, `row ${e.lines ?? '?'} is too large: a huge cell or an unclosed quote`);
  }
  if (e.code?.startsWith('CSV_')) {
    return new AppError(422, 'IMPORT_CSV_MALFORMED', `CSV 格式错误（约第 ${e.lines ?? '?'} 行）：请检查引号是否成对`, `malformed csv near line ${e.lines ?? '?'}: ${e.message ?? ''}`);
  }
  return err as AppError;
}

// ------------------------------------------------------------------ xlsx

function xlsxCell(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) return { formula: String((v as { formula?: string }).formula ?? (v as { sharedFormula?: string }).sharedFormula ?? '') };
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String((v as { text: unknown }).text);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

async function openXlsx(input: FileInput, _opts: { maxCellChars: number }): Promise<ImportSource> {
  const wb = new ExcelJS.Workbook();
  try {
    if ('bytes' in input) await wb.xlsx.load(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength) as unknown as ArrayBuffer);
    else await wb.xlsx.readFile(input.path);
  } catch {
    throw fileError(422, 'IMPORT_XLSX_CORRUPT', 'xlsx 文件已损坏或不是有效的 Excel 工作簿，请用 Excel 重新另存后上传', 'the xlsx file is corrupt or not a valid workbook');
  }
  const ws = wb.getWorksheet(dataSheetName) ?? wb.worksheets[0];
  if (!ws) throw fileError(422, 'IMPORT_NO_HEADER', '工作簿中没有工作表', 'the workbook has no sheet');
  const merges: string[] = (ws.model as { merges?: string[] }).merges ?? [];
  const headerMerge = merges.find((m) => /^[A-Z]+1(:|$)/.test(m));
  if (headerMerge) {
    throw new AppError(422, 'IMPORT_MERGED_HEADER', `表头有合并单元格（${headerMerge}）：请取消合并，每列一个表头`, `merged header cells (${headerMerge}): one header per column`, [
      { path: headerMerge, message: '表头不能合并单元格' },
    ]);
  }
  const width = ws.columnCount;
  const read = (r: ExcelJS.Row) => Array.from({ length: Math.max(width, r.cellCount) }, (_, i) => xlsxCell(r.getCell(i + 1).value));
  const headerRow = ws.getRow(1);
  const header = read(headerRow).map((h) => (h === null ? '' : isFormula(h) ? '' : String(h).trim()));
  while (header.length && header[header.length - 1] === '') header.pop();
  if (!header.length) throw fileError(422, 'IMPORT_NO_HEADER', '第 1 行应为表头，当前为空', 'row 1 must be the header row');
  const last = ws.rowCount;
  async function* rows(): AsyncGenerator<SourceRow> {
    for (let n = 2; n <= last; n++) {
      const r = ws?.getRow(n);
      if (!r?.hasValues) continue;
      const cells = read(r);
      if (cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) continue;
      yield { row: n, cells };
    }
  }
  return { format: 'xlsx', encoding: null, header, rows: rows() };
}
