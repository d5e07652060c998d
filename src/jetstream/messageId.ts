/**
 * Message ids that make republishing idempotent: JetStream drops a message
 * whose id it already holds (within the stream's duplicate window), so an event
 * published twice (a worker that died after publishing, a replay after a
 * resume) is stored once.
 *
 * - Discord: `discord:<session_id>:<seq>`; the session id comes from the shard's last Ready.
 * - IMAP: `imap:<mailbox>:<uidvalidity>:<uid list>` for NewMessages, with the UIDVALIDITY
 *   from the last MailboxSelected; FlagsChanged/Expunged include the modseq or UIDs.
 * - Mail.tm: `mailtm:<message id>` for NewMessage, `mailtm:<type>:<id>` for MessageDelete.
 * Other events get no id (each publish is a new message).
 */
import type { AnyEvent } from '../core';

/** What message ids are made from: an rxwire event, with Discord's `shard`/`seq` when present. */
export type IdentifiableEvent = AnyEvent & { readonly source?: string; readonly data?: unknown; readonly shard?: number; readonly seq?: number };
type Rec = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** A function from event to message id that remembers the session state ids need (stateful: one per stream). */
export type MessageIdFn = (event: IdentifiableEvent) => string | undefined;

/** The default per-source message id rules above. */
export function createMessageIds(): MessageIdFn {
  const discordSession = new Map<number, string>();
  let uidValidity: string | undefined;
  let mailbox = '';
  return (e) => {
    const d = (e.data ?? {}) as Rec;
    switch (e.source) {
      case 'discord': {
        const shard = e.shard ?? 0;
        if (e.type === 'Ready' && typeof d.session_id === 'string') discordSession.set(shard, d.session_id);
        const session = discordSession.get(shard);
        return typeof e.seq === 'number' && session !== undefined ? `discord:${session}:${e.seq}` : undefined;
      }
      case 'imap': {
        if (e.type === 'MailboxSelected') {
          uidValidity = str(d.uidValidity);
          mailbox = str(d.mailbox) ?? mailbox;
          return undefined;
        }
        if (uidValidity === undefined) return undefined;
        if (e.type === 'NewMessages' && Array.isArray(d.messages)) {
          const uids = (d.messages as Rec[]).map((m) => str(m.uid) ?? '?').join(',');
          return `imap:${mailbox}:${uidValidity}:new:${uids}`;
        }
        if (e.type === 'FlagsChanged' && d.uid !== null && d.modseq !== null && d.modseq !== undefined) {
          return `imap:${mailbox}:${uidValidity}:flags:${str(d.uid)}:${str(d.modseq)}`;
        }
        if (e.type === 'Expunged' && Array.isArray(d.uids) && d.uids.length > 0) {
          return `imap:${mailbox}:${uidValidity}:expunged:${(d.uids as unknown[]).map(str).join(',')}`;
        }
        return undefined;
      }
      case 'mailtm': {
        const id = str(d.id);
        if (id === undefined) return undefined;
        return e.type === 'NewMessage' ? `mailtm:${id}` : e.type === 'MessageDelete' ? `mailtm:MessageDelete:${id}` : undefined;
      }
      default:
        return undefined;
    }
  };
}
