import * as t from 'io-ts';
import { FetchAttributes } from './fetch';

/** What SELECT/EXAMINE report about the mailbox. */
export const MailboxInfo = t.intersection([
  t.type({
    name: t.string,
    exists: t.number,
    recent: t.number,
    flags: t.array(t.string),
    /** true after [READ-WRITE], false after [READ-ONLY] (EXAMINE). */
    readWrite: t.boolean,
  }),
  t.partial({
    unseen: t.number,
    permanentFlags: t.array(t.string),
    uidValidity: t.number,
    uidNext: t.number,
    /** CONDSTORE/QRESYNC */
    highestModseq: t.number,
    /** True after a `NOMODSEQ` response code: the mailbox does not keep mod-sequences (RFC 7162). */
    noModseq: t.boolean,
  }),
]);
export type MailboxInfo = t.TypeOf<typeof MailboxInfo>;

/** One FETCH response: its sequence number and attributes. */
export const FetchMessage = t.intersection([t.type({ seq: t.number }), FetchAttributes]);
export type FetchMessage = t.TypeOf<typeof FetchMessage>;

/** UIDPLUS results of APPEND (APPENDUID) and COPY/MOVE (COPYUID); sets as sent ("7:9"). */
export const AppendUid = t.type({ uidValidity: t.number, uids: t.string });
export type AppendUid = t.TypeOf<typeof AppendUid>;
/** COPYUID of COPY/MOVE (RFC 4315): the UIDVALIDITY of the destination, and the source and destination UID sets as sent, in matching order. */
export const CopyUid = t.type({ uidValidity: t.number, source: t.string, destination: t.string });
/** See the {@link CopyUid} codec. */
export type CopyUid = t.TypeOf<typeof CopyUid>;
