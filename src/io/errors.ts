/**
 * The error the io decoders and encoders throw for bad input (a damaged or unsupported file, a
 * shape that does not fit): `format` says which reader refused ('npy', 'csv', 'points', 'json'),
 * the message says why (and where: a line, a point, a header field). Anything else escaping a
 * decoder is a bug (src/fuzz/io.fuzz.test.ts checks that on random bytes).
 */
export class IoError extends Error {
  constructor(readonly format: 'npy' | 'csv' | 'points' | 'json', message: string) {
    super(message);
    this.name = 'IoError';
  }
}
