/**
 * The error catalog: every error the emulator answers with, in the real service's codes,
 * statuses and wording (hss-api.md §4). Handlers throw these; one error handler writes them.
 */
export class HssError extends Error {
  override name = 'HssError';
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    /** what exactly is wrong, when the message is a catalog text followed by it */
    readonly detail?: string,
    /** for the log line only: which check failed, when the message does not say (never a secret) */
    readonly reason?: string,
  ) {
    // An answer to the client, not a fault of the emulator: no stack trace to capture (it
    // cost as much as the rest of a 404). Errors of the emulator itself keep theirs.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

/** A detail ends like a sentence (field names keep their case). */
const sentence = (detail: string) => `${detail}${/[.!?]$/.test(detail) ? '' : '.'}`;

// The HSS catalog's texts ("Invalid parameter.", "Failed to parse the request."), with the detail after them.
export const invalidParameter = (detail: string) => new HssError(400, 'HSS.0001', `Invalid parameter. ${sentence(detail)}`, detail);

export const unparsableRequest = (detail: string) =>
  new HssError(400, 'HSS.0002', `Failed to parse the request. ${sentence(detail)}`, detail);

export const insufficientPermission = (enterpriseProjectId: string) =>
  new HssError(400, 'HSS.0013', `Insufficient permissions for enterprise project ${enterpriseProjectId}.`);

export const apiNotFound = () =>
  new HssError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment.');

/** A known path asked with a method it does not have: the gateway's other APIGW.0101 text. */
export const methodNotFound = () => new HssError(404, 'APIGW.0101', 'The API does not exist.');

export const entityTooLarge = () => new HssError(413, 'APIGW.0201', 'Request entity too large.');

export const uriTooLarge = () => new HssError(414, 'APIGW.0201', 'Request URI too large.');

export const iamAuthFailed = (detail: string, reason?: string) =>
  new HssError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${detail}`, undefined, reason);

export const tokenExpired = () => new HssError(401, 'APIGW.0307', 'The token must be updated.', undefined, 'the token has expired');

export const notAuthorized = () => new HssError(403, 'APIGW.0302', 'The IAM user is not authorized to access the API.');

export const internalError = () => new HssError(500, 'APIGW.0601', 'Internal server error.');

// The control plane's own errors, in the same envelope.
export const controlBadRequest = (detail: string) => new HssError(400, 'EMULATOR.0400', detail);
export const controlUnauthorized = () =>
  new HssError(401, 'EMULATOR.0401', 'The control plane needs Authorization: Bearer <admin_token> (in a browser: open /_emulator/login?token=<admin_token>).');
export const controlForbidden = (detail: string) => new HssError(403, 'EMULATOR.0403', `Forbidden: ${detail}.`);
export const controlUnsupportedMediaType = () =>
  new HssError(415, 'EMULATOR.0415', 'Control-plane writes need Content-Type: application/json (or the admin token).');
export const controlNotFound = (what: string) => new HssError(404, 'EMULATOR.0404', `${what} does not exist.`);
export const controlConflict = (what: string) => new HssError(409, 'EMULATOR.0409', `${what} already exists.`);
