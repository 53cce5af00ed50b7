// The message a coordinator sends a lead partner whose quarterly returns are missing: plain
// text, ready to paste into an email.
import type { PartnerChase } from '../bindings';
import { RAG_LABEL, statusWords } from './status';

export function chaseSubject(partnership: string, quarterLabel: string): string {
  return `${partnership}: quarterly returns for ${quarterLabel}`;
}

export function chaseMessage(p: PartnerChase, quarterLabel: string, partnership: string, sender: string): string {
  const n = p.actions.length;
  const lines = [
    `Dear colleagues at ${p.lead_name},`,
    '',
    `We have not yet received ${n === 1 ? 'the quarterly return' : `${n} quarterly returns`} for ${quarterLabel} for ${n === 1 ? 'this action' : 'these actions'}, which ${p.lead_name} leads:`,
    '',
    ...p.actions.map((a) => `- ${a.ref} ${a.title}${a.due ? ` (due ${a.due})` : ''}`),
    '',
    `For each, please send its status (${statusWords()}), a short commentary on progress and, for ${RAG_LABEL.red} or ${RAG_LABEL.amber}, the mitigation and next steps.`,
    '',
    'Thank you,',
    sender.trim() || `${partnership} coordinator`,
  ];
  return lines.join('\n');
}
