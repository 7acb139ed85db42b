// Cutting a list into consecutive batches of at most `size` items: vendor batch calls (100 HubSpot
// records, 200 Salesforce records, 25 DynamoDB writes) and the run's account batches all use this.

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, not ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
