import { WIN32 } from '../errors.js';
import type { SessionState } from '../session.js';

/** One session of the demo fleet; times are minutes before the fleet starts. */
export interface SimSessionSpec {
  id: number;
  name: string;
  user?: string;
  domain?: string;
  state: SessionState;
  logonMinutesAgo?: number;
  idleMinutes?: number;
  client?: string;
  address?: string;
}

export interface SimServerSpec {
  name: string;
  /** A Win32 code every call on this server fails with (WIN32.RPC_SERVER_UNAVAILABLE: down; WIN32.ACCESS_DENIED). */
  failure?: number;
  sessions: SimSessionSpec[];
}

const SYSTEM: SimSessionSpec[] = [
  { id: 0, name: 'services', state: 'Disconnected' },
  { id: 1, name: 'console', state: 'Connected' },
  { id: 65536, name: 'rdp-tcp', state: 'Listen' },
];

function user(id: number, name: string, state: SessionState, logon: number, idle: number, client = `WS-${name.toUpperCase()}-01`): SimSessionSpec {
  const octet = 10 + (id * 7 + name.length * 13) % 200;
  const s: SimSessionSpec = { id, name: state === 'Disconnected' ? '' : `RDP-Tcp#${id + 4}`, user: name, domain: 'CORP', state, logonMinutesAgo: logon, idleMinutes: idle };
  if (state !== 'Disconnected') {
    s.client = client;
    s.address = `10.20.${id % 8}.${octet}`;
  }
  return s;
}

/**
 * A realistic farm: rds01–rds04 serve users, rds05 is down, rds06 refuses the bot's account, and
 * server01–server07 carry the sessions the rwinsta examples our users learned from refer to.
 */
export const DEFAULT_FLEET: SimServerSpec[] = [
  {
    name: 'rds01',
    sessions: [...SYSTEM, user(2, 'asmith', 'Active', 190, 0), user(3, 'jdoe', 'Active', 95, 17), user(4, 'pnguyen', 'Active', 320, 64), user(6, 'bwayne', 'Disconnected', 1500, 130), user(7, 'kpatel', 'Idle', 45, 3)],
  },
  {
    name: 'rds02',
    sessions: [...SYSTEM, { ...user(3, 'lchen', 'Active', 60, 2), name: 'RDP-Tcp#7' }, user(5, 'jdoe', 'Disconnected', 2900, 1600), user(8, 'omartin', 'Active', 12, 0)],
  },
  {
    name: 'rds03',
    sessions: [...SYSTEM, user(2, 'mkhan', 'Active', 240, 8), user(4, 'mkhan', 'Disconnected', 4400, 2800), user(5, 'rgarcia', 'Active', 30, 1)],
  },
  {
    name: 'rds04',
    sessions: [...SYSTEM, user(2, 'tlee', 'Active', 75, 0), user(3, 'hsato', 'Disconnected', 600, 420), user(4, 'dbrown', 'Disconnected', 3000, 2000), user(5, 'emoreau', 'Disconnected', 9000, 8100), user(6, 'fwilson', 'Active', 20, 11), user(7, 'gsmith', 'Disconnected', 180, 90)],
  },
  { name: 'rds05', failure: WIN32.RPC_SERVER_UNAVAILABLE, sessions: [] },
  { name: 'rds06', failure: WIN32.ACCESS_DENIED, sessions: [] },
  { name: 'server01', sessions: [...SYSTEM, user(2, 'ataylor', 'Active', 50, 4), user(3, 'cjones', 'Active', 200, 35)] },
  { name: 'server02', sessions: [...SYSTEM, user(2, 'nwhite', 'Active', 80, 0), user(3, 'sclark', 'Disconnected', 700, 500)] },
  { name: 'server03', sessions: [...SYSTEM, user(4, 'vlopez', 'Active', 130, 22)] },
  { name: 'server04', sessions: [...SYSTEM, user(2, 'iroberts', 'Disconnected', 400, 380), user(3, 'jwalker', 'Disconnected', 1300, 900), user(5, 'khall', 'Active', 25, 0)] },
  { name: 'server05', sessions: [...SYSTEM, user(5, 'lyoung', 'Disconnected', 350, 300)] },
  { name: 'server06', sessions: [...SYSTEM, user(6, 'mking', 'Active', 90, 6)] },
  { name: 'server07', sessions: [...SYSTEM, user(2, 'nscott', 'Active', 110, 3), user(3, 'pgreen', 'Disconnected', 800, 640), user(4, 'qadams', 'Active', 15, 0)] },
];
