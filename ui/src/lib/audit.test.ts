import { describe, expect, it } from 'vitest';
import { changes, delta } from './audit';

describe('audit trail changes', () => {
  it('lists only the fields that changed, before → after', () => {
    const c = changes({ rag: 'amber', commentary: 'late', draft: false }, { rag: 'red', commentary: 'late', draft: false });
    expect(c).toEqual([{ field: 'rag', before: 'amber', after: 'red' }]);
  });
  it('shows a creation as blank → value and skips empty fields', () => {
    const c = changes(null, { title: 'New', description: '' });
    expect(c).toEqual([{ field: 'title', before: '—', after: 'New' }]);
  });
  it('shows plain values and lists', () => {
    expect(changes(150000, 200000)).toEqual([{ field: '', before: '150000', after: '200000' }]);
    expect(changes({ partners: ['CCC'] }, { partners: ['CCC', 'WMP'] })).toEqual([{ field: 'partners', before: 'CCC', after: 'CCC, WMP' }]);
  });
});

describe('dashboard deltas', () => {
  it('signs a change against last quarter', () => {
    expect(delta(3, 1)).toBe('+2');
    expect(delta(1, 3)).toBe('−2');
    expect(delta(2, 2)).toBe('no change');
  });
});
