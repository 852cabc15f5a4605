import { errorCatalog, type ErrorName, type ErrorRow } from './error-catalog.js';

/** The only error core throws. Renderers map it to the wire through the catalogue row. */
export class SqsError extends Error {
  readonly row: ErrorRow;
  constructor(readonly code: ErrorName, message: string) {
    super(message);
    this.name = code;
    this.row = errorCatalog[code];
  }
  /** Server-side faults (5xx) are the receiver's; everything else is the sender's. */
  get fault(): 'Sender' | 'Receiver' {
    return this.row.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const err = (code: ErrorName, message: string) => new SqsError(code, message);

/** "Value X for parameter P is invalid. Reason: R" — AWS's common InvalidParameterValue text. */
export const invalidValue = (param: string, value: unknown, reason: string) =>
  err('InvalidParameterValue', `Value ${value} for parameter ${param} is invalid. Reason: ${reason}`);

export const missing = (param: string) => err('MissingParameter', `The request must contain the parameter ${param}.`);

export const queueMissing = () => err('QueueDoesNotExist', 'The specified queue does not exist.');
