import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { readVersions } from '../../images/versions.ts';
import { repoPath } from '../../paths.ts';
import { CNI_SIGNATURES, detectCni } from '../node-facts.ts';
import type { PodObject } from '../../kube/objects.ts';
import type { KubeObject } from '../../kube/types.ts';
import { CNI_CHOICES, cniRecipe } from './index.ts';
import { substitute } from './render.ts';

const versions = readVersions();
const POD_SUBNET = '10.123.0.0/16';
const render = (id: string) => cniRecipe(id).manifest({ podSubnet: POD_SUBNET, versions, controlPlaneEndpoint: 'kc-control-plane:6443' });

type PodSpec = { containers?: { image?: string; env?: { name: string; value?: string }[] }[]; initContainers?: { image?: string }[] };
const podSpecs = (objs: KubeObject[]) =>
  objs.flatMap((o) => {
    const t = (o.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } } | undefined)?.template;
    return t ? [{ owner: o, labels: t.metadata?.labels ?? {}, spec: t.spec ?? {} }] : [];
  });
const imagesOf = (objs: KubeObject[]) => [...new Set(podSpecs(objs).flatMap((p) => [...(p.spec.initContainers ?? []), ...(p.spec.containers ?? [])].map((c) => c.image ?? '')))].sort();

const REAL = CNI_CHOICES.filter((c) => c !== 'none');

