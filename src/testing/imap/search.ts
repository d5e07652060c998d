/**
 * SEARCH keys (RFC 3501 §6.4.4, RFC 7162 §3.1.5 MODSEQ) → a predicate over
 * a session's messages. Substring matches are case-insensitive.
 */
import { ArgumentSyntaxError, astring, atomOf, numberOf, type ImapArg } from './args';
import { headerFields, parseEntity } from './mime';
import { inRanges, parseSeqSet } from './seqset';
import type { StoredMessage } from './store';

/** A message as a search sees it. */
export interface SearchItem {
  readonly seq: number;
  readonly message: StoredMessage;
  readonly recent: boolean;
}

/** The context of one search: `*` values. */
export interface SearchContext {
  readonly maxSeq: number;
  readonly maxUid: number;
}

type Pred = (m: SearchItem) => boolean;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function parseDate(s: string): number {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(s);
  const mon = m ? MONTHS.indexOf(m[2].toLowerCase()) : -1;
  if (!m || mon < 0) throw new ArgumentSyntaxError(`bad date ${JSON.stringify(s)}`);
  return Date.UTC(Number(m[3]), mon, Number(m[1]));
}

function dayOf(d: Date): number {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

function sentDay(m: StoredMessage): number | undefined {
  const h = headerFields(parseEntity(m.raw).header).find(([k]) => k.toLowerCase() === 'date')?.[1];
  if (!h) return undefined;
  const t = Date.parse(h);
  return Number.isNaN(t) ? undefined : dayOf(new Date(t));
}

function includes(hay: string, needle: string): boolean {
  return hay.toLowerCase().includes(needle.toLowerCase());
}

function header(m: StoredMessage, name: string): string[] {
  const n = name.toLowerCase();
  return headerFields(parseEntity(m.raw).header)
    .filter(([k]) => k.toLowerCase() === n)
    .map(([, v]) => v);
}

/** Whether the search uses MODSEQ (enables CONDSTORE). */
export interface ParsedSearch {
  readonly pred: Pred;
  readonly usesModseq: boolean;
}

/** Parses search keys (after CHARSET / RETURN) into one predicate. */
export function parseSearch(args: ImapArg[], ctx: SearchContext): ParsedSearch {
  let i = 0;
  let usesModseq = false;
  const next = (depth: number): Pred => {
    if (depth > 32) throw new ArgumentSyntaxError('search nested too deeply');
    const a = args[i++];
    if (a === undefined) throw new ArgumentSyntaxError('search key expected');
    if (Array.isArray(a)) {
      const saved = { args, i };
      const sub = parseSearch(a, ctx);
      usesModseq ||= sub.usesModseq;
      void saved;
      return sub.pred;
    }
    const key = a.kind === 'atom' ? a.value.toUpperCase() : '';
    const str = (): string => astring(args[i++], `${key} argument`);
    const flag = (f: string, want: boolean): Pred => (m) => m.message.flags.has(f) === want;
    switch (key) {
      case 'ALL':
        return () => true;
      case 'ANSWERED':
        return flag('\\Answered', true);
      case 'DELETED':
        return flag('\\Deleted', true);
      case 'DRAFT':
        return flag('\\Draft', true);
      case 'FLAGGED':
        return flag('\\Flagged', true);
      case 'SEEN':
        return flag('\\Seen', true);
      case 'UNANSWERED':
        return flag('\\Answered', false);
      case 'UNDELETED':
        return flag('\\Deleted', false);
      case 'UNDRAFT':
        return flag('\\Draft', false);
      case 'UNFLAGGED':
        return flag('\\Flagged', false);
      case 'UNSEEN':
        return flag('\\Seen', false);
      case 'RECENT':
        return (m) => m.recent;
      case 'OLD':
        return (m) => !m.recent;
      case 'NEW':
        return (m) => m.recent && !m.message.flags.has('\\Seen');
      case 'KEYWORD': {
        const k = atomOf(args[i++], 'keyword');
        return (m) => [...m.message.flags].some((f) => f.toLowerCase() === k.toLowerCase());
      }
      case 'UNKEYWORD': {
        const k = atomOf(args[i++], 'keyword');
        return (m) => ![...m.message.flags].some((f) => f.toLowerCase() === k.toLowerCase());
      }
      case 'FROM':
      case 'TO':
      case 'CC':
      case 'BCC':
      case 'SUBJECT': {
        const s = str();
        return (m) => header(m.message, key).some((v) => includes(v, s));
      }
      case 'HEADER': {
        const name = str();
        const s = str();
        return (m) => header(m.message, name).some((v) => includes(v, s));
      }
      case 'BODY': {
        const s = str();
        return (m) => includes(parseEntity(m.message.raw).body, s);
      }
      case 'TEXT': {
        const s = str();
        return (m) => includes(m.message.raw, s);
      }
      case 'LARGER': {
        const n = numberOf(args[i++], 'size');
        return (m) => m.message.raw.length > n;
      }
      case 'SMALLER': {
        const n = numberOf(args[i++], 'size');
        return (m) => m.message.raw.length < n;
      }
      case 'BEFORE':
      case 'ON':
      case 'SINCE': {
        const d = parseDate(str());
        return (m) => cmp(key, dayOf(m.message.internalDate), d);
      }
      case 'SENTBEFORE':
      case 'SENTON':
      case 'SENTSINCE': {
        const d = parseDate(str());
        return (m) => {
          const s = sentDay(m.message);
          return s !== undefined && cmp(key.slice(4), s, d);
        };
      }
      case 'UID': {
        const r = parseSeqSet(atomOf(args[i++], 'UID set'), ctx.maxUid);
        return (m) => inRanges(r, m.message.uid);
      }
      case 'NOT': {
        const p = next(depth + 1);
        return (m) => !p(m);
      }
      case 'OR': {
        const p = next(depth + 1);
        const q = next(depth + 1);
        return (m) => p(m) || q(m);
      }
      case 'MODSEQ': {
        usesModseq = true;
        // optional entry-name and entry-type-req
        if (args[i] && !Array.isArray(args[i]) && (args[i] as { kind: string }).kind === 'string') i += 2;
        const n = numberOf(args[i++], 'mod-sequence');
        return (m) => m.message.modseq >= n;
      }
      default:
        if (a.kind === 'atom' && /^[\d:*,]+$/.test(a.value)) {
          const r = parseSeqSet(a.value, ctx.maxSeq);
          return (m) => inRanges(r, m.seq);
        }
        throw new ArgumentSyntaxError(`unknown search key ${JSON.stringify(a.value.slice(0, 40))}`);
    }
  };
  const preds: Pred[] = [];
  while (i < args.length) preds.push(next(0));
  if (preds.length === 0) throw new ArgumentSyntaxError('search key expected');
  return { pred: (m) => preds.every((p) => p(m)), usesModseq };
}

function cmp(op: string, a: number, b: number): boolean {
  if (op === 'BEFORE') return a < b;
  if (op === 'ON') return a === b;
  return a >= b;
}
