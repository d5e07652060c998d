/**
 * Generates io-ts codecs for the Mezon pushes beyond the seed's 21, from the
 * schema table (src/gateway/mezon/schema.generated.ts, itself generated from
 * mezonai/mezon-protocol by gen-mezon-schema.ts), into
 * src/gateway/mezon/codecs.generated.ts. Event names follow mezon-sdk's
 * Events enum where it has one (RoleAssign, QuickMenu, ...), else the
 * message name.
 *
 *   npx tsx scripts/gen-mezon-codecs.ts
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MEZON_MESSAGES, MEZON_SCHEMA_COMMIT } from '../src/gateway/mezon/schema.generated';
import { MEZON_EMBEDDED_LISTS } from '../src/gateway/mezon/wire';

const ROOT = resolve(__dirname, '..');

/** Envelope field → event type name. */
export const EXTRA_EVENTS: Record<string, string> = {
  channel_archive_event: 'ChannelArchiveEvent',
  role_event: 'RoleEvent',
  role_assign_event: 'RoleAssign',
  streaming_joined_event: 'StreamingJoinedEvent',
  streaming_leaved_event: 'StreamingLeavedEvent',
  streaming_started_event: 'StreamingStartedEvent',
  streaming_ended_event: 'StreamingEndedEvent',
  dropdown_box_selected: 'DropdownBoxSelected',
  webrtc_signaling_fwd: 'WebrtcSignalingFwd',
  quick_menu_event: 'QuickMenu',
  aiagent_enabled_event: 'AIAgentEnabledEvent',
  clan_deleted_event: 'ClanDeletedEvent',
  clan_profile_updated_event: 'ClanProfileUpdatedEvent',
  user_profile_updated_event: 'UserProfileUpdatedEvent',
  status_presence_event: 'StatusPresenceEvent',
  stream_presence_event: 'StreamPresenceEvent',
  stream_data: 'StreamData',
  last_pin_message_event: 'LastPinMessageEvent',
  custom_status_event: 'CustomStatusEvent',
  sticker_create_event: 'StickerCreateEvent',
  sticker_update_event: 'StickerUpdateEvent',
  sticker_delete_event: 'StickerDeleteEvent',
  event_emoji: 'EventEmoji',
  permission_set_event: 'PermissionSetEvent',
  permission_changed_event: 'PermissionChangedEvent',
  unmute_event: 'UnmuteEvent',
  channel_app_event: 'ChannelAppEvent',
  user_status_event: 'UserStatusEvent',
  unpin_message_event: 'UnpinMessageEvent',
  category_event: 'CategoryEvent',
  ban_user_event: 'BanUserEvent',
  active_archived_thread: 'ActiveArchivedThread',
  allow_anonymous_event: 'AllowAnonymousEvent',
  clan_created_event: 'ClanCreatedEvent',
  channel_canvas: 'ChannelCanvas',
  canvas_event: 'CanvasEvent',
  topic_in_message_event: 'TopicInMessageEvent',
  screen_share_event: 'ScreenShareEvent',
  voice_interactive_event: 'VoiceInteractiveEvent',
  meet_participant_event: 'MeetParticipantEvent',
  transfer_ownership_event: 'TransferOwnershipEvent',
  sd_topic_event: 'SdTopicEvent',
  ephemeral_message_send: 'EphemeralMessageSend',
  voice_reaction_send: 'VoiceReactionSend',
  handle_participant_meet_state_event: 'HandleParticipantMeetStateEvent',
  incoming_call_push: 'IncomingCallPush',
  last_seen_message_event: 'LastSeenMessageEvent',
  webhook_event: 'WebhookEvent',
  noti_user_channel: 'NotiUserChannel',
  join_channel_app_data: 'JoinChannelAppData',
  list_channel_users_banned_event: 'ListChannelUsersBannedEvent',
};

const S64 = new Set([3, 4, 6, 16, 18]);
type Row = readonly [number, string, number, number, string?];

function scalarCodec(kind: number, repeatedElem: boolean): string {
  if (S64.has(kind)) return repeatedElem ? 'Int64String' : 'I64';
  if (kind === 9) return repeatedElem ? 't.string' : 'Str';
  if (kind === 8) return repeatedElem ? 't.boolean' : 'Bool';
  if (kind === 12) return repeatedElem ? 'BytesC' : 'Bytes';
  return repeatedElem ? 't.number' : 'Num';
}
function wrapped(kind: number): string {
  return S64.has(kind) ? 'Int64String' : kind === 9 ? 't.string' : kind === 8 ? 't.boolean' : kind === 12 ? 'BytesC' : 't.number';
}

