import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildAccessModel, loadAccessFile } from '../../src/config/access-file.js';
import { ConfigError } from '../../src/config/config-error.js';

function problem(content: unknown): string {
  try {
    buildAccessModel(content);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const role = (extra: object = {}): object => ({ grants: [{ actions: ['query'], servers: ['rds01'] }], ...extra });

describe('access file validation names the bad key', () => {
  it('an unknown top-level key', () => expect(problem({ roles: {}, role: {} })).toMatch(/unknown key "role" \(expected serverGroups, roles, identities, identity, selfService\)/));
  it('an unknown role key', () => expect(problem({ roles: { hd: { ...role(), grant: [] } } })).toMatch(/roles\.hd: unknown key "grant" \(expected description, grants, members\)/));
  it('an unknown action', () => expect(problem({ roles: { hd: { grants: [{ actions: ['query', 'logof'], servers: ['rds01'] }] } } })).toMatch(/roles\.hd\.grants\[0\]\.actions\[1\]: not an action; use query, disconnect, logoff/));
  it('a grant with no servers', () => expect(problem({ roles: { hd: { grants: [{ actions: ['query'], servers: [] }] } } })).toMatch(/roles\.hd\.grants\[0\]\.servers: list at least one server/));
  it('an unknown server group', () => expect(problem({ serverGroups: { farm: ['rds01'] }, roles: { hd: { grants: [{ actions: ['query'], servers: ['@farmm'] }] } } })).toMatch(/roles\.hd\.grants\[0\]\.servers\[0\]: no server group "farmm" \(groups: farm\)/));
  it('a bad server pattern', () => expect(problem({ roles: { hd: { grants: [{ actions: ['query'], servers: ['\\\\rds01'] }] } } })).toMatch(/servers\[0\]: "\\\\rds01" is not a server name/));
  it('a group inside a group', () => expect(problem({ serverGroups: { a: ['rds01'], b: ['@a'] }, roles: {} })).toMatch(/serverGroups\.b\[0\]: "@a": a server group cannot contain another group/));
  it('a bad Slack user ID', () => expect(problem({ roles: { hd: role({ members: { slackUsers: ['jdoe'] } }) } })).toMatch(/roles\.hd\.members\.slackUsers\[0\]: "jdoe" is not a Slack user ID/));
  it('a bad Discord role ID', () => expect(problem({ roles: { hd: role({ members: { discordRoles: ['admins'] } }) } })).toMatch(/roles\.hd\.members\.discordRoles\[0\]: "admins" is not a Discord role ID/));
  it('an unknown members key', () => expect(problem({ roles: { hd: role({ members: { slackUser: ['U1'] } }) } })).toMatch(/roles\.hd\.members: unknown key "slackUser" \(expected slackUsers, slackUserGroups/));
  it('a role with no grants', () => expect(problem({ roles: { hd: { grants: [] } } })).toMatch(/roles\.hd\.grants: a role needs at least one grant/));
});

describe('approvals, reasons and channels name the bad key', () => {
  const grant = (extra: object): object => ({ roles: { seniors: role(), hd: { grants: [{ actions: ['logoff'], servers: ['rds01'], ...extra }] } } });
  it.each([
    [{ approval: { by: ['senior'] } }, /roles\.hd\.grants\[0\]\.approval\.by\[0\]: no role "senior" \(roles: seniors, hd\)/],
    [{ approval: { by: [] } }, /roles\.hd\.grants\[0\]\.approval\.by: name at least one role whose members may approve/],
    [{ approval: { by: ['seniors'], count: 4 } }, /roles\.hd\.grants\[0\]\.approval\.count: at most 3 approvals/],
    [{ approval: { by: ['seniors'], count: 0 } }, /roles\.hd\.grants\[0\]\.approval\.count: at least 1 approval/],
    [{ approval: { by: ['seniors'], quorum: 2 } }, /roles\.hd\.grants\[0\]\.approval: unknown key "quorum" \(expected by, count\)/],
    [{ reason: 'yes' }, /roles\.hd\.grants\[0\]\.reason: the only value is "required"/],
    [{ reasonPattern: '^(INC' }, /roles\.hd\.grants\[0\]\.reasonPattern: "\^\(INC" is not a regular expression that compiles \(.*Unterminated group\)/],
    [{ reasonPattern: '^CHG-\\d+$' }, /roles\.hd\.grants\[0\]\.reasonExample: give an example reason that matches reasonPattern \^CHG-\\d\+\$/],
    [{ reasonPattern: '^CHG-\\d+$', reasonExample: 'CHG 12' }, /roles\.hd\.grants\[0\]\.reasonExample: "CHG 12" does not match reasonPattern/],
    [{ reasonExample: 'x' }, /roles\.hd\.grants\[0\]\.reasonExample: only goes with reason: required or reasonPattern/],
    [{ channels: [] }, /roles\.hd\.grants\[0\]\.channels: list at least one channel \(Slack C…\/G… ID, Discord channel ID, or console\)/],
    [{ channels: ['#helpdesk'] }, /roles\.hd\.grants\[0\]\.channels\[0\]: "#helpdesk" is not a channel: use a Slack channel ID/],
    [{ chanels: ['C01'] }, /roles\.hd\.grants\[0\]: unknown key "chanels" \(expected actions, servers, approval, reason, reasonPattern, reasonExample, channels\)/],
  ])('%j', (extra, re) => expect(problem(grant(extra))).toMatch(re));
  it('an approval or a reason on a grant that holds nothing up', () => {
    expect(problem({ roles: { seniors: role(), hd: { grants: [{ actions: ['query'], servers: ['rds01'], approval: { by: ['seniors'] } }] } } })).toMatch(
      /roles\.hd\.grants\[0\]\.approval: holds up logoff, disconnect, message and bulk only; this grant gives query/,
    );
  });
  it('reads a whole four-eyes grant: approval (count 1 by default), reason, pattern, an example from the pattern, channels', () => {
    const model = buildAccessModel({
      roles: {
        seniors: role(),
        hd: { grants: [{ actions: ['logoff'], servers: ['rds01'], approval: { by: ['seniors'] }, reason: 'required', reasonPattern: '^RITM\\d{7}', channels: ['C0HELP', 555555555555555001n, 'console'] }] },
      },
    });
    const g = model.roles.get('hd')?.grants[0];
    expect(g?.approval).toEqual({ by: ['seniors'], count: 1 });
    expect(g?.reason?.pattern?.source).toBe('^RITM\\d{7}');
    expect(g?.reason?.example).toBe('RITM0012345 user stuck');
    expect(g?.channels).toEqual(['C0HELP', '555555555555555001', 'console']);
  });
  it("the README's example loads as it says", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Approvals, reasons and channels\n'));
    const yaml = /```yaml\n([^]*?)```/.exec(section)?.[1] ?? '';
    const model = buildAccessModel({ serverGroups: { farm: ['rds01'] }, ...(parseYaml(yaml, { intAsBigInt: true }) as object) });
    const g = model.roles.get('helpdesk')?.grants[1];
    expect(g?.approval).toEqual({ by: ['seniors'], count: 1 });
    expect(g?.reason?.pattern?.test('INC0012345 user stuck')).toBe(true);
    expect(g?.channels).toEqual(['C0HELPDESKRDS', '555555555555555001', 'console']);
  });
  it('YAML: an unquoted count and Discord channel IDs are read exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rwinsta-access-'));
    const path = join(dir, 'four-eyes.yaml');
    writeFileSync(path, 'roles:\n  seniors:\n    grants: [{ actions: [query], servers: [rds01] }]\n  hd:\n    grants:\n      - actions: [logoff]\n        servers: [rds01]\n        approval: { by: [seniors], count: 2 }\n        channels: [555555555555555001]\n');
    const g = (await loadAccessFile(path)).roles.get('hd')?.grants[0];
    expect(g?.approval?.count).toBe(2);
    expect(g?.channels).toEqual(['555555555555555001']);
  });
});

