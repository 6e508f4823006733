import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import { ChannelBook, platformOfChannel } from '../../src/core/channel-book.js';
import type { Grant } from '../../src/core/policy/access-model.js';
import { Policy } from '../../src/core/policy/policy.js';
import { requirementsOf, unmetReason } from '../../src/core/policy/requirements.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { FOUR_EYES_ACCESS, SLACK_HELPDESK_CHANNEL } from '../support/four-eyes-access.js';

const policy = new Policy(buildAccessModel(FOUR_EYES_ACCESS));
const slack = (id: string, channel?: string): Caller => ({ platform: 'slack', userId: id, userName: id, groups: [], ...(channel ? { channel } : {}) });
const consoleUser = (u: string): Caller => ({ platform: 'console', userId: u, userName: u, groups: [], channel: 'exec' });

describe('channel scope: a grant applies only in its channels', () => {
  it('applies in a listed channel, and at the console when `console` is listed', () => {
    expect(policy.applicableGrants(slack('UHELP1', SLACK_HELPDESK_CHANNEL), 'logoff', 'rds01')).toHaveLength(1);
    expect(policy.applicableGrants(consoleUser('alice'), 'logoff', 'rds01')).toHaveLength(1);
    expect(policy.authorize(slack('UHELP1', SLACK_HELPDESK_CHANNEL), 'logoff', 'rds01').allowed).toBe(true);
  });
  it('does not apply elsewhere (or with no channel): the denial names the channels where it would', () => {
    const d = policy.authorize(slack('UHELP1', 'CRANDOM'), 'logoff', 'rds01');
    expect(d).toMatchObject({ allowed: false, reason: 'your role (helpdesk) grants "logoff" on rds01 only in other channels' });
    expect(d.allowed ? [] : d.channels).toEqual([SLACK_HELPDESK_CHANNEL, '555555555555555001', 'console']);
    expect(policy.authorize(slack('UHELP1'), 'logoff', 'rds01').allowed).toBe(false);
    expect(policy.applicableGrants(slack('UHELP1', 'CRANDOM'), 'logoff', 'rds01')).toEqual([]);
  });
  it('a grant without channels applies everywhere; a denial with no grant at all names none', () => {
    expect(policy.authorize(slack('UHELP1', 'CRANDOM'), 'query', 'rds01').allowed).toBe(true);
    const d = policy.authorize(slack('UAUDIT1', SLACK_HELPDESK_CHANNEL), 'logoff', 'rds01');
    expect(d).toMatchObject({ allowed: false, reason: 'none of your roles (auditors) grants "logoff" on rds01' });
    expect(d.allowed ? 'allowed' : d.channels).toBeUndefined();
  });
});

describe('channel names for a denial', () => {
  it('tells channels apart by their shape', () => {
    expect(['CHELPRDS', 'G0PRIVATE', '555555555555555001', 'console', '#helpdesk'].map(platformOfChannel)).toEqual(['slack', 'slack', 'discord', 'console', undefined]);
  });
  it('names the caller platform\'s channels by the adapter\'s names, others by their platform', async () => {
    const book = new ChannelBook(200);
    let asked = 0;
    book.use('slack', { nameOf: async (id) => (asked++, id === SLACK_HELPDESK_CHANNEL ? 'helpdesk-rds' : undefined) });
    expect(await book.describe('slack', [SLACK_HELPDESK_CHANNEL, 'CUNKNOWN', '555555555555555001', 'console'])).toEqual(['#helpdesk-rds', '#CUNKNOWN', 'Discord', 'the console']);
    expect(asked).toBe(2);
    expect(await book.describe('console', [SLACK_HELPDESK_CHANNEL])).toEqual(['Slack']);
  });
  it('a name lookup that hangs or fails is shown by ID, in time', async () => {
    const book = new ChannelBook(50);
    book.use('discord', { nameOf: () => new Promise(() => undefined) });
    book.use('slack', { nameOf: () => Promise.reject(new Error('ratelimited')) });
    expect(await book.describe('discord', ['555555555555555001'])).toEqual(['#555555555555555001']);
    expect(await book.describe('slack', ['C0X'])).toEqual(['#C0X']);
  });
});

describe('requirements: what the applicable grants ask for', () => {
  const plain: Grant = { actions: ['logoff'], servers: ['*'] };
  const ticket: Grant = { actions: ['logoff'], servers: ['*'], reason: { pattern: /^INC\d{7}/, example: 'INC0012345' } };
  const anyReason: Grant = { actions: ['logoff'], servers: ['*'], reason: { example: 'why' } };
  const one: Grant = { actions: ['logoff'], servers: ['*'], approval: { by: ['seniors'], count: 1 } };
  const two: Grant = { actions: ['bulk'], servers: ['*'], approval: { by: ['leads'], count: 2 } };
  it('grants add up: the one that asks least applies (no approval before approval, no reason before a reason)', () => {
    expect(requirementsOf([[one, plain]])).toEqual({ reasons: [] });
    expect(requirementsOf([[ticket, plain]])).toEqual({ reasons: [] });
    expect(requirementsOf([[one]])).toEqual({ approval: one.approval, reasons: [] });
    expect(requirementsOf([[ticket, anyReason]]).reasons).toEqual([[ticket.reason, anyReason.reason]]);
  });
  it('across the permissions an action uses, the strictest: the most approvals and every reason', () => {
    expect(requirementsOf([[one], [two]])).toEqual({ approval: two.approval, reasons: [] });
    expect(requirementsOf([[ticket], [anyReason]]).reasons).toHaveLength(2);
  });
  it('a reason must be given and match one rule of each list', () => {
    const req = requirementsOf([[ticket]]);
    expect(unmetReason(req, undefined)).toEqual([ticket.reason]);
    expect(unmetReason(req, 'user stuck')).toEqual([ticket.reason]);
    expect(unmetReason(req, 'INC0012345 user stuck')).toBeUndefined();
    expect(unmetReason(requirementsOf([[anyReason]]), 'anything')).toBeUndefined();
    expect(unmetReason(requirementsOf([[plain]]), undefined)).toBeUndefined();
  });
  it('from the access file: helpdesk needs a ticket and a senior; a lead needs two seniors for bulk only', () => {
    const helpdesk = policy.requirements(slack('UHELP1', SLACK_HELPDESK_CHANNEL), ['logoff'], 'rds01');
    expect(helpdesk.approval).toEqual({ by: ['seniors'], count: 1 });
    expect(helpdesk.reasons[0]?.[0]?.pattern?.source).toBe('^(INC|RITM)\\d{7}\\b');
    expect(helpdesk.reasons[0]?.[0]?.example).toBe('INC0012345 user stuck');
    expect(policy.requirements(slack('ULEAD1'), ['logoff'], 'rds01')).toEqual({ reasons: [] });
    expect(policy.requirements(slack('ULEAD1'), ['logoff', 'bulk'], 'rds01').approval).toEqual({ by: ['seniors'], count: 2 });
    expect(policy.requirements(slack('USENIOR1'), ['logoff', 'bulk'], 'rds01')).toEqual({ reasons: [] });
  });
});
