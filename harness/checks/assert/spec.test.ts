// The generic kinds' specs as a suite author meets them: mistakes fail at load
// time with file:line:col, before any cluster work.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSuiteFile, SuiteError } from '../../suite/load.ts';
import { operatorProblems } from './spec.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kconform-generic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function problems(text: string): Promise<string[]> {
  const file = path.join(dir, 's.yaml');
  await writeFile(file, text);
  try {
    await loadSuiteFile(file);
    return [];
  } catch (e) {
    if (!(e instanceof SuiteError)) throw e;
    return e.format().split('\n').map((l) => l.replace(`${file}:`, ''));
  }
}

describe('assert, exec and http specs', () => {
  it('a valid suite of the three kinds loads', async () => {
    expect(
      await problems(`name: g
checks:
  - kind: assert
    resource: { apiVersion: v1, kind: Pod, name: files, namespace: lab1 }
    expect: { spec: { containers: { $count: 2 } } }
  - kind: exec
    pod: { name: files, namespace: lab1, containers: [a, b] }
    command: stat -c %i /data
    expect: { sameOutput: true }
  - kind: http
    service: { name: web, namespace: lab1, port: http }
    path: /echo?msg={{ nonce }}
    spread: { minEndpoints: 3 }
`),
    ).toEqual([]);
  });

  it('a misspelt operator points at its key, with the closest operator', async () => {
    const p = await problems(`name: g
checks:
  - kind: assert
    resource: { apiVersion: v1, kind: Pod, name: files }
    expect:
      spec:
        containers:
          $cout: 2
`);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^8:18 checks\[0\]\.expect\.spec\.containers\["\$cout"\]: unknown operator '\$cout'; did you mean '\$count'\? \(operators: \$exists, /);
  });

  it('operands of the wrong type, bad regexes and bad JSON paths are found', async () => {
    expect(operatorProblems({ a: { $count: -1 }, b: { $regex: '(' }, c: { $some: { $exists: 'yes' } }, d: { $in: 3 } }).map((p) => `${p.path.join('.')}: ${p.message}`)).toEqual([
      'a.$count: $count: expected a whole number of 0 or more',
      expect.stringMatching(/^b\.\$regex: \$regex: not a valid regular expression/),
      'c.$some.$exists: $exists: expected true or false',
      'd.$in: $in: expected a list of values',
    ]);
    const p = await problems(`name: g
checks:
  - kind: http
    url: http://web.lab1/echo?msg={{ nonce }}
    expect: { json: [{ path: "status.phase" }] }
`);
    expect(p.join('\n')).toMatch(/checks\[0\]\.expect\.json\[0\]\.path: expected a JSON path like/);
    expect(p.join('\n')).toMatch(/expected one of equals, regex or exists/);
  });

  it('exactly one target: pod or node for exec; service, pod or url for http', async () => {
    const p = await problems(`name: g
checks:
  - kind: exec
    command: hostname
  - kind: http
    name: two-targets
    url: http://a/
    service: { name: web }
  - kind: http
    name: space
    url: http://a/ b
`);
    expect(p).toEqual([
      '3:5 checks[0]: expected exactly one of pod or node',
      '5:5 checks[1]: expected exactly one target: service, pod or url',
      expect.stringMatching(/^11:10 checks\[2\]\.url: expected an http:\/\/ URL of plain characters/),
    ]);
  });
});
