import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool, requireOrSkip } from '../native/build-fakewts.js';

/** Whether to skip the Redis suites: only where redis-server is missing and RWINSTA_REQUIRE_ALL_SUITES is unset. */
export const skipWithoutRedis = (): boolean => requireOrSkip('redis-server (Debian package redis-server)', hasTool('redis-server'));

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/**
 * A throwaway redis-server on 127.0.0.1: no persistence, its files in a temporary directory. The
 * test can pause it (SIGSTOP, like a hung host), resume it, kill it and start it again on the same port.
 */
export class RedisServer {
  private proc: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'rwinsta-redis-'));
  port = 0;

  constructor(private readonly extraArgs: (port: number, dir: string) => string[] = () => []) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    if (!this.port) this.port = await freePort();
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, ...this.extraArgs(this.port, this.dir)];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    this.proc = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (b: Buffer): void => {
        output += b.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
      proc.once('error', reject);
    });
    proc.stdout?.removeAllListeners('data').resume();
    proc.stderr?.removeAllListeners('data').resume();
    proc.removeAllListeners('exit').removeAllListeners('error');
    return this;
  }

  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  /** Ends the server the hard way (kill -9), keeping the port for a restart. */
  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGCONT');
    p.kill(signal);
    await exited;
    running.delete(p);
  }
}
