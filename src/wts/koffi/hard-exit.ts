import koffi from 'koffi';

/**
 * Ends the process now, even while a thread is blocked inside a hung RPC call. Node's own exit
 * joins every worker thread, which waits until RPC gives up (tens of seconds). ExitProcess ends the
 * other threads first, then lets DLLs detach; _exit skips atexit work. Output must be flushed first.
 */
export function exitDespiteHungCalls(code: number): never {
  if (process.platform === 'win32') {
    const kernel32 = koffi.load('kernel32.dll');
    kernel32.func('__stdcall', 'ExitProcess', 'void', ['uint32'])(code);
  } else {
    const libc = koffi.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : 'libc.so.6');
    libc.func('void _exit(int)')(code);
  }
  throw new Error('unreachable: the process should have exited');
}
