/**
 * Answers of a pure computation remembered by key, for hot paths that compute the same few things
 * again and again (stems, spelling corrections, local times). Emptied when it reaches `limit`, so
 * odd input cannot grow it without end; being pure, a forgotten answer is simply worked out again.
 */
export class BoundedMemo<V> {
  private readonly answers = new Map<string, V>();

  constructor(private readonly limit: number) {}

  get(key: string, compute: () => V): V {
    const known = this.answers.get(key);
    if (known !== undefined) return known;
    if (this.answers.size >= this.limit) this.answers.clear();
    const answer = compute();
    this.answers.set(key, answer);
    return answer;
  }
}
