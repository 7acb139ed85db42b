// Bundle sizes of the functions in a synthesized template: the minified handler (index.mjs) and
// everything shipped with it (the models), read from the cloud assembly's staged assets.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The size target for one minified handler. */
export const BUNDLE_TARGET_BYTES = 1.5 * 1024 * 1024;

export interface BundleSize {
  functionName: string;
  logicalId: string;
  handlerBytes: number;
  totalBytes: number;
}

interface TemplateResource {
  Type: string;
  Properties?: { FunctionName?: unknown; Code?: { S3Key?: unknown } };
}

function dirBytes(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    n += e.isDirectory() ? dirBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return n;
}

/** Each function's staged code: its S3 key is the asset's hash, and the asset manifest says where it was staged. */
export function bundleSizes(
  assemblyDir: string,
  stackName: string,
  template: { Resources: Record<string, TemplateResource> },
): BundleSize[] {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, `${stackName}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const out: BundleSize[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources)) {
    const key = r.Properties?.Code?.S3Key;
    if (r.Type !== 'AWS::Lambda::Function' || typeof key !== 'string') continue;
    const asset = manifest.files[key.replace(/\.zip$/, '')];
    if (!asset) continue;
    const dir = join(assemblyDir, asset.source.path);
    out.push({
      functionName: typeof r.Properties?.FunctionName === 'string' ? r.Properties.FunctionName : logicalId,
      logicalId,
      handlerBytes: statSync(join(dir, 'index.mjs')).size,
      totalBytes: dirBytes(dir),
    });
  }
  return out;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;

export function formatBundleSizes(sizes: readonly BundleSize[]): string {
  return sizes
    .map(
      (s) =>
        `  ${s.functionName.padEnd(32)} ${mb(s.handlerBytes).padStart(9)} minified${s.handlerBytes > BUNDLE_TARGET_BYTES ? ` (over the ${mb(BUNDLE_TARGET_BYTES)} target)` : ''}, ${mb(s.totalBytes)} with models`,
    )
    .join('\n');
}
