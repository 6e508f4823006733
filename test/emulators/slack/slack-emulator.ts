import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockActionsPayload, slashCommandPayload, viewSubmissionPayload, type ButtonPress, type SlashCommand } from './payloads.js';
import { signSlackRequest } from './signing.js';
import { SocketModeServer, type Ack } from './socket-mode.js';
import { SlackWebApi } from './web-api.js';
import { readBody } from '../read-body.js';

export { EMULATOR_TOKENS, BOT, type ApiCall, type StoredMessage } from './web-api.js';
export type { Ack } from './socket-mode.js';
export type { ButtonPress, SlashCommand } from './payloads.js';
export type { OpenedView } from './web-api.js';

export interface Delivery {
  /** Where the app's answers to this envelope arrive. */
  responseId: number;
  ack: Promise<Ack>;
}

/**
 * A local Slack on 127.0.0.1: the Web API methods the bot calls, response_url endpoints, and a
 * Socket Mode websocket that delivers slash commands and button presses and times their acks.
 */
export class SlackEmulator {
  readonly api: SlackWebApi;
  readonly socket: SocketModeServer;
  private server: Server | undefined;

  constructor() {
    this.socket = new SocketModeServer(() => this.baseUrl);
    this.api = new SlackWebApi(() => this.socket.issueUrl());
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Web API base URL to give the bot (SLACK_API_URL). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      readBody(req).then(
        (body) => this.api.handle(req, res, body),
        () => res.destroy(),
      );
    });
    this.server.on('upgrade', (req, socket, head: Buffer) => this.socket.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await this.socket.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  connected(count = 1): Promise<void> {
    return this.socket.connected(count);
  }

  callsTo(method: string): ReturnType<SlackWebApi['callsTo']> {
    return this.api.callsTo(method);
  }

  newResponseUrl(): { id: number; url: string } {
    return this.api.newResponseUrl(this.baseUrl);
  }

  /** Resolves with the posts on a response_url once there are `count` of them. */
  async waitForResponses(id: number, count = 1, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.api.responses.get(id) ?? [];
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`response_url ${id}: ${got.length} of ${count} posts after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Delivers a slash command over Socket Mode. */
  sendSlashCommand(c: SlashCommand): Delivery {
    const { id, url } = this.newResponseUrl();
    return { responseId: id, ack: this.socket.send('slash_commands', slashCommandPayload(c, url), true) };
  }

  /** Delivers a button press (block_actions) over Socket Mode. */
  sendButton(p: ButtonPress): Delivery {
    const { id, url } = this.newResponseUrl();
    return { responseId: id, ack: this.socket.send('interactive', blockActionsPayload(p, url), false) };
  }

  /** Submits a modal the bot opened (views.open), with what the user typed in it. */
  submitView(userId: string, opened: { id: string; view: Record<string, unknown> }, values: Record<string, Record<string, string | null>>, userName?: string): Promise<Ack> {
    return this.socket.send('interactive', viewSubmissionPayload({ user_id: userId, ...(userName ? { user_name: userName } : {}), view: opened.view, viewId: opened.id, values }), true);
  }

  dropSocket(): void {
    this.socket.drop();
  }

  askToRefresh(): void {
    this.socket.askToRefresh();
  }

  static sign(secret: string, body: string, timestamp?: number): Record<string, string> {
    return signSlackRequest(secret, body, timestamp);
  }
}
