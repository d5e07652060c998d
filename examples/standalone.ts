/** Lets each example run on its own (`npx tsx examples/<name>.ts`): logs to the console, exits 1 with the message on failure. */
export type Demo = (log: (line: string) => void) => Promise<void>;

export function runIfMain(mod: NodeJS.Module, demo: Demo): void {
  if (require.main !== mod) return;
  demo((line) => console.log(line)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
