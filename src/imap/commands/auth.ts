/** Connection-level commands: CAPABILITY, NOOP, LOGOUT, STARTTLS, LOGIN, AUTHENTICATE, ID, ENABLE, COMPRESS, NAMESPACE. */
import { concat, defer, ignoreElements, map, Observable, of, throwError } from 'rxjs';
import { AuthenticationFailedError, CommandFailedError, redact } from '../../core';
import type { NamespaceResponse, TaggedResponse, UntaggedResponse } from '../codecs/response';
import type { ImapConnection } from '../connection';
import { CleartextRefusedError } from '../errors';
import { astring, quoted, type Part } from '../quote';
import type { SaslMechanism } from '../sasl/mechanism';
import { plain } from '../sasl/plain';
import { collect, guarded, simple } from './util';

/** How `login`/`authenticate` secure the connection before sending credentials. */
export interface SecurityOptions {
  /** 'starttls' requires the upgrade, 'none' never upgrades; default: upgrade when offered. */
  readonly tls?: 'implicit' | 'starttls' | 'none';
  /** Allow sending credentials over an unencrypted connection. Default false. */
  readonly allowCleartextLogin?: boolean;
}

/** The capabilities: cached unless `refresh`; emits the list once. */
export function capability(c: ImapConnection, refresh = false): Observable<string[]> {
  return defer(() => {
    if (c.capabilitiesKnown && !refresh) return of([...c.capabilities]);
    return collect(c, { name: 'CAPABILITY', parts: ['CAPABILITY'], accepts: (r) => r.kind === 'capability' }).pipe(map(() => [...c.capabilities]));
  });
}

export function noop(c: ImapConnection): Observable<void> {
  return simple(c, { name: 'NOOP', parts: ['NOOP'] });
}

/** LOGOUT: emits once the server said BYE and OK, then the socket is closed. */
export function logout(c: ImapConnection): Observable<void> {
  return new Observable<void>((sub) =>
    simple(c, { name: 'LOGOUT', parts: ['LOGOUT'], barrier: true, accepts: (r) => r.kind === 'condition' && r.status === 'BYE' }).subscribe({
      next: () => sub.next(),
      error: (e) => {
        c.close();
        sub.error(e);
      },
      complete: () => {
        c.close();
        sub.complete();
      },
    }),
  );
}

/**
 * STARTTLS: upgrades the socket in place, then reads the capabilities again over TLS (RFC 3501 §6.2.1).
 * Anything the server (or a man in the middle) sent in cleartext after the OK is discarded (CVE-2011-0411 class).
 */
export function starttls(c: ImapConnection): Observable<void> {
  return concat(
    simple(c, {
      name: 'STARTTLS',
      parts: ['STARTTLS'],
      barrier: true,
      upgradesTls: true,
      onOk: () => {
        c.invalidateCapabilities();
        const t = c.rawTransport;
        return t ? t.startTls() : Promise.reject(new Error('not connected'));
      },
    }),
    capability(c, true).pipe(ignoreElements()),
  );
}

/** Runs `first`, ignores its values, then `next`. */
function then<T>(first: Observable<unknown>, next: () => Observable<T>): Observable<T> {
  return concat(first.pipe(ignoreElements()), defer(next));
}

/** Makes sure the connection is encrypted before a secret is sent, upgrading with STARTTLS when possible. */
export function secure(c: ImapConnection, options: SecurityOptions): Observable<void> {
  return defer(() => {
    if (c.secure || options.tls === 'implicit') return of(undefined);
    return then(capability(c), () => {
      if (options.tls !== 'none' && c.hasCapability('STARTTLS')) return then(starttls(c), () => of(undefined));
      if (options.tls === 'starttls') return throwError(() => new CommandFailedError('STARTTLS', 'NO', 'the server does not offer STARTTLS but tls: "starttls" requires it'));
      if (!options.allowCleartextLogin) return throwError(() => new CleartextRefusedError());
      return of(undefined);
    });
  });
}

