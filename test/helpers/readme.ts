/** The README's examples, so tests can run them exactly as printed. */
import { readFileSync } from 'node:fs';

export const README_BASE = 'http://127.0.0.1:9080';

export interface CurlCall {
  /** the shell variable a `VAR=$(curl …)` line stores the X-Subject-Token in */
  storesTokenIn: string | undefined;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function readme(): string {
  return readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
}

export function readmeBlocks(language: 'sh' | 'js'): string[] {
  return [...readme().matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** Every curl command of the sh blocks, with `$VAR` left for the caller to fill in. */
export function readmeCurlCalls(): CurlCall[] {
  const lines = readmeBlocks('sh').join('\n').replace(/\\\n\s*/g, ' ').split('\n');
  return lines.filter((line) => /^(\w+=\$\()?curl /.test(line)).map(parseCurl);
}

function parseCurl(line: string): CurlCall {
  const storesTokenIn = /^(\w+)=\$\(/.exec(line)?.[1];
  const words = [...line.replace(/^\w+=\$\(/, '').matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  const call: CurlCall = { storesTokenIn, method: 'GET', url: '', headers: {}, body: undefined };
  for (let i = 1; i < words.length && words[i] !== '|'; i++) {
    const word = words[i]!;
    if (word === '-X') call.method = words[++i]!;
    else if (word === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      call.headers[name!.trim()] = value.join(':').trim();
    } else if (word === '-d') call.body = words[++i];
    else if (word === '-D' || word === '-o') i++;
    else if (word.startsWith('http')) call.url = word;
  }
  return call;
}
