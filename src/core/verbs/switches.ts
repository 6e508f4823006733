import { SESSION_STATES, type SessionState } from '../../wts/session.js';

/** Every switch any verb takes, by canonical name. */
export type SwitchName =
  | 'server' | 'v' | 'disc' | 'all' | 'reset' | 'f' | 'w' | 'time' | 'state' | 'fresh' | 'reason' | 'idle' | 'logon' | 'system' | 'id'
  | 'counter' | 'mode' | 'flow' | 'connect' | 'vm' | '?';

/** How a chat platform with typed options (Discord) offers a switch. */
export interface OptionSpec {
  name: string;
  /** `text`: free text, sent as a quoted switch value (`/reason:"…"`, `/idle:"8h"`); the grammar checks it. */
  kind: 'boolean' | 'integer' | 'choice' | 'text';
  description: string;
  min?: number;
  max?: number;
  /** For `text`: the longest value. */
  maxLength?: number;
  choices?: readonly string[];
}

export interface SwitchSpec {
  name: SwitchName;
  /** Other spellings: `/verbose` is `/v`. */
  aliases: readonly string[];
  /** For a switch that takes a value (`/server:rds01`): how usage shows it, and an example. */
  value?: { placeholder: string; example: string };
  help: string;
  option?: OptionSpec;
}

export const MAX_MESSAGE_SECONDS = 86_400;
export const MAX_REASON_LENGTH = 200;
export const DEFAULT_MESSAGE_SECONDS = 60;
/** A process ID is a DWORD. */
export const MAX_PROCESS_ID = 0xffffffff;

export const STATE_WORDS: Readonly<Record<string, SessionState>> = {
  active: 'Active',
  disc: 'Disconnected',
  disconnected: 'Disconnected',
  conn: 'Connected',
  connected: 'Connected',
  connq: 'ConnectQuery',
  connectquery: 'ConnectQuery',
  shadow: 'Shadow',
  idle: 'Idle',
  listen: 'Listen',
  reset: 'Reset',
  down: 'Down',
  init: 'Init',
};

/** The states offered where a choice is made (Discord's option, console completion). */
export const STATE_CHOICES: readonly string[] = ['active', 'disc', 'conn', 'idle', 'listen', 'down'];