const out: string[] = [];
const done = new Map<string, string>();
const inProgress = new Set<string>();

function ident(typeName: string): string {
  return `Mz${typeName.replace(/^mezon\.(realtime|api)\./, '').replace(/\./g, '_')}`;
}

function codecOf(typeName: string): string {
  const known = done.get(typeName);
  if (known) return known;
  if (inProgress.has(typeName)) return 't.UnknownRecord'; // a cycle: kept as the decoded object
  inProgress.add(typeName);
  const rows = (MEZON_MESSAGES[typeName] ?? []) as readonly Row[];
  const required: string[] = [];
  const optional: string[] = [];
  for (const [, name, kind, flags, ref] of rows) {
    const repeated = (flags & 1) !== 0;
    const oneof = (flags & 4) !== 0;
    const map = (flags & 8) !== 0;
    let c: string;
    const embed = MEZON_EMBEDDED_LISTS[typeName]?.[name];
    if (embed) {
      const listRow = ((MEZON_MESSAGES[embed[0]] ?? []) as readonly Row[]).find((r) => r[1] === embed[1]);
      required.push(`${name}: Rep(${listRow?.[4] ? codecOf(listRow[4]) : 't.UnknownRecord'})`);
      continue;
    }
    if (map) {
      const [, vt] = (ref ?? '').split(':');
      const v = kind === 21 && vt ? codecOf(vt) : wrapped(kind);
      required.push(`${name}: withDefault(t.record(t.string, ${v}), {})`);
      continue;
    }
    if (kind === 21) {
      const sub = codecOf(ref as string);
      if (repeated) required.push(`${name}: Rep(${sub})`);
      else optional.push(`${name}: ${sub}`);
      continue;
    }
    if (kind === 22) {
      if (repeated) required.push(`${name}: Rep(${wrapped(Number(ref))})`);
      else optional.push(`${name}: ${wrapped(Number(ref))}`);
      continue;
    }
    c = repeated ? `Rep(${scalarCodec(kind, true)})` : scalarCodec(kind, false);
    if (oneof && !repeated) optional.push(`${name}: ${wrapped(kind)}`);
    else required.push(`${name}: ${c}`);
  }
  const id = ident(typeName);
  const short = typeName.slice(typeName.lastIndexOf('.') + 1);
  const body =
    optional.length === 0
      ? `t.type({ ${required.join(', ')} }, '${short}')`
      : required.length === 0
        ? `t.partial({ ${optional.join(', ')} }, '${short}')`
        : `t.intersection([t.type({ ${required.join(', ')} }), t.partial({ ${optional.join(', ')} })], '${short}')`;
  out.push(`/** ${typeName} (generated). */\nexport const ${id} = ${body};`);
  inProgress.delete(typeName);
  done.set(typeName, id);
  return id;
}

const envelope = MEZON_MESSAGES['mezon.realtime.Envelope'] as readonly Row[];
const table: string[] = [];
const fields: string[] = [];
for (const [field, type] of Object.entries(EXTRA_EVENTS)) {
  const row = envelope.find((r) => r[1] === field);
  if (!row) continue; // not in this schema revision
  table.push(`  ${type}: ${codecOf(row[4] as string)},`);
  fields.push(`  ${field}: '${type}',`);
}

const src = `/* eslint-disable */
// GENERATED by scripts/gen-mezon-codecs.ts from schema.generated.ts (mezon-protocol ${MEZON_SCHEMA_COMMIT}). Do not edit: regenerate.
import * as t from 'io-ts';
import { Bool, Bytes, BytesC, I64, Int64String, Num, Rep, Str, withDefault } from './protoCodecs';

${out.join('\n\n')}

/** The pushes beyond the seed's 21: event type → codec of its data. */
export const MEZON_EXTRA_CODECS = {
${table.join('\n')}
} as const;

/** Envelope field → event type, for MEZON_EXTRA_CODECS. */
export const MEZON_EXTRA_EVENT_FIELDS = {
${fields.join('\n')}
} as const;
`;
writeFileSync(join(ROOT, 'src', 'gateway', 'mezon', 'codecs.generated.ts'), src);
console.log(`${table.length} extra events, ${done.size} codecs`);
