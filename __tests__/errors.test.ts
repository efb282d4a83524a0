import { describe, expect, it } from '@jest/globals';
import { errorMessage } from '../src/model/errors.js';

describe('errorMessage', () => {
  it('is the message of an Error and the text of anything else', () => {
    expect(errorMessage(new TypeError('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage({ message: 'from another realm' })).toBe('from another realm');
    expect(errorMessage(null)).toBe('null');
  });
});
