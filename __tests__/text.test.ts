import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { formatCount, plural } from '../src/model/text.js';

describe('formatCount', () => {
  it('puts a comma between thousands', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(100_000)).toBe('100,000');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(-1234)).toBe('-1,234');
    expect(formatCount(1234.5)).toBe('1,234.5');
  });

  it('writes what en-US toLocaleString writes, for whole numbers and up to 3 decimals', () => {
    const numbers = [1, 12, 123, 1234, 12_345, 123_456, 1_000_001, 500_000, -987_654, 0.25];
    for (let digits = 1; digits <= 16; digits++) numbers.push(Number('9'.repeat(digits)));
    numbers.push(Number.MAX_SAFE_INTEGER, 1234.567);
    for (const value of numbers) {
      expect([value, formatCount(value)]).toEqual([value, value.toLocaleString('en-US')]);
    }
  });

  it('leaves what String writes with an exponent, NaN and the infinities as String writes them', () => {
    expect(formatCount(1e21)).toBe('1e+21');
    expect(formatCount(1e-7)).toBe('1e-7');
    expect(formatCount(Number.NaN)).toBe('NaN');
    expect(formatCount(-Infinity)).toBe('-Infinity');
  });

  it('is how plural writes its count', () => {
    expect(plural(100_000, 'ID')).toBe('100,000 IDs');
    expect(plural(1, 'delivery', 'deliveries')).toBe('1 delivery');
  });

  it('is the only way src/ writes a number for people: no toLocaleString, whose first call loads ICU', () => {
    const dir = new URL('../src/', import.meta.url);
    const callers = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) =>
        /\.toLocale\w*String\(|Intl\.NumberFormat/.test(readFileSync(new URL(file, dir), 'utf8')),
      );
    expect(callers).toEqual([]);
  });
});
