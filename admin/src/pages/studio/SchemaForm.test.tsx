// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProviderRoot } from '../../i18n/I18nContext';
import { SchemaForm } from './SchemaForm';

const measures = `# 措施清单
measures:
  - id: M-NO-HONOURS
    name: 不得评优评先
    kind: punishment   # 惩戒
    legal_basis: [某法第一条]
`;

afterEach(cleanup);

describe('SchemaForm', () => {
  it('shows enum values by their Chinese names and writes the value into the YAML, comments kept', () => {
    let text = measures;
    render(
      <I18nProviderRoot initialLocale="zh-CN">
        <SchemaForm kind="measures" text={text} onChange={(next) => { text = next; }} />
      </I18nProviderRoot>,
    );
    const kind = screen.getAllByLabelText('类别 1')[0] as HTMLElement;
    expect(kind.textContent).toContain('惩戒');
    expect(kind.textContent).not.toContain('punishment');
    fireEvent.mouseDown(kind.querySelector('input') as HTMLElement);
    fireEvent.click(screen.getByTitle('激励'));
    // The edited line is printed anew (its comment one space after the value); every other line stays as it was.
    expect(text).toBe(measures.replace('kind: punishment   # 惩戒', 'kind: incentive # 惩戒'));
  });
});
