#!/usr/bin/env node
// prism-check: start Prism (a third-party mock, pinned in package.json) on
// 127.0.0.1 with the bundled spec, call every documented operation with a
// request built from the spec's own examples, and check that Prism answers
// with the documented 2xx status and exactly the documented example body.
// Two negative calls prove Prism really enforces our spec (security, routes).
//
// Usage: node scripts/prism-check.mjs dist/xink.json
//        node scripts/prism-check.mjs --self-test OPERATION_ID dist/xink.json
// The self-test feeds Prism a derived copy (written to a temp dir, never
// committed) in which OPERATION_ID's request example lacks a required property,
// and passes only if the check then fails for that operation and no other:
// proof that the check can fail.
// Exit status: 0 all good, 1 a check failed, 2 Prism could not be started.
// Prism is always stopped (its process group is signalled) and every wait is bounded.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { isDeepStrictEqual } from "node:util";
import path from "node:path";

const args = process.argv.slice(2);
let selfTestOp;
if (args[0] === "--self-test") {
  selfTestOp = args[1];
  args.splice(0, 2);
}
const sourcePath = args[0];
if (!sourcePath || (selfTestOp !== undefined && !selfTestOp)) {
  console.error("usage: prism-check.mjs [--self-test OPERATION_ID] <bundled spec (JSON)>");
  process.exit(2);
}
const START_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 5_000;
const OVERALL_TIMEOUT_MS = 55_000;
const METHODS = ["get", "put", "post", "delete", "patch"];
const PNG_1x1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

const spec = JSON.parse(readFileSync(sourcePath, "utf8"));
let specPath = sourcePath;
let tmpDir;
if (selfTestOp) {
  // Break one request example: drop a property its schema requires.
  const op = Object.values(spec.paths).flatMap((item) => Object.values(item)).find((o) => o && o.operationId === selfTestOp);
  const media = op?.requestBody && Object.values(deref(op.requestBody).content)[0];
  const required = media && deref(media.schema)?.required;
  if (!media?.example || !required?.length) {
    console.error(`prism-check: --self-test needs an operation with a request example and required properties; ${selfTestOp} has none`);
    process.exit(2);
  }
  delete media.example[required[0]];
  tmpDir = mkdtempSync(path.join(os.tmpdir(), "prism-check-"));
  specPath = path.join(tmpDir, "derived.json");
  writeFileSync(specPath, JSON.stringify(spec));
  console.log(`prism-check: self-test: ${selfTestOp}'s request example without required "${required[0]}" must fail`);
}

/** Resolve a local JSON pointer $ref (bundles only have local refs). */
function deref(node) {
  let seen = 0;
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    if (!node.$ref.startsWith("#/") || ++seen > 20) throw new Error(`cannot resolve $ref ${node.$ref}`);
    node = node.$ref
      .slice(2)
      .split("/")
      .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((n, key) => (n === undefined ? undefined : n[key]), spec);
    if (node === undefined) throw new Error("dangling $ref");
  }
  return node;
}

function exampleOf(media) {
  if (!media) return undefined;
  if ("example" in media) return media.example;
  const named = media.examples && Object.values(media.examples)[0];
  return named ? deref(named).value : undefined;
}

/** Build the request for one operation from the spec's examples. */
function buildRequest(route, method, pathItem, op) {
  const params = [...(pathItem.parameters ?? []), ...(op.parameters ?? [])].map(deref);
  let url = route;
  const query = new URLSearchParams();
  const headers = { Accept: "application/json" };
  for (const p of params) {
    const value = p.example ?? p.schema?.example ?? p.schema?.default ?? p.schema?.enum?.[0];
    if (value === undefined) {
      if (p.required) throw new Error(`required ${p.in} parameter ${p.name} has no example`);
      continue;
    }
    if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    else if (p.in === "query" && p.required) query.set(p.name, String(value));
    else if (p.in === "header" && p.required) headers[p.name] = String(value);
  }
  if (/[{}]/.test(url)) throw new Error(`unfilled path parameter in ${url}`);
  if ([...query].length) url += `?${query}`;

  const security = op.security ?? spec.security ?? [];
  if (security.some((req) => "oauth2" in req)) headers.Authorization = "Bearer prism-check-token";

  let body;
  const rb = op.requestBody && deref(op.requestBody);
  if (rb) {
    const [type, media] = Object.entries(rb.content)[0];
    const ex = exampleOf(media);
    if (ex === undefined) throw new Error(`request body (${type}) has no example`);
    if (type === "application/json") {
      headers["Content-Type"] = type;
      body = JSON.stringify(ex);
    } else if (type === "application/x-www-form-urlencoded") {
      headers["Content-Type"] = type;
      body = new URLSearchParams(Object.entries(ex).map(([k, v]) => [k, String(v)]));
    } else if (type === "multipart/form-data") {
      const props = deref(media.schema)?.properties ?? {};
      body = new FormData();
      for (const [k, v] of Object.entries(ex)) {
        if (deref(props[k] ?? {}).format === "binary") body.set(k, new Blob([PNG_1x1], { type: "image/png" }), "logo.png");
        else body.set(k, String(v));
      }
    } else {
      throw new Error(`no request builder for ${type}`);
    }
  }
  return { url, init: { method: method.toUpperCase(), headers, body } };
}

function expectedReply(op) {
  const code = Object.keys(op.responses)
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
  if (!code) throw new Error("no documented 2xx response");
  const resp = deref(op.responses[code]);
  const media = resp.content?.["application/json"];
  return { status: Number(code), example: exampleOf(media), hasJSON: Boolean(media) };
}

