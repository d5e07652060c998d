/**
 * Stoat worst cases that could be super-linear, at growing sizes (exponent must
 * stay ≤ 1.2): MessagePack shape check and decode of wide and deep frames,
 * deep JSON Bulk nesting and wide Bulks through the session step, and the cache
 * operations that walk collections (Ready, own removal from a server, role
 * deletion, bulk message deletion).
 * `node --expose-gc --import tsx bench/linearity-stoat.ts` (GC between sizes; steadier).
 */
import { encode } from '@msgpack/msgpack';
import { emptyStoatCache, initialSession, parseBinary, parseText, reduceStoatCache, stepSession, type StoatCache, type StoatEvent } from '../src/gateway/stoat';
import { stoatMessageFixture, stoatReadyFixture } from '../src/testing/stoat';
import { measureLinearity, reportLinearity, type LinearityCase } from './linearity';

const session = stepSession(initialSession({ authenticate: false, token: 'linearity-token', pingInterval: 1e9, pongTimeout: 1e9, readyTimeout: 1e9, hadReady: false }), { kind: 'Open', url: 'ws://x' })[0];
const step = (frame: unknown): unknown => stepSession(session, { kind: 'Frame', frame, raw: frame })[1].length;
const sizes = [2_000, 4_000, 8_000, 16_000, 32_000];
const ready = stoatReadyFixture();
const SERVER = ready.servers[0]._id;
const ME = ready.users[0]._id;

function readyWith(n: number): StoatEvent {
  const members = Array.from({ length: n }, (_, i) => ({ _id: { server: SERVER, user: `u${i}` }, joined_at: '2025-01-01T00:00:00.000Z', roles: ['role-x'] }));
  members.push({ _id: { server: SERVER, user: ME }, joined_at: '2025-01-01T00:00:00.000Z', roles: [] });
  const users = [...ready.users, ...Array.from({ length: n }, (_, i) => ({ _id: `u${i}`, username: `u${i}`, discriminator: '0001', relationship: 'None' as const, online: false }))];
  return { source: 'stoat', type: 'Ready', reconnect: false, data: { ...ready, users, members } };
}
const cached = (n: number): StoatCache => reduceStoatCache(emptyStoatCache(n * 2), readyWith(n));

const cases: LinearityCase[] = [
  {
    name: 'msgpack: flat array of n maps (shape+decode)',
    sizes,
    make: (n) => encode(Array.from({ length: n }, (_, i) => ({ type: 'ChannelStartTyping', id: `c${i}`, user: 'u' }))),
    run: (b) => parseBinary(b as Uint8Array),
  },
  {
    name: 'msgpack: n/100 sibling 100-deep nests',
    sizes: sizes.map((s) => s * 8),
    make: (n) => {
      const nest = new Uint8Array(100).fill(0x91);
      nest[99] = 0x90;
      const count = Math.floor(n / 100);
      const b = new Uint8Array(5 + count * 100);
      b.set([0xdd, (count >>> 24) & 0xff, (count >>> 16) & 0xff, (count >>> 8) & 0xff, count & 0xff]);
      for (let i = 0; i < count; i++) b.set(nest, 5 + i * 100);
      return b;
    },
    run: (b) => parseBinary(b as Uint8Array),
  },
  {
    name: 'msgpack: n nested fixarrays (refused)',
    sizes: sizes.map((s) => s * 64),
    make: (n) => {
      const b = new Uint8Array(n).fill(0x91);
      b[n - 1] = 0x90;
      return b;
    },
    run: (b) => parseBinary(b as Uint8Array),
  },
  {
    name: 'json: Bulk nested n deep (session)',
    sizes,
    make: (n) => '{"type":"Bulk","v":['.repeat(n) + '{"type":"ChannelStartTyping","id":"c","user":"u"}' + ']}'.repeat(n),
    run: (text) => {
      const p = parseText(text as string);
      return p.ok ? step(p.frame) : 0;
    },
  },
  {
    name: 'session: Bulk of n messages',
    sizes,
    make: (n) => ({ type: 'Bulk', v: Array.from({ length: n }, () => ({ type: 'Message', ...stoatMessageFixture('x') })) }),
    run: step,
  },
  { name: 'cache: Ready with n members', sizes, make: readyWith, run: (e) => reduceStoatCache(emptyStoatCache(), e as StoatEvent) },
  {
    name: 'cache: own removal from a server of n members',
    sizes,
    make: (n) => cached(n),
    run: (c) => reduceStoatCache(c as StoatCache, { source: 'stoat', type: 'ServerMemberRemove', data: { id: SERVER, user: ME, reason: 'Kick' } }),
  },
  {
    name: 'cache: ServerRoleDelete over n members',
    sizes,
    make: (n) => cached(n),
    run: (c) => reduceStoatCache(c as StoatCache, { source: 'stoat', type: 'ServerRoleDelete', data: { id: SERVER, role_id: 'role-x' } }),
  },
  {
    name: 'cache: MessageDeleteBulk of n cached ids',
    sizes,
    make: (n) => {
      let c = emptyStoatCache(n * 4);
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const m = stoatMessageFixture('x');
        ids.push(m._id);
        c = reduceStoatCache(c, { source: 'stoat', type: 'MessageCreate', data: m });
      }
      return { c, ids };
    },
    run: (x) => {
      const { c, ids } = x as { c: StoatCache; ids: string[] };
      return reduceStoatCache(c, { source: 'stoat', type: 'MessageDeleteBulk', data: { channel: 'c', ids } });
    },
  },
];

// Collect garbage before each size (run with --expose-gc) so a major GC of the previous size is not timed.
const gc = (globalThis as { gc?: () => void }).gc;
const settled = (c: LinearityCase): LinearityCase => ({ ...c, make: (n) => { const input = c.make(n); gc?.(); return input; } });
reportLinearity(cases.map((c) => measureLinearity(settled(c), 7)));
