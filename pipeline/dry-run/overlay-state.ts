// Source state for `run --dry-run`: reads fall through to the stored state (a deployed table's
// cursors, so a preview syncs only the delta) and writes stay in memory, so a preview never moves
// a cursor the next real run depends on.
import type { StateStore } from '../../connectors/shared/source.ts';

export class OverlayStateStore implements StateStore {
  /** Written values as JSON, so a read gives back a copy as a durable store would. */
  private readonly written = new Map<string, string>();
  private readonly base: StateStore | undefined;
  constructor(base?: StateStore) {
    this.base = base;
  }
  async get<T>(key: string): Promise<T | undefined> {
    const json = this.written.get(key);
    if (json !== undefined) return JSON.parse(json) as T;
    return this.base?.get<T>(key);
  }
  async getMany<T>(keys: string[]): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const key of keys) {
      const json = this.written.get(key);
      if (json !== undefined) out.set(key, JSON.parse(json) as T);
    }
    const rest = keys.filter((k) => !this.written.has(k));
    if (this.base && rest.length > 0) for (const [k, v] of await this.base.getMany<T>(rest)) out.set(k, v);
    return out;
  }
  async put(key: string, value: unknown): Promise<void> {
    this.written.set(key, JSON.stringify(value));
  }
  async putMany(entries: [string, unknown][]): Promise<void> {
    for (const [key, value] of entries) this.written.set(key, JSON.stringify(value));
  }
}
