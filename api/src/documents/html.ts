/**
 * A rendered document as one printable A4 HTML page, laid out after GB/T
 * 9704-2012 (党政机关公文格式): margins 37/26/35/28 mm, title in 小标宋 (黑体 as
 * fallback), body in 仿宋 at 16 pt (三号), headings in 黑体. Every text is
 * escaped; the page has no script and loads nothing.
 */
import type { RenderedDocument } from './render.ts';

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => entities[c] ?? c);

const TITLE_FONTS = `"FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "华文中宋", "SimHei", "黑体", "Noto Serif CJK SC", "Source Han Serif SC", serif`;
const BODY_FONTS = `"FangSong_GB2312", "仿宋_GB2312", "FangSong", "仿宋", "STFangsong", "华文仿宋", "Songti SC", "SimSun", "宋体", "Noto Serif CJK SC", "Source Han Serif SC", serif`;
const HEADING_FONTS = `"SimHei", "黑体", "STHeiti", "Heiti SC", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif`;

const style = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
* { box-sizing: border-box; }
html { background: #e8e8e8; }
body { margin: 0; font-family: ${BODY_FONTS}; font-size: 16pt; line-height: 1.75; color: #000; }
.page { width: 210mm; min-height: 297mm; margin: 12px auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 6px rgba(0,0,0,.25); }
h1 { font-family: ${TITLE_FONTS}; font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.4; margin: 0 0 8pt; }
.number { text-align: center; margin: 0 0 16pt; }
.party p { margin: 0; }
.party { margin-bottom: 8pt; }
.addressee { margin: 8pt 0 0; }
p.body { text-indent: 2em; margin: 0; text-align: justify; }
h2 { font-family: ${HEADING_FONTS}; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; }
.footer { margin-top: 32pt; text-align: right; }
.footer p { margin: 0; }
.footer .issuer { padding-right: 2em; }
.footer .date { padding-right: 2em; }
.notes { margin-top: 16pt; font-size: 12pt; }
@media print {
  html { background: none; }
  .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .footer { page-break-inside: avoid; break-inside: avoid; }
}
`;

const p = (cls: string, text: string) => `<p class="${cls}">${escapeHtml(text)}</p>`;

/** The whole page: <!doctype html> … with the document. */
export function documentHtml(doc: RenderedDocument): string {
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(doc.title)}</h1>`);
  parts.push(`<p class="number">${escapeHtml(doc.number ?? '（未编号）')}</p>`);
  parts.push(`<div class="party">${doc.party.map((l) => p('party-line', l)).join('')}</div>`);
  parts.push(p('addressee', doc.addressee));
  for (const para of doc.preamble) parts.push(p('body', para));
  for (const s of doc.sections) {
    parts.push(`<section><h2>${escapeHtml(s.heading)}</h2>${s.paragraphs.map((x) => p('body', x)).join('')}</section>`);
  }
  const notes = doc.footer.notes.filter((n) => n !== '（印章）');
  parts.push(
    `<div class="footer">${doc.footer.notes.includes('（印章）') ? p('seal', '（印章）') : ''}${p('issuer', doc.footer.issuer)}${p('date', doc.footer.date)}</div>`,
  );
  if (notes.length) parts.push(`<div class="notes">${notes.map((n) => p('note', n)).join('')}</div>`);
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}${doc.number ? ` ${escapeHtml(doc.number)}` : ''}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<main class="page">${parts.join('\n')}</main>`,
    '</body>',
    '</html>',
  ].join('\n');
}
