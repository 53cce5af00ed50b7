import { describe, expect, it } from 'vitest';
import { chaseMessage, chaseSubject } from './chase';

const wmp = {
  lead: 'WMP',
  lead_name: 'West Midlands Police',
  actions: [
    { ref: '3.3.2', title: 'Disrupt organised crime groups', lead: 'WMP', due: '2027-03-31' },
    { ref: '1.1.4', title: 'Knife-crime education', lead: 'WMP', due: null },
  ],
};

describe('chase messages', () => {
  it('name the partner, the quarter and every missing action with its ref', () => {
    const m = chaseMessage(wmp, '2026/27 Q2', 'Coventry Community Safety Partnership', 'Sam Patel, CCSP coordinator');
    expect(m).toContain('Dear colleagues at West Midlands Police,');
    expect(m).toContain('2 quarterly returns for 2026/27 Q2');
    expect(m).toContain('- 3.3.2 Disrupt organised crime groups (due 2027-03-31)');
    expect(m).toContain('- 1.1.4 Knife-crime education\n');
    expect(m.trim().endsWith('Sam Patel, CCSP coordinator')).toBe(true);
  });
  it('speak of one return in the singular and sign as the coordinator when no name is set', () => {
    const one = { ...wmp, actions: [wmp.actions[0]] };
    const m = chaseMessage(one, '2026/27 Q2', 'Coventry Community Safety Partnership', ' ');
    expect(m).toContain('the quarterly return for 2026/27 Q2 for this action');
    expect(m.trim().endsWith('Coventry Community Safety Partnership coordinator')).toBe(true);
  });
  it('have a subject line with the partnership and quarter', () => {
    expect(chaseSubject('Coventry Community Safety Partnership', '2026/27 Q2')).toBe('Coventry Community Safety Partnership: quarterly returns for 2026/27 Q2');
  });
});
