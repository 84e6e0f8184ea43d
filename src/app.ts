/**
 * The composition root: opens the database, loads the world into an empty one, wires
 * repositories, services, authentication and routes into one Fastify instance. Nothing
 * listens here — see server.ts — so tests drive the app through inject().
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/options.js';
import { createClock, type Clock } from './clock/clock.js';
import { openDatabase, type Db } from './db/database.js';
import { ImageRepository } from './db/image-repository.js';
import { ImageDetailsRepository } from './db/image-details-repository.js';
import { ScanRepository } from './db/scan-repository.js';
import { WorldRepository } from './db/world-repository.js';
import { readWorld, seedWorld } from './fixtures/load-fixtures.js';
import { ScanProgress } from './services/scan-progress.js';
import { ScanService } from './services/scan-service.js';
import { InventoryService } from './services/inventory-service.js';
import { AccessPolicy } from './auth/access-policy.js';
import { createGateway } from './auth/gateway.js';
import { IdentityRepository } from './db/identity-repository.js';
import { installRequestContext, randomRequestId, requestIdGenerator } from './http/request-context.js';
import { installJsonBodyParser, BODY_LIMIT } from './http/json-body.js';
import { frameworkErrors, installErrorHandling, installNotFound } from './http/error-handler.js';
import { installCloudAuth } from './http/cloud-auth.js';
import { validatorCompiler } from './http/validation.js';
import { batchScanRoute } from './routes/batch-scan.js';
import { localImagesRoute } from './routes/local-images.js';
import { localImageDetailRoutes } from './routes/local-image-details.js';
import { iamTokenRoute } from './routes/iam-tokens.js';
import { IamService } from './services/iam-service.js';

export interface AppOptions {
  config: Config;
  /** default: made from config.clock and config.clock_start */
  clock?: Clock;
  /** false for silence */
  logger?: false;
  /** where log lines go (default: stdout) */
  logStream?: NodeJS.WritableStream;
  /** default: 32 random hex digits */
  newRequestId?: () => string;
}

export interface Emulator {
  app: FastifyInstance;
  db: Db;
  clock: Clock;
}

/** Headers that carry secrets; they never reach a log line. */
export const REDACTED_HEADERS = [
  'req.headers.authorization',
  'req.headers["x-auth-token"]',
  'req.headers["x-subject-token"]',
  'res.headers["x-subject-token"]',
];

export function buildApp(options: AppOptions): Emulator {
  const { config } = options;
  const clock = options.clock ?? createClock(config.clock, config.clock_start);
  const db = openDatabase(config.db);
  try {
    const world = new WorldRepository(db);
    if (world.isEmpty()) seedWorld(db, readWorld(config.fixtures));
    const app = Fastify({
      logger: options.logger ?? { level: config.log_level, redact: REDACTED_HEADERS, ...(options.logStream ? { stream: options.logStream } : {}) },
      genReqId: requestIdGenerator(options.newRequestId ?? randomRequestId),
      bodyLimit: BODY_LIMIT,
      routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
      frameworkErrors,
    });
    app.setValidatorCompiler(validatorCompiler(config.validation));
    installRequestContext(app, clock);
    installJsonBodyParser(app);
    installErrorHandling(app);
    installNotFound(app);
    app.addHook('onClose', async () => db.close());

    const identities = new IdentityRepository(db);
    const images = new ImageRepository(db);
    const scanPlans = new ScanRepository(db);
    const progress = new ScanProgress(images, scanPlans);
    const scans = new ScanService(db, images, scanPlans, progress, {
      lanes: config.lanes,
      baseMs: config.scan_base_ms,
      throughputMbS: config.scan_throughput_mb_s,
      maxImageSize: config.max_image_size,
      maxBatchImages: config.max_batch_images,
    });
    const inventory = new InventoryService(db, images, new ImageDetailsRepository(db), progress);

    app.register(async (cloud) => {
      installCloudAuth(cloud, createGateway(config.auth, identities, config.debug_auth), new AccessPolicy(world));
      batchScanRoute(cloud, scans);
      localImagesRoute(cloud, inventory);
      localImageDetailRoutes(cloud, inventory);
    });
    app.register(async (iam) => iamTokenRoute(iam, new IamService(identities, world, config.token_ttl_s * 1000)));
    return { app, db, clock };
  } catch (err) {
    db.close();
    throw err;
  }
}
