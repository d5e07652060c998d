/**
 * Secrets for `rxwire tail`: from the environment variable named by
 * `--<what>-env`, else from a prompt on the terminal (input not echoed).
 */
import * as readline from 'node:readline';
import { UsageError } from './args';

/** Reads the secret `what` (e.g. 'token') for `options`. */
export async function secret(options: Readonly<Record<string, string>>, what: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const name = options[`${what}-env`];
  if (name !== undefined) {
    const v = env[name];
    if (v === undefined || v === '') throw new UsageError(`environment variable ${name} (from --${what}-env) is not set or empty`);
    return v;
  }
  if (!process.stdin.isTTY) throw new UsageError(`no ${what}: pass --${what}-env NAME with the ${what} in environment variable NAME`);
  return prompt(`${what}: `);
}

function prompt(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput?: (s: string) => void };
    process.stderr.write(question);
    out._writeToOutput = () => undefined; // no echo
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
