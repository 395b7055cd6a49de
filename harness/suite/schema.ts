// The suite language: one schema, used to validate YAML and exported as JSON Schema.
import { z } from 'zod';
import { Duration, Labels, Name } from './common.ts';
import { CheckSpec } from '../checks/kinds.ts';
import { CNI_CHOICES } from './cni-data.ts';

export const SUITE_API_VERSION = 'kconform.io/v1alpha1';

export const Fixture = z.union(
  [
    z.strictObject({
      file: z.string().min(1).describe('Path of a manifest, relative to the fixtures/ folder or to the suite file.'),
      wait: z.boolean().optional().describe('Wait for its workloads to be Ready (default true).'),
    }),
    z.strictObject({
      inline: z.string().min(1).describe('Manifest text (multi-document YAML allowed).'),
      wait: z.boolean().optional(),
    }),
  ],
  { error: 'expected a fixture: {file: path} or {inline: manifest}' },
);
export type Fixture = z.infer<typeof Fixture>;

const CNI_EXPECTED = `expected ${CNI_CHOICES.filter((c) => c !== 'flannel:vxlan' && c !== 'calico:vxlan').join(', ')}`;
const CNI_PATTERN = new RegExp(`^(${CNI_CHOICES.map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
const VERSION_EXPECTED = 'expected a version like v1.37.2';

export const ClusterRequest = z.strictObject({
  provider: z.enum(['kind', 'kubeconfig']).optional(),
  nodes: z.int().min(1).max(10).optional(),
  cni: z.string({ error: CNI_EXPECTED }).regex(CNI_PATTERN, { error: CNI_EXPECTED }).optional(),
  cri: z.enum(['containerd', 'docker']).optional(),
  kubernetesVersion: z.string({ error: VERSION_EXPECTED }).regex(/^v\d+\.\d+\.\d+$/, { error: VERSION_EXPECTED }).optional(),
  podSubnet: z.string().optional(),
  serviceSubnet: z.string().optional(),
});
export type ClusterRequest = z.infer<typeof ClusterRequest>;

export const Suite = z
  .strictObject({
    apiVersion: z.literal(SUITE_API_VERSION).optional(),
    name: Name.describe('Suite name; the namespace is kconform-<name>-<runid>.'),
    description: z.string().optional(),
    timeout: Duration.optional().describe('Default deadline of each check (default 2m).'),
    retries: z.int().min(0).max(10).optional(),
    labels: Labels.optional().describe('Labels of every check of the suite, for -l/--selector (kubectl syntax).'),
    disruptive: z.boolean().optional().describe('The suite is meant to change nodes (drain, taint, node commands, privileged pods): its destructive checks run on clusters kconform did not create without --allow-disruptive.'),
    vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Extra template variables for fixtures.'),
    cluster: ClusterRequest.optional(),
    fixtures: z.array(Fixture).optional(),
    checks: z.array(CheckSpec, { error: 'expected a list of checks' }).min(1, { error: 'expected at least one check' }),
  })
  .describe('A kconform suite: fixtures to apply and checks to run in one namespace.');
export type Suite = z.infer<typeof Suite>;

export const SUITE_SCHEMA_ID = 'https://kconform.io/schemas/kconform-suite.schema.json';

/** The JSON Schema editors use (suites/kconform-suite.schema.json), with an $id and a title. */
export function suiteJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(Suite, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $schema, $id: SUITE_SCHEMA_ID, title: `kconform suite (${SUITE_API_VERSION})`, ...rest };
}
