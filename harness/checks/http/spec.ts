// The `http` check: GET requests made from inside the cluster (curl in an
// agnhost client pod) to a Service, a pod or a URL; status and body matched.
import { z } from 'zod';
import { Duration, Wait, commonCheckFields } from '../../suite/common.ts';
import { JsonExpectation, Regexes } from '../exec/spec.ts';

const Port = z.union([z.int().min(1).max(65535), z.string().min(1)], { error: 'expected a port number or a port name' });

// curl is given the URL on a shell line: keep to characters that need no quoting
// (once the `{{ nonce }}` placeholder is replaced by the hex nonce).
const NONCE_PLACEHOLDER = /\{\{\s*nonce\s*\}\}/g;
const PATH_RE = /^\/[A-Za-z0-9._~%/?=&+-]*$/;
const URL_RE = /^https?:\/\/[A-Za-z0-9.:[\]_-]+(\/[A-Za-z0-9._~%/?=&+-]*)?$/;
const plain = (re: RegExp) => (text: string) => re.test(text.replace(NONCE_PLACEHOLDER, 'n'));

export const HttpSpec = z
  .strictObject({
    kind: z.literal('http'),
    ...commonCheckFields,
    service: z
      .strictObject({
        name: z.string().min(1),
        namespace: z.string().min(1).optional().describe("Default: the suite's namespace."),
        port: Port.optional().describe('Service port by number or name (default: its first port).'),
      })
      .optional()
      .describe('Request the ClusterIP of this Service.'),
    pod: z
      .strictObject({
        name: z.string().min(1).optional(),
        selector: z.string().min(1).optional().describe('Label selector; the first Ready pod by name.'),
        namespace: z.string().min(1).optional().describe("Default: the suite's namespace."),
        port: Port.describe('Container port by number or name.'),
      })
      .refine((p) => (p.name === undefined) !== (p.selector === undefined), { error: 'expected exactly one of name or selector' })
      .optional()
      .describe("Request the pod's IP directly."),
    url: z
      .string()
      .refine(plain(URL_RE), { error: 'expected an http:// URL of plain characters, e.g. http://web.lab1.svc.cluster.local/echo?msg={{ nonce }}' })
      .optional()
      .describe('Request this URL (an in-cluster DNS name or an IP). `{{ nonce }}` is replaced by the run nonce.'),
    path: z
      .string()
      .refine(plain(PATH_RE), { error: 'expected a path starting with /, of plain URL characters (letters, digits, . _ ~ % / ? = & + -)' })
      .optional()
      .describe('Path and query for service and pod targets (default /). `{{ nonce }}` is replaced by the run nonce.'),
    from: z
      .strictObject({
        pod: z.string().min(1).describe('A pod with curl (e.g. an agnhost pod a fixture created).'),
        namespace: z.string().min(1).optional().describe("Default: the suite's namespace."),
      })
      .optional()
      .describe("Where the requests are made (default: a client pod the check creates in the suite's namespace)."),
    requests: z.int().min(1).max(1000).optional().describe('Requests, each on a new connection (default 1; 30 with spread).'),
    expect: z
      .strictObject({
        status: z.union([z.int().min(100).max(599), z.array(z.int().min(100).max(599)).min(1)]).optional().describe('Expected HTTP status(es) (default 200).'),
        body: Regexes.optional().describe('Regular expression(s) the body must match.'),
        json: z.array(JsonExpectation).min(1).optional().describe('Values in the body parsed as JSON.'),
        echo: z.boolean().optional().describe('The body must contain the run nonce (default: true when the path or URL holds {{ nonce }}).'),
      })
      .optional(),
    spread: z
      .strictObject({
        identifyPath: z
          .string()
          .refine(plain(PATH_RE), { error: 'expected a path starting with /, of plain URL characters' })
          .optional()
          .describe("A path whose answer names the serving pod (default /hostname, as agnhost netexec answers); asked on the same connection."),
        minEndpoints: z.int().min(1).max(10_000).optional().describe('The Service must have at least this many ready endpoints (default 1).'),
      })
      .optional()
      .describe('Service targets only: every ready endpoint of the Service must answer at least once.'),
    requestTimeout: Duration.optional().describe('Time limit of one request (default 3s).'),
    wait: Wait.optional().describe('How long the answers may take to come right, retried (default 30s).'),
  })
  .refine((s) => [s.service, s.pod, s.url].filter((t) => t !== undefined).length === 1, { error: 'expected exactly one target: service, pod or url' })
  .refine((s) => s.url === undefined || s.path === undefined, { error: 'expected path only with service or pod (put it in the url)' })
  .refine((s) => s.spread === undefined || s.service !== undefined, { error: 'spread needs a service target' })
  .describe('HTTP GET from inside the cluster to a Service, pod or URL; status, body (regex, JSON path), nonce echo, and optionally the spread over every endpoint.');
export type HttpSpec = z.infer<typeof HttpSpec>;
