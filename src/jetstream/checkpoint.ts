import * as t from 'io-ts';
import { validate } from '../core';
import type { KvLike } from './ports';

/** A typed checkpoint kept in a KV bucket: what a worker has durably handed to the bus, so a takeover resumes there. */
export interface CheckpointStore<C> {
  /** The checkpoint of `key`, or undefined when none (or when it does not decode: start fresh, never crash). */
  get(key: string): Promise<C | undefined>;
  /** Stores `value` as `key`'s checkpoint. */
  put(key: string, value: C): Promise<void>;
}

/** A `CheckpointStore` over a KV bucket, values validated with `codec` on the way out. */
export function checkpointStore<C>(kv: KvLike, codec: t.Type<C, unknown, unknown>): CheckpointStore<C> {
  return {
    async get(key) {
      const entry = await kv.get(key);
      if (entry === null || entry.operation !== 'PUT') return undefined;
      try {
        const r = validate(codec, JSON.parse(new TextDecoder().decode(entry.value)) as unknown);
        return r.ok ? r.value : undefined;
      } catch {
        return undefined;
      }
    },
    async put(key, value) {
      await kv.put(key, JSON.stringify(codec.encode(value)));
    },
  };
}

/** IMAP: where a mailbox watch stopped (UIDVALIDITY, the last UID handed to the bus, HIGHESTMODSEQ when known). */
export const ImapCheckpoint = t.type({ uidValidity: t.number, lastUid: t.number, highestModSeq: t.union([t.number, t.null]) });
export type ImapCheckpoint = t.TypeOf<typeof ImapCheckpoint>;

/** Mail.tm: the ids of the messages already handed to the bus. */
export const MailtmCheckpoint = t.type({ seen: t.array(t.string) });
export type MailtmCheckpoint = t.TypeOf<typeof MailtmCheckpoint>;

/** Discord: a shard's session, enough to RESUME it from another process. */
export const DiscordSessionCheckpoint = t.type({ sessionId: t.string, sequence: t.number, resumeUrl: t.string, shardId: t.number, shardCount: t.number });
export type DiscordSessionCheckpoint = t.TypeOf<typeof DiscordSessionCheckpoint>;
