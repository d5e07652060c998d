/**
 * Regenerates rxwire's Mezon schema from the official protocol repository
 * (github.com/mezonai/mezon-protocol: rtapi/realtime.proto, api/api.proto).
 *
 *   npx tsx scripts/gen-mezon-schema.ts <mezon-protocol checkout or bare git dir> [current-rev] [previous-rev]
 *
 * Defaults: current-rev HEAD; previous-rev 98f655b368299378b4e4ec8e38a3874049f78450
 * (2026-03-15, the last revision with string `Envelope.cid`, string
 * `UserPresence.session_id` and `MessageRef.messages_sender_avatar`: the
 * generation mezon-js-protobuf 1.10.x and mezon-sdk 2.8.33 speak).
 *
 * For each revision it compiles the two .proto files with `buf build` (the
 * @bufbuild/buf devDependency) into a FileDescriptorSet, written to
 * test/mezon/corpus/schema/mezon-<generation>.binpb (the conformance corpus
 * encodes its fixtures with these, through @bufbuild/protobuf's reflective
 * runtime, independently of rxwire's decoder). From the current one it writes
 * src/gateway/mezon/schema.generated.ts: every message reachable from
 * Envelope (plus Session and the ChannelMessage list messages) as a compact
 * field table, the enums' value names (the JSON mapping may name them), and
 * the field renames between the two generations (JSON aliases). From that
 * table it writes src/gateway/mezon/decode.generated.ts: straight-line
 * decoders (one function per message, one `switch` case per field, locals
 * then one object literal) for the hot path, the Envelope fields in
 * every message field of Envelope and every message they reach (a cycle
 * would stop the generator: the fast path takes only acyclic messages).
 *
 *   npx tsx scripts/gen-mezon-schema.ts --decoders
 *
 * rewrites only decode.generated.ts, from the committed schema.generated.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createFileRegistry, fromBinary, ScalarType, type DescField, type DescMessage, type FileRegistry } from '@bufbuild/protobuf';
import { FileDescriptorSetSchema } from '@bufbuild/protobuf/wkt';
import { MEZON_EMBEDDED_LISTS } from '../src/gateway/mezon/embeddedLists';
import { MEZON_MESSAGES, MEZON_SCHEMA_COMMIT } from '../src/gateway/mezon/schema.generated';

const ROOT = resolve(__dirname, '..');
const PREVIOUS = '98f655b368299378b4e4ec8e38a3874049f78450';
const FILES = ['rtapi/realtime.proto', 'api/api.proto'];
const ROOTS = ['mezon.realtime.Envelope', 'mezon.api.Session', 'mezon.api.MessageReactionList', 'mezon.api.MessageMentionList', 'mezon.api.MessageAttachmentList', 'mezon.api.MessageRefList'];
/** Names seen on the wire that no .proto revision has (mezon-js-protobuf 1.10.x's own spelling). */
const EXTRA_ALIASES: Record<string, Record<string, string>> = { 'mezon.api.MessageRef': { mesages_sender_avatar: 'message_sender_avatar' } };

