/**
 * An in-memory mailbox that answers like `GET /messages` (Hydra pages, 30 per
 * page, newest first), for virtual-time tests of code built on the Mail.tm
 * engine: plug `page()` into `MailtmEnginePorts.messages`.
 */
import type { MailtmMessagePage, MailtmMessageSummary } from '../../mailtm/codecs';

let counter = 0;

/** A well-formed message list item. */
export function mailtmSummary(id: string, subject: string, address = 'user@rxwire.test'): MailtmMessageSummary {
  const at = new Date(Date.UTC(2026, 0, 1) + ++counter * 1000).toISOString();
  return {
    '@id': `/messages/${id}`,
    '@type': 'Message',
    id,
    accountId: '/accounts/fake',
    msgid: `<${id}@rxwire.test>`,
    from: { name: 'Sender', address: 'sender@example.org' },
    to: [{ name: '', address }],
    subject,
    intro: subject,
    seen: false,
    isDeleted: false,
    hasAttachments: false,
    size: 100,
    downloadUrl: `/messages/${id}/download`,
    createdAt: at,
    updatedAt: at,
  };
}

/** An in-memory mailbox answering like `GET /messages` (see the module comment). */
export class MailtmFakeMailbox {
  /** Oldest first. */
  readonly messages: MailtmMessageSummary[] = [];
  private next = 0;

  constructor(
    /** The recipient address of every delivered message (default `user@rxwire.test`). */
    readonly address = 'user@rxwire.test',
    /** Messages per page (default 30, as Mail.tm). */
    readonly pageSize = 30,
    /** Prefix of the generated message ids (default `m`). */
    readonly prefix = 'm',
  ) {}

  /** Adds a message (ids `${prefix}0`, `${prefix}1`, ...). */
  deliver(subject?: string): MailtmMessageSummary {
    const id = `${this.prefix}${this.next++}`;
    const m = mailtmSummary(id, subject ?? id, this.address);
    this.messages.push(m);
    return m;
  }

  /** Removes the message `id`; false when there is none. */
  remove(id: string): boolean {
    const i = this.messages.findIndex((m) => m.id === id);
    if (i < 0) return false;
    this.messages.splice(i, 1);
    return true;
  }

  /** Page `n` as the API returns it. */
  page(n: number): MailtmMessagePage {
    const newest = [...this.messages].reverse();
    const last = Math.max(1, Math.ceil(newest.length / this.pageSize));
    const view: Record<string, string> = { '@id': `/messages?page=${n}`, '@type': 'hydra:PartialCollectionView' };
    if (newest.length > this.pageSize) {
      view['hydra:first'] = '/messages?page=1';
      view['hydra:last'] = `/messages?page=${last}`;
      if (n < last) view['hydra:next'] = `/messages?page=${n + 1}`;
      if (n > 1) view['hydra:previous'] = `/messages?page=${n - 1}`;
    }
    return {
      '@context': '/contexts/Message',
      '@id': '/messages',
      '@type': 'hydra:Collection',
      'hydra:member': newest.slice((n - 1) * this.pageSize, n * this.pageSize),
      'hydra:totalItems': newest.length,
      'hydra:view': view,
    };
  }
}
