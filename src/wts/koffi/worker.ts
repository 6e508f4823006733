import { parentPort, workerData } from 'node:worker_threads';
import { NativeFailure, WtsCalls } from './calls.js';
import { loadWtsApi } from './library.js';
import { STOP, type WorkerHello, type WorkerInit, type WtsRequest, type WtsResponse, type WtsValue } from './protocol.js';

// One WTS call at a time, synchronously, on this thread: GetLastError is read where the call failed,
// and a hung server blocks only this thread, never the event loop or libuv's shared pool.
const port = parentPort;
if (!port) throw new Error('the WTS worker must run in a worker thread');

let calls: WtsCalls | undefined;
try {
  calls = new WtsCalls(loadWtsApi((workerData as WorkerInit).libraryPath));
  port.postMessage({ ready: true } satisfies WorkerHello);
} catch (e) {
  port.postMessage({ ready: false, error: e instanceof Error ? e.message : String(e) } satisfies WorkerHello);
}

function run(c: WtsCalls, req: WtsRequest): WtsValue {
  switch (req.op) {
    case 'list':
      return c.listSessions(req.server);
    case 'query':
      return c.querySession(req.server, req.session);
    case 'logoff':
      c.logoff(req.server, req.session);
      return null;
    case 'disconnect':
      c.disconnect(req.server, req.session);
      return null;
    case 'message':
      return c.sendMessage(req.server, req.session, req.message);
    case 'processes':
      return c.listProcesses(req.server, req.session);
  }
}

port.on('message', (req: WtsRequest | typeof STOP) => {
  // Exiting from here, between calls, is safe; being terminated inside koffi aborts the process.
  if (req === STOP) process.exit(0);
  let res: WtsResponse;
  try {
    if (!calls) throw new Error('wtsapi32 is not loaded');
    res = { id: req.id, ok: true, value: run(calls, req) };
  } catch (e) {
    res =
      e instanceof NativeFailure
        ? { id: req.id, ok: false, code: e.code, op: e.op }
        : { id: req.id, ok: false, code: 0, op: req.op, detail: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(res);
});
