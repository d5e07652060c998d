/**
 * Composing two typed streams with ordinary RxJS operators: no callbacks.
 *
 * Two sources of raw frames (stand-ins for a gateway and a mailbox) are
 * decoded through codec tables; bad frames surface as DecodeError events in
 * place; `ofType` narrows; a cache with an intercept stage cancels some
 * updates. Run: npx tsx examples/compose.ts
 */
import * as t from 'io-ts';
import { interval, map, merge, take } from 'rxjs';
import { cancelWhen, decodeWith, ofType, withCache } from '../src';
import { runIfMain } from './standalone';

const chatCodecs = { MessageCreate: t.type({ id: t.string, content: t.string }) };
const mailCodecs = { NewMessage: t.type({ id: t.string, subject: t.string }) };

type Frame = { tag: string; body: unknown };

export function composed(period = 100) {
  const chat$ = interval(period).pipe(
    take(4),
    map((i): Frame => (i === 2 ? { tag: 'MessageCreate', body: { id: 'c2', content: 42 } } : { tag: 'MessageCreate', body: { id: `c${i}`, content: i === 3 ? 'spam!' : `hello ${i}` } })),
    decodeWith({ source: 'chat', codecs: chatCodecs, tag: (f) => f.tag, payload: (f) => f.body }),
  );
  const mail$ = interval(period * 1.5).pipe(
    take(3),
    map((i): Frame => ({ tag: 'NewMessage', body: { id: `m${i}`, subject: `Invoice ${i}` } })),
    decodeWith({ source: 'mail', codecs: mailCodecs, tag: (f) => f.tag, payload: (f) => f.body }),
  );

  // One merged stream; the cache counts what it has seen, except canceled spam.
  type E = typeof chat$ extends import('rxjs').Observable<infer A> ? A | (typeof mail$ extends import('rxjs').Observable<infer B> ? B : never) : never;
  return merge(chat$, mail$).pipe(
    withCache<E, { seen: number }>({
      initial: { seen: 0 },
      reduce: (s) => ({ seen: s.seen + 1 }),
      intercept: [cancelWhen((e) => e.type === 'MessageCreate' && e.data.content.includes('spam'))],
    }),
  );
}

export default async function demo(log: (line: string) => void): Promise<void> {
  const events$ = composed();
  await new Promise<void>((resolve, reject) => {
    events$.subscribe({
      next: (e) => {
        const tail = `${e.canceled ? ' (canceled: cache untouched)' : ''} cache.seen=${e.after.seen}`;
        if (e.type === 'DecodeError') log(`[${e.source}] DecodeError ${e.data.errors.join('; ')}${tail}`);
        else if (e.type === 'MessageCreate') log(`[chat] ${e.data.id}: ${e.data.content}${tail}`);
        else if (e.type === 'NewMessage') log(`[mail] ${e.data.id}: ${e.data.subject}${tail}`);
      },
      error: reject,
      complete: resolve,
    });
  });
  // ofType narrows the union: only mail, typed as NewMessage.
  const subjects: string[] = [];
  await new Promise<void>((resolve) => composed(10).pipe(ofType('NewMessage')).subscribe({ next: (e) => subjects.push(e.data.subject), complete: resolve }));
  log(`subjects via ofType('NewMessage'): ${subjects.join(', ')}`);
}

runIfMain(module, demo);
