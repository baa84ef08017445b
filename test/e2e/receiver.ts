/**
 * A small HTTP server standing in for the outside world during the live test: it records every
 * notification Alertmanager sends (webhook, PagerDuty Events v2), and serves a `/metrics` page for
 * components that are not packaged for Debian (Grafana, Loki, Alloy), so their scrape jobs run
 * unchanged.
 */
import * as http from "node:http";

export interface Received {
  readonly at: number;
  readonly path: string;
  readonly authorization?: string;
  readonly body: unknown;
}

export interface Receiver {
  readonly port: number;
  readonly received: Received[];
  close(): Promise<void>;
}

export async function startReceiver(port: number): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      received.push({
        at: performance.now(),
        path: req.url ?? "",
        authorization: req.headers.authorization,
        body,
      });
      // PagerDuty answers 202 with a JSON status; the webhook receiver ignores the body.
      res.writeHead(202, { "content-type": "application/json" });
      res.end('{"status":"success","message":"Event processed"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Serves a minimal exposition-format page on `/metrics` (and 404 elsewhere). */
export async function startMetricsStub(
  port: number,
  component: string,
): Promise<() => Promise<void>> {
  const server = http.createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(
      `# HELP e2e_stand_in A stand-in for ${component} during the live test.\n` +
        `# TYPE e2e_stand_in gauge\ne2e_stand_in{component="${component}"} 1\n`,
    );
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
