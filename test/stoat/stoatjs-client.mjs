// Runs stoat.js's real EventClient against a URL (argv[2]) with a token (argv[3]);
// prints each event it emits as one JSON line. Node 20 has no global WebSocket: use ws.
import WebSocket from 'ws';
globalThis.WebSocket = WebSocket;
const { EventClient } = await import('stoat.js');
const client = new EventClient(1, 'json', { heartbeatInterval: 30, pongTimeout: 10 });
client.on('event', (event) => process.stdout.write(JSON.stringify({ kind: 'event', type: event.type, event }) + '\n'));
client.on('state', (state) => process.stdout.write(JSON.stringify({ kind: 'state', state }) + '\n'));
client.on('error', (error) => process.stdout.write(JSON.stringify({ kind: 'error', error: String(error?.type ?? error) }) + '\n'));
client.connect(process.argv[2], process.argv[3]);
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => { client.disconnect(); process.exit(0); });
