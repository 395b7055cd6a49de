import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { daemonJsonWithInsecure, nodeRepository } from './docker-cri-repository.ts';
import { DOCKER_DAEMON_JSON, kindConfig } from './config.ts';
import type { RegistryMirror } from './registry-mirror.ts';

/** Stands in for mirror-reach: the nodes reach loopback registries on the kind gateway. */
const viaGateway = async (ms: RegistryMirror[]) => ms.map((m) => ({ ...m, nodeEndpoint: m.endpoint.replace('127.0.0.1', '172.18.0.1') }));

describe('--image-repository on docker-CRI nodes', () => {
  it('a loopback repository is named by the address the nodes reach, and listed as plain HTTP', async () => {
    const lines: string[] = [];
    const r = await nodeRepository('127.0.0.1:5001/k8s', [{ registry: '*', endpoint: 'http://127.0.0.1:5001' }], (l) => lines.push(l), viaGateway);
    expect(r).toEqual({ repository: '172.18.0.1:5001/k8s', insecureRegistries: ['172.18.0.1:5001'] });
    expect(lines).toEqual(['127.0.0.1:5001/k8s: docker-CRI nodes pull it as 172.18.0.1:5001/k8s (their 127.0.0.1 is the node itself, and dockerd cannot map one registry name to another)']);
  });

  it('a loopback repository without a mirror flag is taken as plain HTTP; an https mirror is not made insecure', async () => {
    expect(await nodeRepository('127.0.0.1:5002', [], () => undefined, viaGateway)).toEqual({ repository: '172.18.0.1:5002', insecureRegistries: ['172.18.0.1:5002'] });
    expect(await nodeRepository('127.0.0.1:5003/k8s', [{ registry: '*', endpoint: 'https://127.0.0.1:5003' }], () => undefined, viaGateway)).toEqual({ repository: '172.18.0.1:5003/k8s', insecureRegistries: [] });
  });

  it('a repository the nodes reach as it is keeps its name; plain HTTP only when a mirror says http://', async () => {
    const never = async (): Promise<RegistryMirror[]> => {
      throw new Error('not a loopback repository: no reach needed');
    };
    expect(await nodeRepository('mirror.lan:5000/k8s', [{ registry: '*', endpoint: 'http://mirror.lan:5000' }], () => undefined, never)).toEqual({ repository: 'mirror.lan:5000/k8s', insecureRegistries: ['mirror.lan:5000'] });
    expect(await nodeRepository('mirror.lan:5000/k8s', [], () => undefined, never)).toEqual({ repository: 'mirror.lan:5000/k8s', insecureRegistries: [] });
  });

  it('a loopback registry the nodes cannot reach fails with mirror-reach\'s cause', async () => {
    const refuse = async (): Promise<RegistryMirror[]> => {
      throw new Error('registry mirror http://127.0.0.1:5001: the kind nodes cannot reach it');
    };
    await expect(nodeRepository('127.0.0.1:5001/k8s', [], () => undefined, refuse)).rejects.toThrow(/the kind nodes cannot reach it/);
  });

  it('daemon.json: the image\'s settings kept, insecure-registries added once', () => {
    const image = '{ "exec-opts": ["native.cgroupdriver=systemd"], "insecure-registries": ["a:1"] }';
    expect(JSON.parse(daemonJsonWithInsecure(image, ['a:1', 'b:2']))).toEqual({ 'exec-opts': ['native.cgroupdriver=systemd'], 'insecure-registries': ['a:1', 'b:2'] });
    expect(JSON.parse(daemonJsonWithInsecure(undefined, ['b:2']))).toEqual({ 'insecure-registries': ['b:2'] });
    expect(() => daemonJsonWithInsecure('{ nope', ['b:2'])).toThrow(/the node image's \/etc\/docker\/daemon.json is not JSON/);
  });

  it('kind config: daemon.json mounted read-only on docker-CRI nodes only', () => {
    const base = { name: 'kc', nodes: 2, disableDefaultCNI: true, podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16', nodeImage: 'kconform/node-docker:v1.37.2', kubernetesVersion: 'v1.37.2', dockerDaemonJson: '/cache/kc-docker-daemon.json' };
    const docker = parse(kindConfig({ ...base, cri: 'docker' }, { cgroupV1: false }));
    for (const n of docker.nodes) expect(n.extraMounts).toContainEqual({ hostPath: '/cache/kc-docker-daemon.json', containerPath: DOCKER_DAEMON_JSON, readOnly: true });
    const containerd = parse(kindConfig({ ...base, cri: 'containerd' }, { cgroupV1: false }));
    expect(containerd.nodes[0].extraMounts).toBeUndefined();
  });
});
