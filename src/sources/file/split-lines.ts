/**
 * Splits a byte stream into lines ('\n', with a trailing '\r' removed), as Buffers.
 *
 * Not node:readline, for two reasons that matter to untrusted input: readline decodes UTF-8 with silent
 * U+FFFD replacement (the decoder could no longer reject invalid bytes), and it holds a line whole
 * however long it is. Here a line longer than `maxLineBytes` keeps only its first maxLineBytes + 1 bytes
 * (the rest is counted and dropped as it streams past), enough for the decoder to reject it as oversize.
 *
 * Yields one array of lines per input chunk: a per-line async step would cost a microtask per record.
 */

export interface SplitLinesOptions {
  readonly maxLineBytes: number;
}

export async function* splitLines(chunks: AsyncIterable<Buffer>, { maxLineBytes }: SplitLinesOptions): AsyncGenerator<Buffer[]> {
  const keep = maxLineBytes + 1;
  let parts: Buffer[] = [];
  let kept = 0;

  const append = (bytes: Buffer): void => {
    if (kept >= keep) return;
    const piece = bytes.length > keep - kept ? bytes.subarray(0, keep - kept) : bytes;
    // Copy: a slice would pin the whole 64 KiB chunk in memory for as long as the line lives.
    parts.push(Buffer.from(piece));
    kept += piece.length;
  };
  const finish = (): Buffer => {
    let line = parts.length === 1 ? parts[0] : Buffer.concat(parts, kept);
    if (line.length > 0 && line[line.length - 1] === 0x0d && line.length <= maxLineBytes) line = line.subarray(0, line.length - 1);
    parts = [];
    kept = 0;
    return line;
  };

  for await (const chunk of chunks) {
    const lines: Buffer[] = [];
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      append(chunk.subarray(start, end));
      lines.push(finish());
      start = end + 1;
    }
    if (start < chunk.length) append(chunk.subarray(start));
    if (lines.length > 0) yield lines;
  }
  // A last line without a final newline is still a line; a final newline does not start an empty one.
  if (parts.length > 0) yield [finish()];
}
