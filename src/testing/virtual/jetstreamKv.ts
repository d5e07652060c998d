/**
 * An in-memory JetStream KV bucket (`KvLike` of rxwire/jetstream) with a TTL
 * on the scheduler's clock, answering synchronously (thenables), so lease,
 * takeover and throttle logic run in a TestScheduler's virtual time. Entries
 * expire `ttl` virtual ms after their last write; `down = true` makes every
 * call fail as if NATS were unreachable; `log` lists the writes.
 *
 *   const kv = new SyncKv(ts, 5_000);   // pass it where rxwire/jetstream takes a KvLike
 *   ts.schedule(() => (kv.down = true), 10_000);
 *   ...
 *   expect(kv.holder('lease.discord.0')).toBe('worker-b');
 */
import type { SchedulerLike } from 'rxjs';
import type { KvEntryLike, KvLike } from '../../jetstream/ports';

type Answer<T> = { ok: true; value: T } | { ok: false; error: Error };

function sync<T>(a: Answer<T>): Promise<T> {
  const thenable = {
    then(onOk?: (v: T) => unknown, onErr?: (e: unknown) => unknown) {
      if (a.ok) onOk?.(a.value);
      else onErr?.(a.error);
      return thenable;
    },
  };
  return thenable as unknown as Promise<T>;
}

/** A KV bucket in virtual time (see the module comment). */
export class SyncKv implements KvLike {
  private readonly entries = new Map<string, { value: string; revision: number; at: number }>();
  private rev = 0;
  /** While true every call fails as if NATS were unreachable. */
  down = false;
  /** Every successful write, as `<virtual time> <key>=<value>`. */
  readonly log: string[] = [];
  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly ttl: number,
  ) {}
  private live(key: string) {
    const e = this.entries.get(key);
    if (e && this.scheduler.now() - e.at >= this.ttl) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
  private fail<T>(): Promise<T> {
    return sync<T>({ ok: false, error: new Error('TIMEOUT') });
  }
  /** The key's live entry, or null (expired entries are gone). */
  get(key: string): Promise<KvEntryLike | null> {
    if (this.down) return this.fail();
    const e = this.live(key);
    return sync({ ok: true, value: e ? { value: Buffer.from(e.value), revision: e.revision, operation: 'PUT' } : null });
  }
  /** Writes when the key is absent or expired; rejects (`wrong last sequence`) otherwise. */
  create(key: string, data: Uint8Array | string): Promise<number> {
    if (this.down) return this.fail();
    if (this.live(key)) return sync<number>({ ok: false, error: new Error('wrong last sequence: 1') });
    return this.put(key, data);
  }
  /** Writes when the key's live revision is `revision`; rejects otherwise. */
  update(key: string, data: Uint8Array | string, revision: number): Promise<number> {
    if (this.down) return this.fail();
    const e = this.live(key);
    if (!e || e.revision !== revision) return sync<number>({ ok: false, error: new Error('wrong last sequence: 7') });
    return this.put(key, data);
  }
  /** Writes unconditionally (the TTL restarts). */
  put(key: string, data: Uint8Array | string): Promise<number> {
    if (this.down) return this.fail();
    const revision = ++this.rev;
    this.entries.set(key, { value: String(data), revision, at: this.scheduler.now() });
    this.log.push(`${this.scheduler.now()} ${key}=${String(data)}`);
    return sync({ ok: true, value: revision });
  }
  /** Deletes the key. */
  delete(key: string): Promise<void> {
    if (this.down) return this.fail();
    this.entries.delete(key);
    return sync({ ok: true, value: undefined });
  }
  /** The current holder of `key` (undefined when absent or expired). */
  holder(key: string): string | undefined {
    return this.live(key)?.value;
  }
}
