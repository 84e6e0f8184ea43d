/**
 * The composition root: opens the database, wires services, and puts authentication, the
 * cloud routes, IAM and the control plane on one Fastify instance. Nothing listens here —
 * see server.ts — so tests drive the app through inject().
 */
import { readFileSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { REDACTED, SECRET_HEADERS, redactUrl } from './auth/redaction.js';
import { ConfigError } from './config/load-config.js';
import { BUNDLED_FIXTURES, type Config } from './config/options.js';
import { resumeClock, type EmulatorClock } from './clock/clock.js';
import { ClockRepository } from './db/clock-repository.js';
import { openDatabase, type Db } from './db/database.js';
import { createServices, type Services } from './services/services.js';
import { AccessPolicy } from './auth/access-policy.js';
import { createGateway } from './auth/gateway.js';
import { installRequestContext, randomRequestId, requestIdGenerator } from './http/request-context.js';
import { installJsonBodyParser, BODY_LIMIT } from './http/json-body.js';
import { clientErrorHandler, frameworkErrors, installErrorHandling, installNotFound } from './http/error-handler.js';
import { installCloudAuth } from './http/cloud-auth.js';
import { validatorCompiler } from './http/validation.js';
import { Faults, installFaults } from './http/faults.js';
import { Throttle } from './http/throttle.js';
import { Journal, installJournal } from './http/journal.js';
import { Metrics, installMetrics } from './http/metrics.js';
import { batchScanRoute } from './routes/batch-scan.js';
import { localImagesRoute } from './routes/local-images.js';
import { localImageDetailRoutes } from './routes/local-image-details.js';
import { imageVulnerabilityRoute } from './routes/image-vulnerabilities.js';
import { iamTokenRoute } from './routes/iam-tokens.js';
import { iamDirectoryRoutes } from './routes/iam-directory.js';
import { controlPlane, healthPlane } from './control/control-plane.js';
import { installOpenApi } from './http/openapi.js';
import { installCors } from './http/cors.js';
import { installRequestLog } from './http/request-log.js';
import { lazySerializers } from './http/serialization.js';
import { SHARED_SCHEMAS } from '../schemas/components.js';

export interface AppOptions {
  config: Config;
  /** default: made from config.clock and config.clock_start, resuming the database's stored clock */
  clock?: EmulatorClock;
  /** false for silence */
  logger?: false;
  /** where log lines go (default: stdout) */
  logStream?: NodeJS.WritableStream;
  /** default: 32 random hex digits */
  newRequestId?: () => string;
  /** readable log lines (pino-pretty) instead of JSON */
  prettyLogs?: boolean;
  /** real time, which X-Sdk-Date and --throttle count in (default: Date.now); emulated time is `clock` */
  wallClock?: () => number;
}

export interface Emulator {
  app: FastifyInstance;
  db: Db;
  clock: EmulatorClock;
  services: Services;
  faults: Faults;
  journal: Journal;
}

/** pino paths of every secret header, on requests and responses: they never reach a log line. */
export const REDACTED_HEADERS = SECRET_HEADERS.flatMap((name) => [`req.headers["${name}"]`, `res.headers["${name}"]`]);

/** Fastify's request log fields, with secret query parameters redacted from the URL. */
const serializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
};

function loggerOptions(config: Config, options: AppOptions) {
  const destination = options.logStream
    ? { stream: options.logStream }
    : options.prettyLogs
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }
      : {};
  return { level: config.log_level, redact: { paths: REDACTED_HEADERS, censor: REDACTED }, serializers, ...destination };
}

/** HTTPS when both --tls-cert and --tls-key are given. */
function tlsOptions(config: Config): { https?: { cert: Buffer; key: Buffer } } {
  if (config.tls_cert === undefined || config.tls_key === undefined) return {};
  const read = (flag: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError(`${flag} ${path}: ${(err as Error).message}`);
    }
  };
  return { https: { cert: read('--tls-cert', config.tls_cert), key: read('--tls-key', config.tls_key) } };
}

