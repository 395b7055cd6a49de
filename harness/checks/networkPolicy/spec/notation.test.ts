import { describe, expect, it } from 'vitest';
import { MODEL_PORTS, flowKey, flows, type Model } from './model.ts';
import { NotationError, expectedTable, parseRule, parseRules } from './notation.ts';

const model: Model = { namespaces: ['x', 'y', 'z'], pods: ['a', 'b'], ports: MODEL_PORTS, dns: true };
const verdict = (rules: string[], from: string, to: string) => expectedTable(model, parseRules(rules, model)).get(flowKey({ from, to }));

describe('rule notation', () => {
  it('later rules win; unmatched flows are allowed', () => {
    const rules = ['* -> x/* deny', 'y/* -> x/a:80 allow'];
    expect(verdict(rules, 'y/b', 'x/a:80/TCP')).toBe('allow');
    expect(verdict(rules, 'y/b', 'x/a:81/TCP')).toBe('deny');
    expect(verdict(rules, 'z/a', 'x/a:80/TCP')).toBe('deny');
    expect(verdict(rules, 'x/b', 'x/a:80/UDP')).toBe('deny');
    expect(verdict(rules, 'x/a', 'y/a:80/TCP')).toBe('allow');
    expect(verdict(rules, 'x/a', 'dns')).toBe('allow');
  });

  it('* as destination covers DNS, */* only pods', () => {
    expect(verdict(['x/* -> * deny'], 'x/a', 'dns')).toBe('deny');
    expect(verdict(['x/* -> */* deny'], 'x/a', 'dns')).toBe('allow');
    expect(verdict(['x/* -> */* deny'], 'x/a', 'y/b:80/UDP')).toBe('deny');
    expect(verdict(['x/* -> * deny', 'x/* -> dns allow'], 'x/b', 'dns')).toBe('allow');
  });

  it('ports by number and protocol, by name, or any', () => {
    expect(verdict(['* -> x/a:80/udp deny'], 'y/a', 'x/a:80/UDP')).toBe('deny');
    expect(verdict(['* -> x/a:80/udp deny'], 'y/a', 'x/a:80/TCP')).toBe('allow');
    expect(verdict(['* -> x/a:serve-81-tcp deny'], 'y/a', 'x/a:81/TCP')).toBe('deny');
    expect(verdict(['* -> x/a:serve-81-tcp deny'], 'y/a', 'x/a:80/TCP')).toBe('allow');
    expect(verdict(['* -> x/a:* deny'], 'y/a', 'x/a:80/UDP')).toBe('deny');
  });

  it('leaves a pod to itself out of the table', () => {
    const t = expectedTable(model, []);
    expect(t.has(flowKey({ from: 'x/a', to: 'x/a:80/TCP' }))).toBe(false);
    expect(t.size).toBe(flows(model).length);
    // 6 pods x (5 other pods x 3 ports + dns)
    expect(t.size).toBe(6 * 16);
  });

  it.each([
    ['x/a -> y/b', 1, 'expected FROM -> TO allow|deny'],
    ['x/a -> y/b permit', 12, "expected allow or deny, got 'permit'"],
    ['q/a -> y/b deny', 1, "namespace 'q' is not in the model (x, y, z)"],
    ['x/a -> y/c deny', 10, "pod 'c' is not in the model (a, b)"],
    ['x/a -> y/b:82 deny', 12, 'port 82/TCP is not served by the model pods'],
    ['x/a -> y/b:http deny', 12, "no model port is named 'http'"],
    ['  dns -> y/b deny', 3, 'dns is a destination only'],
    ['xa -> y/b deny', 1, "expected ns/pod (either may be *), got 'xa'"],
    ['x/a -> y/b:80/sctp deny', 12, "expected a port: *, 80, 80/udp or a port name, got '80/sctp'"],
  ])('refuses %s at column %i', (text, column, message) => {
    let err: unknown;
    try {
      parseRule(text, model);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotationError);
    expect((err as NotationError).column).toBe(column);
    expect((err as NotationError).message).toContain(message);
  });
});
