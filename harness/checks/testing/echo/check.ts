// The run of the test-only `echo` kind: passes when the text is the expected one, fails otherwise.
import type { CheckDefinition } from '../../types.ts';
import type { EchoSpec } from './spec.ts';

export const echoCheck: CheckDefinition<EchoSpec> = {
  kind: 'echo',
  proves: 'the text is what was expected',
  needs: () => ({}),
  run(spec) {
    return Promise.resolve(
      spec.text === spec.expect ? { status: 'pass', reason: `text is '${spec.expect}'` } : { status: 'fail', reason: `text is '${spec.text}', expected '${spec.expect}'` },
    );
  },
};
