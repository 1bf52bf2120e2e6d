// web/worker/worker.mjs: the Worker's entry point, copied into build/ by
// `make worker` over the one syumai/workers' workers-assets-gen writes
// (whose wasm_exec.js and runtime.mjs it uses). That one starts a Go
// instance for every event, which cost more CPU than the free plan's
// 10 ms a request; this one starts one per isolate, at its first event,
// and hands it every later one: main.go's serve and cron functions.
// Should the Go program exit (a panic), the next event starts another.
import "./wasm_exec.js";
import { createRuntimeContext, loadModule } from "./runtime.mjs";

// prog is this isolate's Go program once it is ready: { go, binding,
// waiters }, binding holding its functions, waiters the rejections of the
// events waiting for it, called should it exit. starting is the promise
// of the one being started. No promise is kept from one event for
// another: workerd refuses to await a promise made by an event that has
// ended.
let prog;
let starting;

function start(env) {
  return loadModule().then((mod) => new Promise((resolve, reject) => {
    const p = { go: new Go(), binding: {}, waiters: new Set() };
    p.binding.ready = () => {
      prog = p;
      resolve(p);
    };
    // Go's runtime calls exit as it ends, in whichever event runs it.
    p.go.exit = (code) => {
      if (prog === p) prog = undefined;
      const err = new Error(`linkharness: the Go program exited (code ${code})`);
      for (const w of p.waiters) w(err);
      reject(err);
    };
    const instance = new WebAssembly.Instance(mod, p.go.importObject);
    p.go.run(instance, createRuntimeContext({ env, ctx: undefined, binding: p.binding }));
  }));
}

async function program(env) {
  if (prog !== undefined && !prog.go.exited) return prog;
  if (starting === undefined) {
    starting = start(env).finally(() => { starting = undefined; });
  }
  return starting;
}

// orGone is promise, or a rejection should p's Go program exit first.
function orGone(p, promise) {
  let waiter;
  const gone = new Promise((_, reject) => {
    waiter = reject;
    p.waiters.add(reject);
  });
  return Promise.race([promise, gone]).finally(() => p.waiters.delete(waiter));
}

async function fetch(req, env, ctx) {
  const p = await program(env);
  const body = req.method === "GET" || req.method === "HEAD" ? null : new Uint8Array(await req.arrayBuffer());
  let headers = "";
  for (const [name, value] of req.headers) headers += `${name}:${value}\n`;
  const res = await orGone(p, p.binding.serve(req.method, req.url, headers, body));
  if (res.deliver) {
    ctx.waitUntil(orGone(p, res.deliver()).catch((e) => console.log("linkharness request: delivering webhooks:", String(e))));
  }
  const empty = req.method === "HEAD" || [101, 204, 205, 304].includes(res.status);
  const out = new Headers();
  for (const line of res.headers.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) out.append(line.slice(0, colon), line.slice(colon + 1));
  }
  return new Response(empty ? null : res.body, { status: res.status, statusText: res.statusText, headers: out });
}

async function scheduled(event, env, ctx) {
  const p = await program(env);
  await orGone(p, p.binding.cron());
}

export default { fetch, scheduled };
