/**
 * The HTTP plumbing every handler shares: JSON responses, the error shape
 * `{ "error": { "code": "...", "message": "..." } }` with stable codes, and a size-limited body reader.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A refusal with an HTTP status and a stable, machine-readable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (Allow for 405, WWW-Authenticate for 401). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/**
 * The whole body, refused with 413 as soon as it passes `maxBytes`: up front from Content-Length, else
 * while it streams. A refused body is still read and discarded (not destroyed: destroying the request
 * would reset the connection before the client reads the 413), and the response closes the connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (size: string): HttpError =>
    new HttpError(413, 'payload_too_large', `the body has ${size} bytes; the limit is ${maxBytes}`, { connection: 'close' });
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) {
      req.resume();
      reject(tooLarge(String(declared)));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBytes) {
        refused = true;
        chunks.length = 0;
        reject(tooLarge(`more than ${maxBytes}`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}
