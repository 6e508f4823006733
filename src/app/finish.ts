/** Flushes stdout and stderr, then ends the process with `code`, even past threads stuck in hung calls. */
export async function finish(code: number, stuckThreads: number): Promise<void> {
  process.exitCode = code;
  if (stuckThreads === 0) return;
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  const { exitDespiteHungCalls } = await import('../wts/koffi/hard-exit.js');
  exitDespiteHungCalls(code);
}
