/**
 * `npm run docs:check`: builds the API docs model (TypeDoc, same config as
 * `npm run docs`) and fails listing, per entry point:
 * - every export without a doc comment, and every member (property, method,
 *   accessor, enum member) of an exported class, interface or enum without
 *   one. Fields of anonymous object types and of codec-derived types keep the
 *   wire's names and are documented by their codec, so they are not required;
 * - every type an export refers to that no entry point exports (`notExported`:
 *   a user cannot name it, the TS2742 problem);
 * - every `{@link}` that does not resolve, and any other TypeDoc warning.
 * It also lists doc comments whose code spans name a function or type that
 * is not exported under that name (`foo()`, `new Foo(...)`, `FooOptions`):
 * a heuristic, shown as "names" and counted as failures too (pass
 * `--no-names` to report them without failing).
 *
 * `npx tsx scripts/check-docs.ts --summary` prints only the counts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join, relative } from 'node:path';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as zlib from 'node:zlib';
import * as crypto from 'node:crypto';
import * as rxjs from 'rxjs';
import * as t from 'io-ts';
import { SUBPATHS } from './typedoc-subpaths.mjs';
import {
  Application,
  Logger,
  LogLevel,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
  DeclarationReflection,
  ReflectionType,
  type CommentDisplayPart,
  type MinimalNode,
  type MinimalSourceFile,
  type ProjectReflection,
  type Reflection,
} from 'typedoc';

/** Public subpaths, in the order they are reported (the plugin names each entry module after its subpath). */
const ENTRY_POINTS: readonly string[] = Object.values(SUBPATHS);

/** Source folder → the entry point its warnings are reported under (for warnings that name a file only). */
const SOURCE_DIRS: ReadonlyArray<readonly [string, string]> = [
  ['src/core/', 'rxwire'],
  ['src/index.ts', 'rxwire'],
  ['src/imap/', 'rxwire/imap'],
  ['src/mailtm/', 'rxwire/mailtm'],
  ['src/gateway/discord/', 'rxwire/discord'],
  ['src/gateway/stoat/', 'rxwire/stoat'],
  ['src/gateway/mezon/', 'rxwire/mezon'],
  ['src/gateway/transport/', 'rxwire/ws'],
  ['src/testing/', 'rxwire/testing'],
];

type Category = 'undocumented' | 'notExported' | 'link' | 'other' | 'names';
type Finding = { readonly entry: string; readonly category: Category; readonly text: string };

/** Keeps TypeDoc's warnings instead of printing them. */
class CapturingLogger extends Logger {
  readonly messages: { readonly level: LogLevel; readonly text: string }[] = [];
  override log(message: string, level: LogLevel): void {
    this.messages.push({ level, text: message });
  }
  /** Appends the file a warning points at (TypeDoc's console logger prints it above the message). */
  protected override addContext(message: string, _level: Exclude<LogLevel, LogLevel.None>, ...args: [MinimalNode?] | [number, MinimalSourceFile]): string {
    const [first, second] = args;
    const file = typeof first === 'number' ? second?.fileName : first?.getSourceFile().fileName;
    return file === undefined ? message : `${message} [${relative(process.cwd(), file)}]`;
  }
}

/** The entry point a fully qualified name (`rxwire/discord.DiscordGateway.send`) belongs to. */
function entryOfName(fullName: string): string | undefined {
  return [...ENTRY_POINTS].sort((a, b) => b.length - a.length).find((e) => fullName === e || fullName.startsWith(`${e}.`));
}

function entryOfFile(text: string): string {
  const hit = SOURCE_DIRS.find(([dir]) => text.includes(dir));
  return hit ? hit[1] : '(unknown)';
}

function classify(text: string): Finding {
  let m = /^(.+?) \((.+?)\), defined in (.+?), does not have any documentation$/.exec(text);
  if (m) return { entry: entryOfName(m[1]) ?? entryOfFile(m[3]), category: 'undocumented', text: `${m[1]} (${m[2]})` };
  m = /^(.+?), defined in (.+?), is referenced by (.+?) but not included in the documentation$/.exec(text);
  if (m) return { entry: entryOfName(m[3]) ?? entryOfFile(m[2]), category: 'notExported', text: `${m[1]} (${m[2]}), used by ${m[3]}` };
  m = /^Failed to resolve link to "(.+?)" in comment for (\S+)/.exec(text);
  if (m) return { entry: entryOfName(m[2]) ?? entryOfFile(text), category: 'link', text };
  return { entry: entryOfFile(text), category: 'other', text: text.split('\n')[0] };
}

