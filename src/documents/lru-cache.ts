// A small least-recently-used map: the region cache of incremental analysis,
// the panel's analyzers per document and its loop models share it.
//
// Invariant: never holds more than `limit` entries; `get` and `set` make an
// entry the most recent (a Map iterates in insertion order, so the first key
// is the least recently used).

export class LruCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private limit_: number) {}

  get limit(): number {
    return this.limit_;
  }

  /** Changes the limit, dropping the least recently used entries above it. */
  resize(limit: number): void {
    this.limit_ = limit;
    this.trim();
  }

  private trim(): void {
    while (this.entries.size > this.limit_) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.trim();
  }

  clear(): void {
    this.entries.clear();
  }
}
