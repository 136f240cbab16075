/**
 * GET /model: the current parameters as safetensors (application/octet-stream), or as JSON with
 * `?format=json`. Behind the admin token when one is set: the parameters are the valuable part.
 */
import { encodeSafetensors } from '../../checkpoint/safetensors.js';
import { HttpError, sendJson } from '../http.js';
import type { Handler } from '../context.js';
import { snapshotJson, snapshotMetadata, snapshotModel } from '../model-export.js';

export const model: Handler = (_req, res, url, { learner }) => {
  const format = url.searchParams.get('format') ?? 'safetensors';
  if (format !== 'safetensors' && format !== 'json') {
    throw new HttpError(400, 'bad_format', `format: '${format}' is not one of safetensors (the default), json`);
  }
  const snapshot = snapshotModel(learner);
  if (format === 'json') {
    sendJson(res, 200, snapshotJson(snapshot));
    return;
  }
  const bytes = encodeSafetensors(snapshot.tensors, snapshotMetadata(snapshot));
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': bytes.byteLength,
    'content-disposition': `attachment; filename="model-step-${snapshot.step}.safetensors"`,
  });
  res.end(bytes);
};
