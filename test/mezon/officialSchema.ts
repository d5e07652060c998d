/**
 * The official Mezon schema through an independent runtime: the descriptor
 * sets compiled from mezonai/mezon-protocol (test/mezon/corpus/schema, see
 * SOURCE.md there) loaded into @bufbuild/protobuf's reflective registry. Test
 * fixtures are encoded with this, never with rxwire's own decoder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileRegistry, fromBinary, fromJson, toBinary, toJsonString, type DescMessage, type JsonValue } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';

export type Generation = 'current' | 'previous';

const registries = new Map<Generation, ReturnType<typeof createFileRegistry>>();

function registry(generation: Generation) {
  let r = registries.get(generation);
  if (!r) {
    const bytes = readFileSync(join(__dirname, 'corpus', 'schema', `mezon-${generation}.binpb`));
    r = createFileRegistry(fromBinary(FileDescriptorSetSchema, bytes));
    registries.set(generation, r);
  }
  return r;
}

/** A message descriptor of one generation, e.g. `mezon.realtime.Envelope`. */
export function officialMessage(name: string, generation: Generation = 'current'): DescMessage {
  const m = registry(generation).getMessage(name);
  if (!m) throw new Error(`${name} is not in the ${generation} schema`);
  return m;
}

/** Protobuf JSON (proto names, int64 as strings) → binary, by the official runtime. */
export function officialEncode(name: string, json: JsonValue, generation: Generation = 'current'): Uint8Array {
  const desc = officialMessage(name, generation);
  return toBinary(desc, fromJson(desc, json, { registry: registry(generation), ignoreUnknownFields: generation === 'previous' }));
}

/** Protobuf JSON → the JSON text a Go protojson server writes (proto names), by the official runtime. */
export function officialJson(name: string, json: JsonValue, generation: Generation = 'current'): string {
  const desc = officialMessage(name, generation);
  return toJsonString(desc, fromJson(desc, json, { registry: registry(generation), ignoreUnknownFields: generation === 'previous' }), { useProtoFieldName: true, registry: registry(generation) });
}

/** Binary → protobuf JSON (proto names), by the official runtime. */
export function officialDecode(name: string, bytes: Uint8Array, generation: Generation = 'current'): JsonValue {
  const desc = officialMessage(name, generation);
  return JSON.parse(toJsonString(desc, fromBinary(desc, bytes), { useProtoFieldName: true })) as JsonValue;
}
