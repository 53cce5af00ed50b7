// Before → after, as the audit trail shows a change.
import type { JsonValue } from '../bindings';

export interface Change {
  field: string;
  before: string;
  after: string;
}

function show(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v === '' ? '(blank)' : v;
  if (Array.isArray(v)) return v.length ? v.map((x) => show(x)).join(', ') : '(none)';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The fields that differ between two audit snapshots (objects), or the whole value otherwise. */
export function changes(before: JsonValue | null, after: JsonValue | null): Change[] {
  const isObj = (v: JsonValue | null): v is { [k: string]: JsonValue } => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => ({ field: k, before: show(before[k]), after: show(after[k]) }));
  }
  if (isObj(after) && before === null) {
    return Object.entries(after).filter(([, v]) => v !== '' && v !== null).map(([k, v]) => ({ field: k, before: '—', after: show(v) }));
  }
  if (isObj(before) && after === null) {
    return Object.entries(before).filter(([, v]) => v !== '' && v !== null).map(([k, v]) => ({ field: k, before: show(v), after: '—' }));
  }
  return [{ field: '', before: show(before ?? undefined), after: show(after ?? undefined) }];
}

/** A signed change in a count for the dashboard: "+2", "−1", "no change". */
export function delta(now: number, previous: number): string {
  const d = now - previous;
  return d === 0 ? 'no change' : d > 0 ? `+${d}` : `−${-d}`;
}
