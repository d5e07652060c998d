import { stopCyrus } from './cyrus';
import { stopDovecot } from './dovecot';

export default async function globalTeardown(): Promise<void> {
  const stopped = await Promise.allSettled([stopCyrus(), stopDovecot()]);
  for (const r of stopped) if (r.status === 'rejected') throw r.reason;
}
