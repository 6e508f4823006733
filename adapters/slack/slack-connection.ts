import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../src/core/index.js';
import { ConfigError } from '../../src/config/config-error.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackConfig } from './config.js';
import { futureTimestampProblem } from './request-timestamp.js';
import { describeError, platformError, type BotIdentity } from './web-client.js';

/** The path of the Request URL in HTTP mode, for commands and buttons alike. */
export const HTTP_PATH = '/slack/events';

// What apps.connections.open answers when the app-level token itself is wrong.
const APP_TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/** One Bolt app and the way Slack reaches it: a Socket Mode websocket, or a listener for the Request URL. */
export interface SlackConnection {
  readonly app: App;
  /** HTTP mode: the port listened on (SLACK_PORT=0 picks a free one). */
  readonly httpPort: number | undefined;
  /** Socket Mode: opens a fresh websocket after a loss (a new URL from apps.connections.open). */
  reopen(): Promise<void>;
  /** No new deliveries: the websocket closes, the listener stops accepting; requests under way finish. */
  stopIntake(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  config: SlackConfig;
  me: BotIdentity;
  log: Logger;
  /** Registers the adapter's listeners on the new app. */
  wire(app: App): void;
  /** Socket Mode: the websocket closed without being asked to (Slack's refresh request, a network loss). */
  onLost(why: string): void;
  now?: () => number;
}

/** Opens the connection the configuration asks for. Throws ConfigError when a setting is at fault (not retried). */
export async function openSlackConnection(o: OpenOptions): Promise<SlackConnection> {
  return o.config.mode === 'socket' ? openSocket(o) : openHttp(o);
}

function appOptions(o: OpenOptions) {
  const c = o.config;
  return {
    token: c.botToken,
    // Known already, so Bolt does not call auth.test again (and cannot fail on it later).
    botId: o.me.botId,
    botUserId: o.me.botUserId,
    logger: boltLogger(o.log),
    clientOptions: { slackApiUrl: c.apiUrl },
    convoStore: false as const,
  };
}

async function openSocket(o: OpenOptions): Promise<SlackConnection> {
  const c = o.config;
  const receiver = new SocketModeReceiver({
    appToken: c.appToken ?? '',
    logger: boltLogger(o.log),
    // Reconnection is the adapter's (capped backoff, logged, reported at /readyz), not the client's,
    // which gives up for good after one failed apps.connections.open.
    autoReconnectEnabled: false,
    installerOptions: { clientOptions: { slackApiUrl: c.apiUrl, retryConfig: { retries: 0 } } },
  });
  const app = new App({ ...appOptions(o), receiver });
  o.wire(app);
  const client = receiver.client;
  let intentional = false;
  let connected = false;
  client.on('connected', () => (connected = true));
  client.on('disconnected', () => {
    const was = connected;
    connected = false;
    if (was && !intentional) o.onLost('the Socket Mode connection closed');
  });
  const start = async (): Promise<void> => {
    intentional = false;
    try {
      await client.start();
    } catch (e) {
      intentional = true;
      await client.disconnect().catch(() => undefined);
      const code = platformError(e);
      if (code && APP_TOKEN_ERRORS.has(code)) {
        throw new ConfigError('SLACK_APP_TOKEN', `Slack rejected it (${code}); create an app-level token with connections:write (Basic Information → App-Level Tokens)`);
      }
      throw new Error(`apps.connections.open or the websocket failed: ${describeError(e) || 'closed'}`);
    }
  };
  await start();
  return {
    app,
    httpPort: undefined,
    reopen: start,
    async stopIntake() {
      intentional = true;
      await client.disconnect();
    },
    async close() {
      intentional = true;
      await client.disconnect();
    },
  };
}

async function openHttp(o: OpenOptions): Promise<SlackConnection> {
  const c = o.config;
  const receiver = new HTTPReceiver({ signingSecret: c.signingSecret ?? '', endpoints: HTTP_PATH, logger: boltLogger(o.log) });
  const app = new App({ ...appOptions(o), receiver });
  o.wire(app);
  const now = o.now ?? Date.now;
  const server = createServer((req, res) => {
    const future = futureTimestampProblem(req, now());
    if (future) {
      o.log.warn(`slack: refused a request to ${req.url ?? ''}: ${future}`);
      res.writeHead(401).end();
      req.resume();
      return;
    }
    try {
      receiver.requestListener(req, res);
    } catch {
      // A path or method Bolt does not serve.
      res.writeHead(404).end();
      req.resume();
    }
  });
  await listen(server, c);
  return {
    app,
    httpPort: (server.address() as AddressInfo).port,
    async reopen() {
      // A listener does not drop: nothing to reopen.
    },
    async stopIntake() {
      server.close();
      server.closeIdleConnections();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function listen(server: Server, c: SlackConfig): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(c.port, c.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw new ConfigError('SLACK_PORT', `cannot listen on port ${c.port} (${e.code}): choose a free port`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
      throw new ConfigError('SLACK_HOST', `cannot listen on "${c.host}" (${e.code}): give an address of this host, e.g. 0.0.0.0 or 127.0.0.1`);
    }
    throw e;
  });
}