describe('CNI recipes render', () => {
  it.each(REAL)('%s: every object has apiVersion, kind and a name; no placeholder is left', async (id) => {
    const objs = await render(id);
    expect(objs.length).toBeGreaterThan(2);
    for (const o of objs) {
      expect(o.apiVersion, JSON.stringify(o).slice(0, 80)).toMatch(/^[a-z0-9.]*\/?v\d/);
      expect(o.kind).toMatch(/^[A-Z]/);
      expect(o.metadata?.name).toMatch(/^[a-z0-9.:-]+$/);
    }
    const text = JSON.stringify(objs);
    expect(text).not.toMatch(/\$\{[A-Z0-9_]+\}/);
    // Names are unique per kind and namespace (a duplicate would silently overwrite on apply).
    const keys = objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(REAL)('%s: the pod subnet is substituted where the CNI reads it', async (id) => {
    const text = JSON.stringify(await render(id));
    expect(text).toContain(POD_SUBNET);
    expect(text).not.toContain('10.244.0.0/16');
  });

  it.each(REAL)('%s: the manifest runs exactly the images the recipe declares (checked before cluster creation)', async (id) => {
    const objs = await render(id);
    expect(imagesOf(objs)).toEqual([...new Set(cniRecipe(id).images(versions))].sort());
  });

  it.each(REAL)('%s: the agent selector matches its DaemonSet, and the nodes check recognises its pods', async (id) => {
    const recipe = cniRecipe(id);
    const objs = await render(id);
    const [key, value] = recipe.agent!.labelSelector.split('=');
    const ds = podSpecs(objs).filter((p) => p.owner.kind === 'DaemonSet' && p.labels[key!] === value);
    expect(ds).toHaveLength(1);
    expect(ds[0]!.owner.metadata.namespace).toBe(recipe.agent!.namespace);
    const pod: PodObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'agent-x', namespace: recipe.agent!.namespace, labels: ds[0]!.labels } };
    expect(detectCni([pod])).toBe(recipe.name);
    expect(CNI_SIGNATURES.map((s) => s.name)).toContain(recipe.name);
  });

  it('calico: CRDs come before the DaemonSet; VXLAN always, IPIP never, pool = pod subnet', async () => {
    const objs = await render('calico');
    const lastCrd = objs.map((o) => o.kind).lastIndexOf('CustomResourceDefinition');
    const ds = objs.findIndex((o) => o.kind === 'DaemonSet');
    expect(lastCrd).toBeGreaterThan(0);
    expect(lastCrd).toBeLessThan(ds);
    const env = Object.fromEntries(
      (podSpecs(objs).find((p) => p.owner.metadata.name === 'calico-node')!.spec.containers![0]!.env ?? []).map((e) => [e.name, e.value]),
    );
    expect(env).toMatchObject({ CALICO_IPV4POOL_CIDR: POD_SUBNET, CALICO_IPV4POOL_VXLAN: 'Always', CALICO_IPV4POOL_IPIP: 'Never', DATASTORE_TYPE: 'kubernetes' });
    expect(objs.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name)).toEqual(
      expect.arrayContaining(['ippools.crd.projectcalico.org', 'ipamblocks.crd.projectcalico.org', 'felixconfigurations.crd.projectcalico.org', 'tiers.crd.projectcalico.org']),
    );
    // No custom resources in the manifest: a server-side dry-run needs no CRD applied first.
    expect(objs.some((o) => o.apiVersion.startsWith('crd.projectcalico.org'))).toBe(false);
  });

  it('weave: last upstream release, IPALLOC_RANGE = pod subnet, and the recipe says it is archived', async () => {
    const objs = await render('weave');
    expect(imagesOf(objs)).toEqual(['docker.io/weaveworks/weave-kube:2.8.1', 'docker.io/weaveworks/weave-npc:2.8.1']);
    const weave = podSpecs(objs)[0]!.spec.containers!.find((c) => c.image?.includes('weave-kube'))!;
    expect(weave.env).toContainEqual({ name: 'IPALLOC_RANGE', value: POD_SUBNET });
    expect(cniRecipe('weave').notes).toMatch(/archived/i);
    expect(await readFile(repoPath('fixtures', 'cni', 'weave', 'weave.yaml'), 'utf8')).toMatch(/ARCHIVED upstream/);
  });

  it('kindnet: the API server endpoint is passed and required', async () => {
    expect(JSON.stringify(await render('kindnet'))).toContain('kc-control-plane:6443');
    await expect(cniRecipe('kindnet').manifest({ podSubnet: POD_SUBNET, versions })).rejects.toThrow(/API server endpoint/);
  });

  it('flannel host-gw and vxlan differ only in the backend', async () => {
    const hostGw = JSON.stringify(await render('flannel:host-gw'));
    const vxlan = JSON.stringify(await render('flannel'));
    expect(hostGw).toContain('\\"Type\\": \\"host-gw\\"');
    expect(vxlan).toContain('\\"Type\\": \\"vxlan\\"');
    expect(hostGw.replace('host-gw', 'vxlan')).toBe(vxlan);
  });

  it('calico, weave and kindnet cannot be built offline; flannel and kube-router can; none needs nothing', () => {
    expect(REAL.map((id) => [id, cniRecipe(id).buildableOffline])).toEqual([
      ['flannel', true],
      ['flannel:vxlan', true],
      ['flannel:host-gw', true],
      ['kube-router', true],
      ['calico', false],
      ['calico:vxlan', false],
      ['weave', false],
      ['kindnet', false],
    ]);
    expect(cniRecipe('none').images(versions)).toEqual([]);
    expect(() => cniRecipe('cilium')).toThrow(/unknown CNI 'cilium'.*flannel/);
  });

  it('kube-router: router and firewall, no service proxy, its CNI chain named for it, no tunnel', async () => {
    const objs = await render('kube-router');
    const c = podSpecs(objs).find((p) => p.owner.kind === 'DaemonSet')!.spec.containers![0]! as { args?: string[]; env?: { name: string; value?: string }[] };
    expect(c.args).toEqual(expect.arrayContaining(['--run-router=true', '--run-firewall=true', '--run-service-proxy=false', '--enable-overlay=false']));
    expect(c.env).toContainEqual({ name: 'KUBE_ROUTER_CNI_CONF_FILE', value: '/etc/cni/net.d/10-kuberouter.conflist' });
    const cm = objs.find((o) => o.kind === 'ConfigMap') as KubeObject & { data: Record<string, string> };
    expect(JSON.parse(cm.data['cni-conf.json']!).plugins.map((p: { type: string }) => p.type)).toEqual(['bridge', 'portmap']);
    const rules = (objs.find((o) => o.kind === 'ClusterRole') as KubeObject & { rules: { resources: string[]; verbs: string[] }[] }).rules;
    for (const r of ['nodes', 'pods', 'namespaces', 'services', 'endpoints', 'endpointslices', 'networkpolicies']) {
      expect(rules.some((x) => x.resources.includes(r) && ['get', 'list', 'watch'].every((v) => x.verbs.includes(v))), r).toBe(true);
    }
  });

  it('substitute refuses a placeholder it has no value for, naming the file', () => {
    expect(() => substitute('a: ${POD_SUBNET}\nb: ${NOPE}', { POD_SUBNET: 'x' }, 'fixtures/cni/t.yaml')).toThrow(/fixtures\/cni\/t.yaml: no value for \$\{NOPE\}/);
    expect(substitute('a: ${POD_SUBNET} __KEEP__', { POD_SUBNET: '10.0.0.0/8' }, 't')).toBe('a: 10.0.0.0/8 __KEEP__');
  });
});
