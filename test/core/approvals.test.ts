import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import { renderText } from '../../src/core/render/text.js';
import { exitCodeOf, type Reply } from '../../src/core/results.js';
import { makeHarness, type Harness } from '../support/core-harness.js';
import { FOUR_EYES_ACCESS, SLACK_HELPDESK_CHANNEL } from '../support/four-eyes-access.js';

const slack = (id: string, channel = SLACK_HELPDESK_CHANNEL): Caller => ({ platform: 'slack', userId: id, userName: id.toLowerCase(), groups: [], channel });
const REQUESTER = slack('UHELP1');
const TICKET = '/reason:"INC0012345 user stuck"';

function harness(): Harness {
  return makeHarness({ access: FOUR_EYES_ACCESS });
}

function send(h: Harness, who: Caller, line: string): Promise<Reply> {
  const space = line.indexOf(' ');
  return h.bot.handle({ caller: who, verb: line.slice(0, space), text: line.slice(space + 1) });
}

function confirmationOf(r: Reply): string {
  if (!r.confirmation) throw new Error(`expected a confirmation, got ${r.status}: ${r.summary}`);
  return r.confirmation.id;
}

function approvalOf(r: Reply): string {
  if (!r.approvalRequest) throw new Error(`expected an approval request, got ${r.status}: ${r.summary}`);
  return r.approvalRequest.id;
}

/** Requests a logoff of session 3 on rds01 as the helpdesk requester, confirms it, and returns the approval ID. */
async function requested(h: Harness, line = `rwinsta rds01 3 ${TICKET}`, who = REQUESTER): Promise<{ id: string; waiting: Reply }> {
  const ask = await send(h, who, line);
  const waiting = await h.bot.confirm(confirmationOf(ask), who);
  return { id: approvalOf(waiting), waiting };
}

function countLogoffs(h: Harness): { n: number } {
  const count = { n: 0 };
  const logoff = h.fleet.logoff.bind(h.fleet);
  h.fleet.logoff = async (s, id) => {
    count.n++;
    return logoff(s, id);
  };
  return count;
}

describe('reasons: the access file may ask for one, with a pattern', () => {
  it('a missing reason is a usage error showing the pattern and an example command; nothing is read', async () => {
    const h = harness();
    let reads = 0;
    const list = h.fleet.listSessions.bind(h.fleet);
    h.fleet.listSessions = async (s) => (reads++, list(s));
    const r = await send(h, REQUESTER, 'rwinsta rds01 3');
    expect(r).toMatchObject({ status: 'usage', private: true, summary: 'Error: this action needs a reason or ticket matching ^(INC|RITM)\\d{7}\\b: add /reason:"…".' });
    expect(renderText(r)).toMatch(/Usage:\n {2}rwinsta \/reason:"INC0012345 user stuck" rds01 3/);
    expect(exitCodeOf(r.status)).toBe(2);
    expect(reads).toBe(0);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'invalid', action: 'logoff', server: 'rds01', detail: 'no reason given; the access file asks for one' });
  });
  it('a reason that does not match is refused the same way, the example replacing it', async () => {
    const h = harness();
    const r = await send(h, REQUESTER, 'rwinsta rds01 3 /reason:"user stuck"');
    expect(r.summary).toBe('Error: the reason "user stuck" does not match ^(INC|RITM)\\d{7}\\b, as the access file asks.');
    expect(renderText(r)).toMatch(/^  rwinsta \/reason:"INC0012345 user stuck" rds01 3$/m);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'invalid', reason: 'user stuck' });
  });
  it('a matching reason is shown on the prompt and kept in every record of the request', async () => {
    const h = harness();
    const ask = await send(h, REQUESTER, `rwinsta rds01 3 ${TICKET}`);
    expect(ask.status).toBe('confirm');
    expect(renderText(ask)).toMatch(/Reason: INC0012345 user stuck\nAfter you confirm, it needs 1 approval by seniors before anything is done\./);
    await h.bot.confirm(confirmationOf(ask), REQUESTER);
    expect(h.audit.records.map((r) => [r.decision, r.reason])).toEqual([
      ['confirmation-requested', 'INC0012345 user stuck'],
      ['approval-requested', 'INC0012345 user stuck'],
    ]);
  });
});

