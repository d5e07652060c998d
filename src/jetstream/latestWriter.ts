/**
 * Writes the latest of a stream of values, one write at a time: while a write
 * is in flight, newer values replace each other, and the newest is written
 * next. Bounds checkpoint writes to one per round trip however fast events come.
 */
export function latestWriter<V>(put: (value: V) => Promise<unknown>, onError: (err: unknown) => void = () => undefined): (value: V) => void {
  let writing = false;
  let pending: { value: V } | undefined;
  const run = (value: V): void => {
    writing = true;
    put(value).then(
      () => done(),
      (err: unknown) => {
        onError(err);
        done();
      },
    );
  };
  const done = (): void => {
    writing = false;
    const next = pending;
    pending = undefined;
    if (next) run(next.value);
  };
  return (value) => {
    if (writing) pending = { value };
    else run(value);
  };
}
