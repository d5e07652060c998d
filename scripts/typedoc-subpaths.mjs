// TypeDoc plugin: names each entry point's module after the package subpath a
// user imports it from (rxwire, rxwire/imap, ...), not after its source folder.
import { Converter, ReflectionKind } from 'typedoc';

/** Source entry file (relative to the repository root) → public subpath. */
export const SUBPATHS = {
  'src/index.ts': 'rxwire',
  'src/imap/index.ts': 'rxwire/imap',
  'src/mailtm/index.ts': 'rxwire/mailtm',
  'src/gateway/discord/index.ts': 'rxwire/discord',
  'src/gateway/stoat/index.ts': 'rxwire/stoat',
  'src/gateway/mezon/index.ts': 'rxwire/mezon',
  'src/gateway/transport/index.ts': 'rxwire/ws',
  'src/jetstream/index.ts': 'rxwire/jetstream',
  'src/testing/index.ts': 'rxwire/testing',
};

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module) || reflection.parent !== context.project) return;
    const declaration = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    const file = declaration?.getSourceFile().fileName.replace(/\\/g, '/');
    const hit = Object.entries(SUBPATHS).find(([entry]) => file !== undefined && file.endsWith(`/${entry}`));
    if (hit) reflection.name = hit[1];
  });
}
