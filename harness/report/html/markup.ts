// The one way views are written: htm tagged templates over preact's h, rendered to
// a string by preact-render-to-string, which escapes every text and attribute value.
// Components are plain functions called directly (`${statusBadge(status)}`); no
// hooks, no state.
//
// The three packages are loaded through require, without their type declarations:
// preact's declare `/// <reference lib="dom" />`, which would put the DOM library
// into the whole program and break Node's own types elsewhere (webcrypto). What
// the views use of them is typed here instead.
import { createRequire } from 'node:module';

/** A rendered-to-be element; opaque to the views. */
export interface VNode {
  readonly type: unknown;
  readonly props: unknown;
}

type Html = (strings: TemplateStringsArray, ...values: unknown[]) => VNode;
type H = (type: unknown, props: Record<string, unknown> | null, ...children: unknown[]) => VNode;
type Htm = (this: H, strings: TemplateStringsArray, ...values: unknown[]) => VNode;

const load = createRequire(import.meta.url);
const { h } = load('preact') as { h: H };
const htmModule = load('htm') as Htm | { default: Htm };
const htm = typeof htmModule === 'function' ? htmModule : htmModule.default;
const { render } = load('preact-render-to-string') as { render(node: VNode): string };

export const html: Html = htm.bind(h);

/** The markup of a view; escaping is done here, never by hand. */
export function renderMarkup(node: VNode): string {
  return render(node);
}
