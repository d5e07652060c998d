/**
 * Mezon demo: starts the local Mezon server, authenticates a bot over HTTP,
 * connects the socket (protobuf), joins a channel, sends a message, and logs
 * the typed events the server pushes. No credentials or network needed.
 *
 *   npx tsx examples/mezon-demo.ts
 */
import { firstValueFrom, lastValueFrom, timeout } from 'rxjs';
import { ofType } from '../src/core';
import { mezon, type MezonEvent } from '../src/gateway/mezon';
import { MezonSampleEvents, MezonSampleIds, startMezonServer } from '../src/testing/mezon';
import { runIfMain } from './standalone';

function describe(e: MezonEvent): string {
  switch (e.type) {
    case 'Connecting':
      return `Connecting to ${e.data.url} (attempt ${e.data.attempt})`;
    case 'Connected':
      return `Connected (${e.data.format})`;
    case 'Ready':
      return `Ready: joined clans ${e.data.clans.join(', ')}`;
    case 'ChannelMessage':
      return `ChannelMessage from ${e.data.username} in #${e.data.channel_label || e.data.channel_id}: "${String(e.data.content.t ?? '')}" (${e.data.mentions.length} mention, ${e.data.attachments.length} attachment)`;
    case 'MessageReaction':
      return `MessageReaction ${e.data.emoji} ×${e.data.count} by ${e.data.sender_name}`;
    case 'MessageTypingEvent':
      return `MessageTypingEvent: ${e.data.sender_display_name} is typing`;
    case 'ChannelPresenceEvent':
      return `ChannelPresenceEvent: ${e.data.joins.map((j) => j.username).join(', ')} joined`;
    case 'GiveCoffee':
      return `GiveCoffee: ${e.data.sender_id} → ${e.data.receiver_id} (${e.data.token_count})`;
    case 'DecodeError':
      return `DecodeError: ${e.data.errors.join('; ')}`;
    default:
      return e.type;
  }
}

export default async function demo(log: (line: string) => void): Promise<void> {
  const server = await startMezonServer();
  try {
    const client = mezon({ clientId: server.clientId, apiKey: server.apiKey, baseUrl: server.url, clans: [MezonSampleIds.clan] });
    // One subscription logs everything; the others share its connection.
    const sub = client.events$.subscribe({ next: (e) => log(describe(e)), error: (e: unknown) => log(`error: ${String(e)}`) });
    await firstValueFrom(client.events$.pipe(ofType('Ready'), timeout(5_000)));

    await lastValueFrom(client.joinChannel({ clan_id: MezonSampleIds.clan, channel_id: MezonSampleIds.channel, channel_type: 1, is_public: true }));
    const ack = await lastValueFrom(
      client.sendMessage({ clan_id: MezonSampleIds.clan, channel_id: MezonSampleIds.channel, mode: 2, is_public: true, content: { t: 'hello from rxwire' } }),
    );
    log(`sent: ack for message ${ack.message_id}`);

    server.pushEvent('MessageTypingEvent', MezonSampleEvents.MessageTypingEvent);
    server.pushEvent('ChannelMessage', MezonSampleEvents.ChannelMessage);
    server.pushEvent('MessageReaction', MezonSampleEvents.MessageReaction);
    server.pushEvent('ChannelPresenceEvent', MezonSampleEvents.ChannelPresenceEvent);
    server.pushRaw(new Uint8Array([0x0a, 0x05, 0x31])); // malformed protobuf: a DecodeError, and the stream goes on
    server.pushEvent('GiveCoffee', MezonSampleEvents.GiveCoffee);

    await firstValueFrom(client.events$.pipe(ofType('GiveCoffee'), timeout(5_000)));
    sub.unsubscribe();
    log('done: unsubscribed, socket closed');
  } finally {
    await server.close();
  }
}

runIfMain(module, demo);
