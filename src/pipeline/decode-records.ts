/**
 * Decoding as RxJS stages. `decodeRecords` keeps every record in the stream, Sample or Rejected, in
 * arrival order (a binary record becomes its samples and rejects, in sample order); `divertRejects` then
 * hands the rejects to a sink and lets samples through.
 *
 * Why not rxjs `partition`: it subscribes to the source once per branch, so a cold source (a file)
 * would be read twice and a hot one would need sharing; one stream with a synchronous sink keeps the
 * order of samples and rejects, which offset tracking needs (a reject's offset advances too).
 */
import { map, Observable } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { SourceRecord } from '../sources/types.js';
import { createBinaryRecordDecoder } from './binary-decode.js';
import type { BinaryRecordDecoder } from './binary-decode.js';
import { createRecordDecoder } from './decode-record.js';
import type { DecodeOptions } from './decode-record.js';
import type { RecordSchema } from './record-schema.js';
import type { Decoded, Rejected, Sample } from './sample.js';

export function decodeRecords(schema: RecordSchema, options: DecodeOptions = {}): OperatorFunction<SourceRecord, Decoded> {
  // Built eagerly: an invalid schema fails where the pipeline is assembled, not on the first record.
  if (options.format === 'binary') return decodeEach(createBinaryRecordDecoder(schema, options));
  const decode = createRecordDecoder(schema, options);
  return map(decode);
}

/**
 * The decoder of `options.format` with one shape for both formats: each record's samples and rejects
 * are handed to `emit` synchronously, in order (a JSON record gives exactly one). Validates the schema now.
 */
export function createDecoder(schema: RecordSchema, options: DecodeOptions = {}): BinaryRecordDecoder {
  if (options.format === 'binary') return createBinaryRecordDecoder(schema, options);
  const decode = createRecordDecoder(schema, options);
  return (record, emit) => emit(decode(record));
}

/** Emits each record's decoded items synchronously, before the next record: no array per record. */
function decodeEach(decode: BinaryRecordDecoder): OperatorFunction<SourceRecord, Decoded> {
  return (source) =>
    new Observable<Decoded>((subscriber) => {
      const emit = (decoded: Decoded): void => subscriber.next(decoded);
      return source.subscribe({
        next: (record) => decode(record, emit),
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Passes samples on and calls `onReject` for each Rejected, synchronously and in order, before the next
 * record. A throwing sink errors the stream: losing dead letters silently is worse than stopping.
 */
export function divertRejects(onReject: (rejected: Rejected) => void): OperatorFunction<Decoded, Sample> {
  return (source) =>
    new Observable<Sample>((subscriber) =>
      source.subscribe({
        next(decoded) {
          if (decoded.kind === 'sample') {
            subscriber.next(decoded);
            return;
          }
          try {
            onReject(decoded);
          } catch (err) {
            subscriber.error(err);
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}
