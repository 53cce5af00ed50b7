import { describe, expect, it } from 'vitest';
import type { ActionRow } from '../bindings';
import { filterAndSort, matches, NO_FILTER, rowRag, sortRows } from './register';

function row(ref: string, over: Partial<ActionRow> = {}): ActionRow {
  return {
    ref, theme: Number(ref[0]), priority: ref.split('.').slice(0, 2).join('.'), title: `Action ${ref}`, lead: 'WMP', partners: [],
    start_date: null, due_date: null, due_quarter: null, lifecycle: 'in_progress', illustrative: false,
    latest_quarter: null, latest_rag: null, latest_draft: false, allocated_pence: 0, ...over,
  };
}

const rows = [
  row('1.1.1', { latest_rag: 'green', latest_quarter: '2025-26-Q1', title: 'Knife crime education' }),
  row('1.1.10', { lead: 'CCC', latest_rag: 'red', latest_quarter: '2025-26-Q1', due_date: '2026-01-31' }),
  row('1.1.2', { lead: 'ICB', partners: ['WMFS'], latest_draft: true, latest_quarter: '2025-26-Q1', due_date: '2025-09-30' }),
  row('2.1.1', { lifecycle: 'complete', latest_rag: 'complete', latest_quarter: '2025-26-Q1' }),
  row('3.2.1', { lifecycle: 'cancelled' }),
];

describe('the actions register', () => {
  it('sorts refs as numbers, so 1.1.10 comes after 1.1.2', () => {
    expect(sortRows(rows, 'ref', true).map((r) => r.ref)).toEqual(['1.1.1', '1.1.2', '1.1.10', '2.1.1', '3.2.1']);
    expect(sortRows(rows, 'ref', false)[0].ref).toBe('3.2.1');
  });
  it('sorts by status with Red first and ties in ref order', () => {
    expect(sortRows(rows, 'rag', true).map((r) => r.ref)).toEqual(['1.1.10', '1.1.2', '3.2.1', '1.1.1', '2.1.1']);
  });
  it('sorts by due date with undated actions last', () => {
    expect(sortRows(rows, 'due', true).slice(0, 2).map((r) => r.ref)).toEqual(['1.1.2', '1.1.10']);
  });
  it('filters by theme, lead, status and lifecycle together', () => {
    expect(filterAndSort(rows, { ...NO_FILTER, theme: '1' }, 'ref', true)).toHaveLength(3);
    expect(filterAndSort(rows, { ...NO_FILTER, theme: '1', lead: 'CCC' }, 'ref', true).map((r) => r.ref)).toEqual(['1.1.10']);
    expect(filterAndSort(rows, { ...NO_FILTER, rag: 'incomplete' }, 'ref', true).map((r) => r.ref)).toEqual(['1.1.2']);
    expect(filterAndSort(rows, { ...NO_FILTER, rag: 'none' }, 'ref', true).map((r) => r.ref)).toEqual(['3.2.1']);
    expect(filterAndSort(rows, { ...NO_FILTER, lifecycle: 'complete' }, 'ref', true).map((r) => r.ref)).toEqual(['2.1.1']);
  });
  it('searches ref, title and partners, every word must match', () => {
    expect(matches(rows[0], { ...NO_FILTER, text: 'knife EDUCATION' })).toBe(true);
    expect(matches(rows[0], { ...NO_FILTER, text: 'knife hub' })).toBe(false);
    expect(matches(rows[2], { ...NO_FILTER, text: 'wmfs' })).toBe(true);
    expect(matches(rows[1], { ...NO_FILTER, text: '1.1.10' })).toBe(true);
  });
  it('reports a draft as incomplete rather than as its status', () => {
    expect(rowRag(row('1.1.1', { latest_rag: 'red', latest_draft: true }))).toBe('incomplete');
  });
});
