import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import { Policy } from '../../src/core/policy/policy.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { FULL_ACCESS } from '../support/core-harness.js';

const policy = new Policy(buildAccessModel(FULL_ACCESS));
const consoleUser = (u: string): Caller => ({ platform: 'console', userId: u, userName: u, groups: [] });
const slack = (id: string, groups: string[] = []): Caller => ({ platform: 'slack', userId: id, userName: id, groups });
const discord = (id: string, roles: string[] = []): Caller => ({ platform: 'discord', userId: id, userName: id, groups: roles });

describe('policy: deny by default, roles grant actions on server scopes', () => {
  it('an unknown caller has no role and is denied, saying so', () => {
    const d = policy.authorize(consoleUser('mallory'), 'query', 'rds01');
    expect(d).toMatchObject({ allowed: false, action: 'query', server: 'rds01', reason: 'you have no role in the access file' });
  });
  it('a group reference (@farm) covers its servers only', () => {
    expect(policy.authorize(consoleUser('alice'), 'disconnect', 'rds03').allowed).toBe(true);
    expect(policy.authorize(consoleUser('alice'), 'disconnect', 'server01').allowed).toBe(false);
  });
  it('a glob (server0?) covers matching names, case-insensitively', () => {
    expect(policy.authorize(consoleUser('alice'), 'logoff', 'SERVER05').allowed).toBe(true);
    expect(policy.authorize(consoleUser('alice'), 'logoff', 'server10').allowed).toBe(false);
  });
  it('a denial names the missing permission, the server and the roles held', () => {
    const d = policy.authorize(consoleUser('alice'), 'logoff', 'rds01');
    expect(d).toMatchObject({ allowed: false, reason: 'none of your roles (helpdesk) grants "logoff" on rds01' });
  });
  it('"*" grants every action, including bulk and force', () => {
    for (const a of ['query', 'logoff', 'bulk', 'force'] as const) expect(policy.authorize(consoleUser('root'), a, 'anything.example.com').allowed).toBe(true);
  });
  it('bulk and force are separate permissions', () => {
    expect(policy.authorize(consoleUser('alice'), 'bulk', 'rds04').allowed).toBe(false);
    expect(policy.authorize(consoleUser('alice'), 'force', 'rds04').allowed).toBe(false);
  });
  it('Slack users and user groups map to roles', () => {
    expect(policy.rolesOf(slack('UADMIN1'))).toEqual(['admins']);
    expect(policy.rolesOf(slack('U999', ['SOTHER', 'SHELPDESK']))).toEqual(['helpdesk']);
    expect(policy.rolesOf(slack('U999'))).toEqual([]);
  });
  it('Discord users and guild roles map to roles', () => {
    expect(policy.rolesOf(discord('222222222222222222'))).toEqual(['helpdesk']);
    expect(policy.rolesOf(discord('333333333333333333', ['111111111111111111']))).toEqual(['admins']);
  });
  it('identities do not cross platforms: a console name is not a Slack ID', () => {
    expect(policy.rolesOf(slack('root'))).toEqual([]);
    expect(policy.rolesOf(consoleUser('UADMIN1'))).toEqual([]);
  });
  it('console names compare case-insensitively', () => {
    expect(policy.rolesOf(consoleUser('ALICE'))).toEqual(['helpdesk']);
  });
  it('knows the servers named in the file, not globs', () => {
    expect(policy.namedServers()).toEqual(['rds01', 'rds02', 'rds03', 'rds04', 'rds05', 'rds06']);
    expect(policy.coversServer('server03')).toBe(true);
    expect(policy.coversServer('web01')).toBe(false);
  });
});
