// vitest globalSetup of the `api` tier: starts kube-apiserver + etcd in Docker
// and hands the kubeconfig to the tests. Where Docker or the images are missing
// the tier is skipped, not failed: the reason is printed once and provided as
// `apiSkipReason` (each *.api.test.ts skips its suites on it).
import type { TestProject } from 'vitest/node';
import { apiTierSkipReason, startApiServer, type StartedApiServer } from './api-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Empty when the api tier runs. */
    apiSkipReason: string;
    /** Kubeconfig of the test API server (contexts kconform-api-admin and kconform-api-student). */
    apiKubeconfig: string;
    apiAdminContext: string;
    apiStudentContext: string;
  }
}

let started: StartedApiServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const skip = process.env['KCONFORM_API_SKIP'] || (await apiTierSkipReason());
  if (skip) {
    process.stdout.write(`${skip}\n`);
    project.provide('apiSkipReason', skip);
    project.provide('apiKubeconfig', '');
    project.provide('apiAdminContext', '');
    project.provide('apiStudentContext', '');
    return;
  }
  started = await startApiServer();
  process.stdout.write(`api tier: ${started.images.apiserver} at ${started.server} (up in ${(started.startupMs / 1000).toFixed(1)}s)\n`);
  project.provide('apiSkipReason', '');
  project.provide('apiKubeconfig', started.kubeconfig);
  project.provide('apiAdminContext', started.adminContext);
  project.provide('apiStudentContext', started.studentContext);
}

export async function teardown(): Promise<void> {
  const s = started;
  started = undefined;
  await s?.stop();
}
