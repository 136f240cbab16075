/**
 * Where a record came from. Carried from the source through decoding, batching and training so
 * that offsets are committed only for applied records and rejects can name their origin.
 */
export type Origin =
  | {
      readonly kind: 'kafka';
      readonly topic: string;
      readonly partition: number;
      /** Kafka offsets are int64: kept as decimal strings, as kafkajs does. */
      readonly offset: string;
      readonly timestampMs?: number;
      readonly key?: string | null;
    }
  | {
      readonly kind: 'file';
      readonly path: string;
      /** 1-based line number in the (decompressed) file. */
      readonly line: number;
    }
  | { readonly kind: 'memory'; readonly index: number };

/** One undecoded record: the bytes of a Kafka message value or of one line of a .jsonl file. */
export interface SourceRecord {
  readonly value: Buffer | string | null;
  readonly origin: Origin;
}
