// The `service` check: one behaviour of a Service per entry, by mode
// (endpoints.ts, ports.ts, node-port.ts, proxy-rules.ts; each a separate graded
// entry in a suite).
import type { ServiceSpec } from './spec.ts';
import type { CheckDefinition } from '../types.ts';
import { runEndpoints } from './endpoints.ts';
import { runNodePort } from './node-port.ts';
import { runPorts } from './ports.ts';
import { runProxyRules } from './proxy-rules.ts';

export const serviceCheck: CheckDefinition<ServiceSpec> = {
  kind: 'service',
  proves:
    'a Service lists exactly its Ready pods and follows readiness, answers on every named port and on every node at its nodePort, and kube-proxy spreads it 1/K, 1/(K-1), ... in its KUBE-SVC chain',
  // proxyRules runs a privileged pod on each node but changes nothing: it skips
  // itself in read-only mode with that reason (see READ_ONLY_SKIP).
  standalone: true,
  // endpoints and ports: every pod (theirs and the shared client) tolerates this run's node
  // changes and none is pinned; nodePort and proxyRules place a pod on each node.
  needs: (spec) => ({ minNodes: 1, ...(spec.mode === 'endpoints' || spec.mode === 'ports' ? { toleratesNodeChanges: true } : {}) }),
  usesSharedClient: (spec) => spec.mode === 'ports' || (spec.mode === 'proxyRules' && !spec.service),
  async run(spec, ctx) {
    switch (spec.mode) {
      case 'endpoints':
        return runEndpoints(spec, ctx);
      case 'ports':
        return runPorts(spec, ctx);
      case 'nodePort':
        return runNodePort(spec, ctx);
      case 'proxyRules':
        return runProxyRules(spec, ctx);
      default:
        return spec satisfies never;
    }
  },
};
