import {
  AuthenticationFailedError,
  CommandFailedError,
  DecodeFailedError,
  FatalCloseError,
  isRetryable,
  ProtocolViolationError,
  RateLimitedError,
  redact,
  RxwireError,
  TimeoutError,
  TransportClosedError,
} from '../../src/core';

describe('typed errors', () => {
  it('each class has its code, retryability and name, and is an RxwireError', () => {
    const cases: Array<[RxwireError, string, boolean]> = [
      [new TransportClosedError('reset'), 'TransportClosed', true],
      [new ProtocolViolationError('line too long'), 'ProtocolViolation', true],
      [new AuthenticationFailedError('imap'), 'AuthenticationFailed', false],
      [new FatalCloseError(4004, 'Authentication failed', 'check your bot token'), 'FatalClose', false],
      [new RateLimitedError(1000), 'RateLimited', true],
      [new TimeoutError('pong', 10_000), 'Timeout', true],
      [new CommandFailedError('SELECT', 'NO', 'Mailbox does not exist', 'NONEXISTENT'), 'CommandFailed', false],
      [new DecodeFailedError('GET /me', ['a: expected string, got 1'], {}), 'Decode', false],
    ];
    for (const [err, code, retryable] of cases) {
      expect(err).toBeInstanceOf(RxwireError);
      expect(err).toBeInstanceOf(Error);
      expect(err.code).toBe(code);
      expect(err.retryable).toBe(retryable);
      expect(err.name).toBe(err.constructor.name);
      expect(isRetryable(err)).toBe(retryable);
    }
  });

  it('messages say what to do', () => {
    expect(new AuthenticationFailedError('Mail.tm', 'HTTP 401').message).toMatch(/Check the user name and the password or token/);
    expect(new FatalCloseError(4014, 'Disallowed intents', 'enable the privileged intents in the developer portal').message).toBe(
      'closed with fatal code 4014 (Disallowed intents): enable the privileged intents in the developer portal',
    );
    expect(new RateLimitedError(1500, 'HTTP 429').message).toMatch(/retry after 1500 ms/);
  });

  it('unknown errors (plain network errors) count as retryable', () => {
    expect(isRetryable(new Error('ECONNRESET'))).toBe(true);
    expect(isRetryable('weird')).toBe(true);
  });

  it('redact removes every occurrence of every secret and ignores empty ones', () => {
    expect(redact('token=abc123&again=abc123 pw=hunter2', ['abc123', 'hunter2', '', undefined])).toBe('token=***&again=*** pw=***');
    expect(redact('nothing to hide', [])).toBe('nothing to hide');
  });
});

describe('error brands (one class identity across copies of rxwire)', () => {
  // A second copy of the core, as a CJS subpath bundle or a second installed version would load it.
  const loadCopy = (): typeof import('../../src/core/errors') => {
    let copy: typeof import('../../src/core/errors') | undefined;
    jest.isolateModules(() => {
      copy = require('../../src/core/errors') as typeof import('../../src/core/errors');
    });
    if (!copy) throw new Error('no copy');
    return copy;
  };

  it('an error from another copy is instanceof this copy’s class of the same code, and not of another', () => {
    const other = loadCopy();
    const here = require('../../src/core/errors') as typeof import('../../src/core/errors');
    expect(other.AuthenticationFailedError).not.toBe(here.AuthenticationFailedError);
    const e = new other.AuthenticationFailedError('mailtm');
    expect(e).toBeInstanceOf(here.AuthenticationFailedError);
    expect(e).toBeInstanceOf(here.RxwireError);
    expect(e).not.toBeInstanceOf(here.TransportClosedError);
    expect(here.isRxwireError(e)).toBe(true);
    expect(here.isRetryable(e)).toBe(false);
    expect(here.isRetryable(new other.TransportClosedError('reset'))).toBe(true);
    expect(here.isRetryable(new Error('ECONNRESET'))).toBe(true);
    expect(new Error('x')).not.toBeInstanceOf(here.RxwireError);
    expect({ code: 'AuthenticationFailed' }).not.toBeInstanceOf(here.AuthenticationFailedError);
  });

  it('ActionDroppedError says what to do and is retryable', () => {
    const here = require('../../src/core/errors') as typeof import('../../src/core/errors');
    const e = new here.ActionDroppedError('sendMessage', 'connection reset');
    expect(e.message).toMatch(/dropped by a disconnect.*run it again/);
    expect(e.retryable).toBe(true);
    expect(e).toBeInstanceOf(here.RxwireError);
  });
});
