import { describe, expect, it } from 'vitest';
import { accessFeatures, accessProblems } from '../../src/config/access-checks.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { FOUR_EYES_ACCESS } from '../support/four-eyes-access.js';

const asks = (approval: object, approvers: object) =>
  buildAccessModel({
    roles: {
      approvers,
      hd: { grants: [{ actions: ['logoff'], servers: ['rds01'], approval }], members: { slackUsers: ['UHELP1'] } },
    },
  });

describe('check-config: approvals that nobody could give', () => {
  it('the four-eyes example has no problem', () => {
    expect(accessProblems(buildAccessModel(FOUR_EYES_ACCESS))).toEqual([]);
    expect(accessFeatures(buildAccessModel(FOUR_EYES_ACCESS))).toBe('2 grant(s) ask for approval, 1 for a reason, 1 limited to channels');
  });
  it('an approver role with no members', () => {
    expect(accessProblems(asks({ by: ['approvers'] }, { grants: [{ actions: ['logoff'], servers: ['rds01'] }] }))).toEqual([
      'roles.hd.grants[0].approval.by[0]: role "approvers" has no members, so nobody can approve',
      'roles.hd.grants[0].approval.count: 1 approvals, but at most 0 people in approvers could ever give one (Slack 0, Discord 0; each must also hold the action, and the console cannot approve)',
    ]);
  });
  it('more approvals than people who could ever give them', () => {
    const model = asks({ by: ['approvers'], count: 3 }, { grants: [{ actions: ['logoff'], servers: ['*'] }], members: { slackUsers: ['U0SENIOR1', 'U0SENIOR2'], discordUsers: ['333333333333333333'] } });
    expect(accessProblems(model)).toEqual([
      'roles.hd.grants[0].approval.count: 3 approvals, but at most 2 people in approvers could ever give one (Slack 2, Discord 1; each must also hold the action, and the console cannot approve)',
    ]);
  });
  it('approvers who hold no acting action do not count; a user group may hold any number', () => {
    const none = asks({ by: ['approvers'] }, { grants: [{ actions: ['query'], servers: ['*'] }], members: { slackUsers: ['U0SENIOR1'] } });
    expect(accessProblems(none)).toHaveLength(1);
    const group = asks({ by: ['approvers'], count: 3 }, { grants: [{ actions: ['logoff'], servers: ['*'] }], members: { slackUserGroups: ['SSENIORS'] } });
    expect(accessProblems(group)).toEqual([]);
  });
});
