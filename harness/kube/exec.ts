// Runs a command in a pod's container over the exec websocket and reads the exit
// status from the status channel (a metav1.Status: Success -> 0, NonZeroExitCode ->
// its ExitCode cause).
import { Readable, Writable } from 'node:stream';
import type { KubeConfig, V1Status } from '@kubernetes/client-node';
import { Exec } from '@kubernetes/client-node/dist/exec.js';
// Not re-exported by the package index; constructed here with our own streams so
// the library never falls back to process.stdout/stdin.
import { WebSocketHandler } from '@kubernetes/client-node/dist/web-socket-handler.js';
import { AbortedError, KubeApiError, WaitTimeoutError } from './errors.ts';
import { oneLine } from './reasons.ts';
import type { ExecResult, KubeObject } from './types.ts';

export interface ExecTarget {
  namespace: string;
  name: string;
  container: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  stdin?: string;
}

/** Makes the websocket; a parameter so tests can script the server side. */
export type SocketFactory = ConstructorParameters<typeof WebSocketHandler>[1];

const DEFAULT_TIMEOUT_MS = 60_000;

/** Exit code from the exec status; throws when the command could not run at all. */
export function exitCodeFromStatus(status: V1Status | undefined, what: string): number {
  if (!status) throw new KubeApiError(`${what}: the connection closed without an exit status`);
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number.parseInt(cause?.message ?? '', 10);
    if (Number.isInteger(code)) return code;
  }
  throw new KubeApiError(`${what}: ${execFailureLine(status.message ?? status.reason ?? 'exec failed')}`, {
    ...(status.code !== undefined ? { status: status.code } : {}),
    ...(status.reason ? { reason: status.reason } : {}),
  });
}

/**
 * The runtime's failure, without the layers each component wraps around it:
 * `Internal error occurred: ... OCI runtime exec failed: ... exec: "sh": executable file not found in $PATH: unknown`
 * becomes `cannot start "sh": executable file not found in $PATH`.
 */
export function execFailureLine(message: string): string {
  const start = /exec: ("[^"]*": .*?)(?:: unknown)?\s*$/s.exec(message);
  if (start?.[1]) return oneLine(`cannot start ${start[1]}`);
  return oneLine(message.replace(/^(Internal error occurred: )+/, ''));
}

function collector(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      into.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      cb();
    },
  });
}

const tail = (text: string, n = 300) => (text.length > n ? `…${text.slice(-n)}` : text);

/**
 * Runs `command`; resolves with stdout, stderr and the exit code. WaitTimeoutError
 * after `timeoutMs` (with the output so far), AbortedError on abort; connection
 * problems are reported by `connectFailure` (which knows how to explain them).
 */
export async function execInPod(
  kc: KubeConfig,
  target: ExecTarget,
  command: string[],
  opts: ExecOptions,
  connectFailure: (err: unknown) => Promise<Error>,
  socketFactory?: SocketFactory,
): Promise<ExecResult> {
  const what = `exec ${JSON.stringify(command.join(' '))} in Pod ${target.name} (ns ${target.namespace}, container ${target.container})`;
  if (opts.signal?.aborted) throw new AbortedError(`${what}: interrupted`);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = collector(out);
  const stderr = collector(err);
  const stdin = opts.stdin !== undefined ? Readable.from([Buffer.from(opts.stdin)]) : null;
  const handler = new WebSocketHandler(kc, socketFactory, { stdin: stdin ?? Readable.from([]), stdout, stderr });
  let status: V1Status | undefined;

  let ws: Awaited<ReturnType<Exec['exec']>>;
  try {
    ws = await new Exec(kc, handler).exec(target.namespace, target.name, target.container, command, stdout, stderr, stdin, false, (s) => {
      status = s;
    });
  } catch (e) {
    throw await connectFailure(e);
  }

  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (e?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (e) {
        ws.terminate();
        reject(e);
      } else resolve();
    };
    const timer = setTimeout(() => {
      const so = Buffer.concat(out).toString('utf8');
      const se = Buffer.concat(err).toString('utf8');
      settle(new WaitTimeoutError(`${what} to finish`, timeoutMs, `still running; stdout: ${JSON.stringify(tail(so))}, stderr: ${JSON.stringify(tail(se))}`));
    }, timeoutMs);
    const onAbort = () => settle(new AbortedError(`${what}: interrupted`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    ws.once('close', () => settle());
    ws.once('error', (e: Error) => settle(new KubeApiError(`${what}: ${oneLine(e.message)}`, { cause: e })));
  });

  return {
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    exitCode: exitCodeFromStatus(status, what),
  };
}

export interface PodLike extends KubeObject {
  spec?: { containers?: { name: string }[] };
  status?: {
    phase?: string;
    containerStatuses?: { name: string; state?: { running?: unknown; waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } } }[];
  };
}

/** Why exec cannot work in this container now, or undefined when it is running. */
export function whyNotRunning(pod: PodLike, container: string): string | undefined {
  if (pod.metadata.deletionTimestamp) return 'the pod is terminating';
  const names = pod.spec?.containers?.map((c) => c.name) ?? [];
  if (container && names.length > 0 && !names.includes(container)) return `no such container (containers: ${names.join(', ')})`;
  const cs = pod.status?.containerStatuses?.find((c) => c.name === container);
  if (cs?.state?.running) return undefined;
  if (cs?.state?.waiting) return `container is waiting (${cs.state.waiting.reason ?? 'unknown reason'})`;
  if (cs?.state?.terminated) return `container terminated (${cs.state.terminated.reason ?? `exit code ${cs.state.terminated.exitCode}`})`;
  return `the pod is ${pod.status?.phase ?? 'not started'}`;
}
