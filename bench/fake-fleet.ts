import { buildFakeWts } from '../test/native/build-fakewts.js';
import { FakeWtsControl } from '../test/native/fake-wts-control.js';

export interface FakeFleet {
  lib: string;
  fake: FakeWtsControl;
  servers: string[];
  hung: string[];
}

/**
 * N servers answering a user search in `latencyMs` each (one enumeration and three queries for
 * the one user session), with `hung` of them spread evenly through the list and never answering.
 * jdoe is on every 50th server, or on server `onlyMatchAt` alone.
 */
export function fakeFleet(n: number, hung: number, latencyMs: number, o: { onlyMatchAt?: number } = {}): FakeFleet {
  const lib = buildFakeWts('linux');
  const fake = new FakeWtsControl(lib);
  fake.releaseHangs();
  fake.reset();
  const servers: string[] = [];
  const hungNames: string[] = [];
  const every = hung > 0 ? Math.floor(n / hung) : Infinity;
  for (let i = 0; i < n; i++) {
    const name = `srv${String(i).padStart(4, '0')}`;
    servers.push(name);
    if (hungNames.length < hung && i % every === Math.floor(every / 2)) {
      fake.server(name, { hang: true });
      hungNames.push(name);
      continue;
    }
    fake.server(name, { latencyMs: Math.round(latencyMs / 4) });
    fake.session(name, { id: 0, state: 4, station: 'services' });
    fake.session(name, { id: 65536, state: 6, station: 'rdp-tcp' });
    fake.session(name, { id: 2, state: 0, station: 'RDP-Tcp#2', user: (o.onlyMatchAt === undefined ? i % 50 === 0 : i === o.onlyMatchAt) ? 'jdoe' : `user${i}`, domain: 'CORP', client: 'WS', address: '10.0.0.1', logonMinutesAgo: 60, idleMinutes: 1 });
  }
  return { lib, fake, servers, hung: hungNames };
}
