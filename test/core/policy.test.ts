import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import { emptyMembers, type Grant, type RoleMembers } from '../../src/core/policy/access-model.js';
import { Policy } from '../../src/core/policy/policy.js';
import { expandPatterns, isGlob, matchesServer } from '../../src/core/policy/server-patterns.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { FULL_ACCESS } from '../support/core-harness.js';

/** Built in each test, not when the file loads, so that mutation testing sees which tests reach the access-file checks. */
const policy = (): Policy => new Policy(buildAccessModel(FULL_ACCESS));
const consoleUser = (u: string): Caller => ({ platform: 'console', userId: u, userName: u, groups: [] });
const slack = (id: string, groups: string[] = []): Caller => ({ platform: 'slack', userId: id, userName: id, groups });
const discord = (id: string, roles: string[] = []): Caller => ({ platform: 'discord', userId: id, userName: id, groups: roles });

describe('policy: deny by default, roles grant actions on server scopes', () => {
  it('an unknown caller has no role and is denied, saying so', () => {
    const d = policy().authorize(consoleUser('mallory'), 'query', 'rds01');
    expect(d).toMatchObject({ allowed: false, action: 'query', server: 'rds01', reason: 'you have no role in the access file' });
  });
  it('a group reference (@farm) covers its servers only', () => {
    expect(policy().authorize(consoleUser('alice'), 'disconnect', 'rds03').allowed).toBe(true);
    expect(policy().authorize(consoleUser('alice'), 'disconnect', 'server01').allowed).toBe(false);
  });
  it('a glob (server0?) covers matching names, case-insensitively', () => {
    expect(policy().authorize(consoleUser('alice'), 'logoff', 'SERVER05').allowed).toBe(true);
    expect(policy().authorize(consoleUser('alice'), 'logoff', 'server10').allowed).toBe(false);
  });
  it('a denial names the missing permission, the server and the roles held', () => {
    const d = policy().authorize(consoleUser('alice'), 'logoff', 'rds01');
    expect(d).toMatchObject({ allowed: false, reason: 'none of your roles (helpdesk) grants "logoff" on rds01' });
  });
  it('"*" grants every action, including bulk and force', () => {
    for (const a of ['query', 'logoff', 'bulk', 'force'] as const) expect(policy().authorize(consoleUser('root'), a, 'anything.example.com').allowed).toBe(true);
  });
  it('bulk and force are separate permissions', () => {
    expect(policy().authorize(consoleUser('alice'), 'bulk', 'rds04').allowed).toBe(false);
    expect(policy().authorize(consoleUser('alice'), 'force', 'rds04').allowed).toBe(false);
  });
  it('Slack users and user groups map to roles', () => {
    expect(policy().rolesOf(slack('UADMIN1'))).toEqual(['admins']);
    expect(policy().rolesOf(slack('U999', ['SOTHER', 'SHELPDESK']))).toEqual(['helpdesk']);
    expect(policy().rolesOf(slack('U999'))).toEqual([]);
  });
  it('Discord users and guild roles map to roles', () => {
    expect(policy().rolesOf(discord('222222222222222222'))).toEqual(['helpdesk']);
    expect(policy().rolesOf(discord('333333333333333333', ['111111111111111111']))).toEqual(['admins']);
  });
  it('identities do not cross platforms: a console name is not a Slack ID', () => {
    expect(policy().rolesOf(slack('root'))).toEqual([]);
    expect(policy().rolesOf(consoleUser('UADMIN1'))).toEqual([]);
  });
  it('console names compare case-insensitively', () => {
    expect(policy().rolesOf(consoleUser('ALICE'))).toEqual(['helpdesk']);
  });
  it('knows the servers named in the file, not globs', () => {
    expect(policy().namedServers()).toEqual(['rds01', 'rds02', 'rds03', 'rds04', 'rds05', 'rds06']);
    expect(policy().coversServer('server03')).toBe(true);
    expect(policy().coversServer('web01')).toBe(false);
  });
});

/** An access model written out by hand, as the access file would give it. */
function model(groups: Record<string, string[]>, roles: Record<string, { grants: Grant[]; members: Partial<RoleMembers> }>): Policy {
  return new Policy({
    serverGroups: new Map(Object.entries(groups)),
    roles: new Map(Object.entries(roles).map(([name, r]) => [name, { grants: r.grants, members: { ...emptyMembers(), ...r.members } }])),
  });
}