/** The database, or one line that names the path and the fix. */
function openConfiguredDatabase(path: string): Db {
  try {
    return openDatabase(path);
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0];
    throw new ConfigError(`--db ${path}: cannot open the database (${reason}); give a file path you can write, or :memory:`);
  }
}

export function buildApp(options: AppOptions): Emulator {
  const startedAt = performance.now();
  const { config } = options;
  const db = openConfiguredDatabase(config.db);
  try {
    const clockStore = new ClockRepository(db);
    const clock = options.clock ?? resumeClock(config.clock, config.clock_start, clockStore.read());
    const services = createServices(db, config, clock, clockStore);
    const faults = new Faults();
    const journal = new Journal(config.journal_size);
    const metrics = new Metrics();
    const app = Fastify({
      ...tlsOptions(config),
      logger: options.logger ?? loggerOptions(config, options),
      genReqId: requestIdGenerator(options.newRequestId ?? randomRequestId),
      bodyLimit: BODY_LIMIT,
      routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
      frameworkErrors,
      clientErrorHandler,
      forceCloseConnections: 'idle',
      schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
      // one line per request instead (request-log.ts)
      logController: new LogController({ disableRequestLogging: true }),
    });
    app.setValidatorCompiler(validatorCompiler(config.validation));
    for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
    installOpenApi(app);
    installCors(app, config.cors_origin);
    installRequestContext(app, clock);
    installFaults(app, faults);
    installJournal(app, journal);
    installRequestLog(app, services.events);
    installMetrics(app, metrics, services.events);
    installJsonBodyParser(app);
    installErrorHandling(app);
    installNotFound(app);
    // Once closing, each answer ends its connection: a keep-alive client whose request was in
    // flight then holds the close up no longer than that request.
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (closing) reply.header('connection', 'close');
      done(null, payload);
    });
    app.addHook('onClose', async () => {
      services.ticker.stop();
      services.clockControl.save();
      db.close();
    });

    const wallClock = options.wallClock ?? Date.now;
    const gateway = createGateway(config.auth, services.identities, config.debug_auth, wallClock);
    const throttle = new Throttle(config.throttle, wallClock);
    app.register(async (cloud) => {
      installCloudAuth(cloud, gateway, throttle, new AccessPolicy(services.world));
      batchScanRoute(cloud, services.scans);
      localImagesRoute(cloud, services.inventory);
      localImageDetailRoutes(cloud, services.inventory);
      imageVulnerabilityRoute(cloud, services.inventory);
    });
    app.register(async (iam) => iamTokenRoute(iam, services.iam));
    app.register(async (iam) => iamDirectoryRoutes(iam, services.iamDirectory, gateway, throttle));
    app.register(async (health) => healthPlane(health, { config, clock, startedAt, admin: services.admin }));
    if (config.control_plane) {
      app.register(async (control) =>
        controlPlane(control, { config, clock, startedAt, faults, journal, metrics, ...services }),
      );
    }
    if (services.fixturesAtStart === 'kept' && config.fixtures !== BUNDLED_FIXTURES) {
      app.log.warn(
        { fixtures: config.fixtures, db: config.db },
        'fixtures skipped: the database already holds a world; start with --reset-on-start (or POST /_emulator/reset) to load them',
      );
    }
    if (services.fixturesAtStart === 'reset') app.log.info({ fixtures: config.fixtures }, 'the world was reset to the fixtures (--reset-on-start)');
    services.clockControl.save();
    services.ticker.onError = (err, retryMs) =>
      app.log.error({ err }, `the scan ticker failed; it retries every ${retryMs} ms while the server keeps serving`);
    services.ticker.poke();
    return { app, db, clock, services, faults, journal };
  } catch (err) {
    db.close();
    throw err;
  }
}