/** Kinds whose members must be documented. */
const CONTAINERS = ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.Enum;
/** Kinds whose children are exports. */
const MODULES = ReflectionKind.Module | ReflectionKind.Namespace;
const MEMBERS = ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor | ReflectionKind.EnumMember;

/** A reflection's own comment, or one on any of its signatures (functions, methods, accessors, function-typed values). */
function documented(r: DeclarationReflection): boolean {
  if (r.hasComment()) return true;
  const signatures = [...(r.signatures ?? []), ...(r.getSignature ? [r.getSignature] : []), ...(r.setSignature ? [r.setSignature] : [])];
  if (r.type instanceof ReflectionType) signatures.push(...(r.type.declaration.signatures ?? []));
  return signatures.some((sig) => sig.hasComment());
}

type Tally = { exports: number; members: number; undocumentedExports: number; undocumentedMembers: number };

/** Walks every entry point: exports (through namespaces) and the members of exported classes/interfaces/enums. */
function undocumented(project: ProjectReflection, tallies: Map<string, Tally>): Finding[] {
  const out: Finding[] = [];
  const visit = (r: DeclarationReflection, entry: string, tally: Tally, asMember: boolean): void => {
    if (r.kindOf(ReflectionKind.Reference)) return; // the same symbol exported again: checked where it is declared
    if (asMember && (r.inheritedFrom !== undefined || r.flags.isPrivate || r.flags.isProtected)) return;
    if (asMember) tally.members += 1;
    else tally.exports += 1;
    if (!documented(r)) {
      if (asMember) tally.undocumentedMembers += 1;
      else tally.undocumentedExports += 1;
      out.push({ entry, category: 'undocumented', text: `${r.getFullName()} (${ReflectionKind.singularString(r.kind)})` });
    }
    if (r.kindOf(MODULES)) for (const c of r.children ?? []) visit(c, entry, tally, false);
    else if (r.kindOf(CONTAINERS)) for (const c of r.children ?? []) if (c.kindOf(MEMBERS)) visit(c, entry, tally, true);
  };
  for (const module of project.children ?? []) {
    const entry = entryOfName(module.name) ?? module.name;
    const tally: Tally = { exports: 0, members: 0, undocumentedExports: 0, undocumentedMembers: 0 };
    tallies.set(entry, tally);
    for (const c of module.children ?? []) visit(c, entry, tally, false);
  }
  return out;
}

/** Names a doc comment may mention in code: everything TypeDoc documented, rxjs, io-ts, JS/Node globals. */
function knownNames(project: ProjectReflection): Set<string> {
  const known = new Set<string>();
  for (const r of Object.values(project.reflections)) known.add(r.name);
  for (const source of [rxjs, t, nodeModule, net, tls, zlib, crypto]) for (const k of Object.keys(source)) known.add(k);
  let o: object | null = globalThis;
  while (o !== null) {
    for (const k of Object.getOwnPropertyNames(o)) known.add(k);
    o = Object.getPrototypeOf(o) as object | null;
  }
  // String literals in the sources (event type names such as 'DecodeError', wire tags).
  for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' }))
    if (file.endsWith('.ts')) for (const m of readFileSync(join('src', file), 'utf8').matchAll(/'([A-Za-z_$][\w$]*)'/g)) known.add(m[1]);
  for (const ctor of [Object, Array, String, Promise, Map, Set, Uint8Array, Buffer, JSON, Math, Number, Error, Symbol])
    for (const k of [...Object.getOwnPropertyNames(ctor), ...Object.getOwnPropertyNames((ctor as { prototype?: object }).prototype ?? {})]) known.add(k);
  return known;
}

const TYPE_LIKE = /^[A-Z][A-Za-z0-9]*(Error|Options|Event|Events|Handle|Client|Server|State|Codec)$/;