// ---- Prism lifecycle ------------------------------------------------------
let prism;
let prismLog = "";
function stopPrism() {
  if (!prism || prism.exitCode !== null || prism.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => {
      try { process.kill(-prism.pid, "SIGKILL"); } catch {}
      resolve();
    }, 5_000);
    prism.once("exit", () => { clearTimeout(hard); resolve(); });
    try { process.kill(-prism.pid, "SIGTERM"); } catch { clearTimeout(hard); resolve(); }
  });
}
async function finish(code, msg) {
  if (msg) console.error(msg);
  await stopPrism();
  if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  process.exit(code);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => finish(1, `prism-check: ${sig}`));
process.on("exit", () => { if (prism && prism.exitCode === null) try { process.kill(-prism.pid, "SIGKILL"); } catch {} });
setTimeout(() => finish(1, `prism-check: gave up after ${OVERALL_TIMEOUT_MS / 1000}s\n${prismLog}`), OVERALL_TIMEOUT_MS).unref();

function startPrism() {
  const bin = path.join("node_modules", ".bin", "prism");
  prism = spawn(bin, ["mock", "--host", "127.0.0.1", "--port", "0", "--dynamic", "false", specPath], {
    detached: true, // own process group, so stopPrism reaches anything it forks
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not listen within ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      prismLog += chunk.toString();
      const m = prismLog.replace(/\x1b\[[0-9;]*m/g, "").match(/Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    prism.stdout.on("data", onData);
    prism.stderr.on("data", onData);
    prism.once("error", (e) => { clearTimeout(timer); reject(e); });
    prism.once("exit", (code) => { clearTimeout(timer); reject(new Error(`Prism exited with ${code} before listening`)); });
  });
}

async function call(base, { url, init }) {
  const res = await fetch(base + url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, json, type: res.headers.get("content-type") ?? "" };
}

// ---- main -----------------------------------------------------------------
const t0 = Date.now();
let base;
try {
  base = await startPrism();
} catch (e) {
  await finish(2, `prism-check: ${e.message}\n${prismLog}`);
}
console.log(`prism-check: Prism listening on ${base} (${Date.now() - t0} ms)`);

const failures = [];
let checked = 0;
for (const [route, pathItem] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    const op = pathItem[method];
    if (!op) continue;
    const label = `${method.toUpperCase().padEnd(6)} ${route} (${op.operationId})`;
    try {
      const req = buildRequest(route, method, pathItem, op);
      const want = expectedReply(op);
      const got = await call(base, req);
      checked++;
      if (got.status !== want.status) {
        failures.push(`${label}: status ${got.status}, want ${want.status}: ${got.text.slice(0, 300)}`);
      } else if (want.example !== undefined && !isDeepStrictEqual(got.json, want.example)) {
        failures.push(`${label}: body differs from the documented example:\n  got  ${got.text.slice(0, 300)}\n  want ${JSON.stringify(want.example).slice(0, 300)}`);
      } else if (want.hasJSON && !got.type.startsWith("application/json")) {
        failures.push(`${label}: content-type ${got.type}, want application/json`);
      } else {
        console.log(`  ok  ${label} -> ${got.status}${want.example !== undefined ? " = example" : ""}`);
      }
    } catch (e) {
      failures.push(`${label}: ${e.message}`);
    }
  }
}

// Negative checks: Prism must apply our security and our routes, not answer anything.
const list = spec.paths["/api/1.0/employee/list"]?.get;
if (list) {
  const got = await call(base, { url: "/api/1.0/employee/list", init: { headers: { Accept: "application/json" } } });
  if (got.status !== 401) failures.push(`listEmployees without a token: status ${got.status}, want 401`);
  else console.log("  ok  GET    /api/1.0/employee/list without a token -> 401");
}
if (spec.paths["/api/1.0/signature/{signatureId}"]?.get) {
  // signatureId has minimum: 1 in the spec.
  const got = await call(base, { url: "/api/1.0/signature/0", init: { headers: { Authorization: "Bearer x", Accept: "application/json" } } });
  if (got.status !== 400 && got.status !== 422) failures.push(`getSignature with signatureId 0: status ${got.status}, want 400 or 422`);
  else console.log(`  ok  GET    /api/1.0/signature/0 (below the spec's minimum) -> ${got.status}`);
}
{
  const got = await call(base, { url: "/api/1.0/no-such-controller", init: { headers: { Authorization: "Bearer x" } } });
  if (got.status !== 404) failures.push(`unknown route: status ${got.status}, want 404`);
  else console.log("  ok  GET    /api/1.0/no-such-controller -> 404");
}

if (checked === 0) failures.push("no operations found in the spec");
if (selfTestOp) {
  const ours = failures.filter((f) => f.includes(`(${selfTestOp})`));
  if (ours.length === 1 && failures.length === 1) {
    await finish(0, `prism-check: self-test ok, the broken example was caught:\n- ${ours[0]}`);
  }
  await finish(1, `prism-check: self-test FAILED: want exactly one failure, for ${selfTestOp}; got ${failures.length}:\n- ${failures.join("\n- ")}`);
}
if (failures.length) {
  await finish(1, `prism-check: ${failures.length} failure(s) of ${checked} operations:\n- ${failures.join("\n- ")}`);
}
console.log(`prism-check: Prism served all ${checked} documented operations with their examples (${Date.now() - t0} ms)`);
await finish(0);
