import { performance } from 'node:perf_hooks';

export type AckPlatform = 'slack' | 'discord';

/**
 * Told how long each chat payload took from reaching the adapter to being acknowledged (Slack's
 * ack, Discord's defer), for the ack latency histogram. The app passes its metrics as one.
 */
export interface AckObserver {
  acked(platform: AckPlatform, ms: number): void;
}

/** Starts the clock for one payload; call the result once it is acknowledged. Nothing without an observer. */
export function ackTimer(observer: AckObserver | undefined, platform: AckPlatform): () => void {
  if (!observer) return () => undefined;
  const start = performance.now();
  return () => observer.acked(platform, performance.now() - start);
}
