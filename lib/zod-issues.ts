// One wording for zod validation problems everywhere (configs, raw vendor records, stored rows):
// `path.to.field: message`, with a label for a problem at the root, so an error always names the
// place to fix.
import type { z } from 'zod';

export interface IssueFormat {
  /** What a problem at the root is called (default `(root)`). */
  root?: string;
  /** Path segments placed before every issue's own path (e.g. the config section). */
  prefix?: readonly PropertyKey[];
}

/** One line per issue: `a.b.0.c: message`. */
export function issueLines(error: z.ZodError, format: IssueFormat = {}): string[] {
  return error.issues.map((issue) => {
    const path = [...(format.prefix ?? []), ...issue.path].map(String).join('.');
    return `${path || (format.root ?? '(root)')}: ${issue.message}`;
  });
}

/** Every issue on one line, separated by `; `. */
export function formatIssues(error: z.ZodError, format: IssueFormat = {}): string {
  return issueLines(error, format).join('; ');
}

/** Only the first issue (for a record whose first problem is enough to reject it). */
export function firstIssue(error: z.ZodError, format: IssueFormat = {}): string {
  return issueLines(error, format)[0] ?? format.root ?? '(root)';
}