function authFailure(command: string, secrets: readonly string[]) {
  return (r: TaggedResponse): Error => {
    const code = r.code ? (r.code.name === 'OTHER' ? r.code.atom : r.code.name) : undefined;
    if (code === 'UNAVAILABLE' || r.status === 'BAD') return new CommandFailedError(command, r.status, redact(r.text, secrets), code);
    return new AuthenticationFailedError('imap', redact(r.text, secrets));
  };
}

const authenticated = (c: ImapConnection) => (r: TaggedResponse) => {
  if (r.status === 'OK') c.setState({ status: 'authenticated' });
};

/** After LOGIN/AUTHENTICATE: keeps the capabilities the OK carried, or asks again. */
function afterAuth(c: ImapConnection, before: ReadonlySet<string>): Observable<void> {
  const same = before.size === c.capabilities.size && [...before].every((x) => c.capabilities.has(x));
  if (!same) return of(undefined);
  c.invalidateCapabilities();
  return capability(c, true).pipe(map(() => undefined));
}

/**
 * LOGIN. Refuses cleartext unless allowed, upgrades with STARTTLS when offered,
 * and on LOGINDISABLED uses AUTHENTICATE PLAIN when the server offers it.
 * A NO becomes AuthenticationFailedError (the password is never in it).
 */
export function login(c: ImapConnection, user: string, password: string, options: SecurityOptions = {}): Observable<void> {
  return then(secure(c, options), () =>
    then(capability(c), () => {
      if (c.hasCapability('LOGINDISABLED')) {
        if (c.hasCapability('AUTH=PLAIN')) return authenticate(c, plain(user, password), options);
        return throwError(() => new CommandFailedError('LOGIN', 'NO', 'the server advertises LOGINDISABLED and no AUTH=PLAIN; use authenticate() with a mechanism it offers'));
      }
      const before = new Set(c.capabilities);
      return guarded(() => {
        const parts: Part[] = ['LOGIN ', astring(user), ' ', astring(password)];
        return then(simple(c, { name: 'LOGIN', parts, barrier: true, sensitive: true, onTagged: authenticated(c), failure: authFailure('LOGIN', [password, user]) }), () => afterAuth(c, before));
      });
    }),
  );
}

/**
 * AUTHENTICATE with a SASL mechanism (PLAIN, LOGIN, XOAUTH2, OAUTHBEARER or your own).
 * The initial response goes inline when the server offers SASL-IR.
 */
export function authenticate(c: ImapConnection, mechanism: SaslMechanism, options: SecurityOptions = {}): Observable<void> {
  return then(secure(c, options), () =>
    then(capability(c), () => {
      const ir = mechanism.initial && c.hasCapability('SASL-IR') ? mechanism.initial() : undefined;
      let initialPending = mechanism.initial !== undefined && ir === undefined;
      const parts: Part[] = [`AUTHENTICATE ${mechanism.name}`];
      if (ir) parts.push(' ', ir.length === 0 ? '=' : ir.toString('base64'));
      const before = new Set(c.capabilities);
      const run = simple(c, {
        name: 'AUTHENTICATE',
        parts,
        barrier: true,
        sensitive: true,
        onTagged: authenticated(c),
        failure: authFailure('AUTHENTICATE', mechanism.secrets ?? []),
        onContinuation: (text) => {
          let reply: Buffer;
          if (initialPending && mechanism.initial) {
            initialPending = false;
            reply = mechanism.initial();
          } else reply = mechanism.step(Buffer.from(text.trim(), 'base64'));
          return Buffer.from(reply.toString('base64'), 'ascii');
        },
      });
      return then(run, () => afterAuth(c, before));
    }),
  );
}