function git(repo: string, args: string[]): string {
  const gitDir = existsSync(join(repo, '.git')) ? join(repo, '.git') : repo;
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function build(repo: string, rev: string, out: string): { registry: FileRegistry; commit: string; date: string } {
  const commit = git(repo, ['rev-parse', rev]).trim();
  const date = git(repo, ['log', '-1', '--format=%ad', '--date=short', commit]).trim();
  const dir = mkdtempSync(join(tmpdir(), 'mezon-proto-'));
  try {
    for (const f of FILES) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), git(repo, ['show', `${commit}:${f}`]));
    }
    writeFileSync(join(dir, 'buf.yaml'), 'version: v2\n');
    const buf = join(ROOT, 'node_modules', '.bin', 'buf');
    execFileSync(buf, ['build', dir, '-o', out], { stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const set = fromBinary(FileDescriptorSetSchema, readFileSync(out));
  return { registry: createFileRegistry(set), commit, date };
}

const WRAPPERS: Record<string, ScalarType> = {
  'google.protobuf.StringValue': ScalarType.STRING,
  'google.protobuf.BoolValue': ScalarType.BOOL,
  'google.protobuf.Int32Value': ScalarType.INT32,
  'google.protobuf.Int64Value': ScalarType.INT64,
  'google.protobuf.UInt32Value': ScalarType.UINT32,
  'google.protobuf.UInt64Value': ScalarType.UINT64,
  'google.protobuf.DoubleValue': ScalarType.DOUBLE,
  'google.protobuf.FloatValue': ScalarType.FLOAT,
  'google.protobuf.BytesValue': ScalarType.BYTES,
};

// Kinds in the generated table (scalars keep protobuf's ScalarType numbers 1-18).
const K_ENUM = 20;
const K_MESSAGE = 21;
const K_WRAPPER = 22;

type Row = [number, string, number, number, string?];
// flags: 1 repeated, 2 packed, 4 oneof member, 8 map (kind/ref describe the value; ref2 = key scalar)

function valueKind(f: DescField): { kind: number; ref?: string } {
  if (f.fieldKind === 'scalar') return { kind: f.scalar };
  if (f.fieldKind === 'enum') return { kind: K_ENUM, ref: f.enum.typeName };
  if (f.fieldKind === 'message') {
    const w = WRAPPERS[f.message.typeName];
    return w !== undefined ? { kind: K_WRAPPER, ref: String(w) } : { kind: K_MESSAGE, ref: f.message.typeName };
  }
  if (f.fieldKind === 'list') {
    if (f.listKind === 'scalar') return { kind: f.scalar };
    if (f.listKind === 'enum') return { kind: K_ENUM, ref: f.enum.typeName };
    const w = WRAPPERS[f.message.typeName];
    return w !== undefined ? { kind: K_WRAPPER, ref: String(w) } : { kind: K_MESSAGE, ref: f.message.typeName };
  }
  if (f.mapKind === 'scalar') return { kind: f.scalar };
  if (f.mapKind === 'enum') return { kind: K_ENUM, ref: f.enum.typeName };
  return { kind: K_MESSAGE, ref: f.message.typeName };
}


/** Envelope fields read by a case of their own in decodeEnvelopeFast (the rest through a table). */
const HOT_ENVELOPE_FIELDS = ['channel_message'];

// ScalarType → [reader in fastWire.ts, wire type, default literal].
const READERS: Record<number, readonly [string, number, string]> = {
  [ScalarType.DOUBLE]: ['f64', 1, '0'],
  [ScalarType.FLOAT]: ['f32', 5, '0'],
  [ScalarType.INT64]: ['i64', 0, "'0'"],
  [ScalarType.UINT64]: ['u64', 0, "'0'"],
  [ScalarType.INT32]: ['i32', 0, '0'],
  [ScalarType.FIXED64]: ['fx64', 1, "'0'"],
  [ScalarType.FIXED32]: ['fx32', 5, '0'],
  [ScalarType.BOOL]: ['bool', 0, 'false'],
  [ScalarType.STRING]: ['str', 2, "''"],
  [ScalarType.BYTES]: ['bytes', 2, 'EMPTY as Uint8Array'],
  [ScalarType.UINT32]: ['u32', 0, '0'],
  [ScalarType.SFIXED32]: ['sfx32', 5, '0'],
  [ScalarType.SFIXED64]: ['sfx64', 1, "'0'"],
  [ScalarType.SINT32]: ['s32', 0, '0'],
  [ScalarType.SINT64]: ['s64', 0, "'0'"],
  [K_ENUM]: ['i32', 0, '0'],
};

const fnName = (typeName: string): string => `d_${typeName.replace(/^mezon\./, '').replace(/\./g, '_')}`;

/** `n` (a field number, from `t >>> 3`) is one of `nos`: as few comparisons as the number ranges need. */
function knownTest(nos: number[]): string {
  const sorted = [...new Set(nos)].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === n - 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges.map(([a, b]) => (a === b ? `n === ${a}` : `(n >= ${a} && n <= ${b})`)).join(' || ') || 'false';
}

/**
 * decode.generated.ts: for each message the hot Envelope fields reach, a
 * function that reads its fields into locals (a `switch` on the whole tag, so
 * a known number with another wire type falls to the default and gives up)
 * and returns one object literal, every field in schema order with wire.ts's
 * defaults. Maps and wrappers give up too (wire.ts decodes them).
 */
function decoderSource(table: Readonly<Record<string, ReadonlyArray<readonly [number, string, number, number, string?]>>>, commit: string): string {
  const envelope = table['mezon.realtime.Envelope'];
  if (!envelope) throw new Error('no Envelope in the schema');
  const cid = envelope.find((r) => r[1] === 'cid');
  if (!cid || cid[0] !== 1 || cid[2] !== ScalarType.INT32) throw new Error('Envelope.cid is no longer int32 field 1: update the fast decoder');
  const order: string[] = [];
  const listOnly = new Map<string, string>(); // list message → its repeated field (embedded lists are read for that list alone)
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`${name} is recursive: the fast decoder only takes acyclic messages`);
    const rows = table[name];
    if (!rows) throw new Error(`${name} is not in the schema`);
    visiting.add(name);
    for (const [, fname, kind, flags, ref] of rows) {
      if ((flags & 8) !== 0) continue;
      const embed = MEZON_EMBEDDED_LISTS[name]?.[fname];
      if (embed && kind === ScalarType.BYTES && (flags & 1) === 0) {
        visit(embed[0]);
        listOnly.set(embed[0], embed[1]);
      }
      else if (kind === K_MESSAGE && ref) visit(ref);
    }
    visiting.delete(name);
    order.push(name);
  };
  const hot = envelope.filter((r) => r[2] === K_MESSAGE && r[4] !== undefined && (r[3] & 8) === 0);
  for (const row of hot) visit(row[4] as string);

  const used = new Set(['BAIL', 'bail', 'begin', 'done', 'i32', 'len', 'more', 'release', 'skip', 'tag']);
  const fns = order.map((name) => {
    const rows = table[name] as ReadonlyArray<readonly [number, string, number, number, string?]>;
    const locals: string[] = [];
    const cases: string[] = [];
    rows.forEach(([no, fname, kind, flags, ref], i) => {
      const v = `f${i}`;
      const repeated = (flags & 1) !== 0;
      const oneof = (flags & 4) !== 0;
      const map = (flags & 8) !== 0;
      const embed = MEZON_EMBEDDED_LISTS[name]?.[fname];
      const isEmbed = embed !== undefined && kind === ScalarType.BYTES && !repeated;
      const reader = READERS[kind];
      let init: string;
      if (map) init = 'Object.create(null) as Record<string, unknown>';
      else if (repeated) init = '[] as unknown[]';
      else if (isEmbed) init = '[] as unknown[]';
      else if (oneof || kind === K_MESSAGE || kind === K_WRAPPER) init = 'undefined as unknown';
      else if (reader) init = reader[2];
      else throw new Error(`${name}.${fname}: unknown kind ${kind}`);
      locals.push(`let ${v} = ${init};`);
      if (map || kind === K_WRAPPER) return; // wire.ts decodes these: their tags give up
      const lenTag = (no << 3) | 2;
      if (isEmbed) {
        cases.push(`case ${lenTag}: ${v} = ${fnName(embed[0])}_list(len()); break;`);
      } else if (kind === K_MESSAGE) {
        const call = `${fnName(ref as string)}(len())`;
        cases.push(repeated ? `case ${lenTag}: ${v}.push(${call}); break;` : `case ${lenTag}: ${v} = ${call}; break;`);
      } else if (reader) {
        const [read, wt] = reader;
        used.add(read);
        const t = ((no << 3) | wt) >>> 0;
        if (!repeated) cases.push(`case ${t}: ${v} = ${read}(); break;`);
        else {
          cases.push(`case ${t}: ${v}.push(${read}()); break;`);
          if (wt !== 2) cases.push(`case ${lenTag}: { const e = len(); while (more(e)) ${v}.push(${read}()); done(e); break; }`);
        }
      }
    });
    const body = rows.map(([, fname], i) => `${JSON.stringify(fname)}: f${i}`).join(', ');
    const fn = (suffix: string, doc: string, result: string): string => `/** ${doc} */
function ${fnName(name)}${suffix}(end: number) {
  ${locals.join('\n  ')}
  while (more(end)) {
    const t = tag();
    switch (t) {
      ${cases.join('\n      ')}
      default: {
        const n = t >>> 3;
        if (${knownTest(rows.map((r) => r[0]))}) bail();
        skip(t);
      }
    }
  }
  done(end);
  return ${result};
}`;
    const key = listOnly.get(name);
    const out: string[] = [];
    if (key === undefined || hot.some((r) => r[4] === name) || order.some((m) => m !== name && (table[m] ?? []).some((r) => r[2] === K_MESSAGE && r[4] === name))) out.push(fn('', `${name}.`, `{ ${body} }`));
    if (key !== undefined) {
      const i = rows.findIndex((r) => r[1] === key);
      if (i < 0) throw new Error(`${name} has no field ${key}`);
      out.push(fn('_list', `${name}, embedded in a bytes field: all of it read, its ${key} returned.`, `f${i}`));
    }
    return out.join('\n\n');
  });

  const listCases = [...listOnly.keys()].map((m) => `case ${JSON.stringify(m)}: return ${fnName(m)}_list(bytes.length);`);
  // The hot fields get a direct call (V8 can inline it); the rest one call through a table by field number.
  const direct = hot.filter((r) => HOT_ENVELOPE_FIELDS.includes(r[1]));
  if (direct.length !== HOT_ENVELOPE_FIELDS.length) throw new Error(`Envelope lacks one of ${HOT_ENVELOPE_FIELDS.join(', ')}`);
  const envCases = direct.map(([no, fname, , , ref]) => `case ${(no << 3) | 2}: field = ${JSON.stringify(fname)}; payload = ${fnName(ref as string)}(len()); break;`);
  const maxNo = Math.max(...hot.map((r) => r[0]));
  const fieldTable = Array.from({ length: maxNo + 1 }, (_, no) => {
    const r = hot.find((x) => x[0] === no && !HOT_ENVELOPE_FIELDS.includes(x[1]));
    return r ? `[${JSON.stringify(r[1])}, ${fnName(r[4] as string)}]` : 'undefined';
  });
  return `/* eslint-disable */
// GENERATED by scripts/gen-mezon-schema.ts from schema.generated.ts (mezon-protocol ${commit}). Do not edit: regenerate.
// Straight-line decoders for every message field of Envelope (${hot.length}) and the messages they reach (${order.length});
// the primitives and the rules (give up on anything unusual, wire.ts decides) are in fastWire.ts.
import * as W from './fastWire';
import type { EnvelopeParts } from './wire';

// Bound once: a call through a named import can cost a getter per call where the build leaves modules apart.
const { ${[...used].sort().join(', ')} } = W;

${fns.some((f) => f.includes('EMPTY')) ? 'const EMPTY = new Uint8Array(0);\n\n' : ''}${fns.join('\n\n')}

/** Envelope field number → [name, decoder], for the fields without a case of their own. */
const FIELDS: ReadonlyArray<readonly [string, (end: number) => unknown] | undefined> = [${fieldTable.join(', ')}];

/**
 * A binary Envelope (an int32 cid, message fields) → its parts,
 * with the values wire.ts would give; undefined for anything else (a string cid, a map or wrapper
 * field set, a group, a wire-type mismatch, malformed input): decode that with wire.ts.
 */
export function decodeEnvelopeFast(frame: Uint8Array): EnvelopeParts | undefined {
  begin(frame);
  try {
    const end = frame.length;
    let cid = 0;
    let field: string | undefined;
    let payload: unknown;
    while (more(end)) {
      const t = tag();
      switch (t) {
        case 8: cid = i32(); break;
        ${envCases.join('\n        ')}
        default: {
          const entry = (t & 7) === 2 ? FIELDS[t >>> 3] : undefined;
          if (entry === undefined) throw BAIL;
          field = entry[0];
          payload = entry[1](len());
        }
      }
    }
    done(end);
    return { cid, cidString: false, field, payload };
  } catch {
    return undefined;
  } finally {
    release();
  }
}

/**
 * The encoded list message \`list\` (${[...listOnly.keys()].join(', ')}: what ChannelMessage's bytes
 * fields hold, base64 in JSON frames) → its elements, as wire.ts would give them; undefined for
 * another message or anything unusual: decode that with wire.ts.
 */
export function decodeEmbeddedListFast(list: string, bytes: Uint8Array): unknown[] | undefined {
  begin(bytes);
  try {
    switch (list) {
      ${listCases.join('\n      ')}
      default: return undefined;
    }
  } catch {
    return undefined;
  } finally {
    release();
  }
}
`;
}

