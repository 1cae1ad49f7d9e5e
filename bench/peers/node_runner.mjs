// nf.create the way a competent user scripts it in Node.js: undici + csv-parse.
//
//   NEUROFLASH_CLIENT_ID=.. NEUROFLASH_CLIENT_SECRET=.. node node_runner.mjs JOB.csv OUT.csv \
//       --nf-api URL --nf-token-url URL [--concurrency 32]
//
// Streams the CSV, keeps `concurrency` requests in flight, retries 429/5xx and
// connection errors with exponential back-off and full jitter (Retry-After
// first), and writes `row,status,http_status,id,attempts,error` per row as it ends.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { Agent, request } from 'undici';

const GENDERS = ['female', 'male', 'nonBinary', 'preferNotToSay'];
const LISTS = ['interests', 'needs', 'painPoints'];
const TEXTS = ['country', 'nativeLanguage', 'residence'];
const RETRIED = new Set([429, 500, 502, 503, 504]);
const MAX_ATTEMPTS = 8;

const { values: opts, positionals: [jobFile, outFile] } = parseArgs({
  allowPositionals: true,
  options: {
    'nf-api': { type: 'string' },
    'nf-token-url': { type: 'string' },
    concurrency: { type: 'string', default: '32' },
  },
});
const concurrency = Number(opts.concurrency);
const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });

const asList = (cell) => (cell.startsWith('[') ? JSON.parse(cell) : cell ? cell.split('|') : []);
const backoff = (attempt) => Math.random() * Math.min(30_000, 100 * 2 ** attempt);

// Shares are compared in hundred-millionths, so 0.7+0.1+0.1+0.1 counts as 1 as it does in decimal.
function buildBody(row) {
  const shares = GENDERS.map((g) => (row[g] === '' ? NaN : Number(row[g])));
  if (shares.some(Number.isNaN) || shares.reduce((sum, s) => sum + Math.round(s * 1e8), 0) !== 1e8) {
    throw new Error('gender shares must add up to 1');
  }
  const body = { name: row.name, genderDistribution: Object.fromEntries(GENDERS.map((g, i) => [g, shares[i]])) };
  for (const key of TEXTS) if (row[key]) body[key] = row[key];
  for (const key of ['minAge', 'maxAge']) if (row[key]) body[key] = Number.parseInt(row[key], 10);
  for (const key of LISTS) if (key in row) body[key] = asList(row[key]);
  if (row.shared) body.shared = ['true', '1', 'yes'].includes(row.shared.toLowerCase());
  return body;
}

async function fetchToken() {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: process.env.NEUROFLASH_CLIENT_ID,
    client_secret: process.env.NEUROFLASH_CLIENT_SECRET,
    scope: 'openid',
  });
  const { statusCode, body } = await request(opts['nf-token-url'], { method: 'POST', body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher });
  if (statusCode !== 200) throw new Error(`token endpoint answered ${statusCode}`);
  return (await body.json()).access_token;
}

async function postWithRetries(url, headers, payload) {
  for (let attempt = 1; ; attempt++) {
    let delay;
    try {
      const { statusCode, headers: answerHeaders, body } = await request(url, { method: 'POST', headers,
        body: payload, dispatcher, headersTimeout: 30_000, bodyTimeout: 30_000 });
      if (!RETRIED.has(statusCode) || attempt === MAX_ATTEMPTS) {
        return { status: statusCode, answer: await body.json().catch(() => null), attempts: attempt };
      }
      await body.dump();
      const retryAfter = Number(answerHeaders['retry-after']);
      delay = retryAfter > 0 ? retryAfter * 1000 : backoff(attempt);
    } catch (error) {
      if (attempt === MAX_ATTEMPTS) return { status: 0, answer: null, attempts: attempt, error: error.message };
      delay = backoff(attempt);
    }
    await sleep(delay);
  }
}

const csvField = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

async function main() {
  const token = await fetchToken();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const workspaces = await request(`${opts['nf-api']}/workspace-service/v1/workspaces`, { headers, dispatcher });
  const workspace = (await workspaces.body.json())._embedded.workspaces[0].id;
  const url = `${opts['nf-api']}/audience-service/v1/workspaces/${workspace}/target-audiences`;

  const out = createWriteStream(outFile);
  const write = (fields) => out.write(fields.map((f) => csvField(String(f))).join(',') + '\n');
  write(['row', 'status', 'http_status', 'id', 'attempts', 'error']);

  // Workers pull from one async iterator: its next() calls queue, so each record goes to exactly one worker.
  const rows = createReadStream(jobFile).pipe(parse({ columns: true, bom: true }))[Symbol.asyncIterator]();
  let rowNumber = 0;
  const worker = async () => {
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      const number = ++rowNumber;
      let payload;
      try {
        payload = JSON.stringify(buildBody(next.value));
      } catch (error) {
        write([number, 'invalid', '', '', 0, error.message]);
        continue;
      }
      const { status, answer, attempts, error } = await postWithRetries(url, headers, payload);
      if (status >= 200 && status < 300) write([number, 'ok', status, answer.id, attempts, '']);
      else write([number, 'failed', status || '', '', attempts, error ?? JSON.stringify(answer)]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  out.end();
  await once(out, 'finish');
  await dispatcher.close();
}

await main();
