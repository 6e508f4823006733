import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../config/config-error.js';
import { readInt, readString, type Env } from '../config/env-readers.js';
import type { Logger } from '../core/logger.js';
import { runReadinessChecks, type ReadinessCheck } from './readiness.js';

export interface HealthConfig {
  host: string;
  port: number;
}

/** RWINSTA_HTTP_PORT turns the endpoints on (off when unset); RWINSTA_HTTP_HOST widens where they listen. */
export function readHealthConfig(env: Env): HealthConfig | undefined {
  if (readString(env, 'RWINSTA_HTTP_PORT') === undefined) return undefined;
  return { port: readInt(env, 'RWINSTA_HTTP_PORT', 0, 1, 65_535), host: readString(env, 'RWINSTA_HTTP_HOST') ?? '127.0.0.1' };
}

/** What /metrics serves: BotMetrics is one. */
export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

export interface HealthServerOptions extends HealthConfig {
  checks: readonly ReadinessCheck[];
  metrics?: MetricsSource;
  log: Logger;
  /** Longest a readiness check may take before it counts as failing. */
  checkTimeoutMs?: number;
}

export interface HealthServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * /healthz: the process is alive. /readyz: every readiness check passes (200), or which do not and
 * why (503). /metrics: Prometheus text. GET or HEAD only; nothing here changes anything.
 */
export async function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    handle(req, res, o).catch((e: unknown) => {
      o.log.warn(`health server: ${req.url ?? ''}: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) send(res, req, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await listen(server, o);
  const port = (server.address() as AddressInfo).port;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  o.log.info(`health and metrics on http://${shownHost}:${port}/ (healthz, readyz${o.metrics ? ', metrics' : ''})`);
  return {
    port,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function listen(server: Server, o: HealthServerOptions): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES') throw new ConfigError('RWINSTA_HTTP_PORT', `cannot listen on port ${o.port} (${e.code}): choose a free port`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
      throw new ConfigError('RWINSTA_HTTP_HOST', `cannot listen on "${o.host}" (${e.code}): give an address of this host, e.g. 127.0.0.1 or 0.0.0.0`);
    }
    throw e;
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, o: HealthServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const known = path === '/healthz' || path === '/readyz' || (path === '/metrics' && o.metrics);
  if (!known) return send(res, req, 404, 'text/plain; charset=utf-8', `not found: try /healthz, /readyz${o.metrics ? ' or /metrics' : ''}\n`);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, req, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n');
  }
  if (path === '/healthz') return send(res, req, 200, 'text/plain; charset=utf-8', 'ok\n');
  if (path === '/readyz') {
    const results = await runReadinessChecks(o.checks, o.checkTimeoutMs ?? 2_000);
    const failing = results.filter((r) => r.problem !== undefined);
    const lines = results.map((r) => (r.problem === undefined ? `ok: ${r.name}` : `failing: ${r.name}: ${r.problem}`));
    return send(res, req, failing.length ? 503 : 200, 'text/plain; charset=utf-8', `${failing.length ? 'not ready' : 'ready'}\n${lines.join('\n')}\n`);
  }
  const metrics = o.metrics as MetricsSource;
  return send(res, req, 200, metrics.contentType, await metrics.text());
}

function send(res: ServerResponse, req: IncomingMessage, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