function writeDecoders(table: Readonly<Record<string, ReadonlyArray<readonly [number, string, number, number, string?]>>>, commit: string): void {
  writeFileSync(join(ROOT, 'src', 'gateway', 'mezon', 'decode.generated.ts'), decoderSource(table, commit));
}

function main(): void {
  if (process.argv[2] === '--decoders') {
    writeDecoders(MEZON_MESSAGES, MEZON_SCHEMA_COMMIT);
    console.log('decoders written from schema.generated.ts');
    return;
  }
  const repo = process.argv[2];
  if (!repo) throw new Error('usage: tsx scripts/gen-mezon-schema.ts <mezon-protocol checkout or git dir> [current-rev] [previous-rev]');
  const outDir = join(ROOT, 'test', 'mezon', 'corpus', 'schema');
  mkdirSync(outDir, { recursive: true });
  const cur = build(repo, process.argv[3] ?? 'HEAD', join(outDir, 'mezon-current.binpb'));
  const prev = build(repo, process.argv[4] ?? PREVIOUS, join(outDir, 'mezon-previous.binpb'));
  writeFileSync(
    join(outDir, 'SOURCE.md'),
    `# Mezon schema descriptor sets\n\nCompiled with \`buf build\` by scripts/gen-mezon-schema.ts from github.com/mezonai/mezon-protocol (${FILES.join(', ')}):\n\n` +
      `- mezon-current.binpb: commit ${cur.commit} (${cur.date})\n- mezon-previous.binpb: commit ${prev.commit} (${prev.date}), the generation with string Envelope.cid\n`,
  );

  const messages = new Map<string, DescMessage>();
  const enums = new Map<string, Array<[string, number]>>();
  const visit = (m: DescMessage): void => {
    if (messages.has(m.typeName)) return;
    messages.set(m.typeName, m);
    for (const f of m.fields) {
      const e = f.fieldKind === 'enum' || (f.fieldKind === 'list' && f.listKind === 'enum') || (f.fieldKind === 'map' && f.mapKind === 'enum') ? f.enum : undefined;
      if (e) enums.set(e.typeName, e.values.map((v) => [v.name, v.number]));
      const sub = f.fieldKind === 'message' ? f.message : f.fieldKind === 'list' && f.listKind === 'message' ? f.message : f.fieldKind === 'map' && f.mapKind === 'message' ? f.message : undefined;
      if (sub && WRAPPERS[sub.typeName] === undefined) visit(sub);
    }
  };
  for (const r of ROOTS) {
    const m = cur.registry.getMessage(r);
    if (!m) throw new Error(`${r} is not in the current schema`);
    visit(m);
  }

  const table: Record<string, Row[]> = {};
  for (const [name, m] of [...messages].sort(([a], [b]) => a.localeCompare(b))) {
    table[name] = m.fields.map((f): Row => {
      const v = valueKind(f);
      let flags = 0;
      if (f.fieldKind === 'list') flags |= 1;
      if (f.fieldKind === 'list' && f.packed) flags |= 2;
      if (f.oneof) flags |= 4;
      if (f.fieldKind === 'map') flags |= 8;
      const row: Row = [f.number, f.name, v.kind, flags];
      if (f.fieldKind === 'map') row.push(`${f.mapKey}${v.ref ? `:${v.ref}` : ''}`);
      else if (v.ref !== undefined) row.push(v.ref);
      return row;
    });
  }

  // Renames between the generations: same message, same number, another name → a JSON alias.
  const aliases: Record<string, Record<string, string>> = JSON.parse(JSON.stringify(EXTRA_ALIASES)) as Record<string, Record<string, string>>;
  const retyped: string[] = [];
  for (const [name, m] of messages) {
    const old = prev.registry.getMessage(name);
    if (!old) continue;
    for (const f of m.fields) {
      const o = old.fields.find((x) => x.number === f.number);
      if (!o) continue;
      if (o.name !== f.name && !m.fields.some((x) => x.name === o.name)) (aliases[name] ??= {})[o.name] = f.name;
      const a = valueKind(f);
      const b = valueKind(o);
      if (a.kind !== b.kind) retyped.push(`${name}.${f.name}: ${ScalarType[b.kind] ?? b.kind} → ${ScalarType[a.kind] ?? a.kind}`);
    }
  }

  const src = `/* eslint-disable */
// GENERATED by scripts/gen-mezon-schema.ts from github.com/mezonai/mezon-protocol
// commit ${cur.commit} (${cur.date}), files ${FILES.join(', ')}. Do not edit: regenerate.
// Previous generation (JSON aliases, tolerated wire types): commit ${prev.commit} (${prev.date}).
// Fields retyped since then: ${retyped.join('; ') || 'none'}.

/** The commit of mezon-protocol this schema was generated from. */
export const MEZON_SCHEMA_COMMIT = '${cur.commit}';

/**
 * Every message reachable from Envelope: rows of [field number, proto name,
 * kind, flags, ref?]. kind: protobuf ScalarType (1-18), 20 enum, 21 message,
 * 22 wrapper (ref = the wrapped ScalarType); flags: 1 repeated, 2 packed,
 * 4 oneof member, 8 map (ref = "keyScalar[:valueType]").
 */
export const MEZON_MESSAGES: Readonly<Record<string, ReadonlyArray<readonly [number, string, number, number, string?]>>> = ${JSON.stringify(table, null, 0).replace(/\],\["?/g, (s) => s).replace(/"(mezon\.[A-Za-z.]+)":/g, '\n  "$1":')};

/** Enum value names (the protobuf JSON mapping may write enums by name). */
export const MEZON_ENUMS: Readonly<Record<string, ReadonlyArray<readonly [string, number]>>> = ${JSON.stringify(Object.fromEntries([...enums].sort(([a], [b]) => a.localeCompare(b))))};

/** Field names of the previous generations, accepted in JSON frames: message → old name → current name. */
export const MEZON_FIELD_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(aliases)};
`;
  writeFileSync(join(ROOT, 'src', 'gateway', 'mezon', 'schema.generated.ts'), src);
  writeDecoders(table, cur.commit);
  console.log(`schema: ${messages.size} messages, ${enums.size} enums; retyped: ${retyped.join('; ')}; aliases: ${JSON.stringify(aliases)}`);
}

main();
