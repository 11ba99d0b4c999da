/**
 * The transport floor of the resources bench: a process with no app in it that does exactly the I/O
 * of one of the app's turns and nothing else. The bench records what the app did for each kind of
 * request (the Graph requests it made, the connector calls it made, the answer it gave) and hands
 * that to this process as a plan; a POST /api/messages with `x-floor: <kind>` then reads and parses
 * the activity, replays the Graph requests with fetch (as the app's Graph client does) and the
 * connector calls with node:http on a kept-alive agent (as the connector client does), one after
 * another, and answers with the app's recorded answer. Same bytes, same hops, same order, same
 * stand-ins; what is left between this and the app is the app's own work.
 *
 *   node bench/support/transport-floor.mjs   → prints {"port":…} on stdout once it listens
 *   POST /plan {"kind":"…","plan":{"graph":[{url,headers,body}],"connector":[{url,body}],"answer":{status,body}}}
 */
import { Buffer } from 'node:buffer';
import http from 'node:http';

const plans = new Map();
const agent = new http.Agent({ keepAlive: true });

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function postJson(url, body) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body);
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length } }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode < 300 ? resolve() : reject(new Error(`connector answered ${response.statusCode}`))));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

const server = http.createServer(async (req, res) => {
  try {
    const raw = await readBody(req);
    if (req.url === '/plan') {
      const { kind, plan } = JSON.parse(raw);
      plans.set(kind, plan);
      res.writeHead(204).end();
      return;
    }
    const plan = plans.get(req.headers['x-floor']);
    if (!plan) {
      res.writeHead(404).end();
      return;
    }
    JSON.parse(raw); // every turn reads its activity
    for (const call of plan.graph) {
      const response = await globalThis.fetch(call.url, { method: 'POST', headers: call.headers, body: call.body });
      await response.text();
      if (!response.ok) throw new Error(`Graph stand-in answered ${response.status}`);
    }
    for (const call of plan.connector) await postJson(call.url, call.body);
    const answer = Buffer.from(plan.answer.body);
    res.writeHead(plan.answer.status, answer.length > 0 ? { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length } : { 'content-length': 0 });
    res.end(answer);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
});

server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