/** The names in one code span that should be exported: call-like heads and type-like identifiers. */
function namesInCode(code: string): string[] {
  const span = code.replace(/^`+|`+$/g, '').trim();
  const out: string[] = [];
  const call = /^(?:new\s+)?([A-Za-z_$][\w$]*)((?:\.[A-Za-z_$][\w$]*)*)\s*\(/.exec(span);
  if (call) {
    const head = call[1];
    const rest = call[2].split('.').filter(Boolean);
    if (rest.length === 0) out.push(head);
    else if (/^[A-Z]/.test(head)) out.push(head, rest[rest.length - 1]);
    return out;
  }
  if (TYPE_LIKE.test(span)) out.push(span);
  return out;
}

function commentParts(r: Reflection): CommentDisplayPart[] {
  const c = r.comment;
  if (c === undefined) return [];
  return [...c.summary, ...c.blockTags.flatMap((tag) => tag.content)];
}

function staleNames(project: ProjectReflection): Finding[] {
  const known = knownNames(project);
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const r of Object.values(project.reflections)) {
    const full = r.getFullName();
    const entry = entryOfName(full);
    if (entry === undefined) continue;
    for (const part of commentParts(r)) {
      if (part.kind !== 'code') continue;
      for (const name of namesInCode(part.text)) {
        if (known.has(name)) continue;
        const key = `${full}|${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ entry, category: 'names', text: `${full}: \`${name}\` is not exported under that name (in ${part.text})` });
      }
    }
  }
  return out;
}

async function main(): Promise<number> {
  const summaryOnly = process.argv.includes('--summary');
  const namesFail = !process.argv.includes('--no-names');
  const app = await Application.bootstrapWithPlugins(
    {
      options: 'typedoc.json',
      lang: 'en',
      logLevel: 'Warn',
      validation: { notExported: true, invalidLink: true, notDocumented: false, rewrittenLink: true, invalidPath: true, unusedMergeModuleWith: true },
    },
    [new TypeDocReader(), new TSConfigReader()],
  );
  const logger = new CapturingLogger();
  app.logger = logger;
  const project = await app.convert();
  if (project === undefined) {
    for (const m of logger.messages) console.error(m.text);
    console.error('docs:check: TypeDoc could not convert the project (see above)');
    return 2;
  }
  app.validate(project);
  const tallies = new Map<string, Tally>();
  const findings = [
    ...undocumented(project, tallies),
    ...logger.messages.filter((m) => m.level >= LogLevel.Warn).map((m) => classify(m.text)),
    ...staleNames(project),
  ];

  const categories: Category[] = ['undocumented', 'notExported', 'link', 'other', 'names'];
  const entries = [...ENTRY_POINTS, ...new Set(findings.map((f) => f.entry).filter((e) => !ENTRY_POINTS.includes(e)))];
  if (!summaryOnly) {
    for (const entry of entries) {
      const mine = findings.filter((f) => f.entry === entry);
      if (mine.length === 0) continue;
      console.log(`\n## ${entry}`);
      for (const category of categories) {
        const list = mine.filter((f) => f.category === category);
        if (list.length === 0) continue;
        console.log(`### ${category} (${list.length})`);
        for (const f of list) console.log(`- ${f.text}`);
      }
    }
  }
  console.log('\nentry point       undocumented exports  undocumented members  notExported  link  other  names');
  for (const entry of entries) {
    const n = (c: Category): string => String(findings.filter((f) => f.entry === entry && f.category === c).length);
    const tally = tallies.get(entry);
    const ex = tally ? `${tally.undocumentedExports}/${tally.exports}` : '-';
    const mem = tally ? `${tally.undocumentedMembers}/${tally.members}` : '-';
    console.log(`${entry.padEnd(17)} ${ex.padStart(20)} ${mem.padStart(21)} ${n('notExported').padStart(12)} ${n('link').padStart(5)} ${n('other').padStart(6)} ${n('names').padStart(6)}`);
  }
  const failing = findings.filter((f) => namesFail || f.category !== 'names');
  console.log(failing.length === 0 ? '\ndocs:check: every export is documented' : `\ndocs:check: ${failing.length} problem(s)`);
  return failing.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