/** ID (RFC 2971): sends ours (or NIL), emits the server's. */
export function id(c: ImapConnection, params: Record<string, string | null> | null = null): Observable<Record<string, string | null> | null> {
  return guarded(() => {
    const parts: Part[] = ['ID '];
    if (!params) parts.push('NIL');
    else {
      parts.push('(');
      Object.entries(params).forEach(([k, v], i) => parts.push(i ? ' ' : '', quoted(k), ' ', v === null ? 'NIL' : quoted(v)));
      parts.push(')');
    }
    return collect(c, { name: 'ID', parts, accepts: (r) => r.kind === 'id' }).pipe(
      map(({ untagged }) => {
        for (const r of untagged) if (r.kind === 'id') return r.params;
        return null;
      }),
    );
  });
}

/** ENABLE (RFC 5161), e.g. CONDSTORE, QRESYNC: emits what the server enabled. */
export function enable(c: ImapConnection, ...extensions: string[]): Observable<string[]> {
  return guarded(() => {
    for (const e of extensions) if (!/^[A-Za-z0-9=+._-]+$/.test(e)) throw new CommandFailedError('ENABLE', 'BAD', `not a capability name: ${JSON.stringify(e.slice(0, 40))}`);
    return collect(c, { name: 'ENABLE', parts: [`ENABLE ${extensions.join(' ')}`], accepts: (r) => r.kind === 'enabled' }).pipe(
      map(({ untagged }) => untagged.flatMap((r) => (r.kind === 'enabled' ? r.capabilities : []))),
    );
  });
}

/** COMPRESS DEFLATE (RFC 4978): both directions are deflated from the OK on. */
export function compress(c: ImapConnection): Observable<void> {
  return simple(c, {
    name: 'COMPRESS',
    parts: ['COMPRESS DEFLATE'],
    barrier: true,
    onOk: () => c.rawTransport?.compress(),
  });
}

export function namespace(c: ImapConnection): Observable<NamespaceResponse> {
  return collect(c, { name: 'NAMESPACE', parts: ['NAMESPACE'], accepts: (r) => r.kind === 'namespace' }).pipe(
    map(({ untagged }) => {
      for (const r of untagged) if (r.kind === 'namespace') return r;
      return { kind: 'namespace' as const, personal: null, other: null, shared: null };
    }),
  );
}

const IDLE_KINDS = new Set(['exists', 'recent', 'expunge', 'fetch', 'vanished', 'flags', 'condition']);

/**
 * IDLE (RFC 2177) as a cold Observable: subscribing sends IDLE; every untagged
 * update the server pushes while idling (EXISTS, EXPUNGE, FETCH, VANISHED,
 * FLAGS, OK/NO/BYE conditions) is emitted; unsubscribing sends DONE (at once,
 * or as soon as the server's `+` arrives). Completes when the server ends the
 * IDLE itself, errors on NO/BAD or a dropped connection. IDLE holds back the
 * commands queued after it until it ends, so unsubscribe before issuing others;
 * servers end an IDLE after ~30 min: re-subscribe (e.g. `repeat()`) every 25-29 min.
 */
export function idle(c: ImapConnection): Observable<UntaggedResponse> {
  return new Observable<UntaggedResponse>((sub) => {
    let active = true;
    let continued = false;
    let doneSent = false;
    const done = () => {
      if (doneSent) return;
      doneSent = true;
      c.writeRaw('DONE\r\n').catch(() => undefined);
    };
    const inner = c
      .command({
        name: 'IDLE',
        parts: ['IDLE'],
        barrier: true,
        timeout: 0,
        accepts: (r) => active && IDLE_KINDS.has(r.kind),
        onContinuation: () => {
          continued = true;
          if (!active) done();
          return null;
        },
      })
      .subscribe({
        next: (r) => {
          if (r.kind !== 'tagged' && r.kind !== 'continuation') sub.next(r as UntaggedResponse);
        },
        error: (e) => sub.error(e),
        complete: () => sub.complete(),
      });
    return () => {
      active = false;
      // the command stays in flight until its tagged OK, so later commands wait for it
      if (continued) done();
      inner.unsubscribe();
    };
  });
}
