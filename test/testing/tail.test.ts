/**
 * `rxwire tail`, spawned as users run it (node --import tsx src/cli/main.ts):
 * --local for every source prints NDJSON events and exits 0; --type filters;
 * --record writes a recording without the secret (and a mailtm one replays
 * through mailtm() in virtual time); secrets are refused on argv.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTail } from '../../src/cli/tail';
import { filter, takeWhile } from 'rxjs';
import { mailtm } from '../../src/mailtm';
import { marblesOf, parseRecording, replayMailtmTransport } from '../../src/testing/record';

const root = path.resolve(__dirname, '..', '..');
const main = path.join(root, 'src', 'cli', 'main.ts');

interface Run {
  code: number;
  lines: Array<{ source: string; type: string; data?: Record<string, unknown> }>;
  stderr: string;
}

function tail(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', main, 'tail', ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 25_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const lines = stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Run['lines'][number]);
      resolve({ code, lines, stderr });
    });
  });
}

const expected: Record<string, string[]> = {
  discord: ['Ready', 'GuildCreate', 'MessageCreate'],
  stoat: ['Ready', 'ChannelStartTyping', 'MessageCreate'],
  mezon: ['Ready', 'MessageTypingEvent', 'ChannelMessage'],
  mailtm: ['NewAccountCreated', 'AccountSwitched', 'NewMessage'],
  imap: ['MailboxSelected', 'IdleStarted', 'NewMessages'],
};

// the five --local runs start together (each spawn mostly waits on tsx and its server)
const runs = new Map<string, Promise<Run>>();
beforeAll(() => {
  for (const source of Object.keys(expected)) runs.set(source, tail([source, '--local']));
});

test.each(Object.keys(expected))('tail %s --local streams NDJSON events and exits 0', async (source) => {
  const r = await (runs.get(source) as Promise<Run>);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.lines.every((l) => l.source === source)).toBe(true);
  const types = r.lines.map((l) => l.type);
  for (const t of expected[source]) expect(types).toContain(t);
  expect(types.at(-1)).toBe(expected[source].at(-1));
});

test('--type filters (repeatable) and --record writes a recording without the secret', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxwire-tail-'));
  const file = path.join(dir, 'discord.ndjson');
  const r = await tail(['discord', '--local', '--type', 'MessageCreate', '--type', 'Ready', '--record', file]);
  expect(r.code).toBe(0);
  expect(r.lines.map((l) => l.type)).toEqual(['Ready', 'MessageCreate', 'MessageCreate']);
  const rec = parseRecording(fs.readFileSync(file, 'utf8'));
  expect(rec[0].dir).toBe('open');
  const identify = rec.find((l) => l.dir === 'out' && l.data.includes('"op":2'));
  expect(identify?.data).toContain('"token":"***"');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('tail mailtm --record writes HTTP and SSE lines without the password, and they replay through mailtm()', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rxwire-tail-'));
  const file = path.join(dir, 'mailtm.ndjson');
  const r = await tail(['mailtm', '--local', '--record', file]);
  expect(r.code).toBe(0);
  const text = fs.readFileSync(file, 'utf8');
  fs.rmSync(dir, { recursive: true, force: true });
  expect(text).not.toContain('tail-password');
  const rec = parseRecording(text);
  expect(rec.filter((l) => l.channel === 'http' && l.dir === 'out').map((l) => `${l.method} ${l.url}`)).toEqual(expect.arrayContaining(['POST /accounts', 'POST /token']));
  expect(rec.some((l) => l.channel === 'sse' && l.dir === 'open')).toBe(true);
  const diagram = marblesOf(
    () =>
      mailtm({ baseUrl: 'http://replay.invalid', credentials: { address: 'tail@rxwire.test', password: 'not-the-password' }, transport: replayMailtmTransport(rec), push: true }).events$.pipe(
        filter((e) => e.type === 'NewMessage'),
        takeWhile(() => false, true),
      ),
    { until: 120_000 },
  );
  expect(Object.values(diagram.values)).toEqual([expect.objectContaining({ type: 'NewMessage', data: expect.objectContaining({ subject: 'hello from the local Mail.tm' }) })]);
});

test('secrets are refused on argv and read from the named environment variable only (in process)', async () => {
  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTail(['tail', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), env });
    return { code, out, err: err.join('\n') };
  };
  const onArgv = await run(['discord', '--token', 'abc']);
  expect(onArgv.code).toBe(2);
  expect(onArgv.err).toMatch(/--token-env NAME/);
  expect(onArgv.err).not.toContain('abc');
  const unset = await run(['discord', '--token-env', 'RXWIRE_TAIL_TEST_UNSET']);
  expect(unset.code).toBe(2);
  expect(unset.err).toMatch(/RXWIRE_TAIL_TEST_UNSET .*not set/);
  expect((await run(['nosuch'])).err).toMatch(/unknown source/);
  expect((await run(['imap', '--limit', '0'])).code).toBe(2);
});

test('--limit stops a stream after N printed events (in process)', async () => {
  const out: string[] = [];
  const code = await runTail(['tail', 'stoat', '--local', '--limit', '2'], { out: (l) => out.push(l), err: () => undefined });
  expect(code).toBe(0);
  expect(out.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['BeforeConnect', 'AfterConnect']);
});