describe('approvals: four eyes on chosen actions', () => {
  it('waits after the confirmation; the requester is refused, an approver acts once, and the outcome names everyone', async () => {
    const h = harness();
    const logoffs = countLogoffs(h);
    const { id, waiting } = await requested(h);
    expect(waiting).toMatchObject({ status: 'awaiting-approval', private: false, summary: 'Waiting for approval: log off session 3 (CORP\\jdoe, Active) on rds01.' });
    const request = waiting.approvalRequest?.request;
    expect(request).toMatchObject({ status: 'awaiting-approval', summary: 'Approval needed: log off session 3 (CORP\\jdoe, Active) on rds01.', approval: { id } });
    expect(renderText(request as Reply, { timeZone: 'UTC' })).toMatch(
      /Reason: INC0012345 user stuck\nRequested by uhelp1; needs 1 approval by seniors, each someone other than uhelp1 who also holds "logoff" on rds01\.\nExpires in 15 min/,
    );
    expect(request?.participants?.map((p) => [p.role, p.userId])).toEqual([
      ['requested', 'UHELP1'],
      ['confirmed', 'UHELP1'],
    ]);
    expect((await h.fleet.querySession('rds01', 3)).state).toBe('Active');

    const self = await h.bot.approve(id, REQUESTER);
    expect(self).toMatchObject({ status: 'denied', private: true });
    expect(self.summary).toMatch(/^You asked for this, so you cannot approve it/);
    const colleague = await h.bot.approve(id, slack('UHELP2'));
    expect(colleague.summary).toMatch(/^Only members of seniors may answer this request/);
    expect(h.audit.records.slice(-2).map((r) => [r.decision, r.userId, r.approvalId, r.detail])).toEqual([
      ['denied', 'UHELP1', id, 'approve refused: self'],
      ['denied', 'UHELP2', id, 'approve refused: role'],
    ]);

    h.clock.advance(30_000);
    const done = await h.bot.approve(id, slack('USENIOR1'));
    expect(done).toMatchObject({ status: 'ok', private: false });
    expect(done.summary).toMatch(/^Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    expect(renderText(done, { timeZone: 'UTC' })).toMatch(/Reason: INC0012345 user stuck/);
    expect(renderText(done, { timeZone: 'UTC' })).toMatch(/Requested by uhelp1 at 09:00:00 · confirmed by uhelp1 at 09:00:00 · approved by usenior1 at 09:00:30 \(UTC\)\./);
    const acted = h.audit.records.filter((r) => r.phase);
    expect(acted.map((r) => [r.decision, r.phase, r.userId, r.approvalId, r.reason])).toEqual([
      ['approved', 'intent', 'UHELP1', id, 'INC0012345 user stuck'],
      ['approved', 'outcome', 'UHELP1', id, 'INC0012345 user stuck'],
    ]);
    expect(acted[1]?.participants).toEqual([
      { role: 'requested', platform: 'slack', userId: 'UHELP1', userName: 'uhelp1', at: '2026-11-25T09:00:00.000Z' },
      { role: 'confirmed', platform: 'slack', userId: 'UHELP1', userName: 'uhelp1', at: '2026-11-25T09:00:00.000Z' },
      { role: 'approved', platform: 'slack', userId: 'USENIOR1', userName: 'usenior1', at: '2026-11-25T09:00:30.000Z' },
    ]);

    const late = await h.bot.approve(id, slack('USENIOR2'));
    expect(late).toMatchObject({ status: 'expired', private: true });
    expect(late.summary).toMatch(/has all its approvals already and was acted on once/);
    expect(logoffs.n).toBe(1);
  });

  it('two approvals: the first shows progress, the same approver again is refused, the second acts', async () => {
    const h = harness();
    const ask = await send(h, slack('ULEAD1'), 'rwinsta rds01 6,7');
    expect(renderText(ask)).toMatch(/After you confirm, it needs 2 approvals by seniors/);
    const { id } = { id: approvalOf(await h.bot.confirm(confirmationOf(ask), slack('ULEAD1'))) };
    const first = await h.bot.approve(id, slack('USENIOR1'));
    expect(first).toMatchObject({ status: 'awaiting-approval', private: false, approval: { id } });
    expect(renderText(first)).toMatch(/needs 1 more approval by seniors[^]*Approved so far: 1 of 2\./);
    expect((await h.bot.approve(id, slack('USENIOR1'))).summary).toMatch(/^You approved this already; it needs 1 more approval by seniors, from someone else\./);
    const done = await h.bot.approve(id, slack('USENIOR2'));
    expect(done).toMatchObject({ status: 'ok', summary: 'Logged off 2 of 2 sessions on rds01.' });
    expect(done.participants?.map((p) => `${p.role}:${p.userId}`)).toEqual(['requested:ULEAD1', 'confirmed:ULEAD1', 'approved:USENIOR1', 'approved:USENIOR2']);
  });

  it('an approver who lacks the action on that server is refused', async () => {
    const h = harness();
    const { id } = await requested(h, `tsdiscon rds04 2 ${TICKET}`);
    const r = await h.bot.approve(id, slack('USENIOR1'));
    expect(r).toMatchObject({ status: 'denied', private: true, summary: 'You lack "disconnect" on rds04 here yourself, so you cannot approve it. Nothing was done.' });
    expect((await h.fleet.querySession('rds04', 2)).state).not.toBe('Disconnected');
  });

  it('approvers from another platform are refused: the buttons live where it was asked', async () => {
    const h = harness();
    const { id } = await requested(h);
    const discordSenior: Caller = { platform: 'discord', userId: '333333333333333333', userName: 'dsenior', groups: [] };
    expect((await h.bot.approve(id, discordSenior)).summary).toMatch(/^This was requested in Slack; only approvers there can answer it\./);
  });

  it('two approvers at once, or a double click, act once', async () => {
    const h = harness();
    const logoffs = countLogoffs(h);
    const { id } = await requested(h);
    const answers = await Promise.all([h.bot.approve(id, slack('USENIOR1')), h.bot.approve(id, slack('USENIOR2')), h.bot.approve(id, slack('USENIOR1'))]);
    expect(answers.filter((r) => r.status === 'ok')).toHaveLength(1);
    expect(answers.filter((r) => r.private)).toHaveLength(2);
    expect(logoffs.n).toBe(1);
    expect(h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  });

  it('a rejection closes it with nothing done, carrying the approver\'s reply; later presses are refused', async () => {
    const h = harness();
    const { id } = await requested(h);
    const r = await h.bot.reject(id, slack('USENIOR1'), '  call the user   first ');
    expect(r).toMatchObject({ status: 'rejected', private: false, summary: 'Rejected: log off session 3 (CORP\\jdoe, Active) on rds01 was not done.' });
    expect(renderText(r)).toMatch(/usenior1 replied: call the user first/);
    expect(r.participants?.map((p) => p.role)).toEqual(['requested', 'confirmed', 'rejected']);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'rejected', userId: 'USENIOR1', approvalId: id, detail: 'reply: call the user first', reason: 'INC0012345 user stuck', command: '/rwinsta rds01 3 /reason:"INC0012345 user stuck"' });
    const after = await h.bot.approve(id, slack('USENIOR2'));
    expect(after.summary).toMatch(/already decided, withdrawn or has expired/);
    expect(exitCodeOf(r.status)).toBe(1);
    expect((await h.fleet.querySession('rds01', 3)).state).toBe('Active');
  });

  it('someone who may not approve may not reject either; the requester may withdraw', async () => {
    const h = harness();
    const { id } = await requested(h);
    expect((await h.bot.reject(id, slack('UAUDIT1'))).summary).toMatch(/^Only members of seniors/);
    const w = await h.bot.reject(id, REQUESTER);
    expect(w).toMatchObject({ status: 'cancelled', summary: 'Withdrawn: log off session 3 (CORP\\jdoe, Active) on rds01 was not done.' });
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'cancelled', approvalId: id });
  });

  it('expires: a press after the expiry closes it publicly; the sweep audits and announces the others', async () => {
    const h = harness();
    const a = await requested(h);
    const b = await requested(h, `rwinsta rds01 2 ${TICKET}`);
    const seen: string[] = [];
    h.bot.onApprovalExpired((e) => seen.push(e.id));
    h.clock.advance(900_000);
    const late = await h.bot.approve(a.id, slack('USENIOR1'));
    expect(late).toMatchObject({ status: 'expired', private: false, summary: 'Expired: log off session 3 (CORP\\jdoe, Active) on rds01 was not approved within 15 min; nothing was done.' });
    const swept = await h.bot.sweepExpired();
    expect(swept.map((e) => e.id)).toEqual([b.id]);
    expect(seen).toEqual([b.id]);
    expect(h.audit.records.filter((r) => r.decision === 'expired').map((r) => r.approvalId)).toEqual([a.id, b.id]);
    expect(await h.bot.pendingApprovals()).toBe(0);
    expect((await h.fleet.querySession('rds01', 2)).state).toBe('Active');
  });

  it('/f skips the confirmation, never the approval', async () => {
    const h = harness();
    const r = await send(h, slack('ULEAD1'), 'rwinsta rds01 6,7 /f');
    expect(r.status).toBe('awaiting-approval');
    expect(r.approvalRequest?.request.participants?.map((p) => p.role)).toEqual(['requested']);
    expect((await h.fleet.querySession('rds01', 6)).state).toBe('Disconnected');
  });

  it('a grant without approval acts at once; the outcome still names who asked', async () => {
    const h = harness();
    const r = await send(h, slack('USENIOR1'), 'rwinsta rds01 6');
    expect(r.status).toBe('ok');
    expect(r.participants?.map((p) => `${p.role}:${p.userId}`)).toEqual(['requested:USENIOR1']);
    expect(h.audit.records.at(-1)?.participants).toHaveLength(1);
  });

  it('no approval request without its audit record', async () => {
    const h = harness();
    const ask = await send(h, REQUESTER, `rwinsta rds01 3 ${TICKET}`);
    h.audit.failWith = new Error('ENOSPC');
    const r = await h.bot.confirm(confirmationOf(ask), REQUESTER);
    expect(r.summary).toMatch(/^Refused: the audit log could not be written \(ENOSPC\), so nothing will be done\./);
    expect(r.approvalRequest).toBeUndefined();
    expect(await h.bot.pendingApprovals()).toBe(0);
  });
});

