import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { firstIssue, formatIssues, issueLines } from '../../lib/zod-issues.ts';

const schema = z.object({ name: z.string(), limits: z.object({ perSecond: z.number().positive() }) });

function errorOf(value: unknown): z.ZodError {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return r.error;
}

describe('one wording for zod problems', () => {
  it('given two problems deep in a config, when formatted, then each names its dotted path', () => {
    const error = errorOf({ name: 3, limits: { perSecond: -1 } });
    expect(issueLines(error)).toEqual([expect.stringMatching(/^name: /), expect.stringMatching(/^limits\.perSecond: /)]);
    expect(formatIssues(error)).toBe(issueLines(error).join('; '));
  });

  it('given a prefix, when formatted, then the path starts with it', () => {
    expect(firstIssue(errorOf({ name: 'x', limits: { perSecond: 0 } }), { prefix: ['run', 'stripe'] })).toMatch(
      /^run\.stripe\.limits\.perSecond: /,
    );
  });

  it('given a problem at the root, when formatted, then the root label stands in for the empty path', () => {
    expect(firstIssue(errorOf('not an object'))).toMatch(/^\(root\): /);
    expect(firstIssue(errorOf(null), { root: '(record)' })).toMatch(/^\(record\): /);
  });
});
