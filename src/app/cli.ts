#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { execCommand } from '../../adapters/console/exec.js';
import { ADAPTERS } from './adapters-registry.js';
import { checkConfig } from './check-config.js';
import { readAppConfig } from '../config/app-config.js';
import { ConfigError } from '../config/config-error.js';
import { loadEnv } from './load-env.js';
import { stderrLogger } from './log.js';
import { buildRuntime } from './runtime.js';
import { start } from './start.js';
import { finish } from './finish.js';

const USAGE = `Usage:
  rwinsta-bot [start]                              run the chat adapters whose tokens are set, else the console
  rwinsta-bot exec [--as <name>] [--yes] "<command>"   run one command, print the result
  rwinsta-bot check-config                         validate the environment and the access file
${ADAPTERS.flatMap((a) => Object.entries(a.subcommands ?? {}).map(([sub, c]) => `  rwinsta-bot ${a.name} ${sub}`.padEnd(51) + c.description)).join('\n')}
exec exit codes: 0 done, 1 cancelled, 2 usage error, 3 denied, 4 failed, 5 needs confirmation (add --yes)`;

async function main(argv: string[]): Promise<number> {
  const [verb = 'start', ...rest] = argv;
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const env = loadEnv();
  const adapter = ADAPTERS.find((a) => a.name === verb);
  if (adapter) {
    const sub = adapter.subcommands?.[rest[0] ?? ''];
    if (!sub) {
      process.stderr.write(`rwinsta-bot ${verb}: unknown subcommand "${rest[0] ?? ''}"\n${USAGE}\n`);
      return 2;
    }
    return sub.run(env, rest.slice(1), process.stdout);
  }
  const config = readAppConfig(env);
  switch (verb) {
    case 'start':
      return start(config, env, stderrLogger());
    case 'check-config': {
      const r = await checkConfig(config, env);
      process.stdout.write(`${r.output}\n${r.ok ? 'Configuration OK.' : 'Configuration has problems (see above).'}\n`);
      return r.ok ? 0 : 1;
    }
    case 'exec': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { as: { type: 'string' }, yes: { type: 'boolean', short: 'y', default: false } },
      });
      const command = positionals.join(' ').trim();
      if (!command) {
        process.stderr.write(`rwinsta-bot exec: give the command to run, e.g. rwinsta-bot exec "qwinsta rds01"\n`);
        return 2;
      }
      const rt = await buildRuntime(config, stderrLogger(), { sweepExpired: false });
      let code = 4;
      try {
        const r = await execCommand(rt.bot, { as: values.as ?? config.consoleUser, yes: values.yes ?? false, command });
        process.stdout.write(`${r.output}\n`);
        code = r.exitCode;
      } finally {
        await finish(code, await rt.close());
      }
      return code;
    }
    default:
      process.stderr.write(`rwinsta-bot: unknown command "${verb}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`rwinsta-bot: configuration error: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (e instanceof Error && e.name === 'TypeError' && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`rwinsta-bot: ${e.message}\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`rwinsta-bot: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
