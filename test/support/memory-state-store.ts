// Source state kept in memory for connector tests: the StateStore contract with a JSON round trip,
// so a test sees exactly what a durable store would give back.
import type { StateStore } from '../../connectors/shared/source.ts';

export class MemoryStateStore implements StateStore {
  readonly data = new Map<string, string>();
  async get<T>(key: string): Promise<T | undefined> {
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async put(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.stringify(value));
  }
  async getMany<T>(keys: string[]): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    for (const key of keys) {
      const v = await this.get<T>(key);
      if (v !== undefined) out.set(key, v);
    }
    return out;
  }
  async putMany(entries: [string, unknown][]): Promise<void> {
    for (const [key, value] of entries) await this.put(key, value);
  }
}
