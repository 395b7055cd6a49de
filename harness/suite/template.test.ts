import { describe, expect, it } from 'vitest';
import { SuiteError } from './problems.ts';
import { knownNames, positionInOrigin, renderTemplate, templateVars } from './template.ts';

const vars = templateVars({ namespace: 'kconform-net-7f3a', runId: '7f3a', nonce: 'n0nc3', suite: 'net', agnhostImage: 'agnhost:t' }, { port: 8080, debug: true, image: 'agnhost' });

function problemsOf(fn: () => unknown): SuiteError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SuiteError);
    return e as SuiteError;
  }
  throw new Error('expected a SuiteError, got none');
}

describe('renderTemplate', () => {
  it('substitutes builtins and suite vars, with or without spaces, bare or under vars.', () => {
    const text = 'ns: {{namespace}}\nrun: {{ runId }}-{{  nonce  }}\nsuite: {{ suite }}\nport: {{ vars.port }}/{{ port }}\ndebug: {{ debug }}\n';
    expect(renderTemplate(text, vars, { file: '/f.yaml' })).toBe('ns: kconform-net-7f3a\nrun: 7f3a-n0nc3\nsuite: net\nport: 8080/8080\ndebug: true\n');
  });

  it("writes a literal {{ through the escape {{'{{'}}", () => {
    expect(renderTemplate("a: \"{{'{{'}} not a var }}\" b: {{ suite }}", vars, { file: '/f.yaml' })).toBe('a: "{{ not a var }}" b: net');
  });

  it('leaves text without placeholders alone', () => {
    const text = 'apiVersion: v1\nkind: Pod\n# a } and a { alone\n';
    expect(renderTemplate(text, vars, { file: '/f.yaml' })).toBe(text);
  });

  it('names the file, line and column of an unknown variable and lists the known names', () => {
    const e = problemsOf(() => renderTemplate('kind: Pod\nmetadata:\n  name: web-{{ nonse }}\n', vars, { file: '/fixtures/web.yaml' }));
    expect(e.problems).toEqual([
      {
        file: '/fixtures/web.yaml',
        line: 3,
        column: 13,
        path: '',
        message: "unknown template variable 'nonse'; did you mean 'nonce'? known: namespace, runId, nonce, suite, agnhostImage, port, debug, image, vars.port, vars.debug, vars.image",
      },
    ]);
  });

  it('reports every bad placeholder at once, without a suggestion when nothing is close', () => {
    const e = problemsOf(() => renderTemplate('{{ zebra }} {{ vars }}\n{{ bad name }}', vars, { file: '/f.yaml' }));
    expect(e.problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '1:1 unknown template variable \'zebra\'; known: namespace, runId, nonce, suite, agnhostImage, port, debug, image, vars.port, vars.debug, vars.image',
      "1:13 'vars' is a group of variables, not a value; expected one of: vars.port, vars.debug, vars.image",
      "2:1 expected a placeholder like {{ namespace }} (or {{'{{'}} for a literal {{), got '{{ bad name }}'",
    ]);
  });

  it('reports an unclosed placeholder', () => {
    const e = problemsOf(() => renderTemplate('name: {{ suite\nkind: Pod', vars, { file: '/f.yaml' }));
    expect(e.problems[0]?.message).toBe("expected a placeholder like {{ namespace }} (or {{'{{'}} for a literal {{), got '{{ suite'");
  });

  it('maps positions through an origin inside another file (an inline block scalar)', () => {
    const origin = { file: '/suites/net.yaml', line: 12, column: 7, indent: 6, path: 'fixtures[0].inline' };
    const e = problemsOf(() => renderTemplate('kind: Pod\nmetadata:\n  name: {{ nam }}\n', vars, origin));
    expect(e.problems[0]).toMatchObject({ file: '/suites/net.yaml', line: 14, column: 15, path: 'fixtures[0].inline' });
    expect(e.format()).toMatch(/^\/suites\/net\.yaml:14:15 fixtures\[0\]\.inline: unknown template variable 'nam'/);
  });
});

describe('positionInOrigin', () => {
  it('offsets the first line by the origin column and later lines by the indent', () => {
    const text = 'ab\ncd';
    expect(positionInOrigin(text, 1, { file: 'f', line: 5, column: 10, indent: 4 })).toEqual({ line: 5, column: 11 });
    expect(positionInOrigin(text, 4, { file: 'f', line: 5, column: 10, indent: 4 })).toEqual({ line: 6, column: 6 });
    expect(positionInOrigin(text, 4, { file: 'f' })).toEqual({ line: 2, column: 2 });
  });
});

describe('templateVars', () => {
  it('keeps builtins when a suite var has the same name', () => {
    const v = templateVars({ namespace: 'ns', runId: 'r', nonce: 'n', suite: 's', agnhostImage: 'a' }, { namespace: 'mine', x: 1 });
    expect(v).toEqual({ namespace: 'ns', runId: 'r', nonce: 'n', suite: 's', agnhostImage: 'a', x: 1, vars: { namespace: 'mine', x: 1 } });
    expect(knownNames(v)).toEqual(['namespace', 'runId', 'nonce', 'suite', 'agnhostImage', 'x', 'vars.namespace', 'vars.x']);
  });
});
