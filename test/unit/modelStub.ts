/** A local stub of an OpenAI-compatible chat endpoint (node:http on 127.0.0.1), scripted by each test through `reply`. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatBody {
  model: string;
  temperature: number;
  messages: Array<{ role: string; content: string }>;
  tools?: unknown[];
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
}

export type Reply = { status?: number; json?: unknown; text?: string } | 'hang';

export class Stub {
  readonly bodies: ChatBody[] = [];
  reply: (body: ChatBody) => Reply = () => ({ status: 500 });
  private server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'stub-7b' }, { id: 'other' }] }));
        return;
      }
      const body = JSON.parse(data) as ChatBody;
      this.bodies.push(body);
      const r = this.reply(body);
      if (r === 'hang') return;
      res.statusCode = r.status ?? 200;
      res.end(r.text ?? JSON.stringify(r.json));
    });
  });
  base = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

export const toolCall = (answer: unknown) => ({ json: { choices: [{ message: { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'record_annotations', arguments: JSON.stringify(answer) } }] } }] } });
export const content = (text: string) => ({ json: { choices: [{ message: { role: 'assistant', content: text } }] } });
/** The article a question is about: the text between the user message's triple quotes. */
export const articleOf = (body: ChatBody) => /"""\n([\s\S]*)\n"""$/.exec(body.messages[1].content)![1];
