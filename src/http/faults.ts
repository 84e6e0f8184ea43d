/**
 * Injected faults: per operation, an error (status, code, message) and/or latency, with a
 * seeded probability so a run is reproducible, for a number of times or until removed.
 * A faulted response looks like any other error: the normal envelope and X-Request-Id.
 */
import type { FastifyInstance } from 'fastify';
import { HssError } from '../errors/catalog.js';
import { operationOf, projectOf } from './operation.js';
import type { CloudOperation } from '../../schemas/operations.js';
import type { FaultBody } from '../../schemas/control.js';

/** A fault rule as the control plane takes it; the schema is the one definition. */
export type FaultSpec = FaultBody;

export interface Fault extends FaultSpec {
  id: number;
  /** requests it has hit so far */
  hits: number;
}

/** The error each status gets when a fault names no code of its own. */
const DEFAULT_ERRORS: Record<number, [string, string]> = {
  400: ['HSS.0001', 'Invalid parameter.'],
  401: ['APIGW.0301', 'Incorrect IAM authentication information.'],
  403: ['APIGW.0302', 'The IAM user is not authorized to access the API.'],
  404: ['APIGW.0101', 'The API does not exist or has not been published in the environment.'],
  429: ['APIGW.0308', 'The throttling threshold has been reached.'],
  500: ['APIGW.0601', 'Internal server error.'],
  502: ['APIGW.0201', 'Bad gateway.'],
  503: ['APIGW.0613', 'Service unavailable.'],
  504: ['APIGW.0201', 'Backend timeout.'],
};

/** mulberry32: small, fast, and the same sequence for the same seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  readonly #rules: { fault: Fault; random: () => number }[] = [];
  #nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.#nextId++, hits: 0 };
    this.#rules.push({ fault, random: seededRandom(spec.seed ?? 1) });
    return fault;
  }

  /** Every rule, or one project's. */
  list(projectId?: string): Fault[] {
    return this.#rules.filter((r) => projectId === undefined || r.fault.project_id === projectId).map((r) => ({ ...r.fault }));
  }

  /** Removes every rule, or one project's; says how many went. */
  removeAll(projectId?: string): number {
    let removed = 0;
    for (let i = this.#rules.length - 1; i >= 0; i--) {
      if (projectId === undefined || this.#rules[i]!.fault.project_id === projectId) {
        this.#rules.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  remove(id: number): boolean {
    const index = this.#rules.findIndex((r) => r.fault.id === id);
    return index >= 0 && this.#rules.splice(index, 1).length > 0;
  }

  /** The first live rule for the operation (and the project the call names) whose draw hits, counting the hit. */
  draw(operation: CloudOperation, projectId: string | undefined): Fault | undefined {
    for (const rule of this.#rules) {
      const { fault } = rule;
      if (fault.operation !== operation) continue;
      if (fault.project_id !== undefined && fault.project_id !== projectId) continue;
      if (fault.times !== undefined && fault.hits >= fault.times) continue;
      if (rule.random() >= (fault.probability ?? 1)) continue;
      fault.hits++;
      return { ...fault };
    }
    return undefined;
  }
}

export function faultError(fault: Fault): HssError | undefined {
  if (fault.status === undefined) return undefined;
  const [code, message] = DEFAULT_ERRORS[fault.status] ?? ['APIGW.0201', 'API request error.'];
  return new HssError(fault.status, fault.error_code ?? code, fault.error_msg ?? message);
}

export function installFaults(app: FastifyInstance, faults: Faults): void {
  // a callback hook: almost every request draws no fault, and an async hook costs a promise each
  app.addHook('onRequest', (request, _reply, done) => {
    const operation = operationOf(request);
    const fault = operation && faults.draw(operation, projectOf(request));
    if (!fault) return done();
    const error = faultError(fault);
    // EMULATOR: injected latency is real time, so a client's timeouts can be tested.
    if (fault.latency_ms) setTimeout(() => done(error), fault.latency_ms);
    else done(error);
  });
}
