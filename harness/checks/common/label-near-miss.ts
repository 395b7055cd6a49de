// When a label selector matches nothing, say what nearly matched: "selector
// app=web matches no pod; pods carry app=webapp (web-1, web-2)". Used for Service
// selectors (pods) and nodeSelectors (nodes). Pure.
import { distance } from 'fastest-levenshtein';

export interface Labelled {
  name: string;
  labels: Record<string, string>;
}

export interface NearMissGroup {
  /** What these objects carry instead, e.g. "app=webapp" or "app=web, no tier label". */
  carry: string;
  names: string[];
  /** Smaller is closer; groups come sorted by it. */
  cost: number;
}

/** Does an equality selector (Service selector, nodeSelector) match these labels? */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** "app=web,tier=front". */
export function selectorText(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Two words a typo apart: a small edit distance, a different case, or one inside the other. */
export function nearlySame(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la === lb) return true;
  if (la.length > 0 && lb.length > 0 && (la.includes(lb) || lb.includes(la))) return true;
  const allowed = Math.min(a.length, b.length) <= 3 ? 1 : 2;
  return distance(la, lb) <= allowed;
}

const MISSING = 3;
/** Labels every object of a kind carries; listing them would hide the ones that matter. */
const NOISE = /^((beta|node|topology)\.)?kubernetes\.io\/|^pod-template-hash$|^controller-revision-hash$/;

/**
 * Objects that carry something close to every selector entry (at least one of
 * them right or nearly right), grouped by what they carry, closest first.
 * Objects the selector matches are not near misses.
 */
export function nearMisses(selector: Record<string, string>, candidates: Labelled[]): NearMissGroup[] {
  const groups = new Map<string, NearMissGroup>();
  const entries = Object.entries(selector);
  if (entries.length === 0) return [];
  for (const c of candidates) {
    if (selectorMatches(selector, c.labels)) continue;
    let cost = 0;
    let close = 0;
    const carry: string[] = [];
    for (const [k, v] of entries) {
      const got = c.labels[k];
      if (got === v) {
        close++;
        carry.push(`${k}=${v}`);
      } else if (got !== undefined && nearlySame(v, got)) {
        close++;
        cost += 1 + distance(v, got) / Math.max(v.length, got.length, 1);
        carry.push(`${k}=${got}`);
      } else {
        // The key itself mistyped (App=web, ap=web), with the value right or nearly right.
        const similar = Object.entries(c.labels).find(([k2, v2]) => k2 !== k && nearlySame(k, k2) && nearlySame(v, v2));
        if (similar) {
          close++;
          cost += 1.5;
          carry.push(`${similar[0]}=${similar[1]}`);
        } else if (got !== undefined) {
          cost += MISSING;
          carry.push(`${k}=${got}`);
        } else {
          cost += MISSING;
          carry.push(`no ${k} label`);
        }
      }
    }
    // Every entry must be near for one selector entry; with several, one near entry is enough.
    if (close === 0 || (entries.length === 1 && cost >= MISSING)) continue;
    const key = carry.join(', ');
    const g = groups.get(key) ?? { carry: key, names: [], cost };
    g.names.push(c.name);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.cost - b.cost || b.names.length - a.names.length || a.carry.localeCompare(b.carry));
}

/** Up to `max` names, then "+N more". */
export function someNames(names: string[], max = 3): string {
  const sorted = [...names].sort();
  return sorted.length <= max ? sorted.join(', ') : `${sorted.slice(0, max).join(', ')} +${sorted.length - max} more`;
}

/**
 * One sentence for a selector that matches nothing:
 * "selector app=web matches no pod; pods carry app=webapp (web-1, web-2)".
 * `noun` is singular ("pod", "node"); `where` says where was looked ("in namespace x").
 */
export function noMatchSentence(selector: Record<string, string>, candidates: Labelled[], noun: string, where = ''): string {
  const head = `selector ${selectorText(selector)} matches no ${noun}`;
  const groups = nearMisses(selector, candidates);
  if (groups.length > 0) {
    const parts = groups.slice(0, 3).map((g, i) => `${i === 0 ? `${noun}s carry` : 'others carry'} ${g.carry} (${someNames(g.names)})`);
    return `${head}; ${parts.join('; ')}`;
  }
  if (candidates.length === 0) return `${head}; there are no ${noun}s${where ? ` ${where}` : ''}`;
  const seen = [...new Set(candidates.flatMap((c) => Object.entries(c.labels).filter(([k]) => !NOISE.test(k)).map(([k, v]) => `${k}=${v}`)))].sort();
  const shown = seen.length > 6 ? `${seen.slice(0, 6).join(', ')} +${seen.length - 6} more` : seen.join(', ');
  return `${head}; none of the ${candidates.length} ${noun}${candidates.length === 1 ? '' : 's'}${where ? ` ${where}` : ''} comes close${shown ? ` (labels seen: ${shown})` : ''}`;
}
