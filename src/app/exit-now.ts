/**
 * Ends the process at once, output flushed. `hard`: even while a thread is blocked in a call that never
 * returns (a wtsapi32 call on a worker after Ctrl-C, an open() of the audit file on libuv's pool), which
 * Node's own exit would wait for.
 */
export async function exitNow(code: number, hard: boolean): Promise<never> {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  if (hard) {
    const { exitDespiteHungCalls } = await import('../wts/koffi/hard-exit.js');
    exitDespiteHungCalls(code);
  }
  process.exit(code);
}
