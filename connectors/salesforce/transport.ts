// jsforce takes no custom fetch, so each jsforce transport the connector uses (the Connection's for
// REST and SOAP, the OAuth2 client's for the token endpoint) is wrapped here: jsforce's own blind
// retries off, a timeout, one redacted trace line per exchange, and the response handed to a
// classifier that may turn it into a typed error instead.
import type { HttpRequest, HttpRequestOptions, HttpResponse, StreamPromise } from 'jsforce';
import { TransientError } from '../shared/errors.ts';
import { recordExchange, redact } from '../shared/http-trace.ts';

/** The part of a jsforce Transport the wrapper replaces. */
export interface JsforceTransport {
  httpRequest(req: HttpRequest, options?: HttpRequestOptions): StreamPromise<HttpResponse>;
}

export interface TransportObserver {
  timeoutMs: number;
  /** Called with every response; a returned error is thrown instead of handing the response on. */
  classify(res: HttpResponse): Error | undefined;
}

export function observeTransport(transport: JsforceTransport, observer: TransportObserver): void {
  const send = transport.httpRequest.bind(transport);
  transport.httpRequest = (req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> => {
    const started = performance.now();
    const requestBody = typeof req.body === 'string' ? req.body : undefined;
    const sent = send(req, { ...options, retry: { maxRetries: 0, methods: [] }, timeout: observer.timeoutMs });
    const exchange = { vendor: 'salesforce' as const, method: req.method, url: req.url, requestBody };
    const checked = sent.then(
      (res) => {
        recordExchange({ ...exchange, status: res.statusCode, responseBody: res.body, durationMs: performance.now() - started });
        const typed = observer.classify(res);
        if (typed) throw typed;
        return res;
      },
      (err: unknown) => {
        const message = `network error: ${(err as Error)?.message ?? String(err)}`;
        recordExchange({ ...exchange, status: 0, responseBody: message, durationMs: performance.now() - started });
        throw new TransientError('salesforce', redact(message), { cause: err });
      },
    );
    return Object.assign(checked, { stream: () => sent.stream() }) as StreamPromise<HttpResponse>;
  };
}
