/**
 * Events through JetStream (publish with ack via toJetStream, consume with ack
 * via fromJetStream + handled) vs the same events handed over directly
 * in-process, and latency source → consumer (p50/p99) on loopback.
 * Starts its own nats-server (Debian's package). Prints figures; asserts nothing.
 */
import { connect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { from, lastValueFrom, Subject, take, toArray } from 'rxjs';
import { fromJetStream, handled, toJetStream } from '../src/jetstream';
import { startNatsServer } from '../src/testing/nats/server';

const N = Number(process.env.N ?? 20_000);
type Ev = { source: string; type: string; shard: number; seq: number; data: { content: string; t: number } };
const event = (i: number): Ev => ({ source: 'discord', type: 'MessageCreate', shard: 0, seq: i, data: { content: 'x'.repeat(200), t: 0 } });

async function main(): Promise<void> {
  const server = await startNatsServer();
  const nc = await connect({ servers: server.url });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  try {
    // Direct: the floor.
    let t0 = performance.now();
    const direct = new Subject<Ev>();
    let got = 0;
    direct.subscribe(() => got++);
    for (let i = 0; i < N; i++) direct.next(event(i));
    const directRate = N / ((performance.now() - t0) / 1000);

    for (const inFlight of [1, 32, 256]) {
      const name = `B${inFlight}`;
      await jsm.streams.add({ name, subjects: [`${name}.>`] });
      await jsm.consumers.add(name, { durable_name: 'c', ack_policy: AckPolicy.Explicit });
      t0 = performance.now();
      await lastValueFrom(from(Array.from({ length: N }, (_, i) => event(i))).pipe(toJetStream(js, { subject: name, maxInFlight: inFlight, messageId: () => undefined })));
      const pubRate = N / ((performance.now() - t0) / 1000);
      t0 = performance.now();
      await lastValueFrom(fromJetStream<Ev>(js, { stream: name, consumer: 'c', maxMessages: 1024 }).pipe(handled(() => 1, { concurrency: 64 }), take(N), toArray()));
      const conRate = N / ((performance.now() - t0) / 1000);
      console.log(`maxInFlight ${String(inFlight).padStart(3)}: publish+ack ${pubRate.toFixed(0).padStart(7)} ev/s (${(pubRate / directRate).toFixed(4)}× direct)  consume+ack ${conRate.toFixed(0).padStart(7)} ev/s`);
    }

    // Latency: one event every 2 ms, timestamped at the source, measured at the consumer.
    await jsm.streams.add({ name: 'LAT', subjects: ['LAT.>'] });
    await jsm.consumers.add('LAT', { durable_name: 'c', ack_policy: AckPolicy.Explicit });
    const lat: number[] = [];
    const M = 1000;
    const consumed = lastValueFrom(
      fromJetStream<Ev>(js, { stream: 'LAT', consumer: 'c' }).pipe(
        handled((e) => {
          lat.push(performance.now() + performance.timeOrigin - (e as Ev).data.t);
          return 1;
        }),
        take(M),
        toArray(),
      ),
    );
    const src = new Subject<Ev>();
    const pub = lastValueFrom(src.pipe(toJetStream(js, { subject: 'LAT' }), take(M), toArray()));
    for (let i = 0; i < M; i++) {
      src.next({ ...event(i), data: { content: 'x', t: performance.now() + performance.timeOrigin } });
      await new Promise((r) => setTimeout(r, 2));
    }
    await pub;
    await consumed;
    lat.sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2);
    console.log(`direct ${directRate.toFixed(0)} ev/s; latency source→consumer over JetStream: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms (${M} events)`);
  } finally {
    await nc.close();
    await server.stop();
  }
}

void main();
