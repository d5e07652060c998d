/**
 * Mail.tm worst cases at growing sizes, with the fitted time exponent (must stay ≤ 1.2):
 * a messages page of N members decoded item by item, a priming read of N messages over N/30 pages
 * (pagingStep after every page, as the engine reads), the mailbox diff of N known plus N new, the redaction of an
 * N-byte echoed error body, and a body nested N levels deep.
 *
 *   npx tsx bench/linearity-mailtm.ts
 */
import { createRedactor } from '../src/core';
import { MailtmMessagePageLoose, diffMailbox, mailboxPage, pagingStep, startPaging, EMPTY_MAILBOX, type MailboxPage } from '../src/mailtm';
import { mailtmHttpError } from '../src/mailtm';
import { mailtmSummary } from '../src/testing/mailtm';
import { measureLinearity, reportLinearity, type LinearityCase } from './linearity';

const summaries = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => mailtmSummary(`${prefix}${i}`, `s${i}`));

const cases: LinearityCase[] = [
  {
    name: 'mailtm: decode a page of N members (no limit)',
    sizes: [1000, 2000, 4000, 8000, 16000],
    make: (n) => JSON.stringify({ 'hydra:member': summaries(n), 'hydra:totalItems': n }),
    run: (text) => {
      const v = MailtmMessagePageLoose.decode(JSON.parse(text as string));
      if (v._tag === 'Right') mailboxPage(v.right);
    },
  },
  {
    name: 'mailtm: priming read over N/30 pages',
    sizes: [12_000, 24_000, 48_000, 96_000, 192_000],
    make: (n) => {
      const all = summaries(n);
      const pages: MailboxPage[] = [];
      for (let i = 0; i < n; i += 30) pages.push({ members: all.slice(i, i + 30), totalItems: n, hasNext: i + 30 < n });
      return pages;
    },
    run: (pages) => {
      let state = startPaging();
      for (const p of pages as MailboxPage[]) [state] = pagingStep(undefined, state, p);
    },
  },
  {
    name: 'mailtm: diff N known + N new',
    sizes: [2000, 4000, 8000, 16000, 32000],
    make: (n) => {
      const old = summaries(n, 'o');
      const [state] = diffMailbox(EMPTY_MAILBOX, { messages: old, complete: true });
      return { state, snapshot: { messages: [...summaries(n, 'n'), ...old], complete: true } };
    },
    run: (input) => {
      const { state, snapshot } = input as { state: typeof EMPTY_MAILBOX; snapshot: Parameters<typeof diffMailbox>[1] };
      diffMailbox(state, snapshot);
    },
  },
  {
    name: 'mailtm: redact an N-byte echoed error body',
    sizes: [400_000, 800_000, 1_600_000, 3_200_000, 6_400_000],
    make: (n) => JSON.stringify({ 'hydra:description': 'password=hunter2-secret '.repeat(Math.ceil(n / 24)).slice(0, n) }),
    run: (body) => {
      const r = createRedactor(['hunter2-secret', 'eyJ.token.sig']);
      r.error(mailtmHttpError(422, body as string, null, 'POST /accounts', ['hunter2-secret']));
      r.text(body as string);
    },
  },
  {
    name: 'mailtm: a body nested N levels deep',
    sizes: [2000, 4000, 8000, 16000, 32000],
    make: (n) => `{"hydra:member":[${'['.repeat(n)}${']'.repeat(n)}],"hydra:totalItems":1}`,
    run: (text) => {
      try {
        const v = MailtmMessagePageLoose.decode(JSON.parse(text as string));
        if (v._tag === 'Right') mailboxPage(v.right);
      } catch {
        // a DecodeFailedError for the member without an id: expected
      }
    },
  },
];

reportLinearity(cases.map((c) => measureLinearity(c, 7)));
