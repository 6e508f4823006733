// Lists a server's processes through the real binding, as the built app would, and prints them as
// JSON: the Windows suite runs it with node.exe under Wine until the CLI has a qprocess verb.
// Usage: node list-processes.mjs <server> [session]
import { createWtsBackend } from './dist/src/wts/koffi/index.js';

const [server = '', session] = process.argv.slice(2);
const backend = createWtsBackend({ timeoutMs: 15_000, threads: 1, maxAbandonedThreads: 1 });
let answer;
try {
  const processes = await backend.listProcesses(server, session === undefined ? undefined : Number(session));
  answer = { ok: true, processes };
} catch (e) {
  answer = { ok: false, code: e.code, operation: e.operation, message: e.message };
}
await backend.close();
process.stdout.write(`${JSON.stringify(answer)}\n`);
