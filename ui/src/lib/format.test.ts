import { describe, expect, it } from 'vitest';
import { sentence, formatPence, formatValue, penceToInput, ukDate, ukDateTime } from './format';

describe('money', () => {
  it('shows integer pence as pounds with separators and two decimals', () => {
    expect(formatPence(15300000)).toBe('£153,000.00');
    expect(formatPence(5)).toBe('£0.05');
    expect(formatPence(0)).toBe('£0.00');
    expect(formatPence(-250050)).toBe('−£2,500.50');
  });
  it('puts pence back into an editable field without losing a penny', () => {
    expect(penceToInput(250001)).toBe('2500.01');
    expect(penceToInput(null)).toBe('');
  });
});

describe('dates and times', () => {
  it('shows ISO dates the UK way', () => {
    expect(ukDate('2026-03-31')).toBe('31 Mar 2026');
    expect(ukDate('')).toBe('');
    expect(ukDate('not a date')).toBe('not a date');
  });
  it('shows UTC instants in UK local time, summer and winter', () => {
    expect(ukDateTime('2026-07-01T09:30:00Z')).toBe('1 Jul 2026, 10:30');
    expect(ukDateTime('2026-11-26T09:30:00Z')).toBe('26 Nov 2026, 09:30');
  });
  it('shows indicator values with a unit and a dash when missing', () => {
    expect(formatValue(60, '%')).toBe('60%');
    expect(formatValue(12345.67)).toBe('12,345.7');
    expect(formatValue(null)).toBe('—');
  });
});

describe('sentence', () => {
  it('makes a message from the core read as a sentence', () => {
    expect(sentence('the disk holding x is full — nothing was changed')).toBe('The disk holding x is full — nothing was changed.');
    expect(sentence('Saved.')).toBe('Saved.');
    expect(sentence('')).toBe('');
  });
});
