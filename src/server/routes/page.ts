/**
 * GET / and its assets: the live page (src/server/page/), plain HTML, CSS and JavaScript modules that
 * draw on <canvas> and poll GET /live. Nothing is loaded from another origin, and the Content Security
 * Policy says so to the browser too. The files are read once, on first request, from the page/ folder
 * next to this module's folder: src/server/page when run from source, dist/server/page once the build
 * has copied them there.
 */
import { readFile } from 'node:fs/promises';
import { HttpError } from '../http.js';
import type { Handler, Route } from '../context.js';

interface Asset {
  readonly path: string;
  readonly file: string;
  readonly contentType: string;
}

export const PAGE_ASSETS: readonly Asset[] = [
  { path: '/', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { path: '/page/style.css', file: 'style.css', contentType: 'text/css; charset=utf-8' },
  { path: '/page/app.js', file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/page/line-chart.js', file: 'line-chart.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/page/heatmap.js', file: 'heatmap.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/page/format.js', file: 'format.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/favicon.svg', file: 'favicon.svg', contentType: 'image/svg+xml' },
];

const PAGE_DIR = new URL('../page/', import.meta.url);

const HEADERS = {
  // Same-origin only: the page works offline and cannot be turned into a beacon to a third party.
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

const loaded = new Map<string, Buffer>();

async function load(asset: Asset): Promise<Buffer> {
  let bytes = loaded.get(asset.file);
  if (bytes === undefined) {
    const url = new URL(asset.file, PAGE_DIR);
    bytes = await readFile(url).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      throw new HttpError(500, 'page_asset_missing', `${url.pathname} is missing: the build copies src/server/page into dist/server/page (npm run build)`);
    });
    loaded.set(asset.file, bytes);
  }
  return bytes;
}

function serve(asset: Asset): Handler {
  return async (_req, res) => {
    const bytes = await load(asset);
    res.writeHead(200, { ...HEADERS, 'content-type': asset.contentType, 'content-length': bytes.byteLength });
    res.end(bytes);
  };
}

/** The page's routes, for the server's route table. */
export const pageRoutes: ReadonlyArray<readonly [string, Route]> = PAGE_ASSETS.map((asset) => [asset.path, { methods: { GET: serve(asset) } }]);
