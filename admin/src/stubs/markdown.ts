/**
 * Build-time stand-in for `react-markdown` and `remark-gfm`. @refinedev/antd imports them for its
 * <MarkdownField>, which this admin does not use, and the markdown parser (~60 kB gzip) survives
 * tree-shaking. vite.config.ts aliases both packages here. If a page ever needs <MarkdownField>,
 * remove the aliases.
 */
import { createElement, type ReactNode } from 'react';

export default function MarkdownStub({ children }: { children?: ReactNode }) {
  return createElement('div', { style: { whiteSpace: 'pre-wrap' } }, children);
}
