// fixtures/probes/ renders with the run's variables into the objects graders rely on.
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../suite/fixtures.ts';
import { templateVars } from '../../suite/template.ts';

describe('fixtures/probes/netexec.yaml', () => {
  it('renders a netexec Deployment, its Service and an idle client in the run namespace', async () => {
    const vars = templateVars({ namespace: 'kconform-x-1', runId: '1', nonce: 'n', suite: 'x', agnhostImage: 'registry.k8s.io/e2e-test-images/agnhost:2.66.1' });
    const objs = await loadFixture({ file: 'probes/netexec.yaml' }, { suiteDir: import.meta.dirname, vars });
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.namespace}`)).toEqual(['Deployment/netexec@kconform-x-1', 'Service/netexec@kconform-x-1', 'Pod/probe-client@kconform-x-1']);
    const images = JSON.stringify(objs).match(/agnhost:2\.66\.1/g);
    expect(images).toHaveLength(2);
  });
});
