/** The client → machine adapter: typed untagged responses become machine inputs. */
import { toWatchInput } from '../../src/imap/watch/link';

describe('toWatchInput', () => {
  it('maps the mailbox-state responses', () => {
    expect(toWatchInput({ kind: 'exists', count: 4 })).toEqual({ kind: 'exists', count: 4 });
    expect(toWatchInput({ kind: 'expunge', seq: 2 })).toEqual({ kind: 'expunge', seq: 2 });
    expect(toWatchInput({ kind: 'vanished', earlier: true, uids: '3:5,9' })).toEqual({ kind: 'vanished', earlier: true, uids: [3, 4, 5, 9] });
    expect(toWatchInput({ kind: 'fetch', seq: 3, attributes: { uid: 9, flags: ['\\Seen'], modseq: 120 } })).toEqual({
      kind: 'fetch',
      seq: 3,
      uid: 9,
      flags: ['\\Seen'],
      modseq: 120,
      envelope: null,
    });
    expect(toWatchInput({ kind: 'search', ids: [1, 2], modseq: null })).toEqual({ kind: 'search', uids: [1, 2] });
    expect(toWatchInput({ kind: 'esearch', tag: 'A1', uid: true, data: { all: '4:6' } })).toEqual({ kind: 'search', uids: [4, 5, 6] });
    expect(toWatchInput({ kind: 'condition', status: 'OK', code: { name: 'ALERT' }, text: 'hi' })).toEqual({ kind: 'condition', status: 'OK', code: { name: 'ALERT' }, text: 'hi' });
    expect(toWatchInput({ kind: 'unknown', tag: '*', line: '* XYZ', error: null })).toEqual({ kind: 'unknown', raw: '* XYZ', error: null });
    expect(toWatchInput({ kind: 'recent', count: 1 })).toEqual({ kind: 'activity' });
  });
});
