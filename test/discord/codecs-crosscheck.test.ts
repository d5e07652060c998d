/**
 * The codecs and discord-api-types cannot drift.
 *
 * - At the type level (checked by `tsc -p tsconfig.test.json`): every codec's
 *   fields agree with discord-api-types' dispatch data type in presence,
 *   optionality and kind, recursively (crosscheck-types.ts). A disagreement
 *   is a compile error naming the field. The deviations rxwire makes on
 *   purpose are listed in `ALLOWED` with the reason.
 * - The check is live: a codec with a wrong kind and one with a wrong
 *   optionality are rejected (`@ts-expect-error` below).
 * - At run time: every wire name in `GatewayDispatchEvents` has a codec, and
 *   every codec a wire name.
 */
import * as t from 'io-ts';
import { GatewayDispatchEvents, type APIUser } from 'discord-api-types/v10';
import { discordCodecs, DISPATCH_TYPES, wireName, type DiscordCodecs } from '../../src/gateway/discord';
import type { Mismatches } from './crosscheck-types';
import type { ApiDispatchData } from './crosscheck-pairs';

type DataOf<K extends keyof DiscordCodecs> = t.TypeOf<DiscordCodecs[K]>;

/**
 * Fields where rxwire deliberately differs from discord-api-types:
 * - Ready.resume_gateway_url is optional: a READY without it must still be a Ready (issue 12).
 */
type ALLOWED = 'Ready.resume_gateway_url: optional true vs false';

type AllMismatches = Exclude<{ [K in keyof DiscordCodecs & keyof ApiDispatchData]: Mismatches<DataOf<K>, ApiDispatchData[K], `${K}.`> }[keyof DiscordCodecs & keyof ApiDispatchData], ALLOWED>;

/** Compiles only when every codec agrees with discord-api-types (hover the error to read the fields). */
const agree: [AllMismatches] extends [never] ? true : AllMismatches = true;
/** Every codec key has a discord-api-types pair, and every pair a codec. */
const paired: [Exclude<keyof DiscordCodecs, keyof ApiDispatchData> | Exclude<keyof ApiDispatchData, keyof DiscordCodecs>] extends [never] ? true : false = true;

// The check is live: a wrong kind and a wrong optionality are caught.
const WrongKind = t.type({ id: t.number, username: t.string, discriminator: t.string, global_name: t.union([t.string, t.null]), avatar: t.union([t.string, t.null]) });
const WrongOptionality = t.partial({ id: t.string });
// @ts-expect-error id: number vs string
const wrongKind: [Mismatches<t.TypeOf<typeof WrongKind>, APIUser>] extends [never] ? true : false = true;
// @ts-expect-error id: optional vs required
const wrongOptional: [Mismatches<t.TypeOf<typeof WrongOptionality>, APIUser>] extends [never] ? true : false = true;
const rightOne: [Mismatches<{ id: string; bot?: boolean }, APIUser>] extends [never] ? true : false = true;

describe('codecs vs discord-api-types', () => {
  it('type-level agreement compiled (see the constants above)', () => {
    expect([agree, paired, rightOne, wrongKind, wrongOptional]).toEqual([true, true, true, true, true]);
  });

  it('every GatewayDispatchEvents name has a codec, and every codec a name', () => {
    const wire = Object.values(GatewayDispatchEvents) as string[];
    const missing = wire.filter((name) => DISPATCH_TYPES[name] === undefined);
    expect(missing).toEqual([]);
    for (const [name, type] of Object.entries(DISPATCH_TYPES)) {
      expect(wire).toContain(name);
      expect(type !== undefined && wireName(type)).toBe(name);
      expect(type !== undefined && discordCodecs[type]).toBeDefined();
    }
    expect(Object.keys(DISPATCH_TYPES)).toHaveLength(Object.keys(discordCodecs).length);
    expect(DISPATCH_TYPES[GatewayDispatchEvents.MessageCreate]).toBe('MessageCreate');
  });
});
