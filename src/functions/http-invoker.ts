// A function that is an HTTP URL: the SQSEvent is POSTed as JSON and the response body is the
// function's result (so a partial batch response works the same way). A non-2xx answer, a
// connection error or no answer before the timeout is a failed invocation.
import type { InvokeOutcome, InvokeRequest, Invoker, UrlFunction } from './types.js';

export class HttpInvoker implements Invoker {
  constructor(private readonly fn: UrlFunction) {}

  async invoke(req: InvokeRequest, signal: AbortSignal): Promise<InvokeOutcome> {
    try {
      const res = await fetch(this.fn.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // The Lambda runtime API's names for the same facts.
          'lambda-runtime-aws-request-id': req.requestId,
          'lambda-runtime-deadline-ms': String(req.deadlineMs),
          'x-pier-function-name': this.fn.name,
        },
        body: JSON.stringify(req.event),
        signal,
      });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) {
        return { ok: false, kind: 'error', errorType: `HTTP ${res.status}`, errorMessage: text.slice(0, 500) || res.statusText };
      }
      return { ok: true, payload: text === '' ? undefined : text };
    } catch (e) {
      if (signal.aborted) return { ok: false, kind: 'timeout', errorType: 'Sandbox.Timedout', errorMessage: 'the invocation was aborted' };
      const cause = (e as { cause?: Error }).cause;
      return { ok: false, kind: 'error', errorType: 'Pier.HttpError', errorMessage: `${(e as Error).message}${cause ? `: ${cause.message}` : ''}` };
    }
  }

  async close(): Promise<void> {}
}
