/** The README's curl commands, turned into fetch calls so a test can run them as printed. */
import { readFileSync } from 'node:fs';

export interface CurlCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export function readmeCurlCalls(): CurlCall[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const lines = blocks.join('\n').replace(/\\\n\s*/g, ' ').split('\n');
  return lines.filter((line) => line.startsWith('curl ')).map(parseCurl);
}

function parseCurl(line: string): CurlCall {
  const words = [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
  const call: CurlCall = { method: 'GET', url: '', headers: {}, body: undefined };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-X') call.method = words[++i]!;
    else if (word === '-H') {
      const [name, ...value] = words[++i]!.split(':');
      call.headers[name!.trim()] = value.join(':').trim();
    } else if (word === '-d') call.body = words[++i];
    else if (word.startsWith('http')) call.url = word;
  }
  return call;
}
