import { describe, expect, it } from 'vitest';
import type { SheetRow, UpdateCell } from '../bindings';
import { nextStop, rowState, statusId } from './sheet';

const cell = (over: Partial<UpdateCell>): UpdateCell => ({ rag: 'green', commentary: '', next_steps: '', draft: false, problems: [], reported_by: 'x', reported_at: '', ...over });
const r = (ref: string, current: UpdateCell | null): SheetRow => ({ ref, theme: 1, priority: '1.1', title: ref, lead: 'WMP', lifecycle: 'in_progress', previous: null, current, owes: true });

describe('the quarterly update sheet', () => {
  it('tells a draft from a complete update and from no update', () => {
    expect(rowState(null)).toBe('none');
    expect(rowState(cell({ draft: true }))).toBe('incomplete');
    expect(rowState(cell({ rag: null }))).toBe('incomplete');
    expect(rowState(cell({}))).toBe('done');
  });
  it('moves status → commentary → next steps → the next action, and stops at the end', () => {
    const rows = [r('1.1.1', null), r('1.2.1', null)];
    expect(nextStop(rows, '1.1.1', 'status')).toBe('commentary-1-1-1');
    expect(nextStop(rows, '1.1.1', 'commentary')).toBe('next_steps-1-1-1');
    expect(nextStop(rows, '1.1.1', 'next_steps')).toBe(statusId('1.2.1'));
    expect(nextStop(rows, '1.2.1', 'next_steps')).toBeNull();
  });
});
