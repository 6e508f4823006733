#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { execCommand } from '../../adapters/console/exec.js';
import { ADAPTERS, loadAdapters } from './adapters-registry.js';
import { checkConfig } from './check-config.js';
import { INTERRUPTED_EXIT_CODE } from '../../adapters/console/repl.js';
import { checkAuditFile } from '../audit/audit-file-check.js';
import { consoleIdentityProblem, readAppConfig, type AppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { loadEnv } from './load-env.js';
import { stderrLogger } from './log.js';
import { buildRuntime } from './runtime.js';
import { start } from './start.js';
import { exitNow } from './exit-now.js';
import { finish } from './finish.js';
import { packageVersion } from './version.js';

/** The usage text; it lists the chat adapters' subcommands, so it loads them. */
async function usage(): Promise<string> {
  const adapters = await loadAdapters();
  const subcommands = adapters.flatMap((a) => Object.entries(a.subcommands ?? {}).map(([sub, c]) => `  rwinsta-bot ${a.name} ${sub}`.padEnd(51) + c.description));
  return `Usage:
  rwinsta-bot [start]                              run the chat adapters whose tokens are set, else the console
  rwinsta-bot exec [--as <name>] [--yes] [--stream] "<command>"
                                                   run one command, print the result (--stream: a
                                                   search's matches as they are found, then the result)
  rwinsta-bot check-config [--online]              validate the environment, the access file and the audit file;
                                                   --online also signs in to Slack and Discord with the tokens
${subcommands.join('\n')}
  rwinsta-bot --version                            print the version
exec exit codes: 0 done, 1 cancelled, 2 usage error, 3 denied, 4 failed, 5 needs confirmation (add --yes)`;
}

/** start and exec stop at once, with the sentence, when the audit file cannot be appended to. */
async function requireAuditFile(config: AppConfig): Promise<void> {
  const r = await checkAuditFile(config.auditFile);
  if (r.ok) return;
  if (r.hung) {
    process.stderr.write(`rwinsta-bot: configuration error: RWINSTA_AUDIT_FILE: ${r.problem}\n`);
    await exitNow(1, true);
  }
  throw new ConfigError('RWINSTA_AUDIT_FILE', r.problem);
}

async function main(argv: string[]): Promise<number> {
  const [verb = 'start', ...rest] = argv;
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${await usage()}\n`);
    return 0;
  }
  if (verb === '--version' || verb === '-V' || verb === 'version') {
    process.stdout.write(`rwinsta-bot ${packageVersion()}\n`);
    return 0;
  }
  const env = loadEnv();
  const entry = ADAPTERS.find((a) => a.name === verb);
  if (entry) {
    const adapter = await entry.load();
    const sub = adapter.subcommands?.[rest[0] ?? ''];
    if (!sub) {
      process.stderr.write(`rwinsta-bot ${verb}: unknown subcommand "${rest[0] ?? ''}"\n${await usage()}\n`);
      return 2;
    }
    return sub.run(env, rest.slice(1), process.stdout);
  }
  const config = readAppConfig(env);
  switch (verb) {
    case 'start':
      await requireAuditFile(config);
      return start(config, env, stderrLogger());
    case 'check-config': {
      const { values } = parseArgs({ args: rest, options: { online: { type: 'boolean', default: false } } });
      const r = await checkConfig(config, env, { online: values.online ?? false });
      process.stdout.write(`${r.output}\n`);
      for (const p of r.problems) process.stderr.write(`problem: ${p}\n`);
      const n = r.problems.length;
      process.stdout.write(n === 0 ? 'Configuration OK.\n' : `Configuration has ${n} problem${n === 1 ? '' : 's'} (see above).\n`);
      if (r.hung) await exitNow(1, true);
      return n === 0 ? 0 : 1;
    }
    case 'exec': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { as: { type: 'string' }, yes: { type: 'boolean', short: 'y', default: false }, stream: { type: 'boolean', default: false } },
      });
      const command = positionals.join(' ').trim();
      if (!command) {
        process.stderr.write(`rwinsta-bot exec: give the command to run, e.g. rwinsta-bot exec "qwinsta rds01"\n`);
        return 2;
      }
      const as = values.as ?? config.consoleUser;
      const bad = values.as === undefined ? undefined : consoleIdentityProblem(values.as);
      if (bad) {
        process.stderr.write(`rwinsta-bot exec: --as ${bad}\n`);
        return 2;
      }
      await requireAuditFile(config);
      const rt = await buildRuntime(config, stderrLogger(), { sweepExpired: false, env });
      // Ctrl-C while the command runs: the audit log records the action in progress as interrupted.
      const onSignal = (): void => {
        void rt.bot.interruptInFlight('interrupted by a signal to rwinsta-bot exec before the outcome was known').finally(() => {
          process.stderr.write('rwinsta-bot exec: interrupted\n');
          void exitNow(INTERRUPTED_EXIT_CODE, rt.backend.kind === 'wts');
        });
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let code = 4;
      try {
        const stream = values.stream ? (line: string): void => void process.stdout.write(`${line}\n`) : undefined;
        const r = await execCommand(rt.bot, { as, yes: values.yes ?? false, command, ...(stream ? { stream } : {}) });
        process.stdout.write(`${r.output}\n`);
        code = r.exitCode;
      } finally {
        await finish(code, await rt.close());
      }
      return code;
    }
    default:
      process.stderr.write(`rwinsta-bot: unknown command "${verb}"\n${await usage()}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`rwinsta-bot: configuration error: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (e instanceof Error && e.name === 'TypeError' && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`rwinsta-bot: ${e.message}\n${await usage()}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`rwinsta-bot: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
