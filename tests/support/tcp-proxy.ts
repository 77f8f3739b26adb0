import { once } from "node:events";
import { Worker } from "node:worker_threads";

/**
 * A TCP proxy in front of a server (e.g. PostgreSQL) that a test can cut and restore, as a network
 * fault or a database restart would: `cut()` resets every open connection and refuses new ones
 * (each is reset as soon as it is accepted), `restore()` lets connections through again.
 *
 * It runs in a worker thread, so it keeps forwarding while the test's own thread is blocked (e.g.
 * in the `spawnSync` of the app's migrations).
 */
export interface TcpProxy {
  /** The port it listens on (127.0.0.1). */
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

const WORKER = `
const net = require("node:net");
const { parentPort, workerData } = require("node:worker_threads");
const sockets = new Set();
let open = true;
const track = (socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => socket.destroy());
};
const server = net.createServer((client) => {
  track(client);
  if (!open) return void client.resetAndDestroy();
  const upstream = net.connect(workerData.port, workerData.host);
  track(upstream);
  client.pipe(upstream);
  upstream.pipe(client);
  client.on("close", () => upstream.destroy());
  upstream.on("close", () => client.destroy());
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage({ port: server.address().port }));
parentPort.on("message", (command) => {
  if (command === "cut") {
    open = false;
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
  } else if (command === "restore") {
    open = true;
  } else if (command === "close") {
    for (const socket of sockets) socket.destroy();
    server.close(() => process.exit(0));
    return;
  }
  parentPort.postMessage({ done: command });
});
`;

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const worker = new Worker(WORKER, { eval: true, workerData: target });
  const [{ port }] = (await once(worker, "message")) as [{ port: number }];
  const send = async (command: string) => {
    const reply = once(worker, "message");
    worker.postMessage(command);
    await reply;
  };
  return {
    port,
    cut: () => send("cut"),
    restore: () => send("restore"),
    async close() {
      const exited = once(worker, "exit");
      worker.postMessage("close");
      await exited;
    },
  };
}

/** `url` (a postgres:// URL) with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  return proxied.toString();
}
