/**
 * A lease on one KV key, as a pure step function `(state, input) → [state, outputs]`.
 *
 * The KV bucket is created with a TTL equal to the lease's `ttl`: an entry that
 * is not renewed expires, and another process may then `create` it. The holder
 * renews every `ttl / 3` with `update(key, revision)`; an update rejected
 * (someone else's revision) means the lease is lost. Fencing against a slow
 * holder: a holder that has not renewed successfully within `ttl × safety`
 * (local clock) declares the lease lost BEFORE the entry can expire, so two
 * processes never both believe they hold it.
 */

export interface LeaseConfig {
  /** Lease time to live in ms (must equal the KV bucket's TTL). */
  readonly ttl: number;
  /** Fraction of ttl after the last successful renewal at which the holder gives up. Default 0.75. */
  readonly safety?: number;
}

/** The lease machine's state. */
export interface LeaseState {
  /** Where the machine is: trying to take the lease, holding it, renewing it, releasing it, or done. */
  readonly phase: 'idle' | 'acquiring' | 'held' | 'renewing' | 'releasing' | 'released';
  /** KV revision of our entry while held. */
  readonly revision: number | null;
  /** Local time of the last successful create/update. */
  readonly renewedAt: number;
  /** Whether the holder currently believes it holds the lease (what was last emitted). */
  readonly holding: boolean;
}

/** What the lease machine reacts to: timer ticks and the KV's answers. */
export type LeaseInput =
  | { readonly kind: 'tick'; readonly now: number }
  | { readonly kind: 'created'; readonly revision: number; readonly now: number }
  | { readonly kind: 'updated'; readonly revision: number; readonly now: number }
  /** create/update was refused (the key exists / the revision moved on). */
  | { readonly kind: 'rejected'; readonly now: number }
  /** the KV could not be reached (NATS down): keep trying; the fencing timer decides. */
  | { readonly kind: 'failed'; readonly now: number }
  | { readonly kind: 'release' }
  | { readonly kind: 'deleted' };

/** What the lease machine asks for: KV writes to make, and changes of holding to report. */
export type LeaseOutput =
  | { readonly kind: 'create' }
  | { readonly kind: 'update'; readonly revision: number }
  | { readonly kind: 'delete'; readonly revision: number }
  | { readonly kind: 'held'; readonly held: boolean };

/** The state before the first tick. */
export const initialLease: LeaseState = { phase: 'idle', revision: null, renewedAt: 0, holding: false };

/** One step's result: the next state and the outputs to carry out, in order. */
export type LeaseStep = readonly [LeaseState, readonly LeaseOutput[]];

function lose(state: LeaseState): LeaseStep {
  const next: LeaseState = { phase: 'idle', revision: null, renewedAt: 0, holding: false };
  return [next, state.holding ? [{ kind: 'held', held: false }] : []];
}

/** The lease machine: a pure step from (config, state, input) to the next state and the outputs. */
export function leaseStep(config: LeaseConfig, state: LeaseState, input: LeaseInput): LeaseStep {
  const limit = config.ttl * (config.safety ?? 0.75);
  if (state.phase === 'released') return [state, []];
  switch (input.kind) {
    case 'tick': {
      if (state.holding && input.now - state.renewedAt >= limit) {
        const [lost, out] = lose(state);
        return [{ ...lost, phase: 'acquiring' }, [...out, { kind: 'create' }]];
      }
      if (state.phase === 'idle') return [{ ...state, phase: 'acquiring' }, [{ kind: 'create' }]];
      if (state.phase === 'held' && state.revision !== null) return [{ ...state, phase: 'renewing' }, [{ kind: 'update', revision: state.revision }]];
      return [state, []]; // a request is outstanding
    }
    case 'created':
    case 'updated': {
      if (state.phase === 'releasing') return [state, [{ kind: 'delete', revision: input.revision }]];
      if (state.phase !== 'acquiring' && state.phase !== 'renewing') return [state, []];
      // An answer that arrives after the fencing limit cannot be trusted to be first.
      if (state.holding && input.now - state.renewedAt >= limit) return lose(state);
      const next: LeaseState = { phase: 'held', revision: input.revision, renewedAt: input.now, holding: true };
      return [next, state.holding ? [] : [{ kind: 'held', held: true }]];
    }
    case 'rejected':
      if (state.phase === 'releasing') return [{ ...initialLease, phase: 'released' }, []];
      if (state.phase === 'renewing') return lose(state);
      return [{ ...state, phase: 'idle' }, []];
    case 'failed':
      if (state.phase === 'releasing') return [{ ...initialLease, phase: 'released' }, []];
      return [{ ...state, phase: state.holding ? 'held' : 'idle' }, []];
    case 'release': {
      const out: LeaseOutput[] = state.holding ? [{ kind: 'held', held: false }] : [];
      if (state.phase === 'held' && state.revision !== null) return [{ ...initialLease, phase: 'released' }, [...out, { kind: 'delete', revision: state.revision }]];
      if (state.phase === 'acquiring' || state.phase === 'renewing') return [{ ...initialLease, phase: 'releasing' }, out];
      return [{ ...initialLease, phase: 'released' }, out];
    }
    case 'deleted':
      return [state.phase === 'releasing' ? { ...initialLease, phase: 'released' } : state, []];
  }
}
