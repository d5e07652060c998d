import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, AckPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import * as t from 'io-ts';
import { firstValueFrom, from, lastValueFrom, Subject, take, toArray } from 'rxjs';
import { fromJetStream, handled, holdLease, toJetStream, type Delivery } from '../../src/jetstream';
import { eventually, startNatsServer, type NatsServer } from '../../src/testing/nats/server';

type Ev = { source: string; type: string; data: Record<string, unknown>; shard?: number; seq?: number };

let server: NatsServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
}, 30_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

let n = 0;
async function freshStream(): Promise<{ stream: string; prefix: string }> {
  n++;
  const stream = `EV${n}`;
  const prefix = `rx${n}`;
  await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], duplicate_window: 60_000_000_000 });
  return { stream, prefix };
}

async function durable(stream: string, name: string, ackWaitMs = 1000): Promise<void> {
  await jsm.consumers.add(stream, { durable_name: name, ack_policy: AckPolicy.Explicit, ack_wait: ackWaitMs * 1_000_000 });
}

const discord = (shard: number, seq: number, content: string): Ev => ({ source: 'discord', type: 'MessageCreate', shard, seq, data: { content } });
const ready = (shard: number, session: string): Ev => ({ source: 'discord', type: 'Ready', shard, data: { session_id: session } });

describe('toJetStream against a real nats-server', () => {
  it('publishes per source/partition/type subjects, in order, acked, and republishing the same events stores nothing twice', async () => {
    const { stream, prefix } = await freshStream();
    const events = [ready(0, 's1'), discord(0, 1, 'a'), discord(0, 2, 'b'), { source: 'mailtm', type: 'NewMessage', data: { id: 'm-1' } }];
    const first = await lastValueFrom(from(events).pipe(toJetStream(js, { subject: prefix }), toArray()));
    expect(first.map((p) => p.subject)).toEqual([`${prefix}.discord.0.Ready`, `${prefix}.discord.0.MessageCreate`, `${prefix}.discord.0.MessageCreate`, `${prefix}.mailtm.NewMessage`]);
    expect(first.map((p) => p.messageId)).toEqual([undefined, 'discord:s1:1', 'discord:s1:2', 'mailtm:m-1']);
    expect(first.map((p) => p.ack?.seq)).toEqual([1, 2, 3, 4]);
    // A second worker (after a takeover) republishes the same span: only the id-less Ready is new.
    const again = await lastValueFrom(from(events).pipe(toJetStream(js, { subject: prefix }), toArray()));
    expect(again.map((p) => p.ack?.duplicate)).toEqual([false, true, true, true]);
    expect((await jsm.streams.info(stream)).state.messages).toBe(5);
  });

  it('keeps publishing through a nats-server restart: every event stored exactly once, in order', async () => {
    const { stream, prefix } = await freshStream();
    const input = new Subject<Ev>();
    const done: number[] = [];
    const sub = input.pipe(toJetStream(js, { subject: prefix, timeout: 500 })).subscribe((p) => done.push((p.event as Ev).seq ?? -1));
    input.next(ready(0, 'sx'));
    // Events keep coming every 5 ms while the server goes down and comes back.
    let i = 0;
    const producer = setInterval(() => {
      if (i < 200) input.next(discord(0, ++i, `m${i}`));
    }, 5);
    await eventually('50 acks', () => done.length > 50);
    await server.restart();
    await eventually('every ack after the restart', () => done.length === 201, 30_000);
    clearInterval(producer);
    sub.unsubscribe();
    expect(done.slice(1)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const info = await jsm.streams.info(stream);
    expect(info.state.messages).toBe(201);
  }, 60_000);
});

describe('fromJetStream + handled against a real nats-server', () => {
  it('delivers typed events, acks after the handler, redelivers what failed, and turns malformed messages into DecodeError events', async () => {
    const { stream, prefix } = await freshStream();
    await durable(stream, 'c1', 500);
    await lastValueFrom(from([discord(1, 1, 'one'), discord(1, 2, 'two')]).pipe(toJetStream(js, { subject: prefix })));
    await js.publish(`${prefix}.discord.1.MessageCreate`, '{not json');
    await js.publish(`${prefix}.discord.1.MessageCreate`, JSON.stringify({ source: 'discord', type: 'MessageCreate', data: { content: 42 } }));
    const codecs = { MessageCreate: t.type({ content: t.string }) };
    let failOnce = true;
    const seen: string[] = [];
    const out = await firstValueFrom(
      fromJetStream<Ev>(js, { stream, consumer: 'c1', codecs }).pipe(
        handled((e, d: Delivery<Ev>) => {
          const label = e.type === 'DecodeError' ? `DecodeError:${(e.data.errors as string[])[0]?.split(':')[0]}` : String((e as Ev).data.content);
          seen.push(`${label}${d.redelivered ? ' (again)' : ''}`);
          if (label === 'two' && failOnce) {
            failOnce = false;
            throw new Error('handler failed');
          }
          return label;
        }, { nakDelay: 10 }),
        take(4),
        toArray(),
      ),
    );
    expect(out).toEqual(['one', 'DecodeError:message', 'DecodeError:MessageCreate.content', 'two']);
    expect(seen).toContain('two');
    expect(seen).toContain('two (again)');
    // Everything was acked: nothing is pending or redelivered later.
    await eventually('no pending acks', async () => (await jsm.consumers.info(stream, 'c1')).num_ack_pending === 0);
    expect((await jsm.consumers.info(stream, 'c1')).num_pending).toBe(0);
  }, 30_000);
});

describe('holdLease against a real nats-server', () => {
  it('two processes (connections) compete: one holds, the other is refused while it renews and takes over when it leaves', async () => {
    const kvm = new Kvm(nc);
    const kvA = await kvm.create('leases1', { ttl: 1500 });
    const other = await connect({ servers: server.url });
    try {
      const kvB = await new Kvm(other).create('leases1', { ttl: 1500 });
      const a: boolean[] = [];
      const b: boolean[] = [];
      const subA = holdLease(kvA, 'shard.0', { ttl: 1500, owner: 'a' }).subscribe((h) => a.push(h));
      await eventually('a holds', () => a[0] === true);
      let triesB = 0;
      const countingB: typeof kvB = Object.assign(Object.create(kvB) as typeof kvB, {
        create: (k: string, v: string | Uint8Array) => {
          triesB++;
          return kvB.create(k, v);
        },
      });
      const subB = holdLease(countingB, 'shard.0', { ttl: 1500, interval: 100, owner: 'b' }).subscribe((h) => b.push(h));
      await eventually('b to try three times', () => triesB >= 3);
      expect(b).toEqual([]); // refused while a holds and renews
      subA.unsubscribe(); // a leaves: releases its entry
      await eventually('b takes over', () => b[0] === true, 5000);
      expect(new TextDecoder().decode((await kvA.get('shard.0'))?.value)).toBe('b');
      subB.unsubscribe();
    } finally {
      await other.close();
    }
  }, 30_000);
});
