import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireOrSkip } from '../native/build-fakewts.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Debian's layout: the schemas and the loadable backends slapd.conf names. */
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

export const SUFFIX = 'dc=corp,dc=example';
export const SERVICE = { dn: `uid=svc-rwinsta,ou=services,${SUFFIX}`, password: 'Svc-Passw0rd!' } as const;

/** Debian installs slapd outside a normal user's PATH. */
export function findSlapd(): string | undefined {
  for (const candidate of ['/usr/sbin/slapd', '/usr/local/sbin/slapd', '/usr/local/libexec/slapd']) if (existsSync(candidate)) return candidate;
  return undefined;
}

/** Whether to skip the LDAP suites: only where slapd or openssl is missing and RWINSTA_REQUIRE_ALL_SUITES is unset. */
export const skipWithoutSlapd = (): boolean =>
  requireOrSkip('slapd and openssl (a real LDAP server, with a throwaway certificate, for the identity tests)', findSlapd() !== undefined && existsSync(join(SCHEMA_DIR, 'inetorgperson.schema')) && hasOpenssl());

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A throwaway CA and a certificate for 127.0.0.1 it signed (EC keys: quick to make). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string) => join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=rwinsta-bot test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('server.ext')]);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

/**
 * A real OpenLDAP server for one test file: its own slapd.conf, an mdb database loaded from
 * people.ldif with slapadd, plain LDAP (which also offers StartTLS) and LDAPS on free 127.0.0.1
 * ports, a throwaway certificate. It runs in the foreground with `-d stats`, so the test can count
 * the binds and searches it served. Nothing of the system's slapd is used.
 */
export class Slapd {
  private log = '';

  private constructor(
    private readonly process: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    readonly ldapsPort: number,
    /** The CA that signed the server's certificate (for identity.ldap.caFile). */
    readonly caFile: string,
  ) {
    process.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString('utf8')));
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  get ldapsUrl(): string {
    return `ldaps://127.0.0.1:${this.ldapsPort}`;
  }

  static async start(): Promise<Slapd> {
    const slapd = findSlapd();
    if (!slapd) throw new Error('slapd is not installed');
    const dir = mkdtempSync(join(tmpdir(), 'rwinsta-slapd-'));
    try {
      mkdirSync(join(dir, 'db'));
      const tls = makeCertificates(dir);
      const conf = join(dir, 'slapd.conf');
      writeFileSync(
        conf,
        [
          ...['core', 'cosine', 'inetorgperson'].map((s) => `include ${join(SCHEMA_DIR, `${s}.schema`)}`),
          `include ${join(HERE, 'ad-lite.schema')}`,
          `pidfile ${join(dir, 'slapd.pid')}`,
          `argsfile ${join(dir, 'slapd.args')}`,
          `modulepath ${MODULE_DIR}`,
          'moduleload back_mdb',
          `TLSCACertificateFile ${tls.ca}`,
          `TLSCertificateFile ${tls.cert}`,
          `TLSCertificateKeyFile ${tls.key}`,
          'database mdb',
          'maxsize 10485760',
          `suffix "${SUFFIX}"`,
          `directory ${join(dir, 'db')}`,
          // Only a bound client reads anything, as in AD: a search after a failed bind finds nothing.
          'access to attrs=userPassword by anonymous auth by * none',
          'access to * by users read by * none',
          '',
        ].join('\n'),
      );
      execFileSync(slapd.replace(/slapd$/, 'slapadd'), ['-q', '-f', conf, '-l', join(HERE, 'people.ldif')], { stdio: ['ignore', 'ignore', 'pipe'] });
      for (let attempt = 0; ; attempt++) {
        const [port, ldapsPort] = [await freePort(), await freePort()];
        const child = spawn(slapd, ['-f', conf, '-h', `ldap://127.0.0.1:${port}/ ldaps://127.0.0.1:${ldapsPort}/`, '-d', 'stats'], { stdio: ['ignore', 'ignore', 'pipe'] });
        const server = new Slapd(child, dir, port, ldapsPort, tls.ca);
        if (await server.ready()) return server;
        await server.kill();
        if (attempt >= 2) throw new Error(`slapd did not start:\n${server.log.slice(-2000)}`);
      }
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  private async ready(): Promise<boolean> {
    for (let i = 0; i < 100; i++) {
      if (this.process.exitCode !== null || this.process.signalCode !== null) return false;
      if ((await accepts(this.port)) && (await accepts(this.ldapsPort))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  /** Searches served so far (one `SRCH base=` line each in the stats log). */
  searches(): number {
    return this.log.match(/ SRCH base=/g)?.length ?? 0;
  }

  /** Simple binds attempted so far. */
  binds(): number {
    return this.log.match(/ BIND dn=/g)?.length ?? 0;
  }

  /** The filters of the searches served, as slapd received them. */
  filters(): string[] {
    return [...this.log.matchAll(/ SRCH base="[^"]*" scope=\d+ deref=\d+ filter="(.*)"$/gm)].map((m) => m[1] as string);
  }

  private async kill(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