describe('loading YAML and JSON files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rwinsta-access-'));
  it('keeps unquoted 18-digit Discord IDs exact (YAML integers as BigInt)', async () => {
    const path = join(dir, 'access.yaml');
    writeFileSync(path, 'roles:\n  hd:\n    grants:\n      - actions: [query]\n        servers: [rds01]\n    members:\n      discordUsers: [123456789012345678]\n');
    const model = await loadAccessFile(path);
    expect(model.roles.get('hd')?.members.discordUsers).toEqual(['123456789012345678']);
  });
  it('reads JSON', async () => {
    const path = join(dir, 'access.json');
    writeFileSync(path, JSON.stringify({ serverGroups: { farm: ['rds0*'] }, roles: { hd: { grants: [{ actions: ['*'], servers: ['@farm'] }] } } }));
    const model = await loadAccessFile(path);
    expect(model.roles.get('hd')?.grants[0]?.actions).toContain('force');
    expect(model.serverGroups.get('farm')).toEqual(['rds0*']);
  });
  it('names the file and the key in errors', async () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'roles:\n  hd:\n    grants:\n      - actions: [reboot]\n        servers: [rds01]\n');
    await expect(loadAccessFile(path)).rejects.toThrow(/bad\.yaml: access file: roles\.hd\.grants\[0\]\.actions\[0\]: not an action/);
  });
  it('reports YAML syntax errors and missing files with the variable name', async () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'roles: [\n');
    await expect(loadAccessFile(path)).rejects.toThrow(/RWINSTA_ACCESS_FILE: .*broken\.yaml is not valid YAML/);
    await expect(loadAccessFile(join(dir, 'missing.yaml'))).rejects.toThrow(/RWINSTA_ACCESS_FILE: cannot read .*missing\.yaml \(ENOENT\)/);
  });
});

