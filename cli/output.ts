// Buffered writing to stdout (a write per line is the slowest part of a large JSONL run) and the
// terminal table of score results.
import type { ScoreResult } from '../lib/scoring/engine.ts';

export class BufferedWriter {
  private chunks: string[] = [];
  private size = 0;
  private readonly stream: NodeJS.WritableStream;
  constructor(stream: NodeJS.WritableStream) {
    this.stream = stream;
  }
  async write(s: string): Promise<void> {
    this.chunks.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    if (!this.stream.write(data)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }
}

const tierMark: Record<string, string> = { green: '●', yellow: '◐', red: '○', unknown: '?' };

export function tableHeader(): string {
  return `${'account'.padEnd(24)} ${'score'.padStart(5)}  ${'tier'.padEnd(9)} ${'data'.padStart(5)}  top drivers\n`;
}

export function tableRow(r: ScoreResult): string {
  const drivers = r.drivers
    .filter((d) => d.kind !== 'signal' || d.impact < 0)
    .slice(0, 2)
    .map((d) => d.text)
    .join('; ');
  const score = r.score === null ? '-' : String(r.score);
  return `${r.accountId.slice(0, 24).padEnd(24)} ${score.padStart(5)}  ${`${tierMark[r.tier]} ${r.tier}`.padEnd(9)} ${`${Math.round(r.completeness * 100)}%`.padStart(5)}  ${drivers}${r.flags.length ? `  [${r.flags.join(', ')}]` : ''}\n`;
}
