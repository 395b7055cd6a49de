// Turns API failures into one human line: Status bodies (422 causes, 403 RBAC
// wording, 404 namespace) and transport failures (refused, DNS, TLS). Pure: no I/O.
import { describeRef } from './types.ts';

/** The fields of a metav1.Status that the messages use. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason?: string; message?: string; field?: string }[];
  };
}

/** What a request was about, for the message prefix: `Deployment web (ns x): `. */
export interface About {
  kind: string;
  name?: string;
  namespace?: string;
  /** Replaces the `Kind name (ns x)` prefix, e.g. `ConfigMap list (ns x)`. */
  label?: string;
}

const MAX_LINE = 400;

export function isApiStatus(body: unknown): body is ApiStatus {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

/** One line, secrets masked, long text cut. */
export function oneLine(text: string, max = MAX_LINE): string {
  const flat = redactSecrets(text).replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Masks bearer tokens, PEM private keys and token-like query parameters in free text. */
export function redactSecrets(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '<private key>')
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 <redacted>')
    .replace(/\b(token|password|client-key-data|client-certificate-data)(["']?\s*[:=]\s*["']?)[^\s"',&]+/gi, '$1$2<redacted>');
}

/**
 * The one-line reason for a failed API request with HTTP status `httpStatus` and
 * response `body` (a Status, or anything else a proxy may answer).
 */
export function describeApiFailure(httpStatus: number, body: unknown, about?: About): string {
  const prefix = about ? `${about.label ?? describeRef(about)}: ` : '';
  const st: ApiStatus = isApiStatus(body) ? body : {};
  const message = st.message ?? (typeof body === 'string' && body.trim() !== '' ? body : undefined);
  const reason = st.reason;

  if (reason === 'Invalid' || httpStatus === 422) {
    const causes = (st.details?.causes ?? [])
      .map((c) => (c.field ? `${c.field}: ${c.message ?? c.reason ?? 'invalid'}` : (c.message ?? c.reason ?? '')))
      .filter((c, i, all) => c !== '' && all.indexOf(c) === i);
    if (causes.length > 0) return oneLine(prefix + causes.join('; '));
    return oneLine(prefix + stripObjectPrefix(message ?? 'invalid object'));
  }
  if (reason === 'Forbidden' || httpStatus === 403) {
    return oneLine(prefix + forbiddenLine(message));
  }
  if (reason === 'NotFound' || httpStatus === 404) {
    if (st.details?.kind === 'namespaces' && st.details.name) {
      return oneLine(`${prefix}namespace "${st.details.name}" not found`);
    }
    if (about?.name) return oneLine(`${prefix}not found`);
    return oneLine(prefix + (message ?? 'not found (HTTP 404)'));
  }
  if (reason === 'AlreadyExists') return oneLine(`${prefix}already exists`);
  if (reason === 'BadRequest' || httpStatus === 400) {
    return oneLine(prefix + simplifyDecodingError(message ?? 'bad request (HTTP 400)'));
  }
  if (httpStatus === 401) {
    return oneLine(`${prefix}unauthorized: the API server rejected the credentials (HTTP 401)`);
  }
  if (message) return oneLine(prefix + stripObjectPrefix(message));
  return oneLine(`${prefix}HTTP ${httpStatus}${reason ? ` ${reason}` : ''}`);
}

/**
 * `pods is forbidden: User "student" cannot create resource "pods" in API group "" in the namespace "x"`
 * becomes `forbidden: User "student" cannot create pods in namespace "x"`.
 */
export function forbiddenLine(message: string | undefined): string {
  if (!message) return 'forbidden (HTTP 403)';
  const m = /(User "[^"]*") cannot (\S+) resource "([^"]+)" in API group "([^"]*)"(?: in the namespace "([^"]+)"| at the cluster scope)?(?:: (.*))?$/.exec(message);
  if (!m) return `forbidden: ${message.replace(/^.*? is forbidden: /, '')}`;
  const [, user, verb, resource, group, namespace, extra] = m;
  const what = group ? `${resource}.${group}` : resource;
  const where = namespace ? ` in namespace "${namespace}"` : ' at cluster scope';
  return `forbidden: ${user} cannot ${verb} ${what}${where}${extra ? ` (${extra})` : ''}`;
}

/** `Deployment.apps "web" is invalid: x` -> `x` (the prefix already names the object). */
function stripObjectPrefix(message: string): string {
  return message.replace(/^[\w.]+ "[^"]*" is (invalid|forbidden): /, '');
}

/** Decoding errors carry a long preamble; the part after it names the field. */
function simplifyDecodingError(message: string): string {
  const strict = /strict decoding error: (.*)$/s.exec(message);
  if (strict?.[1]) return strict[1];
  const typed = /^failed to create typed patch object \([^)]*\): (.*)$/s.exec(message);
  if (typed?.[1]) return typed[1];
  return stripObjectPrefix(message);
}

const TRANSPORT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'the server did not answer in time',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: the server certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: the server certificate chain is not trusted (self-signed CA)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the server certificate is not signed by the kubeconfig CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: the server certificate is not signed by the kubeconfig CA',
  CERT_HAS_EXPIRED: 'TLS: the server certificate has expired',
  CERT_NOT_YET_VALID: 'TLS: the server certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the server certificate does not name this host',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is the server speaking plain HTTP?)',
  EPROTO: 'TLS handshake failed',
};

/** The error code somewhere in an error's cause chain (fetch wraps the socket error). */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e !== undefined && e !== null; depth++) {
    if (typeof e === 'object') {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && code !== '') return code;
      // Happy-eyeballs connects fail with an AggregateError over every address.
      const inner = (e as { errors?: unknown }).errors;
      if (Array.isArray(inner) && inner.length > 0) {
        const c = errorCode(inner[0]);
        if (c) return c;
      }
      e = (e as { cause?: unknown }).cause;
    } else {
      break;
    }
  }
  return undefined;
}

/** Plain-words reason for a failure to talk to the server at all, or undefined if not a transport failure. */
export function transportReason(err: unknown): string | undefined {
  const code = errorCode(err);
  if (code && TRANSPORT[code]) return TRANSPORT[code];
  if (code && /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_)/.test(code)) return `TLS handshake failed (${code})`;
  if (code && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code) && code !== 'UND_ERR_ABORTED') return `network error (${code})`;
  if (err instanceof TypeError && err.message === 'fetch failed') {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? oneLine(cause.message, 160) : 'network error';
  }
  return undefined;
}

export function unreachableLine(server: string, reason: string): string {
  return `cannot reach the API server at ${server}: ${reason}`;
}

/**
 * What a server that is not the Kubernetes API answered, in a few words:
 * `HTTP 200 text/html, a page titled "Welcome to nginx!"`, `HTTP 404 text/plain "404 page not found"`.
 */
export function describeForeignAnswer(status: number, contentType: string | null, body: string): string {
  const type = (contentType ?? '').split(';')[0]!.trim() || 'no content type';
  const title = /<title[^>]*>([^<]{0,200})<\/title>/i.exec(body)?.[1]?.trim();
  const isHtml = /html/i.test(type) || /^\s*<(!doctype|html)/i.test(body);
  const snippet = isHtml ? (title ? `a page titled "${oneLine(title, 60)}"` : 'an HTML page') : body.trim() === '' ? 'an empty body' : `"${oneLine(body, 60)}"`;
  return `HTTP ${status} ${type}, ${snippet}`;
}
