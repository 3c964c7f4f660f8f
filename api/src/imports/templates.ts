/**
 * Import templates per list type: an xlsx with the Chinese headers, an example
 * row, drop-downs for closed sets (from a hidden options sheet, so long lists
 * fit) and a notes sheet; and a csv (UTF-8 with BOM, which Excel opens right)
 * with the headers and the example row.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { CompiledList, RuntimeModel } from '../config/compile.ts';
import { importColumns } from './columns.ts';

export const dataSheetName = '导入数据';
const notesSheetName = '填写说明';
const optionsSheetName = '选项';

function colLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

export async function templateXlsx(list: CompiledList, model: RuntimeModel): Promise<Buffer> {
  const cols = importColumns(list, model);
  const wb = new ExcelJS.Workbook();
  wb.creator = model.platform.name;
  const ws = wb.addWorksheet(dataSheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const notes = wb.addWorksheet(notesSheetName);
  const options = wb.addWorksheet(optionsSheetName, { state: 'veryHidden' });
  ws.columns = cols.map((c) => ({ header: c.header, key: c.header, width: Math.min(40, Math.max(12, c.header.length * 2 + 4)) }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  cols.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    cell.note = `${c.required ? '必填。' : ''}${c.note}`;
  });
  // Text format for every data cell, so codes and dates stay as typed.
  cols.forEach((_, i) => {
    ws.getColumn(i + 1).numFmt = '@';
  });
  ws.addRow(cols.map((c) => c.example));
  let optCol = 0;
  cols.forEach((c, i) => {
    if (!c.options?.length) return;
    optCol += 1;
    const letter = colLetter(optCol);
    c.options.forEach((o, k) => {
      options.getCell(k + 1, optCol).value = o;
    });
    const range = `${optionsSheetName}!$${letter}$1:$${letter}$${c.options.length}`;
    const target = colLetter(i + 1);
    // exceljs keeps range validations in worksheet.dataValidations (written as one sqref); its typings omit it
    (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${target}2:${target}10001`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [range],
      showErrorMessage: true,
      errorTitle: '取值无效',
      error: `请从下拉列表中选择：${c.options.slice(0, 20).join('、')}${c.options.length > 20 ? '……' : ''}`,
    });
  });
  notes.columns = [
    { header: '列', key: 'header', width: 24 },
    { header: '必填', key: 'required', width: 8 },
    { header: '说明', key: 'note', width: 80 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of cols) notes.addRow({ header: c.header, required: c.required ? '是' : '否', note: c.note });
  notes.addRow({});
  notes.addRow({ header: '名单类型', note: `${list.name}（${list.id}）` });
  notes.addRow({ header: '说明', note: '第 2 行为示例，导入前请删除或改为真实数据；空行会被跳过；单元格请勿使用公式，请勿合并表头单元格。' });
  notes.addRow({ header: '限制', note: `文件不超过 ${model.platform.imports.max_size_mb} MB，数据不超过 ${model.platform.imports.max_rows} 行，单元格不超过 ${model.platform.imports.max_cell_chars} 字。` });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function templateCsv(list: CompiledList, model: RuntimeModel): Buffer {
  const cols = importColumns(list, model);
  const text = stringify([cols.map((c) => c.header), cols.map((c) => c.example)], { bom: true, record_delimiter: '\r\n' });
  return Buffer.from(text, 'utf8');
}
