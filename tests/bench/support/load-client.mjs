#!/usr/bin/env node
/**
 * A small closed-loop HTTP load generator, run as its own process so that the
 * client never shares an event loop with the server it measures. Plain
 * JavaScript on node:http with a keep-alive agent: no loader, no dependency.
 * (autocannon would do the same job; it is not a dependency of the workspace.)
 *
 * Input (argv[2], JSON, or @file holding it): { url, paths: string[], headers:
 *   object[], connections, warmupMs, durationMs, cycle? }. Connection i requests
 *   paths[i % paths.length] with headers[i % headers.length], one request at a
 *   time, for warmup + duration; with `cycle`, it walks through the paths
 *   instead (i, i + connections, …), e.g. a different random subject each time.
 * Output (stdout, JSON): requests and errors counted during the measured
 * duration only, the elapsed seconds, the status counts, and every latency in
 * microseconds (base64 of a Uint32Array) so that segments can be merged.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const arg = process.argv[2];
const opts = JSON.parse(arg.startsWith('@') ? readFileSync(arg.slice(1), 'utf8') : arg);
const target = new URL(opts.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });

let latencies = new Uint32Array(1 << 16);
let recorded = 0;
let errors = 0;
const statuses = {};
let measuring = false;
let stopping = false;

function record(us) {
  if (recorded === latencies.length) {
    const next = new Uint32Array(latencies.length * 2);
    next.set(latencies);
    latencies = next;
  }
  latencies[recorded++] = us;
}

function once(path, headers) {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: target.hostname, port: target.port, path, method: 'GET', headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function connection(i) {
  let at = i % opts.paths.length;
  const headers = opts.headers[i % opts.headers.length];
  while (!stopping) {
    const path = opts.paths[at];
    if (opts.cycle) at = (at + opts.connections) % opts.paths.length;
    const counting = measuring;
    const t0 = performance.now();
    const status = await once(path, headers);
    const us = Math.round((performance.now() - t0) * 1000);
    // A request counts only if it started and ended inside the measured window.
    if (!counting || !measuring) continue;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== 200) errors++;
    record(us);
  }
}

const workers = Array.from({ length: opts.connections }, (_, i) => connection(i));
await new Promise((r) => setTimeout(r, opts.warmupMs));
measuring = true;
const started = performance.now();
await new Promise((r) => setTimeout(r, opts.durationMs));
measuring = false;
const seconds = (performance.now() - started) / 1000;
stopping = true;
await Promise.all(workers);
agent.destroy();

process.stdout.write(
  JSON.stringify({
    requests: recorded,
    errors,
    seconds,
    statuses,
    latenciesUs: Buffer.from(latencies.buffer, 0, recorded * 4).toString('base64'),
  }),
);
