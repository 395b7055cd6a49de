// The Eviction API's answers as data: a check decides what a 429 means.
import { isApiStatus, oneLine } from './reasons.ts';

/** Statuses that are answers about the pod, not failures of the request: evicted, no such pod, refused by a budget, several budgets. */
export const EVICTION_ANSWERS = [200, 201, 404, 429, 500];

export function evictionOutcome(status: number, text: string): { status: number; message: string } {
  if (status === 200 || status === 201) return { status, message: 'evicted' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const st = isApiStatus(body) ? body : {};
  // The budget's own words are in the causes: "The disruption budget web-pdb needs 2 healthy pods and has 2 currently".
  const causes = (st.details?.causes ?? []).map((c) => c.message).filter((m): m is string => !!m);
  const message = [st.message, ...causes].filter((m) => !!m).join(': ') || `HTTP ${status}`;
  return { status, message: oneLine(message) };
}
