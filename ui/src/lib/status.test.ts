import { describe, expect, it } from 'vitest';
import { ragFromKey, RAG_KEY, RAG_LABEL, RAGS, statusWords } from './status';

describe('status keys on the quarterly update screen', () => {
  it('maps R A G C N in either case to the five statuses', () => {
    expect(['r', 'A', 'g', 'C', 'n'].map(ragFromKey)).toEqual(['red', 'amber', 'green', 'complete', 'not_started']);
  });
  it('maps the digits 1 to 5 in the order of the scale', () => {
    expect(['1', '2', '3', '4', '5'].map(ragFromKey)).toEqual(RAGS);
  });
  it('ignores every other key so typing elsewhere never changes a status', () => {
    for (const k of ['x', '0', '6', 'Enter', 'Tab', 'ArrowDown', ' ', 'rr', '12']) expect(ragFromKey(k)).toBeNull();
  });
  it('gives every status a distinct key shown to the user', () => {
    expect(new Set(Object.values(RAG_KEY)).size).toBe(5);
    for (const r of RAGS) expect(ragFromKey(RAG_KEY[r])).toBe(r);
    expect(RAG_LABEL.not_started).toBe('Not started');
  });
});

describe('the scale in running text', () => {
  it('lists every status in order, the last after "or"', () => {
    expect(statusWords()).toBe('Red, Amber, Green, Complete or Not started');
  });
});
