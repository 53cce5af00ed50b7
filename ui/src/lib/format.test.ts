import { describe, expect, it } from 'vitest';
import { countdown, longDay, meetingTime, shortDay, sentence, formatPence, formatValue, penceToInput, ukDate, ukDateTime } from './format';

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

describe('the quarter\'s dates', () => {
  it('reads a date with its weekday, as the dashboard says it', () => {
    expect(longDay('2026-10-16')).toBe('Friday 16 October 2026');
    expect(shortDay('2026-10-29')).toBe('Thu 29 Oct');
    expect(meetingTime('2026-11-12T10:00:00')).toBe('Thursday 12 November 2026, 10:00');
  });
  it('counts down in words, and says overdue in words too', () => {
    expect(countdown(10)).toEqual({ words: 'in 10 days', overdue: false });
    expect(countdown(1).words).toBe('tomorrow');
    expect(countdown(0).words).toBe('today');
    expect(countdown(-1)).toEqual({ words: '1 day overdue', overdue: true });
    expect(countdown(-3).words).toBe('3 days overdue');
  });
});
