// Source state for `run --dry-run`: reads fall through to the stored state (a deployed table's
// cursors, so a preview syncs only the delta) and writes stay in memory, so a preview never moves
// a cursor the next real run depends on.
import { MemoryStateStore, type StateStore } from '../../connectors/shared/source.ts';

export class OverlayStateStore implements StateStore {
  private readonly memory = new MemoryStateStore();
  private readonly base: StateStore | undefined;
  constructor(base?: StateStore) {
    this.base = base;
  }
  async get<T>(key: string): Promise<T | undefined> {
    if (this.memory.data.has(key)) return this.memory.get<T>(key);
    return this.base?.get<T>(key);
  }
  async getMany<T>(keys: string[]): Promise<Map<string, T>> {
    const out = await this.memory.getMany<T>(keys);
    const rest = keys.filter((k) => !this.memory.data.has(k));
    if (this.base && rest.length > 0) for (const [k, v] of await this.base.getMany<T>(rest)) out.set(k, v);
    return out;
  }
  async put(key: string, value: unknown): Promise<void> {
    await this.memory.put(key, value);
  }
  async putMany(entries: [string, unknown][]): Promise<void> {
    await this.memory.putMany(entries);
  }
}
