/**
 * Why the wts backend could not make its calls, as a sentence naming the variable to fix, or
 * undefined: loads the library and resolves every function the binding calls (loadWtsApi throws,
 * naming the first missing one).
 */
export async function wtsLibraryProblem(libraryPath: string | undefined): Promise<string | undefined> {
  const { loadWtsApi } = await import('../wts/koffi/library.js');
  try {
    loadWtsApi(libraryPath);
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const missing = /function '([^']+)'/.exec(message)?.[1];
    if (!libraryPath) {
      return `RWINSTA_BACKEND: wts calls wtsapi32.dll, which cannot be used here (${message}); run the bot on Windows, or set RWINSTA_BACKEND=simulated`;
    }
    if (missing) return `RWINSTA_WTS_LIBRARY: ${libraryPath} does not export ${missing}, which the wts backend calls; name a library with every wtsapi32 function the bot uses (see README, "How calls are made")`;
    return `RWINSTA_WTS_LIBRARY: cannot load ${libraryPath} (${message})`;
  }
}
