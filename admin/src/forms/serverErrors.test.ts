import { describe, expect, it } from 'vitest';
import { ApiError } from '../providers/errors';
import { errorDetails, mapErrorDetails, overridableCodeDetails, pathToName } from './serverErrors';

describe('server error details → form fields', () => {
  it('turns dotted paths into form names', () => {
    expect(pathToName('fields.fine')).toEqual(['fields', 'fine']);
    expect(pathToName('relatedPersons.0.code')).toEqual(['relatedPersons', 0, 'code']);
  });

  it('maps each detail onto the longest known field and keeps the rest as general messages', () => {
    const mapped = mapErrorDetails(
      [
        { path: 'fields.fine', message: '金额最多保留两位小数' },
        { path: 'subject.code', message: '统一社会信用代码校验码不符' },
        { path: 'fields.penalties.2', message: '无效的选项' },
        { path: 'fields.penalties.3', message: '无效的选项' },
        { path: 'relatedPersons.0.code', message: '居民身份证号码应为18位' },
        { path: 'fields', message: '未声明的字段“foo”' },
        { message: '提交的内容不符合要求' },
      ],
      {
        known: [['subject', 'code'], ['fields', 'fine'], ['fields', 'penalties'], ['relatedPersons', 0, 'code']],
      },
    );
    expect(mapped.fields).toEqual([
      { name: ['fields', 'fine'], errors: ['金额最多保留两位小数'] },
      { name: ['subject', 'code'], errors: ['统一社会信用代码校验码不符'] },
      { name: ['fields', 'penalties'], errors: ['无效的选项'] },
      { name: ['relatedPersons', 0, 'code'], errors: ['居民身份证号码应为18位'] },
    ]);
    expect(mapped.general).toEqual(['未声明的字段“foo”', '提交的内容不符合要求']);
  });

  it('sends pathless details to a chosen field and redirects whole documents to their first input', () => {
    const mapped = mapErrorDetails(
      [
        { code: 'TOO_SHORT', message: '密码长度至少 12 位' },
        { path: 'fields.decision', message: '必填' },
      ],
      { known: [['password'], ['fields', 'decision', 'number']], pathless: ['password'], aliases: { 'fields.decision': 'fields.decision.number' } },
    );
    expect(mapped.fields).toEqual([
      { name: ['password'], errors: ['密码长度至少 12 位'] },
      { name: ['fields', 'decision', 'number'], errors: ['必填'] },
    ]);
    expect(mapped.general).toEqual([]);
  });

  it('finds the subject codes that may be overridden', () => {
    const error = new ApiError(422, 'subject：校验码不符', 'INVALID_SUBJECT_CODE', [
      { path: 'subject.code', code: 'BAD_CHECKSUM', message: '校验码不符', overridable: true },
      { path: 'relatedPersons.1.code', code: 'BAD_LENGTH', message: '应为18位', overridable: false },
    ]);
    expect(overridableCodeDetails(error).map((d) => d.path)).toEqual(['subject.code']);
    expect(errorDetails(error)).toHaveLength(2);
    expect(overridableCodeDetails(new ApiError(422, 'x', 'VALIDATION_FAILED', []))).toEqual([]);
    expect(errorDetails(new Error('boom'))).toEqual([]);
  });
});