describe('server patterns: names, globs and groups, nothing more', () => {
  it('a glob escapes every other character: rds0?.corp grants rds01.corp, never rds01xcorp or rds01corp', () => {
    const p = model({}, { ops: { grants: [{ actions: ['query'], servers: ['rds0?.corp'] }], members: { consoleUsers: ['alice'] } } });
    expect(p.authorize(consoleUser('alice'), 'query', 'rds01.corp').allowed).toBe(true);
    expect(p.authorize(consoleUser('alice'), 'query', 'rds01xcorp').allowed).toBe(false);
    expect(p.authorize(consoleUser('alice'), 'query', 'rds01corp').allowed).toBe(false);
    expect(p.authorize(consoleUser('alice'), 'query', 'rds012.corp').allowed).toBe(false);
  });
  it('* in a glob is any run of characters, ? exactly one', () => {
    expect(matchesServer('rds*', 'rds')).toBe(true);
    expect(matchesServer('rds*', 'rds01.corp.example.com')).toBe(true);
    expect(matchesServer('rds*', 'xrds01')).toBe(false);
    expect(matchesServer('lab-??', 'lab-01')).toBe(true);
    expect(matchesServer('lab-??', 'lab-1')).toBe(false);
  });
  it('a plain name matches only itself, in any case', () => {
    expect(matchesServer('RDS01', 'rds01')).toBe(true);
    expect(matchesServer('rds01', 'RDS01')).toBe(true);
    expect(matchesServer('rds01', 'rds011')).toBe(false);
    expect(matchesServer('rds01.corp', 'rds01xcorp')).toBe(false);
  });
  it('a group expands to its members in place; an unknown group to nothing', () => {
    const groups = new Map([['farm', ['rds01', 'lab-*']]]);
    expect(expandPatterns(['web01', '@farm', 'x?'], groups)).toEqual(['web01', 'rds01', 'lab-*', 'x?']);
    expect(expandPatterns(['@nope'], groups)).toEqual([]);
    expect(isGlob('rds01')).toBe(false);
    expect(isGlob('rds?1')).toBe(true);
  });
});

describe('roles and reasons', () => {
  it('any of several console names in a role, and "*" for every console user', () => {
    const p = model({}, {
      pair: { grants: [{ actions: ['query'], servers: ['rds01'] }], members: { consoleUsers: ['alice', 'Carol'] } },
      demo: { grants: [{ actions: ['query'], servers: ['rds02'] }], members: { consoleUsers: ['*'] } },
    });
    expect(p.rolesOf(consoleUser('carol'))).toEqual(['pair', 'demo']);
    expect(p.rolesOf(consoleUser('alice'))).toEqual(['pair', 'demo']);
    expect(p.rolesOf(consoleUser('anyone'))).toEqual(['demo']);
    expect(p.rolesOf(slack('UANYONE'))).toEqual([]);
  });
  it('a role nobody was added to has no members on any platform', () => {
    expect(emptyMembers()).toEqual({ slackUsers: [], slackUserGroups: [], discordUsers: [], discordRoles: [], consoleUsers: [] });
  });
  it('a denial names every role the caller holds', () => {
    const p = model({}, {
      readers: { grants: [{ actions: ['query'], servers: ['rds01'] }], members: { consoleUsers: ['alice'] } },
      messengers: { grants: [{ actions: ['message'], servers: ['rds01'] }], members: { consoleUsers: ['alice'] } },
    });
    expect(p.authorize(consoleUser('alice'), 'logoff', 'rds01')).toEqual({
      allowed: false,
      action: 'logoff',
      server: 'rds01',
      roles: ['readers', 'messengers'],
      reason: 'none of your roles (readers, messengers) grants "logoff" on rds01',
    });
    expect(p.authorize(consoleUser('alice'), 'message', 'rds01')).toEqual({ allowed: true, roles: ['readers', 'messengers'] });
  });
  it('a grant counts only for its own actions and its own servers', () => {
    const p = model({}, {
      ops: {
        grants: [
          { actions: ['query'], servers: ['rds01'] },
          { actions: ['logoff'], servers: ['rds02'] },
        ],
        members: { consoleUsers: ['alice'] },
      },
    });
    expect(p.authorize(consoleUser('alice'), 'logoff', 'rds01').allowed).toBe(false);
    expect(p.authorize(consoleUser('alice'), 'query', 'rds02').allowed).toBe(false);
    expect(p.authorize(consoleUser('alice'), 'logoff', 'rds02').allowed).toBe(true);
  });
  it('reaches any server only through a "*" pattern, given directly or through a group', () => {
    const p = model({ everything: ['*'] }, {
      direct: { grants: [{ actions: ['query'], servers: ['*'] }], members: { consoleUsers: ['root'] } },
      grouped: { grants: [{ actions: ['query'], servers: ['@everything'] }], members: { consoleUsers: ['ops'] } },
      globbed: { grants: [{ actions: ['query'], servers: ['rds*', 'web??'] }], members: { consoleUsers: ['alice'] } },
    });
    expect(p.reachesAnyServer(consoleUser('root'))).toBe(true);
    expect(p.reachesAnyServer(consoleUser('ops'))).toBe(true);
    expect(p.reachesAnyServer(consoleUser('alice'))).toBe(false);
    expect(p.reachesAnyServer(consoleUser('mallory'))).toBe(false);
  });
  it('names the servers written out in the file, sorted and lower-cased, never globs, groups or *', () => {
    const p = model({ farm: ['rds02', 'RDS01', 'lab-*'] }, {
      ops: { grants: [{ actions: ['query'], servers: ['web01', '@farm', 'x?', '*', 'app01'] }], members: {} },
    });
    expect(p.namedServers()).toEqual(['app01', 'rds01', 'rds02', 'web01']);
  });
  it('covers a server by name, glob or group member, but not through "*" alone', () => {
    const p = model({ farm: ['rds01', 'lab-*'] }, {
      ops: { grants: [{ actions: ['query'], servers: ['@farm', 'web01'] }], members: {} },
      root: { grants: [{ actions: ['query'], servers: ['*'] }], members: {} },
    });
    expect(['rds01', 'lab-7', 'WEB01', 'rds02', 'anything'].map((s) => p.coversServer(s))).toEqual([true, true, true, false, false]);
  });
});