describe('the selfService block', () => {
  const base = { roles: {} };
  it('is optional: without it nobody has self-service', () => {
    expect(buildAccessModel(base).selfService).toBeUndefined();
  });
  it('is read: servers, actions, members, everyone per platform, domain aliases upper-cased', () => {
    const m = buildAccessModel({ ...base, serverGroups: { farm: ['rds0?'] }, selfService: { servers: ['@farm', 'rds10'], actions: ['query', 'logoff', 'logoff'], members: { slackUserGroups: ['SSTAFF'] }, everyone: { discord: true }, domainAliases: { corp: ['corp.example.com'] } } });
    expect(m.selfService).toMatchObject({ servers: ['@farm', 'rds10'], actions: ['query', 'logoff'], members: { slackUserGroups: ['SSTAFF'] }, everyone: { slack: false, discord: true, console: false } });
    expect(m.selfService?.domainAliases.get('CORP')).toEqual(['CORP.EXAMPLE.COM']);
  });
  it.each([
    [{ servers: ['rds01'], actions: ['message'] }, /selfService\.actions\[0\]/],
    [{ servers: [], actions: ['query'] }, /selfService\.servers: list at least one server/],
    [{ servers: ['@nope'], actions: ['query'] }, /selfService\.servers\[0\]: no server group "nope"/],
    [{ servers: ['rds01'], actions: ['query'], members: { slackUsers: ['alice'] } }, /selfService\.members\.slackUsers\[0\]: "alice" is not a Slack user ID/],
    [{ servers: ['rds01'], actions: ['query'], everyone: true }, /selfService\.everyone/],
    [{ servers: ['rds01'], actions: ['query'], who: [] }, /selfService: unknown key "who" \(expected servers, actions, members, everyone, domainAliases\)/],
  ])('refuses %j, naming the key', (selfService, re) => {
    expect(() => buildAccessModel({ ...base, selfService })).toThrow(re);
  });
});
