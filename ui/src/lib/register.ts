// The actions register's filters, text search and sorting: pure functions over ActionRow.
import type { ActionRow, Lifecycle, Rag } from '../bindings';
import { refKey } from './refs';

export type RagFilter = Rag | 'incomplete' | 'none' | '';

export interface RegisterFilter {
  theme: string; // "" or a theme number
  priority: string;
  lead: string;
  rag: RagFilter;
  lifecycle: Lifecycle | '';
  text: string;
}

export const NO_FILTER: RegisterFilter = { theme: '', priority: '', lead: '', rag: '', lifecycle: '', text: '' };

export type SortKey = 'ref' | 'title' | 'lead' | 'due' | 'rag' | 'lifecycle';

/** The register's status for a row: its latest update, "incomplete" for a draft, "none" with no update. */
export function rowRag(a: ActionRow): RagFilter {
  if (a.latest_draft) return 'incomplete';
  return a.latest_rag ?? 'none';
}

export function matches(a: ActionRow, f: RegisterFilter): boolean {
  if (f.theme && String(a.theme) !== f.theme) return false;
  if (f.priority && a.priority !== f.priority) return false;
  if (f.lead && a.lead !== f.lead) return false;
  if (f.rag && rowRag(a) !== f.rag) return false;
  if (f.lifecycle && a.lifecycle !== f.lifecycle) return false;
  const words = f.text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length) {
    const hay = [a.ref, a.title, a.lead, ...a.partners].join(' ').toLowerCase();
    if (!words.every((w) => hay.includes(w))) return false;
  }
  return true;
}

const RAG_ORDER: Record<string, number> = { red: 0, amber: 1, incomplete: 2, none: 3, green: 4, not_started: 5, complete: 6 };
const LIFE_ORDER: Record<Lifecycle, number> = { not_started: 0, in_progress: 1, complete: 2, cancelled: 3 };

function compareRefs(a: string, b: string): number {
  const x = refKey(a);
  const y = refKey(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

function due(a: ActionRow): string {
  return a.due_date ?? (a.due_quarter ? a.due_quarter : '9999');
}

/** Sorts a copy of the rows; ties fall back to ref order so the result is stable. */
export function sortRows(rows: ActionRow[], key: SortKey, ascending: boolean): ActionRow[] {
  const cmp = (a: ActionRow, b: ActionRow): number => {
    switch (key) {
      case 'ref': return compareRefs(a.ref, b.ref);
      case 'title': return a.title.localeCompare(b.title, 'en-GB');
      case 'lead': return a.lead.localeCompare(b.lead, 'en-GB');
      case 'due': return due(a).localeCompare(due(b));
      case 'rag': return RAG_ORDER[rowRag(a)] - RAG_ORDER[rowRag(b)];
      case 'lifecycle': return LIFE_ORDER[a.lifecycle] - LIFE_ORDER[b.lifecycle];
    }
  };
  return [...rows].sort((a, b) => (ascending ? cmp(a, b) : -cmp(a, b)) || compareRefs(a.ref, b.ref));
}

export function filterAndSort(rows: ActionRow[], f: RegisterFilter, key: SortKey, ascending: boolean): ActionRow[] {
  return sortRows(rows.filter((a) => matches(a, f)), key, ascending);
}
