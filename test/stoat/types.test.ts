import { of, firstValueFrom } from 'rxjs';
import { frameTag, ofType, type StoatEvent, type StoatModels } from '../../src/gateway/stoat';

describe('stoat event typing', () => {
  it('ofType narrows the union to the codec types (checked by tsc) and filters at run time', async () => {
    const events: StoatEvent[] = [
      { source: 'stoat', type: 'ChannelStartTyping', data: { id: 'c', user: 'u' } },
      { source: 'stoat', type: 'MessageCreate', data: { _id: 'm', channel: 'c', author: 'u', content: 'hi' } },
    ];
    const created = await firstValueFrom(of(...events).pipe(ofType('MessageCreate')));
    const message: StoatModels.Message = created.data; // compile-time: data is a Message
    const content: string | null | undefined = message.content;
    expect(content).toBe('hi');
    // @ts-expect-error a type the union does not have is a compile error
    ofType<StoatEvent, 'NoSuchEvent'>('NoSuchEvent');
  });

  it('maps wire tags to names without being fooled by prototype keys or our own names on the wire', () => {
    expect(frameTag({ type: 'Message' })).toBe('MessageCreate');
    expect(frameTag({ type: 'ServerMemberLeave' })).toBe('ServerMemberRemove');
    expect(frameTag({ type: 'Auth', event_type: 'DeleteAllSessions' })).toBe('SessionDeleteAll');
    expect(frameTag({ type: 'Auth', event_type: 'CreateAccount' })).toBe('AccountCreate');
    expect(frameTag({ type: 'Auth', event_type: 'NotYetKnown' })).toBe('Auth.NotYetKnown');
    expect(frameTag({ type: 'constructor' })).toBe('constructor');
    expect(frameTag({ type: 'MessageCreate' })).toBe('wire.MessageCreate');
    expect(frameTag({ type: 3 })).toBeUndefined();
  });
});
