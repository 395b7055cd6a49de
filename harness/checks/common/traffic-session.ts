// The I/O side of traffic.ts: start the loop in a client pod (one short exec),
// peek at or stop it later (one short exec each). The pod's clock is mapped to
// the harness clock through the start exec (offset to within its round trip).
import type { CheckContext } from '../types.ts';
import { parseTrafficLog, peekScript, startScript, stopScript, type TrafficLog, type TrafficOptions } from './traffic.ts';

const EXEC_MS = 30_000;

export class TrafficSession {
  readonly pod: string;
  readonly options: TrafficOptions;
  /** Harness epoch ms = pod epoch ms + offsetMs. */
  readonly offsetMs: number;
  /** Harness epoch ms when the loop started. */
  readonly startedAt: number;
  readonly #ctx: CheckContext;
  #stopped: TrafficLog | undefined;
  #forget: () => void;

  private constructor(ctx: CheckContext, pod: string, options: TrafficOptions, offsetMs: number, startedAt: number) {
    this.#ctx = ctx;
    this.pod = pod;
    this.options = options;
    this.offsetMs = offsetMs;
    this.startedAt = startedAt;
    // Ask the loop to stop when the check ends early; the loop also ends by itself after durationSec.
    this.#forget = ctx.cleanup.add(`stop traffic ${options.id} in pod ${pod}`, () => this.stop().catch(() => undefined));
  }

  static async start(ctx: CheckContext, pod: string, options: TrafficOptions): Promise<TrafficSession> {
    const before = Date.now();
    const res = await ctx.kube.exec({ namespace: ctx.namespace, name: pod }, ['sh', '-c', startScript(options)], { timeoutMs: EXEC_MS, signal: ctx.signal });
    const after = Date.now();
    const head = parseTrafficLog(res.stdout);
    if (head.startedAt === undefined) {
      throw new Error(`traffic loop did not start in pod ${pod}: ${(res.stdout + res.stderr).trim().slice(0, 200) || `exit ${res.exitCode}, no output`}`);
    }
    const offset = Math.round((before + after) / 2) - head.startedAt;
    return new TrafficSession(ctx, pod, options, offset, head.startedAt + offset);
  }

  /** The log so far; the loop keeps running. */
  async peek(): Promise<TrafficLog> {
    if (this.#stopped) return this.#stopped;
    const res = await this.#ctx.kube.exec({ namespace: this.#ctx.namespace, name: this.pod }, ['sh', '-c', peekScript(this.options.id)], { timeoutMs: EXEC_MS });
    return parseTrafficLog(res.stdout);
  }

  /** Stops the loop (waiting for its last request) and returns the whole log. */
  async stop(): Promise<TrafficLog> {
    if (this.#stopped) return this.#stopped;
    const wait = this.options.maxTimeSec + this.options.intervalMs / 1000 + 3;
    // Not bound to ctx.signal: stopping must work in cleanup after a deadline.
    const res = await this.#ctx.kube.exec(
      { namespace: this.#ctx.namespace, name: this.pod },
      ['sh', '-c', stopScript(this.options.id, wait)],
      { timeoutMs: EXEC_MS + wait * 1000 },
    );
    this.#stopped = parseTrafficLog(res.stdout);
    this.#forget();
    return this.#stopped;
  }

  /** A pod timestamp on the harness clock. */
  toHarness(podMs: number): number {
    return podMs + this.offsetMs;
  }
}