describe('channel scope and the console', () => {
  it('a grant limited to channels, used elsewhere, says where to go by the platform\'s channel name', async () => {
    const h = harness();
    h.bot.useChannelNames('slack', { nameOf: async (id) => (id === SLACK_HELPDESK_CHANNEL ? 'helpdesk-rds' : undefined) });
    const r = await send(h, slack('UHELP1', 'CGENERAL'), `rwinsta rds01 3 ${TICKET}`);
    expect(r).toMatchObject({ status: 'denied', private: true, summary: 'Denied: you lack "logoff" on rds01 here; use it in #helpdesk-rds or Discord or the console.' });
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', channel: 'CGENERAL', detail: 'your role (helpdesk) grants "logoff" on rds01 only in other channels' });
    expect((await send(h, slack('UHELP1', 'CGENERAL'), 'qwinsta rds01')).status).toBe('ok');
  });
  it('the console cannot ask a second person: exit 3, saying someone must approve it in chat; nothing is read', async () => {
    const h = harness();
    let reads = 0;
    const list = h.fleet.listSessions.bind(h.fleet);
    h.fleet.listSessions = async (s) => (reads++, list(s));
    const r = await h.run('alice', `rwinsta rds01 3 ${TICKET}`);
    expect(r.summary).toBe('Denied: a second person must approve this logoff on rds01 in chat (1 approval by seniors); the console cannot ask for it.');
    expect(exitCodeOf(r.status)).toBe(3);
    expect(reads).toBe(0);
    // The reason is checked first: a usage error is fixed before anyone is asked.
    expect((await h.run('alice', 'rwinsta rds01 3')).status).toBe('usage');
  });
});
