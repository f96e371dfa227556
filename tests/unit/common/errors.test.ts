import { describe, expect, it } from 'vitest';
import { CertdeskError, isCertdeskError } from '../../../src-main/common/errors.js';

describe('CertdeskError', () => {
  it('folds a multi-line message into one line for the terminal', () => {
    const e = new CertdeskError('INVALID_INPUT', 'bad name\n  at line 3');
    expect(e.message).toBe('bad name at line 3');
    expect(e.code).toBe('INVALID_INPUT');
  });
  it('is recognised by shape when thrown from another module copy', () => {
    const foreign = Object.assign(new Error('x'), { name: 'CertdeskError', code: 'NOT_FOUND' });
    expect(isCertdeskError(foreign)).toBe(true);
    expect(isCertdeskError(new Error('x'))).toBe(false);
  });
});
