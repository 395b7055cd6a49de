// Pure decision of the `exec` check: the outputs of one round (one run per
// target: pod/container or node) against the expectations, as graded
// assertions and a one-line reason.
import type { ExecSpec } from './spec.ts';
import type { Assertion } from '../../results/model.ts';
import { quoteAnswer } from '../common/probe-echo.ts';
import { firstFailure, judgeJson, judgeRegexes, regexList } from './output-expect.ts';

export interface RunOutput {
  /** `pod/container` or the node name. */
  target: string;
  exitCode?: number;
  stdout: string;
  stderr: string;
  /** The command could not run at all (exec refused, pod gone). */
  error?: string;
}

export interface ExecVerdict {
  ok: boolean;
  line: string;
  assertions: Assertion[];
}

export function evaluateExec(expect: ExecSpec['expect'], outputs: RunOutput[], nonce: string): ExecVerdict {
  const e = expect ?? {};
  const wantExit = e.exitCode ?? 0;
  const assertions: Assertion[] = [];
  for (const o of outputs) {
    const mine: Assertion[] = [];
    mine.push({ name: `exit code ${wantExit}`, passed: o.error === undefined && o.exitCode === wantExit, ...(o.exitCode !== wantExit || o.error ? { message: o.error ?? `exit code ${o.exitCode}${o.stderr.trim() ? `, stderr ${quoteAnswer(o.stderr, 120)}` : ''}` } : {}) });
    mine.push(...judgeRegexes('stdout', o.stdout, regexList(e.stdout), nonce));
    mine.push(...judgeRegexes('stderr', o.stderr, regexList(e.stderr), nonce));
    if (e.json) mine.push(...judgeJson('stdout', o.stdout, e.json, nonce));
    for (const a of mine) {
      // A command that never ran cannot have matched anything.
      const failed = o.error !== undefined ? { passed: false, message: o.error } : {};
      assertions.push({ ...a, ...failed, name: `${o.target}: ${a.name}` });
    }
  }
  if (e.sameOutput) {
    const distinct = [...new Set(outputs.map((o) => (o.error ? `\u0000${o.target}` : o.stdout.trim())))];
    const passed = outputs.length > 1 && distinct.length === 1;
    assertions.push({
      name: 'same stdout on every target',
      passed,
      ...(passed ? {} : { message: outputs.length < 2 ? `only ${outputs.length} target` : outputs.map((o) => `${o.target}: ${o.error ? 'did not run' : quoteAnswer(o.stdout, 40)}`).join(', ') }),
    });
  }
  const ok = outputs.length > 0 && assertions.every((a) => a.passed);
  if (ok) return { ok, assertions, line: `${outputs.length === 1 ? outputs[0]!.target : `${outputs.length} targets (${outputs.map((o) => o.target).join(', ')})`}: output as expected` };
  const failed = assertions.filter((a) => !a.passed);
  const line = `${firstFailure(assertions) ?? 'no target'}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}`;
  return { ok, assertions, line };
}
