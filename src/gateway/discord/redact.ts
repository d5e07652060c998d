/**
 * The redaction of `events$`, its last stage (gateway.ts): the same rule as
 * core's `redacted()` (lifecycle events, DecodeError and Unknown go through
 * the redactor; decoded data events pass untouched, at no cost), written as
 * an allow-list for this source's event union so the per-event check is one
 * lookup on a null-prototype table: only the typed dispatches other than
 * Ready and Resumed pass without a walk. Everything else (lifecycle events,
 * Hello, InvalidSession, DecodeError, Unknown, raw `Dispatch` data, and any
 * type added later but not listed) is redacted.
 */
import type { Redactor } from '../../core';
import { DISPATCH_TYPES } from './codecs/events';
import type { DiscordEvent } from './events';

const PLAIN_TYPES: Readonly<Record<string, true>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, true>,
    Object.fromEntries(
      Object.values(DISPATCH_TYPES)
        .filter((k) => k !== undefined && k !== 'Ready' && k !== 'Resumed')
        .map((k) => [k, true]),
    ),
  ),
);

/** `event` with the secrets `redactor` knows removed where one can be (the same event when none can). */
export function redactEvent(redactor: Redactor, event: DiscordEvent): DiscordEvent {
  return PLAIN_TYPES[event.type] === true ? event : redactor.value(event);
}
