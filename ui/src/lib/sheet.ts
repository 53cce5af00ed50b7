// The quarterly update screen's bookkeeping: row states, keyboard movement.
import type { SheetRow, UpdateCell } from '../bindings';

export type RowState = 'none' | 'incomplete' | 'done';

export function rowState(current: UpdateCell | null | undefined): RowState {
  if (!current) return 'none';
  return current.draft || !current.rag ? 'incomplete' : 'done';
}

/** The id of the control a coordinator lands on when moving from one row to the next. */
export function statusId(ref: string): string {
  return `status-${ref.replaceAll('.', '-')}`;
}

export function fieldId(ref: string, field: 'commentary' | 'next_steps'): string {
  return `${field}-${ref.replaceAll('.', '-')}`;
}

/** Where Enter goes from a field: status → commentary → next steps → next row's status. */
export function nextStop(rows: SheetRow[], ref: string, from: 'status' | 'commentary' | 'next_steps'): string | null {
  if (from === 'status') return fieldId(ref, 'commentary');
  if (from === 'commentary') return fieldId(ref, 'next_steps');
  const i = rows.findIndex((r) => r.ref === ref);
  return i >= 0 && i + 1 < rows.length ? statusId(rows[i + 1].ref) : null;
}
