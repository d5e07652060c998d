import { stopCyrus } from './cyrus';
import { stopDovecot } from './dovecot';

export default async function globalTeardown(): Promise<void> {
  try {
    stopCyrus();
  } finally {
    stopDovecot();
  }
}
