// The `exec` check: a command in a pod (by name or selector) or on a node
// (through a privileged debug pod), its output matched by regex and/or JSON path.
// `JsonExpectation` and `Regexes` are shared with the `http` check.
import { z } from 'zod';
import { Duration, Wait, commonCheckFields } from '../../suite/common.ts';

function validRegex(src: string): boolean {
  try {
    new RegExp(src, 'm');
    return true;
  } catch {
    return false;
  }
}

const Regex = z.string().min(1).refine(validRegex, { error: 'expected a valid regular expression' });

/** One regex or a list (each one a graded sub-assertion). `^` and `$` match at line boundaries; `{{ nonce }}` is the run's nonce. */
export const Regexes = z.union([Regex, z.array(Regex).min(1)], { error: 'expected a regular expression or a list of them' });

export const JsonExpectation = z
  .strictObject({
    path: z
      .string()
      .regex(/^\$?(\.[A-Za-z_][\w-]*|\[\d+\]|\['[^']*'\]|\["[^"]*"\])*$/, { error: "expected a JSON path like $.status.phase, $.items[0].name or $['a.b']" })
      .describe("JSON path into the parsed output: $, .key, [index], ['key with dots']."),
    equals: z.unknown().optional().describe('The value there must equal this (scalars compared by value: 80 equals "80").'),
    regex: Regex.optional().describe('The value there (as text) must match this regular expression.'),
    exists: z.boolean().optional().describe('The path must (true) or must not (false) lead to a value.'),
  })
  .refine((j) => j.equals !== undefined || j.regex !== undefined || j.exists !== undefined, { error: 'expected one of equals, regex or exists' })
  .describe('A value in JSON output, found by path and compared.');
export type JsonExpectation = z.infer<typeof JsonExpectation>;

export const ExecPodTarget = z
  .strictObject({
    name: z.string().min(1).optional().describe('The pod by name.'),
    selector: z.string().min(1).optional().describe('A label selector; the first Ready pod (by name) is used, or every one with all: true.'),
    namespace: z.string().min(1).optional().describe("The pod's namespace (default: the suite's namespace)."),
    container: z.string().min(1).optional().describe("The container (default: the pod's default container)."),
    containers: z.array(z.string().min(1)).min(1).optional().describe('Run in each of these containers (see expect.sameOutput).'),
    all: z.boolean().optional().describe('With a selector: run in every matching pod, not only the first.'),
  })
  .refine((t) => (t.name === undefined) !== (t.selector === undefined), { error: 'expected exactly one of name or selector' })
  .refine((t) => t.container === undefined || t.containers === undefined, { error: 'expected container or containers, not both' });

export const ExecNodeTarget = z
  .strictObject({
    name: z.string().min(1).optional().describe('One node by name.'),
    selector: z.string().min(1).optional().describe('Nodes by label selector, e.g. node-role.kubernetes.io/control-plane.'),
  })
  .describe('Run on nodes (every node when empty) through a privileged debug pod (hostPID, hostNetwork, nsenter -t 1, else chroot /host). Refused in read-only mode.');

export const ExecExpect = z.strictObject({
  exitCode: z.int().min(0).max(255).optional().describe('Expected exit code (default 0).'),
  stdout: Regexes.optional().describe('Regular expression(s) stdout must match; each is one sub-assertion.'),
  stderr: Regexes.optional().describe('Regular expression(s) stderr must match.'),
  json: z.array(JsonExpectation).min(1).optional().describe('Values in stdout parsed as JSON.'),
  sameOutput: z.boolean().optional().describe('Every target (pods x containers, or nodes) must print the same stdout.'),
});

export const ExecSpec = z
  .strictObject({
    kind: z.literal('exec'),
    ...commonCheckFields,
    pod: ExecPodTarget.optional().describe('Run in a pod, by name or label selector.'),
    node: ExecNodeTarget.optional(),
    command: z
      .union([z.string().min(1), z.array(z.string()).min(1)], { error: 'expected a shell command line or a list of arguments' })
      .describe('A string runs with sh -c; a list runs as is. `{{ nonce }}` is replaced by the run nonce.'),
    expect: ExecExpect.optional().describe('What the command must produce (default: exit code 0).'),
    destructive: z.boolean().optional().describe('The command changes something: the check is skipped in read-only mode.'),
    wait: Wait.optional().describe('How long the pods may take to run and the output to come right, retried (default 30s).'),
    commandTimeout: Duration.optional().describe('Time limit of one run of the command (default 30s).'),
  })
  .refine((s) => (s.pod === undefined) !== (s.node === undefined), { error: 'expected exactly one of pod or node' })
  .describe('Run a command in a pod or on a node and match its exit code and output (regex, JSON path).');
export type ExecSpec = z.infer<typeof ExecSpec>;
