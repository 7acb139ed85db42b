// Salesforce-shaped record ids for the fake org: a 3-character key prefix per object, a 15-character
// case-sensitive body, and the 3-character case-insensitive checksum suffix the real API returns.

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The key prefixes of the objects the fake knows (what a real org uses). */
export const KEY_PREFIX: Record<string, string> = {
  Account: '001',
  Contact: '003',
  User: '005',
  Task: '00T',
  Event: '00U',
  EventWhoRelation: '0RE',
  Opportunity: '006',
  OpportunityContactRole: '00K',
  Contract: '800',
  AccountContactRelation: '07k',
  EmailMessage: '02s',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  CustomField: '00N',
  QueryLocator: '01g',
};

/** Appends the 3-character suffix that makes a 15-character id case-insensitive (18 characters). */
export function toId18(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(bits);
  }
  return id15 + suffix;
}

/** Hands out ids per key prefix, in creation order. */
export class IdSequence {
  private readonly counters = new Map<string, number>();

  next(object: string): string {
    const prefix = KEY_PREFIX[object] ?? 'a0X';
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    let body = '';
    for (let v = n; body.length < 6; v = Math.floor(v / 62)) body = BASE62.charAt(v % 62) + body;
    return toId18(`${prefix}Hs0000${body}`);
  }
}

/** True for a 15- or 18-character Salesforce id. */
export const isSalesforceId = (value: string): boolean => /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value);

/** Compares two ids the way Salesforce does (15-character ids match their 18-character form). */
export const sameId = (a: string, b: string): boolean => (a.length === b.length ? a === b : a.slice(0, 15) === b.slice(0, 15));
