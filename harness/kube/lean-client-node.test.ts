// The hook runs in a child process (hooks cannot be removed from the process that
// installed them): KubeConfig still reads a kubeconfig and signs requests, the
// generated client is never loaded, and a moved file in a new client-node shows here.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = import.meta.dirname;

const script = (lean: boolean) => `
${lean ? `import { installLeanClientNode } from ${JSON.stringify(path.join(here, 'lean-client-node.ts'))};\nif (!installLeanClientNode()) throw new Error('no registerHooks');` : ''}
const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
const kc = new KubeConfig();
kc.loadFromString(JSON.stringify({
  apiVersion: 'v1', kind: 'Config', 'current-context': 'c',
  clusters: [{ name: 'k', cluster: { server: 'https://127.0.0.1:6443' } }],
  users: [{ name: 'u', user: { token: 'abc' } }],
  contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
}));
const opts = {};
await kc.applyToHTTPSOptions(opts);
let apiClient = 'works';
try { kc.makeApiClient(class { constructor() {} }); } catch (e) { apiClient = e.message; }
console.log(JSON.stringify({ server: kc.getCurrentCluster().server, auth: opts.headers?.Authorization ?? null, apiClient }));
`;

async function runScript(lean: boolean): Promise<{ server: string; auth: string | null; apiClient: string }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(lean)], { cwd: path.join(here, '..', '..') });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { server: string; auth: string | null; apiClient: string };
}

describe('installLeanClientNode', () => {
  it('keeps KubeConfig working (read, sign) and leaves out only the generated API client', async () => {
    const lean = await runScript(true);
    expect(lean.server).toBe('https://127.0.0.1:6443');
    expect(lean.auth).toBe('Bearer abc');
    // The stand-in answers: proof that the hook matched this client-node's layout.
    expect(lean.apiClient).toMatch(/without its generated API client/);
    const full = await runScript(false);
    expect(full).toMatchObject({ server: lean.server, auth: lean.auth, apiClient: 'works' });
  });
});
