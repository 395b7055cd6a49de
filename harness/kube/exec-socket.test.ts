// execInPod against a scripted websocket: channel framing (1 stdout, 2 stderr,
// 3 status), exit codes, stdin, timeout and abort. No cluster: the socket factory
// stands in for the API server's exec endpoint.
import { EventEmitter } from 'node:events';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { AbortedError, KubeApiError, WaitTimeoutError } from './errors.ts';
import { execInPod, type SocketFactory } from './exec.ts';

class FakeSocket extends EventEmitter {
  onopen: (() => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onmessage: ((m: { data: unknown }) => void) | null = null;
  protocol = 'v5.channel.k8s.io';
  readyState = 1;
  sent: Buffer[] = [];
  closed = false;
  send(b: Buffer) {
    this.sent.push(Buffer.from(b));
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    setImmediate(() => this.emit('close'));
  }
  terminate() {
    this.close();
  }
  frame(channel: number, text: string) {
    this.onmessage?.({ data: Buffer.concat([Buffer.from([channel]), Buffer.from(text)]) });
  }
}

function scripted(script: (ws: FakeSocket, url: string) => void): { factory: SocketFactory; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  const factory = ((url: string) => {
    const ws = new FakeSocket();
    sockets.push(ws);
    setImmediate(() => {
      ws.onopen?.();
      script(ws, url);
    });
    return ws;
  }) as unknown as SocketFactory;
  return { factory, sockets };
}

const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const target = { namespace: 'n', name: 'p', container: 'c' };
const noConnect = async (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

describe('execInPod', () => {
  it('collects both streams and reads a non-zero exit code from the status channel', async () => {
    let seenUrl = '';
    const { factory } = scripted((ws, url) => {
      seenUrl = url;
      ws.frame(1, 'out\n');
      ws.frame(2, 'err\n');
      ws.frame(1, 'more\n');
      ws.frame(3, JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'exit code 3', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }));
    });
    const r = await execInPod(kc, target, ['sh', '-c', 'x'], {}, noConnect, factory);
    expect(r).toEqual({ stdout: 'out\nmore\n', stderr: 'err\n', exitCode: 3 });
    const q = new URL(seenUrl.replace(/^wss:/, 'https:')).searchParams;
    expect(q.getAll('command')).toEqual(['sh', '-c', 'x']);
    expect(q.get('container')).toBe('c');
    expect(q.get('stdin')).toBe('false');
    expect(seenUrl).toMatch(/^wss:\/\/127\.0\.0\.1:1\/api\/v1\/namespaces\/n\/pods\/p\/exec\?/);
  });

  it('sends stdin on channel 0 and then closes it', async () => {
    const { factory, sockets } = scripted((ws) => {
      setTimeout(() => {
        ws.frame(1, 'echoed');
        ws.frame(3, JSON.stringify({ status: 'Success' }));
      }, 20);
    });
    const r = await execInPod(kc, target, ['cat'], { stdin: 'hello' }, noConnect, factory);
    expect(r).toEqual({ stdout: 'echoed', stderr: '', exitCode: 0 });
    const sent = sockets[0]!.sent;
    expect(sent[0]).toEqual(Buffer.concat([Buffer.from([0]), Buffer.from('hello')]));
    expect(sent[1]).toEqual(Buffer.from([255, 0])); // v5: close stdin
  });

  it('times out with the output so far and closes the socket', async () => {
    const { factory, sockets } = scripted((ws) => ws.frame(1, 'started\n'));
    const err = await execInPod(kc, target, ['sleep', '30'], { timeoutMs: 100 }, noConnect, factory).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toBe('exec "sleep 30" in Pod p (ns n, container c) to finish: not reached after 0s; last seen: still running; stdout: "started\\n", stderr: ""');
    expect(sockets[0]!.closed).toBe(true);
  });

  it('stops on abort', async () => {
    const ac = new AbortController();
    const { factory, sockets } = scripted(() => setTimeout(() => ac.abort(), 10));
    await expect(execInPod(kc, target, ['sleep', '30'], { signal: ac.signal }, noConnect, factory)).rejects.toBeInstanceOf(AbortedError);
    expect(sockets[0]!.closed).toBe(true);
  });

  it('fails when the connection ends without a status', async () => {
    const { factory } = scripted((ws) => ws.close());
    await expect(execInPod(kc, target, ['true'], {}, noConnect, factory)).rejects.toBeInstanceOf(KubeApiError);
  });

  it('hands a failed connection to the caller for explaining', async () => {
    const factory = ((_url: string) => {
      const ws = new FakeSocket();
      setImmediate(() => ws.onerror?.(new Error('Unexpected server response: 403')));
      return ws;
    }) as unknown as SocketFactory;
    const explain = async (e: unknown) => new KubeApiError(`explained: ${(e as Error).message}`);
    await expect(execInPod(kc, target, ['true'], {}, explain, factory)).rejects.toThrow('explained: Unexpected server response: 403');
  });
});
