/**
 * ChannelMessage's bytes fields hold encoded list messages (the server fills
 * them with MessageReactionList etc.): rxwire decodes them in the same pass
 * as the frame (one reader, no copy) to the list's elements, and encodes
 * lists back to bytes. Read by wire.ts and by the decoder generator
 * (scripts/gen-mezon-schema.ts).
 */

/** Message → bytes field → [the list message it holds, the list's repeated field]. */
export const MEZON_EMBEDDED_LISTS: Readonly<Record<string, Readonly<Record<string, readonly [string, string]>>>> = {
  'mezon.api.ChannelMessage': {
    reactions: ['mezon.api.MessageReactionList', 'reactions'],
    mentions: ['mezon.api.MessageMentionList', 'mentions'],
    attachments: ['mezon.api.MessageAttachmentList', 'attachments'],
    references: ['mezon.api.MessageRefList', 'refs'],
  },
};
