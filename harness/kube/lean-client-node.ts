// @kubernetes/client-node's KubeConfig module imports the whole generated API
// client (gen/index.js: thousands of model classes) only for makeApiClient, which
// kconform never calls: it talks to the API server through rest.ts. Loading it
// costs a CLI process about 35 MB of its memory, so the CLI, before it loads any
// command, points that one import at a stand-in whose functions say what happened
// if anything ever calls them. Library users importing kconform get the library
// as it is. When a new client-node moves the file, the hook no longer matches and
// the full client loads again (correct, only larger): lean-client-node.test.ts
// says so.
import module from 'node:module';

const GEN_INDEX = './gen/index.js';
const CONFIG_MODULE = /\/@kubernetes\/client-node\/dist\/config\.js$/;
const STAND_IN =
  'data:text/javascript,' +
  encodeURIComponent(
    [
      'const no = () => { throw new Error("kconform loads @kubernetes/client-node without its generated API client; makeApiClient is not available in the kconform CLI"); };',
      'export function createConfiguration() { no(); }',
      'export class ServerConfiguration { constructor() { no(); } }',
    ].join('\n'),
  );

let installed = false;

/** Registers the hook once; false where this Node has no in-thread hooks (module.registerHooks, Node >= 22.15). */
export function installLeanClientNode(): boolean {
  if (installed) return true;
  const register = (module as { registerHooks?: (hooks: object) => unknown }).registerHooks;
  if (typeof register !== 'function') return false;
  register({
    resolve(specifier: string, context: { parentURL?: string }, next: (s: string, c: object) => unknown) {
      if (specifier === GEN_INDEX && context.parentURL !== undefined && CONFIG_MODULE.test(context.parentURL)) return { url: STAND_IN, shortCircuit: true };
      return next(specifier, context);
    },
  });
  installed = true;
  return true;
}
