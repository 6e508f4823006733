import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFakeWts, hasTool, requireOrSkip } from '../native/build-fakewts.js';
import type { BotProcess } from '../support/bot-process.js';
import { skipWithoutRedis } from '../support/redis-server.js';

/** Skip only where redis-server or gcc is missing and RWINSTA_REQUIRE_ALL_SUITES is unset. */
export const skipInstances = (): boolean => skipWithoutRedis() || requireOrSkip('gcc (builds the fake wtsapi32 the instances call through the real binding)', hasTool('gcc'));

/**
 * The servers every instance reaches, through the real binding and the fake wtsapi32 (each process
 * loads its own copy). No logon times: each copy would date its sessions from its own start, and
 * the bot rightly refuses to act on a session whose logon time changed since the prompt.
 */
export const SCENARIO = [
  'server rds01',
  'session rds01 2 Active RDP-Tcp#6 asmith CORP WS-ASMITH 10.20.2.10 x -1 0',
  'session rds01 3 Active RDP-Tcp#7 jdoe CORP WS-JDOE-01 10.20.1.31 x -1 17',
  'session rds01 4 Active RDP-Tcp#8 pnguyen CORP WS-PNGUYEN 10.20.4.12 x -1 64',
  'server rds02',
  'session rds02 3 Active RDP-Tcp#7 lchen CORP WS-LCHEN 10.20.3.11 x -1 2',
  'session rds02 8 Active RDP-Tcp#12 omartin CORP WS-OMARTIN 10.20.0.9 x -1 0',
  'server rds03',
  'session rds03 2 Active RDP-Tcp#6 mkhan CORP WS-MKHAN 10.20.2.40 x -1 8',
  'session rds03 5 Active RDP-Tcp#9 rgarcia CORP WS-RGARCIA 10.20.5.41 x -1 1',
  'session rds03 6 Active RDP-Tcp#10 jdoe CORP WS-JDOE-02 10.20.6.42 x -1 3',
  'server rds04',
  'session rds04 2 Active RDP-Tcp#6 tlee CORP WS-TLEE 10.20.2.50 x -1 0',
  'server server01',
  'session server01 2 Active RDP-Tcp#6 ataylor CORP WS-ATAYLOR 10.20.2.60 x -1 4',
  'session server01 3 Active RDP-Tcp#7 cjones CORP WS-CJONES 10.20.3.61 x -1 35',
  'server rds05 failure=1722',
  'server rds06 failure=5',
  '',
].join('\n');

/** Points the process at the fake farm: the wts backend, the fake library, the scenario in its own directory. */
export function onFakeFarm(p: BotProcess): BotProcess {
  writeFileSync(join(p.dir, 'scenario.txt'), SCENARIO);
  Object.assign(p.env, {
    RWINSTA_BACKEND: 'wts',
    RWINSTA_WTS_LIBRARY: buildFakeWts('linux'),
    RWINSTA_WTS_TIMEOUT_SECONDS: '5',
    RWINSTA_WTS_THREADS: '4',
    FAKEWTS_SCENARIO: join(p.dir, 'scenario.txt'),
  });
  return p;
}