export const SWITCHES: Readonly<Record<SwitchName, SwitchSpec>> = {
  server: { name: 'server', aliases: [], value: { placeholder: '<server>', example: 'rds01' }, help: 'the Remote Desktop server (NetBIOS or DNS name, or IPv4 address)' },
  v: { name: 'v', aliases: ['verbose'], help: 'report each step with its duration', option: { name: 'verbose', kind: 'boolean', description: 'Report each step with its duration (/v)' } },
  disc: { name: 'disc', aliases: [], help: 'every disconnected session', option: { name: 'disc', kind: 'boolean', description: 'Log off every disconnected session (/disc)' } },
  all: { name: 'all', aliases: [], help: 'every user session', option: { name: 'all', kind: 'boolean', description: 'Log off every user session (/all)' } },
  reset: { name: 'reset', aliases: [], help: 'accepted; means the same as rwinsta itself' },
  f: { name: 'f', aliases: ['force'], help: 'skip the confirmation when your role grants "force"', option: { name: 'force', kind: 'boolean', description: 'Skip the confirmation if your role grants force (/f)' } },
  w: { name: 'w', aliases: [], help: 'wait until the user presses OK', option: { name: 'wait', kind: 'boolean', description: 'Wait until the user presses OK (/w)' } },
  time: {
    name: 'time',
    aliases: [],
    value: { placeholder: '<seconds>', example: '30' },
    help: `close the message after this many seconds (1–${MAX_MESSAGE_SECONDS}, default ${DEFAULT_MESSAGE_SECONDS})`,
    option: { name: 'time', kind: 'integer', description: `Close it after this many seconds (/time, default ${DEFAULT_MESSAGE_SECONDS})`, min: 1, max: MAX_MESSAGE_SECONDS },
  },
  state: {
    name: 'state',
    aliases: [],
    value: { placeholder: '<state>', example: 'disc' },
    help: 'only sessions in this state: active, disc, conn, idle, listen, down',
    option: { name: 'state', kind: 'choice', description: 'Only sessions in this state (/state)', choices: STATE_CHOICES },
  },
  counter: {
    name: 'counter',
    aliases: [],
    help: 'add the traffic Windows counts for each session: bytes and frames in and out',
    option: { name: 'counter', kind: 'boolean', description: 'Add each session\'s traffic: bytes and frames in and out (/counter)' },
  },
  mode: { name: 'mode', aliases: [], help: "Microsoft's line settings of serial connections (Remote Desktop sessions have none)" },
  flow: { name: 'flow', aliases: [], help: "Microsoft's flow-control settings of serial connections (Remote Desktop sessions have none)" },
  connect: { name: 'connect', aliases: [], help: "Microsoft's connect settings (client drives and printers at logon): not read by the bot" },
  vm: { name: 'vm', aliases: [], help: 'sessions in the virtual machines of a Virtualization Host (VDI): not managed by the bot' },
  fresh: { name: 'fresh', aliases: [], help: 'read every server live, not the session index', option: { name: 'fresh', kind: 'boolean', description: 'Read every server live, not the session index (/fresh)' } },
  reason: {
    name: 'reason',
    aliases: [],
    value: { placeholder: '"<text>"', example: '"INC0012345 user stuck"' },
    help: `why, or the ticket (up to ${MAX_REASON_LENGTH} characters); the access file may ask for one`,
    option: { name: 'reason', kind: 'text', description: 'Why, or the ticket number (/reason)', maxLength: MAX_REASON_LENGTH },
  },
  idle: {
    name: 'idle',
    aliases: [],
    value: { placeholder: '<duration>', example: '8h' },
    help: 'only sessions idle at least this long (90m, 8h, 2d); a disconnected session counts from its disconnection',
    option: { name: 'idle', kind: 'text', description: 'Only sessions idle at least this long: 90m, 8h, 2d (/idle)', maxLength: 20 },
  },
  logon: {
    name: 'logon',
    aliases: [],
    value: { placeholder: '<duration>', example: '2d' },
    help: 'only sessions logged on at least this long (90m, 8h, 2d)',
    option: { name: 'logon', kind: 'text', description: 'Only sessions logged on at least this long: 90m, 8h, 2d (/logon)', maxLength: 20 },
  },
  system: {
    name: 'system',
    aliases: [],
    help: "also show system processes (Windows' own accounts: SYSTEM, services, window manager)",
    option: { name: 'system', kind: 'boolean', description: 'Also show system processes (/system)' },
  },
  id: {
    name: 'id',
    aliases: [],
    value: { placeholder: '<nn>', example: '3' },
    help: "the session with this ID (Microsoft's /id:), or the process with this PID when no session has it",
    option: { name: 'id', kind: 'integer', description: 'A session ID, or a process ID no session has (/id)', min: 0, max: MAX_PROCESS_ID },
  },
  '?': { name: '?', aliases: ['help'], help: 'show the usage' },
};

const BY_WORD = new Map<string, SwitchName>();
for (const s of Object.values(SWITCHES)) for (const w of [s.name, ...s.aliases]) BY_WORD.set(w, s.name);

export function switchNamed(word: string): SwitchName | undefined {
  return BY_WORD.get(word.toLowerCase());
}

/** `/server:<server>` or `/v`, as usage shows a switch. */
export function switchUsage(name: SwitchName): string {
  const s = SWITCHES[name];
  return s.value ? `/${name}:${s.value.placeholder}` : `/${name}`;
}

export function stateNamed(word: string): SessionState | undefined {
  const key = word.toLowerCase();
  return Object.hasOwn(STATE_WORDS, key) ? STATE_WORDS[key] : undefined;
}

export const STATE_COUNT = SESSION_STATES.length;
