import { of } from 'rxjs';
import { ofType } from '../../src/core';
import type { DiscordEvent } from '../../src/gateway/discord';

describe('DiscordEvent narrowing', () => {
  it('ofType narrows to the typed payload, keeping shard and seq', () => {
    const e = { source: 'discord', type: 'MessageCreate', shard: 3, seq: 9, data: { id: '1', channel_id: '2', author: { id: '3', username: 'u', discriminator: '0', global_name: null, avatar: null }, content: 'c', timestamp: 't', edited_timestamp: null, tts: false, mention_everyone: false, mentions: [], mention_roles: [], attachments: [], embeds: [], pinned: false, type: 0 } } as const satisfies DiscordEvent;
    const got: string[] = [];
    const hello: DiscordEvent = { source: 'discord', type: 'Hello', shard: 0, data: { heartbeat_interval: 1 } };
    of<DiscordEvent[]>(e, hello)
      .pipe(ofType('MessageCreate'))
      .subscribe((m) => {
        const content: string = m.data.content; // compile-time: narrowed to Message
        const shard: number = m.shard;
        got.push(`${content}@${shard}#${m.seq}`);
      });
    expect(got).toEqual(['c@3#9']);
  });
});
